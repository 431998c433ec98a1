/*
 * mkpcap: builds the project's regression captures from a script, so that
 * every capture in the tree can be rebuilt and reviewed as text.  Output is
 * deterministic: the clock is set by the script and the only randomness is
 * the seeded generator of "generate".
 *
 * usage: mkpcap [-t] [-o out.pcap] scriptfile
 *	-o	write the capture there (default standard output; "-" too)
 *	-t	print the final table as ripsend input (PREFIX GATEWAY
 *		[METRIC]) on standard output; no capture unless -o is given
 *	scriptfile "-" is standard input.
 *
 * Script: one command a line, words separated by blanks, '#' to the end of
 * a line is a comment.
 *
 *   link TYPE		ethernet, ethernet-vlan (one 802.1Q tag),
 *			ethernet-qinq (802.1ad then 802.1Q), raw, null
 *			(family little endian), null-be, loop, sll.  At most
 *			once, before the first packet; default ethernet.
 *   time SEC[.FRAC]	set the clock (seconds since the epoch, microsecond
 *			resolution; default 1500000000).  May go backwards.
 *   gap SEC[.FRAC]	added to the clock after every packet (default 0.01)
 *   advance SEC[.FRAC]	move the clock forward
 *   source ADDR PORT	IPv4 source and UDP source port of the datagrams
 *			(default 44.0.0.1 520)
 *   dest ADDR PORT	destination (default 224.0.0.9 520)
 *   encap SRC DST	wrap the following datagrams in IPENCAP from SRC to
 *			DST, as amprgw does; "encap off" stops
 *   ttl N		TTL of the datagrams, 1..255 (default 1); IPENCAP
 *			outer headers have 64
 *   password TEXT	at most 16 bytes (default the well-known one)
 *   tag N		route tag of the entries sent (default 4)
 *   snaplen N		capture only the first N bytes of each following
 *			frame, 0 for whole frames (default 0)
 *   route PREFIX GATEWAY [METRIC]	add to the table, or change the route
 *			of that prefix; METRIC 1..16, default 1
 *   unroute PREFIX	drop from the table
 *   clear		empty the table
 *   generate SEED NROUTES NGATEWAYS	replace the table with a synthetic
 *			one shaped like the real AMPRNet table (see below)
 *   send		the table as RIP44 responses of 24 routes each,
 *			authentication entry first
 *   raw [HEX ...]	one datagram with exactly this UDP payload (byte
 *			pairs, blanks between pairs allowed)
 *   entry FAMILY ADDR MASK NEXTHOP METRIC	one response holding only
 *			this entry, written as given (FAMILY decimal or 0x
 *			hex, METRIC any 32-bit value): bad entry tests
 *   noise [KIND]	a packet replay must skip: tcp (default; a TCP SYN
 *			between documentation addresses), udp (a DNS query
 *			from the current source), fragment (the first
 *			fragment of a RIP44 datagram, current source and
 *			encapsulation), ipv6 (RIPng to ff02::9), arp
 *			(Ethernet and cooked links only)
 *   dump		print the table now, as -t does at the end
 *
 * Every packet is stamped with the clock, which then moves on by the gap.
 *
 * The generated table: NROUTES routes via exactly NGATEWAYS gateways, in
 * the proportions of the 2017 AMPRNet table (531 routes via 353 gateways:
 * 118 /32s, 63 /29s nested in a /24 of another gateway, one gateway with
 * 21 subnets, prefix lengths /15 to /32), all inside 44.0.0.0/9 and
 * 44.128.0.0/10, never covering 44.0.0.0/24 (amprgw).  Gateways are
 * public unicast addresses; about one in 25 lies inside 44/8 but outside
 * every advertised prefix.  No prefixes overlap but the nested pairs.
 * When the space runs out (huge tables) a prefix falls back to a longer
 * length.
 */
#include <sys/types.h>
#include <sys/time.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap.h>

#include "addr.h"
#include "rip.h"
#include "wire.h"

#define DEFAULT_TIME		1500000000ULL
#define DEFAULT_GAP_USEC	10000ULL
#define DEFAULT_SOURCE		0x2c000001U	/* 44.0.0.1 */
#define RIP44_TAG		4
#define USEC			1000000ULL
#define PCAP_SNAPLEN		65535
#define OUTER_TTL		64

#define IPV4_HDR_LEN		20
#define IPV6_HDR_LEN		40
#define UDP_HDR_LEN		8
#define TCP_HDR_LEN		20
#define IPV4_MAX_LEN		65535
#define FRAME_MAX		(IPV4_MAX_LEN + 64)

#define IPPROTO_IPENCAP_NUM	4
#define IPPROTO_TCP_NUM		6
#define IPPROTO_UDP_NUM		17
#define IPV4_FLAG_MF		0x2000

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_ARP		0x0806
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_8021Q		0x8100
#define ETHERTYPE_8021AD	0x88a8
#define FAMILY_INET		2
#define FAMILY_INET6		24	/* OpenBSD and NetBSD */

#define DOC_HOST_A		0xc0000201U	/* 192.0.2.1 */
#define DOC_HOST_B		0xc0000202U	/* 192.0.2.2 */

/* The generated table's shape: the 2017 table's counts. */
#define REAL_ROUTES		531
#define REAL_HOSTS		118
#define REAL_NESTED		63
#define REAL_BIGGEST		21
#define GEN_MAX_ROUTES		65536
#define GEN_PLACE_TRIES		64
#define GEN_BUDGET		((1U << 23) + (1U << 22)) / 2

#define NET44			0x2c000000U
#define NET44_SIZE		(1U << 24)

enum link {
	LINK_ETHERNET,
	LINK_ETHERNET_VLAN,
	LINK_ETHERNET_QINQ,
	LINK_RAW,
	LINK_NULL,
	LINK_NULL_BE,
	LINK_LOOP,
	LINK_SLL
};

/*
 * A capture must name its link type by the LINKTYPE_ number to read the
 * same everywhere.  libpcap since 0.8 maps DLT_ values onto those when it
 * writes a file; OpenBSD's writes whatever it is given (and has no
 * DLT_LINUX_SLL), so it gets the LINKTYPE_ number itself.
 */
#ifdef __OpenBSD__
#define FILE_LINK(dlt, linktype)	(linktype)
#else
#define FILE_LINK(dlt, linktype)	(dlt)
#endif
#define FILE_EN10MB	FILE_LINK(DLT_EN10MB, 1)
#define FILE_RAW	FILE_LINK(DLT_RAW, 101)
#define FILE_NULL	FILE_LINK(DLT_NULL, 0)
#define FILE_LOOP	FILE_LINK(DLT_LOOP, 108)
#define FILE_SLL	FILE_LINK(DLT_LINUX_SLL, 113)

