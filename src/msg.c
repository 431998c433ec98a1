/*
 * The records between the parent and the network engine (see msg.h), and
 * the parent's reading of them: an engine that has been taken over can
 * send anything, so every record is checked and decided again before it
 * changes a thing.
 */
/* glibc declares recvmmsg(2) only for GNU; OpenBSD has it since 7.2. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "ingest.h"
#include "listen.h"
#include "log.h"
#include "mcast.h"
#include "mesh.h"
#include "msg.h"
#include "policy.h"
#include "replay.h"

_Static_assert(sizeof(struct msg_record) == 80,
    "a record is the same size on every platform");
_Static_assert(MSG_NAME_LEN >= IF_NAMESIZE, "MSG_NAME_LEN below IF_NAMESIZE");

#define MSG_READ_BATCH	64	/* records one receive call takes */
/* Packet times a capture may hold: after 1970, before 2106. */
#define MSG_REPLAY_MAX	((int64_t)UINT32_MAX)

/* log_limited() keys for refusals by arrival, clear of the reasons. */
#define KEY_ARRIVAL(v)	(R_NREASONS + 1 + (int)(v))

static const char *const type_names[MSG_NTYPES] = {
	[MSG_NONE] = "none",
	[MSG_ARRIVAL] = "arrival",
	[MSG_REFUSED] = "refused",
	[MSG_DATAGRAM] = "datagram",
	[MSG_ENTRY] = "entry",
	[MSG_ENTRY_REFUSED] = "entry-refused",
	[MSG_END] = "end",
	[MSG_FRAME] = "frame",
	[MSG_LOCAL] = "local",
	[MSG_SYNC_IFACE] = "sync-iface",
	[MSG_SYNC_ADDR] = "sync-addr",
	[MSG_SYNC_CONNECTED] = "sync-connected",
	[MSG_SYNC_POLICY] = "sync-policy",
	[MSG_SYNC_END] = "sync-end",
};

const char *
msg_type_name(uint32_t type)
{
	if (type >= MSG_NTYPES || type_names[type] == NULL)
		return "unknown";
	return type_names[type];
}

time_t
msg_now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}

