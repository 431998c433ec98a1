/*
 * The reconciler: turns the dirty part of the wanted tables into kernel
 * operations, in a safe order within each pass:
 *   1. tunnels that are wanted but missing are made;
 *   2. routes are added, moved (changed) or deleted;
 *   3. tunnels no route uses any more are deleted.
 * A route moving to a new gateway keeps a reference on its old tunnel
 * until the kernel route has moved, so the old tunnel cannot go first.
 * A failed operation is retried on a later pass with a backoff; it blocks
 * nothing else.  A prefix held by another owner's route (route_add answers
 * EADDRINUSE) is left to it: counted and logged once, asked again only at
 * the slow end of the backoff.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "mesh_impl.h"

static uint32_t
backoff(uint8_t failures)
{
	uint32_t delay = MESH_RETRY_MIN;
	int i;

	for (i = 1; i < failures && delay < MESH_RETRY_MAX; i++)
		delay *= 2;
	return delay < MESH_RETRY_MAX ? delay : MESH_RETRY_MAX;
}

/*
 * The pass counter an operation adds to, found from its description (the
 * "tunnel add ..." / "route change ..." that describe_*() write), so that
 * every caller keeps its one call.
 */
static unsigned long *
pass_counter(struct mesh *m, const char *what)
{
	static const struct {
		const char	*prefix;
		size_t		 offset;
	} kinds[] = {
		{ "tunnel add ", offsetof(struct mesh_pass, tunnels_added) },
		{ "tunnel delete ",
		    offsetof(struct mesh_pass, tunnels_deleted) },
		{ "route add ", offsetof(struct mesh_pass, routes_added) },
		{ "route change ", offsetof(struct mesh_pass, routes_changed) },
		{ "route delete ", offsetof(struct mesh_pass, routes_deleted) },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(what, kinds[i].prefix, strlen(kinds[i].prefix)) ==
		    0)
			return (unsigned long *)((char *)&m->pass +
			    kinds[i].offset);
	return NULL;
}

/* Each operation at debug (-v); the pass's summary says the rest. */
static void
op_done(struct mesh *m, const char *what)
{
	unsigned long *counter;

	m->ops++;
	if ((counter = pass_counter(m, what)) != NULL)
		(*counter)++;
	if (m->cfg.log_ops)
		log_debug("%s", what);
}

static void
op_failed(struct mesh *m, int err, const char *what, uint8_t *failures,
    uint32_t *retry_at, uint32_t clock)
{
	m->errors++;
	m->pass.failed++;
	if (*failures < UINT8_MAX)
		(*failures)++;
	*retry_at = clock + backoff(*failures);
	/* Said once; its retries only at debug, until it works. */
	if (*failures == 1)
		log_errno(err, "%s failed, retrying", what);
	else
		log_debug("%s failed again (%s), retry in %us", what,
		    strerror(err), (unsigned)(*retry_at - clock));
}

static void
describe_tunnel(const struct mesh *m, const struct tunnel *t,
    const char *verb, char *buf, size_t len)
{
	char local[ADDR_STRLEN], remote[ADDR_STRLEN];

	if (verb[0] == 'a')
		snprintf(buf, len, "tunnel add gif%d local %s remote %s "
		    "rdomain %d tunneldomain %d", (int)t->unit,
		    fmt_addr(m->cfg.local, local), fmt_addr(t->remote, remote),
		    m->cfg.rdomain, m->cfg.tunneldomain);
	else
		snprintf(buf, len, "tunnel delete gif%d", (int)t->unit);
}

static void
describe_route(const struct mesh *m, const struct route *r, const char *verb,
    int unit, char *buf, size_t len)
{
	char prefix[PREFIX_STRLEN];

	fmt_prefix(r->addr, r->len, prefix);
	if (unit >= 0)
		snprintf(buf, len, "route %s %s gif%d rdomain %d", verb,
		    prefix, unit, m->cfg.rdomain);
	else
		snprintf(buf, len, "route %s %s rdomain %d", verb, prefix,
		    m->cfg.rdomain);
}

/* The kernel's view of tunnel t as we want it. */
static void
kern_tunnel_of(const struct mesh *m, const struct tunnel *t,
    struct kern_tunnel *kt)
{
	memset(kt, 0, sizeof(*kt));
	kt->unit = t->unit;
	kt->local = m->cfg.local;
	kt->remote = t->remote;
	kt->rdomain = m->cfg.rdomain;
	kt->tunneldomain = m->cfg.tunneldomain;
	kt->addr44 = m->cfg.addr44;
	kt->up = 1;
	kt->ifindex = t->ifindex;
	kt->mtu = m->cfg.mtu;
}

