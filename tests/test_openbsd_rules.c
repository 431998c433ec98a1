/*
 * The shared code against a kernel that follows OpenBSD's rules (the
 * dry-run backend's OpenBSD mode): interface events that arrive late and
 * name the old interface index, routes of other owners in a slot of their
 * own, routes that fail through a gif without an address, an operator's
 * gifs that come and go.  One test per defect found by reading the
 * kernel's sources; each failed before its fix.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "kern.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"

#include "mesh_fixture.h"

#define ADDR44		A(44, 44, 107, 1)
#define AMPRGW		A(169, 228, 34, 84)

/* A mesh on a kernel that follows OpenBSD's rules. */
static struct fixture *
rules_fixture(const int *reserved, int nreserved)
{
	struct fixture *f = fixture_new(1, reserved, nreserved, 0);

	kern_dry_set_rules(f->kctx, KERN_DRY_RULES_OPENBSD);
	return f;
}

/* What the daemon does when the event descriptor is readable. */
static void
read_events(struct fixture *f)
{
	assert_int_equal(kern_dry_ops.events(f->kctx, deliver_event, f->m),
	    0);
}

static struct mesh_stats
stats(struct fixture *f)
{
	struct mesh_stats st;

	mesh_get_stats(f->m, &st);
	return st;
}

static void
preset(struct fixture *f, int unit, uint32_t remote, int marked,
    uint32_t addr44)
{
	struct kern_tunnel kt = { .unit = unit, .local = LOCAL,
	    .remote = remote, .rdomain = 44, .tunneldomain = 23,
	    .addr44 = addr44, .up = 1, .marked = marked };

	kern_dry_preset_tunnel(f->kctx, &kt);
}

static void
preset_route(struct fixture *f, uint32_t addr, int len, int unit)
{
	struct kern_route kr = { .addr = addr, .len = len, .unit = unit,
	    .rdomain = 44 };

	kern_dry_preset_route(f->kctx, &kr);
}

static void
preset_foreign(struct fixture *f, uint32_t addr, int len, int unit)
{
	struct kern_route kr = { .addr = addr, .len = len, .unit = unit,
	    .rdomain = 44 };

	kern_dry_preset_foreign_route(f->kctx, &kr);
}

/*
 * Passes with the clock moving past every backoff, events read between
 * them as the daemon would; returns the dry-run lines they wrote.
 */
static const char *
quiet_passes(struct fixture *f, time_t from, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		read_events(f);
		mesh_reconcile(f->m, from + (time_t)i * 400);
	}
	return lines(f);
}

/*
 * Defect 1: "ifconfig gif0 down" by hand.  The repair destroys and makes
 * gif0 again; the kernel's events for the destroyed one (down, then
 * departure, old index) are read after that.  Before: taken as the new
 * gif0 going down and away, an endless destroy/re-create loop.
 */
static void
test_repair_after_down_is_quiet(void **state)
{
	struct fixture *f = rules_fixture(NULL, 0);
	struct kern_tunnel kt;
	int before;

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	assert_true(kern_dry_get_tunnel(f->kctx, 0, &kt));
	before = kt.ifindex;

	kern_dry_bring_down(f->kctx, 0);
	read_events(f);
	mesh_reconcile(f->m, T0 + 1);
	/* One repair, in one pass. */
	assert_string_equal(lines(f),
	    "tunnel delete gif0\n"
	    "tunnel add gif0 local 23.30.150.141 remote 198.51.100.20 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.2.2.0/24 gif0 rdomain 44\n"
	    "route add 44.2.3.0/24 gif0 rdomain 44\n");
	assert_true(kern_dry_get_tunnel(f->kctx, 0, &kt));
	assert_int_not_equal(kt.ifindex, before);
	/* The old gif0's events change nothing over the next 10 passes. */
	assert_string_equal(quiet_passes(f, T0 + 2, 10), "");
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 0);
	assert_int_equal(stats(f).pending, 0);
	assert_int_equal(stats(f).kernel_errors, 0);
	fixture_free(f);
}

/*
 * Defect 1 again: a unit freed and handed straight back (unitmap gives
 * the lowest free one) before the destroyed gif's events are read.
 */
static void
test_unit_reused_no_flap(void **state)
{
	struct fixture *f = rules_fixture(NULL, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	/* GW1's last route moves to GW2: gif1 made, gif0 destroyed. */
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	/* A new gateway in the same broadcast gets unit 0 again. */
	heard(f, A(44, 3, 3, 0), 24, GW3, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 0);
	(void)lines(f);
	assert_string_equal(quiet_passes(f, T0 + 2, 10), "");
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 1);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 2);
	assert_int_equal(stats(f).pending, 0);
	fixture_free(f);
}

/*
 * Defect 2: an operator's static route on a prefix the feed advertises.
 * Before, our add (RTF_STATIC, the static priority) met EEXIST and the
 * reconciler's RTM_CHANGE (RTP_ANY) rewrote the operator's route into a
 * gif.  Now the backend answers EADDRINUSE: never changed or deleted,
 * one counted refusal, asked again only at the slow end of the backoff.
 */
