/*
 * Bursts, broadcasts and silence, from the times of accepted datagrams
 * alone (see feed.h for the rule).
 */
#include <string.h>

#include "feed.h"

/* Seconds from then to now; a clock that stepped back gives 0. */
static uint32_t
elapsed(uint32_t then, uint32_t now)
{
	return now > then ? now - then : 0;
}

void
feed_init(struct feed *f, uint32_t now, uint32_t expiry)
{
	uint32_t cycle = expiry / 3;

	memset(f, 0, sizeof(*f));
	f->started = now;
	f->gap = cycle / 5;
	if (f->gap > FEED_GAP_MAX)
		f->gap = FEED_GAP_MAX;
	if (f->gap < FEED_GAP_MIN)
		f->gap = FEED_GAP_MIN;
	f->quiet_after = 2 * cycle;
	if (f->quiet_after > FEED_QUIET_MAX)
		f->quiet_after = FEED_QUIET_MAX;
	/* Quiet is more than a burst's end. */
	if (f->quiet_after < 2 * f->gap)
		f->quiet_after = 2 * f->gap;
}

/* The open burst is over. */
static int
end_burst(struct feed *f)
{
	f->before = f->ended;
	f->ended = f->count;
	f->count = 0;
	/* One datagram fewer than the last burst is still a whole table. */
	if (f->before > 0 && f->ended + 1 >= f->before) {
		f->broadcast = f->start;
		f->bc_datagrams = f->ended;
		f->bc_entries = f->entries;
		f->entries = 0;
		f->complete++;
		return FEED_COMPLETE;
	}
	f->entries = 0;
	f->partial++;
	return FEED_PARTIAL;
}

int
feed_tick(struct feed *f, uint32_t now)
{
	uint32_t since = f->last != 0 ? f->last : f->started;
	int what = 0;

	if (f->count > 0 && elapsed(f->last, now) >= f->gap)
		what |= end_burst(f);
	if (!f->quiet && elapsed(since, now) >= f->quiet_after) {
		f->quiet = 1;
		f->quiet_since = since;
		what |= FEED_WENT_QUIET;
	}
	return what;
}

int
feed_datagram(struct feed *f, uint32_t now)
{
	int what = 0;

	if (f->count > 0 && elapsed(f->last, now) >= f->gap)
		what |= end_burst(f);
	if (f->quiet) {
		f->quiet = 0;
		what |= FEED_RETURNED;
	}
	/* A clock that stepped back moves the start: the burst holds all
	 * it heard. */
	if (f->count++ == 0 || now < f->start)
		f->start = now;
	f->last = now;
	return what;
}

void
feed_entries(struct feed *f, unsigned long n)
{
	if (f->count > 0)
		f->entries += n;
}

uint32_t
feed_next_event(const struct feed *f)
{
	uint32_t since = f->last != 0 ? f->last : f->started, when = 0;

	if (f->count > 0)
		when = f->last + f->gap;
	if (!f->quiet && (when == 0 || since + f->quiet_after < when))
		when = since + f->quiet_after;
	return when;
}