/* Phase 1: make a wanted tunnel.  Returns 1 while it still needs work. */
static int
tunnel_make(struct mesh *m, struct tunnel *t, uint32_t clock)
{
	struct kern_tunnel kt;
	char what[160];
	int err;

	if (t->retry_at > clock)
		return 1;
	if (t->unit < 0 && tunnels_set_unit(&m->tunnels, t, -1) == -1) {
		char remote[ADDR_STRLEN];

		snprintf(what, sizeof(what), "no free gif unit for %s",
		    fmt_addr(t->remote, remote));
		op_failed(m, ENOSPC, what, &t->failures, &t->retry_at, clock);
		return 1;
	}
	kern_tunnel_of(m, t, &kt);
	describe_tunnel(m, t, "add", what, sizeof(what));
	if ((err = m->kern->tunnel_add(m->kctx, &kt)) != 0) {
		op_failed(m, err, what, &t->failures, &t->retry_at, clock);
		return 1;
	}
	op_done(m, what);
	t->flags |= TUN_INSTALLED;
	/* Made by us: marked, with our address and MTU, by its new index. */
	t->flags &= ~TUN_FIXES;
	t->ifindex = kt.ifindex;
	t->failures = 0;
	t->retry_at = 0;
	mesh_tell(m, MESH_EV_TUNNEL_MADE, 0, -1, t->remote, 0, t->unit);
	return 0;
}

/*
 * An adopted tunnel made whole: our mark on one made before marks existed
 * (it matched a wanted tunnel exactly), our 44 address on one that lost
 * it (a crash between bring-up and address, a move between rdomains),
 * the MTU of -m on one of ours that has another, our new public address
 * as its local end (mesh_follow_local()).  One operation, nothing
 * deleted, no route touched.  Returns 1 while it still needs work.
 */
static int
tunnel_fix(struct mesh *m, struct tunnel *t, uint32_t clock)
{
	struct kern_tunnel kt;
	unsigned int what = 0;
	char desc[160], a[ADDR_STRLEN], l[ADDR_STRLEN], mtu[16] = "";
	int err;

	if (t->retry_at > clock)
		return 1;
	if ((t->flags & TUN_NOADDR) && m->cfg.addr44 != 0)
		what |= KERN_TUN_ADDR44;
	if (t->flags & TUN_UNMARKED)
		what |= KERN_TUN_MARK;
	if (t->flags & TUN_LOCAL)
		what |= KERN_TUN_LOCAL;
	if ((t->flags & TUN_MTU) && m->cfg.mtu > 0) {
		what |= KERN_TUN_MTU;
		snprintf(mtu, sizeof(mtu), " mtu %d", m->cfg.mtu);
	}
	if (what == 0) {
		t->flags &= ~TUN_FIXES;
		return 0;
	}
	kern_tunnel_of(m, t, &kt);
	snprintf(desc, sizeof(desc), "tunnel modify gif%d%s%s%s%s%s%s",
	    (int)t->unit, (what & KERN_TUN_ADDR44) ? " address " : "",
	    (what & KERN_TUN_ADDR44) ? fmt_addr(m->cfg.addr44, a) : "",
	    (what & KERN_TUN_MARK) ? " mark" : "",
	    (what & KERN_TUN_LOCAL) ? " local " : "",
	    (what & KERN_TUN_LOCAL) ? fmt_addr(m->cfg.local, l) : "", mtu);
	if ((err = m->kern->tunnel_modify(m->kctx, &kt, what)) != 0) {
		op_failed(m, err, desc, &t->failures, &t->retry_at, clock);
		return 1;
	}
	op_done(m, desc);
	t->flags &= ~TUN_FIXES;
	t->failures = 0;
	t->retry_at = 0;
	return 0;
}

/* Deletes gif<unit> (gone already is as good).  1 when it failed. */
static int
tunnel_destroy(struct mesh *m, struct tunnel *t, uint32_t clock)
{
	char what[160];
	int err;

	describe_tunnel(m, t, "delete", what, sizeof(what));
	err = m->kern->tunnel_delete(m->kctx, t->unit);
	if (err != 0 && err != ENXIO) {
		op_failed(m, err, what, &t->failures, &t->retry_at, clock);
		return 1;
	}
	if (err == 0)
		op_done(m, what);
	return 0;
}

/*
 * A gif brought down by someone else: delete it and make it again, with
 * its routes, which the kernel dropped or stopped using.
 */
