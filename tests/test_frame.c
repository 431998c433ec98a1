/*
 * frame_udp(): every link type carrying a real RIP44 datagram, tags,
 * options, IPENCAP, each refusal by name, and every truncation of valid
 * frames handed over in buffers of exactly that size, so that the
 * sanitizers catch a read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"
#include "rip.h"
#include "wire.h"

#define PKT_MAX		2048
#define NO_ENCAP	0
#define ENCAP		1

#define RIP_SRC		0x2c000001U	/* 44.0.0.1 */
#define OUTER_SRC	0xa9e42254U	/* 169.228.34.84 */
#define OUTER_DST	0x171e968dU	/* 23.30.150.141 */

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_8021Q	0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ	0x9100

#define ETH_HDR		14
#define IP_HDR		20
#define UDP_HDR		8

/* A frame under construction, built from the payload outwards. */
struct pkt {
	uint8_t	b[PKT_MAX];
	size_t	len;
};

/* The layers of a test frame, so the same one can be rebuilt and cut. */
struct shape {
	int		link;
	int		ntags;		/* Ethernet and cooked: VLAN tags */
	int		encap;
	size_t		optlen;		/* IPv4 options, multiple of 4 */
	const uint8_t	*family;	/* null and loop header, 4 bytes */
};

static const uint8_t family_le[4] = { 2, 0, 0, 0 };
static const uint8_t family_be[4] = { 0, 0, 0, 2 };



static void
prepend(struct pkt *p, const uint8_t *hdr, size_t n)
{
	assert_true(p->len + n <= sizeof(p->b));
	memmove(p->b + n, p->b, p->len);
	memcpy(p->b, hdr, n);
	p->len += n;
}

/* Three routes, the first with the tag amprgw sends. */
static void
rip_payload(struct pkt *p)
{
	struct rip_entry	e[3];

	memset(e, 0, sizeof(e));
	e[0].tag = 4;
	e[0].addr = 0x2c020200U;	/* 44.2.2.0/24 */
	e[0].mask = 0xffffff00U;
	e[0].nexthop = 0xc6336414U;	/* 198.51.100.20 */
	e[0].metric = 1;
	e[1].addr = 0x2c800000U;	/* 44.128.0.0/16 */
	e[1].mask = 0xffff0000U;
	e[1].nexthop = 0xcb007101U;
	e[1].metric = 1;
	e[2].addr = 0x2c3c2c01U;	/* 44.60.44.1/32 */
	e[2].mask = 0xffffffffU;
	e[2].nexthop = 0xc0000207U;
	e[2].metric = 16;
	p->len = rip_encode(p->b, sizeof(p->b), RIP_DEFAULT_PASSWORD, e, 3);
	assert_int_equal(p->len, RIP_HEADER_LEN + 4 * RIP_ENTRY_LEN);
}

static void
add_udp(struct pkt *p, unsigned int sport, unsigned int dport)
{
	uint8_t	h[UDP_HDR];

	put16(h, sport);
	put16(h + 2, dport);
	put16(h + 4, (unsigned int)(p->len + UDP_HDR));
	put16(h + 6, 0);
	prepend(p, h, sizeof(h));
}

static void
add_ipv4(struct pkt *p, unsigned int proto, uint32_t src, uint32_t dst,
    size_t optlen, unsigned int frag)
{
	uint8_t	h[IP_HDR + 40];
	size_t	hlen = IP_HDR + optlen;

	assert_true(optlen <= 40 && optlen % 4 == 0);
	memset(h, 0, sizeof(h));
	h[0] = (uint8_t)(0x40 | hlen / 4);
	put16(h + 2, (unsigned int)(hlen + p->len));
	put16(h + 4, 0x1234);
	put16(h + 6, frag);
	h[8] = 1;
	h[9] = (uint8_t)proto;
	put32(h + 12, src);
	put32(h + 16, dst);
	/* Options: NOPs then an end-of-list, as a router alert would pad. */
	memset(h + IP_HDR, 1, optlen);
	if (optlen > 0)
		h[hlen - 1] = 0;
	prepend(p, h, hlen);
}

