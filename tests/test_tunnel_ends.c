/*
 * What changes on a tunnel in place, against the dry-run backend's
 * kernel model: the MTU of -m, on the tunnels we make and on tunnels of
 * ours found with another one; the local end, when our public address
 * changes (mesh_follow_local()).  Each change is one tunnel_modify;
 * nothing is made again, no route is touched, and never a gif that is
 * not ours.
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

#include "kern.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"

#include "mesh_fixture.h"

#define ADDR44		A(44, 44, 107, 1)

static void
preset(struct fixture *f, int unit, uint32_t remote, int marked, int mtu)
{
	struct kern_tunnel kt = { .unit = unit, .local = LOCAL,
	    .remote = remote, .rdomain = 44, .tunneldomain = 23,
	    .addr44 = ADDR44, .up = 1, .marked = marked, .mtu = mtu };

	kern_dry_preset_tunnel(f->kctx, &kt);
}

static void
preset_route(struct fixture *f, uint32_t addr, int len, int unit)
{
	struct kern_route kr = { addr, len, unit, 44 };

	kern_dry_preset_route(f->kctx, &kr);
}

static int
kernel_mtu(struct fixture *f, int unit)
{
	struct kern_tunnel kt;

	assert_true(kern_dry_get_tunnel(f->kctx, unit, &kt));
	return kt.mtu;
}

static unsigned long
route_ops(struct fixture *f)
{
	return kern_dry_count(f->kctx, KERN_DRY_ROUTE_ADD) +
	    kern_dry_count(f->kctx, KERN_DRY_ROUTE_CHANGE) +
	    kern_dry_count(f->kctx, KERN_DRY_ROUTE_DELETE);
}

/* -m: every tunnel we make is made with it. */
static void
test_mtu_on_new_tunnels(void **state)
{
	struct fixture *f = fixture_new_mtu(1, NULL, 0, 0, 1480);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 198.51.100.20 "
	    "rdomain 44 tunneldomain 23 mtu 1480\n"
	    "tunnel add gif1 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23 mtu 1480\n"
	    "route add 44.2.2.0/24 gif0 rdomain 44\n"
	    "route add 44.3.3.0/24 gif1 rdomain 44\n");
	assert_int_equal(kernel_mtu(f, 0), 1480);
	assert_int_equal(kernel_mtu(f, 1), 1480);
	fixture_free(f);
}

/* Without -m nothing is asked: the kernel's own MTU stays. */
static void
test_no_mtu_flag_no_mtu(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	preset(f, 2, GW1, 1, 1280);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	mesh_adopt(f->m, T0);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f),
	    "tunnel add gif0 local 23.30.150.141 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.3.3.0/24 gif0 rdomain 44\n");
	assert_int_equal(kernel_mtu(f, 2), 1280);
	fixture_free(f);
}

/*
 * Adoption: a tunnel of ours with another MTU is set in place, one
 * operation each; one that has it already costs nothing; a reserved gif
 * and one without our mark keep theirs.
 */
static void
test_adopted_mtu_corrected(void **state)
{
	int reserved[] = { 1 };
	struct fixture *f = fixture_new_mtu(1, reserved, 1, 0, 1480);

	preset(f, 1, A(169, 228, 34, 84), 0, 1280);	/* the operator's */
	preset(f, 2, GW1, 1, 1280);			/* ours, old MTU */
	preset(f, 3, GW2, 0, 1280);			/* an older 44meshd's */
	preset(f, 5, GW3, 1, 1480);			/* ours, right */
	preset_route(f, A(44, 60, 0, 0), 24, 1);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	preset_route(f, A(44, 3, 3, 0), 24, 3);
	preset_route(f, A(44, 5, 5, 0), 24, 5);
	assert_int_equal(mesh_adopt(f->m, T0), 0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f),
	    "tunnel modify gif2 mtu 1480\n"
	    "tunnel modify gif3 mark\n");
	assert_int_equal(kernel_mtu(f, 1), 1280);
	assert_int_equal(kernel_mtu(f, 2), 1480);
	assert_int_equal(kernel_mtu(f, 3), 1280);
	assert_int_equal(kernel_mtu(f, 5), 1480);
	assert_int_equal(kern_dry_count(f->kctx, KERN_DRY_TUNNEL_ADD), 0);
	assert_int_equal(kern_dry_count(f->kctx, KERN_DRY_TUNNEL_DELETE), 0);
	assert_int_equal(route_ops(f), 0);
	/* Done once: later passes do nothing. */
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f), "");
	fixture_free(f);
}

