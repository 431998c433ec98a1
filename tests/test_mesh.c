/*
 * The reconciler against the dry-run backend's kernel model: fewest
 * operations, safe order, retries, expiry, adoption, repair.
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

#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "ingest.h"
#include "kern.h"
#include "kern_dry.h"
#include "feed.h"
#include "log.h"
#include "mesh.h"
#include "policy.h"
#include "rip.h"
#include "tunnels.h"

#include "mesh_fixture.h"

#define WEEK		604800

static unsigned long
ops(struct fixture *f)
{
	struct mesh_stats st;

	mesh_get_stats(f->m, &st);
	return st.kernel_ops;
}

static size_t
pending(struct fixture *f)
{
	struct mesh_stats st;

	mesh_get_stats(f->m, &st);
	return st.pending;
}

/* What the daemon's timer does until t; returns the routes expired. */
static size_t
run_until(struct fixture *f, time_t t)
{
	time_t when;
	size_t n = 0;
	int rounds;

	for (rounds = 0; rounds < 1000; rounds++) {
		when = mesh_next_event(f->m);
		if (when == 0 || when > t)
			break;
		n += mesh_expire(f->m, when);
		mesh_reconcile(f->m, when);
	}
	assert_int_not_equal(rounds, 1000);
	n += mesh_expire(f->m, t);
	mesh_reconcile(f->m, t);
	return n;
}

/* One accepted datagram at now carrying one route (0: none). */
static void
datagram(struct fixture *f, time_t now, uint32_t addr, uint32_t gw)
{
	mesh_datagram(f->m, now);
	if (addr != 0)
		heard(f, addr, 24, gw, now);
	mesh_expire(f->m, now);
	mesh_reconcile(f->m, now);
}

/* A table of three routes in three datagrams; 0 in lost[i] loses one. */
#define R1		A(44, 1, 1, 0)
#define R2		A(44, 2, 2, 0)
#define R3		A(44, 3, 3, 0)

static void
table(struct fixture *f, time_t now, int upto, int lost)
{
	static const uint32_t route[] = { R1, R2, R3 };
	static const uint32_t gw[] = { GW1, GW2, GW3 };
	int i;

	for (i = 0; i < upto; i++)
		if (i != lost)
			datagram(f, now + i, route[i], gw[i]);
}

static void
feed_view(struct fixture *f, struct mesh_feed_view *v)
{
	mesh_get_feed(f->m, v);
}

static uint32_t
kernel_remote(struct fixture *f, int unit)
{
	struct kern_tunnel kt;

	if (!kern_dry_get_tunnel(f->kctx, unit, &kt))
		return 0;
	return kt.remote;
}

static void
test_cold_start_order(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 130, 0, 0), 16, GW2, T0);
	heard(f, A(44, 130, 5, 0), 29, GW1, T0);
	mesh_reconcile(f->m, T0);
	/* Tunnels first (lowest units), then the routes that use them. */
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 198.51.100.20 "
	    "rdomain 44 tunneldomain 23\n"
	    "tunnel add gif1 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.2.2.0/24 gif0 rdomain 44\n"
	    "route add 44.130.0.0/16 gif1 rdomain 44\n"
	    "route add 44.130.5.0/29 gif0 rdomain 44\n");
	assert_int_equal(ops(f), 5);
	assert_int_equal(pending(f), 0);
	assert_int_equal(kernel_route(f, A(44, 130, 5, 0), 29), 0);
	assert_int_equal(kernel_remote(f, 1), GW2);
	fixture_free(f);
}

static void
test_unchanged_table_costs_nothing(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);
	int cycle, i;

	for (cycle = 0; cycle < 3; cycle++) {
		for (i = 0; i < 50; i++)
			heard(f, A(44, 10, i, 0), 24, A(198, 51, 100, i % 7 + 1),
			    T0 + cycle * 300);
		mesh_reconcile(f->m, T0 + cycle * 300);
		/* 7 tunnels and 50 routes in the first cycle, then nothing. */
		assert_int_equal(ops(f), 7 + 50);
	}
	assert_int_equal(kern_dry_nroutes(f->kctx), 50);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 7);
	fixture_free(f);
}

static void
test_gateway_move_order(void **state)
{
	struct fixture *f = fixture_one_route();

	(void)lines(f);
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 300);
	mesh_reconcile(f->m, T0 + 300);
	/* New tunnel, then the route moves, then the old tunnel goes. */
	assert_string_equal(lines(f),
	    "tunnel add gif1 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "route change 44.2.2.0/24 gif1 rdomain 44\n"
	    "tunnel delete gif0\n");
	assert_int_equal(ops(f), 2 + 3);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 1);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 1);
	/* The freed unit is the lowest free one again. */
	heard(f, A(44, 3, 3, 0), 24, GW3, T0 + 301);
	mesh_reconcile(f->m, T0 + 301);
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 0);
	fixture_free(f);
}

static void
test_shared_tunnel_survives_partial_move(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	/* gif0 still carries 44.2.3.0/24. */
	assert_int_equal(kernel_remote(f, 0), GW1);
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 1);
	fixture_free(f);
}

static void
test_withdraw_deletes_route_then_tunnel(void **state)
{
	struct fixture *f = fixture_one_route();

	(void)lines(f);
	assert_int_equal(mesh_withdraw(f->m, A(44, 2, 2, 0), 24), 1);
	assert_int_equal(mesh_withdraw(f->m, A(44, 9, 9, 0), 24), 0);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f),
	    "route delete 44.2.2.0/24 rdomain 44\n"
	    "tunnel delete gif0\n");
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	fixture_free(f);
}

static void
test_withdraw_then_readvertise_before_pass(void **state)
{
	struct fixture *f = fixture_one_route();

	(void)lines(f);
	mesh_withdraw(f->m, A(44, 2, 2, 0), 24);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	/* Back where it was: nothing to do. */
	assert_string_equal(lines(f), "");
	assert_int_equal(ops(f), 2);
	fixture_free(f);
}

/*
 * A pinned tunnel (ours to amprgw, -G) is made with no route, outlives the
 * expiry of a route through it, is pinned once however often pinned, and
 * goes once unpinned.
 */
