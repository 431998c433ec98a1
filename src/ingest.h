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
struct rip_packet;

struct ingest {
	const struct policy	*policy;
	struct mesh		*mesh;
	unsigned long		 datagrams;	/* fed in */
	unsigned long		 accepted;	/* datagrams used */
	unsigned long		 refused;	/* datagrams dropped whole */
	unsigned long		 entries;	/* route entries used */
	unsigned long		 reasons[R_NREASONS];	/* by reason */
	time_t			 last_accepted;	/* wall clock, 0 never */
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
 * ingest_datagram() in the two halves the processes run.  In the network
 * engine: the source, the decoding and the policy (now is for the log);
 * R_NONE with each entry's status saying whether it is used (the prefix
 * of a used one masked), or the reason the whole datagram is refused.
 * In the parent: a datagram refused whole, counted and logged; and one
 * accepted, whose entries (checked again) go into the tables.
 */
enum reason	ingest_decode(const struct policy *, uint32_t src,
		    uint16_t sport, const uint8_t *payload, size_t len,
		    struct rip_packet *, time_t now);
void		ingest_refused(struct ingest *, uint32_t src, uint16_t sport,
		    enum reason, time_t now);
void		ingest_apply(struct ingest *, const struct rip_packet *,
		    time_t now, time_t wall);
/*
 * One route from a file or start-up source, through the same policy.
 * Returns R_NONE or the reason it was refused.
 */
enum reason	ingest_route(struct ingest *, uint32_t addr, int len,
		    uint32_t gateway, time_t now);

#endif /* INGEST_H */
