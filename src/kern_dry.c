/*
 * The dry-run kernel backend: changes nothing, prints each operation that
 * succeeds as one line, and keeps a model of what a kernel would hold so
 * that it refuses what a kernel would refuse.
 *
 * Tunnels live in a hash of units; each unit also heads a list of the
 * routes through it, so that deleting a tunnel drops its routes without a
 * walk of the whole table.  Routes live in a PATRICIA trie by prefix;
 * other owners' routes in a second trie, a slot of their own as a route
 * of another priority has in OpenBSD's table (rtable_insert() in
 * sys/net/rtable.c keeps one route per prefix and priority).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "kern.h"
#include "kern_dry.h"
#include "patricia.h"

#define DRY_MIN_BUCKET_BITS	6
#define DRY_FIRST_IFINDEX	10	/* past lo0 and the hardware */

struct dry_route {
	struct kern_route	 route;
	struct dry_route	*prev;		/* in the list of its unit */
	struct dry_route	*next;
};

/* A unit present in the model: it has a tunnel, routes, or both (a preset
 * route may name a unit before its tunnel is preset). */
struct dry_unit {
	int			 unit;
	int			 has_tunnel;
	struct kern_tunnel	 tunnel;
	struct dry_route	*routes;
	struct dry_unit		*hnext;
};

struct dry_fail {
	enum kern_dry_op	 op;
	int			 unit;
	uint32_t		 addr;
	int			 len;
	int			 errnum;
	int			 count;
	struct dry_fail		*next;
};

struct dry_ctx {
	struct kern_config	 config;
	FILE			*out;
	int			 model;

	struct dry_unit		**buckets;
	unsigned int		 bucket_bits;
	size_t			 nunits;
	size_t			 ntunnels;
	struct ptree		*routes;
	struct ptree		*foreign;	/* struct kern_route */
	enum kern_dry_rules	 rules;
	int			 next_ifindex;

	struct dry_fail		*fails;		/* in order of injection */
	struct kern_event	*events;
	size_t			 nevents;
	size_t			 events_cap;
	unsigned long		 counts[KERN_DRY_NOPS];
};

static void	*dry_open(const struct kern_config *, char *, size_t);
static void	 dry_close(void *);
static int	 dry_tunnel_add(void *, struct kern_tunnel *);
static int	 dry_tunnel_delete(void *, int);
static int	 dry_tunnel_modify(void *, const struct kern_tunnel *,
		    unsigned int);
static int	 dry_route_add(void *, const struct kern_route *);
static int	 dry_route_change(void *, const struct kern_route *);
static int	 dry_route_delete(void *, const struct kern_route *);
static int	 dry_scan(void *, kern_tunnel_cb, kern_route_cb, void *);
static int	 dry_event_fd(void *);
static int	 dry_events(void *, kern_event_cb, void *);

const struct kern_ops kern_dry_ops = {
	.name = "dry",
	.open = dry_open,
	.close = dry_close,
	.tunnel_add = dry_tunnel_add,
	.tunnel_delete = dry_tunnel_delete,
	.tunnel_modify = dry_tunnel_modify,
	.route_add = dry_route_add,
	.route_change = dry_route_change,
	.route_delete = dry_route_delete,
	.scan = dry_scan,
	.event_fd = dry_event_fd,
	.events = dry_events
};

static size_t
unit_bucket(const struct dry_ctx *ctx, int unit)
{
	/* Fibonacci hashing: the top bits of the product mix all of unit. */
	return ((uint32_t)unit * 2654435761u) >> (32 - ctx->bucket_bits);
}

static struct dry_unit *
unit_find(const struct dry_ctx *ctx, int unit)
{
	struct dry_unit	*u;

	if (ctx->buckets == NULL)
		return NULL;
	for (u = ctx->buckets[unit_bucket(ctx, unit)]; u != NULL; u = u->hnext)
		if (u->unit == unit)
			return u;
	return NULL;
}

