/*
 * The one path every RIP44 datagram takes (network or replay), and every
 * route from a file: check, decode, policy, tables, reconcile.
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "ingest.h"
#include "log.h"
#include "mesh.h"
#include "policy.h"
#include "rip.h"

/* log_limited() keys beyond the reasons. */
#define KEY_HOSTBITS	R_NREASONS

void
ingest_init(struct ingest *in, const struct policy *policy, struct mesh *m)
{
	memset(in, 0, sizeof(*in));
	in->policy = policy;
	in->mesh = m;
}

static void
keep_refusal(struct ingest *in, const struct ingest_refusal *r)
{
	in->ring[in->ring_next] = *r;
	in->ring_next = (in->ring_next + 1) % INGEST_REFUSALS;
	if (in->ring_count < INGEST_REFUSALS)
		in->ring_count++;
}

void
ingest_walk_refusals(const struct ingest *in,
    void (*fn)(void *, const struct ingest_refusal *), void *arg)
{
	size_t i, first;

	first = (in->ring_next + INGEST_REFUSALS - in->ring_count) %
	    INGEST_REFUSALS;
	for (i = 0; i < in->ring_count; i++)
		fn(arg, &in->ring[(first + i) % INGEST_REFUSALS]);
}

/*
 * len < 0: the netmask was not contiguous; mask says what it was.  Kept
 * in the ring as r says (source and time filled in by the caller).
 */
static void
refuse_entry(struct ingest *in, struct ingest_refusal *r, enum reason why,
    uint32_t addr, int len, uint32_t mask, uint32_t gateway, time_t now)
{
	char prefix[PREFIX_STRLEN + ADDR_STRLEN + 8], gw[ADDR_STRLEN],
	    m[ADDR_STRLEN];

	in->reasons[why]++;
	r->addr = addr;
	r->len = len >= 0 ? len : INGEST_NOMASK;
	r->mask = mask;
	r->gateway = gateway;
	r->why = why;
	keep_refusal(in, r);
	if (len >= 0)
		fmt_prefix(addr, len, prefix);
	else
		snprintf(prefix, sizeof(prefix), "%s mask %s",
		    fmt_addr(addr, gw), fmt_addr(mask, m));
	fmt_addr(gateway, gw);
	/* Our own subnet coming back to us is normal, not an error. */
	if (why == R_OURS) {
		log_debug("skipped %s via %s: %s", prefix, gw,
		    reason_name(why));
		return;
	}
	log_limited(why, now, "refused route %s via %s: %s", prefix, gw,
	    reason_name(why));
}

/* One decoded entry whose own status is R_NONE.  1 when refused. */
static int
ingest_entry(struct ingest *in, struct ingest_refusal *r,
    const struct rip_entry *e, time_t now)
{
	char prefix[PREFIX_STRLEN], sent[ADDR_STRLEN];
	enum reason why;
	uint32_t addr;
	int len, hostbits = 0;

	why = policy_entry(in->policy, e, &addr, &len, &hostbits);
	if (hostbits)
		log_limited(KEY_HOSTBITS, now, "host bits set in %s/%d: "
		    "using %s", fmt_addr(e->addr, sent), len,
		    fmt_prefix(addr, len, prefix));
	if (why == R_NONE && e->metric == RIP_METRIC_INFINITY) {
		if (mesh_withdraw(in->mesh, addr, len))
			log_debug("withdrawn %s", fmt_prefix(addr, len,
			    prefix));
		in->entries++;
		return 0;
	}
	if (why == R_NONE)
		why = mesh_heard(in->mesh, addr, len, e->nexthop, now);
	if (why != R_NONE) {
		refuse_entry(in, r, why, addr, len, 0, e->nexthop, now);
		return 1;
	}
	in->entries++;
	return 0;
}

/*
 * The observer hears of refusals as bursts: one event for the refused
 * entries of a datagram, one a second at most for whole datagrams
 * refused (a flood must not flood the monitor too).
 */
