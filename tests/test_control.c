/*
 * The control socket's parts that need no socket: the daemon's check of
 * every request record and of who may change things, the tool's command
 * words, its check of reply records and its output (columns, JSON,
 * Prometheus, monitor lines), and what the daemon reads to answer: the
 * mesh's observer and queries, ingest's ring of refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "control.h"
#include "ctl.h"
#include "ingest.h"
#include "kern_dry.h"
#include "mesh.h"
#include "policy.h"
#include "rip.h"

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))
#define OURS		A(23, 30, 150, 141)
#define AMPRGW		A(44, 0, 0, 1)
#define GW1		A(198, 51, 100, 20)
#define GW2		A(203, 0, 113, 7)
#define T0		3000000

/* A request as 44meshctl would send it for these words. */
static struct ctl_request
words(const char *w0, const char *w1, const char *w2)
{
	struct ctl_command	cmd;
	char			err[128];
	char *const		argv[] = { (char *)w0, (char *)w1, (char *)w2 };
	int			argc = w2 != NULL ? 3 : w1 != NULL ? 2 : 1;

	assert_int_equal(ctl_parse(argc, argv, &cmd, err, sizeof(err)), 0);
	return cmd.req;
}

static int
check(const struct ctl_request *q, char *why, size_t whylen)
{
	struct ctl_request	out;

	return control_check_request(q, sizeof(*q), &out, why, whylen);
}

/* Every request the tool can make passes the daemon's check. */
static void
test_tool_requests_pass(void **state)
{
	struct ctl_request	q[12];
	char			why[CTL_TEXT_MAX];
	size_t			i;

	q[0] = words("show", NULL, NULL);
	q[1] = words("show", "summary", NULL);
	q[2] = words("show", "routes", NULL);
	q[3] = words("show", "routes", "44.1.2.0/24");
	q[4] = words("show", "routes", "44.1.2.3");
	q[5] = words("show", "tunnels", NULL);
	q[6] = words("show", "tunnels", "198.51.100.20");
	q[7] = words("show", "refusals", NULL);
	q[8] = words("show", "metrics", NULL);
	q[9] = words("monitor", NULL, NULL);
	q[10] = words("reload", NULL, NULL);
	q[11] = words("log", "verbose", NULL);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		assert_int_equal(check(&q[i], why, sizeof(why)), 0);
	assert_int_equal(q[3].select, CTL_SEL_PREFIX);
	assert_int_equal(q[3].addr, A(44, 1, 2, 0));
	assert_int_equal(q[3].len, 24);
	assert_int_equal(q[4].select, CTL_SEL_ADDRESS);
	assert_int_equal(q[4].addr, A(44, 1, 2, 3));
	assert_int_equal(q[6].select, CTL_SEL_GATEWAY);
	assert_int_equal(q[8].type, CTL_REQ_SUMMARY);
	assert_int_equal(q[11].level, CTL_LOG_VERBOSE);
}

static void
test_tool_refuses_bad_words(void **state)
{
	struct ctl_command	cmd;
	char			err[128];
	char *const		a1[] = { "show", "routes", "44.1.2.3/24" };
	char *const		a2[] = { "show", "routes", "44.1.2" };
	char *const		a3[] = { "log", "loud" };
	char *const		a4[] = { "reload", "now" };
	char *const		a5[] = { "show", "gateways" };
	char *const		a6[] = { "show", "tunnels", "0.0.0.0" };
	char *const		a7[] = { "frobnicate" };
	char *const		a8[] = { "show", "refusals", "all" };

	assert_int_equal(ctl_parse(3, a1, &cmd, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "44.1.2.3/24"));
	assert_int_equal(ctl_parse(3, a2, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(2, a3, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(2, a4, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(2, a5, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(3, a6, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(1, a7, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(3, a8, &cmd, err, sizeof(err)), -1);
	assert_int_equal(ctl_parse(0, a7, &cmd, err, sizeof(err)), -1);
}

/* Each malformed record is refused, with a reason naming the fault. */
static void
test_daemon_refuses_malformed(void **state)
{
	struct ctl_request	q, out;
	unsigned char		big[sizeof(q) + 1];
	char			why[CTL_TEXT_MAX];

	q = words("show", "summary", NULL);
	assert_int_equal(control_check_request(&q, sizeof(q) - 1, &out, why,
	    sizeof(why)), -1);
	assert_non_null(strstr(why, "bytes"));
	memset(big, 0, sizeof(big));
	memcpy(big, &q, sizeof(q));
	assert_int_equal(control_check_request(big, sizeof(big), &out, why,
	    sizeof(why)), -1);
	q.version = CTL_VERSION + 1;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "version"));
	q = words("show", "summary", NULL);
	q.type = 99;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "unknown request type 99"));
	q = words("show", "summary", NULL);
	q.reserved[1] = 1;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q = words("show", "summary", NULL);
	q.addr = 1;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	/* Routes: host bits, a length out of range, an address not /32. */
	q = words("show", "routes", "44.1.2.0/24");
	q.addr |= 1;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q = words("show", "routes", "44.1.2.0/24");
	q.len = 33;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q.len = -1;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q = words("show", "routes", "44.1.2.3");
	q.len = 24;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q.select = 7;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q = words("show", "tunnels", "198.51.100.20");
	q.addr = 0;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	q = words("log", "brief", NULL);
	q.level = 2;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "level 2"));
	q = words("reload", NULL, NULL);
	q.level = 1;
	assert_int_equal(check(&q, why, sizeof(why)), -1);
}

