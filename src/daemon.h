/*
 * The daemon proper: the multicast listener, the timer and the signals
 * around the mesh, on libevent's 1.4 API.
 */
#ifndef DAEMON_H
#define DAEMON_H

struct options;

/* Runs until SIGTERM or SIGINT; returns the exit status. */
int	daemon_run(struct options *);

#endif /* DAEMON_H */