/* Changed by hand later: a re-scan (SIGHUP) sets it back, in place. */
static void
test_rescan_mtu_corrected(void **state)
{
	struct fixture *f = fixture_new_mtu(1, NULL, 0, 0, 1480);
	struct kern_tunnel kt;

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	assert_true(kern_dry_get_tunnel(f->kctx, 0, &kt));
	kt.mtu = 1400;
	kern_dry_preset_tunnel(f->kctx, &kt);
	assert_int_equal(mesh_rescan(f->m, T0 + 1), 0);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f), "tunnel modify gif0 mtu 1480\n");
	assert_int_equal(kernel_mtu(f, 0), 1480);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	fixture_free(f);
}

/* A failed change is retried, and nothing else is done instead. */
static void
test_mtu_change_retried(void **state)
{
	struct fixture *f = fixture_new_mtu(1, NULL, 0, 0, 1480);

	preset(f, 2, GW1, 1, 1280);
	preset_route(f, A(44, 2, 2, 0), 24, 2);
	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_MODIFY, 2, 0, -1, EBUSY, 1);
	mesh_adopt(f->m, T0);
	mesh_reconcile(f->m, T0);
	assert_string_equal(lines(f), "");
	assert_int_equal(kernel_mtu(f, 2), 1280);
	mesh_reconcile(f->m, T0 + 5);
	assert_string_equal(lines(f), "tunnel modify gif2 mtu 1480\n");
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 2);
	fixture_free(f);
}

#define NEWLOCAL	A(23, 30, 150, 200)
#define MODIFY(unit)	"tunnel modify gif" #unit " local 23.30.150.200\n"

static uint32_t
kernel_local(struct fixture *f, int unit)
{
	struct kern_tunnel kt;

	assert_true(kern_dry_get_tunnel(f->kctx, unit, &kt));
	return kt.local;
}

static int
kernel_ifindex(struct fixture *f, int unit)
{
	struct kern_tunnel kt;

	assert_true(kern_dry_get_tunnel(f->kctx, unit, &kt));
	return kt.ifindex;
}

/*
 * The public address changes: N tunnels of ours, N changes of their local
 * end in place (same interface index), no route operation; the operator's
 * reserved gif keeps its ends.
 */
