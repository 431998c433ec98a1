/*
 * Logging to syslog (daemon facility) or, in the foreground, to stderr as
 * "ident: message" lines.  Every entry point leaves errno as it found it,
 * so callers can log and then still test or report errno.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

#define LOG_LINE_MAX	1024
#define LOG_IDENT_MAX	32

struct log_limit {
	int		used;
	time_t		last;		/* when the last line got through */
	unsigned long	suppressed;	/* lines dropped since then */
};

static int	log_foreground = 1;	/* stderr until told otherwise */
static int	log_level_verbose;
static char	log_ident[LOG_IDENT_MAX] = "44meshd";
/* One extra slot is shared by every key out of range. */
static struct log_limit	log_limits[LOG_LIMIT_KEYS + 1];

static void	log_emit(int, const char *, const char *, va_list)
		    __attribute__((__format__(__printf__, 3, 0)));

void
log_init(int foreground, int verbose, const char *ident)
{
	int	saved_errno = errno;

	log_foreground = foreground;
	log_level_verbose = verbose;
	if (ident != NULL && *ident != '\0')
		snprintf(log_ident, sizeof(log_ident), "%s", ident);
	memset(log_limits, 0, sizeof(log_limits));
	if (!foreground)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	errno = saved_errno;
}

int
log_verbose(void)
{
	return log_level_verbose;
}

void
log_set_verbose(int verbose)
{
	log_level_verbose = verbose;
}

/*
 * Formats one line, appends suffix (if any; room is kept for it when the
 * message is cut), replaces control characters so that text from the
 * network cannot forge extra lines, and sends it.
 */
static void
log_emit(int priority, const char *suffix, const char *fmt, va_list ap)
{
	char	line[LOG_LINE_MAX];
	size_t	len, i, slen;

	slen = suffix == NULL ? 0 : strlen(suffix);
	if (slen >= sizeof(line) / 2)
		slen = sizeof(line) / 2;
	vsnprintf(line, sizeof(line) - slen, fmt, ap);
	len = strlen(line);
	if (slen > 0)
		snprintf(line + len, sizeof(line) - len, "%s", suffix);
	for (i = 0; line[i] != '\0'; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	if (log_foreground) {
		fprintf(stderr, "%s: %s\n", log_ident, line);
		fflush(stderr);
	} else
		syslog(priority, "%s", line);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;
	int	saved_errno = errno;

	va_start(ap, fmt);
	log_emit(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_notice(const char *fmt, ...)
{
	va_list	ap;
	int	saved_errno = errno;

	va_start(ap, fmt);
	log_emit(LOG_NOTICE, NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;
	int	saved_errno = errno;

	if (log_level_verbose < 1)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	char	suffix[128];
	va_list	ap;
	int	saved_errno = errno;

	snprintf(suffix, sizeof(suffix), ": %s", strerror(saved_errno));
	va_start(ap, fmt);
	log_emit(LOG_WARNING, suffix, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;
	int	saved_errno = errno;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_errno(int errnum, const char *fmt, ...)
{
	char	suffix[128];
	va_list	ap;
	int	saved_errno = errno;

	snprintf(suffix, sizeof(suffix), ": %s", strerror(errnum));
	va_start(ap, fmt);
	log_emit(LOG_ERR, suffix, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_limited(int key, time_t now, const char *fmt, ...)
{
	struct log_limit	*lim;
	char			 suffix[64];
	va_list			 ap;
	double			 since;
	int			 saved_errno = errno;

	if (key < 0 || key >= LOG_LIMIT_KEYS)
		key = LOG_LIMIT_KEYS;
	lim = &log_limits[key];
	if (lim->used) {
		/* difftime cannot overflow; a clock that went back resets. */
		since = difftime(now, lim->last);
		if (since >= 0 && since < LOG_LIMIT_INTERVAL) {
			lim->suppressed++;
			errno = saved_errno;
			return;
		}
	}
	suffix[0] = '\0';
	if (lim->suppressed > 0)
		snprintf(suffix, sizeof(suffix), " (%lu more suppressed)",
		    lim->suppressed);
	lim->used = 1;
	lim->last = now;
	lim->suppressed = 0;
	va_start(ap, fmt);
	log_emit(LOG_NOTICE, suffix, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
fatal(const char *fmt, ...)
{
	char	suffix[128];
	va_list	ap;

	snprintf(suffix, sizeof(suffix), ": %s", strerror(errno));
	va_start(ap, fmt);
	log_emit(LOG_CRIT, suffix, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