/* VLAN tags from the innermost out: 802.1Q, then 802.1ad, then 0x9100. */
static void
add_tags(struct pkt *p, unsigned int *type, int ntags)
{
	static const unsigned int tpid[] = {
		ETHERTYPE_8021Q, ETHERTYPE_8021AD, ETHERTYPE_QINQ
	};
	uint8_t	tag[4];
	int	i;

	for (i = 0; i < ntags; i++) {
		put16(tag, 44 + (unsigned int)i);
		put16(tag + 2, *type);
		prepend(p, tag, sizeof(tag));
		*type = tpid[i < 3 ? i : 2];
	}
}

static void
add_ethernet(struct pkt *p, unsigned int type, int ntags)
{
	static const uint8_t addrs[12] = {
		0x01, 0x00, 0x5e, 0x00, 0x00, 0x09,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01
	};
	uint8_t	h[ETH_HDR];

	add_tags(p, &type, ntags);
	memcpy(h, addrs, sizeof(addrs));
	put16(h + 12, type);
	prepend(p, h, sizeof(h));
}

static void
add_sll(struct pkt *p, unsigned int proto, int ntags)
{
	uint8_t	h[16];

	add_tags(p, &proto, ntags);
	memset(h, 0, sizeof(h));
	put16(h, 2);			/* multicast to us */
	put16(h + 2, 1);		/* ARPHRD_ETHER */
	put16(h + 4, 6);
	h[6] = 0x02;
	h[11] = 0x01;
	put16(h + 14, proto);
	prepend(p, h, sizeof(h));
}

/* The IPv4 packet of a RIP44 datagram, plain or as amprgw tunnels it. */
static void
rip_ipv4(struct pkt *p, int encap, size_t optlen)
{
	rip_payload(p);
	add_udp(p, RIP_PORT, RIP_PORT);
	add_ipv4(p, 17, RIP_SRC, RIP_GROUP, optlen, 0);
	if (encap)
		add_ipv4(p, 4, OUTER_SRC, OUTER_DST, 0, 0);
}

static void
add_link(struct pkt *p, const struct shape *s)
{
	switch (s->link) {
	case FRAME_LINK_ETHERNET:
		add_ethernet(p, ETHERTYPE_IPV4, s->ntags);
		break;
	case FRAME_LINK_SLL:
		add_sll(p, ETHERTYPE_IPV4, s->ntags);
		break;
	case FRAME_LINK_NULL:
	case FRAME_LINK_LOOP:
		prepend(p, s->family, 4);
		break;
	default:
		break;
	}
}

static void
build(struct pkt *p, const struct shape *s)
{
	rip_ipv4(p, s->encap, s->optlen);
	add_link(p, s);
}

/* Runs frame_udp on an exact-size copy, so any overread is caught. */
static const char *
decode_copy(int link, const uint8_t *frame, size_t len, struct frame_udp *out,
    uint8_t **copy)
{
	uint8_t	*b;

	b = malloc(len > 0 ? len : 1);
	assert_non_null(b);
	if (len > 0)
		memcpy(b, frame, len);
	*copy = b;
	return frame_udp(link, b, len, out);
}

/* The datagram found must be the RIP44 one, decodable, in bounds. */
static void
check_rip(const struct frame_udp *u, const uint8_t *base, size_t len)
{
	struct rip_packet	rp;
	struct pkt		want;

	rip_payload(&want);
	assert_int_equal(u->src, RIP_SRC);
	assert_int_equal(u->dst, RIP_GROUP);
	assert_int_equal(u->sport, RIP_PORT);
	assert_int_equal(u->dport, RIP_PORT);
	assert_int_equal(u->len, want.len);
	assert_true(u->payload >= base);
	assert_true(u->payload + u->len == base + len);
	assert_memory_equal(u->payload, want.b, want.len);
	assert_int_equal(rip_decode(u->payload, u->len, RIP_DEFAULT_PASSWORD,
	    &rp), R_NONE);
	assert_int_equal(rp.nentries, 3);
	assert_int_equal(rp.entries[0].addr, 0x2c020200U);
	assert_int_equal(rp.entries[0].tag, 4);
	assert_int_equal(rp.entries[2].metric, 16);
}

