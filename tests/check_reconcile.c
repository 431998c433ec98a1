/*
 * A bounded, exhaustive model checker for the reconciler's promises.
 *
 * It drives the real mesh (mesh.c, reconcile.c, adopt.c) through a thin
 * struct kern_ops that forwards every call to the dry-run backend, whose
 * model stands for the kernel; the wrapper only counts, records and makes
 * operations fail (through kern_dry_fail()).  From the daemon's start-up
 * it tries every sequence of events up to a depth, breadth first, and
 * skips a state it has seen already (a 64-bit hash of the kernel model and
 * of the mesh's own records, times taken relative to the mesh clock).
 *
 * The world: 3 or 4 prefixes (the second nested in the first), 2 or 3
 * gateways, unit 0 reserved (-s 0) and held by the operator's gif0 (a
 * catch-all, or with -g a tunnel to the first gateway), and gif2 made by
 * somebody else (another local address: not ours).  Events:
 *   D<digits>	a datagram: per prefix 0 absent, 1..3 via that gateway,
 *		x metric 16; then expiry and a pass, as ingest_datagram()
 *   T		the daemon's timer: the clock goes to mesh_next_event()
 *   E		an expiry tick: the clock moves past -x, then the timer
 *   V<u>	gif<u> destroyed behind our back (the kernel queues events)
 *   W<u>	gif<u> brought down behind our back (likewise)
 *   K		the daemon reads the queued kernel events, then a pass
 *   X<p>	the route of prefix p deleted by hand (nobody tells us)
 *   H		SIGHUP: re-scan, then a pass
 *   R		restart: the mesh is thrown away, a new one adopts
 *   F<k>	from now on every operation of kind k (enum kern_dry_op)
 *		fails, until faults stop
 * and any event that issues operations may have its n-th one fail once
 * ("!n").  Injected errnos are those a real kernel gives for a transient
 * failure: ENOMEM for an interface ioctl or link request, ENOBUFS for a
 * routing socket or netlink message.  The errnos the reconciler treats
 * specially (EEXIST, ESRCH, ENXIO, ENETUNREACH, OpenBSD's EADDRNOTAVAIL)
 * come only from the model,
 * when the kernel's state calls for them, as on a real kernel.
 *
 * The promises, checked after (or during) every step:
 *  1. No route in the kernel points at a gif that does not exist.
 *  2. No gif of ours is deleted while a route uses it, unless it is down
 *     (a repair deletes a downed gif to make it again: kern_ops has no way
 *     to bring one up); the reserved unit and the unmarked gif are never
 *     created, changed, deleted, and only a reserved tunnel is routed
 *     through.
 *  3. At most one gif of ours (or reserved) per remote; no two tunnels of
 *     the mesh share a unit.
 *  4. From a quiet state (nothing pending, no fault, no expiry due), a
 *     datagram that changes nothing wanted, or a SIGHUP that finds nothing
 *     wrong, issues no operation.
 *  5. From every state, once faults stop (and, if the kernel was changed
 *     silently, after the operator's SIGHUP), the queued kernel events
 *     read, ONE pass made after every backoff has run out (MESH_RETRY_MAX
 *     seconds) brings the kernel to exactly the wanted state; the events
 *     that pass caused are read and a further pass issues nothing.  One
 *     pass is the bound because a pass makes every wanted tunnel first,
 *     then syncs every route (whose tunnel now exists), then deletes the
 *     unused tunnels and the duplicates: nothing waits on a later pass
 *     unless an operation fails or a retry is not yet due.
 *  6. Exactly the fewest operations: from a quiet state with an honest
 *     kernel, a fault-free step issues exactly as many operations as the
 *     difference between the kernel before it and the wanted state after
 *     (a missing tunnel or route: one add; an unused tunnel or unwanted
 *     route: one delete; a route via the wrong gateway: one change); and
 *     the recovery of promise 5 costs exactly the difference between the
 *     kernel when faults stop and the wanted state.
 *  7. A restart issues no operation on anything that was already right:
 *     no add of a tunnel to a remote that had one, no delete of a tunnel
 *     still wanted, no operation on a route already via a tunnel to its
 *     wanted gateway.
 *
 * Each promise was shown to catch a planted bug: each plant was put in,
 * seen reported with the shortest sequence below, and taken out again.
 *  1. kern_dry.c, kern_dry_vanish(): the gif dropped from the model but
 *     not its routes (both real kernels drop the routes of a destroyed
 *     interface, so only a model bug can break promise 1):
 *     "D100 V1": prefix 0 routed via gif1, which does not exist.
 *  2. reconcile.c, route_sync(): a failed route change lets go of the old
 *     tunnel (inst unreferenced and cleared):
 *     "D100 D200!2": tunnel delete gif1 while the route of prefix 0 uses
 *     it.  And tunnel_unmake() without its TUN_RESERVED test, with -g:
 *     at start-up, tunnel delete on reserved gif0.
 *  3. unitmap.c, unitmap_alloc(): the unit handed out not marked used:
 *     "D210": two tunnels of the mesh hold gif1.
 *  4. adopt.c, repair_route(): the ROUTE_SEEN test dropped:
 *     "D100 H": 2 operations for an input that changes nothing.  And
 *     mesh_heard() re-wanting a route heard again with route_sync()
 *     without its "already installed" test: "D100 D100": 1 operation.
 *  5. reconcile.c, route_sync(): a failed route add or change not put
 *     back on the work list (return 0): "D100!2": faults stopped, a pass
 *     made, nothing pending, but prefix 0 not routed.
 *  6. reconcile.c, route_sync(): a move done as delete then add:
 *     "D100 D200": 4 operations where 3 do.
 *  7. adopt.c, adopt_route(): adopted routes not marked installed:
 *     "D100 R": restart did route add on prefix 0, already right.
 *
 * What it found in the code as it was (each fixed, with a test in
 * tests/test_mesh.c): a gif down and then destroyed (OpenBSD reports a
 * destroy so) deleted again before being made ("D100 V1", -o); a gif
 * brought down while its last route moved away made again, then deleted
 * ("D100 D200!1 W1"); a gif a re-scan found missing deleted before being
 * made ("D100 V1 H"); the backoff of a failed route operation kept when
 * the route was wanted elsewhere, delaying the new change (depth 4:
 * "D100 D200!2 D100 D200", and with -g "D100!1 V0 K D200"), and likewise
 * of a failed tunnel delete once the tunnel was used again ("D100 D200!3
 * D100 D200").
 *
 * Usage: check_reconcile [-go] [-d depth] [-p prefixes] [-w gateways]
 *	  [-r "sequence"]
 * -o: OpenBSD's rules in the model (Linux's by default); -r replays one
 * sequence, printing every operation, and checks it.  States are told
 * apart by a 64-bit hash: a collision (odds about states^2 / 2^65) could
 * only hide a state, never report a false violation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "kern.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "mesh_impl.h"
#include "patricia.h"

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))
#define LOCAL		A(23, 30, 150, 141)
#define OTHER_LOCAL	A(23, 30, 150, 142)
#define RDOMAIN		44
#define TUNNELDOMAIN	23
#define EXPIRY		60
#define T0		1000000
#define RESERVED_UNIT	0
#define FOREIGN_UNIT	2
#define MAX_PREFIXES	4
#define MAX_GATEWAYS	3
#define MAX_DEPTH	12
#define MAX_UNITS	16	/* units looked at in the model */
#define MAX_OPS		64	/* recorded per step */
#define METRIC16	(MAX_GATEWAYS + 1)

