/*
 * Reading the kernel back: adoption at start-up, repair after a re-scan,
 * and interfaces that change behind our back.
 *
 * Ownership: a gif is ours when it carries our mark (kern.h).  One without
 * it is never deleted or changed, with one exception: a gif that matches
 * a wanted tunnel exactly (local, remote, both domains), as the tunnels
 * of versions before the mark do, is adopted, and marked once a route
 * uses it.  Any other is left alone and its unit kept from the allocator.
 */
#include <errno.h>
#include <stdlib.h>

#include "addr.h"
#include "log.h"
#include "patricia.h"
#include "mesh_impl.h"

struct adoption {
	struct mesh	*m;
	uint32_t	 clock;
	size_t		 tunnels;
	size_t		 routes;
	size_t		 ignored;
};

static int
tunnel_is_ours(const struct mesh *m, const struct kern_tunnel *kt)
{
	if (kt->remote == 0)
		return 0;
	if (m->cfg.local != 0 && kt->local != m->cfg.local)
		return 0;
	return kt->rdomain == m->cfg.rdomain &&
	    kt->tunneldomain == m->cfg.tunneldomain;
}

/*
 * Another MTU than -m on a gif of ours (marked): set in place.  One
 * without our mark keeps what its maker gave it.
 */
static int
mtu_differs(const struct mesh *m, const struct kern_tunnel *kt)
{
	return m->cfg.mtu > 0 && kt->marked && kt->mtu != m->cfg.mtu;
}

static int
stray_add(struct mesh *m, int unit, uint32_t remote)
{
	struct stray *n;

	if ((n = reallocarray(m->strays, m->nstrays + 1, sizeof(*n))) == NULL)
		return -1;
	m->strays = n;
	m->strays[m->nstrays].unit = unit;
	m->strays[m->nstrays].remote = remote;
	m->nstrays++;
	return 0;
}

static void
adopt_tunnel(void *arg, const struct kern_tunnel *kt)
{
	struct adoption *a = arg;
	struct mesh *m = a->m;
	struct tunnel *t;
	int reserved = unitmap_is_reserved(&m->tunnels.units, kt->unit);
	char remote[ADDR_STRLEN];

	/* Whatever it is, we must never make another gif with its unit. */
	if (unitmap_take(&m->tunnels.units, kt->unit) == -1)
		return;
	if (reserved ? kt->remote == 0 : !tunnel_is_ours(m, kt)) {
		a->ignored++;
		return;
	}
	if ((t = tunnels_find(&m->tunnels, kt->remote)) != NULL) {
		/*
		 * A second gif to one remote: routes move off it, then it
		 * goes, if it is ours.  An operator's reserved one, or one
		 * without our mark, is never deleted.
		 */
		if (!reserved && kt->marked &&
		    stray_add(m, kt->unit, kt->remote) == 0)
			log_info("gif%d duplicates gif%d to %s: will delete",
			    kt->unit, (int)t->unit,
			    fmt_addr(kt->remote, remote));
		else if (!reserved) {
			log_info("gif%d duplicates gif%d to %s but is not "
			    "marked as ours: left alone", kt->unit,
			    (int)t->unit, fmt_addr(kt->remote, remote));
			a->ignored++;
		}
		return;
	}
	if ((t = tunnels_get(&m->tunnels, kt->remote)) == NULL ||
	    tunnels_set_unit(&m->tunnels, t, kt->unit) == -1) {
		log_warnx("cannot adopt gif%d: table full", kt->unit);
		return;
	}
	t->flags |= TUN_INSTALLED;
	t->ifindex = kt->ifindex;
	if (reserved)
		t->flags |= TUN_RESERVED;
	else {
		if (!kt->up)
			t->flags |= TUN_BROKEN;
		if (!kt->marked)
			t->flags |= TUN_UNMARKED;
		/* Lost to a crash or an rdomain move: put it back. */
		if (m->cfg.addr44 != 0 && kt->addr44 != m->cfg.addr44)
			t->flags |= TUN_NOADDR;
		if (mtu_differs(m, kt))
			t->flags |= TUN_MTU;
	}
	/* Unused adopted tunnels are deleted by the next pass. */
	mesh_tunnel_dirty(m, t);
	a->tunnels++;
}

/* The remote of a duplicate gif found earlier in this scan, or 0. */
static uint32_t
stray_remote(const struct mesh *m, int unit)
{
	size_t i;

	for (i = 0; i < m->nstrays; i++)
		if (m->strays[i].unit == unit)
			return m->strays[i].remote;
	return 0;
}

