/*
 * The wanted tables: what the broadcasts (or the encap file, or the kernel
 * at start-up) say should exist.  Changes only mark work for the
 * reconciler; nothing here talks to the kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "patricia.h"
#include "mesh_impl.h"

#define SPAN_STRLEN	32

void
mesh_config_init(struct mesh_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rdomain = 44;
	cfg->tunneldomain = 0;
	cfg->expiry = MESH_DEFAULT_EXPIRY;
	cfg->hardexpiry = MESH_DEFAULT_HARDEXPIRY;
	cfg->maxroutes = MESH_DEFAULT_MAXROUTES;
	cfg->maxtunnels = MESH_DEFAULT_MAXTUNNELS;
	cfg->maxnewtunnels = MESH_DEFAULT_MAXNEW;
}

struct mesh *
mesh_new(const struct mesh_config *cfg, const struct kern_ops *kern,
    void *kctx)
{
	struct mesh *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	/* The store finds routes by prefix: the trie is for order. */
	if ((m->routes = ptree_new_unindexed()) == NULL) {
		free(m);
		return NULL;
	}
	m->cfg = *cfg;
	m->kern = kern;
	m->kctx = kctx;
	route_store_init(&m->store);
	tunnels_init(&m->tunnels, cfg->maxtunnels);
	return m;
}

void
mesh_free(struct mesh *m)
{
	if (m == NULL)
		return;
	/* Routes live in the store: the trie holds no memory of its own. */
	ptree_free(m->routes, NULL);
	route_store_destroy(&m->store);
	tunnels_destroy(&m->tunnels);
	free(m->rdirty.items);
	free(m->tdirty.items);
	free(m->strays);
	free(m);
}

void
mesh_set_local(struct mesh *m, uint32_t local)
{
	m->cfg.local = local;
}

int
mesh_reserve(struct mesh *m, int unit)
{
	return unitmap_reserve(&m->tunnels.units, unit);
}

