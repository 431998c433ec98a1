/*
 * Finding the RIP44 datagram in a captured frame: link layer (Ethernet with
 * 802.1Q tags, raw IPv4, BSD null and loop, Linux cooked), IPv4 with
 * options, IPENCAP unwrapped, UDP.  A pure function, so that every capture
 * format is tested without libpcap.
 */
#ifndef FRAME_H
#define FRAME_H

#include <stddef.h>
#include <stdint.h>

/* Link types, numbered as pcap's LINKTYPE_ values in a file header. */
#define FRAME_LINK_NULL		0	/* BSD loopback, host-order family */
#define FRAME_LINK_ETHERNET	1
#define FRAME_LINK_RAW		101	/* raw IPv4/IPv6 */
#define FRAME_LINK_LOOP		108	/* OpenBSD loop, network-order family */
#define FRAME_LINK_SLL		113	/* Linux cooked */

struct frame_udp {
	uint32_t	src;		/* inner IPv4 source, host order */
	uint32_t	dst;
	uint16_t	sport;
	uint16_t	dport;
	const uint8_t	*payload;	/* points into the frame */
	size_t		len;
	int		encapsulated;	/* was inside IPENCAP */
	uint32_t	outer_src;	/* IPENCAP outer addresses */
	uint32_t	outer_dst;
};

/*
 * Returns NULL and fills out when the frame holds a UDP datagram, or a
 * short reason why it was skipped ("not IPv4", "truncated IPv4 header",
 * "fragment", "not UDP", "unsupported link type", ...).  linktype is one of
 * the FRAME_LINK_ values (replay maps libpcap's DLT_ values onto them).
 */
const char	*frame_udp(int linktype, const uint8_t *frame, size_t caplen,
		    struct frame_udp *out);

#endif /* FRAME_H */
