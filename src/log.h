/*
 * Logging: syslog (daemon facility) when detached, stderr with -d or in
 * replay.  Refusals of untrusted input go through log_limited() so that a
 * hostile feed cannot flood the log.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <time.h>

#define LOG_LIMIT_INTERVAL	60	/* seconds between lines of one key */
#define LOG_LIMIT_KEYS		64

/* foreground: to stderr; verbose: 0 quiet .. 2 debug. */
void	log_init(int foreground, int verbose, const char *ident);
int	log_verbose(void);
/* The control socket's "log verbose | brief": 0 .. 2, as -v gives. */
void	log_set_verbose(int);

void	log_info(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_notice(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_debug(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
/* Warning with and without errno text. */
void	log_warn(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
/* LOG_ERR line ending in strerror(errnum). */
void	log_errno(int errnum, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/*
 * A notice at most once per LOG_LIMIT_INTERVAL for each key (0 ..
 * LOG_LIMIT_KEYS - 1); the next line that gets through says how many were
 * suppressed.  now is the caller's clock (packet time in replay).
 */
void	log_limited(int key, time_t now, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));

__attribute__((__noreturn__)) void	fatal(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
__attribute__((__noreturn__)) void	fatalx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

#endif /* LOG_H */
