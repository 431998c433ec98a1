/*
 * The feed: amprgw's broadcasts as the accepted datagrams show them.
 *
 * amprgw sends the whole table every five minutes as a burst of
 * datagrams, all within a few seconds.  A burst is the run of accepted
 * datagrams each following the one before by less than FEED_BURST_GAP;
 * it ends when FEED_BURST_GAP passes with no datagram.  A burst that has
 * ended is a complete broadcast when it held at least as many datagrams
 * as the burst before it, less one: one lost datagram does not make a
 * broadcast partial, a feed cut off half-way through a table does.  The
 * first burst after start-up has nothing to be measured against, so it
 * is never complete (the daemon may have started in the middle of one).
 *
 * The feed is quiet when no datagram has been accepted for FEED_QUIET
 * seconds (two cycles), counted from start-up while none ever was.
 *
 * Times are on the caller's clock (the mesh clock), never 0.  A clock
 * that steps back counts as no time passed.
 */
#ifndef FEED_H
#define FEED_H

#include <stdint.h>

#define FEED_BURST_GAP	60	/* seconds of silence that end a burst */
#define FEED_QUIET	600	/* seconds without a datagram: quiet */

/* What feed_datagram() and feed_tick() report, or-ed together. */
#define FEED_COMPLETE	0x01	/* a burst ended: a complete broadcast */
#define FEED_PARTIAL	0x02	/* a burst ended, too small to count */
#define FEED_WENT_QUIET	0x04
#define FEED_RETURNED	0x08	/* a datagram after the feed was quiet */

struct feed {
	uint32_t	started;	/* first time seen */
	uint32_t	start;		/* open burst: its first datagram */
	uint32_t	last;		/* latest accepted datagram; 0 never */
	unsigned int	count;		/* datagrams in the open burst; 0 none */
	unsigned int	ended;		/* datagrams in the burst that ended */
	unsigned int	before;		/* and in the one before it */
	uint32_t	broadcast;	/* start of the latest complete one */
	uint32_t	quiet_since;	/* last datagram (or start) when quiet */
	int		quiet;
	unsigned long	complete;	/* complete broadcasts so far */
	unsigned long	partial;	/* bursts that were not */
};

void		feed_init(struct feed *, uint32_t now);
/* An accepted datagram.  Ends a burst that was due to end first. */
int		feed_datagram(struct feed *, uint32_t now);
/* Ends a burst, or notes the feed going quiet, when that is due. */
int		feed_tick(struct feed *, uint32_t now);
/* When feed_tick() next has something to do; 0 for never. */
uint32_t	feed_next_event(const struct feed *);

#endif /* FEED_H */
