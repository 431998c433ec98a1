/*
 * The one path every RIP44 datagram takes, whether it came from the
 * multicast socket or from a capture being replayed: source check, decode,
 * policy, tables, reconcile.
 */
#ifndef INGEST_H
#define INGEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "reason.h"

struct mesh;
struct policy;

#define INGEST_REFUSALS		100	/* the last refusals kept */
#define INGEST_NOMASK		(-1)	/* len: netmask not contiguous */
#define INGEST_DATAGRAM		(-2)	/* len: the whole datagram */

/* One refusal, for the control socket's "show refusals". */
struct ingest_refusal {
	time_t		when;		/* wall clock */
	uint32_t	source;		/* the datagram's source */
	uint32_t	addr;
	int		len;		/* or INGEST_NOMASK, INGEST_DATAGRAM */
	uint32_t	mask;		/* INGEST_NOMASK: the netmask sent */
	uint32_t	gateway;
	enum reason	why;
};

struct ingest {
	const struct policy	*policy;
	struct mesh		*mesh;
	unsigned long		 datagrams;	/* fed in */
	unsigned long		 accepted;	/* datagrams used */
	unsigned long		 refused;	/* datagrams dropped whole */
	unsigned long		 entries;	/* route entries used */
	unsigned long		 reasons[R_NREASONS];	/* by reason */
	time_t			 last_accepted;	/* wall clock, 0 never */
	/* The last INGEST_REFUSALS refusals, oldest overwritten first. */
	struct ingest_refusal	 ring[INGEST_REFUSALS];
	size_t			 ring_next;
	size_t			 ring_count;
	/* Whole datagrams refused since the observer was last told. */
	unsigned long		 untold;
	time_t			 told;		/* when, on the caller's clock */
};

void		ingest_init(struct ingest *, const struct policy *,
		    struct mesh *);
/*
 * Feeds one UDP datagram (addresses host order).  now is the clock for
 * expiry and retries (monotonic in the daemon, packet time in replay);
 * wall is the wall clock for the status report.  Returns R_NONE, or the
 * reason the whole datagram was refused.
 */
enum reason	ingest_datagram(struct ingest *, uint32_t src, uint16_t sport,
		    const uint8_t *payload, size_t len, time_t now, time_t wall);
/*
 * One route from a file or start-up source, through the same policy.
 * Returns R_NONE or the reason it was refused.
 */
enum reason	ingest_route(struct ingest *, uint32_t addr, int len,
		    uint32_t gateway, time_t now);

/* The kept refusals, oldest first. */
void		ingest_walk_refusals(const struct ingest *,
		    void (*)(void *, const struct ingest_refusal *), void *);

#endif /* INGEST_H */
