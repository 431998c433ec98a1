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

/* N of an interface name "gifN" (N decimal, no sign, no leading 0), or -1. */
int	rtmsg_gif_unit(const char *name);
/*
 * 1 when name is a gif one of ours made to a peer: "gifN" with N not
 * among the reserved (-s) units, which are the operator's own tunnels.
 */
int	rtmsg_gif_is_peer(const char *name, const int *reserved,
	    int nreserved);

#endif /* RTMSG_H */