static const uint32_t prefix_addr[MAX_PREFIXES] = {
	A(44, 1, 0, 0), A(44, 1, 2, 0), A(44, 3, 0, 0), A(44, 4, 4, 0)
};
static const int prefix_len[MAX_PREFIXES] = { 16, 24, 24, 24 };
static const uint32_t gateway[MAX_GATEWAYS] = {
	A(198, 51, 100, 20), A(203, 0, 113, 7), A(192, 0, 2, 33)
};
static const int fault_errno[KERN_DRY_NOPS] = {
	[KERN_DRY_TUNNEL_ADD] = ENOMEM,
	[KERN_DRY_TUNNEL_DELETE] = ENOMEM,
	[KERN_DRY_ROUTE_ADD] = ENOBUFS,
	[KERN_DRY_ROUTE_CHANGE] = ENOBUFS,
	[KERN_DRY_ROUTE_DELETE] = ENOBUFS,
	[KERN_DRY_TUNNEL_MODIFY] = ENOMEM
};
static const char *const op_name[KERN_DRY_NOPS] = {
	[KERN_DRY_TUNNEL_ADD] = "tunnel add",
	[KERN_DRY_TUNNEL_DELETE] = "tunnel delete",
	[KERN_DRY_ROUTE_ADD] = "route add",
	[KERN_DRY_ROUTE_CHANGE] = "route change",
	[KERN_DRY_ROUTE_DELETE] = "route delete",
	[KERN_DRY_TUNNEL_MODIFY] = "tunnel modify"
};

enum ev_kind {
	EV_DGRAM, EV_TIMER, EV_EXPIRE, EV_VANISH, EV_DOWN, EV_KERNEL,
	EV_DROP, EV_HUP, EV_RESTART, EV_FAULT
};

/* How events are written, by enum ev_kind; D is written apart. */
static const char ev_letter[] = "DTEVWKXHRF";

static int
ev_has_arg(int kind)
{
	return kind == EV_VANISH || kind == EV_DOWN || kind == EV_DROP ||
	    kind == EV_FAULT;
}

struct event {
	uint8_t		kind;
	uint8_t		failat;		/* 1-based operation to fail; 0 none */
	uint16_t	arg;
};

struct world {
	int		nprefixes;
	int		ngateways;
	int		reserved_to_gw;	/* gif0 tunnels to gateway 0 */
	int		openbsd;	/* the model follows OpenBSD's rules */
};

#define MAX_QUEUE	16

struct op_rec {
	enum kern_dry_op op;
	int		 unit;
	int		 prefix;	/* world index, -1 for tunnels */
	int		 err;
};

/* What the kernel model holds, by world prefix and unit. */
struct kstate {
	int		route_unit[MAX_PREFIXES];	/* -1 none */
	int		has[MAX_UNITS];
	uint32_t	remote[MAX_UNITS];
	uint32_t	local[MAX_UNITS];
	int		up[MAX_UNITS];
	int		ifindex[MAX_UNITS];
	int		marked[MAX_UNITS];
	uint32_t	addr44[MAX_UNITS];
};

/*
 * What the mesh wants: per prefix the gateway address, 0 for none, or
 * WAITS for a route waiting for the operator's gif: no route, or still
 * the one it had, are both right.
 */
#define WAITS		UINT32_MAX

struct wanted {
	uint32_t	gw[MAX_PREFIXES];
};

struct checker {
	const struct world *w;
	void		*dry;
	struct mesh	*m;
	time_t		 now;
	unsigned	 faults;	/* kinds failing until faults stop */
	int		 silent;	/* changed by hand since the last scan */
	int		 failat;
	int		 nops;
	int		 injected;	/* an operation of this step failed */
	int		 nrec;
	struct op_rec	 rec[MAX_OPS];
	struct kern_event queue[MAX_QUEUE];	/* events not yet read */
	int		 nqueue;
	int		 violated;
	char		 why[512];
	FILE		*trace;
};

static const struct kern_ops check_ops;

/* How often each promise was checked (index 1..7), replays included. */
static unsigned long judged[8];

static void
violation(struct checker *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
violation(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->violated)
		return;
	c->violated = 1;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static int
prefix_index(const struct world *w, uint32_t addr, int len)
{
	int i;

	for (i = 0; i < w->nprefixes; i++)
		if (prefix_addr[i] == (addr & ptree_mask(len)) &&
		    prefix_len[i] == len)
			return i;
	return -1;
}

static void
kernel_read(struct checker *c, struct kstate *k)
{
	struct kern_tunnel kt;
	struct kern_route kr;
	int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < c->w->nprefixes; i++)
		k->route_unit[i] = kern_dry_get_route(c->dry, prefix_addr[i],
		    prefix_len[i], &kr) ? kr.unit : -1;
	for (i = 0; i < MAX_UNITS; i++) {
		if (!kern_dry_get_tunnel(c->dry, i, &kt))
			continue;
		k->has[i] = 1;
		k->remote[i] = kt.remote;
		k->local[i] = kt.local;
		k->up[i] = kt.up;
		k->ifindex[i] = kt.ifindex;
		k->marked[i] = kt.marked;
		k->addr44[i] = kt.addr44;
	}
}

/* A gif we may route through: ours or the reserved one, to a remote. */
static int
usable(const struct kstate *k, int unit)
{
	return unit >= 0 && unit < MAX_UNITS && k->has[unit] &&
	    k->local[unit] == LOCAL && k->remote[unit] != 0 &&
	    (k->up[unit] || unit == RESERVED_UNIT);
}

/* A gif of ours (neither the operator's nor somebody else's). */
static int
ours(const struct kstate *k, int unit)
{
	return unit >= 0 && unit < MAX_UNITS && k->has[unit] &&
	    k->local[unit] == LOCAL && unit != RESERVED_UNIT;
}

static int
foreign(const struct kstate *k, int unit)
{
	return unit >= 0 && unit < MAX_UNITS && k->has[unit] &&
	    k->local[unit] != LOCAL;
}

struct view {
	const struct world	*w;
	struct wanted		*wt;
};

static void
view_route(void *arg, const struct mesh_route_view *v)
{
	struct view *vw = arg;
	int i = prefix_index(vw->w, v->addr, v->len);

	if (i >= 0)
		vw->wt->gw[i] = v->gateway;
}

static void
wanted_raw(struct checker *c, struct wanted *wt)
{
	struct view vw = { c->w, wt };

	memset(wt, 0, sizeof(*wt));
	mesh_foreach(c->m, view_route, &vw);
}

