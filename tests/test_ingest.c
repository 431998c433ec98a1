/*
 * The datagram path end to end (source check, decode, policy, tables,
 * reconcile) against the dry-run backend's kernel model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "policy.h"
#include "rip.h"

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))
#define AMPRGW		A(44, 0, 0, 1)
#define OURS		A(23, 30, 150, 141)
#define T0		2000000

struct fx {
	void		*kctx;
	struct mesh	*m;
	struct policy	 pol;
	struct ingest	 in;
};

static struct fx *
fx_new(void)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	struct fx *f = calloc(1, sizeof(*f));
	char err[64];

	f->kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	kern_dry_set_output(f->kctx, NULL);
	mesh_config_init(&cfg);
	cfg.local = OURS;
	f->m = mesh_new(&cfg, &kern_dry_ops, f->kctx);
	policy_init(&f->pol);
	f->pol.ours = OURS;
	ingest_init(&f->in, &f->pol, f->m);
	return f;
}

static void
fx_free(struct fx *f)
{
	mesh_free(f->m);
	kern_dry_ops.close(f->kctx);
	free(f);
}

static struct rip_entry
entry(uint32_t addr, int len, uint32_t nexthop, uint32_t metric)
{
	struct rip_entry e;

	memset(&e, 0, sizeof(e));
	e.family = 2;
	e.tag = 4;
	e.addr = addr;
	e.mask = len ? 0xffffffffU << (32 - len) : 0;
	e.len = len;
	e.nexthop = nexthop;
	e.metric = metric;
	return e;
}

static enum reason
feed(struct fx *f, uint32_t src, const char *password,
    const struct rip_entry *e, int n, time_t now)
{
	uint8_t buf[RIP_MAX_LEN];
	size_t len = rip_encode(buf, sizeof(buf), password, e, n);

	assert_true(len > 0);
	return ingest_datagram(&f->in, src, RIP_PORT, buf, len, now, now);
}

static void
test_valid_table_installed(void **state)
{
	struct fx *f = fx_new();
	struct rip_entry e[3];
	struct kern_route kr;

	e[0] = entry(A(44, 2, 2, 0), 24, A(198, 51, 100, 20), 1);
	e[1] = entry(A(44, 130, 0, 0), 16, A(203, 0, 113, 7), 1);
	e[2] = entry(A(44, 130, 5, 0), 29, A(198, 51, 100, 20), 1);
	assert_int_equal(feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, e, 3, T0),
	    R_NONE);
	assert_int_equal(f->in.accepted, 1);
	assert_int_equal(f->in.entries, 3);
	assert_int_equal(kern_dry_nroutes(f->kctx), 3);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 2);
	assert_true(kern_dry_get_route(f->kctx, A(44, 130, 5, 0), 29, &kr));
	assert_int_equal(kr.unit, 0);
	assert_int_equal(f->in.last_accepted, T0);
	fx_free(f);
}

static void
test_hostile_datagrams_change_nothing(void **state)
{
	struct fx *f = fx_new();
	struct rip_entry e = entry(A(44, 2, 2, 0), 24, A(198, 51, 100, 20), 1);
	uint8_t buf[RIP_MAX_LEN];
	size_t len;
	unsigned long gen = mesh_generation(f->m);

	assert_int_equal(feed(f, A(44, 0, 0, 2), RIP_DEFAULT_PASSWORD, &e, 1,
	    T0), R_SOURCE);
	assert_int_equal(feed(f, AMPRGW, "wrong", &e, 1, T0), R_PASSWORD);
	len = rip_encode(buf, sizeof(buf), RIP_DEFAULT_PASSWORD, &e, 1);
	assert_int_equal(ingest_datagram(&f->in, AMPRGW, 521, buf, len, T0,
	    T0), R_SOURCE_PORT);
	assert_int_equal(ingest_datagram(&f->in, AMPRGW, RIP_PORT, buf,
	    len - 1, T0, T0), R_LENGTH);
	assert_int_equal(ingest_datagram(&f->in, AMPRGW, RIP_PORT, buf, 10,
	    T0, T0), R_SHORT);
	buf[0] = 1;	/* a request */
	assert_int_equal(ingest_datagram(&f->in, AMPRGW, RIP_PORT, buf, len,
	    T0, T0), R_COMMAND);
	assert_int_equal(f->in.refused, 6);
	assert_int_equal(f->in.accepted, 0);
	assert_int_equal(f->in.reasons[R_SOURCE], 1);
	assert_int_equal(f->in.reasons[R_PASSWORD], 1);
	assert_int_equal(f->in.reasons[R_SOURCE_PORT], 1);
	assert_int_equal(f->in.reasons[R_LENGTH], 1);
	assert_int_equal(f->in.reasons[R_SHORT], 1);
	assert_int_equal(f->in.reasons[R_COMMAND], 1);
	assert_int_equal(mesh_generation(f->m), gen);
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	assert_int_equal(f->in.last_accepted, 0);
	fx_free(f);
}

