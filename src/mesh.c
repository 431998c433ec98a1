/*
 * The wanted tables: what the broadcasts (or the encap file, or the kernel
 * at start-up) say should exist.  Changes only mark work for the
 * reconciler; nothing here talks to the kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patricia.h"
#include "mesh_impl.h"

void
mesh_config_init(struct mesh_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rdomain = 44;
	cfg->tunneldomain = 0;
	cfg->expiry = MESH_DEFAULT_EXPIRY;
	cfg->maxroutes = MESH_DEFAULT_MAXROUTES;
	cfg->maxtunnels = MESH_DEFAULT_MAXTUNNELS;
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
		m->epoch = now - 1;
		m->have_epoch = 1;
	}
	/* A clock that steps back (a capture out of order) stays at 1. */
	if (now <= m->epoch)
		return 1;
	if (now - m->epoch >= (time_t)UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)(now - m->epoch);
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
	if (old != NULL)
		mesh_tunnel_unref(m, old);
	else
		m->nwanted++;
	r->heard = heard;
	if (m->next_expiry == 0 || heard + m->cfg.expiry < m->next_expiry)
		m->next_expiry = heard + (uint32_t)m->cfg.expiry;
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
		/* The steady state: nothing changes but the time. */
		r->heard = clock;
		return R_NONE;
	}
	if ((r == NULL || r->want == NULL) && m->nwanted >= m->cfg.maxroutes)
		return R_ROUTECAP;
	if ((t = tunnels_get(&m->tunnels, gateway)) == NULL)
		return R_TUNNELCAP;
	if (r == NULL && (r = mesh_route_new(m, addr, len)) == NULL) {
		/* A fresh tunnel nobody uses goes again on the next pass. */
		if (t->refs == 0)
			mesh_tunnel_dirty(m, t);
		return R_ROUTECAP;
	}
	mesh_route_want(m, r, t, clock);
	return R_NONE;
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

static void
mesh_unwant(struct mesh *m, struct route *r)
{
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
	mesh_unwant(m, r);
	return 1;
}

struct expiry {
	struct mesh	*m;
	uint32_t	 clock;
	uint32_t	 oldest;	/* oldest heard time kept, or 0 */
	size_t		 expired;
};

/* Unwanting frees nothing (reconcile does), so the walk is undisturbed. */
static int
expire_route(uint32_t addr, int len, void *value, void *arg)
{
	struct expiry *x = arg;
	struct route *r = value;

	(void)addr;
	(void)len;
	if (r->want == NULL)
		return 0;
	if (x->clock - r->heard >= x->m->cfg.expiry) {
		mesh_unwant(x->m, r);
		x->expired++;
	} else if (x->oldest == 0 || r->heard < x->oldest)
		x->oldest = r->heard;
	return 0;
}

size_t
mesh_expire(struct mesh *m, time_t now)
{
	struct expiry x = { .m = m };

	x.clock = mesh_clock(m, now);
	if (m->next_expiry == 0 || x.clock < m->next_expiry)
		return 0;
	ptree_walk(m->routes, expire_route, &x);
	m->next_expiry = x.oldest ? x.oldest + (uint32_t)m->cfg.expiry : 0;
	return x.expired;
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
	void	(*fn)(void *, const struct mesh_route_view *);
	void	 *arg;
};

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
	v.addr = r->addr;
	v.len = r->len;
	v.gateway = r->want->remote;
	v.unit = r->want->unit;
	v.installed = r->inst == r->want && (r->want->flags & TUN_INSTALLED);
	f->fn(f->arg, &v);
	return 0;
}

void
mesh_foreach(const struct mesh *m,
    void (*fn)(void *, const struct mesh_route_view *), void *arg)
{
	struct foreach f = { fn, arg };

	ptree_walk(m->routes, foreach_route, &f);
}

size_t
mesh_memory(const struct mesh *m)
{
	return sizeof(*m) + ptree_memory(m->routes) + m->store.bytes +
	    tunnels_memory(&m->tunnels) +
	    (m->rdirty.cap + m->tdirty.cap) * sizeof(void *);
}