static void
test_pinned_tunnel(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	const uint32_t amprgw = A(169, 228, 34, 84);

	assert_int_equal(mesh_own_tunnel_unit(f->m, amprgw), -1);
	assert_int_equal(mesh_pin_tunnel(f->m, amprgw), 0);
	assert_int_equal(mesh_pin_tunnel(f->m, amprgw), 0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 169.228.34.84 "
	    "rdomain 44 tunneldomain 23\n");
	assert_int_equal(mesh_own_tunnel_unit(f->m, amprgw), 0);
	assert_int_equal(kernel_remote(f, 0), amprgw);
	/* A route through it comes and is withdrawn: the tunnel stays. */
	heard(f, A(44, 2, 2, 0), 24, amprgw, T0);
	mesh_reconcile(f->m, T0);
	mesh_withdraw(f->m, A(44, 2, 2, 0), 24);
	mesh_reconcile(f->m, T0 + 900);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	assert_int_equal(kernel_remote(f, 0), amprgw);
	lines(f);
	mesh_unpin_tunnel(f->m, amprgw);
	mesh_reconcile(f->m, T0 + 901);
	assert_string_equal(lines(f), "tunnel delete gif0\n");
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	assert_int_equal(mesh_own_tunnel_unit(f->m, amprgw), -1);
	fixture_free(f);
}

/*
 * A route expires -x after it was last heard once a complete broadcast
 * began after that: here the one at T0 + 300 (the first burst, at T0,
 * is never complete).
 */
static void
test_expiry(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	int i;

	datagram(f, T0, A(44, 2, 2, 0), GW1);
	datagram(f, T0, A(44, 3, 3, 0), GW2);
	/* Only 44.3.3.0/24 keeps being heard. */
	for (i = 1; i <= 2; i++) {
		assert_int_equal(run_until(f, T0 + 300 * i), 0);
		datagram(f, T0 + 300 * i, A(44, 3, 3, 0), GW2);
	}
	assert_int_equal(run_until(f, T0 + 899), 0);
	assert_int_equal(mesh_next_event(f->m), T0 + 900);
	assert_int_equal(run_until(f, T0 + 900), 1);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 1);
	assert_int_equal(kernel_remote(f, 0), 0);
	fixture_free(f);
}

/* Silence: nothing expires, however long, until the hard limit. */
static void
test_quiet_feed_keeps_routes(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	struct mesh_feed_view v;

	table(f, T0, 3, -1);
	table(f, T0 + 300, 3, -1);
	table(f, T0 + 600, 3, -1);
	feed_view(f, &v);
	assert_false(v.quiet);
	assert_int_equal(v.last, T0 + 602);
	/* Two hours of nothing: the feed goes quiet, the mesh stays. */
	assert_int_equal(run_until(f, T0 + 602 + 599), 0);
	feed_view(f, &v);
	assert_false(v.quiet);
	assert_int_equal(run_until(f, T0 + 602 + 7200), 0);
	feed_view(f, &v);
	assert_true(v.quiet);
	assert_int_equal(v.since, T0 + 602);
	assert_int_equal(v.complete, 2);
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 3);
	/* The feed returns: live again, and nothing was lost. */
	table(f, T0 + 9000, 3, -1);
	feed_view(f, &v);
	assert_false(v.quiet);
	assert_int_equal(run_until(f, T0 + 9300), 0);
	/* Up to a second short of the hard limit (R3 was heard last, at
	 * T0 + 9002), then everything goes. */
	assert_int_equal(run_until(f, T0 + 9000 + WEEK - 1), 0);
	assert_int_equal(run_until(f, T0 + 9000 + WEEK), 1);
	assert_int_equal(run_until(f, T0 + 9002 + WEEK), 2);
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	fixture_free(f);
}

/*
 * One datagram lost in a cycle: the broadcast still counts, and the
 * routes it carried, heard again a cycle later, never expire.
 */
static void
test_lost_datagram(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	struct mesh_feed_view v;
	int i;

	for (i = 0; i < 8; i++) {
		table(f, T0 + 300 * i, 3, i % 2 == 1 ? 1 : -1);
		assert_int_equal(run_until(f, T0 + 300 * i + 299), 0);
	}
	feed_view(f, &v);
	assert_int_equal(v.complete, 7);
	assert_int_equal(v.partial, 1);	/* the first */
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	/* R2 is lost from every broadcast from now on: it goes after -x. */
	for (i = 8; i < 12; i++) {
		table(f, T0 + 300 * i, 3, 1);
		run_until(f, T0 + 300 * i + 299);
	}
	assert_int_equal(kernel_route(f, R2, 24), -1);
	assert_int_equal(kern_dry_nroutes(f->kctx), 2);
	fixture_free(f);
}

/*
 * The feed dies half-way through a table: that burst is no complete
 * broadcast, so the routes it did not reach are kept.
 */
static void
test_partial_burst(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	struct mesh_feed_view v;

	table(f, T0, 3, -1);
	table(f, T0 + 300, 3, -1);
	table(f, T0 + 600, 1, -1);
	assert_int_equal(run_until(f, T0 + 600 + 7200), 0);
	feed_view(f, &v);
	assert_int_equal(v.complete, 1);
	assert_int_equal(v.partial, 2);
	assert_true(v.quiet);
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	/* Whole tables again: the next complete one is the first since
	 * T0 + 300 to miss nothing, so nothing goes. */
	table(f, T0 + 9000, 3, -1);
	table(f, T0 + 9300, 3, -1);
	assert_int_equal(run_until(f, T0 + 9600), 0);
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	fixture_free(f);
}

/*
 * Routes from the encap file count as heard at the file's time: stale
 * ones go once broadcasts miss them, and a file older than the hard
 * limit keeps nothing.
 */