static int
unit_grow(struct dry_ctx *ctx)
{
	struct dry_unit	**old = ctx->buckets, **nb, *u, *next;
	unsigned int	  oldbits = ctx->bucket_bits, bits;
	size_t		  i, oldn;

	bits = old == NULL ? DRY_MIN_BUCKET_BITS : oldbits + 1;
	if (bits > 24)
		return 0;	/* chains just get longer */
	if ((nb = calloc((size_t)1 << bits, sizeof(*nb))) == NULL)
		return old == NULL ? -1 : 0;
	ctx->buckets = nb;
	ctx->bucket_bits = bits;
	oldn = old == NULL ? 0 : (size_t)1 << oldbits;
	for (i = 0; i < oldn; i++) {
		for (u = old[i]; u != NULL; u = next) {
			next = u->hnext;
			u->hnext = nb[unit_bucket(ctx, u->unit)];
			nb[unit_bucket(ctx, u->unit)] = u;
		}
	}
	free(old);
	return 0;
}

static struct dry_unit *
unit_get(struct dry_ctx *ctx, int unit)
{
	struct dry_unit	*u;
	size_t		 b;

	if ((u = unit_find(ctx, unit)) != NULL)
		return u;
	if (ctx->buckets == NULL ||
	    ctx->nunits >= ((size_t)1 << ctx->bucket_bits))
		if (unit_grow(ctx) == -1)
			return NULL;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	u->unit = unit;
	b = unit_bucket(ctx, unit);
	u->hnext = ctx->buckets[b];
	ctx->buckets[b] = u;
	ctx->nunits++;
	return u;
}

/* Frees u once it holds neither a tunnel nor routes. */
static void
unit_release(struct dry_ctx *ctx, struct dry_unit *u)
{
	struct dry_unit	**pp;

	if (u->has_tunnel || u->routes != NULL)
		return;
	for (pp = &ctx->buckets[unit_bucket(ctx, u->unit)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == u) {
			*pp = u->hnext;
			ctx->nunits--;
			free(u);
			return;
		}
	}
}

static void
route_link(struct dry_unit *u, struct dry_route *dr)
{
	dr->prev = NULL;
	dr->next = u->routes;
	if (u->routes != NULL)
		u->routes->prev = dr;
	u->routes = dr;
}

static void
route_unlink(struct dry_unit *u, struct dry_route *dr)
{
	if (dr->prev != NULL)
		dr->prev->next = dr->next;
	else
		u->routes = dr->next;
	if (dr->next != NULL)
		dr->next->prev = dr->prev;
	dr->prev = dr->next = NULL;
}

/* Drops the tunnel of unit and every route through it from the model. */
static void
unit_purge(struct dry_ctx *ctx, int unit)
{
	struct dry_unit		*u;
	struct dry_route	*dr;

	if ((u = unit_find(ctx, unit)) == NULL)
		return;
	while ((dr = u->routes) != NULL) {
		route_unlink(u, dr);
		ptree_remove(ctx->routes, dr->route.addr, dr->route.len);
		free(dr);
	}
	if (u->has_tunnel) {
		u->has_tunnel = 0;
		ctx->ntunnels--;
	}
	unit_release(ctx, u);
}

static void
model_clear(struct dry_ctx *ctx)
{
	struct dry_unit	*u, *next;
	size_t		 i, n;

	n = ctx->buckets == NULL ? 0 : (size_t)1 << ctx->bucket_bits;
	for (i = 0; i < n; i++) {
		for (u = ctx->buckets[i]; u != NULL; u = next) {
			next = u->hnext;
			free(u);
		}
	}
	free(ctx->buckets);
	ctx->buckets = NULL;
	ctx->bucket_bits = 0;
	ctx->nunits = 0;
	ctx->ntunnels = 0;
	if (ctx->routes != NULL) {
		ptree_free(ctx->routes, free);
		ctx->routes = NULL;
	}
	if (ctx->foreign != NULL) {
		ptree_free(ctx->foreign, free);
		ctx->foreign = NULL;
	}
}

static void
queue_event(struct dry_ctx *ctx, enum kern_event_type type, int unit,
    int ifindex)
{
	struct kern_event	*ev;
	size_t			 cap;

	if (ctx->nevents == ctx->events_cap) {
		cap = ctx->events_cap == 0 ? 8 : ctx->events_cap * 2;
		if ((ev = reallocarray(ctx->events, cap, sizeof(*ev))) == NULL)
			return;
		ctx->events = ev;
		ctx->events_cap = cap;
	}
	ev = &ctx->events[ctx->nevents++];
	ev->type = type;
	ev->unit = unit;
	ev->ifindex = ifindex;
}

