/*
 * The parent's reading of the network engine's records (msg.c), with the
 * test standing in for an engine that has been taken over: records
 * malformed, of the wrong size or type, out of range, out of order, out
 * of policy, and a flood.  Each must leave the mesh (the dry-run
 * backend's kernel model) untouched, be counted, and ask for the
 * engine's restart; the same datagram told properly is installed.
 */
#define _GNU_SOURCE	/* socketpair's SOCK_SEQPACKET, as msg.c's recvmmsg */
#include <sys/types.h>
#include <sys/socket.h>

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

#include "ingest.h"
#include "kern_dry.h"
#include "listen.h"
#include "log.h"
#include "mcast.h"
#include "mesh.h"
#include "msg.h"
#include "policy.h"
#include "reason.h"
#include "replay.h"
#include "rip.h"

#include "mesh_fixture.h"

#define AMPRGW_TUNNEL	A(169, 228, 34, 84)
#define RIP_SOURCE	A(44, 0, 0, 1)
#define IDX_AMPRGW	5	/* the tunnel to amprgw */
#define IDX_CATCHALL	2	/* a tunnel with no remote */
#define IDX_PEER	9	/* a tunnel to a peer */
#define IDX_LAN		3	/* a LAN interface */
#define NOW		5000	/* the parent's monotonic clock */

struct fx {
	struct fixture		*f;
	struct policy		 pol;
	struct ingest		 in;
	struct listen_config	 lc;
	struct mcast_list	 ifaces;
	struct msg_parent	 p;
};

static void
add_iface(struct fx *x, int index, const char *name, int tunnel,
    uint32_t remote)
{
	struct mcast_iface	i;

	memset(&i, 0, sizeof(i));
	i.index = index;
	snprintf(i.name, sizeof(i.name), "%s", name);
	i.tunnel = tunnel;
	i.can_join = 1;
	i.remote = remote;
	assert_int_equal(mcast_list_add_iface(&x->ifaces, &i), 0);
}

static int
setup(void **state)
{
	struct fx	*x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->f = fixture_new(1, NULL, 0, 0);
	policy_init(&x->pol);
	x->pol.ours = LOCAL;
	x->pol.addr44 = A(44, 44, 107, 1);
	ingest_init(&x->in, &x->pol, x->f->m);
	x->lc.amprgw = AMPRGW_TUNNEL;
	add_iface(x, IDX_PEER, "gif9", 1, GW2);
	add_iface(x, IDX_AMPRGW, "gif1", 1, AMPRGW_TUNNEL);
	add_iface(x, IDX_CATCHALL, "gif0", 1, 0);
	add_iface(x, IDX_LAN, "em0", 0, 0);
	listen_sort_list(&x->ifaces);
	x->p.in = &x->in;
	x->p.policy = &x->pol;
	x->p.arrival = &x->lc;
	x->p.ifaces = &x->ifaces;
	x->p.gen = 3;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*x = *state;

	mcast_list_free(&x->ifaces);
	fixture_free(x->f);
	free(x);
	return 0;
}

static struct msg_record
datagram(int n)
{
	struct msg_record	r;

	memset(&r, 0, sizeof(r));
	r.type = MSG_DATAGRAM;
	r.gen = 3;
	r.when = NOW;
	r.src = RIP_SOURCE;
	r.sport = RIP_PORT;
	r.dst = RIP_GROUP;
	r.ifindex = IDX_AMPRGW;
	r.len = n;
	return r;
}

static struct msg_record
entry(uint32_t addr, int len, uint32_t nexthop)
{
	struct msg_record	r;

	memset(&r, 0, sizeof(r));
	r.type = MSG_ENTRY;
	r.gen = 3;
	r.addr = addr;
	r.len = len;
	r.nexthop = nexthop;
	r.metric = 1;
	return r;
}

static struct msg_record
end(void)
{
	struct msg_record	r;

	memset(&r, 0, sizeof(r));
	r.type = MSG_END;
	r.gen = 3;
	return r;
}

static enum msg_verdict
feed(struct fx *x, const struct msg_record *r)
{
	return msg_parent_record(&x->p, r, sizeof(*r), NOW, 1700000000);
}

/* Feeds n records and expects every one to be used. */
static void
feed_ok(struct fx *x, const struct msg_record *r, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		assert_int_equal(feed(x, &r[i]), MSG_OK);
}

/* Nothing reached the kernel model, nothing is in the tables. */
static void
assert_untouched(struct fx *x)
{
	struct mesh_stats	st;

	mesh_reconcile(x->f->m, NOW);
	assert_string_equal(lines(x->f), "");
	mesh_get_stats(x->f->m, &st);
	assert_int_equal(st.routes, 0);
	assert_int_equal(st.tunnels, 0);
	assert_int_equal(x->in.accepted, 0);
}