/*
 * What the kernel should hold.  Routes via the operator's gif (-g) wait
 * while the mesh knows it is gone (it never makes a gif of its own to that
 * remote; a mesh started since cannot know), on the route they had or
 * none.
 */
static void
wanted_read(struct checker *c, struct wanted *wt)
{
	struct tunnel *t;
	int i;

	wanted_raw(c, wt);
	for (i = 0; i < c->w->nprefixes; i++)
		if (wt->gw[i] != 0 &&
		    (t = tunnels_find(&c->m->tunnels, wt->gw[i])) != NULL &&
		    (t->flags & TUN_WAITING))
			wt->gw[i] = WAITS;
}

/* A waiting route of wt holds gif u in k. */
static int
held_by_waiting(const struct checker *c, const struct kstate *k,
    const struct wanted *wt, int u)
{
	int i;

	for (i = 0; i < c->w->nprefixes; i++)
		if (wt->gw[i] == WAITS && k->route_unit[i] == u)
			return 1;
	return 0;
}

static int
count_waiting(uint32_t addr, int len, void *value, void *arg)
{
	struct route *r = value;

	if (r->want != NULL && (r->want->flags & TUN_WAITING) &&
	    (r->flags & ROUTE_DIRTY))
		(*(int *)arg)++;
	return 0;
}

/* Routes waiting for the operator's gif to come back stay pending. */
static int
waiting(struct checker *c)
{
	int n = 0;

	ptree_walk(c->m->routes, count_waiting, &n);
	return n;
}

/* The usable gif to remote in k, or -1. */
static int
unit_to(const struct kstate *k, uint32_t remote)
{
	int u;

	for (u = 0; u < MAX_UNITS; u++)
		if (usable(k, u) && k->remote[u] == remote)
			return u;
	return -1;
}

static int
is_wanted_remote(const struct checker *c, const struct wanted *wt,
    uint32_t remote)
{
	int i;

	for (i = 0; i < c->w->nprefixes; i++)
		if (wt->gw[i] == remote)
			return 1;
	return 0;
}

/* Operations from kernel k to the wanted state wt, at the fewest. */
static int
min_cost(const struct checker *c, const struct kstate *k,
    const struct wanted *wt)
{
	int i, u, cost = 0;

	for (i = 0; i < c->w->ngateways; i++)
		if (is_wanted_remote(c, wt, gateway[i]) &&
		    unit_to(k, gateway[i]) == -1)
			cost++;
	/*
	 * A gif of ours brought down is remade (deleted, added): kern_ops
	 * has no operation that brings a gif up again.  Its routes went with
	 * it and come back one add each (counted below: not usable).
	 */
	for (u = 0; u < MAX_UNITS; u++)
		if (ours(k, u) && (!k->up[u] ||
		    (!is_wanted_remote(c, wt, k->remote[u]) &&
		    !held_by_waiting(c, k, wt, u))))
			cost++;
	for (i = 0; i < c->w->nprefixes; i++) {
		u = k->route_unit[i];
		if (wt->gw[i] == WAITS)
			continue;
		/* An unwanted route through a gif that is down goes with
		 * the gif's repair; through one that is up, first. */
		if (wt->gw[i] == 0 && u >= 0 && !(ours(k, u) && !k->up[u]))
			cost++;
		else if (wt->gw[i] != 0 && u < 0)
			cost++;
		else if (wt->gw[i] != 0 &&
		    (!usable(k, u) || k->remote[u] != wt->gw[i]))
			cost++;
	}
	return cost;
}

/* The kernel holds exactly the wanted state; "" or what differs. */
static int
kernel_is_wanted(struct checker *c, char *buf, size_t len)
{
	struct kstate k;
	struct wanted wt;
	int i, u;

	kernel_read(c, &k);
	wanted_read(c, &wt);
	for (i = 0; i < c->w->nprefixes; i++) {
		u = k.route_unit[i];
		if (wt.gw[i] == WAITS)
			continue;
		if (wt.gw[i] == 0 && u >= 0) {
			snprintf(buf, len, "prefix %d not wanted but routed "
			    "via gif%d", i, u);
			return 0;
		}
		if (wt.gw[i] != 0 && (!usable(&k, u) ||
		    k.remote[u] != wt.gw[i])) {
			char gw[ADDR_STRLEN];

			fmt_addr(wt.gw[i], gw);
			if (u < 0)
				snprintf(buf, len, "prefix %d wanted via %s "
				    "but not routed", i, gw);
			else
				snprintf(buf, len, "prefix %d wanted via %s "
				    "but routed via gif%d", i, gw, u);
			return 0;
		}
	}
	for (u = 0; u < MAX_UNITS; u++)
		if (ours(&k, u) && (!k.up[u] ||
		    (!is_wanted_remote(c, &wt, k.remote[u]) &&
		    !held_by_waiting(c, &k, &wt, u)))) {
			char gw[ADDR_STRLEN];

			snprintf(buf, len, "gif%d to %s is %s", u,
			    fmt_addr(k.remote[u], gw), k.up[u] ? "not wanted" :
			    "down");
			return 0;
		}
	return 1;
}

/* --- the kern_ops wrapper ------------------------------------------- */

/* Counts the operation; makes it fail when this one is to fail. */
static void
before_op(struct checker *c, enum kern_dry_op op)
{
	judged[2]++;
	c->nops++;
	if (c->nops == c->failat || (c->faults & (1u << op))) {
		kern_dry_fail(c->dry, op, -1, 0, -1, fault_errno[op], 1);
		c->injected = 1;
	}
}

static int
after_op(struct checker *c, enum kern_dry_op op, int unit, int prefix,
    int err)
{
	if (c->nrec < MAX_OPS) {
		c->rec[c->nrec].op = op;
		c->rec[c->nrec].unit = unit;
		c->rec[c->nrec].prefix = prefix;
		c->rec[c->nrec].err = err;
		c->nrec++;
	}
	if (c->trace != NULL && err != 0)
		fprintf(c->trace, "  (%s gif%d prefix %d failed: %s)\n",
		    op_name[op], unit, prefix, strerror(err));
	return err;
}

/* Promise 2 for a tunnel operation on unit; then counts it. */
static void
tunnel_op(struct checker *c, enum kern_dry_op op, int unit)
{
	struct kstate k;

	kernel_read(c, &k);
	if (unit == RESERVED_UNIT)
		violation(c, "promise 2: %s on reserved gif%d", op_name[op],
		    unit);
	if (foreign(&k, unit))
		violation(c, "promise 2: %s on gif%d, which is not ours",
		    op_name[op], unit);
	before_op(c, op);
}

static void *
check_open(const struct kern_config *kc, char *err, size_t errlen)
{
	return NULL;	/* never called: the checker makes its own */
}

static void
check_close(void *ctx)
{
}