static void
test_who_may_change(void **state)
{
	struct ctl_request	show, reload, log;
	char			why[CTL_TEXT_MAX];

	show = words("show", "routes", NULL);
	reload = words("reload", NULL, NULL);
	log = words("log", "brief", NULL);
	assert_int_equal(control_permitted(&show, 1, 65534, why,
	    sizeof(why)), 1);
	assert_int_equal(control_permitted(&show, 0, 65534, why,
	    sizeof(why)), 1);
	assert_int_equal(control_permitted(&reload, 0, 0, why, sizeof(why)),
	    1);
	assert_int_equal(control_permitted(&log, 0, 0, why, sizeof(why)), 1);
	assert_int_equal(control_permitted(&reload, 0, 65534, why,
	    sizeof(why)), 0);
	assert_non_null(strstr(why, "only root"));
	assert_non_null(strstr(why, "65534"));
	assert_int_equal(control_permitted(&log, 0, 1000, why, sizeof(why)),
	    0);
	/* Not even root through the read-only socket. */
	assert_int_equal(control_permitted(&reload, 1, 0, why, sizeof(why)),
	    0);
	assert_non_null(strstr(why, "read-only"));
}

static void
test_tool_checks_replies(void **state)
{
	struct ctl_hdr		h = { CTL_VERSION, CTL_REP_END };
	struct ctl_error	e;
	struct ctl_counter	k;
	char			why[CTL_TEXT_MAX];

	assert_int_equal(ctl_check_reply(&h, sizeof(h), why, sizeof(why)),
	    CTL_REP_END);
	assert_int_equal(ctl_check_reply(&h, sizeof(h) - 1, why,
	    sizeof(why)), -1);
	h.version = 7;
	assert_int_equal(ctl_check_reply(&h, sizeof(h), why, sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "version 7"));
	h.version = CTL_VERSION;
	h.type = 200;
	assert_int_equal(ctl_check_reply(&h, sizeof(h), why, sizeof(why)),
	    -1);
	memset(&e, 'x', sizeof(e));
	e.hdr.version = CTL_VERSION;
	e.hdr.type = CTL_REP_ERROR;
	assert_int_equal(ctl_check_reply(&e, sizeof(e), why, sizeof(why)),
	    -1);
	assert_non_null(strstr(why, "not terminated"));
	e.text[3] = '\0';
	assert_int_equal(ctl_check_reply(&e, sizeof(e), why, sizeof(why)),
	    CTL_REP_ERROR);
	/* A record of one type with another's size. */
	memset(&k, 0, sizeof(k));
	k.hdr.version = CTL_VERSION;
	k.hdr.type = CTL_REP_ROUTE;
	assert_int_equal(ctl_check_reply(&k, sizeof(k), why, sizeof(why)),
	    -1);
}

/* What a FILE got, as one string (freed by the caller). */
static char *
printed(enum ctl_show show, struct ctl_result *r, int json)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	assert_non_null(f);
	ctl_print(f, show, r, json);
	fclose(f);
	return buf;
}