/*
 * A datagram of one good entry, with record k replaced by bad: the whole
 * datagram must fail at bad, and a later good datagram still work.
 */
static void
bad_in_datagram(struct fx *x, int k, const struct msg_record *bad)
{
	struct msg_record	recs[3];
	unsigned long		was = x->p.bad;
	int			i;

	recs[0] = datagram(1);
	recs[1] = entry(A(44, 10, 0, 0), 24, GW1);
	recs[2] = end();
	recs[k] = *bad;
	for (i = 0; i < k; i++)
		assert_int_equal(feed(x, &recs[i]), MSG_OK);
	assert_int_equal(feed(x, &recs[k]), MSG_RESTART);
	assert_int_equal(x->p.bad, was + 1);
	assert_true(x->p.why[0] != '\0');
	/* The rest of it, were it to come, is out of order now. */
	for (i = k + 1; i < 3; i++)
		assert_int_equal(feed(x, &recs[i]), MSG_RESTART);
	assert_untouched(x);
}

static void
test_good_datagram_installs(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 recs[3] = { datagram(1),
				    entry(A(44, 10, 0, 0), 24, GW1), end() };

	feed_ok(x, recs, 3);
	assert_int_equal(x->in.accepted, 1);
	assert_int_not_equal(kernel_route(x->f, A(44, 10, 0, 0), 24), -1);
	assert_int_equal(x->p.bad, 0);
}

/*
 * The parent reads its clock once a read event: a record the engine
 * stamped after the second turned is not from the future.
 */
static void
test_stamped_a_second_later(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 recs[3] = { datagram(1),
				    entry(A(44, 10, 0, 0), 24, GW1), end() };

	recs[0].when = NOW + 1;
	feed_ok(x, recs, 3);
	assert_int_equal(x->p.bad, 0);
	assert_int_not_equal(kernel_route(x->f, A(44, 10, 0, 0), 24), -1);
}

static void
test_entries_wait_for_the_end(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 recs[2] = { datagram(1),
				    entry(A(44, 10, 0, 0), 24, GW1) };

	feed_ok(x, recs, 2);
	/* An engine killed here leaves nothing half-applied. */
	msg_parent_reset(&x->p);
	assert_untouched(x);
}

static void
test_wrong_sizes(void **state)
{
	struct fx		*x = *state;
	unsigned char		 buf[2 * sizeof(struct msg_record)];
	struct msg_record	 r = datagram(0);
	size_t			 sizes[] = { 0, 1, sizeof(r) - 1, sizeof(r) + 1,
				    sizeof(buf) };
	size_t			 i;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &r, sizeof(r));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(msg_parent_record(&x->p, buf, sizes[i], NOW,
		    NOW), MSG_RESTART);
		assert_non_null(strstr(x->p.why, "bytes"));
	}
	assert_int_equal(x->p.bad, i);
	assert_untouched(x);
}

static void
test_wrong_types(void **state)
{
	struct fx		*x = *state;
	uint32_t		 types[] = { MSG_NONE, MSG_SYNC_IFACE,
				    MSG_SYNC_END, MSG_NTYPES, 0xffffffffU };
	struct msg_record	 r;
	size_t			 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		r = datagram(0);
		r.type = types[i];
		assert_int_equal(feed(x, &r), MSG_RESTART);
		assert_non_null(strstr(x->p.why, "type"));
	}
	/* Replay's records are not a live engine's. */
	r = datagram(0);
	r.type = MSG_FRAME;
	r.ifindex = r.src = r.dst = r.sport = r.len = 0;
	assert_int_equal(feed(x, &r), MSG_RESTART);
	assert_untouched(x);
}

static void
test_fields_out_of_range(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 r;

	r = entry(A(44, 10, 0, 0), 33, GW1);
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 0), -1, GW1);
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 1), 24, GW1);	/* host bits */
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 0), 24, GW1);
	r.metric = 0;
	bad_in_datagram(x, 1, &r);
	r.metric = 17;
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 0), 24, GW1);
	r.type = MSG_ENTRY_REFUSED;
	r.reason = R_NREASONS;
	bad_in_datagram(x, 1, &r);
	r.reason = R_PASSWORD;		/* a datagram's reason */
	bad_in_datagram(x, 1, &r);
	r.reason = R_NONE;
	bad_in_datagram(x, 1, &r);
	r = datagram(1);
	r.len = RIP_MAX_ROUTES + 1;
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.ifindex = -1;
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.when = NOW + MSG_TIME_AHEAD + 1;	/* in the future */
	bad_in_datagram(x, 0, &r);
	r.when = NOW - MSG_TIME_SLACK - 1;
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.flags = MSGF_ENCAP;		/* a capture's */
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.gen = 4;			/* never sent */
	bad_in_datagram(x, 0, &r);
	/* A field the type does not use: a name, a metric. */
	r = datagram(1);
	memcpy(r.name, "gif1", 4);
	bad_in_datagram(x, 0, &r);
	r = end();
	r.metric = 1;
	bad_in_datagram(x, 2, &r);
}

