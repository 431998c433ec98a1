/*
 * Tests of the dry-run kernel backend (output lines, kernel-like answers,
 * failure injection, presets, events) and of the rate-limited log.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kern.h"
#include "kern_dry.h"
#include "log.h"

#define IP(a, b, c, d)	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			    ((uint32_t)(c) << 8) | (uint32_t)(d))

#define DRY_TEST(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* A dry context writing into a memory stream. */
struct fixture {
	void	*ctx;
	FILE	*out;
	char	*buf;
	size_t	 len;
	size_t	 seen;		/* bytes already checked */
};

static int
setup(void **state)
{
	struct kern_config	 config = { .rdomain = 44,
				     .tunneldomain = 23 };
	struct fixture		*fx;
	char			 err[128];

	fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	fx->ctx = kern_dry_ops.open(&config, err, sizeof(err));
	assert_non_null(fx->ctx);
	fx->out = open_memstream(&fx->buf, &fx->len);
	assert_non_null(fx->out);
	kern_dry_set_output(fx->ctx, fx->out);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	kern_dry_ops.close(fx->ctx);
	fclose(fx->out);
	free(fx->buf);
	free(fx);
	return 0;
}

/* What was printed since the last call. */
static void
expect_output(struct fixture *fx, const char *want)
{
	char	*got;

	fflush(fx->out);
	assert_true(fx->len >= fx->seen);
	got = strndup(fx->buf == NULL ? "" : fx->buf + fx->seen,
	    fx->len - fx->seen);
	assert_non_null(got);
	fx->seen = fx->len;
	assert_string_equal(got, want);
	free(got);
}

static struct kern_tunnel
tunnel(int unit, uint32_t remote)
{
	struct kern_tunnel	t = {
		.unit = unit,
		.local = IP(23, 30, 150, 141),
		.remote = remote,
		.rdomain = 44,
		.tunneldomain = 23,
		.addr44 = IP(44, 44, 0, 1),
		.up = 0
	};

	return t;
}

static struct kern_route
route(uint32_t addr, int len, int unit)
{
	struct kern_route	r = {
		.addr = addr, .len = len, .unit = unit, .rdomain = 44
	};

	return r;
}

static void
add_tunnel(struct fixture *fx, int unit, uint32_t remote)
{
	struct kern_tunnel	t = tunnel(unit, remote);

	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
}

static void
add_route(struct fixture *fx, uint32_t addr, int len, int unit)
{
	struct kern_route	r = route(addr, len, unit);

	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
}

static void
test_tunnel_lines(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(7, IP(203, 0, 113, 7)), got;

	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	expect_output(fx, "tunnel add gif7 local 23.30.150.141 "
	    "remote 203.0.113.7 rdomain 44 tunneldomain 23\n");
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 7, &got), 1);
	assert_int_equal(got.unit, 7);
	assert_int_equal(got.local, t.local);
	assert_int_equal(got.remote, t.remote);
	assert_int_equal(got.addr44, t.addr44);
	assert_int_equal(got.up, 1);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 1);

	/* The catch-all tunnel has remote 0.0.0.0. */
	t = tunnel(0, 0);
	t.rdomain = 5;
	t.tunneldomain = 0;
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	expect_output(fx, "tunnel add gif0 local 23.30.150.141 "
	    "remote 0.0.0.0 rdomain 5 tunneldomain 0\n");

	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 7), 0);
	expect_output(fx, "tunnel delete gif7\n");
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 7, NULL), 0);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 2);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_DELETE), 1);
}

static void
test_route_lines(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 r = route(IP(44, 130, 0, 0), 16, 7), got;

	add_tunnel(fx, 7, IP(203, 0, 113, 7));
	add_tunnel(fx, 9, IP(203, 0, 113, 9));
	expect_output(fx, "tunnel add gif7 local 23.30.150.141 "
	    "remote 203.0.113.7 rdomain 44 tunneldomain 23\n"
	    "tunnel add gif9 local 23.30.150.141 "
	    "remote 203.0.113.9 rdomain 44 tunneldomain 23\n");

	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	expect_output(fx, "route add 44.130.0.0/16 gif7 rdomain 44\n");
	assert_int_equal(kern_dry_get_route(fx->ctx, r.addr, 16, &got), 1);
	assert_int_equal(got.unit, 7);

	r.unit = 9;
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), 0);
	expect_output(fx, "route change 44.130.0.0/16 gif9 rdomain 44\n");
	assert_int_equal(kern_dry_get_route(fx->ctx, r.addr, 16, &got), 1);
	assert_int_equal(got.unit, 9);

	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), 0);
	expect_output(fx, "route delete 44.130.0.0/16 rdomain 44\n");
	assert_int_equal(kern_dry_get_route(fx->ctx, r.addr, 16, NULL), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 0);

	/* A host route and the default route format the same way. */
	add_route(fx, IP(44, 1, 2, 3), 32, 7);
	add_route(fx, 0, 0, 9);
	expect_output(fx, "route add 44.1.2.3/32 gif7 rdomain 44\n"
	    "route add 0.0.0.0/0 gif9 rdomain 44\n");

	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_ADD), 3);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_CHANGE), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_DELETE), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_NOPS), 0);
}