/*
 * What the kernel reports when a gif goes, whoever destroyed it.  OpenBSD:
 * if_clone_destroy() brings it down (RTM_IFINFO) before if_detach() sends
 * RTM_IFANNOUNCE departure (sys/net/if.c), both carrying the old index and
 * read by the daemon only later, maybe after it made the unit again.
 */
static void
queue_destroyed(struct dry_ctx *ctx, int unit, int ifindex, int up)
{
	if (ctx->rules == KERN_DRY_RULES_OPENBSD && up)
		queue_event(ctx, KERN_EV_DOWN, unit, ifindex);
	queue_event(ctx, KERN_EV_GONE, unit, ifindex);
}

static int
foreign_holds(const struct dry_ctx *ctx, uint32_t addr, int len)
{
	return ctx->foreign != NULL && ptree_find(ctx->foreign, addr, len) !=
	    NULL;
}

/* The gif's IPv4 address is the gateway of routes through it (OpenBSD). */
static int
route_target(const struct dry_ctx *ctx, int unit)
{
	struct dry_unit	*u;

	if ((u = unit_find(ctx, unit)) == NULL || !u->has_tunnel)
		return ENETUNREACH;
	if (ctx->rules == KERN_DRY_RULES_OPENBSD && u->tunnel.addr44 == 0)
		return EADDRNOTAVAIL;
	return 0;
}

static int
valid_route(const struct kern_route *r)
{
	return r != NULL && r->len >= 0 && r->len <= 32 && r->unit >= 0;
}

/*
 * Consumes one injected failure matching the operation, if any, and
 * returns its errno; 0 when none applies.
 */
static int
injected(struct dry_ctx *ctx, enum kern_dry_op op, int unit, uint32_t addr,
    int len)
{
	struct dry_fail	**pp, *f;
	int		  errnum;

	for (pp = &ctx->fails; (f = *pp) != NULL; pp = &f->next) {
		if (f->op != op)
			continue;
		if (f->unit >= 0 && f->unit != unit)
			continue;
		if (f->len >= 0 && len >= 0 && (f->len != len ||
		    f->addr != (addr & ptree_mask(len))))
			continue;
		errnum = f->errnum;
		if (--f->count == 0) {
			*pp = f->next;
			free(f);
		}
		return errnum;
	}
	return 0;
}

static void
emit_tunnel_add(struct dry_ctx *ctx, const struct kern_tunnel *t)
{
	char	local[ADDR_STRLEN], remote[ADDR_STRLEN];

	if (ctx->out == NULL)
		return;
	fprintf(ctx->out,
	    "tunnel add gif%d local %s remote %s rdomain %d tunneldomain %d",
	    t->unit, fmt_addr(t->local, local), fmt_addr(t->remote, remote),
	    t->rdomain, t->tunneldomain);
	if (t->mtu > 0)
		fprintf(ctx->out, " mtu %d", t->mtu);
	fprintf(ctx->out, "\n");
	fflush(ctx->out);
}

static void
emit_route(struct dry_ctx *ctx, const char *verb, uint32_t addr, int len,
    int unit)
{
	char	pfx[PREFIX_STRLEN];

	if (ctx->out == NULL)
		return;
	fmt_prefix(addr, len, pfx);
	if (unit >= 0)
		fprintf(ctx->out, "route %s %s gif%d rdomain %d\n", verb, pfx,
		    unit, ctx->config.rdomain);
	else
		fprintf(ctx->out, "route %s %s rdomain %d\n", verb, pfx,
		    ctx->config.rdomain);
	fflush(ctx->out);
}

static void *
dry_open(const struct kern_config *config, char *err, size_t errlen)
{
	struct dry_ctx	*ctx;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "dry-run backend: %s",
			    strerror(errno));
		return NULL;
	}
	if (config != NULL)
		ctx->config = *config;
	ctx->out = stdout;
	ctx->model = 1;
	ctx->next_ifindex = DRY_FIRST_IFINDEX;
	return ctx;
}

static void
dry_close(void *arg)
{
	struct dry_ctx	*ctx = arg;
	struct dry_fail	*f;

	if (ctx == NULL)
		return;
	model_clear(ctx);
	while ((f = ctx->fails) != NULL) {
		ctx->fails = f->next;
		free(f);
	}
	free(ctx->events);
	free(ctx);
}