static void
test_refusals_out_of_range(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 r;

	memset(&r, 0, sizeof(r));
	r.type = MSG_REFUSED;
	r.when = NOW;
	r.src = RIP_SOURCE;
	r.sport = RIP_PORT;
	r.reason = R_METRIC;	/* an entry's reason */
	assert_int_equal(feed(x, &r), MSG_RESTART);
	r.reason = 999;
	assert_int_equal(feed(x, &r), MSG_RESTART);
	r.type = MSG_ARRIVAL;
	r.reason = LISTEN_ACCEPT;
	assert_int_equal(feed(x, &r), MSG_RESTART);
	r.reason = LISTEN_NVERDICTS;
	assert_int_equal(feed(x, &r), MSG_RESTART);
	assert_int_equal(x->p.bad, 4);
	/* In range, they are counted and change nothing. */
	r.reason = LISTEN_CATCH_ALL;
	r.ifindex = IDX_CATCHALL;
	assert_int_equal(feed(x, &r), MSG_OK);
	assert_int_equal(x->p.verdicts[LISTEN_CATCH_ALL], 1);
	r.type = MSG_REFUSED;
	r.ifindex = 0;
	r.dst = 0;
	r.reason = R_PASSWORD;
	assert_int_equal(feed(x, &r), MSG_OK);
	assert_int_equal(x->in.reasons[R_PASSWORD], 1);
	assert_int_equal(x->in.refused, 1);
	assert_untouched(x);
}

static void
test_out_of_order(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 r;

	r = entry(A(44, 10, 0, 0), 24, GW1);
	assert_int_equal(feed(x, &r), MSG_RESTART);	/* no datagram */
	r = end();
	assert_int_equal(feed(x, &r), MSG_RESTART);
	r = datagram(1);
	bad_in_datagram(x, 1, &r);			/* nested */
	r = end();
	bad_in_datagram(x, 1, &r);			/* 0 of 1 entries */
}

/* What the policy refuses cannot be sent as used by an engine that knew. */
static void
test_out_of_policy(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 r;

	r = entry(0, 0, GW1);				/* 0.0.0.0/0 */
	bad_in_datagram(x, 1, &r);
	r = entry(A(10, 0, 0, 0), 8, GW1);		/* outside 44/8 */
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 200, 0, 0), 16, GW1);		/* sold: 44.192/10 */
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 0), 24, LOCAL);		/* via ourselves */
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 0), 24, A(127, 0, 0, 1));
	bad_in_datagram(x, 1, &r);
	r = entry(A(44, 10, 0, 0), 24, A(44, 10, 0, 9));	/* a loop */
	bad_in_datagram(x, 1, &r);
	r = datagram(1);
	r.ifindex = IDX_CATCHALL;
	bad_in_datagram(x, 0, &r);
	r.ifindex = IDX_PEER;
	bad_in_datagram(x, 0, &r);
	r.ifindex = IDX_LAN;
	bad_in_datagram(x, 0, &r);
	r.ifindex = 77;				/* unknown */
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.dst = A(10, 1, 1, 1);			/* not ours */
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.src = A(44, 0, 0, 2);			/* not the RIP source */
	bad_in_datagram(x, 0, &r);
	r = datagram(1);
	r.sport = 521;
	bad_in_datagram(x, 0, &r);
}

/*
 * Decided on an older view (the generation before the last sync): the
 * parent's own decision stands, without blaming the engine.
 */
static void
test_older_view_is_dropped(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 recs[4] = { datagram(2),
				    entry(A(44, 10, 0, 0), 24, LOCAL),
				    entry(A(44, 11, 0, 0), 24, GW1), end() };
	int			 i;

	for (i = 0; i < 4; i++)
		recs[i].gen = 2;
	feed_ok(x, recs, 4);
	assert_int_equal(x->p.bad, 0);
	assert_int_equal(kernel_route(x->f, A(44, 10, 0, 0), 24), -1);
	assert_int_not_equal(kernel_route(x->f, A(44, 11, 0, 0), 24), -1);
	assert_int_equal(x->in.reasons[R_OURS], 1);
	/* A tunnel that went since: the whole datagram is dropped. */
	recs[0].ifindex = IDX_LAN;
	feed_ok(x, recs, 4);
	assert_int_equal(x->p.dropped, 1);
	assert_int_equal(x->p.verdicts[LISTEN_OTHER_IFACE], 1);
	assert_int_equal(x->in.accepted, 1);
}