static void
expect_rip(const struct shape *s, size_t want_offset)
{
	struct frame_udp	 u;
	struct pkt		 p;
	const char		*why;
	uint8_t			*copy;

	build(&p, s);
	why = decode_copy(s->link, p.b, p.len, &u, &copy);
	assert_null(why);
	check_rip(&u, copy, p.len);
	assert_int_equal(u.payload - copy, want_offset);
	assert_int_equal(u.encapsulated, s->encap);
	if (s->encap) {
		assert_int_equal(u.outer_src, OUTER_SRC);
		assert_int_equal(u.outer_dst, OUTER_DST);
	} else {
		assert_int_equal(u.outer_src, 0);
		assert_int_equal(u.outer_dst, 0);
	}
	free(copy);
}

static void
expect_refusal(int link, const struct pkt *p, size_t len, const char *want)
{
	struct frame_udp	 u;
	const char		*why;
	uint8_t			*copy;

	why = decode_copy(link, p->b, len, &u, &copy);
	assert_non_null(why);
	assert_string_equal(why, want);
	free(copy);
}

static void
test_ethernet(void **state)
{
	struct shape	s = { FRAME_LINK_ETHERNET, 0, NO_ENCAP, 0, NULL };

	expect_rip(&s, ETH_HDR + IP_HDR + UDP_HDR);
}

static void
test_ethernet_ipencap(void **state)
{
	struct shape	s = { FRAME_LINK_ETHERNET, 0, ENCAP, 0, NULL };

	expect_rip(&s, ETH_HDR + 2 * IP_HDR + UDP_HDR);
}

static void
test_vlan(void **state)
{
	struct shape	one = { FRAME_LINK_ETHERNET, 1, ENCAP, 0, NULL };
	struct shape	two = { FRAME_LINK_ETHERNET, 2, NO_ENCAP, 0, NULL };
	struct shape	three = { FRAME_LINK_ETHERNET, 3, ENCAP, 0, NULL };
	struct shape	sll = { FRAME_LINK_SLL, 1, NO_ENCAP, 0, NULL };

	expect_rip(&one, ETH_HDR + 4 + 2 * IP_HDR + UDP_HDR);
	expect_rip(&two, ETH_HDR + 8 + IP_HDR + UDP_HDR);
	expect_rip(&three, ETH_HDR + 12 + 2 * IP_HDR + UDP_HDR);
	expect_rip(&sll, 16 + 4 + IP_HDR + UDP_HDR);
}

static void
test_raw(void **state)
{
	struct shape	s = { FRAME_LINK_RAW, 0, NO_ENCAP, 0, NULL };
	struct shape	e = { FRAME_LINK_RAW, 0, ENCAP, 0, NULL };

	expect_rip(&s, IP_HDR + UDP_HDR);
	expect_rip(&e, 2 * IP_HDR + UDP_HDR);
}

static void
test_null_either_order(void **state)
{
	struct shape	le = { FRAME_LINK_NULL, 0, NO_ENCAP, 0, family_le };
	struct shape	be = { FRAME_LINK_NULL, 0, ENCAP, 0, family_be };

	expect_rip(&le, 4 + IP_HDR + UDP_HDR);
	expect_rip(&be, 4 + 2 * IP_HDR + UDP_HDR);
}

static void
test_loop(void **state)
{
	struct shape	s = { FRAME_LINK_LOOP, 0, ENCAP, 0, family_be };
	struct shape	le = { FRAME_LINK_LOOP, 0, NO_ENCAP, 0, family_le };
	struct pkt	p;

	expect_rip(&s, 4 + 2 * IP_HDR + UDP_HDR);
	/* Loop's family is network order: the little-endian 2 is not it. */
	build(&p, &le);
	expect_refusal(FRAME_LINK_LOOP, &p, p.len, "not IPv4");
}