static void
adopt_route(void *arg, const struct kern_route *kr)
{
	struct adoption *a = arg;
	struct mesh *m = a->m;
	struct tunnel *t;
	struct route *r;
	uint32_t remote;
	int via_stray = 0;

	if (kr->rdomain != m->cfg.rdomain)
		return;
	t = tunnels_by_unit(&m->tunnels, kr->unit);
	if (t == NULL && (remote = stray_remote(m, kr->unit)) != 0) {
		t = tunnels_find(&m->tunnels, remote);
		via_stray = 1;
	}
	if (t == NULL || mesh_route_find(m, kr->addr, kr->len) != NULL ||
	    m->nwanted >= m->cfg.maxroutes ||
	    (r = mesh_route_new(m, kr->addr, kr->len)) == NULL) {
		a->ignored++;
		return;
	}
	/*
	 * Installed as it stands, and wanted as if just heard.  One via a
	 * duplicate gif is not ours to keep: the next pass moves it (add
	 * answers EEXIST, then change) before the duplicate goes.
	 */
	if (!via_stray) {
		mesh_tunnel_ref(m, t);
		r->inst = t;
	}
	mesh_route_want(m, r, t, a->clock);
	a->routes++;
}

int
mesh_adopt(struct mesh *m, time_t now)
{
	struct adoption a = { .m = m, .clock = mesh_clock(m, now) };
	int err;

	if ((err = m->kern->scan(m->kctx, adopt_tunnel, adopt_route, &a)) != 0)
		log_errno(err, "reading tunnels and routes from the kernel");
	log_info("adopted %zu tunnels and %zu routes, %zu left alone",
	    a.tunnels, a.routes, a.ignored);
	return err;
}

struct lost {
	struct mesh	*m;
	struct tunnel	*t;
};

static int
lost_route(uint32_t addr, int len, void *value, void *arg)
{
	struct lost *l = arg;
	struct route *r = value;

	(void)addr;
	(void)len;
	if (r->inst == l->t) {
		r->inst = NULL;
		mesh_tunnel_unref(l->m, l->t);
		mesh_route_dirty(l->m, r);
	}
	return 0;
}

void
mesh_tunnel_lost(struct mesh *m, struct tunnel *t)
{
	struct lost l = { m, t };

	t->flags &= ~TUN_INSTALLED;
	ptree_walk(m->routes, lost_route, &l);
	mesh_tunnel_dirty(m, t);
}

/*
 * An operator's gif vanished, and its routes with it.  We never make our
 * own to that remote in its place: RIP from amprgw arrives through the
 * operator's tunnel, and a second gif to the same remote would take it
 * over when the operator's comes back.  The routes wait for the unit.
 */
static void
reserved_lost(struct mesh *m, struct tunnel *t)
{
	char remote[ADDR_STRLEN];

	log_warnx("gif%d (reserved, to %s) is gone: its routes wait for it "
	    "to come back", (int)t->unit, fmt_addr(t->remote, remote));
	t->flags |= TUN_WAITING;
	t->ifindex = 0;
	mesh_tunnel_lost(m, t);
}

/* The reserved gif t waited for is back, as kt: take it again. */
static void
reserved_back(struct mesh *m, struct tunnel *t, const struct kern_tunnel *kt)
{
	char remote[ADDR_STRLEN];

	if (kt->remote != t->remote) {
		log_warnx("gif%d is back but to %s: its routes still wait",
		    kt->unit, fmt_addr(kt->remote, remote));
		return;
	}
	log_info("gif%d (reserved) is back: its routes return", kt->unit);
	t->flags &= ~(TUN_WAITING | TUN_BROKEN);
	t->flags |= TUN_INSTALLED;
	t->ifindex = kt->ifindex;
	mesh_tunnel_dirty(m, t);
}

static void
waiting_tunnel(void *arg, const struct kern_tunnel *kt)
{
	struct mesh *m = arg;
	struct tunnel *t = tunnels_by_unit(&m->tunnels, kt->unit);

	if (t != NULL && (t->flags & TUN_WAITING))
		reserved_back(m, t, kt);
}

void
mesh_kernel_event(struct mesh *m, const struct kern_event *ev)
{
	struct tunnel *t = tunnels_by_unit(&m->tunnels, ev->unit);
	int err;

	if (t == NULL)
		return;
	/* A reserved unit we wait for appeared or changed: look at it. */
	if ((t->flags & TUN_WAITING) && ev->type != KERN_EV_GONE) {
		if ((err = m->kern->scan(m->kctx, waiting_tunnel, NULL, m)) !=
		    0)
			log_errno(err, "reading gif%d back", ev->unit);
		return;
	}
	if (!(t->flags & TUN_INSTALLED))
		return;
	/*
	 * Events of a gif destroyed before they were read carry its old
	 * index (if_clone_destroy() in sys/net/if.c queues RTM_IFINFO and
	 * RTM_IFANNOUNCE): they are not about the gif of that unit now.
	 */
	if (ev->ifindex > 0 && t->ifindex > 0 && ev->ifindex != t->ifindex) {
		log_debug("gif%d: event for its former index %d ignored",
		    ev->unit, ev->ifindex);
		return;
	}
	switch (ev->type) {
	case KERN_EV_GONE:
		log_warnx("gif%d was destroyed behind our back", ev->unit);
		if (t->flags & TUN_RESERVED)
			reserved_lost(m, t);
		else
			mesh_tunnel_lost(m, t);
		break;
	case KERN_EV_DOWN:
		if (t->flags & TUN_RESERVED)
			break;
		log_warnx("gif%d was brought down behind our back", ev->unit);
		t->flags |= TUN_BROKEN;
		mesh_tunnel_dirty(m, t);
		break;
	case KERN_EV_UP:
	case KERN_EV_NEW:
		break;
	}
}