/* Route lines name the interface domain the backend was opened with. */
static void
test_route_rdomain_from_config(void **state)
{
	struct fixture		*fx = *state;
	struct kern_config	 config = { .rdomain = 3, .tunneldomain = 0 };
	struct kern_route	 r = route(IP(44, 60, 44, 0), 24, 2);
	struct kern_tunnel	 t = tunnel(2, IP(198, 51, 100, 2));
	void			*ctx;

	ctx = kern_dry_ops.open(&config, NULL, 0);
	assert_non_null(ctx);
	config.rdomain = 99;	/* the backend keeps its own copy */
	kern_dry_set_output(ctx, fx->out);
	assert_int_equal(kern_dry_ops.tunnel_add(ctx, &t), 0);
	assert_int_equal(kern_dry_ops.route_add(ctx, &r), 0);
	kern_dry_ops.close(ctx);
	expect_output(fx, "tunnel add gif2 local 23.30.150.141 "
	    "remote 198.51.100.2 rdomain 44 tunneldomain 23\n"
	    "route add 44.60.44.0/24 gif2 rdomain 3\n");
}

static void
test_host_bits_masked(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 got;

	add_tunnel(fx, 1, IP(192, 0, 2, 1));
	expect_output(fx, "tunnel add gif1 local 23.30.150.141 "
	    "remote 192.0.2.1 rdomain 44 tunneldomain 23\n");
	add_route(fx, IP(44, 130, 77, 9), 16, 1);
	expect_output(fx, "route add 44.130.0.0/16 gif1 rdomain 44\n");
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 130, 0, 0), 16,
	    &got), 1);
	assert_int_equal(got.addr, IP(44, 130, 0, 0));
	assert_int_equal(got.len, 16);
}

static void
test_kernel_errors(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(7, IP(203, 0, 113, 7));
	struct kern_route	 r = route(IP(44, 130, 0, 0), 16, 7);
	struct kern_route	 other = route(IP(44, 131, 0, 0), 16, 7);

	/* No tunnel yet: a route has no interface. */
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), ENETUNREACH);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 7), ENXIO);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EEXIST);
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), ESRCH);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), ESRCH);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EEXIST);
	r.unit = 8;
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), ENETUNREACH);
	other.unit = 8;
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &other),
	    ENETUNREACH);

	/* Arguments no kernel would take. */
	t.unit = -1;
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EINVAL);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, -3), EINVAL);
	r.unit = 7;
	r.len = 33;
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EINVAL);
	r.len = -1;
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), EINVAL);

	/* Only the two successes were printed, counted and kept. */
	expect_output(fx, "tunnel add gif7 local 23.30.150.141 "
	    "remote 203.0.113.7 rdomain 44 tunneldomain 23\n"
	    "route add 44.130.0.0/16 gif7 rdomain 44\n");
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_ADD), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_CHANGE), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_DELETE), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_DELETE), 0);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 1);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 1);
}

/* Deleting a tunnel takes its routes with it, and only its routes. */
static void
test_tunnel_delete_drops_routes(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 r = route(IP(44, 2, 0, 0), 24, 2);

	add_tunnel(fx, 1, IP(192, 0, 2, 1));
	add_tunnel(fx, 2, IP(192, 0, 2, 2));
	add_route(fx, IP(44, 1, 0, 0), 24, 1);
	add_route(fx, IP(44, 1, 1, 0), 24, 1);
	add_route(fx, IP(44, 1, 1, 8), 29, 2);
	add_route(fx, IP(44, 2, 0, 0), 24, 2);
	/* Moved from 2 to 1: it now goes with tunnel 1. */
	add_route(fx, IP(44, 3, 0, 0), 24, 2);
	r.addr = IP(44, 3, 0, 0);
	r.unit = 1;
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 5);

	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 1), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 2);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 1, 0, 0), 24,
	    NULL), 0);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 1, 1, 0), 24,
	    NULL), 0);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 3, 0, 0), 24,
	    NULL), 0);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 1, 1, 8), 29,
	    NULL), 1);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 2, 0, 0), 24,
	    NULL), 1);
	/* The route that went is gone for a kernel too. */
	r.addr = IP(44, 1, 0, 0);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), ESRCH);

	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 2), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 0);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 0);
}

static void
test_fail_count(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(4, IP(198, 51, 100, 4));

	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, EPERM, 2);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EPERM);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EPERM);
	expect_output(fx, "");
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 4, NULL), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 0);

	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	expect_output(fx, "tunnel add gif4 local 23.30.150.141 "
	    "remote 198.51.100.4 rdomain 44 tunneldomain 23\n");
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 4, NULL), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 1);

	/* A failed delete leaves the tunnel in place. */
	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_DELETE, -1, 0, -1, EBUSY, 1);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 4), EBUSY);
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 4, NULL), 1);
	expect_output(fx, "");
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 4), 0);
	expect_output(fx, "tunnel delete gif4\n");
}