static enum msg_verdict
bad(struct msg_parent *p, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* A record that fails: nothing of the open datagram is kept. */
static enum msg_verdict
bad(struct msg_parent *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	p->bad++;
	msg_parent_reset(p);
	return MSG_RESTART;
}

void
msg_parent_reset(struct msg_parent *p)
{
	p->open = 0;
	p->stale = 0;
	p->expected = 0;
	p->pkt.nentries = 0;
}

static int
is_zero(const void *v, size_t len)
{
	const unsigned char	*c = v;
	size_t			 i;

	for (i = 0; i < len; i++)
		if (c[i] != 0)
			return 0;
	return 1;
}

/* A public address of ours can be no network's, broadcast or group. */
static int
usable_unicast(uint32_t a)
{
	return a != 0 && (a >> 24) != 0 && (a >> 24) != 127 &&
	    (a & 0xe0000000U) != 0xe0000000U;
}

/* When a record says it arrived: by the clock of the mode. */
static const char *
bad_time(const struct msg_parent *p, int64_t when, time_t now)
{
	if (p->trust != NULL)
		return when <= 0 || when > MSG_REPLAY_MAX ?
		    "packet time out of range" : NULL;
	/* The parent reads its clock once a read event; the engine may
	 * have stamped a record after the second turned. */
	if (when > (int64_t)now + MSG_TIME_AHEAD)
		return "arrival in the future";
	if (when < (int64_t)now - MSG_TIME_SLACK)
		return "arrival too long ago";
	return NULL;
}

/* The fields each type may use; any other must be zero. */
#define F_WHEN		0x0001
#define F_SRC		0x0002
#define F_DST		0x0004
#define F_OUTER		0x0008
#define F_IFINDEX	0x0010
#define F_SPORT		0x0020
#define F_FLAGS		0x0040
#define F_REASON	0x0080
#define F_ADDR		0x0100
#define F_MASK		0x0200
#define F_LEN		0x0400
#define F_NEXTHOP	0x0800
#define F_METRIC	0x1000

static const unsigned int type_fields[MSG_NTYPES] = {
	[MSG_ARRIVAL] = F_WHEN | F_SRC | F_DST | F_IFINDEX | F_SPORT |
	    F_REASON,
	[MSG_REFUSED] = F_WHEN | F_SRC | F_SPORT | F_REASON,
	[MSG_DATAGRAM] = F_WHEN | F_SRC | F_DST | F_OUTER | F_IFINDEX |
	    F_SPORT | F_FLAGS | F_LEN,
	[MSG_ENTRY] = F_ADDR | F_LEN | F_NEXTHOP | F_METRIC,
	[MSG_ENTRY_REFUSED] = F_REASON | F_ADDR | F_MASK | F_LEN |
	    F_NEXTHOP | F_METRIC,
	[MSG_END] = 0,
	[MSG_FRAME] = F_WHEN | F_REASON,
	[MSG_LOCAL] = F_ADDR,
};

/* The name of a field the type does not use yet is not zero, or NULL. */
static const char *
stray_field(const struct msg_record *r)
{
	unsigned int	f = type_fields[r->type];

	if (!(f & F_WHEN) && r->when != 0)
		return "when";
	if ((!(f & F_SRC) && r->src != 0) || (!(f & F_DST) && r->dst != 0))
		return "address";
	if (!(f & F_OUTER) && r->outer_src != 0)
		return "outer source";
	if (!(f & F_IFINDEX) && r->ifindex != 0)
		return "ifindex";
	if (!(f & F_SPORT) && r->sport != 0)
		return "port";
	if (!(f & F_FLAGS) && r->flags != 0)
		return "flags";
	if (!(f & F_REASON) && r->reason != 0)
		return "reason";
	if ((!(f & F_ADDR) && r->addr != 0) || (!(f & F_MASK) && r->mask != 0))
		return "prefix";
	if (!(f & F_LEN) && r->len != 0)
		return "length";
	if (!(f & F_NEXTHOP) && r->nexthop != 0)
		return "next hop";
	if (!(f & F_METRIC) && r->metric != 0)
		return "metric";
	if (r->spare != 0 || !is_zero(r->name, sizeof(r->name)))
		return "name";
	return NULL;
}

/* A datagram refused by its arrival: one line per way and minute. */
static void
log_arrival(const struct msg_record *r, enum listen_verdict v,
    const char *ifname, time_t now)
{
	char		 from[ADDR_STRLEN], to[ADDR_STRLEN], idx[16];
	const char	*via = ifname, *why;

	if (via == NULL || *via == '\0') {
		snprintf(idx, sizeof(idx), "index %d", r->ifindex);
		via = idx;
	}
	switch (v) {
	case LISTEN_CATCH_ALL:
		why = "the catch-all tunnel, open to anyone";
		break;
	case LISTEN_PEER_TUNNEL:
		why = "a peer's tunnel";
		break;
	case LISTEN_OTHER_IFACE:
		why = "not amprgw's tunnel (-G)";
		break;
	case LISTEN_UNKNOWN_IFACE:
		why = "an interface not known (yet)";
		break;
	case LISTEN_NOT_FOR_US:
		log_limited(KEY_ARRIVAL(v), now, "ignored datagram from %s to "
		    "%s: neither 224.0.0.9 nor one of our addresses",
		    fmt_addr(r->src, from), fmt_addr(r->dst, to));
		return;
	default:
		log_limited(KEY_ARRIVAL(v), now, "datagram from %s through "
		    "%s: refused as %s", fmt_addr(r->src, from), via,
		    listen_verdict_name(v));
		return;
	}
	log_limited(KEY_ARRIVAL(v), now, "RIP from %s arrived through %s, %s: "
	    "refused", fmt_addr(r->src, from), via, why);
}

static void
note_verdict(struct msg_parent *p, enum listen_verdict v)
{
	p->verdicts[v]++;
	/* Listed again soon: a tunnel may just have been made. */
	if (v == LISTEN_UNKNOWN_IFACE)
		p->unknown_iface = 1;
}

static enum msg_verdict
on_arrival(struct msg_parent *p, const struct msg_record *r, time_t now)
{
	const char	*ifname = NULL;

	if (r->reason == LISTEN_ACCEPT || r->reason >= LISTEN_NVERDICTS)
		return bad(p, "arrival verdict %u out of range", r->reason);
	/* Changes nothing but a count: the engine's word is enough. */
	listen_judge(p->arrival, p->ifaces, r->ifindex, r->dst, 0, &ifname);
	note_verdict(p, (enum listen_verdict)r->reason);
	log_arrival(r, (enum listen_verdict)r->reason, ifname, now);
	return MSG_OK;
}

/* Why the parent refuses the datagram's arrival itself, or NULL. */
static const char *
refused_arrival(struct msg_parent *p, const struct msg_record *r,
    enum listen_verdict *v)
{
	*v = LISTEN_ACCEPT;
	if (p->trust == NULL) {
		*v = listen_judge(p->arrival, p->ifaces, r->ifindex, r->dst, 0,
		    NULL);
		return *v == LISTEN_ACCEPT ? NULL : listen_verdict_name(*v);
	}
	if (!(r->flags & MSGF_ENCAP))
		return p->trust->in_tunnel ? NULL : "not inside IPENCAP";
	if (r->outer_src != p->trust->amprgw)
		return "IPENCAP not from amprgw (-G)";
	return NULL;
}

static enum msg_verdict
on_datagram(struct msg_parent *p, const struct msg_record *r, time_t now,
    time_t wall)
{
	char			 from[ADDR_STRLEN];
	const char		*why;
	enum listen_verdict	 v;
	enum reason		 source;

	if (r->len < 0 || r->len > RIP_MAX_ROUTES)
		return bad(p, "datagram of %d entries", r->len);
	if (r->ifindex < 0 || (p->trust != NULL && r->ifindex != 0))
		return bad(p, "ifindex %d", r->ifindex);
	if (p->trust == NULL && (r->flags != 0 || r->outer_src != 0))
		return bad(p, "capture fields in a live datagram");
	p->open = 1;
	p->stale = 0;
	p->expected = r->len;
	p->when = r->when;
	p->src = r->src;
	p->sport = r->sport;
	p->pkt.nentries = 0;
	why = refused_arrival(p, r, &v);
	source = policy_source(p->policy, r->src, r->sport);
	if (why == NULL && source == R_NONE)
		return MSG_OK;
	if (r->gen == p->gen)
		return bad(p, "datagram from %s sent as accepted: %s",
		    fmt_addr(r->src, from), why != NULL ? why :
		    reason_name(source));
	/* Decided by an older view (a tunnel just went): not the engine's
	 * fault.  Dropped, counted as the parent decided. */
	p->stale = 1;
	p->dropped++;
	if (why != NULL && p->trust == NULL)
		note_verdict(p, v);
	else if (why == NULL)
		ingest_refused(p->in, r->src, r->sport, source, now, wall);
	return MSG_OK;
}

static enum msg_verdict
on_entry(struct msg_parent *p, const struct msg_record *r)
{
	struct rip_entry	*e;
	char			 prefix[PREFIX_STRLEN];
	uint32_t		 addr;
	int			 len, hostbits = 0;
	enum reason		 why;

	if (p->pkt.nentries >= p->expected)
		return bad(p, "more entries than the %d announced",
		    p->expected);
	if (r->len < 0 || r->len > 32)
		return bad(p, "prefix length %d", r->len);
	if ((r->addr & ~addr_mask(r->len)) != 0)
		return bad(p, "host bits set in %s",
		    fmt_prefix(r->addr, r->len, prefix));
	if (r->metric < 1 || r->metric > RIP_METRIC_INFINITY)
		return bad(p, "metric %u", r->metric);
	e = &p->pkt.entries[p->pkt.nentries];
	memset(e, 0, sizeof(*e));
	e->status = R_NONE;
	e->family = 2;
	e->addr = r->addr;
	e->mask = addr_mask(r->len);
	e->len = r->len;
	e->nexthop = r->nexthop;
	e->metric = r->metric;
	why = policy_entry(p->policy, e, &addr, &len, &hostbits);
	if (why != R_NONE && r->gen == p->gen)
		return bad(p, "%s sent as used: %s",
		    fmt_prefix(r->addr, r->len, prefix), reason_name(why));
	e->status = why;
	p->pkt.nentries++;
	return MSG_OK;
}

static enum msg_verdict
on_entry_refused(struct msg_parent *p, const struct msg_record *r)
{
	struct rip_entry	*e;
	enum reason		 why = (enum reason)r->reason;

	if (p->pkt.nentries >= p->expected)
		return bad(p, "more entries than the %d announced",
		    p->expected);
	if (r->reason == R_NONE || r->reason >= R_NREASONS ||
	    reason_is_datagram(why))
		return bad(p, "entry reason %u out of range", r->reason);
	if (r->len < -1 || r->len > 32 || (r->len == -1 && why != R_NETMASK))
		return bad(p, "prefix length %d", r->len);
	e = &p->pkt.entries[p->pkt.nentries++];
	memset(e, 0, sizeof(*e));
	e->status = why;
	e->family = 2;
	e->addr = r->addr;
	e->mask = r->mask;
	e->len = r->len;
	e->nexthop = r->nexthop;
	e->metric = r->metric;
	return MSG_OK;
}

static enum msg_verdict
on_end(struct msg_parent *p, time_t now, time_t wall)
{
	if (p->pkt.nentries != p->expected)
		return bad(p, "datagram ended after %d of %d entries",
		    p->pkt.nentries, p->expected);
	if (!p->stale) {
		if (p->trust != NULL)
			now = wall = (time_t)p->when;
		ingest_apply(p->in, p->src, &p->pkt, now, wall);
	}
	msg_parent_reset(p);
	return MSG_OK;
}

static enum msg_verdict
on_local(struct msg_parent *p, const struct msg_record *r)
{
	char	a[ADDR_STRLEN];

	if (!usable_unicast(r->addr))
		return bad(p, "public address %s", fmt_addr(r->addr, a));
	if (p->policy->ours != 0)
		return bad(p, "public address told when known");
	p->policy->ours = r->addr;
	mesh_set_local(p->in->mesh, r->addr);
	log_info("our public address, from the capture: %s",
	    fmt_addr(r->addr, a));
	return MSG_OK;
}

static int
inside_datagram(uint32_t type)
{
	return type == MSG_ENTRY || type == MSG_ENTRY_REFUSED ||
	    type == MSG_END;
}

enum msg_verdict
msg_parent_record(struct msg_parent *p, const void *buf, size_t size,
    time_t now, time_t wall)
{
	struct msg_record	 r;
	const char		*why;

	p->records++;
	if (size != sizeof(r))
		return bad(p, "record of %zu bytes, not %zu", size, sizeof(r));
	memcpy(&r, buf, sizeof(r));
	if (r.type == MSG_NONE || r.type > MSG_LOCAL)
		return bad(p, "type %u (%s) is not the engine's", r.type,
		    msg_type_name(r.type));
	if ((why = stray_field(&r)) != NULL)
		return bad(p, "%s set in a %s record", why,
		    msg_type_name(r.type));
	if (r.gen > p->gen)
		return bad(p, "generation %u not yet sent (%u)", r.gen,
		    p->gen);
	if ((r.type == MSG_FRAME || r.type == MSG_LOCAL) && p->trust == NULL)
		return bad(p, "%s record outside replay",
		    msg_type_name(r.type));
	if (r.type == MSG_ARRIVAL && p->trust != NULL)
		return bad(p, "arrival record in replay");
	if ((r.flags & ~MSGF_ENCAP) != 0)
		return bad(p, "flags %#x", r.flags);
	if (p->open != inside_datagram(r.type))
		return bad(p, "%s record %s a datagram", msg_type_name(r.type),
		    p->open ? "inside" : "outside");
	if ((type_fields[r.type] & F_WHEN) &&
	    (why = bad_time(p, r.when, now)) != NULL)
		return bad(p, "%s: %lld", why, (long long)r.when);
	if (p->trust != NULL)
		now = wall = (time_t)r.when;
	switch (r.type) {
	case MSG_ARRIVAL:
		return on_arrival(p, &r, now);
	case MSG_REFUSED:
		if (r.reason == R_NONE || r.reason >= R_NREASONS ||
		    !reason_is_datagram((enum reason)r.reason))
			return bad(p, "datagram reason %u out of range",
			    r.reason);
		ingest_refused(p->in, r.src, r.sport, (enum reason)r.reason,
		    now, wall);
		return MSG_OK;
	case MSG_DATAGRAM:
		return on_datagram(p, &r, now, wall);
	case MSG_ENTRY:
		return on_entry(p, &r);
	case MSG_ENTRY_REFUSED:
		return on_entry_refused(p, &r);
	case MSG_END:
		return on_end(p, now, wall);
	case MSG_FRAME:
		if (r.reason >= MSG_FRAME_NKINDS)
			return bad(p, "frame kind %u", r.reason);
		if (p->frame != NULL)
			p->frame(p->frame_arg, now, (enum msg_frame)r.reason);
		return MSG_OK;
	case MSG_LOCAL:
		return on_local(p, &r);
	}
	return bad(p, "type %u", r.type);
}

int
msg_parent_read(struct msg_parent *p, int fd, int max, time_t now,
    time_t wall, int *more)
{
	struct msg_record	 recs[MSG_READ_BATCH];
	struct mmsghdr		 msgs[MSG_READ_BATCH];
	struct iovec		 iovs[MSG_READ_BATCH];
	unsigned int		 k, want;
	int			 n, total = 0;
	size_t			 size;

	*more = 0;
	while (total < max) {
		want = (unsigned int)(max - total) < MSG_READ_BATCH ?
		    (unsigned int)(max - total) : MSG_READ_BATCH;
		memset(msgs, 0, sizeof(msgs[0]) * want);
		for (k = 0; k < want; k++) {
			iovs[k].iov_base = &recs[k];
			iovs[k].iov_len = sizeof(recs[k]);
			msgs[k].msg_hdr.msg_iov = &iovs[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
		}
		do
			n = recvmmsg(fd, msgs, want, MSG_DONTWAIT, NULL);
		while (n == -1 && errno == EINTR);
		if (n == -1)
			return errno == EAGAIN || errno == EWOULDBLOCK ?
			    total : MSG_READ_ERROR;
		if (n == 0)
			return MSG_READ_END;
		for (k = 0; k < (unsigned int)n; k++) {
			/* A message cut to fit is longer than a record. */
			size = msgs[k].msg_len;
			if (msgs[k].msg_hdr.msg_flags & MSG_TRUNC)
				size = sizeof(recs[k]) + 1;
			/* The end of the stream reads as an empty message
			 * (so an empty one ends it too). */
			if (size == 0)
				return MSG_READ_END;
			if (msg_parent_record(p, &recs[k], size, now,
			    wall) == MSG_RESTART)
				return MSG_READ_BAD;
		}
		total += n;
		if ((unsigned int)n < want)
			return total;
	}
	*more = 1;
	return total;
}

int
msg_send(int fd, const struct msg_record *r)
{
	ssize_t	n;

	do
		n = send(fd, r, sizeof(*r), MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != sizeof(*r)) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}