/* More entries than a datagram holds: refused before any is applied. */
static void
test_flood_of_entries(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 r = datagram(RIP_MAX_ROUTES);
	int			 i;

	assert_int_equal(feed(x, &r), MSG_OK);
	for (i = 0; i < RIP_MAX_ROUTES; i++) {
		r = entry(A(44, 10, i, 0), 24, GW1);
		assert_int_equal(feed(x, &r), MSG_OK);
	}
	for (i = 0; i < 10000; i++) {
		r = entry(A(44, 11, i & 0xff, 0), 24, GW1);
		assert_int_equal(feed(x, &r), MSG_RESTART);
	}
	r = end();
	assert_int_equal(feed(x, &r), MSG_RESTART);
	assert_untouched(x);
}

static int
pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		return -1;
	return fcntl(sv[1], F_SETFL, O_NONBLOCK);
}

/* A flood of records: one read event does at most its bound of work. */
static void
test_flood_is_read_in_bounded_steps(void **state)
{
	struct fx		*x = *state;
	struct msg_record	 r;
	int			 sv[2], i, n, more, total = 0, sent = 0;

	assert_int_equal(pair(sv), 0);
	memset(&r, 0, sizeof(r));
	r.type = MSG_ARRIVAL;
	r.gen = 3;
	r.when = NOW;
	r.src = RIP_SOURCE;
	r.reason = LISTEN_OTHER_IFACE;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	/* As many as the socket holds, then read in steps of 100. */
	while (msg_send(sv[0], &r) == 0)
		sent++;
	assert_true(sent > 100);
	for (i = 0; i < 1000 && total < sent; i++) {
		n = msg_parent_read(&x->p, sv[1], 100, NOW, NOW, &more);
		assert_true(n >= 0 && n <= 100);
		total += n;
		if (total < sent)
			assert_int_equal(n, 100);
	}
	assert_int_equal(total, sent);
	assert_int_equal(x->p.verdicts[LISTEN_OTHER_IFACE], sent);
	close(sv[0]);
	assert_int_equal(msg_parent_read(&x->p, sv[1], 100, NOW, NOW, &more),
	    MSG_READ_END);
	close(sv[1]);
	assert_untouched(x);
}

/* Truncated and oversized messages, as the socket delivers them. */
static void
test_short_and_long_reads(void **state)
{
	struct fx		*x = *state;
	unsigned char		 buf[3 * sizeof(struct msg_record)];
	struct msg_record	 r = datagram(0);
	int			 sv[2], more;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &r, sizeof(r));
	assert_int_equal(pair(sv), 0);
	assert_int_equal(send(sv[0], buf, sizeof(r) / 2, 0),
	    (ssize_t)sizeof(r) / 2);
	assert_int_equal(msg_parent_read(&x->p, sv[1], 10, NOW, NOW, &more),
	    MSG_READ_BAD);
	assert_int_equal(send(sv[0], buf, sizeof(buf), 0),
	    (ssize_t)sizeof(buf));
	assert_int_equal(msg_parent_read(&x->p, sv[1], 10, NOW, NOW, &more),
	    MSG_READ_BAD);
	assert_non_null(strstr(x->p.why, "bytes"));
	assert_int_equal(x->p.bad, 2);
	close(sv[0]);
	close(sv[1]);
	assert_untouched(x);
}

/* Replay: a frame's time is the clock, and only amprgw's IPENCAP counts. */
static void
test_replay_records(void **state)
{
	struct fx		*x = *state;
	struct replay_trust	 trust = { AMPRGW_TUNNEL, 0 };
	struct msg_record	 recs[3] = { datagram(1),
				    entry(A(44, 10, 0, 0), 24, GW1), end() };
	int			 i;

	x->p.trust = &trust;
	x->p.gen = 0;
	for (i = 0; i < 3; i++)
		recs[i].gen = 0;
	recs[0].ifindex = 0;
	recs[0].dst = 0;
	recs[0].when = 1500000000;
	recs[0].flags = MSGF_ENCAP;
	recs[0].outer_src = GW3;		/* not amprgw */
	bad_in_datagram(x, 0, &recs[0]);
	recs[0].flags = 0;			/* not inside IPENCAP */
	bad_in_datagram(x, 0, &recs[0]);
	recs[0].flags = MSGF_ENCAP;
	recs[0].outer_src = AMPRGW_TUNNEL;
	recs[0].when = -5;
	bad_in_datagram(x, 0, &recs[0]);
	recs[0].when = 1500000000;
	feed_ok(x, recs, 3);
	assert_int_not_equal(kernel_route(x->f, A(44, 10, 0, 0), 24), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_datagram_installs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_stamped_a_second_later,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_wait_for_the_end,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_sizes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fields_out_of_range,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_out_of_range,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_out_of_policy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_older_view_is_dropped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_of_entries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_flood_is_read_in_bounded_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_and_long_reads,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_records, setup,
		    teardown),
	};

	log_init(1, 0, "test_msg");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
