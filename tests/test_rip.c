/*
 * RIP44 decoding and encoding, and the reason names.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reason.h"
#include "rip.h"

#define PW		RIP_DEFAULT_PASSWORD
#define ENTRY_OFF(i)	(RIP_HEADER_LEN + (i) * RIP_ENTRY_LEN)	/* 0 = auth */

/* One route, written by hand from the wire format, not by rip_encode. */
static const uint8_t handmade[] = {
	0x02, 0x02, 0x00, 0x00,				/* response, v2 */
	0xff, 0xff, 0x00, 0x02,				/* auth, plain */
	'p', 'L', 'a', 'I', 'n', 'T', 'e', 'X',
	't', 'p', 'A', 's', 'S', 'w', 'D', 0x00,
	0x00, 0x02, 0x00, 0x04,				/* AF_INET, tag 4 */
	0x2c, 0x01, 0x02, 0x00,				/* 44.1.2.0 */
	0xff, 0xff, 0xff, 0x00,				/* /24 */
	0xc0, 0x00, 0x02, 0x01,				/* 192.0.2.1 */
	0x00, 0x00, 0x00, 0x01,				/* metric 1 */
};

static struct rip_entry
route(uint32_t addr, uint32_t mask, uint32_t nexthop, uint32_t metric)
{
	struct rip_entry	e;

	memset(&e, 0, sizeof(e));
	e.family = 2;
	e.tag = 4;
	e.addr = addr;
	e.mask = mask;
	e.nexthop = nexthop;
	e.metric = metric;
	return e;
}

/* n distinct valid routes: 44.i.j.0/24 via 192.0.2.(i+1). */
static void
fill_routes(struct rip_entry *e, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		e[i] = route(0x2c000000U | (uint32_t)(i + 1) << 16 |
		    (uint32_t)i << 8, 0xffffff00U, 0xc0000201U + (uint32_t)i,
		    1 + (uint32_t)(i % 16));
}

/* A valid datagram of n routes in buf; returns its length. */
static size_t
valid_packet(uint8_t *buf, size_t bufsz, int n)
{
	struct rip_entry	e[RIP_MAX_ROUTES];
	size_t			len;

	fill_routes(e, n);
	len = rip_encode(buf, bufsz, PW, e, n);
	assert_int_equal(len, ENTRY_OFF(n + 1));
	return len;
}

static void
test_decode_handmade(void **state)
{
	struct rip_packet	pkt;

	assert_int_equal(rip_decode(handmade, sizeof(handmade), PW, &pkt),
	    R_NONE);
	assert_int_equal(pkt.command, 2);
	assert_int_equal(pkt.version, 2);
	assert_int_equal(pkt.nentries, 1);
	assert_int_equal(pkt.entries[0].status, R_NONE);
	assert_int_equal(pkt.entries[0].family, 2);
	assert_int_equal(pkt.entries[0].tag, 4);
	assert_int_equal(pkt.entries[0].addr, 0x2c010200U);
	assert_int_equal(pkt.entries[0].mask, 0xffffff00U);
	assert_int_equal(pkt.entries[0].len, 24);
	assert_int_equal(pkt.entries[0].nexthop, 0xc0000201U);
	assert_int_equal(pkt.entries[0].metric, 1);
}

static void
test_encode_matches_wire(void **state)
{
	struct rip_entry	e = route(0x2c010200U, 0xffffff00U,
				    0xc0000201U, 1);
	uint8_t			buf[RIP_MAX_LEN];

	assert_int_equal(rip_encode(buf, sizeof(buf), PW, &e, 1),
	    sizeof(handmade));
	assert_memory_equal(buf, handmade, sizeof(handmade));

	/* Family 0 is written as AF_INET, any other family as given. */
	e.family = 0;
	assert_int_equal(rip_encode(buf, sizeof(buf), PW, &e, 1),
	    sizeof(handmade));
	assert_memory_equal(buf, handmade, sizeof(handmade));
	e.family = 7;
	rip_encode(buf, sizeof(buf), PW, &e, 1);
	assert_int_equal(buf[ENTRY_OFF(1)], 0);
	assert_int_equal(buf[ENTRY_OFF(1) + 1], 7);
}