static void
test_file_time(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	struct mesh_feed_view v;

	mesh_start(f->m, T0);
	heard(f, R1, 24, GW1, T0 - 3000);
	heard(f, R2, 24, GW2, T0 - 3000);
	heard(f, R3, 24, GW3, T0 - WEEK + 100);
	feed_view(f, &v);
	assert_int_equal(v.heard_since, T0 - WEEK + 100);
	/* The feed's watch began at start-up, not at the file's time. */
	assert_int_equal(mesh_next_event(f->m), T0 + 100);
	assert_false(v.quiet);
	assert_int_equal(run_until(f, T0 + 99), 0);
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	/* No feed: only the hard limit acts. */
	assert_int_equal(run_until(f, T0 + 100), 1);
	assert_int_equal(kernel_route(f, R3, 24), -1);
	/* What the encap file's time becomes: every route heard since. */
	feed_view(f, &v);
	assert_int_equal(v.heard_since, T0 - 3000);
	/* The first burst is not measured against anything; the second
	 * is complete, and R2, missed by it, goes. */
	datagram(f, T0 + 300, R1, GW1);
	assert_int_equal(run_until(f, T0 + 599), 0);
	datagram(f, T0 + 600, R1, GW1);
	assert_int_equal(run_until(f, T0 + 659), 0);
	assert_int_equal(run_until(f, T0 + 660), 1);
	assert_int_equal(kernel_route(f, R2, 24), -1);
	assert_int_equal(kernel_route(f, R1, 24), 0);
	/* A file older than the mesh clock reaches is already too old. */
	heard(f, R3, 24, GW3, T0 - 2 * WEEK);
	assert_int_equal(run_until(f, T0 + 700), 1);
	/* An older source never makes a route heard since older. */
	heard(f, R1, 24, GW1, T0 - 3000);
	assert_int_equal(run_until(f, T0 + 600 + 899), 0);
	fixture_free(f);
}

/*
 * Clock steps: a step back joins the burst and ages nothing; a step
 * forward is silence, which expires nothing but by the hard limit.
 */
static void
test_clock_steps(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);
	struct mesh_feed_view v;

	table(f, T0, 3, -1);
	table(f, T0 + 300, 3, -1);
	/* Back by 200 s in the middle of a burst: still one burst. */
	datagram(f, T0 + 600, R1, GW1);
	datagram(f, T0 + 400, R2, GW2);
	datagram(f, T0 + 401, R3, GW3);
	assert_int_equal(run_until(f, T0 + 460), 0);
	feed_view(f, &v);
	assert_int_equal(v.complete, 1);
	assert_int_equal(run_until(f, T0 + 461), 0);
	feed_view(f, &v);
	assert_int_equal(v.complete, 2);
	assert_int_equal(v.partial, 1);
	/* It began at T0 + 400, its earliest time, so none of its routes
	 * counts as heard before it; R1, heard at T0 + 600, is not aged by
	 * the clock now behind it. */
	assert_int_equal(run_until(f, T0 + 401 + 1200), 0);
	/* Forward by a day with no datagram: quiet, nothing goes. */
	assert_int_equal(run_until(f, T0 + 86400), 0);
	feed_view(f, &v);
	assert_true(v.quiet);
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	/* The first broadcast after the step misses R3: it goes. */
	table(f, T0 + 86400, 2, -1);
	assert_int_equal(run_until(f, T0 + 86401 + 59), 0);
	assert_int_equal(run_until(f, T0 + 86401 + 60), 1);
	assert_int_equal(kernel_route(f, R3, 24), -1);
	/* Forward past the hard limit: everything goes. */
	assert_int_equal(run_until(f, T0 + 86401 + WEEK), 2);
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	fixture_free(f);
}

/* The rule on its own: bursts, complete or not, and silence. */
static void
test_feed_rule(void **state)
{
	struct feed fd;
	uint32_t t = 1000;
	int i;

	feed_init(&fd, t, 900);
	assert_int_equal(fd.gap, FEED_GAP_MAX);
	assert_int_equal(fd.quiet_after, FEED_QUIET_MAX);
	assert_int_equal(feed_next_event(&fd), t + FEED_QUIET_MAX);
	assert_int_equal(feed_tick(&fd, t + FEED_QUIET_MAX - 1), 0);
	/* Nothing since start-up: quiet, said once. */
	assert_int_equal(feed_tick(&fd, t + FEED_QUIET_MAX), FEED_WENT_QUIET);
	assert_int_equal(feed_tick(&fd, t + FEED_QUIET_MAX + 1000), 0);
	t += 2000;
	assert_int_equal(feed_datagram(&fd, t), FEED_RETURNED);
	for (i = 1; i < 22; i++)
		assert_int_equal(feed_datagram(&fd, t), 0);
	assert_int_equal(feed_next_event(&fd), t + FEED_GAP_MAX);
	/* Datagrams 59 s apart are one burst. */
	assert_int_equal(feed_datagram(&fd, t + FEED_GAP_MAX - 1), 0);
	t += FEED_GAP_MAX - 1;
	assert_int_equal(feed_tick(&fd, t + FEED_GAP_MAX - 1), 0);
	/* The first burst: not complete. */
	assert_int_equal(feed_tick(&fd, t + FEED_GAP_MAX), FEED_PARTIAL);
	assert_int_equal(fd.ended, 23);
	/* 22 of 23: one lost, complete. */
	t += 300;
	for (i = 0; i < 22; i++)
		feed_datagram(&fd, t);
	assert_int_equal(feed_tick(&fd, t + FEED_GAP_MAX), FEED_COMPLETE);
	assert_int_equal(fd.broadcast, t);
	/* 20 of 22: partial; the broadcast before still stands. */
	for (i = 0; i < 20; i++)
		feed_datagram(&fd, t + 300);
	assert_int_equal(feed_tick(&fd, t + 300 + FEED_GAP_MAX),
	    FEED_PARTIAL);
	assert_int_equal(fd.broadcast, t);
	/* A datagram that comes late ends the burst before it begins one. */
	t += 600;
	for (i = 0; i < 20; i++)
		feed_datagram(&fd, t);
	assert_int_equal(feed_datagram(&fd, t + 300), FEED_COMPLETE);
	assert_int_equal(fd.broadcast, t);
	assert_int_equal(fd.count, 1);
	assert_int_equal(fd.complete, 2);
	assert_int_equal(fd.partial, 2);
	/* The gap and the silence follow -x, taken as three cycles. */
	feed_init(&fd, t, 20);
	assert_int_equal(fd.gap, FEED_GAP_MIN);
	assert_int_equal(fd.quiet_after, 12);
	feed_init(&fd, t, 300);
	assert_int_equal(fd.gap, 20);
	assert_int_equal(fd.quiet_after, 200);
	feed_init(&fd, t, 3600);
	assert_int_equal(fd.gap, FEED_GAP_MAX);
	assert_int_equal(fd.quiet_after, FEED_QUIET_MAX);
	feed_init(&fd, t, 1);
	assert_int_equal(fd.quiet_after, 2 * FEED_GAP_MIN);
}

