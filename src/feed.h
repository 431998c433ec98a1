/*
 * The feed: amprgw's broadcasts as the accepted datagrams show them.
 *
 * amprgw sends the whole table every five minutes as a burst of
 * datagrams, all within a few seconds.  A burst is the run of accepted
 * datagrams each following the one before by less than the gap; it ends
 * when the gap passes with no datagram.  The expiry time (-x) is taken
 * as three cycles, as its default is, and the gap as a fifth of a cycle,
 * at most FEED_GAP_MAX and at least FEED_GAP_MIN: a test feeding a
 * table every few seconds with a short -x sees its bursts too.  A burst that has
 * ended is a complete broadcast when it held at least as many datagrams
 * as the burst before it, less one: one lost datagram does not make a
 * broadcast partial, a feed cut off half-way through a table does.  The
 * first burst after start-up has nothing to be measured against, so it
 * is never complete (the daemon may have started in the middle of one).
 *
 * The feed is quiet when no datagram has been accepted for two cycles,
 * at most FEED_QUIET_MAX, counted from start-up while none ever was.
 *
 * Times are on the caller's clock (the mesh clock), never 0.  A clock
 * that steps back counts as no time passed.
 */
#ifndef FEED_H
#define FEED_H

#include <stdint.h>

#define FEED_GAP_MAX	60	/* seconds of silence that end a burst */
#define FEED_GAP_MIN	2	/* a burst may straddle a second */
#define FEED_QUIET_MAX	600	/* seconds without a datagram: quiet */

/* What feed_datagram() and feed_tick() report, or-ed together. */
#define FEED_COMPLETE	0x01	/* a burst ended: a complete broadcast */
#define FEED_PARTIAL	0x02	/* a burst ended, too small to count */
#define FEED_WENT_QUIET	0x04
#define FEED_RETURNED	0x08	/* a datagram after the feed was quiet */

struct feed {
	uint32_t	gap;		/* seconds of silence that end a burst */
	uint32_t	quiet_after;	/* seconds without a datagram */
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
	unsigned long	entries;	/* route entries in the open burst */
	unsigned int	bc_datagrams;	/* the latest complete broadcast's */
	unsigned long	bc_entries;
};

/* expiry: -x, the seconds a route is kept while broadcasts miss it. */
void		feed_init(struct feed *, uint32_t now, uint32_t expiry);
/* An accepted datagram.  Ends a burst that was due to end first. */
int		feed_datagram(struct feed *, uint32_t now);
/* Ends a burst, or notes the feed going quiet, when that is due. */
int		feed_tick(struct feed *, uint32_t now);
/* Route entries the latest accepted datagram carried. */
void		feed_entries(struct feed *, unsigned long);
/* When feed_tick() next has something to do; 0 for never. */
uint32_t	feed_next_event(const struct feed *);

#endif /* FEED_H */