static void
test_sll(void **state)
{
	struct shape	s = { FRAME_LINK_SLL, 0, NO_ENCAP, 0, NULL };
	struct shape	e = { FRAME_LINK_SLL, 0, ENCAP, 0, NULL };

	expect_rip(&s, 16 + IP_HDR + UDP_HDR);
	expect_rip(&e, 16 + 2 * IP_HDR + UDP_HDR);
}

static void
test_ipv4_options(void **state)
{
	struct shape	four = { FRAME_LINK_ETHERNET, 0, NO_ENCAP, 4, NULL };
	struct shape	most = { FRAME_LINK_RAW, 0, ENCAP, 40, NULL };

	expect_rip(&four, ETH_HDR + IP_HDR + 4 + UDP_HDR);
	expect_rip(&most, 2 * IP_HDR + 40 + UDP_HDR);
}

/* Ethernet pads short frames: the IPv4 total length bounds the datagram. */
static void
test_ethernet_padding(void **state)
{
	static const uint8_t	 tiny[4] = { 2, 2, 0, 0 };
	struct frame_udp	 u;
	struct pkt		 p;
	uint8_t			*copy;

	memcpy(p.b, tiny, sizeof(tiny));
	p.len = sizeof(tiny);
	add_udp(&p, RIP_PORT, RIP_PORT);
	add_ipv4(&p, 17, RIP_SRC, RIP_GROUP, 0, 0);
	add_ethernet(&p, ETHERTYPE_IPV4, 0);
	assert_int_equal(p.len, ETH_HDR + IP_HDR + UDP_HDR + 4);
	memset(p.b + p.len, 0xee, 60 - p.len);
	assert_null(decode_copy(FRAME_LINK_ETHERNET, p.b, 60, &u, &copy));
	assert_int_equal(u.len, 4);
	assert_memory_equal(u.payload, tiny, 4);
	free(copy);
}

/* A capture cut by the snap length inside the padding still decodes. */
static void
test_total_length_beyond_capture(void **state)
{
	struct frame_udp	 u;
	struct pkt		 p;
	uint8_t			*copy;

	rip_payload(&p);
	add_udp(&p, RIP_PORT, RIP_PORT);
	add_ipv4(&p, 17, RIP_SRC, RIP_GROUP, 0, 0);
	/* The IPv4 header claims 100 bytes more than were captured. */
	put16(p.b + 2, (unsigned int)p.len + 100);
	assert_null(decode_copy(FRAME_LINK_RAW, p.b, p.len, &u, &copy));
	check_rip(&u, copy, p.len);
	free(copy);
}

static void
test_dont_fragment_is_fine(void **state)
{
	struct frame_udp	 u;
	struct pkt		 p;
	uint8_t			*copy;

	rip_payload(&p);
	add_udp(&p, RIP_PORT, RIP_PORT);
	add_ipv4(&p, 17, RIP_SRC, RIP_GROUP, 0, 0x4000);
	assert_null(decode_copy(FRAME_LINK_RAW, p.b, p.len, &u, &copy));
	check_rip(&u, copy, p.len);
	free(copy);
}

static void
test_refuse_link(void **state)
{
	struct shape	s = { FRAME_LINK_ETHERNET, 0, NO_ENCAP, 0, NULL };
	struct pkt	p;

	build(&p, &s);
	expect_refusal(12, &p, p.len, "unsupported link type");
	expect_refusal(-1, &p, p.len, "unsupported link type");
	expect_refusal(FRAME_LINK_ETHERNET, &p, 13,
	    "truncated Ethernet header");
	expect_refusal(FRAME_LINK_SLL, &p, 15, "truncated cooked header");
	expect_refusal(FRAME_LINK_NULL, &p, 3, "truncated family header");
	expect_refusal(FRAME_LINK_LOOP, &p, 3, "truncated family header");
	expect_refusal(FRAME_LINK_RAW, &p, 0, "truncated IPv4 header");
	assert_string_equal(frame_udp(FRAME_LINK_ETHERNET, NULL, 0,
	    &(struct frame_udp){ 0 }), "truncated Ethernet header");
}