static void
test_fail_unit_filter(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t5 = tunnel(5, IP(198, 51, 100, 5));
	struct kern_tunnel	 t6 = tunnel(6, IP(198, 51, 100, 6));
	struct kern_route	 r = route(IP(44, 10, 0, 0), 16, 5);

	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_ADD, 6, 0, -1, ENOBUFS, 1);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t5), 0);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t6), ENOBUFS);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t6), 0);

	/* Route targets: only routes via gif6 fail. */
	kern_dry_fail(fx->ctx, KERN_DRY_ROUTE_ADD, 6, 0, -1, EAGAIN, 1);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	r.addr = IP(44, 11, 0, 0);
	r.unit = 6;
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EAGAIN);
	assert_int_equal(kern_dry_get_route(fx->ctx, r.addr, 16, NULL), 0);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	expect_output(fx, "tunnel add gif5 local 23.30.150.141 "
	    "remote 198.51.100.5 rdomain 44 tunneldomain 23\n"
	    "tunnel add gif6 local 23.30.150.141 "
	    "remote 198.51.100.6 rdomain 44 tunneldomain 23\n"
	    "route add 44.10.0.0/16 gif5 rdomain 44\n"
	    "route add 44.11.0.0/16 gif6 rdomain 44\n");
}

static void
test_fail_prefix_filter(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 r = route(IP(44, 20, 0, 0), 16, 1);
	struct kern_route	 wider = route(IP(44, 0, 0, 0), 8, 1);
	struct kern_route	 got, other;

	add_tunnel(fx, 1, IP(192, 0, 2, 1));
	add_tunnel(fx, 2, IP(192, 0, 2, 2));
	add_route(fx, IP(44, 20, 0, 0), 16, 1);
	add_route(fx, IP(44, 0, 0, 0), 8, 1);
	expect_output(fx, "tunnel add gif1 local 23.30.150.141 "
	    "remote 192.0.2.1 rdomain 44 tunneldomain 23\n"
	    "tunnel add gif2 local 23.30.150.141 "
	    "remote 192.0.2.2 rdomain 44 tunneldomain 23\n"
	    "route add 44.20.0.0/16 gif1 rdomain 44\n"
	    "route add 44.0.0.0/8 gif1 rdomain 44\n");

	/* Host bits in the filter address are ignored, as in routes. */
	kern_dry_fail(fx->ctx, KERN_DRY_ROUTE_CHANGE, -1, IP(44, 20, 9, 9),
	    16, ENOMEM, 3);
	wider.unit = 2;
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &wider), 0);
	r.unit = 2;
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), ENOMEM);
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), ENOMEM);
	assert_int_equal(kern_dry_get_route(fx->ctx, r.addr, 16, &got), 1);
	assert_int_equal(got.unit, 1);
	/* Same length, other address: not affected. */
	other = route(IP(44, 21, 0, 0), 16, 1);
	add_route(fx, other.addr, 16, 1);
	other.unit = 2;
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &other), 0);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &other), 0);
	expect_output(fx, "route change 44.0.0.0/8 gif2 rdomain 44\n"
	    "route add 44.21.0.0/16 gif1 rdomain 44\n"
	    "route change 44.21.0.0/16 gif2 rdomain 44\n"
	    "route delete 44.21.0.0/16 rdomain 44\n");
	/* A delete of that prefix is another kind: not affected. */
	kern_dry_fail(fx->ctx, KERN_DRY_ROUTE_DELETE, -1, IP(44, 0, 0, 0), 8,
	    EIO, 1);
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), ENOMEM);
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &wider), EIO);
	assert_int_equal(kern_dry_get_route(fx->ctx, wider.addr, 8, NULL), 1);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &wider), 0);
	expect_output(fx, "route change 44.20.0.0/16 gif2 rdomain 44\n"
	    "route delete 44.20.0.0/16 rdomain 44\n"
	    "route delete 44.0.0.0/8 rdomain 44\n");
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_CHANGE), 3);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_DELETE), 3);
}

/* Injected failures take precedence over what the model would answer. */
static void
test_fail_before_model(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 r = route(IP(44, 5, 0, 0), 16, 3);

	kern_dry_fail(fx->ctx, KERN_DRY_ROUTE_DELETE, 3, 0, -1, EACCES, 1);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), EACCES);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), ESRCH);
	expect_output(fx, "");
}

static void
test_fail_several(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t;
	int			 unit;

	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_ADD, 2, 0, -1, EEXIST, 1);
	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, EIO, 2);
	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_DELETE, -1, 0, -1, EBUSY, 1);
	/* Ignored: no count, no error, no such operation. */
	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, EIO, 0);
	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_ADD, -1, 0, -1, 0, 5);
	kern_dry_fail(fx->ctx, KERN_DRY_NOPS, -1, 0, -1, EIO, 5);

	/* Unit 2 meets its own injection first, then the general one. */
	t = tunnel(2, IP(192, 0, 2, 2));
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EEXIST);
	t = tunnel(1, IP(192, 0, 2, 1));
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EIO);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EIO);
	for (unit = 1; unit <= 3; unit++) {
		t = tunnel(unit, IP(192, 0, 2, unit));
		assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	}
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 3), EBUSY);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 3), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 3);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_DELETE), 1);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 2);
}