static void
test_round_trip_maximal(void **state)
{
	struct rip_entry	in[RIP_MAX_ROUTES];
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;
	int			i;

	fill_routes(in, RIP_MAX_ROUTES);
	in[3].mask = 0xffffffffU;		/* a /32 */
	in[4].mask = 0xfffe0000U;		/* a /15 */
	in[4].addr = 0x2c020000U;
	in[5].metric = RIP_METRIC_INFINITY;	/* a withdrawal */
	in[6].tag = 0;
	len = rip_encode(buf, sizeof(buf), PW, in, RIP_MAX_ROUTES);
	assert_int_equal(len, 504);
	assert_int_equal(len, RIP_MAX_LEN);

	memset(&pkt, 0xa5, sizeof(pkt));
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	assert_int_equal(pkt.nentries, RIP_MAX_ROUTES);
	for (i = 0; i < RIP_MAX_ROUTES; i++) {
		assert_int_equal(pkt.entries[i].status, R_NONE);
		assert_int_equal(pkt.entries[i].family, in[i].family);
		assert_int_equal(pkt.entries[i].tag, in[i].tag);
		assert_int_equal(pkt.entries[i].addr, in[i].addr);
		assert_int_equal(pkt.entries[i].mask, in[i].mask);
		assert_int_equal(pkt.entries[i].len,
		    rip_mask_len(in[i].mask));
		assert_int_equal(pkt.entries[i].nexthop, in[i].nexthop);
		assert_int_equal(pkt.entries[i].metric, in[i].metric);
	}
	assert_int_equal(pkt.entries[3].len, 32);
	assert_int_equal(pkt.entries[4].len, 15);
}

static void
test_no_routes(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = rip_encode(buf, sizeof(buf), PW, NULL, 0);
	assert_int_equal(len, RIP_HEADER_LEN + RIP_ENTRY_LEN);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	assert_int_equal(pkt.nentries, 0);
}

static void
test_short(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];

	valid_packet(buf, sizeof(buf), 1);
	assert_int_equal(rip_decode(buf, 0, PW, &pkt), R_SHORT);
	assert_int_equal(rip_decode(buf, 4, PW, &pkt), R_SHORT);
	assert_int_equal(rip_decode(buf, 23, PW, &pkt), R_SHORT);
	assert_int_equal(rip_decode(NULL, 44, PW, &pkt), R_SHORT);
	/* Length faults come before header faults. */
	buf[0] = 1;
	assert_int_equal(rip_decode(buf, 23, PW, &pkt), R_SHORT);
}

static void
test_length(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN + RIP_ENTRY_LEN];

	valid_packet(buf, sizeof(buf), RIP_MAX_ROUTES);
	assert_int_equal(rip_decode(buf, 25, PW, &pkt), R_LENGTH);
	assert_int_equal(rip_decode(buf, 43, PW, &pkt), R_LENGTH);
	assert_int_equal(rip_decode(buf, 45, PW, &pkt), R_LENGTH);
	assert_int_equal(rip_decode(buf, RIP_MAX_LEN - 1, PW, &pkt),
	    R_LENGTH);
	buf[1] = 1;
	assert_int_equal(rip_decode(buf, 43, PW, &pkt), R_LENGTH);
}