static void
test_refuse_ethertype(void **state)
{
	struct shape	s = { FRAME_LINK_ETHERNET, 2, NO_ENCAP, 0, NULL };
	struct pkt	p;

	rip_ipv4(&p, NO_ENCAP, 0);
	add_ethernet(&p, ETHERTYPE_ARP, 0);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "not IPv4");

	rip_ipv4(&p, NO_ENCAP, 0);
	add_ethernet(&p, ETHERTYPE_IPV6, 1);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "IPv6");

	rip_ipv4(&p, NO_ENCAP, 0);
	add_sll(&p, ETHERTYPE_IPV6, 0);
	expect_refusal(FRAME_LINK_SLL, &p, p.len, "IPv6");

	/* 802.3 length field instead of an ethertype. */
	rip_ipv4(&p, NO_ENCAP, 0);
	add_ethernet(&p, 0x05dc, 0);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "not IPv4");

	build(&p, &s);
	expect_refusal(FRAME_LINK_ETHERNET, &p, ETH_HDR + 3,
	    "truncated VLAN tag");
	expect_refusal(FRAME_LINK_ETHERNET, &p, ETH_HDR + 7,
	    "truncated VLAN tag");
}

static void
test_refuse_family(void **state)
{
	static const uint8_t	inet6_obsd_le[4] = { 24, 0, 0, 0 };
	static const uint8_t	inet6_fbsd_be[4] = { 0, 0, 0, 28 };
	static const uint8_t	inet6_darwin_le[4] = { 30, 0, 0, 0 };
	static const uint8_t	inet6_obsd_be[4] = { 0, 0, 0, 24 };
	static const uint8_t	inet_mixed[4] = { 0, 2, 0, 0 };
	static const uint8_t	unix_be[4] = { 0, 0, 0, 1 };
	struct shape		s = { FRAME_LINK_NULL, 0, NO_ENCAP, 0, NULL };
	struct pkt		p;

	s.family = inet6_obsd_le;
	build(&p, &s);
	expect_refusal(FRAME_LINK_NULL, &p, p.len, "IPv6");
	s.family = inet6_fbsd_be;
	build(&p, &s);
	expect_refusal(FRAME_LINK_NULL, &p, p.len, "IPv6");
	s.family = inet6_darwin_le;
	build(&p, &s);
	expect_refusal(FRAME_LINK_NULL, &p, p.len, "IPv6");
	s.family = inet_mixed;
	build(&p, &s);
	expect_refusal(FRAME_LINK_NULL, &p, p.len, "not IPv4");
	s.family = unix_be;
	build(&p, &s);
	expect_refusal(FRAME_LINK_NULL, &p, p.len, "not IPv4");

	s.link = FRAME_LINK_LOOP;
	s.family = inet6_obsd_be;
	build(&p, &s);
	expect_refusal(FRAME_LINK_LOOP, &p, p.len, "IPv6");
	s.family = unix_be;
	build(&p, &s);
	expect_refusal(FRAME_LINK_LOOP, &p, p.len, "not IPv4");
}

static void
test_refuse_raw_version(void **state)
{
	struct pkt	p;

	rip_ipv4(&p, NO_ENCAP, 0);
	p.b[0] = 0x60;
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "IPv6");
	p.b[0] = 0x55;
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "not IP");
	p.b[0] = 0x45;
	expect_refusal(FRAME_LINK_RAW, &p, 19, "truncated IPv4 header");
	expect_refusal(FRAME_LINK_RAW, &p, 1, "truncated IPv4 header");
}

static void
test_refuse_ipv4_header(void **state)
{
	struct pkt	p;

	/* An IPv4 ethertype whose packet is not version 4. */
	rip_ipv4(&p, NO_ENCAP, 0);
	p.b[0] = 0x65;
	add_ethernet(&p, ETHERTYPE_IPV4, 0);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "bad IPv4 version");

	rip_ipv4(&p, NO_ENCAP, 0);
	p.b[0] = 0x44;
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "bad IPv4 header length");

	rip_ipv4(&p, NO_ENCAP, 8);
	expect_refusal(FRAME_LINK_RAW, &p, IP_HDR + 4,
	    "truncated IPv4 options");
	p.b[0] = 0x4f;		/* claims 60 bytes of header */
	put16(p.b + 2, 60);
	expect_refusal(FRAME_LINK_RAW, &p, 59, "truncated IPv4 options");

	rip_ipv4(&p, NO_ENCAP, 4);
	put16(p.b + 2, IP_HDR + 3);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "bad IPv4 total length");
	put16(p.b + 2, 0);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "bad IPv4 total length");
}