static int
tunnel_repair(struct mesh *m, struct tunnel *t, uint32_t clock)
{
	if (t->retry_at > clock)
		return 1;
	/* Destroyed since it went down: nothing is left to delete. */
	if ((t->flags & TUN_INSTALLED) && tunnel_destroy(m, t, clock) != 0)
		return 1;
	t->flags &= ~TUN_BROKEN;
	mesh_tunnel_lost(m, t);
	/* Only routes leaving it held it: phase 3 forgets it. */
	if (t->refs == 0)
		return 1;
	return tunnel_make(m, t, clock);
}

/* Phase 3: a tunnel no route uses.  Returns 1 while it still needs work. */
static int
tunnel_unmake(struct mesh *m, struct tunnel *t, uint32_t clock)
{
	/* The operator's gif stays, and so does our record of it. */
	if (t->flags & TUN_RESERVED)
		return 0;
	/*
	 * Adopted without our mark and not used (yet): not ours to delete.
	 * The record stays, so that a route to its remote uses it (and
	 * marks it) rather than make a second gif beside it.
	 */
	if ((t->flags & (TUN_INSTALLED | TUN_UNMARKED)) ==
	    (TUN_INSTALLED | TUN_UNMARKED))
		return 0;
	if (t->flags & TUN_INSTALLED) {
		if (t->retry_at > clock)
			return 1;
		if (tunnel_destroy(m, t, clock) != 0)
			return 1;
		mesh_tell(m, MESH_EV_TUNNEL_REMOVED, 0, -1, t->remote, 0,
		    t->unit);
	}
	tunnels_free(&m->tunnels, t);
	return -1;
}

/*
 * The prefix is held by a route of another owner: leave it, count and log
 * the refusal once, and ask again only at the slow end of the backoff.
 */
static void
route_held(struct mesh *m, struct route *r, uint32_t clock)
{
	char prefix[PREFIX_STRLEN];

	if (!(r->flags & ROUTE_HELD)) {
		r->flags |= ROUTE_HELD;
		m->held++;
		log_warnx("%s is held by a route of another owner: left alone",
		    fmt_prefix(r->addr, r->len, prefix));
	}
	if (r->inst != NULL) {
		/* Ours went; theirs is there now. */
		mesh_tunnel_unref(m, r->inst);
		r->inst = NULL;
	}
	r->retry_at = clock + MESH_RETRY_MAX;
}

/* Phase 2: one route.  Returns 1 while it still needs work, -1 if freed. */
static int
route_sync(struct mesh *m, struct route *r, uint32_t clock)
{
	struct kern_route kr;
	char what[160];
	int err;

	if (r->want == NULL && r->inst == NULL) {
		mesh_route_free(m, r);
		return -1;
	}
	if (r->want != NULL && r->inst == r->want)
		return 0;
	/* Routes wait for their tunnel rather than being lost. */
	if (r->want != NULL && !(r->want->flags & TUN_INSTALLED))
		return 1;
	if (r->retry_at > clock)
		return 1;

	kr.addr = r->addr;
	kr.len = r->len;
	kr.rdomain = m->cfg.rdomain;
	if (r->want == NULL) {
		kr.unit = r->inst->unit;
		describe_route(m, r, "delete", -1, what, sizeof(what));
		err = m->kern->route_delete(m->kctx, &kr);
		if (err != 0 && err != ESRCH) {
			op_failed(m, err, what, &r->failures, &r->retry_at,
			    clock);
			return 1;
		}
		if (err == 0)
			op_done(m, what);
		mesh_tunnel_unref(m, r->inst);
		mesh_route_free(m, r);
		return -1;
	}

	kr.unit = r->want->unit;
	if (r->inst == NULL) {
		describe_route(m, r, "add", kr.unit, what, sizeof(what));
		err = m->kern->route_add(m->kctx, &kr);
		/* Already there (adopted through a duplicate gif): move it. */
		if (err == EEXIST) {
			describe_route(m, r, "change", kr.unit, what,
			    sizeof(what));
			err = m->kern->route_change(m->kctx, &kr);
		}
	} else {
		describe_route(m, r, "change", kr.unit, what, sizeof(what));
		err = m->kern->route_change(m->kctx, &kr);
		/* Gone behind our back: put it back. */
		if (err == ESRCH) {
			describe_route(m, r, "add", kr.unit, what,
			    sizeof(what));
			err = m->kern->route_add(m->kctx, &kr);
		}
	}
	if (err == EADDRINUSE) {
		route_held(m, r, clock);
		return 1;
	}
	if (err != 0) {
		op_failed(m, err, what, &r->failures, &r->retry_at, clock);
		return 1;
	}
	op_done(m, what);
	if (r->flags & ROUTE_HELD) {
		log_info("%s: the other owner's route is gone", what);
		r->flags &= ~ROUTE_HELD;
	}
	mesh_tunnel_ref(m, r->want);
	if (r->inst != NULL)
		mesh_tunnel_unref(m, r->inst);
	r->inst = r->want;
	r->failures = 0;
	r->retry_at = 0;
	return 0;
}