struct scan_log {
	char	text[4096];
	size_t	len;
};

static void
scan_tunnel(void *arg, const struct kern_tunnel *t)
{
	struct scan_log	*sl = arg;
	int		 n;

	n = snprintf(sl->text + sl->len, sizeof(sl->text) - sl->len,
	    "T%d %08x %08x %d %d %08x %d\n", t->unit, (unsigned)t->local,
	    (unsigned)t->remote, t->rdomain, t->tunneldomain,
	    (unsigned)t->addr44, t->up);
	assert_true(n > 0 && (size_t)n < sizeof(sl->text) - sl->len);
	sl->len += (size_t)n;
}

static void
scan_route(void *arg, const struct kern_route *r)
{
	struct scan_log	*sl = arg;
	int		 n;

	n = snprintf(sl->text + sl->len, sizeof(sl->text) - sl->len,
	    "R%08x/%d %d %d\n", (unsigned)r->addr, r->len, r->unit,
	    r->rdomain);
	assert_true(n > 0 && (size_t)n < sizeof(sl->text) - sl->len);
	sl->len += (size_t)n;
}

static void
test_preset_scan(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t;
	struct kern_route	 r;
	struct scan_log		 sl = { .len = 0 };

	/* Out of order, to see the scan sort them. */
	t = tunnel(12, IP(192, 0, 2, 12));
	kern_dry_preset_tunnel(fx->ctx, &t);
	t = tunnel(0, 0);
	t.up = 1;
	kern_dry_preset_tunnel(fx->ctx, &t);
	t = tunnel(3, IP(192, 0, 2, 3));
	kern_dry_preset_tunnel(fx->ctx, &t);
	r = route(IP(44, 128, 0, 0), 10, 3);
	kern_dry_preset_route(fx->ctx, &r);
	r = route(IP(44, 1, 0, 0), 16, 12);
	kern_dry_preset_route(fx->ctx, &r);
	r = route(IP(44, 1, 0, 0), 24, 3);
	r.rdomain = 7;
	kern_dry_preset_route(fx->ctx, &r);
	r = route(IP(10, 0, 0, 0), 8, 12);
	kern_dry_preset_route(fx->ctx, &r);

	expect_output(fx, "");
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_ADD), 0);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 3);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 4);

	assert_int_equal(kern_dry_ops.scan(fx->ctx, scan_tunnel, scan_route,
	    &sl), 0);
	assert_string_equal(sl.text,
	    "T0 171e968d 00000000 44 23 2c2c0001 1\n"
	    "T3 171e968d c0000203 44 23 2c2c0001 0\n"
	    "T12 171e968d c000020c 44 23 2c2c0001 0\n"
	    "R0a000000/8 12 44\n"
	    "R2c010000/16 12 44\n"
	    "R2c010000/24 3 7\n"
	    "R2c800000/10 3 44\n");

	/* Presets behave like state a kernel already had. */
	t = tunnel(3, IP(192, 0, 2, 3));
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), EEXIST);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EEXIST);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 12), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 2);
	expect_output(fx, "tunnel delete gif12\n");
}

/* A route may be preset before its tunnel; it still goes with it. */
static void
test_preset_route_before_tunnel(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 r = route(IP(44, 9, 0, 0), 16, 8);
	struct kern_tunnel	 t = tunnel(8, IP(192, 0, 2, 8));

	kern_dry_preset_route(fx->ctx, &r);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 1);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 8), ENXIO);
	kern_dry_preset_tunnel(fx->ctx, &t);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 8), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 0);
}

struct event_log {
	int	n;
	int	units[8];
	int	gone;
};

static void
on_event(void *arg, const struct kern_event *ev)
{
	struct event_log	*el = arg;

	assert_true(el->n < 8);
	el->units[el->n++] = ev->unit;
	if (ev->type == KERN_EV_GONE)
		el->gone++;
}