static void
test_refuse_fragment(void **state)
{
	struct pkt	p;

	rip_payload(&p);
	add_udp(&p, RIP_PORT, RIP_PORT);
	add_ipv4(&p, 17, RIP_SRC, RIP_GROUP, 0, 0x2000);	/* MF */
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "fragment");
	put16(p.b + 6, 0x0001);		/* offset 8, last */
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "fragment");
	put16(p.b + 6, 0x5fff);		/* DF and an offset */
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "fragment");

	/* A fragmented tunnel packet is refused before its inside is read. */
	rip_ipv4(&p, NO_ENCAP, 0);
	add_ipv4(&p, 4, OUTER_SRC, OUTER_DST, 0, 0x2000);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "fragment");
}

static void
test_refuse_protocol(void **state)
{
	struct pkt	p;

	rip_payload(&p);
	add_udp(&p, RIP_PORT, RIP_PORT);
	add_ipv4(&p, 6, RIP_SRC, RIP_GROUP, 0, 0);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "not UDP");

	/* Inside the tunnel too. */
	add_ipv4(&p, 4, OUTER_SRC, OUTER_DST, 0, 0);
	add_ethernet(&p, ETHERTYPE_IPV4, 0);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "not UDP");

	rip_ipv4(&p, ENCAP, 0);
	add_ipv4(&p, 4, OUTER_DST, OUTER_SRC, 0, 0);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "nested IPENCAP");
}

static void
test_refuse_udp(void **state)
{
	struct frame_udp	 u;
	struct pkt		 p;
	size_t			 udp_off = ETH_HDR + IP_HDR;
	uint8_t			*copy;

	rip_ipv4(&p, NO_ENCAP, 0);
	add_ethernet(&p, ETHERTYPE_IPV4, 0);
	expect_refusal(FRAME_LINK_ETHERNET, &p, udp_off + 7,
	    "truncated UDP header");
	put16(p.b + udp_off + 4, 7);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "bad UDP length");
	put16(p.b + udp_off + 4, 0);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len, "bad UDP length");
	put16(p.b + udp_off + 4, (unsigned int)(p.len - udp_off + 1));
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len,
	    "truncated UDP datagram");
	put16(p.b + udp_off + 4, 0xffff);
	expect_refusal(FRAME_LINK_ETHERNET, &p, p.len,
	    "truncated UDP datagram");

	/* A UDP length within the frame but beyond the IPv4 total length. */
	rip_ipv4(&p, NO_ENCAP, 0);
	put16(p.b + 2, (unsigned int)p.len - 1);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "truncated UDP datagram");

	/* The outer total length bounds the inner packet. */
	rip_ipv4(&p, ENCAP, 0);
	put16(p.b + 2, IP_HDR + IP_HDR + 4);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "truncated UDP header");
	put16(p.b + 2, IP_HDR + 10);
	expect_refusal(FRAME_LINK_RAW, &p, p.len, "truncated IPv4 header");

	/* A UDP length shorter than the datagram: the rest is ignored. */
	rip_ipv4(&p, NO_ENCAP, 0);
	put16(p.b + IP_HDR + 4, UDP_HDR + 4);
	assert_null(decode_copy(FRAME_LINK_RAW, p.b, p.len, &u, &copy));
	assert_int_equal(u.len, 4);
	assert_true(u.payload == copy + IP_HDR + UDP_HDR);
	free(copy);
}

