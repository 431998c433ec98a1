/*
 * The acceptance policy: sources, accepted and ignored space, next hops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "policy.h"
#include "reason.h"
#include "rip.h"

#define AMPRGW		0x2c000001U	/* 44.0.0.1 */
#define GW		0xc0000201U	/* 192.0.2.1, a far gateway */
#define US		0xcb007101U	/* 203.0.113.1, our public address */

static uint32_t
ip(const char *s)
{
	uint32_t	a;

	if (parse_addr(s, &a) != 0)
		fail_msg("bad address in test: %s", s);
	return a;
}

static struct prefix
pfx(const char *s)
{
	struct prefix	p;

	if (parse_prefix(s, 0, &p, NULL) != 0)
		fail_msg("bad prefix in test: %s", s);
	return p;
}

/* A decoded, well-formed entry: addr as sent (host bits kept). */
static struct rip_entry
entry(const char *addr, int len, uint32_t nexthop, uint32_t metric)
{
	struct rip_entry	e;

	memset(&e, 0, sizeof(e));
	e.status = R_NONE;
	e.family = 2;
	e.addr = ip(addr);
	e.mask = addr_mask(len);
	e.len = len;
	e.nexthop = nexthop;
	e.metric = metric;
	return e;
}

static enum reason
check(const struct policy *pol, const char *addr, int len, uint32_t nexthop)
{
	struct rip_entry	e = entry(addr, len, nexthop, 1);
	uint32_t		a;
	int			l, hostbits;

	return policy_entry(pol, &e, &a, &l, &hostbits);
}

static void
test_init(void **state)
{
	struct policy	pol;

	memset(&pol, 0x5a, sizeof(pol));
	policy_init(&pol);
	assert_int_equal(pol.naccept, 2);
	assert_int_equal(pol.accept[0].addr, ip("44.0.0.0"));
	assert_int_equal(pol.accept[0].len, 9);
	assert_int_equal(pol.accept[1].addr, ip("44.128.0.0"));
	assert_int_equal(pol.accept[1].len, 10);
	assert_int_equal(pol.nignore, 0);
	assert_int_equal(pol.ours, 0);
	assert_int_equal(pol.source, AMPRGW);
	assert_string_equal(pol.password, RIP_DEFAULT_PASSWORD);
}

static void
test_source(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	assert_int_equal(policy_source(&pol, AMPRGW, 520), R_NONE);
	assert_int_equal(policy_source(&pol, ip("44.0.0.2"), 520), R_SOURCE);
	assert_int_equal(policy_source(&pol, ip("169.228.34.84"), 520),
	    R_SOURCE);
	assert_int_equal(policy_source(&pol, AMPRGW, 521), R_SOURCE_PORT);
	assert_int_equal(policy_source(&pol, AMPRGW, 0), R_SOURCE_PORT);
	/* Address first. */
	assert_int_equal(policy_source(&pol, ip("44.0.0.2"), 521), R_SOURCE);

	pol.source = ip("44.0.0.2");	/* -g */
	assert_int_equal(policy_source(&pol, ip("44.0.0.2"), 520), R_NONE);
	assert_int_equal(policy_source(&pol, AMPRGW, 520), R_SOURCE);
}

