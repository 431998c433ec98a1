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

/* len < 0: the netmask was not contiguous; mask says what it was. */
static void
refuse_entry(struct ingest *in, enum reason why, uint32_t addr, int len,
    uint32_t mask, uint32_t gateway, time_t now)
{
	char prefix[PREFIX_STRLEN + ADDR_STRLEN + 8], gw[ADDR_STRLEN],
	    m[ADDR_STRLEN];

	in->reasons[why]++;
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

/* One checked entry (status R_NONE, host bits masked off). */
static void
ingest_entry(struct ingest *in, const struct rip_entry *e, time_t now)
{
	char prefix[PREFIX_STRLEN];
	enum reason why;

	if (e->metric == RIP_METRIC_INFINITY) {
		if (mesh_withdraw(in->mesh, e->addr, e->len))
			log_debug("withdrawn %s", fmt_prefix(e->addr, e->len,
			    prefix));
		in->entries++;
		return;
	}
	why = mesh_heard(in->mesh, e->addr, e->len, e->nexthop, now);
	if (why != R_NONE) {
		refuse_entry(in, why, e->addr, e->len, 0, e->nexthop, now);
		return;
	}
	in->entries++;
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
ingest_decode(const struct policy *policy, uint32_t src, uint16_t sport,
    const uint8_t *payload, size_t len, struct rip_packet *pkt, time_t now)
{
	char prefix[PREFIX_STRLEN], sent[ADDR_STRLEN];
	struct rip_entry *e;
	enum reason why;
	uint32_t addr;
	int i, plen, hostbits;

	/* The source is checked before a byte of the payload is read. */
	if ((why = policy_source(policy, src, sport)) != R_NONE ||
	    (why = rip_decode(payload, len, policy->password, pkt)) != R_NONE)
		return why;
	for (i = 0; i < pkt->nentries; i++) {
		e = &pkt->entries[i];
		if (e->status != R_NONE)
			continue;
		hostbits = 0;
		e->status = policy_entry(policy, e, &addr, &plen, &hostbits);
		if (hostbits)
			log_limited(KEY_HOSTBITS, now, "host bits set in "
			    "%s/%d: using %s", fmt_addr(e->addr, sent), plen,
			    fmt_prefix(addr, plen, prefix));
		if (e->status == R_NONE) {
			e->addr = addr;
			e->len = plen;
			e->mask = addr_mask(plen);
		}
	}
	return R_NONE;
}

void
ingest_refused(struct ingest *in, uint32_t src, uint16_t sport,
    enum reason why, time_t now)
{
	char from[ADDR_STRLEN];

	in->datagrams++;
	in->refused++;
	in->reasons[why]++;
	log_limited(why, now, "refused datagram from %s port %u: %s",
	    fmt_addr(src, from), sport, reason_name(why));
}

void
ingest_apply(struct ingest *in, const struct rip_packet *pkt, time_t now,
    time_t wall)
{
	int i;

	in->datagrams++;
	in->accepted++;
	in->last_accepted = wall;
	/* Before its routes: a broadcast it ends must not miss them. */
	mesh_datagram(in->mesh, now);
	prefetch_entries(in->mesh, pkt);
	for (i = 0; i < pkt->nentries; i++) {
		const struct rip_entry *e = &pkt->entries[i];

		if (e->status != R_NONE)
			refuse_entry(in, e->status, e->addr, e->len, e->mask,
			    e->nexthop, now);
		else
			ingest_entry(in, e, now);
	}
	mesh_expire(in->mesh, now);
	mesh_reconcile(in->mesh, now);
}

enum reason
ingest_datagram(struct ingest *in, uint32_t src, uint16_t sport,
    const uint8_t *payload, size_t len, time_t now, time_t wall)
{
	struct rip_packet pkt;
	enum reason why;

	why = ingest_decode(in->policy, src, sport, payload, len, &pkt, now);
	if (why != R_NONE)
		ingest_refused(in, src, sport, why, now);
	else
		ingest_apply(in, &pkt, now, wall);
	return why;
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