static void
test_toomany(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN + 2 * RIP_ENTRY_LEN];

	valid_packet(buf, sizeof(buf), RIP_MAX_ROUTES);
	/* A 25th route (26 entries): otherwise a perfectly good entry. */
	memcpy(buf + RIP_MAX_LEN, buf + RIP_MAX_LEN - RIP_ENTRY_LEN,
	    RIP_ENTRY_LEN);
	assert_int_equal(rip_decode(buf, RIP_MAX_LEN, PW, &pkt), R_NONE);
	assert_int_equal(rip_decode(buf, RIP_MAX_LEN + RIP_ENTRY_LEN, PW,
	    &pkt), R_TOOMANY);
	assert_int_equal(rip_decode(buf, sizeof(buf), PW, &pkt), R_TOOMANY);
	buf[0] = 1;
	assert_int_equal(rip_decode(buf, sizeof(buf), PW, &pkt), R_TOOMANY);
}

static void
test_command(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = valid_packet(buf, sizeof(buf), 2);
	buf[0] = 1;		/* request */
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_COMMAND);
	buf[0] = 0;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_COMMAND);
	buf[0] = 3;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_COMMAND);
	/* Command before version. */
	buf[1] = 1;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_COMMAND);
}

static void
test_version(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = valid_packet(buf, sizeof(buf), 2);
	buf[1] = 1;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_VERSION);
	buf[1] = 3;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_VERSION);
	/* Header before authentication. */
	buf[ENTRY_OFF(0)] = 0;
	buf[ENTRY_OFF(0) + 1] = 2;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_VERSION);
}

static void
test_zero_bytes_ignored(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = valid_packet(buf, sizeof(buf), 2);
	buf[2] = 0xde;
	buf[3] = 0xad;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	assert_int_equal(pkt.nentries, 2);
}

static void
test_noauth(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	/* A route where the authentication entry should be. */
	len = valid_packet(buf, sizeof(buf), 2);
	memcpy(buf + ENTRY_OFF(0), buf + ENTRY_OFF(1), RIP_ENTRY_LEN);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NOAUTH);

	/* An authentication entry, but not the first. */
	len = valid_packet(buf, sizeof(buf), 2);
	memcpy(buf + ENTRY_OFF(2), buf + ENTRY_OFF(0), RIP_ENTRY_LEN);
	memcpy(buf + ENTRY_OFF(0), buf + ENTRY_OFF(1), RIP_ENTRY_LEN);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NOAUTH);

	/* Family 0xfffe, type and password right. */
	len = valid_packet(buf, sizeof(buf), 2);
	buf[ENTRY_OFF(0) + 1] = 0xfe;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NOAUTH);
}

static void
test_authtype(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = valid_packet(buf, sizeof(buf), 2);
	buf[ENTRY_OFF(0) + 3] = 1;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_AUTHTYPE);
	buf[ENTRY_OFF(0) + 3] = 3;		/* MD5 */
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_AUTHTYPE);
	buf[ENTRY_OFF(0) + 2] = 1;		/* 0x0102 */
	buf[ENTRY_OFF(0) + 3] = 2;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_AUTHTYPE);
	/* Type before password. */
	buf[ENTRY_OFF(0) + 4] ^= 1;
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_AUTHTYPE);
}

static void
test_password_every_byte(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;
	int			i;

	len = valid_packet(buf, sizeof(buf), 2);
	for (i = 0; i < RIP_PASSWORD_LEN; i++) {
		buf[ENTRY_OFF(0) + 4 + i] ^= 0x20;
		assert_int_equal(rip_decode(buf, len, PW, &pkt), R_PASSWORD);
		buf[ENTRY_OFF(0) + 4 + i] ^= 0x20;
		assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	}
	assert_int_equal(rip_decode(buf, len, "pLaInTeXtpAsSwd", &pkt),
	    R_PASSWORD);
	assert_int_equal(rip_decode(buf, len, "", &pkt), R_PASSWORD);
	assert_int_equal(rip_decode(buf, len, NULL, &pkt), R_PASSWORD);
}