static void
test_default_space(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	/* The aggregates are the space, never a route. */
	assert_int_equal(check(&pol, "44.0.0.0", 9, GW), R_AGGREGATE);
	assert_int_equal(check(&pol, "44.1.2.0", 24, GW), R_NONE);
	assert_int_equal(check(&pol, "44.127.255.255", 32, GW), R_NONE);
	assert_int_equal(check(&pol, "44.128.0.0", 10, GW), R_AGGREGATE);
	assert_int_equal(check(&pol, "44.128.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.191.255.0", 24, GW), R_NONE);

	/* 44.192.0.0/10 is not AMPRNet any more. */
	assert_int_equal(check(&pol, "44.192.0.0", 10, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.208.0.0", 16, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.224.0.0", 15, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.255.255.255", 32, GW), R_OUTSIDE);
	/* Straddling accepted space is not wholly inside it. */
	assert_int_equal(check(&pol, "44.0.0.0", 8, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.128.0.0", 9, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.0.0.0", 7, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "0.0.0.0", 0, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "10.0.0.0", 8, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "45.0.0.0", 24, GW), R_OUTSIDE);
}

static void
test_host_bits(void **state)
{
	struct policy		pol;
	struct rip_entry	e;
	uint32_t		addr = 0;
	int			len = 0, hostbits = -1;

	policy_init(&pol);
	e = entry("44.1.2.3", 24, GW, 1);
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_NONE);
	assert_int_equal(addr, ip("44.1.2.0"));
	assert_int_equal(len, 24);
	assert_int_equal(hostbits, 1);
	assert_int_equal(e.addr, ip("44.1.2.3"));	/* entry untouched */

	e = entry("44.1.2.0", 24, GW, 1);
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_NONE);
	assert_int_equal(addr, ip("44.1.2.0"));
	assert_int_equal(hostbits, 0);

	/* Masked before the space is checked. */
	e = entry("44.100.1.1", 16, GW, 1);
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_NONE);
	assert_int_equal(addr, ip("44.100.0.0"));
	assert_int_equal(len, 16);
	assert_int_equal(hostbits, 1);

	/* hostbits may be NULL. */
	e = entry("44.1.2.3", 24, GW, 1);
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, NULL), R_NONE);
	assert_int_equal(addr, ip("44.1.2.0"));
}