static const struct {
	const char	*name;
	enum link	 link;
	int		 dlt;
} links[] = {
	{ "ethernet",		LINK_ETHERNET,		FILE_EN10MB },
	{ "ethernet-vlan",	LINK_ETHERNET_VLAN,	FILE_EN10MB },
	{ "ethernet-qinq",	LINK_ETHERNET_QINQ,	FILE_EN10MB },
	{ "raw",		LINK_RAW,		FILE_RAW },
	{ "null",		LINK_NULL,		FILE_NULL },
	{ "null-be",		LINK_NULL_BE,		FILE_NULL },
	{ "loop",		LINK_LOOP,		FILE_LOOP },
	{ "sll",		LINK_SLL,		FILE_SLL },
};
#define NLINKS	(sizeof(links) / sizeof(links[0]))

struct route {
	uint32_t	addr;
	int		len;
	uint32_t	gateway;
	uint32_t	metric;
};

struct script {
	const char	*file;
	unsigned long	 lineno;
	const char	*outpath;	/* NULL: standard output */
	int		 want_capture;
	int		 dump_ok;	/* stdout is not the capture */

	size_t		 link;		/* index into links[] */
	int		 link_set;
	pcap_t		*pcap;
	pcap_dumper_t	*dumper;
	unsigned long	 npackets;

	uint64_t	 now;		/* microseconds since the epoch */
	uint64_t	 gap;
	uint32_t	 src;
	uint16_t	 sport;
	uint32_t	 dst;
	uint16_t	 dport;
	int		 encap;
	uint32_t	 encap_src;
	uint32_t	 encap_dst;
	uint8_t		 ttl;
	char		 password[RIP_PASSWORD_LEN + 1];
	uint16_t	 tag;
	size_t		 snaplen;
	uint16_t	 ipid;

	struct route	*table;
	size_t		 ntable;
	size_t		 tablecap;

	char		*line;		/* the line being run, as words */
	size_t		 linecap;
	char		**words;
	size_t		 wordcap;
};

static struct script	*current;	/* for errors: to remove the output */

static void
remove_output(void)
{
	if (current != NULL && current->dumper != NULL &&
	    current->outpath != NULL) {
		pcap_dump_close(current->dumper);
		current->dumper = NULL;
		unlink(current->outpath);
	}
}

static __attribute__((__noreturn__, __format__(__printf__, 1, 2))) void
die(const char *fmt, ...)
{
	va_list	ap;

	fputs("mkpcap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	remove_output();
	exit(1);
}

/* A refusal naming the script line. */
static __attribute__((__noreturn__, __format__(__printf__, 2, 3))) void
bad(const struct script *sc, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "mkpcap: %s:%lu: ", sc->file, sc->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	remove_output();
	exit(1);
}

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr,
	    "usage: mkpcap [-t] [-o out.pcap] scriptfile\n"
	    "  -o  capture file (default standard output)\n"
	    "  -t  print the final table as ripsend input\n"
	    "script commands, one a line, # comments:\n"
	    "  link ethernet|ethernet-vlan|ethernet-qinq|raw|null|null-be|"
	    "loop|sll\n"
	    "  time SEC[.FRAC]   gap SEC[.FRAC]   advance SEC[.FRAC]\n"
	    "  source ADDR PORT   dest ADDR PORT   encap SRC DST | encap off\n"
	    "  ttl N   password TEXT   tag N   snaplen N\n"
	    "  route PREFIX GATEWAY [METRIC]   unroute PREFIX   clear\n"
	    "  generate SEED NROUTES NGATEWAYS   send   dump\n"
	    "  raw [HEX ...]   entry FAMILY ADDR MASK NEXTHOP METRIC\n"
	    "  noise [tcp|udp|fragment|ipv6|arp]\n");
	exit(1);
}



static uint64_t
arg_number(const struct script *sc, const char *what, const char *s,
    uint64_t min, uint64_t max)
{
	unsigned long	v;

	if (parse_uint(s, max, &v) == -1 || v < min)
		bad(sc, "bad %s \"%s\" (%llu to %llu)", what, s,
		    (unsigned long long)min, (unsigned long long)max);
	return v;
}

static uint32_t
arg_addr(const struct script *sc, const char *what, const char *s)
{
	uint32_t	a;

	if (parse_addr(s, &a) == -1)
		bad(sc, "bad %s \"%s\"", what, s);
	return a;
}