static void
test_vanish_events(void **state)
{
	struct fixture		*fx = *state;
	struct event_log	 el = { .n = 0 };

	assert_int_equal(kern_dry_ops.event_fd(fx->ctx), -1);
	add_tunnel(fx, 1, IP(192, 0, 2, 1));
	add_tunnel(fx, 2, IP(192, 0, 2, 2));
	add_route(fx, IP(44, 1, 0, 0), 16, 1);
	add_route(fx, IP(44, 2, 0, 0), 16, 2);
	add_route(fx, IP(44, 2, 1, 0), 24, 2);
	expect_output(fx, "tunnel add gif1 local 23.30.150.141 "
	    "remote 192.0.2.1 rdomain 44 tunneldomain 23\n"
	    "tunnel add gif2 local 23.30.150.141 "
	    "remote 192.0.2.2 rdomain 44 tunneldomain 23\n"
	    "route add 44.1.0.0/16 gif1 rdomain 44\n"
	    "route add 44.2.0.0/16 gif2 rdomain 44\n"
	    "route add 44.2.1.0/24 gif2 rdomain 44\n");

	assert_int_equal(kern_dry_ops.events(fx->ctx, on_event, &el), 0);
	assert_int_equal(el.n, 0);

	kern_dry_vanish(fx->ctx, 2);
	expect_output(fx, "");
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 2, NULL), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 1);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 1);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_DELETE), 0);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 2), ENXIO);
	kern_dry_vanish(fx->ctx, 1);

	assert_int_equal(kern_dry_ops.events(fx->ctx, on_event, &el), 0);
	assert_int_equal(el.n, 2);
	assert_int_equal(el.gone, 2);
	assert_int_equal(el.units[0], 2);
	assert_int_equal(el.units[1], 1);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 0);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 0);

	/* Delivered once. */
	assert_int_equal(kern_dry_ops.events(fx->ctx, on_event, &el), 0);
	assert_int_equal(el.n, 2);
}

static void
test_model_off(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(7, IP(203, 0, 113, 7));
	struct kern_route	 r = route(IP(44, 130, 0, 0), 16, 9);
	struct scan_log		 sl = { .len = 0 };

	add_tunnel(fx, 1, IP(192, 0, 2, 1));
	expect_output(fx, "tunnel add gif1 local 23.30.150.141 "
	    "remote 192.0.2.1 rdomain 44 tunneldomain 23\n");
	kern_dry_set_model(fx->ctx, 0);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 0);

	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), 0);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 3), 0);
	kern_dry_preset_tunnel(fx->ctx, &t);
	kern_dry_preset_route(fx->ctx, &r);
	expect_output(fx, "tunnel add gif7 local 23.30.150.141 "
	    "remote 203.0.113.7 rdomain 44 tunneldomain 23\n"
	    "tunnel add gif7 local 23.30.150.141 "
	    "remote 203.0.113.7 rdomain 44 tunneldomain 23\n"
	    "route add 44.130.0.0/16 gif9 rdomain 44\n"
	    "route add 44.130.0.0/16 gif9 rdomain 44\n"
	    "route change 44.130.0.0/16 gif9 rdomain 44\n"
	    "route delete 44.130.0.0/16 rdomain 44\n"
	    "route delete 44.130.0.0/16 rdomain 44\n"
	    "tunnel delete gif3\n");
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 0);
	assert_int_equal(kern_dry_nroutes(fx->ctx), 0);
	assert_int_equal(kern_dry_get_tunnel(fx->ctx, 7, NULL), 0);
	assert_int_equal(kern_dry_ops.scan(fx->ctx, scan_tunnel, scan_route,
	    &sl), 0);
	assert_int_equal(sl.len, 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 3);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_ROUTE_DELETE), 2);

	/* Injection still works without a model. */
	kern_dry_fail(fx->ctx, KERN_DRY_ROUTE_ADD, -1, 0, -1, EIO, 1);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EIO);
	expect_output(fx, "");
}

static void
test_no_output(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(7, IP(203, 0, 113, 7));

	kern_dry_set_output(fx->ctx, NULL);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 7), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_DELETE), 1);
	expect_output(fx, "");
}

/* Many routes over many tunnels: the model stays consistent. */
static void
test_many_routes(void **state)
{
	struct fixture	*fx = *state;
	const int	 ntunnels = 500, nroutes = 20000;
	struct kern_route got;
	int		 i, unit;
	size_t		 left;

	kern_dry_set_output(fx->ctx, NULL);
	for (unit = 0; unit < ntunnels; unit++)
		add_tunnel(fx, unit * 37, IP(100, 64, unit >> 8, unit & 0xff));
	for (i = 0; i < nroutes; i++)
		add_route(fx, IP(44, 0, 0, 0) | ((uint32_t)i << 5), 27,
		    (i % ntunnels) * 37);
	assert_int_equal(kern_dry_nroutes(fx->ctx), nroutes);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), ntunnels);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 0, 0, 0) |
	    (777u << 5), 27, &got), 1);
	assert_int_equal(got.unit, (777 % ntunnels) * 37);

	/* Deleting every other tunnel takes exactly its routes. */
	left = nroutes;
	for (unit = 0; unit < ntunnels; unit += 2) {
		assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx,
		    unit * 37), 0);
		left -= nroutes / ntunnels;
	}
	assert_int_equal(kern_dry_nroutes(fx->ctx), left);
	assert_int_equal(kern_dry_ntunnels(fx->ctx), ntunnels / 2);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 0, 0, 0) |
	    (777u << 5), 27, NULL), 1);
	assert_int_equal(kern_dry_get_route(fx->ctx, IP(44, 0, 0, 0) |
	    (778u << 5), 27, NULL), 0);
}

/*
 * The log: stderr is swapped for a temporary file around each call.
 */
static char	log_text[4096];

static void
capture_log(void (*fn)(void))
{
	FILE	*tmp;
	size_t	 n;
	int	 saved;

	tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(log_text, 1, sizeof(log_text) - 1, tmp);
	log_text[n] = '\0';
	fclose(tmp);
}

