/*
 * The daemon proper: the multicast listener, the timer and the signals
 * around the mesh, on libevent's 1.4 API.
 */
#ifndef PARENT_H
#define PARENT_H

struct options;

/* Runs until SIGTERM or SIGINT; returns the exit status. */
int	parent_run(struct options *);

#endif /* PARENT_H */