static int
check_tunnel_add(void *ctx, struct kern_tunnel *kt)
{
	struct checker *c = ctx;

	tunnel_op(c, KERN_DRY_TUNNEL_ADD, kt->unit);
	return after_op(c, KERN_DRY_TUNNEL_ADD, kt->unit, -1,
	    kern_dry_ops.tunnel_add(c->dry, kt));
}

static int
check_tunnel_delete(void *ctx, int unit)
{
	struct checker *c = ctx;
	struct kstate k;
	int i;

	kernel_read(c, &k);
	/* A gif brought down is deleted to be made again (a repair). */
	for (i = 0; i < c->w->nprefixes; i++)
		if (k.route_unit[i] == unit && k.has[unit] && k.up[unit])
			violation(c, "promise 2: tunnel delete gif%d while "
			    "the route of prefix %d uses it", unit, i);
	tunnel_op(c, KERN_DRY_TUNNEL_DELETE, unit);
	return after_op(c, KERN_DRY_TUNNEL_DELETE, unit, -1,
	    kern_dry_ops.tunnel_delete(c->dry, unit));
}

static int
check_tunnel_modify(void *ctx, const struct kern_tunnel *kt,
    unsigned int what)
{
	struct checker *c = ctx;

	tunnel_op(c, KERN_DRY_TUNNEL_MODIFY, kt->unit);
	return after_op(c, KERN_DRY_TUNNEL_MODIFY, kt->unit, -1,
	    kern_dry_ops.tunnel_modify(c->dry, kt, what));
}

static int
route_op(struct checker *c, enum kern_dry_op op, const struct kern_route *kr,
    int (*fn)(void *, const struct kern_route *))
{
	struct kstate k;

	kernel_read(c, &k);
	/* The reserved gif may be routed through if it is a tunnel (it
	 * may also be gone, unknown to the mesh yet: the kernel refuses). */
	if (op != KERN_DRY_ROUTE_DELETE &&
	    (foreign(&k, kr->unit) || (kr->unit == RESERVED_UNIT &&
	    k.has[kr->unit] && !usable(&k, kr->unit))))
		violation(c, "promise 2: %s via gif%d, which is not ours",
		    op_name[op], kr->unit);
	before_op(c, op);
	return after_op(c, op, kr->unit, prefix_index(c->w, kr->addr,
	    kr->len), fn(c->dry, kr));
}

static int
check_route_add(void *ctx, const struct kern_route *kr)
{
	return route_op(ctx, KERN_DRY_ROUTE_ADD, kr, kern_dry_ops.route_add);
}

static int
check_route_change(void *ctx, const struct kern_route *kr)
{
	return route_op(ctx, KERN_DRY_ROUTE_CHANGE, kr,
	    kern_dry_ops.route_change);
}

static int
check_route_delete(void *ctx, const struct kern_route *kr)
{
	return route_op(ctx, KERN_DRY_ROUTE_DELETE, kr,
	    kern_dry_ops.route_delete);
}

static int
check_scan(void *ctx, kern_tunnel_cb tcb, kern_route_cb rcb, void *arg)
{
	struct checker *c = ctx;

	return kern_dry_ops.scan(c->dry, tcb, rcb, arg);
}

static int
check_event_fd(void *ctx)
{
	return -1;
}

static void
enqueue(void *arg, const struct kern_event *ev)
{
	struct checker *c = arg;

	if (c->nqueue < MAX_QUEUE)
		c->queue[c->nqueue++] = *ev;
	else
		violation(c, "checker: more than %d kernel events queued",
		    MAX_QUEUE);
}

/*
 * Moves what the model queued into the checker's own queue, which the
 * state's fingerprint can see.
 */
static void
drain(struct checker *c)
{
	kern_dry_ops.events(c->dry, enqueue, c);
}

static int
check_events(void *ctx, kern_event_cb cb, void *arg)
{
	struct checker *c = ctx;
	struct kern_event q[MAX_QUEUE];
	int i, n;

	drain(c);
	n = c->nqueue;
	memcpy(q, c->queue, sizeof(q[0]) * n);
	c->nqueue = 0;
	for (i = 0; i < n; i++)
		cb(arg, &q[i]);
	return 0;
}

static const struct kern_ops check_ops = {
	.name = "check",
	.open = check_open,
	.close = check_close,
	.tunnel_add = check_tunnel_add,
	.tunnel_delete = check_tunnel_delete,
	.tunnel_modify = check_tunnel_modify,
	.route_add = check_route_add,
	.route_change = check_route_change,
	.route_delete = check_route_delete,
	.scan = check_scan,
	.event_fd = check_event_fd,
	.events = check_events
};

/* --- the world and its events --------------------------------------- */

static void
start_mesh(struct checker *c)
{
	struct mesh_config cfg;

	mesh_config_init(&cfg);
	cfg.local = LOCAL;
	cfg.addr44 = A(44, 44, 107, 1);
	cfg.rdomain = RDOMAIN;
	cfg.tunneldomain = TUNNELDOMAIN;
	cfg.expiry = EXPIRY;
	if ((c->m = mesh_new(&cfg, &check_ops, c)) == NULL ||
	    mesh_reserve(c->m, RESERVED_UNIT) != 0) {
		perror("mesh_new");
		exit(2);
	}
	/* As the daemon starts: adopt what the kernel holds, then a pass. */
	mesh_adopt(c->m, c->now);
}