/* SEC[.FRAC] with up to 6 fraction digits, as microseconds. */
static uint64_t
arg_seconds(const struct script *sc, const char *s)
{
	char		 whole[16];
	const char	*dot;
	unsigned long	 sec;
	uint64_t	 usec = 0;
	size_t		 n, i;

	dot = strchr(s, '.');
	n = dot == NULL ? strlen(s) : (size_t)(dot - s);
	if (n == 0 || n >= sizeof(whole))
		bad(sc, "bad seconds \"%s\"", s);
	memcpy(whole, s, n);
	whole[n] = '\0';
	if (parse_uint(whole, UINT32_MAX, &sec) == -1)
		bad(sc, "bad seconds \"%s\"", s);
	if (dot != NULL) {
		n = strlen(dot + 1);
		if (n == 0 || n > 6)
			bad(sc, "bad fraction in \"%s\" (1 to 6 digits)", s);
		for (i = 0; i < 6; i++) {
			usec *= 10;
			if (i >= n)
				continue;
			if (dot[1 + i] < '0' || dot[1 + i] > '9')
				bad(sc, "bad seconds \"%s\"", s);
			usec += (uint64_t)(dot[1 + i] - '0');
		}
	}
	return (uint64_t)sec * USEC + usec;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Internet checksum of a buffer, continuing from sum. */
static uint32_t
sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len % 2 != 0)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold_sum(uint32_t sum)
{
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Checksum over the IPv4 pseudo header and a transport segment. */
static uint16_t
ipv4_l4_sum(uint32_t src, uint32_t dst, unsigned int proto,
    const uint8_t *seg, size_t len)
{
	uint8_t		pseudo[12];
	uint32_t	sum;

	put32(pseudo, src);
	put32(pseudo + 4, dst);
	pseudo[8] = 0;
	pseudo[9] = (uint8_t)proto;
	put16(pseudo + 10, (unsigned int)len);
	sum = sum_bytes(sum_bytes(0, pseudo, sizeof(pseudo)), seg, len);
	return fold_sum(sum);
}

/* Writes an IPv4 header for payload_len bytes of protocol proto. */
static void
ipv4_header(struct script *sc, uint8_t *h, unsigned int proto, uint32_t src,
    uint32_t dst, uint8_t ttl, size_t payload_len, unsigned int frag)
{
	memset(h, 0, IPV4_HDR_LEN);
	h[0] = 0x45;
	put16(h + 2, (unsigned int)(IPV4_HDR_LEN + payload_len));
	put16(h + 4, sc->ipid++);
	put16(h + 6, frag);
	h[8] = ttl;
	h[9] = (uint8_t)proto;
	put32(h + 12, src);
	put32(h + 16, dst);
	put16(h + 10, fold_sum(sum_bytes(0, h, IPV4_HDR_LEN)));
}

static void
open_capture(struct script *sc)
{
	char	errbuf[PCAP_ERRBUF_SIZE];

	sc->pcap = pcap_open_dead(links[sc->link].dlt, PCAP_SNAPLEN);
	if (sc->pcap == NULL)
		die("pcap_open_dead failed");
	sc->dumper = pcap_dump_open(sc->pcap,
	    sc->outpath == NULL ? "-" : sc->outpath);
	if (sc->dumper == NULL) {
		snprintf(errbuf, sizeof(errbuf), "%s", pcap_geterr(sc->pcap));
		die("%s: %s", sc->outpath == NULL ? "stdout" : sc->outpath,
		    errbuf);
	}
}

/* Stamps and stores one frame, then moves the clock on by the gap. */
static void
write_frame(struct script *sc, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr	hdr;

	if (sc->now / USEC > UINT32_MAX)
		bad(sc, "clock beyond what a capture can store");
	sc->npackets++;
	if (sc->want_capture) {
		if (sc->dumper == NULL)
			open_capture(sc);
		memset(&hdr, 0, sizeof(hdr));
		/* OpenBSD's ts is a struct bpf_timeval: no casts. */
		hdr.ts.tv_sec = sc->now / USEC;
		hdr.ts.tv_usec = sc->now % USEC;
		hdr.len = (bpf_u_int32)len;
		hdr.caplen = (bpf_u_int32)(sc->snaplen != 0 &&
		    sc->snaplen < len ? sc->snaplen : len);
		pcap_dump((u_char *)sc->dumper, &hdr, frame);
	}
	sc->now += sc->gap;
}

static void
mac_for(uint8_t *mac, uint32_t dst)
{
	static const uint8_t	made_up[6] = { 0x02, 0x44, 0, 0, 0, 0x02 };

	/* IPv4 multicast maps onto 01:00:5e and the group's low 23 bits. */
	if ((dst & 0xf0000000U) == 0xe0000000U) {
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = (uint8_t)(dst >> 16 & 0x7f);
		mac[4] = (uint8_t)(dst >> 8);
		mac[5] = (uint8_t)dst;
	} else
		memcpy(mac, made_up, sizeof(made_up));
}

/*
 * Puts the link header for a packet of the given ethertype in front of
 * pkt and writes the frame.  dstmac is the Ethernet destination.
 */
static void
emit_link(struct script *sc, unsigned int ethertype, const uint8_t *dstmac,
    const uint8_t *pkt, size_t len)
{
	static const uint8_t	 srcmac[6] = { 0x02, 0x44, 0, 0, 0, 0x01 };
	static uint8_t		 frame[FRAME_MAX];
	uint8_t			*p = frame;
	uint32_t		 family;
	int			 multicast = dstmac[0] & 1;

	switch (links[sc->link].link) {
	case LINK_ETHERNET:
	case LINK_ETHERNET_VLAN:
	case LINK_ETHERNET_QINQ:
		memcpy(p, dstmac, 6);
		memcpy(p + 6, srcmac, 6);
		p += 12;
		if (links[sc->link].link == LINK_ETHERNET_QINQ) {
			put16(p, ETHERTYPE_8021AD);
			put16(p + 2, 100);
			p += 4;
		}
		if (links[sc->link].link != LINK_ETHERNET) {
			put16(p, ETHERTYPE_8021Q);
			put16(p + 2, 44);
			p += 4;
		}
		put16(p, ethertype);
		p += 2;
		break;
	case LINK_SLL:
		/* Packet type: 1 broadcast, 2 multicast, 0 to us. */
		memset(p, 0, 16);
		put16(p, memcmp(dstmac, "\xff\xff\xff\xff\xff\xff", 6) == 0 ?
		    1 : multicast ? 2 : 0);
		put16(p + 2, 1);		/* ARPHRD_ETHER */
		put16(p + 4, 6);
		memcpy(p + 6, srcmac, 6);
		put16(p + 14, ethertype);
		p += 16;
		break;
	case LINK_RAW:
		if (ethertype == ETHERTYPE_ARP)
			bad(sc, "ARP needs an Ethernet or cooked link");
		break;
	case LINK_NULL:
	case LINK_NULL_BE:
	case LINK_LOOP:
		if (ethertype == ETHERTYPE_ARP)
			bad(sc, "ARP needs an Ethernet or cooked link");
		family = ethertype == ETHERTYPE_IPV6 ? FAMILY_INET6 :
		    FAMILY_INET;
		if (links[sc->link].link == LINK_NULL) {
			/* As an amd64 writes its host order. */
			p[0] = (uint8_t)family;
			p[1] = p[2] = p[3] = 0;
		} else
			put32(p, family);
		p += 4;
		break;
	}
	memcpy(p, pkt, len);
	write_frame(sc, frame, (size_t)(p - frame) + len);
}

/*
 * An IPv4 packet carrying seg (already holding its transport header), in
 * IPENCAP when that is on and tunnel is set.
 */
static void
emit_ipv4(struct script *sc, unsigned int proto, uint32_t src, uint32_t dst,
    int tunnel, const uint8_t *seg, size_t seglen, unsigned int frag)
{
	static uint8_t	pkt[IPV4_MAX_LEN];
	uint8_t		mac[6];
	size_t		off = 0, outer;

	outer = tunnel && sc->encap ? IPV4_HDR_LEN : 0;
	if (outer + IPV4_HDR_LEN + seglen > IPV4_MAX_LEN)
		bad(sc, "packet of %zu bytes too long for IPv4",
		    outer + IPV4_HDR_LEN + seglen);
	if (outer != 0) {
		ipv4_header(sc, pkt, IPPROTO_IPENCAP_NUM, sc->encap_src,
		    sc->encap_dst, OUTER_TTL, IPV4_HDR_LEN + seglen, 0);
		off = IPV4_HDR_LEN;
	}
	ipv4_header(sc, pkt + off, proto, src, dst,
	    tunnel ? sc->ttl : OUTER_TTL, seglen, frag);
	memcpy(pkt + off + IPV4_HDR_LEN, seg, seglen);
	mac_for(mac, outer != 0 ? sc->encap_dst : dst);
	emit_link(sc, ETHERTYPE_IPV4, mac, pkt, off + IPV4_HDR_LEN + seglen);
}

/* Builds a UDP segment; the checksum covers the whole datagram. */
static size_t
udp_segment(uint8_t *seg, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, const uint8_t *payload, size_t len)
{
	uint16_t	sum;

	put16(seg, sport);
	put16(seg + 2, dport);
	put16(seg + 4, (unsigned int)(UDP_HDR_LEN + len));
	put16(seg + 6, 0);
	memcpy(seg + UDP_HDR_LEN, payload, len);
	sum = ipv4_l4_sum(src, dst, IPPROTO_UDP_NUM, seg, UDP_HDR_LEN + len);
	put16(seg + 6, sum == 0 ? 0xffff : sum);
	return UDP_HDR_LEN + len;
}

/* One datagram from the current source to the current destination. */
static void
emit_datagram(struct script *sc, const uint8_t *payload, size_t len)
{
	static uint8_t	seg[IPV4_MAX_LEN];

	if (len > IPV4_MAX_LEN - IPV4_HDR_LEN - UDP_HDR_LEN)
		bad(sc, "datagram of %zu bytes too long for IPv4", len);
	udp_segment(seg, sc->src, sc->sport, sc->dst, sc->dport, payload,
	    len);
	emit_ipv4(sc, IPPROTO_UDP_NUM, sc->src, sc->dst, 1, seg,
	    UDP_HDR_LEN + len, 0);
}

static void
fill_entry(const struct script *sc, const struct route *r,
    struct rip_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->tag = sc->tag;
	e->addr = r->addr;
	e->mask = addr_mask(r->len);
	e->nexthop = r->gateway;
	e->metric = r->metric;
}

static void
cmd_send(struct script *sc, int argc, char **argv)
{
	struct rip_entry	e[RIP_MAX_ROUTES];
	uint8_t			buf[RIP_MAX_LEN];
	size_t			i, len;
	int			n = 0;

	if (sc->ntable == 0)
		bad(sc, "send with an empty table");
	for (i = 0; i < sc->ntable; i++) {
		fill_entry(sc, &sc->table[i], &e[n++]);
		if (n < RIP_MAX_ROUTES && i + 1 < sc->ntable)
			continue;
		len = rip_encode(buf, sizeof(buf), sc->password, e, n);
		if (len == 0)
			bad(sc, "cannot encode a datagram");
		emit_datagram(sc, buf, len);
		n = 0;
	}
}

static void
cmd_raw(struct script *sc, int argc, char **argv)
{
	static uint8_t	 buf[IPV4_MAX_LEN];
	size_t		 len = 0;
	const char	*s;
	int		 i, hi, lo;

	for (i = 1; i < argc; i++) {
		if (strlen(argv[i]) % 2 != 0)
			bad(sc, "odd number of hex digits in \"%s\"", argv[i]);
		for (s = argv[i]; *s != '\0'; s += 2) {
			hi = hex_value(s[0]);
			lo = hex_value(s[1]);
			if (hi < 0 || lo < 0)
				bad(sc, "bad hex byte \"%.2s\"", s);
			if (len == sizeof(buf))
				bad(sc, "raw datagram too long");
			buf[len++] = (uint8_t)(hi << 4 | lo);
		}
	}
	emit_datagram(sc, buf, len);
}

static void
cmd_entry(struct script *sc, int argc, char **argv)
{
	struct rip_entry	 e;
	uint8_t			 buf[RIP_MAX_LEN];
	uint64_t		 family, metric;
	size_t			 len;
	const char		*f = argv[1];
	int			 ok;

	if (strncmp(f, "0x", 2) == 0 || strncmp(f, "0X", 2) == 0) {
		ok = strlen(f) > 2 && strlen(f) <= 6;
		family = 0;
		for (f += 2; ok && *f != '\0'; f++) {
			if (hex_value(*f) < 0)
				ok = 0;
			else
				family = family << 4 | (uint64_t)hex_value(*f);
		}
		if (!ok)
			bad(sc, "bad family \"%s\"", argv[1]);
	} else
		family = arg_number(sc, "family", f, 0, 0xffff);
	memset(&e, 0, sizeof(e));
	e.tag = sc->tag;
	e.addr = arg_addr(sc, "address", argv[2]);
	e.mask = arg_addr(sc, "netmask", argv[3]);
	e.nexthop = arg_addr(sc, "next hop", argv[4]);
	metric = arg_number(sc, "metric", argv[5], 0, UINT32_MAX);
	e.metric = (uint32_t)metric;
	len = rip_encode(buf, sizeof(buf), sc->password, &e, 1);
	if (len == 0)
		bad(sc, "cannot encode a datagram");
	/* rip_encode turns family 0 into AF_INET: write it as given. */
	put16(buf + RIP_HEADER_LEN + RIP_ENTRY_LEN, (unsigned int)family);
	emit_datagram(sc, buf, len);
}

static void
noise_tcp(struct script *sc)
{
	uint8_t	seg[TCP_HDR_LEN];

	memset(seg, 0, sizeof(seg));
	put16(seg, 40000);
	put16(seg + 2, 179);
	put32(seg + 4, 0x44444444U);
	seg[12] = (TCP_HDR_LEN / 4) << 4;
	seg[13] = 0x02;				/* SYN */
	put16(seg + 14, 65535);
	put16(seg + 16, ipv4_l4_sum(DOC_HOST_A, DOC_HOST_B, IPPROTO_TCP_NUM,
	    seg, sizeof(seg)));
	emit_ipv4(sc, IPPROTO_TCP_NUM, DOC_HOST_A, DOC_HOST_B, 0, seg,
	    sizeof(seg), 0);
}

static void
noise_udp(struct script *sc)
{
	/* A DNS query for "a." of type A. */
	static const uint8_t	query[] = {
		0x44, 0x44, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x01, 'a', 0x00, 0x00,
		0x01, 0x00, 0x01
	};
	uint8_t			seg[UDP_HDR_LEN + sizeof(query)];

	udp_segment(seg, sc->src, 1024, DOC_HOST_B, 53, query, sizeof(query));
	emit_ipv4(sc, IPPROTO_UDP_NUM, sc->src, DOC_HOST_B, 1, seg,
	    sizeof(seg), 0);
}

/* The first 24 bytes of a RIP44 datagram with more fragments to come. */
static void
noise_fragment(struct script *sc)
{
	struct rip_entry	e;
	struct route		r = { 0x2c020200U, 24, 0xcb007101U, 1 };
	uint8_t			rip[RIP_MAX_LEN];
	uint8_t			seg[UDP_HDR_LEN + RIP_MAX_LEN];
	size_t			len;

	fill_entry(sc, &r, &e);
	len = rip_encode(rip, sizeof(rip), sc->password, &e, 1);
	if (len == 0)
		bad(sc, "cannot encode a datagram");
	udp_segment(seg, sc->src, sc->sport, sc->dst, sc->dport, rip, len);
	emit_ipv4(sc, IPPROTO_UDP_NUM, sc->src, sc->dst, 1, seg, 24,
	    IPV4_FLAG_MF);
}

static void
noise_ipv6(struct script *sc)
{
	static const uint8_t	mac[6] = { 0x33, 0x33, 0, 0, 0, 0x09 };
	uint8_t			pkt[IPV6_HDR_LEN + UDP_HDR_LEN + 24];
	uint8_t			*udp = pkt + IPV6_HDR_LEN;
	uint8_t			pseudo[40];
	size_t			udplen = UDP_HDR_LEN + 24;
	uint32_t		sum;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x60;
	put16(pkt + 4, (unsigned int)udplen);
	pkt[6] = IPPROTO_UDP_NUM;
	pkt[7] = 255;
	pkt[8] = 0xfe;				/* fe80::1 */
	pkt[9] = 0x80;
	pkt[23] = 0x01;
	pkt[24] = 0xff;				/* ff02::9 */
	pkt[25] = 0x02;
	pkt[39] = 0x09;
	put16(udp, 521);
	put16(udp + 2, 521);
	put16(udp + 4, (unsigned int)udplen);
	udp[8] = 2;				/* RIPng response */
	udp[9] = 1;
	udp[12] = 0x20;				/* 2001:db8::/32 */
	udp[13] = 0x01;
	udp[14] = 0x0d;
	udp[15] = 0xb8;
	udp[30] = 32;
	udp[31] = 1;
	memcpy(pseudo, pkt + 8, 32);
	put32(pseudo + 32, (uint32_t)udplen);
	memset(pseudo + 36, 0, 3);
	pseudo[39] = IPPROTO_UDP_NUM;
	sum = sum_bytes(sum_bytes(0, pseudo, sizeof(pseudo)), udp, udplen);
	put16(udp + 6, fold_sum(sum));
	emit_link(sc, ETHERTYPE_IPV6, mac, pkt, sizeof(pkt));
}

static void
noise_arp(struct script *sc)
{
	static const uint8_t	bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff };
	uint8_t			arp[28];

	memset(arp, 0, sizeof(arp));
	put16(arp, 1);				/* Ethernet */
	put16(arp + 2, ETHERTYPE_IPV4);
	arp[4] = 6;
	arp[5] = 4;
	put16(arp + 6, 1);			/* request */
	arp[8] = 0x02;
	arp[9] = 0x44;
	arp[13] = 0x01;
	put32(arp + 14, DOC_HOST_A);
	put32(arp + 24, DOC_HOST_B);
	emit_link(sc, ETHERTYPE_ARP, bcast, arp, sizeof(arp));
}