static void
test_password_garbage_after_nul(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;
	struct rip_entry	e = route(0x2c010200U, 0xffffff00U,
				    0xc0000201U, 1);

	len = rip_encode(buf, sizeof(buf), "short", &e, 1);
	assert_int_not_equal(len, 0);
	assert_int_equal(rip_decode(buf, len, "short", &pkt), R_NONE);
	/* "short\0" then junk: a strcmp would accept it. */
	buf[ENTRY_OFF(0) + 4 + 6] = 'x';
	assert_int_equal(rip_decode(buf, len, "short", &pkt), R_PASSWORD);
	buf[ENTRY_OFF(0) + 4 + 6] = 0;
	buf[ENTRY_OFF(0) + 4 + 15] = 'x';
	assert_int_equal(rip_decode(buf, len, "short", &pkt), R_PASSWORD);
}

static void
test_password_sixteen(void **state)
{
	const char		*pw16 = "0123456789abcdef";
	struct rip_packet	 pkt;
	uint8_t			 buf[RIP_MAX_LEN];
	size_t			 len;
	struct rip_entry	 e = route(0x2c010200U, 0xffffff00U,
				    0xc0000201U, 1);

	assert_int_equal(strlen(pw16), RIP_PASSWORD_LEN);
	len = rip_encode(buf, sizeof(buf), pw16, &e, 1);
	assert_int_not_equal(len, 0);
	assert_memory_equal(buf + ENTRY_OFF(0) + 4, pw16, RIP_PASSWORD_LEN);
	assert_int_equal(rip_decode(buf, len, pw16, &pkt), R_NONE);
	assert_int_equal(rip_decode(buf, len, "0123456789abcde", &pkt),
	    R_PASSWORD);
	/* Longer than 16 never matches, even on its first 16 bytes. */
	assert_int_equal(rip_decode(buf, len, "0123456789abcdefg", &pkt),
	    R_PASSWORD);
	/* And cannot be sent. */
	assert_int_equal(rip_encode(buf, sizeof(buf), "0123456789abcdefg",
	    &e, 1), 0);
}

static void
test_empty_password(void **state)
{
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;
	int			i;

	len = rip_encode(buf, sizeof(buf), "", NULL, 0);
	assert_int_equal(len, RIP_HEADER_LEN + RIP_ENTRY_LEN);
	for (i = 0; i < RIP_PASSWORD_LEN; i++)
		assert_int_equal(buf[ENTRY_OFF(0) + 4 + i], 0);
	assert_int_equal(rip_decode(buf, len, "", &pkt), R_NONE);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_PASSWORD);
}

/*
 * Decodes a maximal packet with entry 11 replaced by bad; returns its
 * status after checking that every other entry decoded fine.
 */
static enum reason
bad_in_middle(struct rip_entry bad)
{
	struct rip_entry	e[RIP_MAX_ROUTES];
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;
	int			i;

	fill_routes(e, RIP_MAX_ROUTES);
	e[11] = bad;
	len = rip_encode(buf, sizeof(buf), PW, e, RIP_MAX_ROUTES);
	assert_int_equal(len, RIP_MAX_LEN);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	assert_int_equal(pkt.nentries, RIP_MAX_ROUTES);
	for (i = 0; i < RIP_MAX_ROUTES; i++) {
		if (i == 11)
			continue;
		assert_int_equal(pkt.entries[i].status, R_NONE);
		assert_int_equal(pkt.entries[i].addr, e[i].addr);
		assert_int_equal(pkt.entries[i].nexthop, e[i].nexthop);
	}
	/* The bad one is still decoded, for the log. */
	assert_int_equal(pkt.entries[11].addr, bad.addr);
	assert_int_equal(pkt.entries[11].mask, bad.mask);
	assert_int_equal(pkt.entries[11].metric, bad.metric);
	return pkt.entries[11].status;
}