static struct ctl_route
route(uint32_t addr, int len, uint32_t gw, int unit, int installed,
    int64_t age)
{
	struct ctl_route	r;

	memset(&r, 0, sizeof(r));
	r.hdr.version = CTL_VERSION;
	r.hdr.type = CTL_REP_ROUTE;
	r.addr = addr;
	r.len = len;
	r.gateway = gw;
	r.unit = unit;
	r.flags = installed ? CTL_ROUTE_INSTALLED : 0;
	r.heard_age = age;
	return r;
}

static void
test_routes_output(void **state)
{
	struct ctl_result	res;
	struct ctl_route	r;
	char			*out;

	memset(&res, 0, sizeof(res));
	r = route(A(44, 1, 2, 0), 24, GW1, 2, 1, 42);
	assert_int_equal(ctl_result_add(&res, &r, CTL_REP_ROUTE), 0);
	r = route(A(44, 130, 5, 0), 29, GW2, -1, 0, 3725);
	assert_int_equal(ctl_result_add(&res, &r, CTL_REP_ROUTE), 0);
	out = printed(CTL_SHOW_ROUTES, &res, 0);
	assert_string_equal(out,
	    "Prefix             Gateway         Tunnel   State     Heard\n"
	    "44.1.2.0/24        198.51.100.20   gif2     installed 00:00:42\n"
	    "44.130.5.0/29      203.0.113.7     -        pending   01:02:05\n");
	free(out);
	out = printed(CTL_SHOW_ROUTES, &res, 1);
	assert_string_equal(out, "{\"routes\":["
	    "{\"prefix\":\"44.1.2.0/24\",\"gateway\":\"198.51.100.20\","
	    "\"tunnel\":\"gif2\",\"unit\":2,\"state\":\"installed\","
	    "\"heard_age\":42},"
	    "{\"prefix\":\"44.130.5.0/29\",\"gateway\":\"203.0.113.7\","
	    "\"tunnel\":null,\"unit\":-1,\"state\":\"pending\","
	    "\"heard_age\":3725}]}\n");
	free(out);
	ctl_result_free(&res);
}

static void
test_tunnels_sorted_by_unit(void **state)
{
	struct ctl_result	res;
	struct ctl_tunnel	t;
	char			*out;

	memset(&res, 0, sizeof(res));
	memset(&t, 0, sizeof(t));
	t.remote = GW2;
	t.unit = 10;
	t.routes = 3;
	t.flags = CTL_TUN_INSTALLED;
	t.retry_in = -1;
	assert_int_equal(ctl_result_add(&res, &t, CTL_REP_TUNNEL), 0);
	t.remote = GW1;
	t.unit = 2;
	t.routes = 1;
	t.flags = CTL_TUN_BROKEN | CTL_TUN_RESERVED;
	t.failures = 4;
	t.retry_in = 16;
	assert_int_equal(ctl_result_add(&res, &t, CTL_REP_TUNNEL), 0);
	out = printed(CTL_SHOW_TUNNELS, &res, 0);
	assert_string_equal(out,
	    "Tunnel   Remote          Routes State              Failures "
	    "Retry\n"
	    "gif2     198.51.100.20        1 broken,reserved           4 "
	    "in 16s\n"
	    "gif10    203.0.113.7          3 installed                 0 "
	    "-\n");
	free(out);
	ctl_result_free(&res);
}

static void
test_json_escapes(void **state)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	ctl_json_string(f, "a\"b\\c\nd\x01");
	fclose(f);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\u000ad\\u0001\"");
	free(buf);
}

static void
test_metrics_output(void **state)
{
	struct ctl_result	res;
	struct ctl_counter	k;
	char			*out;

	memset(&res, 0, sizeof(res));
	res.have_summary = 1;
	res.summary.routes = 531;
	res.summary.accepted = 23;
	res.summary.feed_alive = 1;
	res.summary.last_accepted_age = -1;
	res.summary.broadcast_age = -1;
	memset(&k, 0, sizeof(k));
	k.kind = CTL_COUNT_DATAGRAM;
	k.count = 5;
	snprintf(k.name, sizeof(k.name), "wrong \"pass\\word");
	assert_int_equal(ctl_result_add(&res, &k, CTL_REP_COUNTER), 0);
	out = printed(CTL_SHOW_METRICS, &res, 0);
	assert_non_null(strstr(out, "# HELP meshd44_routes Wanted routes.\n"
	    "# TYPE meshd44_routes gauge\nmeshd44_routes 531\n"));
	assert_non_null(strstr(out, "# TYPE meshd44_datagrams_total "
	    "counter\nmeshd44_datagrams_total{result=\"accepted\"} 23\n"));
	assert_non_null(strstr(out, "meshd44_refusals_total{kind=\"datagram\","
	    "reason=\"wrong \\\"pass\\\\word\"} 5\n"));
	assert_non_null(strstr(out, "meshd44_feed_alive 1\n"));
	/* Never heard: no age at all rather than a made-up one. */
	assert_null(strstr(out, "last_datagram_age"));
	free(out);
	ctl_result_free(&res);
}