static void
cmd_noise(struct script *sc, int argc, char **argv)
{
	const char	*kind = argc > 1 ? argv[1] : "tcp";

	if (strcmp(kind, "tcp") == 0)
		noise_tcp(sc);
	else if (strcmp(kind, "udp") == 0)
		noise_udp(sc);
	else if (strcmp(kind, "fragment") == 0)
		noise_fragment(sc);
	else if (strcmp(kind, "ipv6") == 0)
		noise_ipv6(sc);
	else if (strcmp(kind, "arp") == 0)
		noise_arp(sc);
	else
		bad(sc, "unknown noise \"%s\" (tcp, udp, fragment, ipv6, "
		    "arp)", kind);
}

static void
cmd_link(struct script *sc, int argc, char **argv)
{
	size_t	i;

	if (sc->link_set)
		bad(sc, "link given twice");
	if (sc->npackets > 0)
		bad(sc, "link must come before the first packet");
	for (i = 0; i < NLINKS; i++)
		if (strcmp(argv[1], links[i].name) == 0)
			break;
	if (i == NLINKS)
		bad(sc, "unknown link \"%s\" (ethernet, ethernet-vlan, "
		    "ethernet-qinq, raw, null, null-be, loop, sll)", argv[1]);
	sc->link = i;
	sc->link_set = 1;
}