static void
test_failed_route_add_retried(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	kern_dry_fail(f->kctx, KERN_DRY_ROUTE_ADD, -1, A(44, 2, 2, 0), 24,
	    ENOBUFS, 2);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 3, 3, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	/* The other route is not held up. */
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	assert_int_equal(pending(f), 1);
	/* Backoff: not before 1 s, then 2 s after the second failure. */
	assert_int_equal(mesh_next_event(f->m), T0 + 1);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	mesh_reconcile(f->m, T0 + 1);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	assert_int_equal(mesh_next_event(f->m), T0 + 3);
	mesh_reconcile(f->m, T0 + 3);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

static void
test_failed_tunnel_keeps_routes_pending(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);
	int i;

	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, EIO, 3);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	for (i = 0; i < 3; i++)
		mesh_reconcile(f->m, T0 + 10 * i);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	/* Still wanted, waiting for their tunnel. */
	assert_int_equal(pending(f), 3);
	mesh_reconcile(f->m, T0 + 100);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 0);
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

static void
test_failed_delete_retried(void **state)
{
	struct fixture *f = fixture_one_route();

	kern_dry_fail(f->kctx, KERN_DRY_ROUTE_DELETE, -1, 0, -1, EBUSY, 1);
	mesh_withdraw(f->m, A(44, 2, 2, 0), 24);
	mesh_reconcile(f->m, T0 + 1);
	/* The tunnel must not go while the route still uses it. */
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	assert_int_equal(kernel_remote(f, 0), GW1);
	mesh_reconcile(f->m, T0 + 2);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), -1);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	fixture_free(f);
}

static void
test_reserved_units_skipped(void **state)
{
	int reserved[] = { 0, 1, 3 };
	struct fixture *f = fixture_new(1, reserved, 3, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 2);
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 4);
	fixture_free(f);
}

static void
preset(struct fixture *f, int unit, uint32_t local, uint32_t remote,
    int rdomain, int tunneldomain)
{
	struct kern_tunnel kt = { .unit = unit, .local = local,
	    .remote = remote, .rdomain = rdomain,
	    .tunneldomain = tunneldomain, .addr44 = A(44, 44, 107, 1),
	    .up = 1, .marked = 1 };

	kern_dry_preset_tunnel(f->kctx, &kt);
}

static void
preset_route(struct fixture *f, uint32_t addr, int len, int unit)
{
	struct kern_route kr = { addr, len, unit, 44 };

	kern_dry_preset_route(f->kctx, &kr);
}

static void
test_adoption_costs_nothing(void **state)
{
	int reserved[] = { 0, 1 };
	struct fixture *f = fixture_new(1, reserved, 2, 0);

	/* gif0 catch-all and gif1 to amprgw by hand; ours at 2 and 5. */
	preset(f, 0, LOCAL, 0, 44, 23);
	preset(f, 1, LOCAL, A(169, 228, 34, 84), 44, 23);
	preset(f, 2, LOCAL, GW1, 44, 23);
	preset(f, 5, LOCAL, GW2, 44, 23);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	preset_route(f, A(44, 3, 3, 0), 24, 5);
	preset_route(f, A(44, 3, 4, 0), 24, 5);
	assert_int_equal(mesh_adopt(f->m, T0), 0);
	mesh_reconcile(f->m, T0);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0 + 10);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0 + 10);
	heard(f, A(44, 3, 4, 0), 24, GW2, T0 + 10);
	mesh_reconcile(f->m, T0 + 10);
	assert_string_equal(lines(f), "");
	assert_int_equal(ops(f), 0);
	/* A new gateway gets the lowest unit nobody holds: 3. */
	heard(f, A(44, 9, 9, 0), 24, GW3, T0 + 11);
	mesh_reconcile(f->m, T0 + 11);
	assert_int_equal(kernel_route(f, A(44, 9, 9, 0), 24), 3);
	fixture_free(f);
}

static void
test_adopted_routes_expire_when_not_heard(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 900);

	preset(f, 2, LOCAL, GW1, 44, 23);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	mesh_adopt(f->m, T0);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 2);
	/* Broadcasts without it: gone -x after start-up. */
	datagram(f, T0 + 300, 0, 0);
	datagram(f, T0 + 600, 0, 0);
	assert_int_equal(run_until(f, T0 + 899), 0);
	assert_int_equal(run_until(f, T0 + 900), 1);
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	fixture_free(f);
}

static void
test_adoption_unused_tunnel_deleted_foreign_left(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	preset(f, 0, LOCAL, GW1, 44, 23);		/* ours, no routes */
	preset(f, 1, LOCAL, GW2, 7, 23);		/* another domain */
	preset(f, 2, A(10, 0, 0, 1), GW3, 44, 23);	/* another local */
	mesh_adopt(f->m, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f), "tunnel delete gif0\n");
	assert_int_equal(kernel_remote(f, 1), GW2);
	assert_int_equal(kernel_remote(f, 2), GW3);
	/* Their units stay out of our allocator. */
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	heard(f, A(44, 3, 3, 0), 24, GW3, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 3);
	fixture_free(f);
}

static void
test_adoption_duplicate_gif_removed(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	preset(f, 2, LOCAL, GW1, 44, 23);
	preset(f, 4, LOCAL, GW1, 44, 23);	/* second gif, same remote */
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	preset_route(f, A(44, 2, 3, 0), 24, 4);
	mesh_adopt(f->m, T0);
	mesh_reconcile(f->m, T0);
	/* The route on the duplicate moves, then the duplicate goes. */
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 2);
	assert_int_equal(kernel_remote(f, 4), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 1);
	fixture_free(f);
}

static void
test_reserved_gif_used_never_touched(void **state)
{
	int reserved[] = { 1 };
	struct fixture *f = fixture_new(1, reserved, 1, 0);

	preset(f, 1, LOCAL, GW1, 44, 23);
	mesh_adopt(f->m, T0);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f), "route add 44.2.2.0/24 gif1 rdomain 44\n");
	mesh_withdraw(f->m, A(44, 2, 2, 0), 24);
	mesh_reconcile(f->m, T0 + 1);
	/* The route goes; the operator's gif stays. */
	assert_string_equal(lines(f), "route delete 44.2.2.0/24 rdomain 44\n");
	assert_int_equal(kernel_remote(f, 1), GW1);
	/* And is used again, not duplicated. */
	heard(f, A(44, 2, 9, 0), 24, GW1, T0 + 2);
	mesh_reconcile(f->m, T0 + 2);
	assert_int_equal(kernel_route(f, A(44, 2, 9, 0), 24), 1);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 1);
	fixture_free(f);
}

