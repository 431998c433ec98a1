/*
 * Replay (-r): feeds every RIP44 datagram of a capture through the
 * daemon's own path (ingest), with the packets' timestamps as the clock,
 * then reports the final table.
 *
 * The daemon's trust rule applies (listen.h): a datagram is used only
 * when it came from amprgw, that is inside IPENCAP whose outer source is
 * amprgw's address (-G).  A capture taken inside the tunnel (on gif1, say)
 * holds no IPENCAP header; with -t its unwrapped datagrams are used too.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "msg.h"

struct frame_udp;
struct ingest;
struct mesh;
struct policy;

struct replay_trust {
	uint32_t	amprgw;		/* -G, host order */
	int		in_tunnel;	/* -t: unwrapped datagrams are used */
};

struct replay_counts {
	unsigned long	frames;		/* read from the capture */
	unsigned long	skipped;	/* not a RIP44 datagram */
	unsigned long	untrusted;	/* RIP44, but not from amprgw */
};

/*
 * A capture on a descriptor already open (the engine never names a
 * file; name is for messages): its handle, which owns fd, or NULL with
 * a message in err (fd closed).
 */
pcap_t	*replay_open(int fd, const char *name, char *err, size_t errlen);

/*
 * Called for each frame with its time and kind; u is the datagram when
 * the kind is MSG_FRAME_USED, else NULL.
 */
typedef void	(*replay_frame_cb)(void *arg, time_t now, enum msg_frame kind,
		    const struct frame_udp *u);

/*
 * Reads every frame, deciding which hold amprgw's RIP44.  0, or -1 with a
 * message in err when the capture is cut or unreadable.
 */
int	replay_frames(pcap_t *, const char *name, const struct replay_trust *,
	    replay_frame_cb, void *arg, char *err, size_t errlen);
/* Counts a frame of the kind. */
void	replay_count(struct replay_counts *, enum msg_frame kind);
/* 1 when u tells our public address (policy has none yet). */
int	replay_learns_local(const struct policy *, const struct frame_udp *u);
/* Runs the mesh's timer up to the packet time now. */
void	replay_timer_until(struct mesh *, time_t now);

/*
 * Replays path in this one process (the tests'; the daemon reads the
 * capture in its network engine).  When policy->ours is 0, our public
 * address is learned from the outer destination of the first IPENCAP
 * packet from amprgw (it tunnels to us); a packet from anyone else says
 * nothing about us.
 * Returns 0, or -1 with a message in err when the capture cannot be read
 * at all.
 */
int	replay_run(const char *path, const struct replay_trust *,
	    struct ingest *, struct policy *, struct replay_counts *,
	    char *err, size_t errlen);
/*
 * The final table, one route a line, then the summary line, which says
 * since when the feed was quiet if it was when the capture ended.
 */
void	replay_report(FILE *, const struct ingest *);

#endif /* REPLAY_H */