static void
test_bad_entries_refused_alone(void **state)
{
	struct fx *f = fx_new();
	struct rip_entry e[9];
	struct kern_route kr;

	e[0] = entry(A(44, 2, 2, 0), 24, A(198, 51, 100, 20), 1);
	e[1] = entry(A(44, 208, 0, 0), 16, A(198, 51, 100, 21), 1);
	e[2] = entry(A(44, 3, 3, 0), 24, A(44, 3, 3, 9), 1);
	e[3] = entry(A(44, 4, 4, 0), 24, A(127, 0, 0, 1), 1);
	e[4] = entry(A(44, 5, 5, 0), 24, OURS, 1);
	e[5] = entry(A(44, 6, 6, 0), 24, A(198, 51, 100, 22), 17);
	e[6] = entry(A(44, 7, 7, 0), 24, A(198, 51, 100, 23), 1);
	e[6].family = 7;
	e[7] = entry(A(44, 8, 8, 0), 24, A(198, 51, 100, 24), 1);
	e[7].mask = 0xff00ff00;
	e[8] = entry(A(44, 9, 9, 77), 24, A(198, 51, 100, 25), 1);
	assert_int_equal(feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, e, 9, T0),
	    R_NONE);
	assert_int_equal(f->in.reasons[R_OUTSIDE], 1);
	assert_int_equal(f->in.reasons[R_LOOP], 1);
	assert_int_equal(f->in.reasons[R_NEXTHOP], 1);
	assert_int_equal(f->in.reasons[R_OURS], 1);
	assert_int_equal(f->in.reasons[R_METRIC], 1);
	assert_int_equal(f->in.reasons[R_FAMILY], 1);
	assert_int_equal(f->in.reasons[R_NETMASK], 1);
	/* The good one and the one with host bits (masked) are used. */
	assert_int_equal(f->in.entries, 2);
	assert_int_equal(kern_dry_nroutes(f->kctx), 2);
	assert_true(kern_dry_get_route(f->kctx, A(44, 9, 9, 0), 24, &kr));
	fx_free(f);
}

static void
test_metric_16_withdraws(void **state)
{
	struct fx *f = fx_new();
	struct rip_entry e = entry(A(44, 2, 2, 0), 24, A(198, 51, 100, 20), 1);

	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &e, 1, T0);
	assert_int_equal(kern_dry_nroutes(f->kctx), 1);
	e.metric = RIP_METRIC_INFINITY;
	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &e, 1, T0 + 1);
	assert_int_equal(kern_dry_nroutes(f->kctx), 0);
	assert_int_equal(kern_dry_ntunnels(f->kctx), 0);
	fx_free(f);
}

static void
test_repeat_costs_nothing_and_expiry_runs(void **state)
{
	struct fx *f = fx_new();
	struct rip_entry a = entry(A(44, 2, 2, 0), 24, A(198, 51, 100, 20), 1);
	struct rip_entry b = entry(A(44, 3, 3, 0), 24, A(198, 51, 100, 21), 1);
	struct mesh_stats st;

	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &a, 1, T0);
	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &b, 1, T0);
	mesh_get_stats(f->m, &st);
	assert_int_equal(st.kernel_ops, 4);
	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &a, 1, T0 + 300);
	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &a, 1, T0 + 600);
	mesh_get_stats(f->m, &st);
	assert_int_equal(st.kernel_ops, 4);
	/* b was last heard at T0: gone with the datagram at T0 + 900. */
	feed(f, AMPRGW, RIP_DEFAULT_PASSWORD, &a, 1, T0 + 900);
	mesh_get_stats(f->m, &st);
	assert_int_equal(st.kernel_ops, 6);
	assert_int_equal(kern_dry_nroutes(f->kctx), 1);
	fx_free(f);
}

static void
test_file_routes_same_policy(void **state)
{
	struct fx *f = fx_new();

	assert_int_equal(ingest_route(&f->in, A(44, 2, 2, 0), 24,
	    A(198, 51, 100, 20), T0), R_NONE);
	assert_int_equal(ingest_route(&f->in, A(44, 224, 0, 0), 15,
	    A(198, 51, 100, 20), T0), R_OUTSIDE);
	assert_int_equal(ingest_route(&f->in, A(44, 3, 0, 0), 24,
	    A(44, 3, 0, 1), T0), R_LOOP);
	assert_int_equal(f->in.entries, 1);
	assert_int_equal(f->in.reasons[R_OUTSIDE], 1);
	mesh_reconcile(f->m, T0);
	assert_int_equal(kern_dry_nroutes(f->kctx), 1);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_table_installed),
		cmocka_unit_test(test_hostile_datagrams_change_nothing),
		cmocka_unit_test(test_bad_entries_refused_alone),
		cmocka_unit_test(test_metric_16_withdraws),
		cmocka_unit_test(test_repeat_costs_nothing_and_expiry_runs),
		cmocka_unit_test(test_file_routes_same_policy),
	};

	log_init(1, 0, "test_ingest");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