static void
test_vanished_tunnel_restored(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	kern_dry_vanish(f->kctx, 0);
	assert_int_equal(kern_dry_nroutes(f->kctx), 1);
	/* Deliver the queued event the way the daemon does. */
	kern_dry_ops.events(f->kctx, deliver_event, f->m);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 198.51.100.20 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.2.2.0/24 gif0 rdomain 44\n"
	    "route add 44.2.3.0/24 gif0 rdomain 44\n");
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	fixture_free(f);
}

/*
 * Found by tests/check_reconcile ("D100 D200!1 W1"): a gif brought down
 * while its last route was moving away was made again, only to be deleted
 * once the route had moved: two operations too many.
 */
static void
test_down_tunnel_left_by_its_route_not_remade(void **state)
{
	struct fixture *f = fixture_one_route();

	/* The move waits: its new tunnel cannot be made yet. */
	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, ENOMEM, 1);
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	(void)lines(f);
	kern_dry_bring_down(f->kctx, 0);
	kern_dry_ops.events(f->kctx, deliver_event, f->m);
	mesh_reconcile(f->m, T0 + 10);
	assert_string_equal(lines(f),
	    "tunnel add gif1 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "tunnel delete gif0\n"
	    "route add 44.2.2.0/24 gif1 rdomain 44\n");
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 1);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 1);
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

/*
 * Found by tests/check_reconcile ("D100 V1", OpenBSD rules): a gif that
 * went down and was then destroyed (what OpenBSD reports for a destroy)
 * was deleted again before it was made: a needless operation, and one
 * whose failure would hold the repair back.
 */
static void
test_destroyed_down_tunnel_not_deleted(void **state)
{
	struct fixture *f = fixture_one_route();

	(void)lines(f);
	kern_dry_bring_down(f->kctx, 0);
	kern_dry_vanish(f->kctx, 0);
	/* A delete, if tried, would fail, and the repair would wait. */
	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_DELETE, -1, 0, -1, ENOMEM, 1);
	kern_dry_ops.events(f->kctx, deliver_event, f->m);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 198.51.100.20 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.2.2.0/24 gif0 rdomain 44\n");
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

/*
 * Found by tests/check_reconcile ("D100 V1 H"): a re-scan that found a gif
 * missing tried to delete it before making it again.
 */
static void
test_rescan_missing_tunnel_not_deleted(void **state)
{
	struct fixture *f = fixture_one_route();

	kern_dry_ops.tunnel_delete(f->kctx, 0);
	(void)lines(f);
	/* A delete, if tried, would fail, and the repair would wait. */
	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_DELETE, -1, 0, -1, ENOMEM, 1);
	assert_int_equal(mesh_rescan(f->m, T0 + 1), 0);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 198.51.100.20 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.2.2.0/24 gif0 rdomain 44\n");
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

/*
 * Moves 44.2.2.0/24 from GW1 to GW2 with one operation of kind op failing,
 * back to GW1, and to GW2 again: the last move must be made at once.
 */
static void
move_away_back_and_again(enum kern_dry_op op, int errnum)
{
	struct fixture *f = fixture_one_route();

	kern_dry_fail(f->kctx, op, -1, 0, -1, errnum, 1);
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	(void)lines(f);
	heard(f, A(44, 2, 2, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f),
	    "tunnel add gif1 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "route change 44.2.2.0/24 gif1 rdomain 44\n"
	    "tunnel delete gif0\n");
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

/*
 * Found by tests/check_reconcile at depth 4: a failed move taken back
 * ("D100 D200!2 D100 D200"), or a failed delete of a tunnel then used
 * again ("D100 D200!3 D100 D200"), left its backoff behind, and the next
 * move waited for a retry of an operation nobody needed any more.
 */
static void
test_change_taken_back_leaves_no_backoff(void **state)
{
	move_away_back_and_again(KERN_DRY_ROUTE_CHANGE, ENOBUFS);
	move_away_back_and_again(KERN_DRY_TUNNEL_DELETE, ENOMEM);
}

/*
 * Found by tests/check_reconcile ("D100!1 V0 K D200", -g): a route whose
 * add failed, then heard via another gateway, waited for the backoff of
 * the add it no longer needed.
 */
static void
test_new_gateway_starts_afresh(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	kern_dry_fail(f->kctx, KERN_DRY_ROUTE_ADD, -1, 0, -1, ENOBUFS, 1);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	heard(f, A(44, 2, 2, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f),
	    "tunnel add gif1 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.2.2.0/24 gif1 rdomain 44\n"
	    "tunnel delete gif0\n");
	assert_int_equal(pending(f), 0);
	fixture_free(f);
}

static void
test_rescan_repairs(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);
	struct kern_route kr = { A(44, 3, 3, 0), 24, 1, 44 };

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	/* Someone deletes a route and a tunnel without telling us. */
	kern_dry_ops.route_delete(f->kctx, &kr);
	kern_dry_ops.tunnel_delete(f->kctx, 0);
	(void)lines(f);
	assert_int_equal(mesh_rescan(f->m, T0 + 5), 0);
	mesh_reconcile(f->m, T0 + 5);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 3, 3, 0), 24), 1);
	assert_int_equal(kernel_remote(f, 0), GW1);
	assert_int_equal(pending(f), 0);
	/* Nothing left to repair: a second re-scan changes nothing. */
	(void)lines(f);
	mesh_rescan(f->m, T0 + 6);
	mesh_reconcile(f->m, T0 + 6);
	assert_string_equal(lines(f), "");
	fixture_free(f);
}