static void
test_entry_family(void **state)
{
	struct rip_entry	e = route(0x2c010200U, 0xffffff00U,
				    0xc0000201U, 1);

	e.family = 1;
	assert_int_equal(bad_in_middle(e), R_FAMILY);
	e.family = 0xffff;	/* a second authentication entry */
	assert_int_equal(bad_in_middle(e), R_FAMILY);
	e.family = 10;		/* AF_INET6 on Linux */
	assert_int_equal(bad_in_middle(e), R_FAMILY);
	/* Family first: a bad mask and metric too. */
	e.mask = 0xff00ff00U;
	e.metric = 0;
	assert_int_equal(bad_in_middle(e), R_FAMILY);
}

static void
test_entry_netmask(void **state)
{
	struct rip_entry	e = route(0x2c010200U, 0xff00ff00U,
				    0xc0000201U, 1);

	assert_int_equal(bad_in_middle(e), R_NETMASK);
	e.mask = 0x00ffffffU;
	assert_int_equal(bad_in_middle(e), R_NETMASK);
	e.mask = 0xfffffffdU;
	assert_int_equal(bad_in_middle(e), R_NETMASK);
	/* Netmask before metric. */
	e.metric = 17;
	assert_int_equal(bad_in_middle(e), R_NETMASK);
}

static void
test_entry_metric(void **state)
{
	struct rip_entry	e = route(0x2c010200U, 0xffffff00U,
				    0xc0000201U, 0);

	assert_int_equal(bad_in_middle(e), R_METRIC);
	e.metric = 17;
	assert_int_equal(bad_in_middle(e), R_METRIC);
	e.metric = 0xffffffffU;
	assert_int_equal(bad_in_middle(e), R_METRIC);
	e.metric = 0x00000100U;	/* 1 in the wrong byte order */
	assert_int_equal(bad_in_middle(e), R_METRIC);
	e.metric = 16;
	assert_int_equal(bad_in_middle(e), R_NONE);
	e.metric = 1;
	assert_int_equal(bad_in_middle(e), R_NONE);
}

static void
test_header_fault_beats_entries(void **state)
{
	struct rip_entry	e = route(0x2c010200U, 0xff00ff00U,
				    0xc0000201U, 0);
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = rip_encode(buf, sizeof(buf), PW, &e, 1);
	assert_int_not_equal(len, 0);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	assert_int_equal(pkt.entries[0].status, R_NETMASK);
	assert_int_equal(pkt.entries[0].len, -1);
	assert_int_equal(rip_decode(buf, len, "other", &pkt), R_PASSWORD);
}

static void
test_host_bits_kept(void **state)
{
	struct rip_entry	e = route(0x2c010203U, 0xffffff00U,
				    0xc0000201U, 1);
	struct rip_packet	pkt;
	uint8_t			buf[RIP_MAX_LEN];
	size_t			len;

	len = rip_encode(buf, sizeof(buf), PW, &e, 1);
	assert_int_equal(rip_decode(buf, len, PW, &pkt), R_NONE);
	assert_int_equal(pkt.entries[0].status, R_NONE);
	assert_int_equal(pkt.entries[0].addr, 0x2c010203U);
	assert_int_equal(pkt.entries[0].len, 24);
}

static void
test_encode_limits(void **state)
{
	struct rip_entry	e[RIP_MAX_ROUTES + 1];
	uint8_t			buf[RIP_MAX_LEN + RIP_ENTRY_LEN];

	fill_routes(e, RIP_MAX_ROUTES);
	e[RIP_MAX_ROUTES] = e[0];
	assert_int_equal(rip_encode(buf, sizeof(buf), PW, e,
	    RIP_MAX_ROUTES + 1), 0);
	assert_int_equal(rip_encode(buf, sizeof(buf), PW, e, -1), 0);
	assert_int_equal(rip_encode(buf, RIP_MAX_LEN - 1, PW, e,
	    RIP_MAX_ROUTES), 0);
	assert_int_equal(rip_encode(buf, RIP_MAX_LEN, PW, e,
	    RIP_MAX_ROUTES), RIP_MAX_LEN);
	assert_int_equal(rip_encode(buf, ENTRY_OFF(2) - 1, PW, e, 1), 0);
	assert_int_equal(rip_encode(buf, ENTRY_OFF(2), PW, e, 1),
	    ENTRY_OFF(2));
	assert_int_equal(rip_encode(buf, sizeof(buf), NULL, e, 1), 0);
	assert_int_equal(rip_encode(NULL, sizeof(buf), PW, e, 1), 0);
	assert_int_equal(rip_encode(buf, sizeof(buf), PW, NULL, 1), 0);
}