static void
test_event_lines(void **state)
{
	struct ctl_event	e;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f = open_memstream(&buf, &len);

	memset(&e, 0, sizeof(e));
	e.when = 0;
	e.what = CTL_EV_ROUTE_MOVED;
	e.addr = A(44, 1, 2, 0);
	e.len = 24;
	e.gateway = GW2;
	e.old_gateway = GW1;
	ctl_print_event(f, &e);
	e.what = CTL_EV_TUNNEL_MADE;
	e.len = -1;
	e.unit = 5;
	ctl_print_event(f, &e);
	e.what = CTL_EV_REFUSALS;
	e.len = 24;
	e.count = 3;
	e.source = AMPRGW;
	snprintf(e.reason, sizeof(e.reason), "loop");
	ctl_print_event(f, &e);
	fclose(f);
	assert_string_equal(buf,
	    "never route moved 44.1.2.0/24 from 198.51.100.20 to "
	    "203.0.113.7\n"
	    "never tunnel made gif5 to 203.0.113.7\n"
	    "never refused 3 entries from 44.0.0.1, first 44.1.2.0/24 via "
	    "203.0.113.7: loop\n");
	free(buf);
}

/* The observer's record of the mesh's decisions. */
struct seen {
	struct mesh_event	ev[16];
	int			n;
};

static void
observe(void *arg, const struct mesh_event *ev)
{
	struct seen	*s = arg;

	if (s->n < 16)
		s->ev[s->n] = *ev;
	s->n++;
}

static struct mesh *
dry_mesh(void **kctx)
{
	struct kern_config	kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config	cfg;
	struct mesh		*m;
	char			err[64];

	*kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	assert_non_null(*kctx);
	kern_dry_set_output(*kctx, NULL);
	mesh_config_init(&cfg);
	cfg.local = OURS;
	cfg.expiry = 60;
	m = mesh_new(&cfg, &kern_dry_ops, *kctx);
	assert_non_null(m);
	return m;
}