static void
test_caps(void **state)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	struct mesh *m;
	char err[64];
	void *kctx = kern_dry_ops.open(&kc, err, sizeof(err));

	kern_dry_set_output(kctx, NULL);
	mesh_config_init(&cfg);
	cfg.maxroutes = 3;
	cfg.maxtunnels = 2;
	m = mesh_new(&cfg, &kern_dry_ops, kctx);
	assert_int_equal(mesh_heard(m, A(44, 1, 0, 0), 24, GW1, T0), R_NONE);
	assert_int_equal(mesh_heard(m, A(44, 2, 0, 0), 24, GW2, T0), R_NONE);
	assert_int_equal(mesh_heard(m, A(44, 3, 0, 0), 24, GW3, T0),
	    R_TUNNELCAP);
	assert_int_equal(mesh_heard(m, A(44, 3, 0, 0), 24, GW2, T0), R_NONE);
	assert_int_equal(mesh_heard(m, A(44, 4, 0, 0), 24, GW2, T0),
	    R_ROUTECAP);
	/* An existing route may still change gateway at the cap. */
	assert_int_equal(mesh_heard(m, A(44, 3, 0, 0), 24, GW1, T0), R_NONE);
	mesh_reconcile(m, T0);
	mesh_withdraw(m, A(44, 1, 0, 0), 24);
	assert_int_equal(mesh_heard(m, A(44, 4, 0, 0), 24, GW2, T0), R_NONE);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

static void
count_view(void *arg, const struct mesh_route_view *v)
{
	uint32_t *last = arg;

	/* Ascending address, then length. */
	assert_true(((uint64_t)v->addr << 6 | (uint64_t)v->len) >
	    ((uint64_t)last[0] << 6 | (uint64_t)last[1]) || last[2] == 0);
	last[0] = v->addr;
	last[1] = (uint32_t)v->len;
	last[2]++;
	assert_true(v->installed);
}

static void
test_foreach_ordered(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);
	uint32_t last[3] = { 0, 0, 0 };

	heard(f, A(44, 130, 5, 0), 29, GW1, T0);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 130, 0, 0), 16, GW2, T0);
	heard(f, A(44, 130, 5, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	mesh_foreach(f->m, count_view, last);
	assert_int_equal(last[2], 4);
	fixture_free(f);
}

/* splitmix64, to drive the churn below. */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define CHURN_N		3000
#define CHURN_GWS	5

struct churn {
	uint32_t	 addr[CHURN_N];
	int		 len[CHURN_N];
	uint32_t	 gw[CHURN_N];	/* 0: not wanted */
	size_t		 next;		/* foreach: index of the next wanted */
	size_t		 seen;
};

/* The i-th prefix: a /24 each, some of them narrowed to /25../32. */
static void
churn_prefix(struct churn *c, size_t i)
{
	c->len[i] = 24 + (int)(i % 9);
	c->addr[i] = A(44, i >> 8, i & 0xff, 0) | (uint32_t)(i % 7) << 5;
	c->addr[i] &= ~(uint32_t)0 << (32 - c->len[i]);
}

/* mesh_foreach() must list exactly the wanted prefixes, in order. */
static void
churn_view(void *arg, const struct mesh_route_view *v)
{
	struct churn *c = arg;

	while (c->next < CHURN_N && c->gw[c->next] == 0)
		c->next++;
	assert_true(c->next < CHURN_N);
	assert_int_equal(v->addr, c->addr[c->next]);
	assert_int_equal(v->len, c->len[c->next]);
	assert_int_equal(v->gateway, c->gw[c->next]);
	assert_true(v->installed);
	c->next++;
	c->seen++;
}

/*
 * Routes come and go by the thousand, so that the index of routes by
 * prefix grows, shrinks and moves entries about as they leave; after
 * every pass each wanted route must still be found (hearing it again
 * changes nothing) and no other must be.
 */
static void
test_route_index_churn(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);
	struct churn *c = calloc(1, sizeof(*c));
	struct mesh_stats st;
	uint64_t seed = 44;
	unsigned long gen, before;
	size_t i, round, wanted = 0, target;
	uint32_t gw;

	assert_non_null(c);
	kern_dry_set_output(f->kctx, NULL);
	for (i = 0; i < CHURN_N; i++)
		churn_prefix(c, i);
	for (round = 0; round < 40; round++) {
		/* Fill up, drain nearly empty, fill again. */
		target = round < 10 || round >= 25 ? CHURN_N * 9 / 10 : 50;
		for (i = 0; i < CHURN_N; i++) {
			if (rng_next(&seed) % 4 != 0)
				continue;
			if (wanted < target) {
				gw = A(198, 51, 100, 1 + rng_next(&seed) %
				    CHURN_GWS);
				assert_int_equal(mesh_heard(f->m, c->addr[i],
				    c->len[i], gw, T0 + round), R_NONE);
				wanted += c->gw[i] == 0;
				c->gw[i] = gw;
			} else {
				assert_int_equal(mesh_withdraw(f->m,
				    c->addr[i], c->len[i]), c->gw[i] != 0);
				wanted -= c->gw[i] != 0;
				c->gw[i] = 0;
			}
		}
		mesh_reconcile(f->m, T0 + round);
		mesh_get_stats(f->m, &st);
		assert_int_equal(st.routes, wanted);
		assert_int_equal(st.pending, 0);
		assert_int_equal(kern_dry_nroutes(f->kctx), wanted);

		c->next = c->seen = 0;
		mesh_foreach(f->m, churn_view, c);
		assert_int_equal(c->seen, wanted);

		/* Every route is found where it is, none where it is not. */
		gen = mesh_generation(f->m);
		before = ops(f);
		for (i = 0; i < CHURN_N; i++) {
			if (c->gw[i] != 0)
				heard(f, c->addr[i], c->len[i], c->gw[i],
				    T0 + round);
			else
				assert_int_equal(mesh_withdraw(f->m,
				    c->addr[i], c->len[i]), 0);
		}
		mesh_reconcile(f->m, T0 + round);
		assert_int_equal(mesh_generation(f->m), gen);
		assert_int_equal(ops(f), before);
	}
	free(c);
	fixture_free(f);
}

/* mesh_prefetch() is only a hint: whatever it is given, nothing moves. */
static void
test_prefetch_changes_nothing(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);
	struct mesh_stats before, after;
	unsigned long gen;
	int i;

	/* Nothing in the tables yet. */
	mesh_prefetch(f->m, A(44, 2, 2, 0), 24);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 130, 5, 0), 29, GW2, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	mesh_get_stats(f->m, &before);
	gen = mesh_generation(f->m);
	/* Present, absent, host bits set, and lengths out of range. */
	for (i = 0; i < 40; i++)
		mesh_prefetch(f->m, i % 2 ? A(44, 2, 2, 0) : A(44, 130, 5, i),
		    i % 3 == 0 ? 29 : i % 3 == 1 ? 24 : i - 40);
	mesh_prefetch(f->m, A(44, 2, 2, 0), 33);
	mesh_get_stats(f->m, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(mesh_generation(f->m), gen);
	/* Both routes are still there, and still steady. */
	heard(f, A(44, 2, 2, 0), 24, GW1, T0 + 1);
	heard(f, A(44, 130, 5, 0), 29, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f), "");
	assert_int_equal(mesh_generation(f->m), gen);
	fixture_free(f);
}