static void
test_accept_replaces_defaults(void **state)
{
	struct policy	pol;
	int		i;

	policy_init(&pol);
	assert_int_equal(policy_add_accept(&pol, pfx("10.0.0.0/8")), 0);
	assert_int_equal(pol.naccept, 1);
	assert_int_equal(check(&pol, "10.1.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.1.2.0", 24, GW), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.128.0.0", 16, GW), R_OUTSIDE);

	/* Later ones add. */
	assert_int_equal(policy_add_accept(&pol, pfx("44.0.0.0/9")), 0);
	assert_int_equal(pol.naccept, 2);
	assert_int_equal(check(&pol, "10.1.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.1.2.0", 24, GW), R_NONE);
	assert_int_equal(check(&pol, "44.128.0.0", 16, GW), R_OUTSIDE);
	/* Even when the list happens to equal the defaults again. */
	assert_int_equal(policy_add_accept(&pol, pfx("44.128.0.0/10")), 0);
	assert_int_equal(policy_add_accept(&pol, pfx("44.192.0.0/10")), 0);
	assert_int_equal(pol.naccept, 4);
	assert_int_equal(check(&pol, "10.1.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.208.0.0", 16, GW), R_NONE);

	for (i = pol.naccept; i < POLICY_MAX_PREFIXES; i++)
		assert_int_equal(policy_add_accept(&pol, pfx("172.16.0.0/12")),
		    0);
	assert_int_equal(policy_add_accept(&pol, pfx("172.16.0.0/12")), -1);
	assert_int_equal(pol.naccept, POLICY_MAX_PREFIXES);
}

static void
test_accept_whole_44(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	assert_int_equal(policy_add_accept(&pol, pfx("44.0.0.0/8")), 0);
	assert_int_equal(check(&pol, "44.208.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.0.0.0", 8, GW), R_AGGREGATE);
	assert_int_equal(check(&pol, "45.0.0.0", 8, GW), R_OUTSIDE);
}

static void
test_add_bad_prefix(void **state)
{
	struct policy	pol;
	struct prefix	bad = { 0, 33 };
	struct prefix	hostbits = { ip("44.1.2.3"), 24 };

	policy_init(&pol);
	assert_int_equal(policy_add_ignore(&pol, bad), -1);
	bad.len = -1;
	assert_int_equal(policy_add_ignore(&pol, bad), -1);
	assert_int_equal(pol.nignore, 0);
	/* Stored masked. */
	assert_int_equal(policy_add_ignore(&pol, hostbits), 0);
	assert_int_equal(pol.ignore[0].addr, ip("44.1.2.0"));
	assert_int_equal(check(&pol, "44.1.2.0", 24, GW), R_IGNORED);
}

static void
test_ignore(void **state)
{
	struct policy	pol;
	int		i;

	policy_init(&pol);
	assert_int_equal(policy_add_ignore(&pol, pfx("44.1.2.0/24")), 0);
	assert_int_equal(policy_add_ignore(&pol, pfx("44.130.0.0/16")), 0);
	assert_int_equal(pol.nignore, 2);
	assert_int_equal(pol.naccept, 2);	/* -I leaves -a alone */

	assert_int_equal(check(&pol, "44.1.2.0", 24, GW), R_IGNORED);
	assert_int_equal(check(&pol, "44.1.2.128", 25, GW), R_IGNORED);
	assert_int_equal(check(&pol, "44.1.2.7", 32, GW), R_IGNORED);
	assert_int_equal(check(&pol, "44.130.20.0", 24, GW), R_IGNORED);
	/* Covering an ignored prefix is not being inside it. */
	assert_int_equal(check(&pol, "44.1.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.1.2.0", 23, GW), R_NONE);
	assert_int_equal(check(&pol, "44.1.3.0", 24, GW), R_NONE);
	assert_int_equal(check(&pol, "44.131.0.0", 16, GW), R_NONE);

	for (i = pol.nignore; i < POLICY_MAX_PREFIXES; i++)
		assert_int_equal(policy_add_ignore(&pol,
		    pfx("44.9.0.0/16")), 0);
	assert_int_equal(policy_add_ignore(&pol, pfx("44.9.0.0/16")), -1);
}

static void
test_ours(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	assert_int_equal(check(&pol, "44.1.2.0", 24, US), R_NONE);
	pol.ours = US;
	assert_int_equal(check(&pol, "44.1.2.0", 24, US), R_OURS);
	assert_int_equal(check(&pol, "44.1.2.0", 24, US + 1), R_NONE);
	/* Ours unknown (0) does not make next hop 0 ours. */
	pol.ours = 0;
	assert_int_equal(check(&pol, "44.1.2.0", 24, 0), R_NEXTHOP);
}

/* Behind NAT: -L is private, amprgw advertises our public -A. */
static void
test_ours_behind_nat(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	pol.ours = 0xc0a8010aU;		/* 192.168.1.10 */
	assert_int_equal(check(&pol, "44.1.2.0", 24, US), R_NONE);
	pol.advertised = US;
	assert_int_equal(check(&pol, "44.1.2.0", 24, US), R_OURS);
	assert_int_equal(check(&pol, "44.1.2.0", 24, 0xc0a8010aU), R_OURS);
	assert_int_equal(check(&pol, "44.1.2.0", 24, US + 1), R_NONE);
	/* -A alone, -L not yet known. */
	pol.ours = 0;
	assert_int_equal(check(&pol, "44.1.2.0", 24, US), R_OURS);
	assert_int_equal(check(&pol, "44.1.2.0", 24, 0), R_NEXTHOP);
}

static void
test_nexthop(void **state)
{
	static const char *const bad[] = {
		"0.0.0.0", "0.0.0.1", "0.255.255.255",
		"127.0.0.1", "127.0.0.0", "127.255.255.255",
		"224.0.0.0", "224.0.0.9", "239.255.255.255",
		"240.0.0.0", "250.1.2.3", "255.255.255.254",
		"255.255.255.255",
	};
	static const char *const good[] = {
		"1.0.0.0", "126.255.255.255", "128.0.0.0",
		"223.255.255.255", "169.228.34.84", "62.31.206.176",
		"44.24.221.1",		/* a BGP-announced 44 endpoint */
	};
	struct policy	pol;
	size_t		i;

	policy_init(&pol);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (check(&pol, "44.1.2.0", 24, ip(bad[i])) != R_NEXTHOP)
			fail_msg("next hop %s not refused", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (check(&pol, "44.1.2.0", 24, ip(good[i])) != R_NONE)
			fail_msg("next hop %s refused", good[i]);
}

static void
test_loop(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.1.2.1")), R_LOOP);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.1.2.0")), R_LOOP);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.1.2.255")),
	    R_LOOP);
	assert_int_equal(check(&pol, "44.1.2.9", 32, ip("44.1.2.9")), R_LOOP);
	assert_int_equal(check(&pol, "44.24.0.0", 16, ip("44.24.221.1")),
	    R_LOOP);
	/* Against the masked prefix, not the address as sent. */
	assert_int_equal(check(&pol, "44.1.2.3", 24, ip("44.1.2.9")), R_LOOP);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.1.3.1")), R_NONE);
	assert_int_equal(check(&pol, "44.1.2.9", 32, ip("44.1.2.8")), R_NONE);
}

