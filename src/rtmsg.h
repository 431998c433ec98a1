/*
 * Routing-socket message bytes, without the system headers: walking a
 * buffer of messages, splitting the sockaddrs that follow a header,
 * appending padded sockaddrs, and reading the few sockaddr fields the
 * OpenBSD backend needs.  Pure functions over bytes, so the checks on
 * what the kernel hands us can be unit-tested on any system.
 *
 * Layout facts (OpenBSD route(4), net/route.h, net/if_dl.h, rtsock.c):
 * every message starts with u_short msglen, u_char version, u_char type;
 * sockaddrs follow in the order of their RTA_* bit, each padded to a
 * multiple of sizeof(long) (an empty one still takes sizeof(long));
 * sockaddr_in is len, family, port[2], addr[4], zero[8]; sockaddr_dl is
 * len, family, index[2], type, nlen, alen, slen, data[].  kern_openbsd.c
 * checks these against the real headers at compile time.
 */
#ifndef RTMSG_H
#define RTMSG_H

#include <stddef.h>
#include <stdint.h>

#define RTMSG_AX_MAX		15	/* RTAX_MAX */
#define RTMSG_MIN_HDR		4	/* msglen, version, type */

#define RTMSG_SIN_LEN		16	/* sizeof(struct sockaddr_in) */
#define RTMSG_SIN_ADDR_OFF	4	/* offsetof(.., sin_addr) */
#define RTMSG_SDL_INDEX_OFF	2	/* offsetof(.., sdl_index) */
#define RTMSG_SDL_NLEN_OFF	5	/* offsetof(.., sdl_nlen) */
#define RTMSG_SDL_DATA_OFF	8	/* offsetof(.., sdl_data) */

/* Route flags and priorities (net/route.h) the ownership rules read. */
#define RTMSG_RTF_GATEWAY	0x2
#define RTMSG_RTF_CLONING	0x100
#define RTMSG_RTF_STATIC	0x800
#define RTMSG_RTF_CLONED	0x10000
#define RTMSG_RTF_CACHED	0x20000
#define RTMSG_RTF_LOCAL		0x200000
#define RTMSG_RTF_BROADCAST	0x400000
#define RTMSG_RTF_CONNECTED	0x800000
#define RTMSG_RTP_LOCAL		1
#define RTMSG_RTP_CONNECTED	4
#define RTMSG_RTP_STATIC	8
#define RTMSG_RTP_DEFAULT	56
#define RTMSG_RTP_MAX		63

/*
 * The priority that marks our routes unless -R says otherwise: just after
 * route(8)'s static routes (RTP_STATIC), before every routing daemon's.
 */
#define RTMSG_OUR_PRIORITY	(RTMSG_RTP_STATIC + 1)

/* One sockaddr found in a message: where it starts and its sa_len. */
struct rtmsg_sa {
	const uint8_t	*p;		/* NULL when absent */
	size_t		 len;
	int		 family;
};

/* Space a sockaddr of length len takes in a message, for alignment align. */
size_t	rtmsg_roundup(size_t len, size_t align);

/*
 * The next message of a buffer (a sysctl dump or what one read returned).
 * *off is where it starts; on success *msg and *msglen describe it and
 * *off moves past it.  0: a message; 1: end of buffer; -1: malformed
 * (why in *reason).
 */
int	rtmsg_next(const uint8_t *buf, size_t buflen, size_t *off,
	    const uint8_t **msg, size_t *msglen, const char **reason);

/*
 * Splits the sockaddrs in p[0..len) present in addrs (RTA_* bits) into
 * sa[RTMSG_AX_MAX], in bit order.  0, or -1 with *reason when a sockaddr
 * runs past the end or a bit beyond RTMSG_AX_MAX is set.
 */
int	rtmsg_split(const uint8_t *p, size_t len, int addrs, size_t align,
	    struct rtmsg_sa sa[RTMSG_AX_MAX], const char **reason);

/*
 * Appends sa (salen bytes, salen > 0) at *off in buf, zero padded to
 * rtmsg_roundup(salen, align).  0, or -1 when it does not fit.
 */
int	rtmsg_put(uint8_t *buf, size_t bufsize, size_t *off, const void *sa,
	    size_t salen, size_t align);

/*
 * IPv4 address of a sockaddr_in (host order).  0, or -1 when sa is
 * absent, too short, or not AF_INET (family af_inet).
 */
int	rtmsg_sin_addr(const struct rtmsg_sa *sa, int af_inet, uint32_t *addr);
/* The same for a netmask, whose family the kernel may leave unset. */
int	rtmsg_mask_addr(const struct rtmsg_sa *sa, uint32_t *mask);

/* Prefix length of a contiguous netmask (host order), or -1. */
int	rtmsg_mask_len(uint32_t mask);

/*
 * Interface name of a sockaddr_dl (family af_link) into buf (bufsize
 * bytes, NUL ended).  0, or -1 when absent, not AF_LINK, the name runs
 * past the sockaddr, is empty, or does not fit.
 */
int	rtmsg_sdl_name(const struct rtmsg_sa *sa, int af_link, char *buf,
	    size_t bufsize);

/*
 * Whether a priority can mark our routes (-R): one route_output() in
 * sys/net/rtsock.c accepts (1 to RTP_MAX, not RTP_LOCAL), and none that
 * others use without asking: not the kernel's connected routes, not
 * route(8)'s static ones, not RTP_DEFAULT (44ripd's).
 */
int	rtmsg_priority_ok(int priority);

enum rtmsg_owner {
	RTMSG_OURS,		/* our priority, static */
	RTMSG_LEGACY,		/* 44ripd's: ours to replace, once */
	RTMSG_FOREIGN		/* anybody else's: never touched */
};
/*
 * Whose route this is, from its rtm_flags and rtm_priority: ours carry
 * our priority and RTF_STATIC, and nothing the kernel makes (RTF_LOCAL,
 * RTF_BROADCAST, RTF_CONNECTED, RTF_CLONED, RTF_CACHED) nor a next hop
 * (RTF_GATEWAY).  44ripd's carry RTF_CLONING, RTP_DEFAULT and no
 * RTF_STATIC.
 */
enum rtmsg_owner	rtmsg_route_owner(int flags, int priority, int ours);

/* N of an interface name "gifN" (N decimal, no sign, no leading 0), or -1. */
int	rtmsg_gif_unit(const char *name);
/*
 * 1 when name is a gif one of ours made to a peer: "gifN" with N not
 * among the reserved (-s) units, which are the operator's own tunnels.
 */
int	rtmsg_gif_is_peer(const char *name, const int *reserved,
	    int nreserved);

#endif /* RTMSG_H */