static void
limited_lines(void)
{
	time_t	t0 = 1000000;
	int	i;

	log_init(1, 0, "44meshd");
	log_limited(3, t0, "bad password from %s", "192.0.2.1");
	for (i = 0; i < 5; i++)
		log_limited(3, t0 + i * 10, "bad password %d", i);
	/* Another key has its own budget. */
	log_limited(4, t0 + 5, "short datagram");
	log_limited(4, t0 + 6, "short datagram");
	log_limited(3, t0 + LOG_LIMIT_INTERVAL, "bad password again");
	log_limited(3, t0 + LOG_LIMIT_INTERVAL + 1, "hidden");
	log_limited(3, t0 + 3 * LOG_LIMIT_INTERVAL, "after a quiet spell");
	log_limited(4, t0 + 3 * LOG_LIMIT_INTERVAL, "short again");
}

static void
test_log_limited(void **state)
{
	capture_log(limited_lines);
	assert_string_equal(log_text,
	    "44meshd: bad password from 192.0.2.1\n"
	    "44meshd: short datagram\n"
	    "44meshd: bad password again (5 more suppressed)\n"
	    "44meshd: after a quiet spell (1 more suppressed)\n"
	    "44meshd: short again (1 more suppressed)\n");
}

static void
limited_odd_keys(void)
{
	time_t	t0 = 500;

	log_init(1, 0, "rip");
	/* Every key out of range shares one budget. */
	log_limited(-1, t0, "first");
	log_limited(LOG_LIMIT_KEYS, t0 + 1, "second");
	log_limited(0x7fffffff, t0 + 2, "third");
	log_limited(-2147483647 - 1, t0 + 3, "fourth");
	/* The edge keys in range are their own. */
	log_limited(0, t0, "key zero");
	log_limited(LOG_LIMIT_KEYS - 1, t0, "last key");
	/* A clock that goes back (a new capture) lets the line through. */
	log_limited(0, t0 - 1000, "earlier");
	log_limited(-5, t0 + LOG_LIMIT_INTERVAL, "fifth");
}

static void
test_log_limited_keys(void **state)
{
	capture_log(limited_odd_keys);
	assert_string_equal(log_text,
	    "rip: first\n"
	    "rip: key zero\n"
	    "rip: last key\n"
	    "rip: earlier\n"
	    "rip: fifth (3 more suppressed)\n");
}

static int	errno_seen[6];
static int	verbose_seen;

static void
levels_lines(void)
{
	char	 longer[3000];

	log_init(1, 0, "44meshd");
	log_debug("not shown at verbose 0");
	errno = ENOENT;
	log_warn("open %s", "/etc/encap.txt");
	errno_seen[0] = errno;
	log_warnx("plain warning");
	errno_seen[1] = errno;
	log_errno(EPERM, "route add %s", "44.1.0.0/16");
	errno_seen[2] = errno;
	log_info("line one\nforged line");
	errno_seen[3] = errno;
	log_init(1, 1, "44meshd");
	verbose_seen = log_verbose();
	log_debug("shown at verbose %d", 1);
	errno_seen[4] = errno;
	/* Cut lines keep their errno text. */
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	log_errno(EIO, "%s", longer);
	errno_seen[5] = errno;
}

static void
test_log_levels(void **state)
{
	const char	*tail;
	char		*last;
	int		 i;

	capture_log(levels_lines);
	for (i = 0; i < 6; i++)
		assert_int_equal(errno_seen[i], ENOENT);
	assert_int_equal(verbose_seen, 1);
	last = strstr(log_text, "44meshd: xxx");
	assert_non_null(last);
	*last++ = '\0';
	assert_string_equal(log_text,
	    "44meshd: open /etc/encap.txt: No such file or directory\n"
	    "44meshd: plain warning\n"
	    "44meshd: route add 44.1.0.0/16: Operation not permitted\n"
	    "44meshd: line one?forged line\n"
	    "44meshd: shown at verbose 1\n");
	/* One line, cut but ending in the errno text. */
	tail = ": Input/output error\n";
	assert_true(strlen(last) > strlen(tail));
	assert_true(strlen(last) < 1100);
	assert_string_equal(last + strlen(last) - strlen(tail), tail);
	assert_ptr_equal(strchr(last, '\n'), last + strlen(last) - 1);
}