static void
test_withdrawal_passes(void **state)
{
	struct policy		pol;
	struct rip_entry	e;
	uint32_t		addr;
	int			len, hostbits;

	policy_init(&pol);
	e = entry("44.1.2.0", 24, GW, RIP_METRIC_INFINITY);
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_NONE);
	assert_int_equal(addr, ip("44.1.2.0"));
	assert_int_equal(len, 24);
}

static void
test_order(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	pol.ours = US;
	assert_int_equal(policy_add_ignore(&pol, pfx("44.1.2.0/24")), 0);
	assert_int_equal(policy_add_ignore(&pol, pfx("10.0.0.0/8")), 0);

	/* Outside before everything. */
	assert_int_equal(check(&pol, "10.1.0.0", 16, US), R_OUTSIDE);
	assert_int_equal(check(&pol, "44.200.0.0", 16, 0), R_OUTSIDE);
	/* Ignored before ours, next hop and loop. */
	assert_int_equal(check(&pol, "44.1.2.0", 24, US), R_IGNORED);
	assert_int_equal(check(&pol, "44.1.2.0", 24, 0), R_IGNORED);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.1.2.1")),
	    R_IGNORED);
	/* Ours before loop: our endpoint inside our own 44 subnet. */
	pol.ours = ip("44.5.6.1");
	assert_int_equal(check(&pol, "44.5.6.0", 24, ip("44.5.6.1")), R_OURS);
	/* Next hop before loop. */
	assert_int_equal(policy_add_accept(&pol, pfx("0.0.0.0/0")), 0);
	assert_int_equal(check(&pol, "127.0.0.0", 16, ip("127.0.0.1")),
	    R_NEXTHOP);
	assert_int_equal(check(&pol, "224.0.0.0", 16, ip("224.0.0.9")),
	    R_NEXTHOP);
	assert_int_equal(check(&pol, "172.16.0.0", 16, ip("172.16.0.1")),
	    R_NEXTHOP_PRIVATE);
	assert_int_equal(check(&pol, "192.0.2.0", 24, ip("192.0.2.1")),
	    R_LOOP);
}

static void
test_decoder_verdict_stands(void **state)
{
	struct policy		pol;
	struct rip_entry	e;
	uint32_t		addr;
	int			len, hostbits;

	policy_init(&pol);
	e = entry("44.1.2.3", 24, GW, 0);
	e.status = R_METRIC;
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_METRIC);
	e.status = R_FAMILY;
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_FAMILY);
	/* Outputs set even so, as sent, for the log. */
	assert_int_equal(addr, ip("44.1.2.3"));
	assert_int_equal(len, 24);
	assert_int_equal(hostbits, 0);
	e = entry("44.1.2.3", 24, GW, 1);
	e.len = -1;
	hostbits = -1;
	assert_int_equal(policy_entry(&pol, &e, &addr, &len, &hostbits),
	    R_NETMASK);
	assert_int_equal(addr, ip("44.1.2.3"));
	assert_int_equal(len, -1);
	assert_int_equal(hostbits, 0);
}

/* The path a datagram takes: decode, then the policy on each entry. */
static void
test_decoded_packet(void **state)
{
	struct policy		pol;
	struct rip_entry	in[6];
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			n;
	uint32_t		addr;
	int			i, len, hostbits;
	static const enum reason want[6] = {
		R_NONE, R_OUTSIDE, R_NONE, R_LOOP, R_NETMASK, R_OURS,
	};

	policy_init(&pol);
	pol.ours = US;
	in[0] = entry("44.131.91.0", 24, ip("62.31.206.176"), 1);
	in[1] = entry("44.208.0.0", 16, GW, 1);
	in[2] = entry("44.182.20.77", 24, GW, 1);
	in[3] = entry("44.24.221.0", 24, ip("44.24.221.1"), 1);
	in[4] = entry("44.1.2.0", 24, GW, 1);
	in[4].mask = 0xffff00ffU;
	in[5] = entry("44.60.44.0", 24, US, 1);
	n = rip_encode(buf, sizeof(buf), pol.password, in, 6);
	assert_int_not_equal(n, 0);
	assert_int_equal(policy_source(&pol, AMPRGW, RIP_PORT), R_NONE);
	assert_int_equal(rip_decode(buf, n, pol.password, &pkt), R_NONE);
	assert_int_equal(pkt.nentries, 6);
	for (i = 0; i < 6; i++) {
		hostbits = -1;
		assert_int_equal(policy_entry(&pol, &pkt.entries[i], &addr,
		    &len, &hostbits), want[i]);
	}
	hostbits = -1;
	assert_int_equal(policy_entry(&pol, &pkt.entries[2], &addr, &len,
	    &hostbits), R_NONE);
	assert_int_equal(addr, ip("44.182.20.0"));
	assert_int_equal(len, 24);
	assert_int_equal(hostbits, 1);
}

