/*
 * One instance only: the pidfile is held with flock(2) for as long as the
 * daemon runs, so that two daemons never fight over gif units and a stale
 * file left by a crash is no obstacle.
 */
#ifndef PIDFILE_H
#define PIDFILE_H

#include <sys/types.h>

/*
 * Opens and locks path, then writes our pid into it.  Returns the
 * descriptor, or -1 with errno: EWOULDBLOCK when another process holds
 * it, its pid then in *holder (0 when the file does not say).
 */
int	pidfile_take(const char *path, pid_t *holder);
/* Writes our pid again (after daemon(3) forked).  0, or -1 with errno. */
int	pidfile_write(int fd);

#endif /* PIDFILE_H */