uint32_t
mesh_clock(struct mesh *m, time_t now)
{
	if (!m->have_epoch) {
		m->epoch = now - m->cfg.hardexpiry - 1;
		m->have_epoch = 1;
		feed_init(&m->feed, (uint32_t)m->cfg.hardexpiry + 1,
		    (uint32_t)m->cfg.expiry);
		/* From now on, a feed that never starts is noticed. */
		m->next_expiry = feed_next_event(&m->feed);
	}
	/* A clock that steps back (a capture out of order) stays at 1. */
	if (now <= m->epoch)
		return 1;
	if (now - m->epoch >= (time_t)UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(now - m->epoch);
}

void
mesh_start(struct mesh *m, time_t now)
{
	(void)mesh_clock(m, now);
}

int
worklist_push(struct worklist *w, void *item)
{
	void **n;
	size_t cap;

	if (w->count == w->cap) {
		cap = w->cap ? w->cap * 2 : 64;
		if ((n = reallocarray(w->items, cap, sizeof(*n))) == NULL)
			return -1;
		w->items = n;
		w->cap = cap;
	}
	w->items[w->count++] = item;
	return 0;
}

void
mesh_route_dirty(struct mesh *m, struct route *r)
{
	if (r->flags & ROUTE_DIRTY)
		return;
	/* Out of memory: the route is picked up by the next full rescan. */
	if (worklist_push(&m->rdirty, r) == 0)
		r->flags |= ROUTE_DIRTY;
}

void
mesh_tunnel_dirty(struct mesh *m, struct tunnel *t)
{
	if (t->flags & TUN_DIRTY)
		return;
	if (worklist_push(&m->tdirty, t) == 0)
		t->flags |= TUN_DIRTY;
}

void
mesh_tunnel_ref(struct mesh *m, struct tunnel *t)
{
	if (t->refs++ == 0)
		mesh_tunnel_dirty(m, t);
}

void
mesh_tunnel_unref(struct mesh *m, struct tunnel *t)
{
	if (--t->refs == 0)
		mesh_tunnel_dirty(m, t);
}

struct route *
mesh_route_find(const struct mesh *m, uint32_t addr, int len)
{
	if (len < 0 || len > 32)
		return NULL;
	return route_store_find(&m->store, addr & ptree_mask(len), len);
}

struct route *
mesh_route_new(struct mesh *m, uint32_t addr, int len)
{
	struct route *r;

	r = route_store_add(&m->store, addr & ptree_mask(len), len);
	if (r == NULL)
		return NULL;
	if (ptree_insert(m->routes, r->addr, len, r, NULL) == -1) {
		route_store_remove(&m->store, r);
		return NULL;
	}
	return r;
}

void
mesh_route_free(struct mesh *m, struct route *r)
{
	ptree_remove(m->routes, r->addr, r->len);
	route_store_remove(&m->store, r);
}

/* Seconds from then to now; a clock that stepped back gives 0. */
static uint32_t
age(uint32_t then, uint32_t now)
{
	return now > then ? now - then : 0;
}

static uint32_t
earliest(uint32_t a, uint32_t b)
{
	if (a == 0)
		return b;
	return b != 0 && b < a ? b : a;
}

/*
 * When a route last heard then may first expire, as far as is known now:
 * at the hard limit, or at the expiry time once a complete broadcast
 * began after it was heard (a later one makes the walk look again).
 */
static uint32_t
route_deadline(const struct mesh *m, uint32_t heard)
{
	uint32_t when = heard + (uint32_t)m->cfg.hardexpiry;

	if (m->feed.broadcast > heard)
		when = earliest(when, heard + (uint32_t)m->cfg.expiry);
	return when;
}

static void
set_route_expiry(struct mesh *m, uint32_t when)
{
	m->route_expiry = when;
	m->next_expiry = earliest(when, feed_next_event(&m->feed));
}

static void
route_fresh_change(struct route *r)
{
	r->failures = 0;
	r->retry_at = 0;
}

void
mesh_route_want(struct mesh *m, struct route *r, struct tunnel *t,
    uint32_t heard)
{
	struct tunnel *old = r->want;

	/* Reference the new tunnel before the old one can be released. */
	mesh_tunnel_ref(m, t);
	r->want = t;
	/* A backoff belongs to the change that failed: a new one starts
	 * afresh. */
	if (old != t)
		route_fresh_change(r);
	if (old != NULL && old != t)
		mesh_tell(m, MESH_EV_ROUTE_MOVED, r->addr, r->len, t->remote,
		    old->remote, t->unit);
	else if (old == NULL)
		mesh_tell(m, MESH_EV_ROUTE_ADDED, r->addr, r->len, t->remote, 0,
		    t->unit);
	if (old != NULL)
		mesh_tunnel_unref(m, old);
	else
		m->nwanted++;
	r->heard = heard;
	m->oldest_heard = earliest(m->oldest_heard, heard);
	set_route_expiry(m, earliest(m->route_expiry,
	    route_deadline(m, heard)));
	m->generation++;
	mesh_route_dirty(m, r);
}

enum reason
mesh_heard(struct mesh *m, uint32_t addr, int len, uint32_t gateway,
    time_t now)
{
	struct route *r;
	struct tunnel *t;
	uint32_t clock = mesh_clock(m, now);

	r = mesh_route_find(m, addr, len);
	if (r != NULL && r->want != NULL && r->want->remote == gateway) {
		/* The steady state: nothing changes but the time.  An older
		 * source (the encap file re-read) never makes it older. */
		if (clock > r->heard)
			r->heard = clock;
		return R_NONE;
	}
	if ((r == NULL || r->want == NULL) && m->nwanted >= m->cfg.maxroutes)
		return R_ROUTECAP;
	/* A feed of fresh gateways makes only so many tunnels at a time. */
	if ((t = tunnels_find(&m->tunnels, gateway)) == NULL) {
		if (m->newtunnels >= m->cfg.maxnewtunnels)
			return R_TUNNELRATE;
		if ((t = tunnels_get(&m->tunnels, gateway)) == NULL)
			return R_TUNNELCAP;
		m->newtunnels++;
	}
	if (r == NULL && (r = mesh_route_new(m, addr, len)) == NULL) {
		/* A fresh tunnel nobody uses goes again on the next pass. */
		if (t->refs == 0)
			mesh_tunnel_dirty(m, t);
		return R_ROUTECAP;
	}
	mesh_route_want(m, r, t, clock);
	return R_NONE;
}

int
mesh_pin_tunnel(struct mesh *m, uint32_t remote)
{
	struct tunnel *t;

	if ((t = tunnels_get(&m->tunnels, remote)) == NULL)
		return -1;
	if (!(t->flags & TUN_PINNED)) {
		t->flags |= TUN_PINNED;
		mesh_tunnel_ref(m, t);
	}
	return 0;
}

void
mesh_unpin_tunnel(struct mesh *m, uint32_t remote)
{
	struct tunnel *t;

	if ((t = tunnels_find(&m->tunnels, remote)) == NULL ||
	    !(t->flags & TUN_PINNED))
		return;
	t->flags &= ~TUN_PINNED;
	mesh_tunnel_unref(m, t);
}

int
mesh_own_tunnel_unit(const struct mesh *m, uint32_t remote)
{
	const struct tunnel *t;

	if ((t = tunnels_find(&m->tunnels, remote)) == NULL ||
	    (t->flags & TUN_RESERVED))
		return -1;
	return t->unit;
}

/*
 * Only the index slots: the first of the three misses a lookup takes in
 * turn (slot, route, tunnel), and the only one whose address is known
 * from the prefix alone.  Loading the routes and tunnels here too (one
 * round each, waiting for the one before) made the benchmark slower: the
 * waits cost what they saved, and the processor overlaps those misses of
 * neighbouring entries on its own.
 */
void
mesh_prefetch(const struct mesh *m, uint32_t addr, int len)
{
	if (len >= 0 && len <= 32)
		route_store_prefetch(&m->store, addr & ptree_mask(len), len);
}

/* why: MESH_EV_ROUTE_EXPIRED or MESH_EV_ROUTE_WITHDRAWN. */
static void
mesh_unwant(struct mesh *m, struct route *r, enum mesh_event_type why)
{
	mesh_tell(m, why, r->addr, r->len, r->want->remote, 0,
	    r->want->unit);
	mesh_tunnel_unref(m, r->want);
	r->want = NULL;
	route_fresh_change(r);
	m->nwanted--;
	m->generation++;
	mesh_route_dirty(m, r);
}

int
mesh_withdraw(struct mesh *m, uint32_t addr, int len)
{
	struct route *r;

	r = mesh_route_find(m, addr, len);
	if (r == NULL || r->want == NULL)
		return 0;
	mesh_unwant(m, r, MESH_EV_ROUTE_WITHDRAWN);
	return 1;
}

struct follow {
	struct mesh	*m;
	struct tunnel	*self;		/* to the new address, or NULL */
	size_t		 tunnels;
};

static void
follow_tunnel(void *arg, struct tunnel *t)
{
	struct follow *f = arg;

	/* The one to ourselves is not changed, only left to go. */
	if ((t->flags & TUN_RESERVED) || !(t->flags & TUN_INSTALLED) ||
	    t == f->self)
		return;
	t->flags |= TUN_LOCAL;
	mesh_tunnel_dirty(f->m, t);
	f->tunnels++;
}

static int
unwant_via_self(uint32_t addr, int len, void *value, void *arg)
{
	struct follow *f = arg;
	struct route *r = value;

	(void)addr;
	(void)len;
	if (r->want != NULL && r->want == f->self)
		mesh_unwant(f->m, r, MESH_EV_ROUTE_WITHDRAWN);
	return 0;
}

size_t
mesh_follow_local(struct mesh *m, uint32_t local)
{
	struct follow f = { .m = m };

	if (local == m->cfg.local)
		return 0;
	m->cfg.local = local;
	/* A tunnel to ourselves would loop: its routes are ours now. */
	if ((f.self = tunnels_find(&m->tunnels, local)) != NULL)
		ptree_walk(m->routes, unwant_via_self, &f);
	tunnels_foreach(&m->tunnels, follow_tunnel, &f);
	return f.tunnels;
}

/* "42 seconds" or "130 minutes" */
static const char *
fmt_span(uint32_t seconds, char *buf)
{
	if (seconds < 120)
		snprintf(buf, SPAN_STRLEN, "%u seconds", seconds);
	else
		snprintf(buf, SPAN_STRLEN, "%u minutes", seconds / 60);
	return buf;
}

/* Says what the feed did; a complete broadcast makes expiry look. */
static void
feed_report(struct mesh *m, int what, uint32_t clock)
{
	const struct feed *f = &m->feed;
	char span[SPAN_STRLEN];

	if (what & FEED_COMPLETE) {
		log_debug("complete broadcast: %u datagrams", f->ended);
		m->route_expiry = clock;
	}
	if ((what & FEED_PARTIAL) && f->before == 0)
		log_debug("first burst of %u datagrams: not a complete "
		    "broadcast", f->ended);
	else if (what & FEED_PARTIAL)
		log_info("a burst of %u datagrams after one of %u: not a "
		    "complete broadcast, no route expires by it", f->ended,
		    f->before);
	if (what & FEED_WENT_QUIET)
		log_warnx("feed quiet: no RIP44 broadcast accepted for %s%s; "
		    "routes are kept until broadcasts miss them or for %lld "
		    "seconds unheard", fmt_span(age(f->quiet_since, clock),
		    span), f->last == 0 ? " since start-up" : "",
		    (long long)m->cfg.hardexpiry);
	if (what & FEED_RETURNED)
		log_info("feed back after %s quiet",
		    fmt_span(age(f->quiet_since, clock), span));
	set_route_expiry(m, m->route_expiry);
}

void
mesh_datagram(struct mesh *m, time_t now)
{
	uint32_t clock = mesh_clock(m, now);

	feed_report(m, feed_datagram(&m->feed, clock), clock);
}

struct expiry {
	struct mesh	*m;
	uint32_t	 clock;
	uint32_t	 next;		/* earliest deadline kept, or 0 */
	uint32_t	 oldest;	/* oldest heard time kept, or 0 */
	size_t		 expired;
};

/* Unwanting frees nothing (reconcile does), so the walk is undisturbed. */
static int
expire_route(uint32_t addr, int len, void *value, void *arg)
{
	struct expiry *x = arg;
	struct route *r = value;
	uint32_t deadline;

	(void)addr;
	(void)len;
	if (r->want == NULL)
		return 0;
	/* Never due while the clock is behind the heard time. */
	deadline = route_deadline(x->m, r->heard);
	if (x->clock >= deadline) {
		mesh_unwant(x->m, r, MESH_EV_ROUTE_EXPIRED);
		x->expired++;
	} else {
		x->next = earliest(x->next, deadline);
		x->oldest = earliest(x->oldest, r->heard);
	}
	return 0;
}

size_t
mesh_expire(struct mesh *m, time_t now)
{
	struct expiry x = { .m = m };

	x.clock = mesh_clock(m, now);
	feed_report(m, feed_tick(&m->feed, x.clock), x.clock);
	if (m->route_expiry == 0 || x.clock < m->route_expiry)
		return 0;
	ptree_walk(m->routes, expire_route, &x);
	m->oldest_heard = x.oldest;
	set_route_expiry(m, x.next);
	return x.expired;
}

void
mesh_get_feed(const struct mesh *m, struct mesh_feed_view *v)
{
	const struct feed *f = &m->feed;

	memset(v, 0, sizeof(*v));
	if (!m->have_epoch)
		return;
	v->quiet = f->quiet;
	v->since = m->epoch + f->quiet_since;
	v->last = f->last != 0 ? m->epoch + f->last : 0;
	v->complete = f->complete;
	v->partial = f->partial;
	v->heard_since = m->oldest_heard != 0 ? m->epoch + m->oldest_heard : 0;
}

void
mesh_get_stats(const struct mesh *m, struct mesh_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->routes = m->nwanted;
	st->tunnels = m->tunnels.count;
	st->pending = m->rdirty.count + m->tdirty.count + m->nstrays;
	st->kernel_ops = m->ops;
	st->kernel_errors = m->errors;
	st->routes_held = m->held;
}

unsigned long
mesh_generation(const struct mesh *m)
{
	return m->generation;
}

struct foreach {
	const struct mesh	*m;
	void			(*fn)(void *, const struct mesh_route_view *);
	void			*arg;
};

/* A wanted route as the views show it. */
static void
route_view(const struct mesh *m, const struct route *r,
    struct mesh_route_view *v)
{
	v->addr = r->addr;
	v->len = r->len;
	v->gateway = r->want->remote;
	v->unit = r->want->unit;
	v->installed = r->inst == r->want && (r->want->flags & TUN_INSTALLED);
	v->heard = m->epoch + r->heard;
}

static int
foreach_route(uint32_t addr, int len, void *value, void *arg)
{
	struct foreach *f = arg;
	struct mesh_route_view v;
	const struct route *r = value;

	(void)addr;
	(void)len;
	if (r->want == NULL)
		return 0;
	route_view(f->m, r, &v);
	f->fn(f->arg, &v);
	return 0;
}

void
mesh_foreach(const struct mesh *m,
    void (*fn)(void *, const struct mesh_route_view *), void *arg)
{
	struct foreach f = { m, fn, arg };

	ptree_walk(m->routes, foreach_route, &f);
}

int
mesh_find_route(const struct mesh *m, uint32_t addr, int len,
    struct mesh_route_view *v)
{
	const struct route *r;

	if ((r = mesh_route_find(m, addr, len)) == NULL || r->want == NULL)
		return 0;
	route_view(m, r, v);
	return 1;
}

int
mesh_lookup(const struct mesh *m, uint32_t addr, struct mesh_route_view *v)
{
	const struct route *r;
	uint32_t found;
	int len;

	if ((r = ptree_match(m->routes, addr, &found, &len)) == NULL)
		return 0;
	/* A record on its way out carries nothing: a shorter one might. */
	for (; len >= 0; len--)
		if ((r = mesh_route_find(m, addr, len)) != NULL &&
		    r->want != NULL) {
			route_view(m, r, v);
			return 1;
		}
	return 0;
}

struct tunnel_walk {
	const struct mesh	*m;
	size_t			*byunit;	/* wanted routes per unit */
	size_t			 nunits;
	void			(*fn)(void *, const struct mesh_tunnel_view *);
	void			*arg;
};

static int
count_route(uint32_t addr, int len, void *value, void *arg)
{
	struct tunnel_walk *w = arg;
	const struct route *r = value;

	(void)addr;
	(void)len;
	if (r->want != NULL && r->want->unit >= 0 &&
	    (size_t)r->want->unit < w->nunits)
		w->byunit[r->want->unit]++;
	return 0;
}

static void
walk_tunnel(void *arg, struct tunnel *t)
{
	struct tunnel_walk *w = arg;
	struct mesh_tunnel_view v;

	memset(&v, 0, sizeof(v));
	v.remote = t->remote;
	v.unit = t->unit;
	/* No unit yet: every reference but the pin is a wanted route. */
	if (t->unit >= 0 && (size_t)t->unit < w->nunits)
		v.routes = w->byunit[t->unit];
	else
		v.routes = t->refs - ((t->flags & TUN_PINNED) ? 1 : 0);
	v.installed = (t->flags & TUN_INSTALLED) != 0;
	v.reserved = (t->flags & TUN_RESERVED) != 0;
	v.broken = (t->flags & TUN_BROKEN) != 0;
	v.pinned = (t->flags & TUN_PINNED) != 0;
	v.pending = (t->flags & TUN_DIRTY) != 0;
	v.failures = t->failures;
	v.retry_at = t->retry_at != 0 ? w->m->epoch + t->retry_at : 0;
	w->fn(w->arg, &v);
}

int
mesh_walk_tunnels(const struct mesh *m,
    void (*fn)(void *, const struct mesh_tunnel_view *), void *arg)
{
	struct tunnel_walk w = { m, NULL, 0, fn, arg };

	w.nunits = m->tunnels.nbyunit;
	if (w.nunits > 0 &&
	    (w.byunit = calloc(w.nunits, sizeof(*w.byunit))) == NULL)
		return -1;
	ptree_walk(m->routes, count_route, &w);
	/* The walk changes nothing: the table is only read. */
	tunnels_foreach((struct tunnels *)&m->tunnels, walk_tunnel, &w);
	free(w.byunit);
	return 0;
}

void
mesh_get_broadcast(const struct mesh *m, struct mesh_broadcast_view *v)
{
	memset(v, 0, sizeof(*v));
	if (!m->have_epoch || m->feed.broadcast == 0)
		return;
	v->start = m->epoch + m->feed.broadcast;
	v->datagrams = m->feed.bc_datagrams;
	v->entries = m->feed.bc_entries;
}

void
mesh_entries(struct mesh *m, unsigned long n)
{
	feed_entries(&m->feed, n);
}

void
mesh_set_observer(struct mesh *m, mesh_observer fn, void *arg)
{
	m->observer = fn;
	m->observer_arg = arg;
}

void
mesh_notify(struct mesh *m, const struct mesh_event *ev)
{
	if (m->observer != NULL)
		m->observer(m->observer_arg, ev);
}

void
mesh_tell(struct mesh *m, enum mesh_event_type type, uint32_t addr, int len,
    uint32_t gateway, uint32_t old_gateway, int unit)
{
	struct mesh_event ev;

	if (m->observer == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.addr = addr;
	ev.len = len;
	ev.gateway = gateway;
	ev.old_gateway = old_gateway;
	ev.unit = unit;
	m->observer(m->observer_arg, &ev);
}

size_t
mesh_memory(const struct mesh *m)
{
	return sizeof(*m) + ptree_memory(m->routes) + m->store.bytes +
	    tunnels_memory(&m->tunnels) +
	    (m->rdirty.cap + m->tdirty.cap) * sizeof(void *);
}