static int
dry_tunnel_add(void *arg, struct kern_tunnel *t)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u;
	int		 error;

	if (t == NULL || t->unit < 0)
		return EINVAL;
	if ((error = injected(ctx, KERN_DRY_TUNNEL_ADD, t->unit, 0, -1)) != 0)
		return error;
	if (ctx->model) {
		if ((u = unit_find(ctx, t->unit)) != NULL && u->has_tunnel)
			return EEXIST;
		if (u == NULL && (u = unit_get(ctx, t->unit)) == NULL)
			return ENOMEM;
		u->has_tunnel = 1;
		u->tunnel = *t;
		u->tunnel.up = 1;	/* as the real backends bring it up */
		u->tunnel.marked = 1;
		u->tunnel.ifindex = ctx->next_ifindex++;
		t->ifindex = u->tunnel.ifindex;
		ctx->ntunnels++;
	} else
		t->ifindex = ctx->next_ifindex++;
	ctx->counts[KERN_DRY_TUNNEL_ADD]++;
	emit_tunnel_add(ctx, t);
	return 0;
}

static int
dry_tunnel_delete(void *arg, int unit)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u;
	int		 error;

	if (unit < 0)
		return EINVAL;
	if ((error = injected(ctx, KERN_DRY_TUNNEL_DELETE, unit, 0, -1)) != 0)
		return error;
	if (ctx->model) {
		if ((u = unit_find(ctx, unit)) == NULL || !u->has_tunnel)
			return ENXIO;
		/* Our own destroy is reported like anybody's (OpenBSD). */
		if (ctx->rules == KERN_DRY_RULES_OPENBSD)
			queue_destroyed(ctx, unit, u->tunnel.ifindex,
			    u->tunnel.up);
		unit_purge(ctx, unit);
	}
	ctx->counts[KERN_DRY_TUNNEL_DELETE]++;
	if (ctx->out != NULL) {
		fprintf(ctx->out, "tunnel delete gif%d\n", unit);
		fflush(ctx->out);
	}
	return 0;
}

static int
dry_tunnel_modify(void *arg, const struct kern_tunnel *t, unsigned int what)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u = NULL;
	char		 a[ADDR_STRLEN];
	int		 error;

	if (t == NULL || t->unit < 0 || what == 0 ||
	    (what & ~(KERN_TUN_ADDR44 | KERN_TUN_MARK | KERN_TUN_LOCAL |
	    KERN_TUN_MTU)) != 0 || ((what & KERN_TUN_ADDR44) &&
	    t->addr44 == 0) || ((what & KERN_TUN_MTU) && t->mtu <= 0))
		return EINVAL;
	if ((error = injected(ctx, KERN_DRY_TUNNEL_MODIFY, t->unit, 0,
	    -1)) != 0)
		return error;
	if (ctx->model) {
		if ((u = unit_find(ctx, t->unit)) == NULL || !u->has_tunnel)
			return ENXIO;
		if (what & KERN_TUN_ADDR44)
			u->tunnel.addr44 = t->addr44;
		if (what & KERN_TUN_MARK)
			u->tunnel.marked = 1;
		if (what & KERN_TUN_LOCAL)
			u->tunnel.local = t->local;
		if (what & KERN_TUN_MTU)
			u->tunnel.mtu = t->mtu;
	}
	ctx->counts[KERN_DRY_TUNNEL_MODIFY]++;
	if (ctx->out == NULL)
		return 0;
	fprintf(ctx->out, "tunnel modify gif%d", t->unit);
	if (what & KERN_TUN_ADDR44)
		fprintf(ctx->out, " address %s", fmt_addr(t->addr44, a));
	if (what & KERN_TUN_MARK)
		fprintf(ctx->out, " mark");
	if (what & KERN_TUN_LOCAL)
		fprintf(ctx->out, " local %s", fmt_addr(t->local, a));
	if (what & KERN_TUN_MTU)
		fprintf(ctx->out, " mtu %d", t->mtu);
	fprintf(ctx->out, "\n");
	fflush(ctx->out);
	return 0;
}