/* Takes the list's items, leaving it empty for requeueing. */
static struct worklist
worklist_take(struct worklist *w)
{
	struct worklist taken = *w;

	w->items = NULL;
	w->count = w->cap = 0;
	return taken;
}

static void
tunnels_pass(struct mesh *m, uint32_t clock, int deleting)
{
	struct worklist work = worklist_take(&m->tdirty);
	struct tunnel *t;
	size_t i;
	int again;

	for (i = 0; i < work.count; i++) {
		t = work.items[i];
		t->flags &= ~TUN_DIRTY;
		if (t->refs > 0 && (t->flags & TUN_WAITING))
			again = 0;	/* woken when the unit returns */
		else if (t->refs > 0 && (t->flags & TUN_INSTALLED) &&
		    (t->flags & TUN_FIXES) &&
		    tunnel_fix(m, t, clock) == 1)
			again = 1;
		else if (t->refs > 0 && (t->flags & TUN_BROKEN))
			again = tunnel_repair(m, t, clock);
		else if (t->refs > 0 && (t->flags & TUN_INSTALLED)) {
			/* In use again: a failed delete owes no wait. */
			t->failures = 0;
			t->retry_at = 0;
			again = 0;
		} else if (t->refs > 0)
			again = tunnel_make(m, t, clock);
		else
			again = deleting ? tunnel_unmake(m, t, clock) : 1;
		if (again == 1)
			mesh_tunnel_dirty(m, t);
	}
	free(work.items);
}

static void
routes_pass(struct mesh *m, uint32_t clock)
{
	struct worklist work = worklist_take(&m->rdirty);
	struct route *r;
	size_t i;

	for (i = 0; i < work.count; i++) {
		r = work.items[i];
		r->flags &= ~ROUTE_DIRTY;
		if (route_sync(m, r, clock) == 1)
			mesh_route_dirty(m, r);
	}
	free(work.items);
}

/* Duplicate gifs found at start-up go once no route is left to move. */
static void
strays_pass(struct mesh *m)
{
	char what[64];
	size_t i, kept = 0;
	int err;

	if (m->rdirty.count > 0)
		return;
	for (i = 0; i < m->nstrays; i++) {
		snprintf(what, sizeof(what), "tunnel delete gif%d",
		    m->strays[i].unit);
		err = m->kern->tunnel_delete(m->kctx, m->strays[i].unit);
		if (err == 0 || err == ENXIO) {
			if (err == 0)
				op_done(m, what);
			unitmap_release(&m->tunnels.units, m->strays[i].unit);
		} else {
			m->errors++;
			m->pass.failed++;
			log_errno(err, "%s failed", what);
			m->strays[kept++] = m->strays[i];
		}
	}
	m->nstrays = kept;
}

/* One info line for a pass that did anything; nothing for one that did not. */
static void
pass_summary(struct mesh *m)
{
	const struct mesh_pass *p = &m->pass;

	if (m->cfg.log_ops && (p->tunnels_added || p->tunnels_deleted ||
	    p->routes_added || p->routes_changed || p->routes_deleted ||
	    p->failed))
		log_info("kernel: %lu tunnels added, %lu deleted; %lu routes "
		    "added, %lu changed, %lu deleted; %lu failed",
		    p->tunnels_added, p->tunnels_deleted, p->routes_added,
		    p->routes_changed, p->routes_deleted, p->failed);
	memset(&m->pass, 0, sizeof(m->pass));
}

void
mesh_reconcile(struct mesh *m, time_t now)
{
	uint32_t clock = mesh_clock(m, now);

	tunnels_pass(m, clock, 0);
	routes_pass(m, clock);
	tunnels_pass(m, clock, 1);
	strays_pass(m);
	pass_summary(m);
	m->newtunnels = 0;
}

static time_t
earliest(time_t a, time_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

time_t
mesh_next_event(const struct mesh *m)
{
	const struct route *r;
	const struct tunnel *t;
	time_t when = 0;
	size_t i;

	if (!m->have_epoch)
		return 0;
	if (m->next_expiry != 0)
		when = m->epoch + m->next_expiry;
	for (i = 0; i < m->rdirty.count; i++) {
		r = m->rdirty.items[i];
		if (r->retry_at != 0)
			when = earliest(when, m->epoch + r->retry_at);
	}
	for (i = 0; i < m->tdirty.count; i++) {
		t = m->tdirty.items[i];
		if (t->retry_at != 0)
			when = earliest(when, m->epoch + t->retry_at);
	}
	return when;
}