static void
checker_init(struct checker *c, const struct world *w, FILE *trace)
{
	struct kern_config kc = { .rdomain = RDOMAIN,
	    .tunneldomain = TUNNELDOMAIN };
	struct kern_tunnel kt;
	char err[128];

	memset(c, 0, sizeof(*c));
	c->w = w;
	c->trace = trace;
	c->now = T0;
	if ((c->dry = kern_dry_ops.open(&kc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	kern_dry_set_output(c->dry, trace);
	if (w->openbsd)
		kern_dry_set_rules(c->dry, KERN_DRY_RULES_OPENBSD);
	/* The operator's gif0 and somebody else's gif2: neither marked. */
	memset(&kt, 0, sizeof(kt));
	kt.unit = RESERVED_UNIT;
	kt.local = LOCAL;
	kt.remote = w->reserved_to_gw ? gateway[0] : 0;
	kt.rdomain = RDOMAIN;
	kt.tunneldomain = TUNNELDOMAIN;
	kt.addr44 = A(44, 44, 107, 1);
	kt.up = 1;
	kern_dry_preset_tunnel(c->dry, &kt);
	kt.unit = FOREIGN_UNIT;
	kt.local = OTHER_LOCAL;
	kt.remote = gateway[1];
	kern_dry_preset_tunnel(c->dry, &kt);
	start_mesh(c);
	mesh_reconcile(c->m, c->now);
}

static void
checker_free(struct checker *c)
{
	mesh_free(c->m);
	kern_dry_ops.close(c->dry);
}

static void
deliver(void *arg, const struct kern_event *ev)
{
	mesh_kernel_event(arg, ev);
}

static int
digit_of(const struct world *w, unsigned arg, int prefix)
{
	int i;

	for (i = 0; i < prefix; i++)
		arg /= (unsigned)w->ngateways + 2;
	return arg % ((unsigned)w->ngateways + 2);
}

static void
format_event(const struct world *w, const struct event *e, char *buf,
    size_t len)
{
	int i, d, n = 0;

	switch (e->kind) {
	case EV_DGRAM:
		buf[n++] = 'D';
		for (i = 0; i < w->nprefixes; i++) {
			d = digit_of(w, e->arg, i);
			buf[n++] = d == w->ngateways + 1 ? 'x' : '0' + d;
		}
		buf[n] = '\0';
		break;
	default:
		snprintf(buf, len, ev_has_arg(e->kind) ? "%c%u" : "%c",
		    ev_letter[e->kind], e->arg);
		break;
	}
	if (e->failat)
		snprintf(buf + strlen(buf), len - strlen(buf), "!%u",
		    e->failat);
}

static void
format_path(const struct world *w, const struct event *path, int n,
    char *buf, size_t len)
{
	char one[32];
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		format_event(w, &path[i], one, sizeof(one));
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i ? " " : "", one);
	}
}

static int
parse_event(const struct world *w, const char *s, struct event *e)
{
	const char *letter;
	unsigned mul = 1;
	char *end;
	int i;

	memset(e, 0, sizeof(*e));
	switch (*s) {
	case 'D':
		e->kind = EV_DGRAM;
		for (i = 0; i < w->nprefixes; i++) {
			if (s[1 + i] == 'x')
				e->arg += mul * (w->ngateways + 1);
			else if (s[1 + i] >= '0' &&
			    s[1 + i] <= '0' + w->ngateways)
				e->arg += mul * (s[1 + i] - '0');
			else
				return -1;
			mul *= w->ngateways + 2;
		}
		s += 1 + w->nprefixes;
		break;
	default:
		if ((letter = strchr(ev_letter, *s)) == NULL || *s == '\0')
			return -1;
		e->kind = (uint8_t)(letter - ev_letter);
		s++;
		if (ev_has_arg(e->kind)) {
			e->arg = (uint16_t)strtoul(s, &end, 10);
			s = end;
		}
		break;
	}
	if (*s == '!') {
		e->failat = (uint8_t)strtoul(s + 1, &end, 10);
		s = end;
	}
	return *s == '\0' ? 0 : -1;
}

static int
quiet(struct checker *c)
{
	struct mesh_stats st;

	mesh_get_stats(c->m, &st);
	return st.pending == (size_t)waiting(c) && c->faults == 0 &&
	    (c->m->next_expiry == 0 || !c->m->have_epoch ||
	    c->now - c->m->epoch < c->m->next_expiry);
}

/* A datagram that leaves the wanted table as it is. */
static int
changes_nothing(struct checker *c, const struct event *e)
{
	struct wanted wt;
	int i, d;

	wanted_raw(c, &wt);
	for (i = 0; i < c->w->nprefixes; i++) {
		d = digit_of(c->w, e->arg, i);
		if (d == c->w->ngateways + 1 && wt.gw[i] != 0)
			return 0;
		if (d >= 1 && d <= c->w->ngateways &&
		    wt.gw[i] != gateway[d - 1])
			return 0;
	}
	return 1;
}

/* Promise 7: nothing the new mesh found right is touched. */
static void
check_restart_ops(struct checker *c, const struct kstate *before,
    const struct wanted *wt)
{
	const struct op_rec *r;
	int i, u, p;

	for (i = 0; i < c->nrec; i++) {
		r = &c->rec[i];
		u = r->unit;
		p = r->prefix;
		switch (r->op) {
		case KERN_DRY_TUNNEL_ADD:
			break;	/* a new unit: caught below by remote */
		case KERN_DRY_TUNNEL_DELETE:
			if (usable(before, u) &&
			    unit_to(before, before->remote[u]) == u &&
			    is_wanted_remote(c, wt, before->remote[u]))
				violation(c, "promise 7: restart deleted gif%d,"
				    " still wanted", u);
			break;
		default:
			if (p >= 0 && wt->gw[p] != 0 &&
			    usable(before, before->route_unit[p]) &&
			    before->remote[before->route_unit[p]] == wt->gw[p])
				violation(c, "promise 7: restart did %s on "
				    "prefix %d, already right", op_name[r->op],
				    p);
			break;
		}
	}
	/* A tunnel added to a remote that already had one. */
	for (i = 0; i < c->nrec; i++) {
		struct kstate after;

		if (c->rec[i].op != KERN_DRY_TUNNEL_ADD || c->rec[i].err != 0)
			continue;
		kernel_read(c, &after);
		u = c->rec[i].unit;
		if (after.has[u] && unit_to(before, after.remote[u]) != -1)
			violation(c, "promise 7: restart added gif%d to a "
			    "remote that had a gif", u);
	}
}

/* Promise 3 in the mesh: units of its tunnels are distinct. */
struct units_seen {
	struct checker	*c;
	uint64_t	 seen;
};

static void
unit_seen(void *arg, struct tunnel *t)
{
	struct units_seen *s = arg;

	if (t->unit < 0 || t->unit >= 64)
		return;
	if (s->seen & ((uint64_t)1 << t->unit))
		violation(s->c, "promise 3: two tunnels of the mesh hold "
		    "gif%d", (int)t->unit);
	s->seen |= (uint64_t)1 << t->unit;
}

static void
check_mesh_units(struct checker *c)
{
	struct units_seen s = { c, 0 };

	tunnels_foreach(&c->m->tunnels, unit_seen, &s);
}

/* One event and the daemon's reaction to it. */
static void
step(struct checker *c, const struct event *e)
{
	struct kstate before, k;
	struct wanted wt;
	time_t when;
	int i, d, was_quiet, honest = !c->silent, judge = 0, cost = 0;
	int quiet_work = quiet(c);
	char buf[256];

	c->failat = e->failat;
	c->nops = 0;
	c->nrec = 0;
	c->injected = 0;
	was_quiet = quiet_work && c->nqueue == 0;
	if (c->trace != NULL) {
		format_event(c->w, e, buf, sizeof(buf));
		fprintf(c->trace, "== %s\n", buf);
	}
	switch (e->kind) {
	case EV_DGRAM:
		judge = was_quiet && changes_nothing(c, e);
		kernel_read(c, &before);
		for (i = 0; i < c->w->nprefixes; i++) {
			d = digit_of(c->w, e->arg, i);
			if (d == c->w->ngateways + 1)
				mesh_withdraw(c->m, prefix_addr[i],
				    prefix_len[i]);
			else if (d > 0)
				mesh_heard(c->m, prefix_addr[i], prefix_len[i],
				    gateway[d - 1], c->now);
		}
		mesh_expire(c->m, c->now);
		mesh_reconcile(c->m, c->now);
		break;
	case EV_TIMER:
	case EV_EXPIRE:
		kernel_read(c, &before);
		if (e->kind == EV_EXPIRE)
			c->now += EXPIRY + 1;
		else if ((when = mesh_next_event(c->m)) == 0)
			break;
		else if (when > c->now)
			c->now = when;
		mesh_expire(c->m, c->now);
		mesh_reconcile(c->m, c->now);
		break;
	case EV_VANISH:
	case EV_DOWN:
		/* The kernel tells; the daemon reads it at K. */
		if (e->kind == EV_VANISH)
			kern_dry_vanish(c->dry, e->arg);
		else
			kern_dry_bring_down(c->dry, e->arg);
		was_quiet = 0;
		break;
	case EV_KERNEL:
		/* As on_kernel(): read the events, then a pass. */
		kernel_read(c, &before);
		check_events(c, deliver, c->m);
		mesh_reconcile(c->m, c->now);
		was_quiet = quiet_work;
		break;
	case EV_DROP:
		kern_dry_drop_route(c->dry, prefix_addr[e->arg],
		    prefix_len[e->arg]);
		c->silent = 1;
		was_quiet = 0;	/* nothing for the daemon to do or judge */
		break;
	case EV_HUP:
		kernel_read(c, &before);
		judge = was_quiet && honest;
		mesh_rescan(c->m, c->now);
		mesh_reconcile(c->m, c->now);
		/* A re-scan reads the kernel, whatever is yet to be told. */
		was_quiet = quiet_work;
		c->silent = 0;
		honest = 1;
		break;
	case EV_RESTART:
		kernel_read(c, &before);
		mesh_free(c->m);
		start_mesh(c);
		wanted_read(c, &wt);
		mesh_reconcile(c->m, c->now);
		check_restart_ops(c, &before, &wt);
		judged[7]++;
		c->silent = 0;
		honest = 1;
		break;
	case EV_FAULT:
		c->faults |= 1u << e->arg;
		was_quiet = 0;
		break;
	}
	drain(c);

	/* Promises 1 and 3, in the kernel model and the mesh. */
	judged[1]++;
	judged[3]++;
	kernel_read(c, &k);
	for (i = 0; i < c->w->nprefixes; i++)
		if (k.route_unit[i] >= 0 && (k.route_unit[i] >= MAX_UNITS ||
		    !k.has[k.route_unit[i]]))
			violation(c, "promise 1: prefix %d routed via gif%d, "
			    "which does not exist", i, k.route_unit[i]);
	for (i = 0; i < MAX_UNITS; i++) {
		int j;

		if (!k.has[i] || foreign(&k, i) || k.remote[i] == 0)
			continue;
		for (j = i + 1; j < MAX_UNITS; j++)
			if (k.has[j] && !foreign(&k, j) &&
			    k.remote[j] == k.remote[i])
				violation(c, "promise 3: gif%d and gif%d both "
				    "tunnel to the same remote", i, j);
	}
	check_mesh_units(c);

	/* Promise 4: an unchanged input costs nothing. */
	if (judge)
		judged[4]++;
	if (judge && c->nops != 0)
		violation(c, "promise 4: %d operations for an input that "
		    "changes nothing", c->nops);
	/* Promise 6: a fault-free step from a quiet state, exactly. */
	if (was_quiet && honest && !c->injected && e->kind != EV_FAULT) {
		judged[6]++;
		wanted_read(c, &wt);
		cost = min_cost(c, &before, &wt);
		if (c->nops != cost)
			violation(c, "promise 6: %d operations where %d do",
			    c->nops, cost);
		else if (!kernel_is_wanted(c, buf, sizeof(buf)))
			violation(c, "promise 6: a fault-free step left the "
			    "kernel short of the wanted state: %s", buf);
	}

}

/*
 * Promise 5 (and 6 for the recovery): faults stop; the operator's SIGHUP
 * if the kernel was changed silently; then one pass once every retry is
 * due.  Destroys nothing, but leaves the checker in a later state.
 */
static void
probe_recovery(struct checker *c)
{
	struct kstate k;
	struct wanted wt;
	struct mesh_stats st;
	char buf[256];
	int cost;

	judged[5]++;
	c->faults = 0;
	c->failat = 0;
	c->nops = 0;
	/* What the kernel reported is read first, as the daemon would. */
	check_events(c, deliver, c->m);
	if (c->silent) {
		mesh_rescan(c->m, c->now);
		c->silent = 0;
	}
	kernel_read(c, &k);
	c->now += MESH_RETRY_MAX + 1;
	mesh_reconcile(c->m, c->now);
	mesh_get_stats(c->m, &st);
	if (st.pending > (size_t)waiting(c)) {
		violation(c, "promise 5: %zu entries still pending one pass "
		    "after faults stopped", st.pending);
		return;
	}
	if (!kernel_is_wanted(c, buf, sizeof(buf))) {
		violation(c, "promise 5: faults stopped, a pass made, and "
		    "nothing pending, but %s", buf);
		return;
	}
	wanted_read(c, &wt);
	cost = min_cost(c, &k, &wt);
	if (c->nops != cost) {
		violation(c, "promise 6: recovery took %d operations where "
		    "%d do", c->nops, cost);
		return;
	}
	/* Then the events of that pass are read, and the timer fires. */
	c->nops = 0;
	check_events(c, deliver, c->m);
	mesh_reconcile(c->m, c->now);
	c->now += MESH_RETRY_MAX + 1;
	mesh_reconcile(c->m, c->now);
	if (c->nops != 0)
		violation(c, "promise 5: %d operations after the kernel "
		    "reached the wanted state", c->nops);
	else if (!kernel_is_wanted(c, buf, sizeof(buf)))
		violation(c, "promise 5: the kernel left the wanted state "
		    "after its own events were read: %s", buf);
}

/* --- state fingerprints --------------------------------------------- */

struct fp {
	uint64_t	 h;
	uint32_t	 clock;
};

static void
mix(struct fp *f, uint64_t v)
{
	/* FNV-1a over the bytes of v, then a final avalanche later. */
	int i;

	for (i = 0; i < 8; i++) {
		f->h ^= (v >> (i * 8)) & 0xff;
		f->h *= 0x100000001b3ULL;
	}
}

static uint64_t
rel(uint32_t at, uint32_t clock)
{
	if (at == 0)
		return 0;
	return at > clock ? (uint64_t)(at - clock) + 1 : 1;
}

static int
fp_route(uint32_t addr, int len, void *value, void *arg)
{
	struct fp *f = arg;
	struct route *r = value;
	uint32_t age = f->clock - r->heard;

	mix(f, addr);
	mix(f, (uint64_t)len << 8 | (r->flags & ~ROUTE_SEEN));
	mix(f, r->failures > 10 ? 10 : r->failures);
	mix(f, rel(r->retry_at, f->clock));
	mix(f, r->want == NULL ? 0 : age > EXPIRY ? EXPIRY : age);
	mix(f, r->want == NULL ? 0 : r->want->remote);
	mix(f, r->inst == NULL ? 0 : r->inst->remote);
	return 0;
}

static int
tunnel_cmp(const void *a, const void *b)
{
	const struct tunnel *ta = *(struct tunnel *const *)a;
	const struct tunnel *tb = *(struct tunnel *const *)b;

	return (ta->remote > tb->remote) - (ta->remote < tb->remote);
}

struct tunnel_list {
	struct tunnel	*t[64];
	int		 n;
};

static void
list_tunnel(void *arg, struct tunnel *t)
{
	struct tunnel_list *l = arg;

	if (l->n < 64)
		l->t[l->n++] = t;
}

static uint64_t
fingerprint(struct checker *c)
{
	struct fp f = { 0xcbf29ce484222325ULL, 0 };
	struct tunnel_list tl = { .n = 0 };
	struct kstate k;
	struct mesh *m = c->m;
	struct route *r;
	size_t i;
	int u;

	mix(&f, c->faults);
	mix(&f, (uint64_t)c->silent);
	kernel_read(c, &k);
	for (i = 0; i < (size_t)c->w->nprefixes; i++)
		mix(&f, (uint64_t)(k.route_unit[i] + 1));
	for (u = 0; u < MAX_UNITS; u++)
		if (k.has[u])
			mix(&f, (uint64_t)u << 40 | (uint64_t)k.up[u] << 33 |
			    (uint64_t)(k.local[u] == LOCAL) << 32 |
			    (uint64_t)k.marked[u] << 34 | k.remote[u]);
	for (u = 0; u < MAX_UNITS; u++)
		if (k.has[u])
			mix(&f, k.addr44[u]);
	/* An event's index only matters as the unit's current one or not. */
	for (i = 0; i < (size_t)c->nqueue; i++)
		mix(&f, (uint64_t)c->queue[i].type << 32 |
		    (uint64_t)(c->queue[i].unit < MAX_UNITS &&
		    k.has[c->queue[i].unit] &&
		    k.ifindex[c->queue[i].unit] == c->queue[i].ifindex) << 16 |
		    (uint32_t)c->queue[i].unit);
	f.clock = m->have_epoch ? (uint32_t)(c->now - m->epoch) : 0;
	mix(&f, rel(m->next_expiry, f.clock));
	mix(&f, m->nwanted);
	ptree_walk(m->routes, fp_route, &f);
	tunnels_foreach(&m->tunnels, list_tunnel, &tl);
	qsort(tl.t, tl.n, sizeof(tl.t[0]), tunnel_cmp);
	for (u = 0; u < tl.n; u++) {
		mix(&f, tl.t[u]->remote);
		mix(&f, (uint64_t)(uint32_t)tl.t[u]->unit << 32 |
		    tl.t[u]->refs);
		mix(&f, tl.t[u]->flags & ~TUN_SEEN);
		/* Indexes grow forever: only whether it is the gif's now. */
		mix(&f, tl.t[u]->ifindex == 0 ? 0 : tl.t[u]->unit >= 0 &&
		    tl.t[u]->unit < MAX_UNITS && k.has[tl.t[u]->unit] &&
		    k.ifindex[tl.t[u]->unit] == tl.t[u]->ifindex ? 1 : 2);
		mix(&f, tl.t[u]->failures > 10 ? 10 : tl.t[u]->failures);
		mix(&f, rel(tl.t[u]->retry_at, f.clock));
	}
	/* The order of the work lists orders the operations. */
	for (i = 0; i < m->rdirty.count; i++) {
		r = m->rdirty.items[i];
		mix(&f, (uint64_t)r->addr << 8 | r->len);
	}
	mix(&f, 0xffff);
	for (i = 0; i < m->tdirty.count; i++)
		mix(&f, ((struct tunnel *)m->tdirty.items[i])->remote);
	for (i = 0; i < m->nstrays; i++)
		mix(&f, (uint64_t)m->strays[i].unit << 32 |
		    m->strays[i].remote);
	mix(&f, m->tunnels.units.used[0]);
	f.h ^= f.h >> 33;
	f.h *= 0xff51afd7ed558ccdULL;
	f.h ^= f.h >> 33;
	return f.h == 0 ? 1 : f.h;
}

/* Open addressing, never shrinks; 0 marks an empty slot. */
struct seen {
	uint64_t	*slots;
	size_t		 cap;
	size_t		 count;
};

static int
seen_add(struct seen *s, uint64_t h)
{
	uint64_t *old = s->slots;
	size_t i, oldcap = s->cap;

	if (s->count * 2 >= s->cap) {
		s->cap = oldcap ? oldcap * 2 : 1 << 16;
		if ((s->slots = calloc(s->cap, sizeof(*s->slots))) == NULL) {
			perror("calloc");
			exit(2);
		}
		s->count = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				(void)seen_add(s, old[i]);
		free(old);
	}
	for (i = h & (s->cap - 1); s->slots[i] != 0; i = (i + 1) &
	    (s->cap - 1))
		if (s->slots[i] == h)
			return 0;
	s->slots[i] = h;
	s->count++;
	return 1;
}

/* --- the search ----------------------------------------------------- */

struct path {
	struct event	ev[MAX_DEPTH];
};

struct paths {
	struct path	*p;
	size_t		 n;
	size_t		 cap;
};

static void
paths_push(struct paths *ps, const struct path *p)
{
	struct path *n;

	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 1024;
		if ((n = reallocarray(ps->p, ps->cap, sizeof(*n))) == NULL) {
			perror("reallocarray");
			exit(2);
		}
		ps->p = n;
	}
	ps->p[ps->n++] = *p;
}