/* Stores (or moves) the route addr/len to unit. */
static int
model_put_route(struct dry_ctx *ctx, const struct kern_route *r,
    uint32_t addr, int rdomain)
{
	struct dry_route	*dr;
	struct dry_unit		*u, *oldu;

	if (ctx->routes == NULL && (ctx->routes = ptree_new()) == NULL)
		return ENOMEM;
	if ((u = unit_get(ctx, r->unit)) == NULL)
		return ENOMEM;
	if ((dr = ptree_find(ctx->routes, addr, r->len)) != NULL) {
		if (dr->route.unit != r->unit) {
			oldu = unit_find(ctx, dr->route.unit);
			route_unlink(oldu, dr);
			route_link(u, dr);
			unit_release(ctx, oldu);
		}
	} else {
		if ((dr = calloc(1, sizeof(*dr))) == NULL ||
		    ptree_insert(ctx->routes, addr, r->len, dr, NULL) == -1) {
			free(dr);
			unit_release(ctx, u);
			return ENOMEM;
		}
		route_link(u, dr);
	}
	dr->route.addr = addr;
	dr->route.len = r->len;
	dr->route.unit = r->unit;
	dr->route.rdomain = rdomain;
	return 0;
}

static int
dry_route_add(void *arg, const struct kern_route *r)
{
	struct dry_ctx	*ctx = arg;
	uint32_t	 addr;
	int		 error;

	if (!valid_route(r))
		return EINVAL;
	addr = r->addr & ptree_mask(r->len);
	if ((error = injected(ctx, KERN_DRY_ROUTE_ADD, r->unit, addr,
	    r->len)) != 0)
		return error;
	if (ctx->model) {
		/* As in a kernel: the interface is resolved first. */
		if ((error = route_target(ctx, r->unit)) != 0)
			return error;
		if (ctx->routes != NULL &&
		    ptree_find(ctx->routes, addr, r->len) != NULL)
			return EEXIST;
		if (foreign_holds(ctx, addr, r->len))
			return EADDRINUSE;
		if ((error = model_put_route(ctx, r, addr,
		    ctx->config.rdomain)) != 0)
			return error;
	}
	ctx->counts[KERN_DRY_ROUTE_ADD]++;
	emit_route(ctx, "add", addr, r->len, r->unit);
	return 0;
}

static int
dry_route_change(void *arg, const struct kern_route *r)
{
	struct dry_ctx	*ctx = arg;
	uint32_t	 addr;
	int		 error;

	if (!valid_route(r))
		return EINVAL;
	addr = r->addr & ptree_mask(r->len);
	if ((error = injected(ctx, KERN_DRY_ROUTE_CHANGE, r->unit, addr,
	    r->len)) != 0)
		return error;
	if (ctx->model) {
		/* Like a kernel: the route is looked up first. */
		if (ctx->routes == NULL ||
		    ptree_find(ctx->routes, addr, r->len) == NULL)
			return ESRCH;
		if ((error = route_target(ctx, r->unit)) != 0)
			return error;
		if ((error = model_put_route(ctx, r, addr,
		    ctx->config.rdomain)) != 0)
			return error;
	}
	ctx->counts[KERN_DRY_ROUTE_CHANGE]++;
	emit_route(ctx, "change", addr, r->len, r->unit);
	return 0;
}

static int
dry_route_delete(void *arg, const struct kern_route *r)
{
	struct dry_ctx		*ctx = arg;
	struct dry_route	*dr;
	struct dry_unit		*u;
	uint32_t		 addr;
	int			 error;

	if (r == NULL || r->len < 0 || r->len > 32)
		return EINVAL;
	addr = r->addr & ptree_mask(r->len);
	if ((error = injected(ctx, KERN_DRY_ROUTE_DELETE, r->unit, addr,
	    r->len)) != 0)
		return error;
	if (ctx->model) {
		if (ctx->routes == NULL ||
		    (dr = ptree_remove(ctx->routes, addr, r->len)) == NULL)
			return ESRCH;
		u = unit_find(ctx, dr->route.unit);
		route_unlink(u, dr);
		unit_release(ctx, u);
		free(dr);
	}
	ctx->counts[KERN_DRY_ROUTE_DELETE]++;
	emit_route(ctx, "delete", addr, r->len, -1);
	return 0;
}

static int
tunnel_cmp(const void *a, const void *b)
{
	const struct kern_tunnel	*ta = a, *tb = b;

	return (ta->unit > tb->unit) - (ta->unit < tb->unit);
}

/*
 * Tunnels are copied out and sorted first, and each route is copied before
 * its callback, so callbacks may change the model.
 */