/* Shorter than -M: by default anything shorter than /16. */
static void
test_prefix_minimum(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	assert_int_equal(pol.minlen, 16);
	assert_int_equal(check(&pol, "44.92.0.0", 15, GW), R_PREFIXLEN);
	assert_int_equal(check(&pol, "44.64.0.0", 10, GW), R_PREFIXLEN);
	assert_int_equal(check(&pol, "44.92.0.0", 16, GW), R_NONE);
	pol.minlen = 24;
	assert_int_equal(check(&pol, "44.92.0.0", 23, GW), R_PREFIXLEN);
	assert_int_equal(check(&pol, "44.92.0.0", 24, GW), R_NONE);
}

/* A route over amprgw's own address would divert its broadcasts. */
static void
test_source_route(void **state)
{
	struct policy	pol;

	policy_init(&pol);
	assert_int_equal(check(&pol, "44.0.0.1", 32, GW), R_SOURCE_ROUTE);
	assert_int_equal(check(&pol, "44.0.0.0", 24, GW), R_SOURCE_ROUTE);
	assert_int_equal(check(&pol, "44.0.0.0", 16, GW), R_SOURCE_ROUTE);
	assert_int_equal(check(&pol, "44.0.0.2", 32, GW), R_NONE);
	assert_int_equal(check(&pol, "44.0.1.0", 24, GW), R_NONE);
	/* It follows -g. */
	pol.source = ip("44.0.0.2");
	assert_int_equal(check(&pol, "44.0.0.1", 32, GW), R_NONE);
	assert_int_equal(check(&pol, "44.0.0.2", 32, GW), R_SOURCE_ROUTE);
}

