/*
 * The network engine: the process that reads what comes from the network
 * (or, with -r, from a capture), unprivileged and sandboxed.  It decides
 * arrival, decodes, authenticates and applies the policy, and sends the
 * parent one record per route entry (msg.h); it never names a file, an
 * interface to make or a command.  The parent forks it (again after it
 * died) and decides everything again itself.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct listen_config;
struct mcast_list;
struct policy;
struct replay_trust;
struct sandbox;

struct engine_config {
	const struct sandbox	*sandbox;
	struct policy		*policy;	/* the engine's copy */
	int			 foreground;	/* -d: log to stderr */
	int			 verbose;
	/* Live: the RIP socket the parent opened, and the arrival rule. */
	int			 sock;
	const struct listen_config *arrival;
	const struct mcast_list	*ifaces;	/* copied by the engine */
	uint32_t		 gen;		/* of the parent's last sync */
	/* Replay: the capture, opened by the parent. */
	int			 capture;	/* -1 live */
	const char		*capture_name;	/* for messages only */
	const struct replay_trust *trust;
};

/*
 * Forks an engine.  In the parent: its pid, with *fd the parent's end of
 * the record socket (non-blocking, close-on-exec), or -1 with errno.  The
 * engine never returns: it exits 0 when the parent closes its end, 1
 * when it cannot go on.
 */
pid_t	engine_start(const struct engine_config *, int *fd);

/*
 * How an engine ended, from its wait status: "exited with status 1",
 * "was killed by signal 31 (Bad system call): a system call outside its
 * seccomp filter".  Returns buf.
 */
const char *engine_ended(int status, char *buf, size_t len);

#endif /* ENGINE_H */