static int
dry_scan(void *arg, kern_tunnel_cb tcb, kern_route_cb rcb, void *cbarg)
{
	struct dry_ctx		*ctx = arg;
	struct kern_tunnel	*tunnels = NULL;
	struct kern_route	 route;
	struct dry_route	*dr;
	struct dry_unit		*u;
	size_t			 i, n = 0, nb;
	uint32_t		 addr;
	int			 len;

	if (!ctx->model)
		return 0;
	if (tcb != NULL && ctx->ntunnels > 0) {
		if ((tunnels = calloc(ctx->ntunnels, sizeof(*tunnels))) ==
		    NULL)
			return ENOMEM;
		nb = (size_t)1 << ctx->bucket_bits;
		for (i = 0; i < nb; i++)
			for (u = ctx->buckets[i]; u != NULL; u = u->hnext)
				if (u->has_tunnel)
					tunnels[n++] = u->tunnel;
		qsort(tunnels, n, sizeof(*tunnels), tunnel_cmp);
		for (i = 0; i < n; i++)
			tcb(cbarg, &tunnels[i]);
		free(tunnels);
	}
	if (rcb == NULL || ctx->routes == NULL)
		return 0;
	for (dr = ptree_first(ctx->routes, &addr, &len); dr != NULL;
	    dr = ptree_next(ctx->routes, &addr, &len)) {
		route = dr->route;
		rcb(cbarg, &route);
		/* A callback may have cleared the model. */
		if (ctx->routes == NULL)
			break;
	}
	return 0;
}

static int
dry_event_fd(void *arg)
{
	(void)arg;
	return -1;
}

static int
dry_events(void *arg, kern_event_cb cb, void *cbarg)
{
	struct dry_ctx		*ctx = arg;
	struct kern_event	*events = ctx->events;
	size_t			 i, n = ctx->nevents;

	/* Taken off the queue first: what callbacks queue waits a round. */
	ctx->events = NULL;
	ctx->nevents = ctx->events_cap = 0;
	for (i = 0; i < n; i++)
		if (cb != NULL)
			cb(cbarg, &events[i]);
	free(events);
	return 0;
}

void
kern_dry_set_output(void *arg, FILE *out)
{
	struct dry_ctx	*ctx = arg;

	ctx->out = out;
}

void
kern_dry_set_model(void *arg, int on)
{
	struct dry_ctx	*ctx = arg;

	if (!on)
		model_clear(ctx);
	ctx->model = on != 0;
}

void
kern_dry_fail(void *arg, enum kern_dry_op op, int unit, uint32_t addr,
    int len, int errnum, int count)
{
	struct dry_ctx	*ctx = arg;
	struct dry_fail	*f, **pp;

	if ((int)op < 0 || op >= KERN_DRY_NOPS || errnum <= 0 || count <= 0 ||
	    len > 32)
		return;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return;
	f->op = op;
	f->unit = unit < 0 ? -1 : unit;
	f->len = len < 0 ? -1 : len;
	f->addr = len < 0 ? 0 : addr & ptree_mask(len);
	f->errnum = errnum;
	f->count = count;
	for (pp = &ctx->fails; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = f;
}

void
kern_dry_preset_tunnel(void *arg, const struct kern_tunnel *t)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u;

	if (!ctx->model || t == NULL || t->unit < 0)
		return;
	if ((u = unit_get(ctx, t->unit)) == NULL)
		return;
	if (!u->has_tunnel)
		ctx->ntunnels++;
	u->has_tunnel = 1;
	u->tunnel = *t;
	if (u->tunnel.ifindex <= 0)
		u->tunnel.ifindex = ctx->next_ifindex++;
	else if (u->tunnel.ifindex >= ctx->next_ifindex)
		ctx->next_ifindex = u->tunnel.ifindex + 1;
}

void
kern_dry_preset_foreign_route(void *arg, const struct kern_route *r)
{
	struct dry_ctx		*ctx = arg;
	struct kern_route	*fr;
	uint32_t		 addr;

	if (!ctx->model || r == NULL || r->len < 0 || r->len > 32)
		return;
	addr = r->addr & ptree_mask(r->len);
	if (ctx->foreign == NULL && (ctx->foreign = ptree_new()) == NULL)
		return;
	if ((fr = ptree_find(ctx->foreign, addr, r->len)) == NULL) {
		if ((fr = calloc(1, sizeof(*fr))) == NULL)
			return;
		if (ptree_insert(ctx->foreign, addr, r->len, fr, NULL) == -1) {
			free(fr);
			return;
		}
	}
	*fr = *r;
	fr->addr = addr;
}