static void
cmd_time(struct script *sc, int argc, char **argv)
{
	sc->now = arg_seconds(sc, argv[1]);
}

static void
cmd_gap(struct script *sc, int argc, char **argv)
{
	sc->gap = arg_seconds(sc, argv[1]);
}

static void
cmd_advance(struct script *sc, int argc, char **argv)
{
	sc->now += arg_seconds(sc, argv[1]);
}

static void
cmd_source(struct script *sc, int argc, char **argv)
{
	sc->src = arg_addr(sc, "source address", argv[1]);
	sc->sport = (uint16_t)arg_number(sc, "port", argv[2], 0, 65535);
}

static void
cmd_dest(struct script *sc, int argc, char **argv)
{
	sc->dst = arg_addr(sc, "destination address", argv[1]);
	sc->dport = (uint16_t)arg_number(sc, "port", argv[2], 0, 65535);
}

static void
cmd_encap(struct script *sc, int argc, char **argv)
{
	if (argc == 2) {
		if (strcmp(argv[1], "off") != 0)
			bad(sc, "encap takes SRC DST or \"off\"");
		sc->encap = 0;
		return;
	}
	sc->encap_src = arg_addr(sc, "tunnel source", argv[1]);
	sc->encap_dst = arg_addr(sc, "tunnel destination", argv[2]);
	sc->encap = 1;
}

static void
cmd_ttl(struct script *sc, int argc, char **argv)
{
	sc->ttl = (uint8_t)arg_number(sc, "TTL", argv[1], 1, 255);
}

static void
cmd_password(struct script *sc, int argc, char **argv)
{
	if (strlen(argv[1]) > RIP_PASSWORD_LEN)
		bad(sc, "password \"%s\" longer than %d bytes", argv[1],
		    RIP_PASSWORD_LEN);
	snprintf(sc->password, sizeof(sc->password), "%s", argv[1]);
}

static void
cmd_tag(struct script *sc, int argc, char **argv)
{
	sc->tag = (uint16_t)arg_number(sc, "tag", argv[1], 0, 65535);
}

static void
cmd_snaplen(struct script *sc, int argc, char **argv)
{
	sc->snaplen = (size_t)arg_number(sc, "snap length", argv[1], 0,
	    PCAP_SNAPLEN);
}

static void
table_reserve(struct script *sc, size_t n)
{
	struct route	*r;
	size_t		 cap = sc->tablecap == 0 ? 64 : sc->tablecap;

	if (n <= sc->tablecap)
		return;
	while (cap < n)
		cap *= 2;
	if ((r = reallocarray(sc->table, cap, sizeof(*r))) == NULL)
		die("out of memory");
	sc->table = r;
	sc->tablecap = cap;
}

