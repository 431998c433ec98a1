/*
 * The pidfile, locked for the daemon's life (see pidfile.h).  The lock
 * belongs to the open file, so the child of daemon(3) keeps it.
 */
#include <sys/types.h>
#ifdef __linux__
#include <sys/file.h>	/* flock(2): glibc has it here, OpenBSD in fcntl.h */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pidfile.h"

#define PIDFILE_MAX	32

/* The pid the holder wrote, or 0. */
static pid_t
read_holder(int fd)
{
	char	buf[PIDFILE_MAX], *end;
	ssize_t	n;
	long	pid;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') ||
	    pid <= 0)
		return 0;
	return (pid_t)pid;
}

int
pidfile_write(int fd)
{
	char	buf[PIDFILE_MAX];
	int	len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1)
		return -1;
	if (pwrite(fd, buf, (size_t)len, 0) != len) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int
pidfile_take(const char *path, pid_t *holder)
{
	int	fd, saved;

	*holder = 0;
	/* Not truncated before the lock: the holder's pid is read back. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		saved = errno;
		if (saved == EWOULDBLOCK)
			*holder = read_holder(fd);
		close(fd);
		errno = saved;
		return -1;
	}
	if (pidfile_write(fd) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