struct search {
	const struct world	*w;
	int			 depth;
	struct seen		 seen;
	unsigned long		 sequences;
	unsigned long		 steps;
};

/* Replays path[0..n) on a fresh checker; 0, or -1 on a violation. */
static int
replay(struct checker *c, const struct world *w, const struct event *path,
    int n, FILE *trace)
{
	int i;

	checker_init(c, w, trace);
	for (i = 0; i < n && !c->violated; i++)
		step(c, &path[i]);
	return c->violated ? -1 : 0;
}

static void
report(const struct search *s, const struct checker *c,
    const struct event *path, int n)
{
	char seq[MAX_DEPTH * 32];

	format_path(s->w, path, n, seq, sizeof(seq));
	printf("VIOLATION after %d events: %s\n", n, c->why);
	printf("replay: tests/check_reconcile%s%s -p %d -w %d -r \"%s\"\n",
	    s->w->reserved_to_gw ? " -g" : "", s->w->openbsd ? " -o" : "",
	    s->w->nprefixes,
	    s->w->ngateways, seq);
}

/* Runs path + e; returns the number of operations e issued, or -1. */
static int
try_event(struct search *s, const struct path *base, int n,
    const struct event *e, struct paths *next)
{
	struct checker c;
	struct path p = *base;
	int ops;

	p.ev[n] = *e;
	s->sequences++;
	if (replay(&c, s->w, p.ev, n + 1, NULL) == -1) {
		report(s, &c, p.ev, n + 1);
		checker_free(&c);
		return -1;
	}
	ops = c.nops;
	if (seen_add(&s->seen, fingerprint(&c))) {
		if (n + 1 < s->depth)
			paths_push(next, &p);
		probe_recovery(&c);
		check_mesh_units(&c);
		if (c.violated) {
			report(s, &c, p.ev, n + 1);
			printf("(then faults stop: the checker's recovery "
			    "probe)\n");
			checker_free(&c);
			return -1;
		}
	}
	checker_free(&c);
	return ops;
}