static void
test_mask_len(void **state)
{
	assert_int_equal(rip_mask_len(0), 0);
	assert_int_equal(rip_mask_len(0x80000000U), 1);
	assert_int_equal(rip_mask_len(0xfffe0000U), 15);
	assert_int_equal(rip_mask_len(0xffffff00U), 24);
	assert_int_equal(rip_mask_len(0xfffffffeU), 31);
	assert_int_equal(rip_mask_len(0xffffffffU), 32);
	assert_int_equal(rip_mask_len(0x00000001U), -1);
	assert_int_equal(rip_mask_len(0x7fffffffU), -1);
	assert_int_equal(rip_mask_len(0xff00ff00U), -1);
	assert_int_equal(rip_mask_len(0x00ffffffU), -1);
	assert_int_equal(rip_mask_len(0xfffffffdU), -1);
}

static void
test_reason_names(void **state)
{
	const char	*name, *other;
	int		 r, s;

	for (r = 0; r < R_NREASONS; r++) {
		name = reason_name((enum reason)r);
		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_string_not_equal(name, "unknown reason");
		/* Lower case, save acronyms such as RIP. */
		assert_true(islower((unsigned char)name[0]));
		for (s = 0; s < r; s++) {
			other = reason_name((enum reason)s);
			assert_string_not_equal(name, other);
		}
	}
	assert_string_equal(reason_name(R_PASSWORD), "wrong password");
	assert_string_equal(reason_name(R_SOURCE),
	    "source address not the RIP source");
	assert_string_equal(reason_name(R_LOOP),
	    "next hop inside advertised prefix");
	assert_string_equal(reason_name(R_OURS), "our own subnet");
	assert_string_equal(reason_name((enum reason)R_NREASONS),
	    "unknown reason");
	assert_string_equal(reason_name((enum reason)-1), "unknown reason");
}

static void
test_reason_is_datagram(void **state)
{
	int	r;

	for (r = 0; r < R_NREASONS; r++)
		assert_int_equal(reason_is_datagram((enum reason)r),
		    r >= R_SOURCE && r <= R_PASSWORD);
	assert_int_equal(reason_is_datagram(R_NONE), 0);
	assert_int_equal(reason_is_datagram(R_SOURCE), 1);
	assert_int_equal(reason_is_datagram(R_PASSWORD), 1);
	assert_int_equal(reason_is_datagram(R_FAMILY), 0);
	assert_int_equal(reason_is_datagram(R_TUNNELCAP), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_handmade),
		cmocka_unit_test(test_encode_matches_wire),
		cmocka_unit_test(test_round_trip_maximal),
		cmocka_unit_test(test_no_routes),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_toomany),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_zero_bytes_ignored),
		cmocka_unit_test(test_noauth),
		cmocka_unit_test(test_authtype),
		cmocka_unit_test(test_password_every_byte),
		cmocka_unit_test(test_password_garbage_after_nul),
		cmocka_unit_test(test_password_sixteen),
		cmocka_unit_test(test_empty_password),
		cmocka_unit_test(test_entry_family),
		cmocka_unit_test(test_entry_netmask),
		cmocka_unit_test(test_entry_metric),
		cmocka_unit_test(test_header_fault_beats_entries),
		cmocka_unit_test(test_host_bits_kept),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_mask_len),
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_reason_is_datagram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