/* Even when writing the line fails, errno is what the caller had. */
static void
test_log_keeps_errno(void **state)
{
	int	saved, rdonly, seen[7], i;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	rdonly = open("/dev/null", O_RDONLY);
	assert_true(rdonly >= 0);
	assert_true(dup2(rdonly, STDERR_FILENO) >= 0);
	close(rdonly);
	log_init(1, 1, "44meshd");
	errno = ENOENT;
	log_info("info");
	seen[0] = errno;
	log_notice("notice");
	seen[1] = errno;
	log_debug("debug");
	seen[2] = errno;
	log_warn("warn");
	seen[3] = errno;
	log_warnx("warnx");
	seen[4] = errno;
	log_errno(EIO, "errno");
	seen[5] = errno;
	log_limited(1, 0, "limited");
	seen[6] = errno;
	fflush(stderr);
	clearerr(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	for (i = 0; i < 7; i++)
		assert_int_equal(seen[i], ENOENT);
}

static void
test_fatalx_exits(void **state)
{
	char	 buf[256];
	ssize_t	 n;
	size_t	 got = 0;
	pid_t	 pid;
	int	 fds[2], status;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		log_init(1, 0, "44meshd");
		fatalx("cannot go on: %d", 3);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	buf[got] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(buf, "44meshd: cannot go on: 3\n");
}

/* Events as the daemon reads them, kept for the test to look at. */
struct evlog {
	struct kern_event	ev[8];
	int			n;
};

static void
log_event(void *arg, const struct kern_event *ev)
{
	struct evlog	*l = arg;

	assert_true(l->n < 8);
	l->ev[l->n++] = *ev;
}

/* Indexes never repeat; tunnel_add reports it and marks the tunnel. */
static void
test_ifindex_and_mark(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(7, IP(198, 51, 100, 20)), got;
	int			 first;

	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_true(t.ifindex > 0);
	first = t.ifindex;
	assert_true(kern_dry_get_tunnel(fx->ctx, 7, &got));
	assert_int_equal(got.ifindex, first);
	assert_true(got.marked);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 7), 0);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_true(t.ifindex > first);
	/* A preset one keeps what it is given: unmarked here. */
	t = tunnel(9, IP(203, 0, 113, 7));
	kern_dry_preset_tunnel(fx->ctx, &t);
	assert_true(kern_dry_get_tunnel(fx->ctx, 9, &got));
	assert_false(got.marked);
	assert_true(got.ifindex > first + 1);
}

/*
 * OpenBSD: a destroyed gif's down and departure carry the old index and
 * wait for the next read, whoever destroyed it.  Linux rules: our own
 * delete queues nothing (the Linux backend folds it away).
 */
static void
test_destroy_events_by_rules(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(3, IP(198, 51, 100, 20));
	struct evlog		 l;
	int			 old;

	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 3), 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(kern_dry_ops.events(fx->ctx, log_event, &l), 0);
	assert_int_equal(l.n, 0);

	kern_dry_set_rules(fx->ctx, KERN_DRY_RULES_OPENBSD);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	old = t.ifindex;
	assert_int_equal(kern_dry_ops.tunnel_delete(fx->ctx, 3), 0);
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_not_equal(t.ifindex, old);
	assert_int_equal(kern_dry_ops.events(fx->ctx, log_event, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ev[0].type, KERN_EV_DOWN);
	assert_int_equal(l.ev[1].type, KERN_EV_GONE);
	assert_int_equal(l.ev[0].unit, 3);
	assert_int_equal(l.ev[0].ifindex, old);
	assert_int_equal(l.ev[1].ifindex, old);
	/* Read once. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(kern_dry_ops.events(fx->ctx, log_event, &l), 0);
	assert_int_equal(l.n, 0);
	/* By hand: down with the current index, the gif and routes stay. */
	add_route(fx, IP(44, 2, 0, 0), 16, 3);
	kern_dry_bring_down(fx->ctx, 3);
	assert_int_equal(kern_dry_ops.events(fx->ctx, log_event, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ev[0].type, KERN_EV_DOWN);
	assert_int_equal(l.ev[0].ifindex, t.ifindex);
	assert_true(kern_dry_get_route(fx->ctx, IP(44, 2, 0, 0), 16, NULL));
	kern_dry_vanish(fx->ctx, 3);
	memset(&l, 0, sizeof(l));
	assert_int_equal(kern_dry_ops.events(fx->ctx, log_event, &l), 0);
	/* Down already: only the departure. */
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ev[0].type, KERN_EV_GONE);
	assert_int_equal(l.ev[0].ifindex, t.ifindex);
}

/* Another owner's route: its own slot, EADDRINUSE, never touched. */
static void
test_foreign_route_slot(void **state)
{
	struct fixture		*fx = *state;
	struct kern_route	 r = route(IP(44, 2, 2, 0), 24, 7), got;

	add_tunnel(fx, 7, IP(198, 51, 100, 20));
	kern_dry_preset_foreign_route(fx->ctx, &r);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EADDRINUSE);
	assert_int_equal(kern_dry_ops.route_change(fx->ctx, &r), ESRCH);
	assert_int_equal(kern_dry_ops.route_delete(fx->ctx, &r), ESRCH);
	assert_true(kern_dry_get_foreign_route(fx->ctx, IP(44, 2, 2, 0), 24,
	    &got));
	assert_int_equal(got.unit, 7);
	assert_false(kern_dry_get_route(fx->ctx, IP(44, 2, 2, 0), 24, NULL));
	assert_int_equal(kern_dry_nroutes(fx->ctx), 0);
	/* By hand: it goes, and the prefix is free. */
	kern_dry_drop_route(fx->ctx, IP(44, 2, 2, 0), 24);
	assert_false(kern_dry_get_foreign_route(fx->ctx, IP(44, 2, 2, 0), 24,
	    NULL));
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
	kern_dry_drop_route(fx->ctx, IP(44, 2, 2, 0), 24);
	assert_false(kern_dry_get_route(fx->ctx, IP(44, 2, 2, 0), 24, NULL));
	assert_int_equal(kern_dry_ntunnels(fx->ctx), 1);
}