/* A mesh on the dry-run model with the daemon's defaults. */
static struct mesh *
default_mesh(void **kctx)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 23 };
	struct mesh_config cfg;
	char err[64];

	*kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	assert_non_null(*kctx);
	kern_dry_set_output(*kctx, NULL);
	mesh_config_init(&cfg);
	cfg.local = LOCAL;
	cfg.addr44 = A(44, 44, 107, 1);
	cfg.rdomain = 44;
	cfg.tunneldomain = 23;
	return mesh_new(&cfg, &kern_dry_ops, *kctx);
}

/* One RIP datagram from amprgw: routes[i] via gateways[i], as /32s. */
static void
feed(struct ingest *in, const uint32_t *routes, const uint32_t *gateways,
    int n, time_t now)
{
	struct rip_entry e[RIP_MAX_ROUTES];
	uint8_t buf[RIP_MAX_LEN];
	size_t len;
	int i;

	memset(e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		e[i].family = 2;
		e[i].addr = routes[i];
		e[i].mask = 0xffffffffU;
		e[i].len = 32;
		e[i].nexthop = gateways[i];
		e[i].metric = 1;
	}
	len = rip_encode(buf, sizeof(buf), RIP_DEFAULT_PASSWORD, e, n);
	assert_true(len > 0);
	assert_int_equal(ingest_datagram(in, A(44, 0, 0, 1), 520, buf, len,
	    now, now), R_NONE);
}

/*
 * 20,000 gateways, three routes each, as fast as datagrams go: the tables
 * and the kernel stay within the caps; once the feed stops and its routes
 * expire, amprgw's real routes get in.
 */