static void
test_operator_route_never_changed(void **state)
{
	struct fixture *f = rules_fixture(NULL, 0);
	struct kern_route kr;
	time_t next;

	preset_foreign(f, A(44, 2, 2, 0), 24, 7);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 0);
	assert_true(kern_dry_get_foreign_route(f->kctx, A(44, 2, 2, 0), 24,
	    &kr));
	assert_int_equal(kr.unit, 7);
	assert_int_equal(stats(f).routes_held, 1);
	assert_int_equal(stats(f).kernel_errors, 0);
	/* Not retried in a second, as a failure would be. */
	next = mesh_next_event(f->m);
	assert_true(next >= T0 + MESH_RETRY_MAX);
	(void)lines(f);
	/* Later tries refuse again, count nothing more, change nothing. */
	assert_string_equal(quiet_passes(f, T0 + 1, 10), "");
	assert_int_equal(stats(f).routes_held, 1);
	assert_true(kern_dry_get_foreign_route(f->kctx, A(44, 2, 2, 0), 24,
	    &kr));
	assert_int_equal(kr.unit, 7);
	/* The operator removes theirs: ours goes in at the next try. */
	kern_dry_drop_route(f->kctx, A(44, 2, 2, 0), 24);
	assert_false(kern_dry_get_foreign_route(f->kctx, A(44, 2, 2, 0), 24,
	    NULL));
	heard(f, A(44, 2, 2, 0), 24, GW1, T0 + 4000);
	mesh_reconcile(f->m, T0 + 4000);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	fixture_free(f);
}

/*
 * Defect 3: adoption takes only our routes.  The kernel's host route to a
 * gif's destination and an operator's route through gif0 are another
 * owner's: not adopted, and nothing done to them.  Which routes the
 * OpenBSD backend reports is rtmsg_route_owner()'s decision, and its test
 * (test_route_owner in test_rtmsg.c) is the one that failed before; this
 * one holds the reconciler to leaving what is not reported alone.
 */
static void
test_adoption_ignores_foreign_routes(void **state)
{
	int reserved[] = { 0 };
	struct fixture *f = rules_fixture(reserved, 1);

	preset(f, 0, 0, 0, 0);			/* the catch-all */
	preset(f, 2, GW1, 1, ADDR44);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	preset_foreign(f, GW1, 32, 2);		/* in_addhost() */
	preset_foreign(f, A(44, 9, 0, 0), 16, 0);
	mesh_adopt(f->m, T0);
	assert_int_equal(stats(f).routes, 1);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f), "");
	assert_true(kern_dry_get_foreign_route(f->kctx, GW1, 32, NULL));
	assert_true(kern_dry_get_foreign_route(f->kctx, A(44, 9, 0, 0), 16,
	    NULL));
	fixture_free(f);
}

/*
 * Defect 4: a gif of ours without our 44 address (moved between rdomains,
 * or a crash before SIOCAIFADDR).  Routes through it fail with
 * EADDRNOTAVAIL; one operation puts the address back, at adoption and at
 * a re-scan.
 */
static void
test_gif_without_address_repaired(void **state)
{
	struct fixture *f = rules_fixture(NULL, 0);
	struct kern_tunnel kt;

	preset(f, 2, GW1, 1, 0);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	mesh_adopt(f->m, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f),
	    "tunnel modify gif2 address 44.44.107.1\n"
	    "route add 44.2.3.0/24 gif2 rdomain 44\n");
	assert_int_equal(stats(f).pending, 0);

	/* Moved to another rdomain and back by hand: the address is gone. */
	assert_true(kern_dry_get_tunnel(f->kctx, 2, &kt));
	kt.addr44 = 0;
	kern_dry_preset_tunnel(f->kctx, &kt);
	assert_int_equal(mesh_rescan(f->m, T0 + 10), 0);
	mesh_reconcile(f->m, T0 + 10);
	assert_string_equal(lines(f),
	    "tunnel modify gif2 address 44.44.107.1\n");
	assert_string_equal(quiet_passes(f, T0 + 11, 10), "");
	fixture_free(f);
}

/*
 * Defect 5: the operator's gif1 to amprgw vanishes.  We never make our
 * own tunnel to amprgw in its place (RIP would then arrive through the
 * operator's gif1 when it returns while our gif was the one we knew);
 * the routes wait, and come back through gif1 when it is made again.
 */
static const struct kern_tunnel gif1_to_amprgw = { .unit = 1,
    .local = LOCAL, .remote = AMPRGW, .rdomain = 44, .tunneldomain = 23,
    .addr44 = ADDR44, .up = 1 };

/* The operator's gif1 to amprgw, adopted, with a route through it. */
static void
amprgw_route(struct fixture *f)
{
	kern_dry_preset_tunnel(f->kctx, &gif1_to_amprgw);
	mesh_adopt(f->m, T0);
	heard(f, A(44, 60, 0, 0), 24, AMPRGW, T0);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kernel_route(f, A(44, 60, 0, 0), 24), 1);
	(void)lines(f);
}