static struct route *
table_find(struct script *sc, struct prefix p)
{
	size_t	i;

	for (i = 0; i < sc->ntable; i++)
		if (sc->table[i].addr == p.addr && sc->table[i].len == p.len)
			return &sc->table[i];
	return NULL;
}

static struct prefix
arg_prefix(const struct script *sc, const char *s)
{
	struct prefix	p;

	if (parse_prefix(s, 0, &p, NULL) == -1)
		bad(sc, "bad prefix \"%s\"", s);
	return p;
}

static void
cmd_route(struct script *sc, int argc, char **argv)
{
	struct prefix	 p = arg_prefix(sc, argv[1]);
	struct route	*r;
	uint32_t	 gw = arg_addr(sc, "gateway", argv[2]);
	uint32_t	 metric = 1;

	if (argc > 3)
		metric = (uint32_t)arg_number(sc, "metric", argv[3], 1,
		    RIP_METRIC_INFINITY);
	if ((r = table_find(sc, p)) == NULL) {
		table_reserve(sc, sc->ntable + 1);
		r = &sc->table[sc->ntable++];
		r->addr = p.addr;
		r->len = p.len;
	}
	r->gateway = gw;
	r->metric = metric;
}

static void
cmd_unroute(struct script *sc, int argc, char **argv)
{
	struct prefix	 p = arg_prefix(sc, argv[1]);
	struct route	*r;
	size_t		 at;

	if ((r = table_find(sc, p)) == NULL)
		bad(sc, "no route for %s to remove", argv[1]);
	at = (size_t)(r - sc->table);
	memmove(r, r + 1, (sc->ntable - at - 1) * sizeof(*r));
	sc->ntable--;
}

static void
cmd_clear(struct script *sc, int argc, char **argv)
{
	sc->ntable = 0;
}