static void
tell_refusals(struct ingest *in, const struct ingest_refusal *first,
    unsigned long count, time_t now)
{
	struct mesh_event ev;

	if (first->len == INGEST_DATAGRAM) {
		in->untold += count;
		if (in->told == now)
			return;
		count = in->untold;
		in->untold = 0;
		in->told = now;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = MESH_EV_REFUSALS;
	ev.addr = first->addr;
	ev.len = first->len;
	ev.gateway = first->gateway;
	ev.count = count;
	ev.why = first->why;
	ev.source = first->source;
	mesh_notify(in->mesh, &ev);
}

/*
 * What the lookups of all the entries read first starts loading at once,
 * before the first is used (see mesh_prefetch()): a big table is mostly
 * out of the cache.
 */
static void
prefetch_entries(const struct mesh *m, const struct rip_packet *pkt)
{
	int i;

	for (i = 0; i < pkt->nentries; i++)
		if (pkt->entries[i].status == R_NONE)
			mesh_prefetch(m, pkt->entries[i].addr,
			    pkt->entries[i].len);
}

enum reason
ingest_datagram(struct ingest *in, uint32_t src, uint16_t sport,
    const uint8_t *payload, size_t len, time_t now, time_t wall)
{
	struct rip_packet pkt;
	struct ingest_refusal r, first;
	enum reason why;
	char from[ADDR_STRLEN];
	unsigned long refused = 0, used = in->entries;
	int i;

	in->datagrams++;
	/* The source is checked before a byte of the payload is read. */
	why = policy_source(in->policy, src, sport);
	if (why == R_NONE)
		why = rip_decode(payload, len, in->policy->password, &pkt);
	memset(&r, 0, sizeof(r));
	r.when = wall;
	r.source = src;
	if (why != R_NONE) {
		in->refused++;
		in->reasons[why]++;
		r.len = INGEST_DATAGRAM;
		r.why = why;
		keep_refusal(in, &r);
		tell_refusals(in, &r, 1, now);
		log_limited(why, now, "refused datagram from %s port %u: %s",
		    fmt_addr(src, from), sport, reason_name(why));
		return why;
	}
	in->accepted++;
	in->last_accepted = wall;
	/* Before its routes: a broadcast it ends must not miss them. */
	mesh_datagram(in->mesh, now);
	prefetch_entries(in->mesh, &pkt);
	for (i = 0; i < pkt.nentries; i++) {
		const struct rip_entry *e = &pkt.entries[i];

		int was_refused;

		if (e->status != R_NONE) {
			refuse_entry(in, &r, e->status, e->addr, e->len,
			    e->mask, e->nexthop, now);
			was_refused = 1;
		} else
			was_refused = ingest_entry(in, &r, e, now);
		if (was_refused && refused++ == 0)
			first = r;
	}
	mesh_entries(in->mesh, in->entries - used);
	if (refused > 0)
		tell_refusals(in, &first, refused, now);
	mesh_expire(in->mesh, now);
	mesh_reconcile(in->mesh, now);
	return R_NONE;
}

enum reason
ingest_route(struct ingest *in, uint32_t addr, int len, uint32_t gateway,
    time_t now)
{
	struct rip_entry e;
	enum reason why;
	uint32_t masked;
	int mlen, hostbits = 0;

	memset(&e, 0, sizeof(e));
	e.status = R_NONE;
	e.family = 2;
	e.addr = addr;
	e.len = len;
	e.mask = addr_mask(len);
	e.nexthop = gateway;
	e.metric = 1;
	why = policy_entry(in->policy, &e, &masked, &mlen, &hostbits);
	if (why == R_NONE)
		why = mesh_heard(in->mesh, masked, mlen, gateway, now);
	if (why != R_NONE)
		in->reasons[why]++;
	else
		in->entries++;
	return why;
}
