/*
 * Finding the UDP datagram in a captured frame.  Captures are untrusted
 * input (and fuzzed): every read is preceded by a length check against
 * what is left, and each refusal has its own short name.
 *
 * Decisions:
 * - IPv4 header and UDP checksums are not checked: captures taken on the
 *   sending host carry offloaded (unfilled) checksums.
 * - The IPv4 total length bounds the datagram (Ethernet pads short
 *   frames); a capture cut short by the snap length leaves less, and the
 *   UDP length check then refuses it.
 * - One level of IPENCAP is unwrapped, as amprgw sends; deeper nesting is
 *   refused rather than followed.
 */
#include <string.h>

#include "frame.h"
#include "wire.h"

#define ETHER_ADDRS_LEN		12	/* destination and source */
#define ETHERTYPE_LEN		2
#define VLAN_TAG_LEN		4	/* TCI and the next ethertype */
#define SLL_HDR_LEN		16
#define SLL_PROTOCOL_OFF	14
#define FAMILY_HDR_LEN		4	/* null and loop */

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_8021Q		0x8100
#define ETHERTYPE_8021AD	0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100	/* pre-802.1ad stacked tag */

#define FAMILY_INET		2	/* AF_INET on every capturing OS */
/* AF_INET6 differs: OpenBSD and NetBSD, FreeBSD, macOS. */
#define FAMILY_INET6_BSD	24
#define FAMILY_INET6_FREEBSD	28
#define FAMILY_INET6_DARWIN	30

#define IPV4_MIN_HDR_LEN	20
#define IPV4_FLAG_MF		0x2000
#define IPV4_OFFSET_MASK	0x1fff
#define PROTO_IPENCAP		4
#define PROTO_UDP		17
#define UDP_HDR_LEN		8



static int
is_inet6(uint32_t family)
{
	return family == FAMILY_INET6_BSD || family == FAMILY_INET6_FREEBSD ||
	    family == FAMILY_INET6_DARWIN;
}

/* family as read in network order; either order is the capturer's. */
static int
swapped_is(uint32_t family, uint32_t want)
{
	return family == want || family == (want & 0xff) << 24;
}

static const char *
udp(const uint8_t *p, size_t len, struct frame_udp *out)
{
	size_t	ulen;

	if (len < UDP_HDR_LEN)
		return "truncated UDP header";
	ulen = get16(p + 4);
	if (ulen < UDP_HDR_LEN)
		return "bad UDP length";
	if (ulen > len)
		return "truncated UDP datagram";
	out->sport = get16(p);
	out->dport = get16(p + 2);
	out->payload = p + UDP_HDR_LEN;
	out->len = ulen - UDP_HDR_LEN;
	return NULL;
}

/* depth is 0 for the outer header, 1 inside IPENCAP. */
static const char *
ipv4(const uint8_t *p, size_t len, int depth, struct frame_udp *out)
{
	size_t		hlen, tlen;
	uint16_t	frag;
	uint32_t	src, dst;
	uint8_t		proto;

	if (len < IPV4_MIN_HDR_LEN)
		return "truncated IPv4 header";
	if (p[0] >> 4 != 4)
		return "bad IPv4 version";
	hlen = (size_t)(p[0] & 0x0f) * 4;
	if (hlen < IPV4_MIN_HDR_LEN)
		return "bad IPv4 header length";
	if (hlen > len)
		return "truncated IPv4 options";
	tlen = get16(p + 2);
	if (tlen < hlen)
		return "bad IPv4 total length";
	if (tlen < len)
		len = tlen;
	frag = get16(p + 6);
	if ((frag & IPV4_FLAG_MF) != 0 || (frag & IPV4_OFFSET_MASK) != 0)
		return "fragment";
	proto = p[9];
	src = get32(p + 12);
	dst = get32(p + 16);
	p += hlen;
	len -= hlen;

	switch (proto) {
	case PROTO_IPENCAP:
		if (depth > 0)
			return "nested IPENCAP";
		out->encapsulated = 1;
		out->outer_src = src;
		out->outer_dst = dst;
		return ipv4(p, len, depth + 1, out);
	case PROTO_UDP:
		out->src = src;
		out->dst = dst;
		return udp(p, len, out);
	default:
		return "not UDP";
	}
}

/* p points just after an ethertype whose value is type. */
static const char *
ethertype(uint16_t type, const uint8_t *p, size_t len, struct frame_udp *out)
{
	while (type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD ||
	    type == ETHERTYPE_QINQ_OLD) {
		if (len < VLAN_TAG_LEN)
			return "truncated VLAN tag";
		type = get16(p + 2);
		p += VLAN_TAG_LEN;
		len -= VLAN_TAG_LEN;
	}
	if (type == ETHERTYPE_IPV6)
		return "IPv6";
	if (type != ETHERTYPE_IPV4)
		return "not IPv4";
	return ipv4(p, len, 0, out);
}

const char *
frame_udp(int linktype, const uint8_t *frame, size_t caplen,
    struct frame_udp *out)
{
	const size_t	ethhdr = ETHER_ADDRS_LEN + ETHERTYPE_LEN;
	const uint8_t	*f = frame;
	uint32_t	 family;

	memset(out, 0, sizeof(*out));
	if (frame == NULL)
		caplen = 0;

	switch (linktype) {
	case FRAME_LINK_ETHERNET:
		if (caplen < ethhdr)
			return "truncated Ethernet header";
		return ethertype(get16(f + ETHER_ADDRS_LEN), f + ethhdr,
		    caplen - ethhdr, out);
	case FRAME_LINK_SLL:
		if (caplen < SLL_HDR_LEN)
			return "truncated cooked header";
		return ethertype(get16(f + SLL_PROTOCOL_OFF), f + SLL_HDR_LEN,
		    caplen - SLL_HDR_LEN, out);
	case FRAME_LINK_RAW:
		if (caplen < 1)
			return "truncated IPv4 header";
		if (f[0] >> 4 == 6)
			return "IPv6";
		if (f[0] >> 4 != 4)
			return "not IP";
		return ipv4(f, caplen, 0, out);
	case FRAME_LINK_NULL:
		if (caplen < FAMILY_HDR_LEN)
			return "truncated family header";
		/* Host order of whichever machine captured it. */
		family = get32(f);
		if (swapped_is(family, FAMILY_INET6_BSD) ||
		    swapped_is(family, FAMILY_INET6_FREEBSD) ||
		    swapped_is(family, FAMILY_INET6_DARWIN))
			return "IPv6";
		if (!swapped_is(family, FAMILY_INET))
			return "not IPv4";
		return ipv4(f + FAMILY_HDR_LEN, caplen - FAMILY_HDR_LEN, 0,
		    out);
	case FRAME_LINK_LOOP:
		if (caplen < FAMILY_HDR_LEN)
			return "truncated family header";
		family = get32(f);
		if (is_inet6(family))
			return "IPv6";
		if (family != FAMILY_INET)
			return "not IPv4";
		return ipv4(f + FAMILY_HDR_LEN, caplen - FAMILY_HDR_LEN, 0,
		    out);
	default:
		return "unsupported link type";
	}
}