/* OpenBSD: routes need the gif's IPv4 address (gif_lookup's EADDRNOTAVAIL). */
static void
test_openbsd_route_needs_address(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(4, IP(198, 51, 100, 20));
	struct kern_route	 r = route(IP(44, 2, 2, 0), 24, 4);

	kern_dry_set_rules(fx->ctx, KERN_DRY_RULES_OPENBSD);
	t.addr44 = 0;
	assert_int_equal(kern_dry_ops.tunnel_add(fx->ctx, &t), 0);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), EADDRNOTAVAIL);
	t.addr44 = IP(44, 44, 0, 1);
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_ADDR44), 0);
	assert_int_equal(kern_dry_ops.route_add(fx->ctx, &r), 0);
}

/* tunnel_modify: each bit changes only its own part, in place. */
static void
test_tunnel_modify(void **state)
{
	struct fixture		*fx = *state;
	struct kern_tunnel	 t = tunnel(5, IP(198, 51, 100, 20)), got;
	int			 index;

	kern_dry_preset_tunnel(fx->ctx, &t);
	assert_true(kern_dry_get_tunnel(fx->ctx, 5, &got));
	index = got.ifindex;
	add_route(fx, IP(44, 2, 0, 0), 16, 5);
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_MARK), 0);
	expect_output(fx, "route add 44.2.0.0/16 gif5 rdomain 44\n"
	    "tunnel modify gif5 mark\n");
	t.local = IP(192, 0, 2, 99);
	t.mtu = 1480;
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_LOCAL | KERN_TUN_MTU), 0);
	expect_output(fx, "tunnel modify gif5 local 192.0.2.99 mtu 1480\n");
	assert_true(kern_dry_get_tunnel(fx->ctx, 5, &got));
	assert_true(got.marked);
	assert_int_equal(got.local, IP(192, 0, 2, 99));
	assert_int_equal(got.remote, IP(198, 51, 100, 20));
	assert_int_equal(got.mtu, 1480);
	assert_int_equal(got.ifindex, index);
	assert_int_equal(got.addr44, IP(44, 44, 0, 1));
	/* Still the same gif, routes and all. */
	assert_true(kern_dry_get_route(fx->ctx, IP(44, 2, 0, 0), 16, NULL));
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_MODIFY), 2);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_ADD), 0);
	assert_int_equal(kern_dry_count(fx->ctx, KERN_DRY_TUNNEL_DELETE), 0);

	/* Refused: nothing asked, unknown bits, no MTU, no address. */
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t, 0), EINVAL);
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t, 0x100),
	    EINVAL);
	t.mtu = 0;
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_MTU), EINVAL);
	t.addr44 = 0;
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_ADDR44), EINVAL);
	/* A unit that is not there. */
	t = tunnel(6, IP(198, 51, 100, 20));
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_MARK), ENXIO);
	/* Injected failures apply to it like to any operation. */
	t = tunnel(5, IP(198, 51, 100, 20));
	kern_dry_fail(fx->ctx, KERN_DRY_TUNNEL_MODIFY, 5, 0, -1, EIO, 1);
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_MARK), EIO);
	assert_int_equal(kern_dry_ops.tunnel_modify(fx->ctx, &t,
	    KERN_TUN_MARK), 0);
	expect_output(fx, "tunnel modify gif5 mark\n");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		DRY_TEST(test_tunnel_lines),
		DRY_TEST(test_route_lines),
		DRY_TEST(test_route_rdomain_from_config),
		DRY_TEST(test_host_bits_masked),
		DRY_TEST(test_kernel_errors),
		DRY_TEST(test_tunnel_delete_drops_routes),
		DRY_TEST(test_fail_count),
		DRY_TEST(test_fail_unit_filter),
		DRY_TEST(test_fail_prefix_filter),
		DRY_TEST(test_fail_before_model),
		DRY_TEST(test_fail_several),
		DRY_TEST(test_preset_scan),
		DRY_TEST(test_preset_route_before_tunnel),
		DRY_TEST(test_vanish_events),
		DRY_TEST(test_model_off),
		DRY_TEST(test_no_output),
		DRY_TEST(test_many_routes),
		cmocka_unit_test(test_log_limited),
		cmocka_unit_test(test_log_limited_keys),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_log_keeps_errno),
		cmocka_unit_test(test_fatalx_exits),
		DRY_TEST(test_ifindex_and_mark),
		DRY_TEST(test_destroy_events_by_rules),
		DRY_TEST(test_foreign_route_slot),
		DRY_TEST(test_openbsd_route_needs_address),
		DRY_TEST(test_tunnel_modify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