/* The events possible in the state reached by path; fills evs. */
static int
events_from(const struct search *s, const struct path *base, int n,
    struct event *evs, int max)
{
	struct checker c;
	struct kstate k;
	unsigned d, ndgram = 1;
	int i, count = 0;

	(void)replay(&c, s->w, base->ev, n, NULL);
	kernel_read(&c, &k);
	for (i = 0; i < s->w->nprefixes; i++)
		ndgram *= (unsigned)s->w->ngateways + 2;
	for (d = 0; d < ndgram && count < max; d++)
		evs[count++] = (struct event){ EV_DGRAM, 0, (uint16_t)d };
	evs[count++] = (struct event){ EV_TIMER, 0, 0 };
	evs[count++] = (struct event){ EV_EXPIRE, 0, 0 };
	for (i = 0; i < MAX_UNITS; i++) {
		if (k.has[i])
			evs[count++] = (struct event){ EV_VANISH, 0,
			    (uint16_t)i };
		if (k.has[i] && k.up[i])
			evs[count++] = (struct event){ EV_DOWN, 0,
			    (uint16_t)i };
	}
	if (c.nqueue > 0)
		evs[count++] = (struct event){ EV_KERNEL, 0, 0 };
	for (i = 0; i < s->w->nprefixes; i++)
		if (k.route_unit[i] >= 0)
			evs[count++] = (struct event){ EV_DROP, 0,
			    (uint16_t)i };
	evs[count++] = (struct event){ EV_HUP, 0, 0 };
	evs[count++] = (struct event){ EV_RESTART, 0, 0 };
	for (i = 0; i < KERN_DRY_NOPS; i++)
		if (!(c.faults & (1u << i)))
			evs[count++] = (struct event){ EV_FAULT, 0,
			    (uint16_t)i };
	checker_free(&c);
	return count;
}

