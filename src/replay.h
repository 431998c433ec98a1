/*
 * Replay (-r): feeds every RIP44 datagram of a capture through the
 * daemon's own path (ingest), with the packets' timestamps as the clock,
 * then reports the final table.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdio.h>

struct ingest;
struct policy;

struct replay_counts {
	unsigned long	frames;		/* read from the capture */
	unsigned long	skipped;	/* not a RIP44 datagram */
};

/*
 * Replays path.  When policy->ours is 0, our public address is learned
 * from the first IPENCAP packet's outer destination (amprgw tunnels to
 * us).  Returns 0, or -1 with a message in err when the capture cannot be
 * read at all.
 */
int	replay_run(const char *path, struct ingest *, struct policy *,
	    struct replay_counts *, char *err, size_t errlen);
/*
 * The final table, one route a line, then the summary line, which says
 * since when the feed was quiet if it was when the capture ended.
 */
void	replay_report(FILE *, const struct ingest *);

#endif /* REPLAY_H */