/* Our LAN 44.44.107.0/24 (we are .1) and our -l address 44.9.9.9. */
static void
test_connected(void **state)
{
	struct prefix	lan[3];
	struct policy	pol;

	policy_init(&pol);
	lan[0] = (struct prefix){ ip("44.44.107.1"), 24 };
	lan[1] = (struct prefix){ ip("192.0.2.7"), 24 };	/* not 44 */
	lan[2] = (struct prefix){ ip("44.60.0.5"), 32 };
	assert_int_equal(policy_set_connected(&pol, lan, 3), 2);
	pol.addr44 = ip("44.9.9.9");

	/* The attack seen on a real kernel: half our LAN to a stranger. */
	assert_int_equal(check(&pol, "44.44.107.128", 25, GW),
	    R_MORE_SPECIFIC);
	assert_int_equal(check(&pol, "44.44.107.200", 32, GW),
	    R_MORE_SPECIFIC);
	/* Equal, covering, or holding our own address. */
	assert_int_equal(check(&pol, "44.44.107.0", 24, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.44.0.0", 16, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.44.107.0", 25, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.44.107.1", 32, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.60.0.5", 32, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.9.9.9", 32, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.9.0.0", 16, GW), R_CONNECTED);
	/* Neighbours are anybody's. */
	assert_int_equal(check(&pol, "44.44.108.0", 24, GW), R_NONE);
	assert_int_equal(check(&pol, "44.9.9.8", 32, GW), R_NONE);
	assert_int_equal(check(&pol, "44.60.0.4", 32, GW), R_NONE);

	/*
	 * -S allows prefixes nested with ours either way (the nested pairs
	 * of the real table), never our own address or subnet.
	 */
	pol.more_specific_ok = 1;
	assert_int_equal(check(&pol, "44.44.107.128", 25, GW), R_NONE);
	assert_int_equal(check(&pol, "44.44.107.0", 25, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.44.107.0", 24, GW), R_CONNECTED);
	assert_int_equal(check(&pol, "44.44.0.0", 16, GW), R_NONE);
	assert_int_equal(check(&pol, "44.9.0.0", 16, GW), R_CONNECTED);

	/* Replaced, not added to: the LAN went away. */
	pol.more_specific_ok = 0;
	assert_int_equal(policy_set_connected(&pol, NULL, 0), 0);
	assert_int_equal(check(&pol, "44.44.107.128", 25, GW), R_NONE);
	assert_int_equal(check(&pol, "44.44.107.0", 24, GW), R_NONE);
}

static void
test_connected_full(void **state)
{
	struct prefix	many[POLICY_MAX_CONNECTED + 1];
	struct policy	pol;
	int		i;

	policy_init(&pol);
	for (i = 0; i <= POLICY_MAX_CONNECTED; i++)
		many[i] = (struct prefix){ 0x2c010001U + ((uint32_t)i << 8),
		    24 };
	assert_int_equal(policy_set_connected(&pol, many,
	    POLICY_MAX_CONNECTED + 1), -1);
	assert_int_equal(pol.nconnected, POLICY_MAX_CONNECTED);
	/* The first ones are kept. */
	assert_int_equal(check(&pol, "44.1.0.0", 24, GW), R_CONNECTED);

	/* The -l address on every gif is one entry, not one per gif. */
	policy_clear_connected(&pol);
	for (i = 0; i < 3 * POLICY_MAX_CONNECTED; i++)
		assert_int_equal(policy_add_connected(&pol,
		    (struct prefix){ 0x2c090909U, 32 }), i == 0 ? 1 : 0);
	assert_int_equal(pol.nconnected, 1);
	assert_int_equal(policy_add_connected(&pol,
	    (struct prefix){ 0xc0000201U, 24 }), 0);
	assert_int_equal(pol.nconnected, 1);
}

static void
test_nexthop_classes(void **state)
{
	static const char *const private[] = {
		"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
		"192.168.0.1", "192.168.255.254", "100.64.0.1",
		"100.127.255.255", "169.254.0.1", "169.254.255.255",
	};
	static const char *const public[] = {
		"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0",
		"192.167.255.255", "192.169.0.0", "100.63.255.255",
		"100.128.0.0", "169.253.255.255", "169.255.0.0",
	};
	struct prefix	lan = { 0x2c2c6b01U, 24 };	/* 44.44.107.1/24 */
	struct policy	pol;
	size_t		i;

	policy_init(&pol);
	for (i = 0; i < sizeof(private) / sizeof(private[0]); i++)
		if (check(&pol, "44.1.2.0", 24, ip(private[i])) !=
		    R_NEXTHOP_PRIVATE)
			fail_msg("next hop %s not refused", private[i]);
	for (i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		if (check(&pol, "44.1.2.0", 24, ip(public[i])) != R_NONE)
			fail_msg("next hop %s refused", public[i]);

	/* Our own 44 addresses and amprgw's are no gateway's endpoint. */
	pol.addr44 = ip("44.9.9.9");
	assert_int_equal(policy_set_connected(&pol, &lan, 1), 1);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.9.9.9")),
	    R_NEXTHOP_OURS44);
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.44.107.1")),
	    R_NEXTHOP_OURS44);
	assert_int_equal(check(&pol, "44.1.2.0", 24, AMPRGW),
	    R_NEXTHOP_SOURCE);

	/* A 44 endpoint is legal while the tunnels have their own domain. */
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.24.221.1")),
	    R_NONE);
	pol.one_domain = 1;
	assert_int_equal(check(&pol, "44.1.2.0", 24, ip("44.24.221.1")),
	    R_NEXTHOP_RECURSIVE);
	assert_int_equal(check(&pol, "44.1.2.0", 24, GW), R_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_default_space),
		cmocka_unit_test(test_host_bits),
		cmocka_unit_test(test_accept_replaces_defaults),
		cmocka_unit_test(test_accept_whole_44),
		cmocka_unit_test(test_add_bad_prefix),
		cmocka_unit_test(test_ignore),
		cmocka_unit_test(test_ours),
		cmocka_unit_test(test_ours_behind_nat),
		cmocka_unit_test(test_nexthop),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_withdrawal_passes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_prefix_minimum),
		cmocka_unit_test(test_source_route),
		cmocka_unit_test(test_connected),
		cmocka_unit_test(test_connected_full),
		cmocka_unit_test(test_nexthop_classes),
		cmocka_unit_test(test_decoder_verdict_stands),
		cmocka_unit_test(test_decoded_packet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