static void
test_hostile_feed(void **state)
{
	uint32_t routes[RIP_MAX_ROUTES], gws[RIP_MAX_ROUTES];
	struct mesh_stats st;
	struct policy pol;
	struct ingest in;
	struct mesh *m;
	void *kctx;
	uint32_t i;
	time_t t;
	int n = 0;

	m = default_mesh(&kctx);
	mesh_start(m, T0);
	policy_init(&pol);
	ingest_init(&in, &pol, m);
	/* Three routes per gateway, in three rounds: both caps are hit. */
	for (i = 0; i < 60000; i++) {
		routes[n] = A(44, 10, 0, 0) + i;
		gws[n] = A(11, 0, 0, 1) + i % 20000;
		if (++n == RIP_MAX_ROUTES || i == 59999) {
			feed(&in, routes, gws, n, T0 + i / 3000);
			n = 0;
		}
	}
	mesh_get_stats(m, &st);
	assert_true(st.routes <= MESH_DEFAULT_MAXROUTES);
	assert_true(st.tunnels <= MESH_DEFAULT_MAXTUNNELS);
	assert_true(kern_dry_ntunnels(kctx) <= MESH_DEFAULT_MAXTUNNELS);
	assert_true(kern_dry_nroutes(kctx) <= MESH_DEFAULT_MAXROUTES);
	assert_int_equal(st.tunnels, MESH_DEFAULT_MAXTUNNELS);
	assert_int_equal(st.routes, MESH_DEFAULT_MAXROUTES);
	assert_true(in.reasons[R_TUNNELCAP] > 0);
	assert_true(in.reasons[R_ROUTECAP] > 0);
	assert_int_equal(in.entries + in.reasons[R_TUNNELCAP] +
	    in.reasons[R_ROUTECAP], 60000);

	/*
	 * The hostile feed stops; amprgw's table comes every five minutes.
	 * Refused at first (the tables are full), it gets in once the
	 * hostile routes, missing from every broadcast, have expired.
	 */
	for (i = 0; i < RIP_MAX_ROUTES; i++) {
		routes[i] = A(44, 20, (uint8_t)i, 1);
		gws[i] = A(192, 0, 2, 1 + i % 5);
	}
	for (t = T0 + 300; t < T0 + 300 + 10 * MESH_DEFAULT_EXPIRY;
	    t += 300) {
		feed(&in, routes, gws, RIP_MAX_ROUTES, t);
		mesh_expire(m, t + 100);
		mesh_reconcile(m, t + 100);
		if (kern_dry_nroutes(kctx) == RIP_MAX_ROUTES)
			break;
	}
	assert_int_equal(kern_dry_nroutes(kctx), RIP_MAX_ROUTES);
	assert_int_equal(kern_dry_ntunnels(kctx), 5);
	for (i = 0; i < RIP_MAX_ROUTES; i++)
		assert_int_equal(kern_dry_get_route(kctx, routes[i], 32, NULL),
		    1);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

/* -k: so many new tunnels a pass; the rest are refused until the next. */
static void
test_new_tunnels_per_pass(void **state)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	struct mesh *m;
	char err[64];
	void *kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	uint32_t i;

	kern_dry_set_output(kctx, NULL);
	mesh_config_init(&cfg);
	cfg.maxnewtunnels = 3;
	m = mesh_new(&cfg, &kern_dry_ops, kctx);
	for (i = 0; i < 3; i++)
		assert_int_equal(mesh_heard(m, A(44, 1, i, 0), 24, GW1 + i,
		    T0), R_NONE);
	assert_int_equal(mesh_heard(m, A(44, 1, 9, 0), 24, GW2, T0),
	    R_TUNNELRATE);
	/* Known gateways are no new tunnel. */
	assert_int_equal(mesh_heard(m, A(44, 1, 10, 0), 24, GW1, T0),
	    R_NONE);
	mesh_reconcile(m, T0);
	assert_int_equal(kern_dry_ntunnels(kctx), 3);
	/* The next pass makes the next ones. */
	assert_int_equal(mesh_heard(m, A(44, 1, 9, 0), 24, GW2, T0 + 1),
	    R_NONE);
	mesh_reconcile(m, T0 + 1);
	assert_int_equal(kern_dry_ntunnels(kctx), 4);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

/*
 * Remotes that all fell into bucket 0 of the old fixed hash stay spread
 * out: the key is random, so nobody can choose colliding gateways.
 */
static void
test_tunnel_hash_keyed(void **state)
{
	struct tunnels t;
	struct tunnel *tun;
	uint32_t r;
	size_t i, chain, longest = 0, found = 0;

	tunnels_init(&t, 4096);
	for (r = 1; found < 2048 && r != 0; r++) {
		if ((((r * 2654435761U) >> 7) & 2047) != 0)
			continue;
		assert_non_null(tunnels_get(&t, r));
		found++;
	}
	assert_int_equal(found, 2048);
	assert_int_equal(t.nbuckets, 2048);
	for (i = 0; i < t.nbuckets; i++) {
		chain = 0;
		for (tun = t.buckets[i]; tun != NULL; tun = tun->hash_next)
			chain++;
		if (chain > longest)
			longest = chain;
	}
	/* 2048 in one bucket before; a dozen would be astronomically rare. */
	assert_true(longest <= 12);
	tunnels_destroy(&t);
}

/* Runs a reconcile with stderr (the log, in the foreground) into buf. */
static void
reconcile_logged(struct mesh *m, time_t now, char *buf, size_t len)
{
	struct capture c;

	capture_begin(&c);
	mesh_reconcile(m, now);
	capture_end(&c, buf, len);
}

/* One info line per pass; each operation only with -v; a failure once. */
static void
test_log_budget(void **state)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	struct mesh *m;
	char err[64], log[4096];
	void *kctx = kern_dry_ops.open(&kc, err, sizeof(err));

	kern_dry_set_output(kctx, NULL);
	mesh_config_init(&cfg);
	cfg.log_ops = 1;
	m = mesh_new(&cfg, &kern_dry_ops, kctx);
	log_init(1, 0, "44meshd");
	mesh_heard(m, A(44, 1, 1, 0), 24, GW1, T0);
	mesh_heard(m, A(44, 1, 2, 0), 24, GW1, T0);
	mesh_heard(m, A(44, 1, 3, 0), 24, GW2, T0);
	reconcile_logged(m, T0, log, sizeof(log));
	assert_string_equal(log, "44meshd: kernel: 2 tunnels added, 0 "
	    "deleted; 3 routes added, 0 changed, 0 deleted; 0 failed\n");

	/* Nothing to do: nothing said. */
	reconcile_logged(m, T0, log, sizeof(log));
	assert_string_equal(log, "");

	/* With -v, each operation too. */
	log_init(1, 1, "44meshd");
	mesh_withdraw(m, A(44, 1, 3, 0), 24);
	reconcile_logged(m, T0 + 1, log, sizeof(log));
	assert_non_null(strstr(log, "44meshd: route delete 44.1.3.0/24"));
	assert_non_null(strstr(log, "44meshd: tunnel delete gif"));
	assert_non_null(strstr(log, "kernel: 0 tunnels added, 1 deleted; "
	    "0 routes added, 0 changed, 1 deleted; 0 failed"));

	/* A failure: one line, however often it is retried. */
	log_init(1, 0, "44meshd");
	kern_dry_fail(kctx, KERN_DRY_ROUTE_ADD, -1, A(44, 1, 4, 0), 24, EIO,
	    3);
	mesh_heard(m, A(44, 1, 4, 0), 24, GW1, T0 + 2);
	reconcile_logged(m, T0 + 2, log, sizeof(log));
	assert_non_null(strstr(log, "route add 44.1.4.0/24"));
	assert_non_null(strstr(log, "failed, retrying"));
	reconcile_logged(m, T0 + 10, log, sizeof(log));
	assert_null(strstr(log, "route add 44.1.4.0/24"));
	reconcile_logged(m, T0 + 100, log, sizeof(log));
	assert_null(strstr(log, "route add 44.1.4.0/24"));
	reconcile_logged(m, T0 + 1000, log, sizeof(log));
	assert_int_equal(kern_dry_get_route(kctx, A(44, 1, 4, 0), 24, NULL),
	    1);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cold_start_order),
		cmocka_unit_test(test_unchanged_table_costs_nothing),
		cmocka_unit_test(test_gateway_move_order),
		cmocka_unit_test(test_shared_tunnel_survives_partial_move),
		cmocka_unit_test(test_withdraw_deletes_route_then_tunnel),
		cmocka_unit_test(test_withdraw_then_readvertise_before_pass),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_pinned_tunnel),
		cmocka_unit_test(test_quiet_feed_keeps_routes),
		cmocka_unit_test(test_lost_datagram),
		cmocka_unit_test(test_partial_burst),
		cmocka_unit_test(test_file_time),
		cmocka_unit_test(test_clock_steps),
		cmocka_unit_test(test_feed_rule),
		cmocka_unit_test(test_failed_route_add_retried),
		cmocka_unit_test(test_failed_tunnel_keeps_routes_pending),
		cmocka_unit_test(test_failed_delete_retried),
		cmocka_unit_test(test_reserved_units_skipped),
		cmocka_unit_test(test_adoption_costs_nothing),
		cmocka_unit_test(test_adopted_routes_expire_when_not_heard),
		cmocka_unit_test(test_adoption_unused_tunnel_deleted_foreign_left),
		cmocka_unit_test(test_adoption_duplicate_gif_removed),
		cmocka_unit_test(test_reserved_gif_used_never_touched),
		cmocka_unit_test(test_vanished_tunnel_restored),
		cmocka_unit_test(test_down_tunnel_left_by_its_route_not_remade),
		cmocka_unit_test(test_destroyed_down_tunnel_not_deleted),
		cmocka_unit_test(test_rescan_missing_tunnel_not_deleted),
		cmocka_unit_test(test_change_taken_back_leaves_no_backoff),
		cmocka_unit_test(test_new_gateway_starts_afresh),
		cmocka_unit_test(test_rescan_repairs),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_foreach_ordered),
		cmocka_unit_test(test_route_index_churn),
		cmocka_unit_test(test_prefetch_changes_nothing),
		cmocka_unit_test(test_hostile_feed),
		cmocka_unit_test(test_new_tunnels_per_pass),
		cmocka_unit_test(test_tunnel_hash_keyed),
		cmocka_unit_test(test_log_budget),
	};

	log_init(1, 0, "test_mesh");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