static int
search(struct search *s)
{
	struct paths level = { 0 }, next = { 0 };
	struct path root;
	struct checker c;
	struct event evs[1024], e;
	size_t i;
	int d, j, ops, f, nev;

	memset(&root, 0, sizeof(root));
	if (replay(&c, s->w, root.ev, 0, NULL) == -1) {
		report(s, &c, root.ev, 0);
		return -1;
	}
	seen_add(&s->seen, fingerprint(&c));
	checker_free(&c);
	paths_push(&level, &root);
	for (d = 0; d < s->depth; d++) {
		next.n = 0;
		for (i = 0; i < level.n; i++) {
			nev = events_from(s, &level.p[i], d, evs, 900);
			for (j = 0; j < nev; j++) {
				e = evs[j];
				if ((ops = try_event(s, &level.p[i], d, &e,
				    &next)) == -1)
					return -1;
				/* And again with each operation failing. */
				for (f = 1; f <= ops; f++) {
					e.failat = (uint8_t)f;
					if (try_event(s, &level.p[i], d, &e,
					    &next) == -1)
						return -1;
				}
			}
		}
		printf("  depth %d: %zu new states, %lu sequences so far\n",
		    d + 1, next.n, s->sequences);
		fflush(stdout);
		level.n = 0;
		{
			struct paths tmp = level;

			level = next;
			next = tmp;
		}
		if (level.n == 0 && d + 1 < s->depth)
			break;
	}
	free(level.p);
	free(next.p);
	return 0;
}

static int
replay_one(const struct world *w, const char *seq)
{
	struct checker c;
	struct event path[MAX_DEPTH];
	char *copy, *tok, *save;
	int n = 0;

	if ((copy = strdup(seq)) == NULL)
		return 2;
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (n == MAX_DEPTH || parse_event(w, tok, &path[n]) == -1) {
			fprintf(stderr, "bad event: %s\n", tok);
			free(copy);
			return 2;
		}
		n++;
	}
	free(copy);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("== start\n");
	if (replay(&c, w, path, n, stdout) == -1) {
		printf("VIOLATION: %s\n", c.why);
		checker_free(&c);
		return 1;
	}
	printf("== faults stop, one pass after every backoff\n");
	probe_recovery(&c);
	if (c.violated) {
		printf("VIOLATION: %s\n", c.why);
		checker_free(&c);
		return 1;
	}
	printf("no violation\n");
	checker_free(&c);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct world w = { .nprefixes = 3, .ngateways = 2 };
	struct search s;
	const char *seq = NULL;
	int ch, depth = 3, devnull, rc;

	while ((ch = getopt(argc, argv, "d:gop:r:w:")) != -1) {
		switch (ch) {
		case 'd':
			depth = atoi(optarg);
			break;
		case 'g':
			w.reserved_to_gw = 1;
			break;
		case 'o':
			w.openbsd = 1;
			break;
		case 'p':
			w.nprefixes = atoi(optarg);
			break;
		case 'r':
			seq = optarg;
			break;
		case 'w':
			w.ngateways = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: check_reconcile [-go] "
			    "[-d depth] [-p prefixes] [-w gateways] "
			    "[-r sequence]\n");
			return 2;
		}
	}
	if (depth < 1 || depth > MAX_DEPTH || w.nprefixes < 2 ||
	    w.nprefixes > MAX_PREFIXES || w.ngateways < 2 ||
	    w.ngateways > MAX_GATEWAYS) {
		fprintf(stderr, "check_reconcile: out of range\n");
		return 2;
	}
	log_init(1, 0, "check_reconcile");
	if (seq != NULL)
		return replay_one(&w, seq);
	/* The mesh's log lines are expected noise here. */
	if ((devnull = open("/dev/null", O_WRONLY)) == -1 ||
	    dup2(devnull, STDERR_FILENO) == -1) {
		perror("/dev/null");
		return 2;
	}
	memset(&s, 0, sizeof(s));
	s.w = &w;
	s.depth = depth;
	printf("model checker, %s rules: %d prefixes, %d gateways, reserved "
	    "gif0 %s, depth %d\n", w.openbsd ? "OpenBSD" : "Linux",
	    w.nprefixes, w.ngateways,
	    w.reserved_to_gw ? "to a gateway" : "catch-all", depth);
	rc = search(&s);
	printf("%s: depth %d, %zu states, %lu sequences checked\n",
	    rc == 0 ? "ok" : "FAILED", depth, s.seen.count, s.sequences);
	printf("checks made, replays included: 1: %lu, 2: %lu, 3: %lu, "
	    "4: %lu, 5: %lu, 6: %lu, 7: %lu\n", judged[1], judged[2], judged[3],
	    judged[4], judged[5], judged[6], judged[7]);
	free(s.seen.slots);
	return rc == 0 ? 0 : 1;
}