static void
print_table(const struct script *sc)
{
	const struct route	*r;
	size_t			 i;
	char			 p[PREFIX_STRLEN], g[ADDR_STRLEN];

	for (i = 0; i < sc->ntable; i++) {
		r = &sc->table[i];
		fmt_prefix(r->addr, r->len, p);
		fmt_addr(r->gateway, g);
		if (r->metric == 1)
			printf("%s %s\n", p, g);
		else
			printf("%s %s %u\n", p, g, (unsigned int)r->metric);
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		die("standard output: %s", strerror(errno));
}

static void
cmd_dump(struct script *sc, int argc, char **argv)
{
	if (!sc->dump_ok)
		bad(sc, "dump would mix text into the capture on standard "
		    "output: use -o");
	print_table(sc);
}

/*
 * The generator.  splitmix64: small, fixed, the same sequence everywhere
 * for a seed.
 */
struct gen {
	uint64_t	 state;
	uint64_t	*used;		/* one bit per address of 44/8 */
};

static uint64_t
gen_next(struct gen *g)
{
	uint64_t	z;

	g->state += 0x9e3779b97f4a7c15ULL;
	z = g->state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
gen_below(struct gen *g, uint64_t n)
{
	return n == 0 ? 0 : gen_next(g) % n;
}

/* 1 when any address of an aligned prefix inside 44/8 is taken. */
static int
span_used(const struct gen *g, uint32_t addr, int len)
{
	uint32_t	first = addr - NET44;
	uint64_t	n = 1ULL << (32 - len), i, bits;

	if (n >= 64) {
		for (i = first / 64; i < (first + n) / 64; i++)
			if (g->used[i] != 0)
				return 1;
		return 0;
	}
	bits = ((1ULL << n) - 1) << (first % 64);
	return (g->used[first / 64] & bits) != 0;
}

static void
span_mark(struct gen *g, uint32_t addr, int len)
{
	uint32_t	first = addr - NET44;
	uint64_t	n = 1ULL << (32 - len), i;

	if (n >= 64) {
		for (i = first / 64; i < (first + n) / 64; i++)
			g->used[i] = ~0ULL;
		return;
	}
	g->used[first / 64] |= ((1ULL << n) - 1) << (first % 64);
}

/* A random aligned block of AMPRNet: 44.0/9 twice as often as 44.128/10. */
static uint32_t
gen_block(struct gen *g, int len)
{
	uint32_t	base;
	int		bits;

	if (gen_below(g, 3) < 2) {
		base = NET44;
		bits = len - 9;
	} else {
		base = NET44 | 0x00800000U;
		bits = len - 10;
	}
	return base + (uint32_t)(gen_below(g, 1ULL << bits) << (32 - len));
}

/* Places a free prefix of *len, longer when none is found. */
static int
gen_place(struct gen *g, int *len, uint32_t *addr)
{
	uint32_t	a;
	int		try;

	for (; *len <= 32; (*len)++) {
		for (try = 0; try < GEN_PLACE_TRIES; try++) {
			a = gen_block(g, *len);
			if (!span_used(g, a, *len)) {
				span_mark(g, a, *len);
				*addr = a;
				return 0;
			}
		}
	}
	return -1;
}

/* Public unicast: no private, shared, loopback, link-local, reserved,
 * documentation, multicast or 44/8 space, no .0 or .255. */
static int
is_public(uint32_t a)
{
	static const struct {
		uint32_t	net;
		int		len;
	} special[] = {
		{ 0x00000000U, 8 }, { 0x0a000000U, 8 }, { 0x2c000000U, 8 },
		{ 0x64400000U, 10 }, { 0x7f000000U, 8 }, { 0xa9fe0000U, 16 },
		{ 0xac100000U, 12 }, { 0xc0000000U, 24 }, { 0xc0000200U, 24 },
		{ 0xc0586300U, 24 }, { 0xc0a80000U, 16 }, { 0xc6120000U, 15 },
		{ 0xc6336400U, 24 }, { 0xcb007100U, 24 }, { 0xe0000000U, 3 },
	};
	size_t	i;

	if ((a & 0xff) == 0 || (a & 0xff) == 0xff)
		return 0;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if ((a & addr_mask(special[i].len)) == special[i].net)
			return 0;
	return 1;
}

/* Open addressing set of gateway addresses, for distinctness. */
struct addrset {
	uint32_t	*slot;		/* 0 is empty: 0.0.0.0 is never used */
	size_t		 mask;
};

static int
addrset_add(struct addrset *s, uint32_t a)
{
	size_t	i = (size_t)((a * 0x9e3779b1U) & s->mask);

	while (s->slot[i] != 0) {
		if (s->slot[i] == a)
			return 0;
		i = (i + 1) & s->mask;
	}
	s->slot[i] = a;
	return 1;
}

static uint32_t
gen_gateway44(struct gen *g)
{
	uint32_t	a;

	do
		a = gen_block(g, 32);
	while (span_used(g, a, 32) || (a & 0xff) == 0 || (a & 0xff) == 0xff);
	span_mark(g, a, 32);
	return a;
}

static void
gen_shuffle(struct gen *g, size_t *v, size_t n)
{
	size_t	i, j, t;

	for (i = n; i > 1; i--) {
		j = (size_t)gen_below(g, i);
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/*
 * Route i's gateway may not be its pair's: parents are 0..npairs-1,
 * their children npairs..2*npairs-1.
 */
static int
pair_ok(const size_t *gw, size_t npairs, size_t i)
{
	if (i < npairs)
		return gw[i] != gw[i + npairs];
	if (i < 2 * npairs)
		return gw[i] != gw[i - npairs];
	return 1;
}

static int
separate_pairs(struct gen *g, size_t *gw, size_t nr, size_t npairs)
{
	size_t	i, c, j, k, t;

	for (i = 0; i < npairs; i++) {
		c = i + npairs;
		if (gw[c] != gw[i])
			continue;
		for (k = 0, j = (size_t)gen_below(g, nr); k < nr;
		    k++, j = (j + 1) % nr) {
			if (j == c || gw[j] == gw[i])
				continue;
			t = gw[c];
			gw[c] = gw[j];
			gw[j] = t;
			if (pair_ok(gw, npairs, c) && pair_ok(gw, npairs, j))
				break;
			gw[j] = gw[c];
			gw[c] = t;
		}
		if (k == nr)
			return -1;
	}
	return 0;
}

/* How many routes each gateway serves: index 0 is the big one. */
static void
gen_counts(struct gen *g, size_t *count, size_t nr, size_t ng)
{
	size_t	nbig, cap, extra, i, pick, tries;

	if (ng == 1) {
		count[0] = nr;
		return;
	}
	nbig = (nr * REAL_BIGGEST + REAL_ROUTES / 2) / REAL_ROUTES;
	if (nbig < 1)
		nbig = 1;
	if (nbig > nr - (ng - 1))
		nbig = nr - (ng - 1);
	/* The others stay below the big one, if there is room for that. */
	while (nbig < nr - (ng - 1) &&
	    nr - nbig > (ng - 1) * (nbig > 1 ? nbig - 1 : 1))
		nbig++;
	cap = nbig > 1 ? nbig - 1 : 1;
	count[0] = nbig;
	for (i = 1; i < ng; i++)
		count[i] = 1;
	for (extra = nr - nbig - (ng - 1); extra > 0; extra--) {
		/* The smaller of two draws: a few gateways serve several. */
		for (tries = 0; tries < 16; tries++) {
			pick = 1 + (size_t)gen_below(g, ng - 1);
			i = 1 + (size_t)gen_below(g, ng - 1);
			if (i < pick)
				pick = i;
			if (count[pick] < cap)
				break;
		}
		for (i = 1; count[pick] >= cap && i < ng; i++)
			pick = i;
		count[pick]++;
	}
}

static int
route_order(const void *a, const void *b)
{
	const struct route	*x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->len - y->len;
}

/* Lengths of the other prefixes, by weight: mostly /24, some of all. */
static int
gen_plain_len(struct gen *g)
{
	static const struct {
		int	len;
		int	weight;
	} w[] = {
		{ 16, 2 }, { 17, 1 }, { 18, 1 }, { 19, 1 }, { 20, 3 },
		{ 21, 3 }, { 22, 5 }, { 23, 5 }, { 24, 46 }, { 25, 4 },
		{ 26, 6 }, { 27, 8 }, { 28, 9 }, { 29, 12 }, { 30, 3 },
		{ 31, 1 },
	};
	size_t	i;
	int	total = 0, r;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		total += w[i].weight;
	r = (int)gen_below(g, (uint64_t)total);
	for (i = 0; r >= w[i].weight; i++)
		r -= w[i].weight;
	return w[i].len;
}

static void
cmd_generate(struct script *sc, int argc, char **argv)
{
	struct gen	 g;
	struct addrset	 set;
	struct route	*r;
	uint64_t	 seed;
	uint64_t	 total = 0;
	size_t		 nr, ng, npairs, nhosts, n44, i, j, k;
	size_t		*count, *gw, *order;
	uint32_t	*gwaddr, a;

	seed = arg_number(sc, "seed", argv[1], 0, UINT64_MAX);
	nr = (size_t)arg_number(sc, "route count", argv[2], 0,
	    GEN_MAX_ROUTES);
	ng = (size_t)arg_number(sc, "gateway count", argv[3], 0, nr);
	if ((nr > 0) != (ng > 0))
		bad(sc, "routes need at least one gateway");

	npairs = ng >= 2 ?
	    (nr * REAL_NESTED + REAL_ROUTES / 2) / REAL_ROUTES : 0;
	nhosts = (nr * REAL_HOSTS + REAL_ROUTES / 2) / REAL_ROUTES;
	if (2 * npairs + nhosts > nr)
		nhosts = nr - 2 * npairs;
	n44 = (ng + 12) / 25;

	memset(&g, 0, sizeof(g));
	g.state = seed;
	g.used = calloc(NET44_SIZE / 64, sizeof(*g.used));
	set.mask = 1;
	while (set.mask < 2 * ng + 2)
		set.mask <<= 1;
	set.slot = calloc(set.mask, sizeof(*set.slot));
	set.mask--;
	r = calloc(nr + 1, sizeof(*r));
	count = calloc(ng + 1, sizeof(*count));
	gw = calloc(nr + 1, sizeof(*gw));
	order = calloc(nr + 1, sizeof(*order));
	gwaddr = calloc(ng + 1, sizeof(*gwaddr));
	if (g.used == NULL || set.slot == NULL || r == NULL ||
	    count == NULL || gw == NULL || order == NULL || gwaddr == NULL)
		die("out of memory");

	/* amprgw's own /24 is never advertised. */
	span_mark(&g, NET44, 24);

	/* Parents, children, hosts, then the rest; one /15 among them. */
	for (i = 0; i < nr; i++) {
		if (i < npairs)
			r[i].len = 24;
		else if (i < 2 * npairs)
			r[i].len = 29;
		else if (i < 2 * npairs + nhosts)
			r[i].len = 32;
		else if (i == 2 * npairs + nhosts)
			r[i].len = 15;
		else
			r[i].len = gen_plain_len(&g);
		r[i].metric = 1;
		total += 1ULL << (32 - r[i].len);
	}
	/* Huge tables keep to half of AMPRNet by narrowing the widest. */
	for (j = 15; j < 32 && total > GEN_BUDGET; j++)
		for (i = 2 * npairs + nhosts; i < nr && total > GEN_BUDGET;
		    i++)
			if (r[i].len == (int)j) {
				r[i].len++;
				total -= 1ULL << (31 - j);
			}
	/* Widest first, so that the big blocks find room. */
	for (k = 0, j = 15; j <= 32; j++)
		for (i = 0; i < nr; i++)
			if (r[i].len == (int)j &&
			    (i < npairs || i >= 2 * npairs))
				order[k++] = i;
	for (i = 0; i < k; i++)
		if (gen_place(&g, &r[order[i]].len, &r[order[i]].addr) == -1)
			bad(sc, "generate: no room left in AMPRNet");
	for (i = npairs; i < 2 * npairs; i++)
		r[i].addr = r[i - npairs].addr |
		    (uint32_t)gen_below(&g, 32) << 3;

	/* Gateways: a few in 44/8, free of every prefix; the rest public. */
	for (i = 0; i < ng; i++) {
		do {
			if (i < n44)
				a = gen_gateway44(&g);
			else
				a = (uint32_t)gen_next(&g);
		} while ((i >= n44 && !is_public(a)) || !addrset_add(&set, a));
		gwaddr[i] = a;
	}
	for (i = 0; i < ng; i++)
		order[i] = i;
	gen_shuffle(&g, order, ng);

	gen_counts(&g, count, nr, ng);
	for (k = 0, i = 0; i < ng; i++)
		for (j = 0; j < count[i]; j++)
			gw[k++] = i;
	gen_shuffle(&g, gw, nr);
	if (separate_pairs(&g, gw, nr, npairs) == -1)
		bad(sc, "generate: cannot give nested prefixes other "
		    "gateways");
	for (i = 0; i < nr; i++)
		r[i].gateway = gwaddr[order[gw[i]]];

	qsort(r, nr, sizeof(*r), route_order);
	table_reserve(sc, nr);
	if (nr > 0)
		memcpy(sc->table, r, nr * sizeof(*r));
	sc->ntable = nr;

	free(g.used);
	free(set.slot);
	free(r);
	free(count);
	free(gw);
	free(order);
	free(gwaddr);
}

struct command {
	const char	*name;
	int		 minargs;
	int		 maxargs;	/* -1: any number */
	void		(*run)(struct script *, int, char **);
};

static const struct command commands[] = {
	{ "link",	1, 1,	cmd_link },
	{ "time",	1, 1,	cmd_time },
	{ "gap",	1, 1,	cmd_gap },
	{ "advance",	1, 1,	cmd_advance },
	{ "source",	2, 2,	cmd_source },
	{ "dest",	2, 2,	cmd_dest },
	{ "encap",	1, 2,	cmd_encap },
	{ "ttl",	1, 1,	cmd_ttl },
	{ "password",	1, 1,	cmd_password },
	{ "tag",	1, 1,	cmd_tag },
	{ "snaplen",	1, 1,	cmd_snaplen },
	{ "route",	2, 3,	cmd_route },
	{ "unroute",	1, 1,	cmd_unroute },
	{ "clear",	0, 0,	cmd_clear },
	{ "generate",	3, 3,	cmd_generate },
	{ "send",	0, 0,	cmd_send },
	{ "raw",	0, -1,	cmd_raw },
	{ "entry",	5, 5,	cmd_entry },
	{ "noise",	0, 1,	cmd_noise },
	{ "dump",	0, 0,	cmd_dump },
};

static void
run_line(struct script *sc)
{
	const struct command	*c;
	char			*hash, *w, *save;
	size_t			 n = 0, i;
	char			**v;

	sc->line[strcspn(sc->line, "\r\n")] = '\0';
	if ((hash = strchr(sc->line, '#')) != NULL)
		*hash = '\0';
	for (w = strtok_r(sc->line, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		if (n == sc->wordcap) {
			sc->wordcap = sc->wordcap == 0 ? 16 : sc->wordcap * 2;
			v = reallocarray(sc->words, sc->wordcap, sizeof(*v));
			if (v == NULL)
				die("out of memory");
			sc->words = v;
		}
		sc->words[n++] = w;
	}
	if (n == 0)
		return;
	v = sc->words;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(v[0], commands[i].name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0]))
		bad(sc, "unknown command \"%s\"", v[0]);
	c = &commands[i];
	if ((int)n - 1 < c->minargs ||
	    (c->maxargs >= 0 && (int)n - 1 > c->maxargs)) {
		if (c->minargs == c->maxargs)
			bad(sc, "%s takes %d argument%s, not %zu", c->name,
			    c->minargs, c->minargs == 1 ? "" : "s", n - 1);
		bad(sc, "%s takes %d to %d arguments, not %zu", c->name,
		    c->minargs, c->maxargs, n - 1);
	}
	c->run(sc, (int)n, v);
}

static void
run_script(struct script *sc, const char *file)
{
	FILE	*f;

	sc->file = file;
	if (strcmp(file, "-") == 0) {
		f = stdin;
		sc->file = "stdin";
	} else if ((f = fopen(file, "r")) == NULL)
		die("%s: %s", file, strerror(errno));
	while (getline(&sc->line, &sc->linecap, f) != -1) {
		sc->lineno++;
		run_line(sc);
	}
	if (ferror(f))
		die("%s: %s", sc->file, strerror(errno));
	free(sc->line);
	free(sc->words);
	if (f != stdin)
		fclose(f);
}

int
main(int argc, char *argv[])
{
	static struct script	sc;
	int			ch, table = 0, stdout_capture = 0;

	memset(&sc, 0, sizeof(sc));
	while ((ch = getopt(argc, argv, "o:t")) != -1) {
		switch (ch) {
		case 'o':
			if (strcmp(optarg, "-") != 0)
				sc.outpath = optarg;
			else
				stdout_capture = 1;
			break;
		case 't':
			table = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	if (table && stdout_capture)
		die("-t and -o - would both write to standard output");

	sc.want_capture = !table || sc.outpath != NULL;
	sc.dump_ok = !sc.want_capture || sc.outpath != NULL;
	sc.now = DEFAULT_TIME * USEC;
	sc.gap = DEFAULT_GAP_USEC;
	sc.src = DEFAULT_SOURCE;
	sc.sport = RIP_PORT;
	sc.dst = RIP_GROUP;
	sc.dport = RIP_PORT;
	sc.ttl = 1;
	sc.tag = RIP44_TAG;
	snprintf(sc.password, sizeof(sc.password), "%s", RIP_DEFAULT_PASSWORD);
	current = &sc;

	run_script(&sc, argv[0]);

	if (sc.want_capture) {
		if (sc.dumper == NULL)
			open_capture(&sc);
		if (pcap_dump_flush(sc.dumper) == -1)
			die("%s: write failed",
			    sc.outpath == NULL ? "stdout" : sc.outpath);
		pcap_dump_close(sc.dumper);
		sc.dumper = NULL;
		pcap_close(sc.pcap);
	}
	if (table)
		print_table(&sc);
	free(sc.table);
	return 0;
}