static void
test_observer_sees_changes(void **state)
{
	struct seen	 s;
	struct mesh	*m;
	void		*kctx;

	memset(&s, 0, sizeof(s));
	m = dry_mesh(&kctx);
	mesh_start(m, T0);
	mesh_set_observer(m, observe, &s);
	assert_int_equal(mesh_heard(m, A(44, 1, 2, 0), 24, GW1, T0), R_NONE);
	mesh_reconcile(m, T0);
	/* Heard again unchanged: nothing to tell. */
	assert_int_equal(mesh_heard(m, A(44, 1, 2, 0), 24, GW1, T0 + 1),
	    R_NONE);
	assert_int_equal(mesh_heard(m, A(44, 1, 2, 0), 24, GW2, T0 + 2),
	    R_NONE);
	mesh_reconcile(m, T0 + 2);
	assert_int_equal(mesh_withdraw(m, A(44, 1, 2, 0), 24), 1);
	mesh_reconcile(m, T0 + 3);
	assert_int_equal(s.n, 7);
	assert_int_equal(s.ev[0].type, MESH_EV_ROUTE_ADDED);
	assert_int_equal(s.ev[0].gateway, GW1);
	assert_int_equal(s.ev[0].len, 24);
	assert_int_equal(s.ev[1].type, MESH_EV_TUNNEL_MADE);
	assert_int_equal(s.ev[1].gateway, GW1);
	assert_int_equal(s.ev[2].type, MESH_EV_ROUTE_MOVED);
	assert_int_equal(s.ev[2].old_gateway, GW1);
	assert_int_equal(s.ev[2].gateway, GW2);
	assert_int_equal(s.ev[3].type, MESH_EV_TUNNEL_MADE);
	assert_int_equal(s.ev[3].gateway, GW2);
	assert_int_equal(s.ev[4].type, MESH_EV_TUNNEL_REMOVED);
	assert_int_equal(s.ev[4].gateway, GW1);
	assert_int_equal(s.ev[5].type, MESH_EV_ROUTE_WITHDRAWN);
	assert_int_equal(s.ev[5].gateway, GW2);
	assert_int_equal(s.ev[6].type, MESH_EV_TUNNEL_REMOVED);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

static void
test_observer_sees_expiry(void **state)
{
	struct seen	 s;
	struct mesh	*m;
	void		*kctx;
	time_t		 t;
	int		 i;

	memset(&s, 0, sizeof(s));
	m = dry_mesh(&kctx);
	mesh_start(m, T0);
	/* Two broadcasts with the route, then broadcasts without it. */
	for (i = 0, t = T0; i < 2; i++, t += 20) {
		mesh_datagram(m, t);
		mesh_heard(m, A(44, 1, 2, 0), 24, GW1, t);
		mesh_heard(m, A(44, 9, 0, 0), 16, GW2, t);
		mesh_expire(m, t);
		mesh_reconcile(m, t);
	}
	mesh_set_observer(m, observe, &s);
	for (; t < T0 + 400 && s.n == 0; t += 20) {
		mesh_datagram(m, t);
		mesh_heard(m, A(44, 9, 0, 0), 16, GW2, t);
		mesh_expire(m, t);
	}
	/* Not before the expiry time (-x 60) and a broadcast after it. */
	assert_true(t - 20 >= T0 + 20 + 60);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, MESH_EV_ROUTE_EXPIRED);
	assert_int_equal(s.ev[0].addr, A(44, 1, 2, 0));
	assert_int_equal(s.ev[0].gateway, GW1);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

/* Nested prefixes: the most specific wanted route answers. */
static void
test_lookup_nested(void **state)
{
	struct mesh_route_view	v;
	struct mesh		*m;
	void			*kctx;

	m = dry_mesh(&kctx);
	mesh_start(m, T0);
	mesh_heard(m, A(44, 1, 0, 0), 16, GW1, T0);
	mesh_heard(m, A(44, 1, 2, 0), 24, GW2, T0);
	mesh_heard(m, A(44, 1, 2, 8), 29, GW1, T0);
	mesh_reconcile(m, T0);
	assert_int_equal(mesh_lookup(m, A(44, 1, 2, 9), &v), 1);
	assert_int_equal(v.len, 29);
	assert_int_equal(v.gateway, GW1);
	assert_int_equal(mesh_lookup(m, A(44, 1, 2, 16), &v), 1);
	assert_int_equal(v.len, 24);
	assert_int_equal(v.gateway, GW2);
	assert_int_equal(v.installed, 1);
	assert_int_equal(mesh_lookup(m, A(44, 1, 3, 1), &v), 1);
	assert_int_equal(v.len, 16);
	assert_int_equal(mesh_lookup(m, A(44, 2, 0, 1), &v), 0);
	/* Withdrawn but not yet reconciled: the /24 answers for it. */
	mesh_withdraw(m, A(44, 1, 2, 8), 29);
	assert_int_equal(mesh_lookup(m, A(44, 1, 2, 9), &v), 1);
	assert_int_equal(v.len, 24);
	assert_int_equal(mesh_find_route(m, A(44, 1, 2, 8), 29, &v), 0);
	assert_int_equal(mesh_find_route(m, A(44, 1, 2, 0), 24, &v), 1);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

struct tunnels_seen {
	size_t	n;
	size_t	routes[4];
	int	installed[4];
};

static void
count_tunnel(void *arg, const struct mesh_tunnel_view *v)
{
	struct tunnels_seen	*ts = arg;

	if (v->unit >= 0 && v->unit < 4) {
		ts->routes[v->unit] = v->routes;
		ts->installed[v->unit] = v->installed;
	}
	ts->n++;
}

static void
test_walk_tunnels_counts_routes(void **state)
{
	struct tunnels_seen	 ts;
	struct mesh		*m;
	void			*kctx;

	memset(&ts, 0, sizeof(ts));
	m = dry_mesh(&kctx);
	mesh_start(m, T0);
	mesh_heard(m, A(44, 1, 0, 0), 16, GW1, T0);
	mesh_heard(m, A(44, 1, 2, 0), 24, GW2, T0);
	mesh_heard(m, A(44, 1, 2, 8), 29, GW1, T0);
	mesh_reconcile(m, T0);
	assert_int_equal(mesh_walk_tunnels(m, count_tunnel, &ts), 0);
	assert_int_equal(ts.n, 2);
	assert_int_equal(ts.routes[0], 2);
	assert_int_equal(ts.routes[1], 1);
	assert_int_equal(ts.installed[0], 1);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

struct ring_seen {
	size_t			n;
	struct ingest_refusal	first, last;
};

static void
ring_entry(void *arg, const struct ingest_refusal *r)
{
	struct ring_seen	*rs = arg;

	if (rs->n++ == 0)
		rs->first = *r;
	rs->last = *r;
}

/* The ring keeps the last INGEST_REFUSALS refusals, oldest first. */
static void
test_refusal_ring(void **state)
{
	struct rip_entry	e;
	struct ring_seen	rs;
	struct policy		pol;
	struct ingest		in;
	struct mesh		*m;
	struct seen		s;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;
	void			*kctx;
	int			i;

	m = dry_mesh(&kctx);
	policy_init(&pol);
	pol.ours = OURS;
	ingest_init(&in, &pol, m);
	memset(&s, 0, sizeof(s));
	mesh_set_observer(m, observe, &s);
	memset(&e, 0, sizeof(e));
	e.family = 2;
	e.mask = 0xffffff00U;
	e.len = 24;
	e.metric = 1;
	/* Each a loop: the next hop inside the prefix it serves. */
	for (i = 0; i < INGEST_REFUSALS + 5; i++) {
		e.addr = A(44, 1, i, 0);
		e.nexthop = A(44, 1, i, 1);
		len = rip_encode(buf, sizeof(buf), RIP_DEFAULT_PASSWORD, &e, 1);
		assert_true(len > 0);
		ingest_datagram(&in, AMPRGW, RIP_PORT, buf, len, T0 + i,
		    T0 + i);
	}
	memset(&rs, 0, sizeof(rs));
	ingest_walk_refusals(&in, ring_entry, &rs);
	assert_int_equal(rs.n, INGEST_REFUSALS);
	assert_int_equal(rs.first.addr, A(44, 1, 5, 0));
	assert_int_equal(rs.last.addr, A(44, 1, INGEST_REFUSALS + 4, 0));
	assert_int_equal(rs.last.why, R_LOOP);
	assert_int_equal(rs.last.source, AMPRGW);
	assert_int_equal(rs.last.when, T0 + INGEST_REFUSALS + 4);
	/* One refusal event a datagram. */
	assert_int_equal(s.n, INGEST_REFUSALS + 5);
	assert_int_equal(s.ev[0].type, MESH_EV_REFUSALS);
	assert_int_equal(s.ev[0].count, 1);
	assert_int_equal(s.ev[0].why, R_LOOP);
	/* Whole datagrams refused: one event a second at most. */
	memset(&s, 0, sizeof(s));
	buf[0] = 9;		/* not a response */
	for (i = 0; i < 10; i++)
		ingest_datagram(&in, AMPRGW, RIP_PORT, buf, len, T0 + 1000,
		    T0 + 1000);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].len, INGEST_DATAGRAM);
	assert_int_equal(s.ev[0].why, R_COMMAND);
	mesh_free(m);
	kern_dry_ops.close(kctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tool_requests_pass),
		cmocka_unit_test(test_tool_refuses_bad_words),
		cmocka_unit_test(test_daemon_refuses_malformed),
		cmocka_unit_test(test_who_may_change),
		cmocka_unit_test(test_tool_checks_replies),
		cmocka_unit_test(test_routes_output),
		cmocka_unit_test(test_tunnels_sorted_by_unit),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_metrics_output),
		cmocka_unit_test(test_event_lines),
		cmocka_unit_test(test_observer_sees_changes),
		cmocka_unit_test(test_observer_sees_expiry),
		cmocka_unit_test(test_lookup_nested),
		cmocka_unit_test(test_walk_tunnels_counts_routes),
		cmocka_unit_test(test_refusal_ring),
	};

	/* Times are printed in local time: make it the same everywhere. */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
