/*
 * The control socket (44meshctl(8)), served by the parent process: one
 * Unix SOCK_SEQPACKET socket (-c) for the group of -w, where root may
 * also change things, and optionally a read-only one (-C).  Requests are
 * fixed-size records (ctl_proto.h), each validated; replies are queued
 * per client with a cap, so that a client that does not read never
 * blocks the daemon: it is dropped instead.
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include "ctl_proto.h"

#define CONTROL_MAX_CLIENTS	16
/* Bytes queued for one client before it is dropped: the full table's
 * routes many times over. */
#define CONTROL_QUEUE_MAX	(4 * 1024 * 1024)
#define CONTROL_MODE		0660	/* -c: the group of -w */
#define CONTROL_MODE_RO		0666	/* -C: anyone on the host */

struct control;
struct ingest;
struct listener;
struct mesh;
struct options;

/*
 * The network engine, as the parent knows it: the parent's own record of
 * it, kept as it starts and reaps engines (pid 0 while none runs).
 */
struct control_engine_state {
	pid_t		pid;
	time_t		started;	/* monotonic clock */
	unsigned long	restarts;
	char		last_exit_reason[CTL_TEXT_MAX];	/* "" none */
};

/* What the control server reads, and the one thing it may do. */
struct control_sources {
	struct mesh				*mesh;
	const struct ingest			*in;
	const unsigned long			*verdicts;	/* by
						   listen_verdict; NULL none */
	const struct control_engine_state	*engine;
	const char				*backend;
	void	(*reload)(void *);		/* what SIGHUP does */
	void	*reload_arg;
};

/*
 * Makes the sockets of -c and -C (a stale socket left by a daemon that
 * died is replaced; a live one is not).  NULL with a message in err.
 */
struct control	*control_open(const struct options *, char *err,
		    size_t errlen);
/* After event_init(): serves, and watches the mesh for "monitor". */
void		 control_start(struct control *,
		    const struct control_sources *);
/* Closes every client and removes the sockets. */
void		 control_close(struct control *);

/*
 * A received record checked: size, version, type, every field.  0 and
 * *req filled, or -1 with the reason in why.
 */
int		 control_check_request(const void *buf, size_t len,
		    struct ctl_request *req, char *why, size_t whylen);
/* Whether a client may run the request: 1, or 0 with the reason. */
int		 control_permitted(const struct ctl_request *, int readonly,
		    uid_t uid, char *why, size_t whylen);
/* The platform's way to learn a connected client's uid.  0 or -1. */
int		 control_peer_uid(int fd, uid_t *uid);

#endif /* CONTROL_H */