static void
rescan_tunnel(void *arg, const struct kern_tunnel *kt)
{
	struct mesh *m = arg;
	struct tunnel *t = tunnels_by_unit(&m->tunnels, kt->unit);

	if (t == NULL || t->remote != kt->remote) {
		/* Somebody else's: keep its unit out of our allocator. */
		if (t == NULL)
			unitmap_take(&m->tunnels.units, kt->unit);
		return;
	}
	if (t->flags & TUN_WAITING) {
		reserved_back(m, t, kt);
		t->flags |= TUN_SEEN;
		return;
	}
	t->flags |= TUN_SEEN;
	t->ifindex = kt->ifindex;
	if (t->flags & TUN_RESERVED)
		return;
	if (!kt->up) {
		t->flags |= TUN_BROKEN;
		mesh_tunnel_dirty(m, t);
	}
	if ((t->flags & TUN_INSTALLED) && m->cfg.addr44 != 0 &&
	    kt->addr44 != m->cfg.addr44) {
		t->flags |= TUN_NOADDR;
		mesh_tunnel_dirty(m, t);
	}
	if ((t->flags & TUN_INSTALLED) && mtu_differs(m, kt)) {
		t->flags |= TUN_MTU;
		mesh_tunnel_dirty(m, t);
	}
}

static void
rescan_route(void *arg, const struct kern_route *kr)
{
	struct mesh *m = arg;
	struct route *r;

	if (kr->rdomain != m->cfg.rdomain)
		return;
	r = mesh_route_find(m, kr->addr, kr->len);
	if (r != NULL && r->inst != NULL && r->inst->unit == kr->unit)
		r->flags |= ROUTE_SEEN;
}

struct sweep {
	struct mesh	*m;
	size_t		 tunnels;
};

static void
sweep_tunnel(void *arg, struct tunnel *t)
{
	struct sweep *s = arg;

	if ((t->flags & TUN_INSTALLED) && !(t->flags & TUN_SEEN)) {
		log_warnx("gif%d is missing from the kernel", (int)t->unit);
		/* Gone, so nothing to delete: it is made again. */
		if (t->flags & TUN_RESERVED)
			reserved_lost(s->m, t);
		else
			mesh_tunnel_lost(s->m, t);
		s->tunnels++;
	}
	t->flags &= ~TUN_SEEN;
}

static int
unmark_route(uint32_t addr, int len, void *value, void *arg)
{
	struct route *r = value;

	(void)addr;
	(void)len;
	(void)arg;
	r->flags &= ~ROUTE_SEEN;
	return 0;
}

struct repair {
	struct mesh	*m;
	size_t		 routes;
};

/* Installed, not seen by the scan, and not going to be remade anyway. */
static int
repair_route(uint32_t addr, int len, void *value, void *arg)
{
	struct repair *p = arg;
	struct route *r = value;

	(void)addr;
	(void)len;
	if (r->inst != NULL && !(r->flags & ROUTE_SEEN) &&
	    !(r->inst->flags & TUN_BROKEN)) {
		mesh_tunnel_unref(p->m, r->inst);
		r->inst = NULL;
		mesh_route_dirty(p->m, r);
		p->routes++;
	}
	r->flags &= ~ROUTE_SEEN;
	return 0;
}

int
mesh_rescan(struct mesh *m, time_t now)
{
	struct sweep s = { .m = m };
	struct repair p = { .m = m };
	int err;

	(void)mesh_clock(m, now);
	if ((err = m->kern->scan(m->kctx, rescan_tunnel, rescan_route, m)) !=
	    0) {
		log_errno(err, "re-reading the kernel");
		/* Clear half-made marks; believe our records until next time. */
		ptree_walk(m->routes, unmark_route, NULL);
		return err;
	}
	/* Missing tunnels are made again, with their routes. */
	tunnels_foreach(&m->tunnels, sweep_tunnel, &s);
	ptree_walk(m->routes, repair_route, &p);
	log_info("re-scan: %zu tunnels and %zu routes to repair", s.tunnels,
	    p.routes);
	return 0;
}