static void
test_reserved_gif_waited_for(void **state)
{
	int reserved[] = { 0, 1 };
	struct fixture *f = rules_fixture(reserved, 2);

	amprgw_route(f);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);

	kern_dry_vanish(f->kctx, 1);
	assert_string_equal(quiet_passes(f, T0 + 1, 10), "");
	assert_false(kern_dry_get_tunnel(f->kctx, 1, NULL));
	assert_int_equal(kern_dry_ntunnels(f->kctx), 1);	/* gif2 */
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 2);

	/* The operator makes gif1 again: its route returns through it. */
	kern_dry_appear(f->kctx, &gif1_to_amprgw);
	read_events(f);
	mesh_reconcile(f->m, T0 + 5000);
	assert_string_equal(lines(f),
	    "route add 44.60.0.0/24 gif1 rdomain 44\n");
	assert_string_equal(quiet_passes(f, T0 + 5001, 10), "");
	assert_int_equal(kern_dry_ntunnels(f->kctx), 2);
	fixture_free(f);
}

/* The same return, seen by a re-scan (SIGHUP) rather than an event. */
static void
test_reserved_gif_back_by_rescan(void **state)
{
	int reserved[] = { 1 };
	struct fixture *f = rules_fixture(reserved, 1);

	amprgw_route(f);
	kern_dry_vanish(f->kctx, 1);
	assert_int_equal(mesh_rescan(f->m, T0 + 1), 0);
	mesh_reconcile(f->m, T0 + 1);
	(void)lines(f);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	kern_dry_preset_tunnel(f->kctx, &gif1_to_amprgw);
	assert_int_equal(mesh_rescan(f->m, T0 + 2), 0);
	mesh_reconcile(f->m, T0 + 2);
	assert_string_equal(lines(f),
	    "route add 44.60.0.0/24 gif1 rdomain 44\n");
	/* The destroyed gif1's events, read late, change nothing. */
	assert_string_equal(quiet_passes(f, T0 + 3, 5), "");
	assert_int_equal(kernel_route(f, A(44, 60, 0, 0), 24), 1);
	fixture_free(f);
}

/*
 * Issue 13, tunnels: a gif without our mark is never deleted or changed.
 * One that matches a wanted tunnel exactly is adopted and marked when a
 * route uses it (how tunnels of earlier versions carry over); unused, it
 * is left as it is, its unit kept from the allocator.  Before: adopted
 * and deleted at start-up.
 */
static void
test_unmarked_gif_never_deleted(void **state)
{
	struct fixture *f = rules_fixture(NULL, 0);

	preset(f, 0, GW1, 0, ADDR44);		/* hand-made, unused */
	preset(f, 1, GW2, 0, ADDR44);		/* an older 44meshd's */
	preset_route(f, A(44, 3, 3, 0), 24, 1);
	preset(f, 2, GW2, 0, ADDR44);		/* a second one to GW2 */
	mesh_adopt(f->m, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f), "tunnel modify gif1 mark\n");
	assert_string_equal(quiet_passes(f, T0 + 1, 3), "");
	assert_int_equal(kern_dry_ntunnels(f->kctx), 3);
	/* Their units are not ours to hand out. */
	heard(f, A(44, 4, 4, 0), 24, GW3, T0 + 2000);
	mesh_reconcile(f->m, T0 + 2000);
	assert_int_equal(kernel_route(f, A(44, 4, 4, 0), 24), 3);
	/* A route to the hand-made gif's remote uses it, and marks it. */
	(void)lines(f);
	heard(f, A(44, 5, 5, 0), 24, GW1, T0 + 2001);
	mesh_reconcile(f->m, T0 + 2001);
	assert_string_equal(lines(f), "tunnel modify gif0 mark\n"
	    "route add 44.5.5.0/24 gif0 rdomain 44\n");
	fixture_free(f);
}

/* Our own duplicate (marked) still goes once its routes moved. */
static void
test_marked_duplicate_deleted(void **state)
{
	struct fixture *f = rules_fixture(NULL, 0);

	preset(f, 2, GW1, 1, ADDR44);
	preset(f, 4, GW1, 1, ADDR44);
	preset_route(f, A(44, 2, 3, 0), 24, 4);
	mesh_adopt(f->m, T0);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 2);
	assert_false(kern_dry_get_tunnel(f->kctx, 4, NULL));
	fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repair_after_down_is_quiet),
		cmocka_unit_test(test_unit_reused_no_flap),
		cmocka_unit_test(test_operator_route_never_changed),
		cmocka_unit_test(test_adoption_ignores_foreign_routes),
		cmocka_unit_test(test_gif_without_address_repaired),
		cmocka_unit_test(test_reserved_gif_waited_for),
		cmocka_unit_test(test_reserved_gif_back_by_rescan),
		cmocka_unit_test(test_unmarked_gif_never_deleted),
		cmocka_unit_test(test_marked_duplicate_deleted),
	};

	log_init(1, 0, "test_openbsd_rules");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