int
kern_dry_get_foreign_route(void *arg, uint32_t addr, int len,
    struct kern_route *r)
{
	struct dry_ctx		*ctx = arg;
	struct kern_route	*fr;

	if (ctx->foreign == NULL || len < 0 || len > 32 ||
	    (fr = ptree_find(ctx->foreign, addr & ptree_mask(len), len)) ==
	    NULL)
		return 0;
	if (r != NULL)
		*r = *fr;
	return 1;
}

void
kern_dry_set_rules(void *arg, enum kern_dry_rules rules)
{
	struct dry_ctx	*ctx = arg;

	ctx->rules = rules;
}

void
kern_dry_appear(void *arg, const struct kern_tunnel *t)
{
	struct dry_ctx		*ctx = arg;
	struct kern_tunnel	 nt;
	struct dry_unit		*u;

	if (t == NULL || t->unit < 0)
		return;
	nt = *t;
	nt.ifindex = 0;		/* a new interface, a new index */
	kern_dry_preset_tunnel(ctx, &nt);
	if ((u = unit_find(ctx, t->unit)) != NULL && u->has_tunnel)
		queue_event(ctx, KERN_EV_NEW, t->unit, u->tunnel.ifindex);
}

void
kern_dry_bring_down(void *arg, int unit)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u;

	if ((u = unit_find(ctx, unit)) == NULL || !u->has_tunnel)
		return;
	u->tunnel.up = 0;
	queue_event(ctx, KERN_EV_DOWN, unit, u->tunnel.ifindex);
}

void
kern_dry_drop_route(void *arg, uint32_t addr, int len)
{
	struct dry_ctx		*ctx = arg;
	struct dry_route	*dr;
	struct dry_unit		*u;

	if (len < 0 || len > 32)
		return;
	addr &= ptree_mask(len);
	if (ctx->routes == NULL ||
	    (dr = ptree_remove(ctx->routes, addr, len)) == NULL) {
		/* Not ours: another owner's goes. */
		if (ctx->foreign != NULL)
			free(ptree_remove(ctx->foreign, addr, len));
		return;
	}
	if ((u = unit_find(ctx, dr->route.unit)) != NULL) {
		route_unlink(u, dr);
		unit_release(ctx, u);
	}
	free(dr);
}

void
kern_dry_preset_route(void *arg, const struct kern_route *r)
{
	struct dry_ctx	*ctx = arg;

	if (!ctx->model || !valid_route(r))
		return;
	(void)model_put_route(ctx, r, r->addr & ptree_mask(r->len),
	    r->rdomain);
}

void
kern_dry_vanish(void *arg, int unit)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u;
	int		 ifindex = 0, up = 0;

	if ((u = unit_find(ctx, unit)) != NULL && u->has_tunnel) {
		ifindex = u->tunnel.ifindex;
		up = u->tunnel.up;
	}
	if (ctx->model)
		unit_purge(ctx, unit);
	queue_destroyed(ctx, unit, ifindex, up);
}

int
kern_dry_get_tunnel(void *arg, int unit, struct kern_tunnel *t)
{
	struct dry_ctx	*ctx = arg;
	struct dry_unit	*u;

	if ((u = unit_find(ctx, unit)) == NULL || !u->has_tunnel)
		return 0;
	if (t != NULL)
		*t = u->tunnel;
	return 1;
}

int
kern_dry_get_route(void *arg, uint32_t addr, int len, struct kern_route *r)
{
	struct dry_ctx		*ctx = arg;
	struct dry_route	*dr;

	if (ctx->routes == NULL || len < 0 || len > 32)
		return 0;
	if ((dr = ptree_find(ctx->routes, addr & ptree_mask(len), len)) ==
	    NULL)
		return 0;
	if (r != NULL)
		*r = dr->route;
	return 1;
}

size_t
kern_dry_ntunnels(void *arg)
{
	struct dry_ctx	*ctx = arg;

	return ctx->ntunnels;
}

size_t
kern_dry_nroutes(void *arg)
{
	struct dry_ctx	*ctx = arg;

	return ctx->routes == NULL ? 0 : ptree_count(ctx->routes);
}

unsigned long
kern_dry_count(void *arg, enum kern_dry_op op)
{
	struct dry_ctx	*ctx = arg;

	if ((int)op < 0 || op >= KERN_DRY_NOPS)
		return 0;
	return ctx->counts[op];
}