static const struct shape shapes[] = {
	{ FRAME_LINK_ETHERNET, 0, NO_ENCAP, 0, NULL },
	{ FRAME_LINK_ETHERNET, 0, ENCAP, 0, NULL },
	{ FRAME_LINK_ETHERNET, 1, ENCAP, 4, NULL },
	{ FRAME_LINK_ETHERNET, 2, NO_ENCAP, 0, NULL },
	{ FRAME_LINK_RAW, 0, NO_ENCAP, 0, NULL },
	{ FRAME_LINK_RAW, 0, ENCAP, 40, NULL },
	{ FRAME_LINK_NULL, 0, ENCAP, 0, family_le },
	{ FRAME_LINK_NULL, 0, NO_ENCAP, 8, family_be },
	{ FRAME_LINK_LOOP, 0, ENCAP, 0, family_be },
	{ FRAME_LINK_SLL, 0, ENCAP, 0, NULL },
	{ FRAME_LINK_SLL, 1, NO_ENCAP, 0, NULL },
};
#define NSHAPES	(sizeof(shapes) / sizeof(shapes[0]))

/* Every proper prefix of a valid frame is refused; the whole one is not. */
static void
test_every_truncation(void **state)
{
	struct frame_udp	 u;
	struct pkt		 p;
	const char		*why;
	uint8_t			*copy;
	size_t			 i, n;

	for (i = 0; i < NSHAPES; i++) {
		build(&p, &shapes[i]);
		for (n = 0; n < p.len; n++) {
			why = decode_copy(shapes[i].link, p.b, n, &u, &copy);
			if (why == NULL)
				fail_msg("shape %zu cut to %zu of %zu bytes "
				    "accepted", i, n, p.len);
			free(copy);
		}
		why = decode_copy(shapes[i].link, p.b, p.len, &u, &copy);
		assert_null(why);
		check_rip(&u, copy, p.len);
		free(copy);
	}
}

/* xorshift64: a fixed sequence, so a failure can be replayed. */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Valid frames with a few bytes changed and a random capture length: when
 * one is accepted, the datagram it names must lie inside the capture.
 */
static void
test_mutations_stay_in_bounds(void **state)
{
	struct frame_udp	 u;
	struct pkt		 p;
	const char		*why;
	uint64_t		 seed = 0x44d00d44beefULL;
	uint8_t			*copy;
	size_t			 len;
	int			 i, j, flips, accepted = 0, refused = 0;

	for (i = 0; i < 40000; i++) {
		const struct shape	*s;

		s = &shapes[next_random(&seed) % NSHAPES];
		build(&p, s);
		flips = 1 + (int)(next_random(&seed) % 4);
		for (j = 0; j < flips; j++) {
			/* Headers are where the decisions are: aim there. */
			size_t	at = next_random(&seed) % 80;

			if (at < p.len)
				p.b[at] = (uint8_t)next_random(&seed);
		}
		len = p.len;
		if (next_random(&seed) % 2 == 0)
			len = next_random(&seed) % (p.len + 1);
		why = decode_copy(s->link, p.b, len, &u, &copy);
		if (why == NULL) {
			accepted++;
			assert_true(u.payload >= copy + IP_HDR + UDP_HDR);
			assert_true(u.payload <= copy + len);
			assert_true(u.len <= (size_t)(copy + len - u.payload));
		} else {
			refused++;
			assert_true(strlen(why) > 0);
		}
		free(copy);
	}
	/* Both outcomes must have been exercised for the bounds to mean it. */
	assert_true(accepted > 0);
	assert_true(refused > 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_ethernet_ipencap),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_null_either_order),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ethernet_padding),
		cmocka_unit_test(test_total_length_beyond_capture),
		cmocka_unit_test(test_dont_fragment_is_fine),
		cmocka_unit_test(test_refuse_link),
		cmocka_unit_test(test_refuse_ethertype),
		cmocka_unit_test(test_refuse_family),
		cmocka_unit_test(test_refuse_raw_version),
		cmocka_unit_test(test_refuse_ipv4_header),
		cmocka_unit_test(test_refuse_fragment),
		cmocka_unit_test(test_refuse_protocol),
		cmocka_unit_test(test_refuse_udp),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_mutations_stay_in_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
