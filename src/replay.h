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

#include <stdint.h>
#include <stdio.h>

struct ingest;
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
 * Replays path.  When policy->ours is 0, our public address is learned
 * from the outer destination of the first IPENCAP packet from amprgw
 * (it tunnels to us); a packet from anyone else says nothing about us.
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