static void
test_follow_local_in_place(void **state)
{
	int reserved[] = { 1 };
	struct fixture *f = fixture_new(1, reserved, 1, 0);
	unsigned long routes_before;
	const char *out;
	int index[3], unit;

	preset(f, 1, A(169, 228, 34, 84), 0, 0);
	preset_route(f, A(44, 60, 0, 0), 24, 1);
	mesh_adopt(f->m, T0);
	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 2, 3, 0), 24, GW1, T0);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0);
	heard(f, A(44, 4, 4, 0), 24, GW3, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	for (unit = 0; unit < 3; unit++)
		index[unit] = kernel_ifindex(f, unit == 0 ? 0 : unit + 1);
	routes_before = route_ops(f);

	assert_int_equal(mesh_follow_local(f->m, NEWLOCAL), 3);
	mesh_reconcile(f->m, T0 + 1);
	/* In the tunnel table's order, which is no order. */
	out = lines(f);
	assert_int_equal(strlen(out), 3 * strlen(MODIFY(0)));
	assert_non_null(strstr(out, MODIFY(0)));
	assert_non_null(strstr(out, MODIFY(2)));
	assert_non_null(strstr(out, MODIFY(3)));
	assert_int_equal(route_ops(f), routes_before);
	assert_int_equal(kern_dry_count(f->kctx, KERN_DRY_TUNNEL_ADD), 3);
	assert_int_equal(kern_dry_count(f->kctx, KERN_DRY_TUNNEL_DELETE), 0);
	for (unit = 0; unit < 3; unit++) {
		assert_int_equal(kernel_local(f, unit == 0 ? 0 : unit + 1),
		    NEWLOCAL);
		assert_int_equal(kernel_ifindex(f, unit == 0 ? 0 : unit + 1),
		    index[unit]);
	}
	assert_int_equal(kernel_local(f, 1), LOCAL);
	assert_int_equal(kernel_route(f, A(44, 2, 3, 0), 24), 0);
	assert_int_equal(kernel_route(f, A(44, 60, 0, 0), 24), 1);
	/* Once: later passes, and the same address again, do nothing. */
	mesh_reconcile(f->m, T0 + 2);
	assert_int_equal(mesh_follow_local(f->m, NEWLOCAL), 0);
	mesh_reconcile(f->m, T0 + 3);
	assert_string_equal(lines(f), "");
	/* A tunnel made from now on has the new local end. */
	heard(f, A(44, 5, 5, 0), 24, A(198, 51, 100, 99), T0 + 4);
	mesh_reconcile(f->m, T0 + 4);
	assert_string_equal(lines(f),
	    "tunnel add gif4 local 23.30.150.200 remote 198.51.100.99 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.5.5.0/24 gif4 rdomain 44\n");
	fixture_free(f);
}

/* A change that fails is retried; a tunnel still to be made gets it. */
static void
test_follow_local_retried(void **state)
{
	struct fixture *f = fixture_one_route();

	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, EBUSY, 1);
	heard(f, A(44, 3, 3, 0), 24, GW2, T0 + 1);
	mesh_reconcile(f->m, T0 + 1);
	(void)lines(f);
	assert_false(kern_dry_get_tunnel(f->kctx, 1, NULL));

	kern_dry_fail(f->kctx, KERN_DRY_TUNNEL_MODIFY, 0, 0, -1, EBUSY, 1);
	assert_int_equal(mesh_follow_local(f->m, NEWLOCAL), 1);
	mesh_reconcile(f->m, T0 + 2);
	assert_string_equal(lines(f),
	    "tunnel add gif1 local 23.30.150.200 remote 203.0.113.7 "
	    "rdomain 44 tunneldomain 23\n"
	    "route add 44.3.3.0/24 gif1 rdomain 44\n");
	assert_int_equal(kernel_local(f, 0), LOCAL);
	mesh_reconcile(f->m, T0 + 10);
	assert_string_equal(lines(f),
	    "tunnel modify gif0 local 23.30.150.200\n");
	assert_int_equal(kernel_local(f, 0), NEWLOCAL);
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	fixture_free(f);
}

/*
 * The new address was a gateway's before (a route via it was heard): a
 * tunnel to ourselves would loop, so its routes go with it.
 */
static void
test_follow_local_drops_routes_via_self(void **state)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	heard(f, A(44, 9, 9, 0), 24, NEWLOCAL, T0);
	mesh_reconcile(f->m, T0);
	(void)lines(f);
	assert_int_equal(mesh_follow_local(f->m, NEWLOCAL), 1);
	mesh_reconcile(f->m, T0 + 1);
	assert_string_equal(lines(f),
	    "tunnel modify gif0 local 23.30.150.200\n"
	    "route delete 44.9.9.0/24 rdomain 44\n"
	    "tunnel delete gif1\n");
	assert_int_equal(kernel_route(f, A(44, 2, 2, 0), 24), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 1);
	fixture_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mtu_on_new_tunnels),
		cmocka_unit_test(test_no_mtu_flag_no_mtu),
		cmocka_unit_test(test_adopted_mtu_corrected),
		cmocka_unit_test(test_rescan_mtu_corrected),
		cmocka_unit_test(test_mtu_change_retried),
		cmocka_unit_test(test_follow_local_in_place),
		cmocka_unit_test(test_follow_local_retried),
		cmocka_unit_test(test_follow_local_drops_routes_via_self),
	};

	log_init(1, 0, "test_tunnel_ends");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
