/*
 * The OpenBSD kernel backend.  gifN is a gif(4) interface made and set up
 * with the ioctls ifconfig(8) uses, on an AF_INET datagram socket; routes
 * are messages on a routing socket (route(4)); state is read back with
 * the PF_ROUTE sysctls (sysctl(2)).  Nothing forks.  The bytes of routing
 * messages are laid out and checked in rtmsg.c; this file fills in the
 * system structures and talks to the kernel.
 *
 * Three descriptors: the ioctl socket, a routing socket for our own
 * requests (each answered by the kernel, matched on pid and sequence
 * number) and a routing socket for interface events.
 *
 * Ownership: every gif we make carries the description KERN_TUNNEL_MARK
 * (SIOCSIFDESCR), every route we make our priority (rtm_priority, -R).
 * Routes are added, changed, deleted and read back by that priority only,
 * so an operator's route for the same prefix (another priority, its own
 * slot: rtable_insert() in sys/net/rtable.c) is never touched.
 *
 * Deletes of what is already gone answer as the dry-run and Linux
 * backends do and the reconciler expects, unlogged: ENXIO for a tunnel,
 * ESRCH for a route.  Every other failure is logged here, with the
 * interface, the step and the errno, and returned.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <netinet/in.h>
#include <ifaddrs.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "kern.h"
#include "kern_addrs.h"
#include "log.h"
#include "rtmsg.h"

/* rtmsg.c lays out bytes by these facts; hold it to the real headers. */
_Static_assert(RTAX_MAX == RTMSG_AX_MAX, "RTAX_MAX");
_Static_assert(sizeof(struct sockaddr_in) == RTMSG_SIN_LEN, "sockaddr_in");
_Static_assert(offsetof(struct sockaddr_in, sin_addr) == RTMSG_SIN_ADDR_OFF,
    "sin_addr");
_Static_assert(offsetof(struct sockaddr_dl, sdl_index) ==
    RTMSG_SDL_INDEX_OFF, "sdl_index");
_Static_assert(offsetof(struct sockaddr_dl, sdl_nlen) == RTMSG_SDL_NLEN_OFF,
    "sdl_nlen");
_Static_assert(offsetof(struct sockaddr_dl, sdl_data) == RTMSG_SDL_DATA_OFF,
    "sdl_data");
_Static_assert(offsetof(struct rt_msghdr, rtm_hdrlen) == 4 &&
    offsetof(struct if_msghdr, ifm_hdrlen) == 4 &&
    offsetof(struct ifa_msghdr, ifam_hdrlen) == 4 &&
    offsetof(struct if_announcemsghdr, ifan_hdrlen) == 4, "hdrlen");
_Static_assert(RTMSG_RTF_GATEWAY == RTF_GATEWAY &&
    RTMSG_RTF_CLONING == RTF_CLONING && RTMSG_RTF_STATIC == RTF_STATIC &&
    RTMSG_RTF_CLONED == RTF_CLONED && RTMSG_RTF_CACHED == RTF_CACHED &&
    RTMSG_RTF_LOCAL == RTF_LOCAL && RTMSG_RTF_BROADCAST == RTF_BROADCAST &&
    RTMSG_RTF_CONNECTED == RTF_CONNECTED, "RTF_*");
_Static_assert(RTMSG_RTP_LOCAL == RTP_LOCAL &&
    RTMSG_RTP_CONNECTED == RTP_CONNECTED && RTMSG_RTP_STATIC == RTP_STATIC &&
    RTMSG_RTP_DEFAULT == RTP_DEFAULT && RTMSG_RTP_MAX == RTP_MAX, "RTP_*");
_Static_assert(sizeof(KERN_TUNNEL_MARK) <= IFDESCRSIZE, "IFDESCRSIZE");

#define OB_ALIGN	sizeof(long)	/* rtsock.c ROUNDUP() */
#define OB_MSGLEN	512		/* our largest request is ~180 bytes */
#define OB_READLEN	4096		/* one kernel message, with room */
#define OB_EVRCVBUF	(256 * 1024)
#define OB_SYSCTL_TRIES	4
#define OB_NET44	0x2c000000U
#define OB_NET44_MASK	0xff000000U

/* A routing socket and what we asked of it. */
struct ob_rtsock {
	int		fd;
	int		seq;
	unsigned int	table;		/* ROUTE_TABLEFILTER now in force */
};

/* A gif whose state events() follows, by the index it has now. */
struct ob_unit {
	int		unit;
	int		up;
	unsigned int	index;
};

struct ob_ctx {
	struct kern_config	 cfg;
	int			 ifs;		/* ioctls */
	struct ob_rtsock	 rt;		/* our requests */
	int			 evs;		/* interface events */
	struct ob_unit		*units;
	size_t			 nunits;
	size_t			 unitscap;
	int			 priority;	/* of our routes */
};

/* One route request, and what the kernel answered. */
struct ob_rtreq {
	int		 type;
	int		 table;
	int		 flags;
	int		 fmask;
	uint32_t	 dst;
	uint32_t	 mask;
	const void	*gw;		/* gateway sockaddr, or NULL */
	size_t		 gwlen;
	unsigned int	 ifindex;	/* RTA_IFP, or 0 */
	int		 priority;	/* 0: RTP_ANY, or static */
};

struct ob_rtreply {
	int		found;
	unsigned int	index;
	int		flags;
	int		priority;
	uint8_t		gw[UINT8_MAX + 1];
	size_t		gwlen;
	int		has_ifa;
	uint32_t	ifa;
	int		has_dst;
	uint32_t	dst;
	uint32_t	mask;		/* all ones without RTA_NETMASK */
};

/* A gif found in the interface list. */
struct ob_gif {
	int		unit;
	unsigned int	index;
	int		rdomain;
	int		up;
	int		has_addr;
	uint32_t	addr;
	int		mtu;
};

struct ob_giflist {
	struct ob_gif	*v;
	size_t		 n;
	size_t		 cap;
};

static void	*ob_open(const struct kern_config *, char *, size_t);
static void	 ob_close(void *);
static int	 ob_tunnel_add(void *, struct kern_tunnel *);
static int	 ob_tunnel_delete(void *, int);
static int	 ob_tunnel_modify(void *, const struct kern_tunnel *,
		    unsigned int);
static int	 ob_route_add(void *, const struct kern_route *);
static int	 ob_route_change(void *, const struct kern_route *);
static int	 ob_route_delete(void *, const struct kern_route *);
static int	 ob_scan(void *, kern_tunnel_cb, kern_route_cb, void *);
static int	 ob_event_fd(void *);
static int	 ob_events(void *, kern_event_cb, void *);

const struct kern_ops kern_sys_ops = {
	.name = "openbsd",
	.open = ob_open,
	.close = ob_close,
	.tunnel_add = ob_tunnel_add,
	.tunnel_delete = ob_tunnel_delete,
	.tunnel_modify = ob_tunnel_modify,
	.route_add = ob_route_add,
	.route_change = ob_route_change,
	.route_delete = ob_route_delete,
	.scan = ob_scan,
	.event_fd = ob_event_fd,
	.events = ob_events
};

static void
gif_name(char name[IFNAMSIZ], int unit)
{
	snprintf(name, IFNAMSIZ, "gif%d", unit);
}

static int
domain_ok(int domain)
{
	return domain >= 0 && domain <= RT_TABLEID_MAX;
}

static void
sin_set(struct sockaddr_in *sin, uint32_t addr)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
}

static uint32_t
sin_get(const struct sockaddr_storage *ss)
{
	struct sockaddr_in	sin;

	if (ss->ss_family != AF_INET)
		return 0;
	memcpy(&sin, ss, sizeof(sin));
	return ntohl(sin.sin_addr.s_addr);
}

/* The gif table events() reports against. */
static struct ob_unit *
unit_find(struct ob_ctx *ctx, int unit)
{
	size_t	i;

	for (i = 0; i < ctx->nunits; i++)
		if (ctx->units[i].unit == unit)
			return &ctx->units[i];
	return NULL;
}

static void
unit_set(struct ob_ctx *ctx, int unit, int up, unsigned int index)
{
	struct ob_unit	*u, *v;
	size_t		 cap;

	if ((u = unit_find(ctx, unit)) != NULL) {
		u->up = up;
		u->index = index;
		return;
	}
	if (ctx->nunits == ctx->unitscap) {
		cap = ctx->unitscap == 0 ? 64 : ctx->unitscap * 2;
		if ((v = reallocarray(ctx->units, cap, sizeof(*v))) == NULL) {
			/* Events for it are lost, nothing worse. */
			log_errno(errno, "gif%d: remembering its state", unit);
			return;
		}
		ctx->units = v;
		ctx->unitscap = cap;
	}
	ctx->units[ctx->nunits].unit = unit;
	ctx->units[ctx->nunits].up = up;
	ctx->units[ctx->nunits].index = index;
	ctx->nunits++;
}

static void
unit_forget(struct ob_ctx *ctx, int unit)
{
	struct ob_unit	*u;

	if ((u = unit_find(ctx, unit)) != NULL)
		*u = ctx->units[--ctx->nunits];
}

/*
 * Kernel message headers: the fixed part (hdrsize bytes) copied out, and
 * where the sockaddrs begin.  -1 with *why when the message is short.
 */
static int
msg_header(const uint8_t *msg, size_t len, void *hdr, size_t hdrsize,
    size_t *addroff, const char **why)
{
	uint16_t	hdrlen;

	if (len < hdrsize) {
		*why = "message shorter than its header";
		return -1;
	}
	memcpy(hdr, msg, hdrsize);
	memcpy(&hdrlen, msg + 4, sizeof(hdrlen));
	if (hdrlen < hdrsize || hdrlen > len) {
		*why = "bad header length";
		return -1;
	}
	*addroff = hdrlen;
	return 0;
}

/*
 * Reads a PF_ROUTE sysctl(2) into a buffer of its own, growing it while
 * the answer grows.  0 or an errno value.
 */
static int
rt_sysctl(const int *mib, u_int miblen, uint8_t **bufp, size_t *lenp)
{
	uint8_t	*buf = NULL, *nbuf;
	size_t	 len;
	int	 try, err;

	for (try = 0; try < OB_SYSCTL_TRIES; try++) {
		if (sysctl(mib, miblen, NULL, &len, NULL, 0) == -1)
			break;
		if (len == 0) {
			free(buf);
			*bufp = NULL;
			*lenp = 0;
			return 0;
		}
		len += len / 8;
		if ((nbuf = realloc(buf, len)) == NULL)
			break;
		buf = nbuf;
		if (sysctl(mib, miblen, buf, &len, NULL, 0) == 0) {
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		if (errno != ENOMEM)
			break;
	}
	err = try == OB_SYSCTL_TRIES ? ENOMEM : errno;
	free(buf);
	return err;
}

/*
 * The interface list (sysctl NET_RT_IFLIST): an RTM_IFINFO per interface,
 * naming it in an RTA_IFP sockaddr_dl, then an RTM_NEWADDR per IPv4
 * address.  Collects the gifs, each with its first IPv4 address; with
 * want44 >= 0, stops at the first 44/8 address of an interface in
 * routing domain want44 and returns it in *addr44 (1), else 0.  -1 on
 * error, logged.
 */
static int
read_iflist(struct ob_giflist *gifs, int want44, uint32_t *addr44)
{
	int			 mib[6] = { CTL_NET, PF_ROUTE, 0, AF_INET,
				    NET_RT_IFLIST, 0 };
	struct if_msghdr	 ifm;
	struct ifa_msghdr	 ifam;
	struct rtmsg_sa		 sa[RTMSG_AX_MAX];
	struct ob_gif		*g, *v, *cur = NULL;
	const uint8_t		*msg;
	const char		*why = NULL;
	char			 name[IFNAMSIZ];
	uint8_t			*buf;
	size_t			 len, off = 0, msglen, aoff, cap;
	unsigned int		 curindex = 0;
	uint32_t		 a;
	int			 err, curdomain = -1, unit, found = 0;

	if ((err = rt_sysctl(mib, 6, &buf, &len)) != 0) {
		log_errno(err, "sysctl NET_RT_IFLIST");
		return -1;
	}
	while (!found &&
	    rtmsg_next(buf, len, &off, &msg, &msglen, &why) == 0) {
		if (msg[2] != RTM_VERSION)
			continue;
		if (msg[3] == RTM_IFINFO) {
			cur = NULL;
			if (msg_header(msg, msglen, &ifm, sizeof(ifm), &aoff,
			    &why) == -1 || rtmsg_split(msg + aoff,
			    msglen - aoff, ifm.ifm_addrs, OB_ALIGN, sa,
			    &why) == -1)
				break;
			curindex = ifm.ifm_index;
			curdomain = ifm.ifm_tableid;
			if (gifs == NULL || rtmsg_sdl_name(&sa[RTAX_IFP],
			    AF_LINK, name, sizeof(name)) == -1 ||
			    (unit = rtmsg_gif_unit(name)) == -1)
				continue;
			if (gifs->n == gifs->cap) {
				cap = gifs->cap == 0 ? 64 : gifs->cap * 2;
				v = reallocarray(gifs->v, cap, sizeof(*v));
				if (v == NULL) {
					log_errno(errno, "interface list");
					free(buf);
					return -1;
				}
				gifs->v = v;
				gifs->cap = cap;
			}
			g = cur = &gifs->v[gifs->n++];
			memset(g, 0, sizeof(*g));
			g->unit = unit;
			g->index = ifm.ifm_index;
			g->rdomain = ifm.ifm_tableid;
			g->up = (ifm.ifm_flags & IFF_UP) != 0;
			g->mtu = (int)ifm.ifm_data.ifi_mtu;
		} else if (msg[3] == RTM_NEWADDR) {
			if (msg_header(msg, msglen, &ifam, sizeof(ifam), &aoff,
			    &why) == -1 || rtmsg_split(msg + aoff,
			    msglen - aoff, ifam.ifam_addrs, OB_ALIGN, sa,
			    &why) == -1)
				break;
			if (ifam.ifam_index != curindex ||
			    rtmsg_sin_addr(&sa[RTAX_IFA], AF_INET, &a) == -1)
				continue;
			if (cur != NULL && !cur->has_addr) {
				cur->has_addr = 1;
				cur->addr = a;
			}
			if (want44 >= 0 && curdomain == want44 &&
			    (a & OB_NET44_MASK) == OB_NET44) {
				*addr44 = a;
				found = 1;
			}
		}
	}
	free(buf);
	if (why != NULL && !found) {
		log_warnx("interface list: %s", why);
		return -1;
	}
	return found;
}

/* Sets the table a routing socket hears; see route_input() in rtsock.c. */
static void
rt_filter(struct ob_rtsock *rs, unsigned int table)
{
	unsigned int	any = RTABLE_ANY;

	if (rs->table == table)
		return;
	/* A table not made yet: hear them all until it is. */
	if (setsockopt(rs->fd, AF_ROUTE, ROUTE_TABLEFILTER, &table,
	    sizeof(table)) == 0)
		rs->table = table;
	else if (rs->table != RTABLE_ANY && setsockopt(rs->fd, AF_ROUTE,
	    ROUTE_TABLEFILTER, &any, sizeof(any)) == 0)
		rs->table = RTABLE_ANY;
}

static int
rt_open(struct ob_rtsock *rs, int af, unsigned int msgfilter,
    unsigned int table, char *err, size_t errlen)
{
	memset(rs, 0, sizeof(*rs));
	rs->fd = socket(AF_ROUTE, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, af);
	if (rs->fd == -1) {
		snprintf(err, errlen, "routing socket: %s", strerror(errno));
		return -1;
	}
	/* route(4): only the message types we want to read. */
	if (setsockopt(rs->fd, AF_ROUTE, ROUTE_MSGFILTER, &msgfilter,
	    sizeof(msgfilter)) == -1) {
		snprintf(err, errlen, "routing socket ROUTE_MSGFILTER: %s",
		    strerror(errno));
		close(rs->fd);
		rs->fd = -1;
		return -1;
	}
	/* A new socket hears the process table (rtsock.c, route_attach). */
	rs->table = (unsigned int)getrtable();
	rt_filter(rs, table);
	return 0;
}

/* Throws away what earlier requests and other processes left queued. */
static void
rt_drain(struct ob_rtsock *rs)
{
	uint8_t	buf[OB_READLEN];

	while (read(rs->fd, buf, sizeof(buf)) > 0)
		;
}

/* Our answer among what is queued: same type, our pid, our sequence. */
static void
rt_read_reply(struct ob_rtsock *rs, const struct ob_rtreq *req,
    struct ob_rtreply *reply, int *rtm_errno)
{
	union {
		struct rt_msghdr	rtm;
		uint8_t			b[OB_READLEN];
	}			 u;
	struct rt_msghdr	 rtm;
	struct rtmsg_sa		 sa[RTMSG_AX_MAX];
	const char		*why = NULL;
	ssize_t			 n;
	size_t			 aoff;
	pid_t			 pid = getpid();

	while ((n = read(rs->fd, u.b, sizeof(u.b))) > 0) {
		if (msg_header(u.b, n, &rtm, sizeof(rtm), &aoff, &why) == -1 ||
		    rtm.rtm_msglen > n || rtm.rtm_version != RTM_VERSION ||
		    rtm.rtm_type != req->type || rtm.rtm_pid != pid ||
		    rtm.rtm_seq != rs->seq)
			continue;
		*rtm_errno = rtm.rtm_errno;
		if (reply == NULL)
			return;
		reply->flags = rtm.rtm_flags;
		reply->priority = rtm.rtm_priority;
		if (rtmsg_split(u.b + aoff, rtm.rtm_msglen - aoff,
		    rtm.rtm_addrs, OB_ALIGN, sa, &why) == -1) {
			log_warnx("routing socket: answer refused: %s", why);
			return;
		}
		reply->found = 1;
		reply->index = rtm.rtm_index;
		if (sa[RTAX_GATEWAY].p != NULL) {
			reply->gwlen = sa[RTAX_GATEWAY].len;
			memcpy(reply->gw, sa[RTAX_GATEWAY].p, reply->gwlen);
		}
		reply->has_ifa = rtmsg_sin_addr(&sa[RTAX_IFA], AF_INET,
		    &reply->ifa) == 0;
		reply->has_dst = rtmsg_sin_addr(&sa[RTAX_DST], AF_INET,
		    &reply->dst) == 0;
		/* rtm_report() leaves the netmask out of a host route. */
		if (rtmsg_mask_addr(&sa[RTAX_NETMASK], &reply->mask) == -1)
			reply->mask = 0xffffffffU;
		return;
	}
}

/*
 * Sends one request (route(4)) and returns its errno: write(2) fails with
 * the error the kernel also puts in rtm_errno of its answer.  The answer
 * (SO_USELOOPBACK is on for routing sockets) is read for RTM_GET, whose
 * payload we want, and to keep the socket empty.
 */
static int
rt_request(struct ob_rtsock *rs, const struct ob_rtreq *req,
    struct ob_rtreply *reply)
{
	union {
		struct rt_msghdr	rtm;
		uint8_t			b[OB_MSGLEN];
	}			 u;
	struct sockaddr_in	 dst, mask;
	struct sockaddr_dl	 sdl;
	size_t			 off = sizeof(struct rt_msghdr);
	ssize_t			 n;
	int			 err = 0, rtm_errno = -1, bad;

	memset(&u, 0, sizeof(u));
	sin_set(&dst, req->dst);
	sin_set(&mask, req->mask);
	/* In RTA_* bit order: DST, GATEWAY, NETMASK, IFP. */
	bad = rtmsg_put(u.b, sizeof(u.b), &off, &dst, sizeof(dst), OB_ALIGN);
	u.rtm.rtm_addrs = RTA_DST;
	if (req->gw != NULL) {
		bad |= rtmsg_put(u.b, sizeof(u.b), &off, req->gw, req->gwlen,
		    OB_ALIGN);
		u.rtm.rtm_addrs |= RTA_GATEWAY;
	}
	bad |= rtmsg_put(u.b, sizeof(u.b), &off, &mask, sizeof(mask),
	    OB_ALIGN);
	u.rtm.rtm_addrs |= RTA_NETMASK;
	if (req->ifindex != 0) {
		/* The kernel takes the interface by index (rtm_getifa). */
		memset(&sdl, 0, sizeof(sdl));
		sdl.sdl_len = sizeof(sdl);
		sdl.sdl_family = AF_LINK;
		sdl.sdl_index = req->ifindex;
		bad |= rtmsg_put(u.b, sizeof(u.b), &off, &sdl, sizeof(sdl),
		    OB_ALIGN);
		u.rtm.rtm_addrs |= RTA_IFP;
	}
	if (bad != 0) {
		log_warnx("routing socket: request does not fit");
		return EINVAL;
	}
	u.rtm.rtm_msglen = off;
	u.rtm.rtm_version = RTM_VERSION;
	u.rtm.rtm_type = req->type;
	u.rtm.rtm_hdrlen = sizeof(struct rt_msghdr);
	u.rtm.rtm_tableid = req->table;
	u.rtm.rtm_flags = req->flags;
	u.rtm.rtm_fmask = req->fmask;
	u.rtm.rtm_priority = req->priority;
	u.rtm.rtm_seq = ++rs->seq;

	rt_filter(rs, req->table);
	rt_drain(rs);
	if ((n = write(rs->fd, u.b, off)) == -1)
		err = errno;
	else if ((size_t)n != off)
		err = EIO;

	/* The kernel queues its answer before write() returns. */
	if (reply != NULL)
		memset(reply, 0, sizeof(*reply));
	rt_read_reply(rs, req, reply, &rtm_errno);
	if (err == 0 && rtm_errno > 0)
		err = rtm_errno;
	if (err == 0 && reply != NULL && !reply->found) {
		log_warnx("routing socket: no answer to our request "
		    "(lost to a full socket buffer?)");
		err = EIO;
	}
	return err;
}

static int
ifreq_ioctl(int fd, const char *name, unsigned long req, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, name, sizeof(ifr->ifr_name));
	return ioctl(fd, req, ifr) == -1 ? errno : 0;
}

/*
 * One step of setting a tunnel up: the ioctl, and on failure a line
 * naming the interface, the step and the errno.
 */
static int
gif_step(int fd, const char *name, unsigned long req, void *arg,
    const char *fmt, ...)
{
	va_list	ap;
	char	step[128];
	int	err;

	if (ioctl(fd, req, arg) != -1)
		return 0;
	err = errno;
	va_start(ap, fmt);
	vsnprintf(step, sizeof(step), fmt, ap);
	va_end(ap);
	log_errno(err, "%s: %s", name, step);
	return err;
}

/* Our mark: the interface description (SIOCSIFDESCR, ifioctl() in if.c). */
static int
gif_mark(struct ob_ctx *ctx, const char *name)
{
	struct ifreq	ifr;
	char		descr[] = KERN_TUNNEL_MARK;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	ifr.ifr_data = (caddr_t)descr;
	return gif_step(ctx->ifs, name, SIOCSIFDESCR, &ifr,
	    "SIOCSIFDESCR (%s)", descr);
}

/*
 * Whether gifN carries our mark.  SIOCGIFDESCR copies out at most
 * IFDESCRSIZE bytes, NUL ended (ifioctl_get() in sys/net/if.c).
 */
static int
gif_marked(struct ob_ctx *ctx, const char *name)
{
	struct ifreq	ifr;
	char		descr[IFDESCRSIZE];

	memset(&ifr, 0, sizeof(ifr));
	memset(descr, 0, sizeof(descr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	ifr.ifr_data = (caddr_t)descr;
	if (ioctl(ctx->ifs, SIOCGIFDESCR, &ifr) == -1)
		return 0;
	descr[sizeof(descr) - 1] = '\0';
	return strcmp(descr, KERN_TUNNEL_MARK) == 0;
}

/* SIOCAIFADDR of our 44 address as a /32; adds, never replaces others. */
static int
gif_addr44(struct ob_ctx *ctx, const char *name, uint32_t addr44)
{
	struct ifaliasreq	ifra;
	struct sockaddr_in	sin;
	char			aa[ADDR_STRLEN];

	memset(&ifra, 0, sizeof(ifra));
	strlcpy(ifra.ifra_name, name, sizeof(ifra.ifra_name));
	sin_set(&sin, addr44);
	memcpy(&ifra.ifra_addr, &sin, sizeof(sin));
	sin_set(&sin, 0xffffffffU);
	memcpy(&ifra.ifra_mask, &sin, sizeof(sin));
	return gif_step(ctx->ifs, name, SIOCAIFADDR, &ifra, "SIOCAIFADDR "
	    "(%s/32)", fmt_addr(addr44, aa));
}

/* SIOCSLIFPHYADDR: the outer addresses (gif_ioctl() in if_gif.c). */
/* gif_ioctl() in sys/net/if_gif.c takes 1280..8192 (GIF_MTU_MIN/MAX). */
static int
gif_mtu(struct ob_ctx *ctx, const char *name, int mtu)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	ifr.ifr_mtu = mtu;
	return gif_step(ctx->ifs, name, SIOCSIFMTU, &ifr, "SIOCSIFMTU (%d)",
	    mtu);
}

static int
gif_ends(struct ob_ctx *ctx, const char *name, uint32_t local,
    uint32_t remote)
{
	struct if_laddrreq	lr;
	struct sockaddr_in	sin;
	char			la[ADDR_STRLEN], ra[ADDR_STRLEN];

	memset(&lr, 0, sizeof(lr));
	strlcpy(lr.iflr_name, name, sizeof(lr.iflr_name));
	sin_set(&sin, local);
	memcpy(&lr.addr, &sin, sizeof(sin));
	sin_set(&sin, remote);
	memcpy(&lr.dstaddr, &sin, sizeof(sin));
	return gif_step(ctx->ifs, name, SIOCSLIFPHYADDR, &lr,
	    "SIOCSLIFPHYADDR (tunnel %s %s)", fmt_addr(local, la),
	    fmt_addr(remote, ra));
}

/*
 * gif(4), ifconfig(8): create; our mark, first, so that whatever happens
 * next a gif of ours is known as ours; tunnel local remote; tunneldomain;
 * rdomain; up; our 44 address as a /32 so that what this host sends
 * itself (ICMP errors too) leaves with a 44 source.  The address comes
 * last because SIOCSIFRDOMAIN takes the addresses off an interface
 * (if_setrdomain() in sys/net/if.c purges them).
 */
static int
ob_tunnel_add(void *arg, struct kern_tunnel *t)
{
	struct ob_ctx		*ctx = arg;
	struct ifreq		 ifr;
	char			 name[IFNAMSIZ];
	unsigned int		 index;
	int			 err, e;

	if (t->unit < 0 || !domain_ok(t->rdomain) ||
	    !domain_ok(t->tunneldomain)) {
		log_warnx("tunnel add refused: unit %d, rdomain %d, "
		    "tunneldomain %d out of range", t->unit, t->rdomain,
		    t->tunneldomain);
		return EINVAL;
	}
	gif_name(name, t->unit);

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	if ((err = gif_step(ctx->ifs, name, SIOCIFCREATE, &ifr,
	    "SIOCIFCREATE")) != 0)
		return err;
	if ((err = gif_mark(ctx, name)) != 0)
		goto fail;
	if ((err = gif_ends(ctx, name, t->local, t->remote)) != 0)
		goto fail;

	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	ifr.ifr_rdomainid = t->tunneldomain;
	if ((err = gif_step(ctx->ifs, name, SIOCSLIFPHYRTABLE, &ifr,
	    "SIOCSLIFPHYRTABLE (tunneldomain %d)", t->tunneldomain)) != 0)
		goto fail;

	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	ifr.ifr_rdomainid = t->rdomain;
	if ((err = gif_step(ctx->ifs, name, SIOCSIFRDOMAIN, &ifr,
	    "SIOCSIFRDOMAIN (rdomain %d)", t->rdomain)) != 0)
		goto fail;

	if (t->mtu > 0 && (err = gif_mtu(ctx, name, t->mtu)) != 0)
		goto fail;

	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	if ((err = gif_step(ctx->ifs, name, SIOCGIFFLAGS, &ifr,
	    "SIOCGIFFLAGS")) != 0)
		goto fail;
	ifr.ifr_flags |= IFF_UP;
	if ((err = gif_step(ctx->ifs, name, SIOCSIFFLAGS, &ifr,
	    "SIOCSIFFLAGS (up)")) != 0)
		goto fail;

	if (t->addr44 != 0 && (err = gif_addr44(ctx, name, t->addr44)) != 0)
		goto fail;
	/*
	 * The index tells this gif from an earlier one of the same unit
	 * whose events are still queued (if_clone_destroy() in if.c).
	 */
	if ((index = if_nametoindex(name)) == 0) {
		err = errno != 0 ? errno : ENXIO;
		log_errno(err, "%s: its interface index", name);
		goto fail;
	}
	unit_set(ctx, t->unit, 1, index);
	t->ifindex = (int)index;
	t->marked = 1;
	return 0;

fail:
	/* Half made: take it away again, so a retry starts clean. */
	if ((e = ifreq_ioctl(ctx->ifs, name, SIOCIFDESTROY, &ifr)) != 0)
		log_errno(e, "%s: SIOCIFDESTROY after a failed set-up", name);
	return err;
}

static int
ob_tunnel_delete(void *arg, int unit)
{
	struct ob_ctx	*ctx = arg;
	struct ifreq	 ifr;
	char		 name[IFNAMSIZ];
	int		 err;

	if (unit < 0) {
		log_warnx("tunnel delete refused: unit %d", unit);
		return EINVAL;
	}
	gif_name(name, unit);
	err = ifreq_ioctl(ctx->ifs, name, SIOCIFDESTROY, &ifr);
	if (err == 0 || err == ENXIO)
		unit_forget(ctx, unit);
	else
		log_errno(err, "%s: SIOCIFDESTROY", name);
	return err;
}

/*
 * Changes gifN in place, each change its own ioctl.  The mark is checked
 * on nothing here: the reconciler only asks for gifs it adopted.
 */
static int
ob_tunnel_modify(void *arg, const struct kern_tunnel *t, unsigned int what)
{
	struct ob_ctx		*ctx = arg;
	struct if_laddrreq	 lr;
	char			 name[IFNAMSIZ];
	uint32_t		 remote;
	int			 err;

	if (t->unit < 0 || what == 0 || (what & ~(KERN_TUN_ADDR44 |
	    KERN_TUN_MARK | KERN_TUN_LOCAL | KERN_TUN_MTU)) != 0 ||
	    ((what & KERN_TUN_ADDR44) && t->addr44 == 0) ||
	    ((what & KERN_TUN_MTU) && t->mtu <= 0)) {
		log_warnx("tunnel modify refused: unit %d, changes %#x",
		    t->unit, what);
		return EINVAL;
	}
	gif_name(name, t->unit);
	if (if_nametoindex(name) == 0)
		return ENXIO;
	if ((what & KERN_TUN_MARK) && (err = gif_mark(ctx, name)) != 0)
		return err;
	if ((what & KERN_TUN_ADDR44) &&
	    (err = gif_addr44(ctx, name, t->addr44)) != 0)
		return err;
	if (what & KERN_TUN_LOCAL) {
		/* SIOCSLIFPHYADDR sets both ends: keep the remote. */
		memset(&lr, 0, sizeof(lr));
		strlcpy(lr.iflr_name, name, sizeof(lr.iflr_name));
		if ((err = gif_step(ctx->ifs, name, SIOCGLIFPHYADDR, &lr,
		    "SIOCGLIFPHYADDR")) != 0)
			return err;
		remote = sin_get(&lr.dstaddr);
		if ((err = gif_ends(ctx, name, t->local, remote)) != 0)
			return err;
	}
	if ((what & KERN_TUN_MTU) && (err = gif_mtu(ctx, name, t->mtu)) != 0)
		return err;
	return 0;
}

static int
route_ok(const struct kern_route *r, const char *op)
{
	char	p[PREFIX_STRLEN];

	if (r->len < 0 || r->len > 32 || r->unit < 0 ||
	    !domain_ok(r->rdomain)) {
		log_warnx("route %s refused: /%d via unit %d in table %d "
		    "out of range", op, r->len, r->unit, r->rdomain);
		return EINVAL;
	}
	if ((r->addr & ~addr_mask(r->len)) != 0) {
		log_warnx("route %s refused: %s has host bits set", op,
		    fmt_prefix(r->addr, r->len, p));
		return EINVAL;
	}
	return 0;
}

/*
 * The interface a route goes through, and the IPv4 (44) address on it
 * that serves as the route's gateway (see route_req).  0, ENXIO when the
 * gif is gone, EADDRNOTAVAIL when it has no IPv4 address.
 */
static int
gif_lookup(struct ob_ctx *ctx, int unit, char name[IFNAMSIZ],
    unsigned int *index, uint32_t *addr)
{
	struct ifreq		ifr;
	struct sockaddr_in	sin;
	int			err;

	gif_name(name, unit);
	if ((*index = if_nametoindex(name)) == 0)
		return ENXIO;
	if ((err = ifreq_ioctl(ctx->ifs, name, SIOCGIFADDR, &ifr)) != 0)
		return err;
	memcpy(&sin, &ifr.ifr_addr, sizeof(sin));
	if (sin.sin_family != AF_INET)
		return EADDRNOTAVAIL;
	*addr = ntohl(sin.sin_addr.s_addr);
	return 0;
}

/*
 * A route to r through gifN, as route(8) makes one with
 * "-iface <address on gifN> -ifp gifN":
 *
 * - no RTF_GATEWAY: a gif is point to point, there is no next hop to
 *   resolve, the interface is the way;
 * - gateway: the gif's own IPv4 address (a sockaddr_in), with the gif
 *   named by index in RTA_IFP since every gif carries the same 44 address.
 *   Not a sockaddr_dl gateway: for those route_output() adds RTF_LLINFO
 *   unless RTF_CLONING is set, and route_arp_conflict() then answers
 *   EEXIST to any route whose address falls inside another such route,
 *   which breaks the nested prefixes of the AMPRNet table (a /29 inside
 *   a /24);
 * - not RTF_CLONING: it would clone a /32 for every destination used,
 *   never expired on a gif, and RTM_CHANGE leaves the clones on the old
 *   gif;
 * - RTF_STATIC: made by us, not learnt;
 * - our priority (rtm_priority), the mark of our routes;
 * - RTF_HOST for a /32.
 *
 * The gif needs an IPv4 address for any route through it: the kernel
 * takes the route's source address from it (ifaof_ifpforaddr).
 */
static int
route_req(struct ob_ctx *ctx, int type, const struct kern_route *r,
    struct ob_rtreq *req, struct sockaddr_in *gw, char name[IFNAMSIZ])
{
	uint32_t	addr;
	int		err;

	memset(req, 0, sizeof(*req));
	if ((err = gif_lookup(ctx, r->unit, name, &req->ifindex, &addr)) != 0)
		return err;
	sin_set(gw, addr);
	req->type = type;
	req->table = r->rdomain;
	req->priority = ctx->priority;
	req->flags = RTF_UP | RTF_STATIC | (r->len == 32 ? RTF_HOST : 0);
	req->dst = r->addr;
	req->mask = addr_mask(r->len);
	req->gw = gw;
	req->gwlen = sizeof(*gw);
	return 0;
}

static void
route_log(int err, const char *op, const struct kern_route *r,
    const char *name)
{
	char	p[PREFIX_STRLEN];

	fmt_prefix(r->addr, r->len, p);
	if (err == EADDRNOTAVAIL)
		log_errno(err, "%s %s via %s: the gif has no IPv4 address "
		    "for a route to use", op, p, name);
	else
		log_errno(err, "%s %s via %s (table %d)", op, p, name,
		    r->rdomain);
}

/*
 * A 44ripd route in the way (rtmsg_route_owner() says RTMSG_LEGACY): it
 * is replaced once, delete then add, since RTM_CHANGE cannot clear its
 * RTF_CLONING (outside RTF_FMASK) nor move the host routes it cloned.
 * Only one through a gif: anything else of that shape is not 44ripd's.
 */
static int
legacy_remove(struct ob_ctx *ctx, const struct ob_rtreq *get,
    const struct ob_rtreply *held, const struct kern_route *r)
{
	struct ob_rtreq	req = *get;
	char		ifname[IFNAMSIZ], p[PREFIX_STRLEN];
	int		err;

	if (held->gwlen == 0 || if_indextoname(held->index, ifname) == NULL ||
	    rtmsg_gif_unit(ifname) == -1)
		return EADDRINUSE;
	req.type = RTM_DELETE;
	req.gw = held->gw;
	req.gwlen = held->gwlen;
	req.priority = held->priority;
	if ((err = rt_request(&ctx->rt, &req, NULL)) != 0 && err != ESRCH)
		return err;
	log_info("%s: replaced the 44ripd route via %s",
	    fmt_prefix(r->addr, r->len, p), ifname);
	return 0;
}

/*
 * RTM_ADD with our priority, after an RTM_GET of the exact prefix with
 * RTP_ANY: rtable_lookup() (sys/net/rtable.c) with a netmask matches the
 * prefix exactly and answers its best-priority route.  Ours: EEXIST (the
 * reconciler changes it); another owner's: EADDRINUSE, untouched, since
 * the kernel would keep both (one slot per priority, rtable_insert()).
 * RTM_ADD itself can land on a covering RTF_CACHED route and change that
 * one instead (rtm_output(), "goto change"): the answer names the route
 * it touched, and one that is not ours is reported as held.
 */
static int
ob_route_add(void *arg, const struct kern_route *r)
{
	struct ob_ctx		*ctx = arg;
	struct ob_rtreq		 req, get;
	struct ob_rtreply	 reply;
	struct sockaddr_in	 gw;
	char			 name[IFNAMSIZ], p[PREFIX_STRLEN];
	char			 q[PREFIX_STRLEN];
	int			 err;

	if ((err = route_ok(r, "add")) != 0)
		return err;
	if ((err = route_req(ctx, RTM_ADD, r, &req, &gw, name)) != 0)
		goto out;
	get = req;
	get.type = RTM_GET;
	get.flags = 0;
	get.gw = NULL;
	get.gwlen = 0;
	get.ifindex = 0;
	get.priority = 0;
	err = rt_request(&ctx->rt, &get, &reply);
	if (err == 0) {
		switch (rtmsg_route_owner(reply.flags, reply.priority,
		    ctx->priority)) {
		case RTMSG_OURS:
			return EEXIST;
		case RTMSG_LEGACY:
			if ((err = legacy_remove(ctx, &get, &reply, r)) != 0) {
				if (err == EADDRINUSE)
					return err;
				goto out;
			}
			break;
		case RTMSG_FOREIGN:
			return EADDRINUSE;
		}
	} else if (err != ESRCH)
		goto out;
	if ((err = rt_request(&ctx->rt, &req, &reply)) != 0)
		goto out;
	if (!reply.has_dst || reply.dst != req.dst || reply.mask != req.mask) {
		log_warnx("RTM_ADD %s changed the cached route %s instead: "
		    "left to it", fmt_prefix(r->addr, r->len, p),
		    reply.has_dst && rtmsg_mask_len(reply.mask) != -1 ?
		    fmt_prefix(reply.dst, rtmsg_mask_len(reply.mask), q) :
		    "(unreadable)");
		return EADDRINUSE;
	}
	return 0;
out:
	/* EEXIST is the reconciler's cue to change it: not an error. */
	if (err != EEXIST)
		route_log(err, "RTM_ADD", r, name);
	return err;
}

/* Our priority only: rtm_output() RTM_CHANGE looks the route up by it. */
static int
ob_route_change(void *arg, const struct kern_route *r)
{
	struct ob_ctx		*ctx = arg;
	struct ob_rtreq		 req;
	struct sockaddr_in	 gw;
	char			 name[IFNAMSIZ];
	int			 err;

	if ((err = route_ok(r, "change")) != 0)
		return err;
	if ((err = route_req(ctx, RTM_CHANGE, r, &req, &gw, name)) == 0) {
		/*
		 * The kernel finds the route by prefix when the gateway
		 * differs, moves it to the gif of RTA_IFP, and through
		 * rtm_fmask drops an RTF_LLINFO an older sockaddr_dl route
		 * carried.
		 */
		req.fmask = RTF_LLINFO | RTF_STATIC;
		err = rt_request(&ctx->rt, &req, NULL);
		if (err == ESRCH)
			return ob_route_add(ctx, r);
	}
	if (err != 0)
		route_log(err, "RTM_CHANGE", r, name);
	return err;
}

/*
 * By our priority: RTM_DELETE ignores RTA_IFP (rtm_output() looks up
 * prefix, gateway and priority only), and every gif's routes share one
 * gateway address, so the priority is what keeps another owner's route
 * of the prefix safe.  A route the kernel holds as RTF_CACHED is only
 * invalidated, not deleted, with success: then ask again.
 */
static int
ob_route_delete(void *arg, const struct kern_route *r)
{
	struct ob_ctx		*ctx = arg;
	struct ob_rtreq		 req;
	struct ob_rtreply	 reply;
	struct sockaddr_in	 gw;
	char			 name[IFNAMSIZ], p[PREFIX_STRLEN];
	int			 err;

	if ((err = route_ok(r, "delete")) != 0)
		return err;
	err = route_req(ctx, RTM_DELETE, r, &req, &gw, name);
	/* The kernel drops a gif's routes with the gif or its address. */
	if (err == ENXIO || err == EADDRNOTAVAIL)
		return ESRCH;
	if (err == 0)
		err = rt_request(&ctx->rt, &req, &reply);
	if (err == 0 && (reply.flags & RTF_CACHED)) {
		req.type = RTM_GET;
		req.gw = NULL;
		req.gwlen = 0;
		req.ifindex = 0;
		err = rt_request(&ctx->rt, &req, &reply);
		if (err == 0) {
			log_warnx("RTM_DELETE %s: the kernel kept it (cached)",
			    fmt_prefix(r->addr, r->len, p));
			return EBUSY;
		}
		if (err == ESRCH)
			err = 0;
	}
	if (err != 0 && err != ESRCH)
		route_log(err, "RTM_DELETE", r, name);
	return err;
}

/* SIOCGLIFPHYADDR / SIOCGLIFPHYRTABLE: the outer side of a gif. */
static int
gif_outer(struct ob_ctx *ctx, const struct ob_gif *g, struct kern_tunnel *t)
{
	struct if_laddrreq	lr;
	struct ifreq		ifr;
	char			name[IFNAMSIZ];
	int			err = 0;

	gif_name(name, g->unit);
	memset(&lr, 0, sizeof(lr));
	strlcpy(lr.iflr_name, name, sizeof(lr.iflr_name));
	/* No tunnel set: remote 0.  IPv6 outer addresses read as 0 too. */
	if (ioctl(ctx->ifs, SIOCGLIFPHYADDR, &lr) == 0) {
		t->local = sin_get(&lr.addr);
		t->remote = sin_get(&lr.dstaddr);
	} else if ((err = errno) != EADDRNOTAVAIL) {
		if (err != ENXIO)
			log_errno(err, "%s: SIOCGLIFPHYADDR", name);
		return err;
	}
	err = ifreq_ioctl(ctx->ifs, name, SIOCGLIFPHYRTABLE, &ifr);
	if (err != 0) {
		if (err != ENXIO)
			log_errno(err, "%s: SIOCGLIFPHYRTABLE", name);
		return err;
	}
	t->tunneldomain = ifr.ifr_rdomainid;
	return 0;
}

/*
 * Our routes in the interface domain (sysctl NET_RT_DUMP; the name is af,
 * op, argument, table, and a positive argument keeps only the routes of
 * that priority: sysctl_dumpentry() in sys/net/rtsock.c): each route of
 * our priority, static, through one of gifs.  The kernel's host route to
 * a gif's destination, an operator's route through gif0, a 44ripd route:
 * none is ours, none is reported.
 */
static int
scan_routes(struct ob_ctx *ctx, const struct ob_giflist *gifs,
    kern_route_cb rcb, void *arg)
{
	int			 mib[7] = { CTL_NET, PF_ROUTE, 0, AF_INET,
				    NET_RT_DUMP, ctx->priority,
				    ctx->cfg.rdomain };
	struct rt_msghdr	 rtm;
	struct rtmsg_sa		 sa[RTMSG_AX_MAX];
	struct kern_route	 kr;
	const uint8_t		*msg;
	const char		*why = NULL;
	uint8_t			*buf;
	size_t			 len, off = 0, msglen, aoff, i;
	uint32_t		 dst, mask;
	int			 err;

	if (rcb == NULL)
		return 0;
	if ((err = rt_sysctl(mib, 7, &buf, &len)) != 0) {
		/* No such table yet: no routes in it. */
		if (err == ENOENT)
			return 0;
		log_errno(err, "sysctl NET_RT_DUMP (table %d)",
		    ctx->cfg.rdomain);
		return err;
	}
	while (rtmsg_next(buf, len, &off, &msg, &msglen, &why) == 0) {
		if (msg[2] != RTM_VERSION || msg[3] != RTM_GET)
			continue;
		if (msg_header(msg, msglen, &rtm, sizeof(rtm), &aoff,
		    &why) == -1 || rtmsg_split(msg + aoff, msglen - aoff,
		    rtm.rtm_addrs, OB_ALIGN, sa, &why) == -1)
			break;
		if (rtmsg_route_owner(rtm.rtm_flags, rtm.rtm_priority,
		    ctx->priority) != RTMSG_OURS)
			continue;
		for (i = 0; i < gifs->n; i++)
			if (gifs->v[i].index == rtm.rtm_index)
				break;
		if (i == gifs->n ||
		    rtmsg_sin_addr(&sa[RTAX_DST], AF_INET, &dst) == -1)
			continue;
		if (rtm.rtm_flags & RTF_HOST)
			mask = 0xffffffffU;
		else if (rtmsg_mask_addr(&sa[RTAX_NETMASK], &mask) == -1 ||
		    rtmsg_mask_len(mask) == -1) {
			log_warnx("route table %d: route without a usable "
			    "netmask skipped", ctx->cfg.rdomain);
			continue;
		}
		kr.len = rtmsg_mask_len(mask);
		kr.addr = dst & mask;
		kr.unit = gifs->v[i].unit;
		kr.rdomain = ctx->cfg.rdomain;
		rcb(arg, &kr);
	}
	free(buf);
	if (why != NULL) {
		log_warnx("route table %d: %s", ctx->cfg.rdomain, why);
		return EBADMSG;
	}
	return 0;
}

static int
ob_scan(void *arg, kern_tunnel_cb tcb, kern_route_cb rcb, void *cbarg)
{
	struct ob_ctx		*ctx = arg;
	struct ob_giflist	 gifs;
	struct kern_tunnel	 t;
	char			 name[IFNAMSIZ];
	size_t			 i;
	int			 err = 0;

	memset(&gifs, 0, sizeof(gifs));
	if (read_iflist(&gifs, -1, NULL) == -1) {
		free(gifs.v);
		return EBADMSG;
	}
	for (i = 0; i < gifs.n; i++) {
		memset(&t, 0, sizeof(t));
		t.unit = gifs.v[i].unit;
		t.rdomain = gifs.v[i].rdomain;
		t.addr44 = gifs.v[i].addr;
		t.up = gifs.v[i].up;
		t.ifindex = (int)gifs.v[i].index;
		t.mtu = gifs.v[i].mtu;
		if ((err = gif_outer(ctx, &gifs.v[i], &t)) == ENXIO) {
			/* Destroyed since the list was read. */
			gifs.v[i].index = 0;
			err = 0;
			continue;
		}
		if (err != 0)
			break;
		gif_name(name, t.unit);
		t.marked = gif_marked(ctx, name);
		unit_set(ctx, t.unit, t.up, gifs.v[i].index);
		if (tcb != NULL)
			tcb(cbarg, &t);
	}
	if (err == 0)
		err = scan_routes(ctx, &gifs, rcb, cbarg);
	free(gifs.v);
	return err;
}

/*
 * After RTM_DESYNC some events were lost: compare the gifs we follow with
 * the interface list and report what changed.
 */
static void
resync(struct ob_ctx *ctx, kern_event_cb cb, void *arg)
{
	struct ob_giflist	 gifs;
	struct kern_event	 ev;
	struct ob_unit		*u;
	size_t			 i, j;

	memset(&gifs, 0, sizeof(gifs));
	if (read_iflist(&gifs, -1, NULL) == -1) {
		free(gifs.v);
		return;
	}
	for (i = 0; i < ctx->nunits; ) {
		u = &ctx->units[i];
		for (j = 0; j < gifs.n && gifs.v[j].unit != u->unit; j++)
			;
		ev.unit = u->unit;
		ev.ifindex = (int)u->index;
		if (j == gifs.n || (u->index != 0 &&
		    gifs.v[j].index != u->index)) {
			/* Gone, or gone and made again: a new index. */
			ev.type = KERN_EV_GONE;
			unit_forget(ctx, u->unit);
			cb(arg, &ev);
			if (j < gifs.n) {
				unit_set(ctx, gifs.v[j].unit, gifs.v[j].up,
				    gifs.v[j].index);
				ev.type = KERN_EV_NEW;
				ev.ifindex = (int)gifs.v[j].index;
				cb(arg, &ev);
			}
			continue;
		}
		if (gifs.v[j].up != u->up) {
			u->up = gifs.v[j].up;
			ev.type = u->up ? KERN_EV_UP : KERN_EV_DOWN;
			cb(arg, &ev);
		}
		i++;
	}
	free(gifs.v);
}

/*
 * One message from the event socket (route(4)).  Each names the interface
 * by index as well as by name, and only the index tells a gif from an
 * earlier one of the same unit: if_clone_destroy() (sys/net/if.c) queues
 * RTM_IFINFO down and RTM_IFANNOUNCE departure with the old index, read
 * here maybe after we made the unit again.  Such events are dropped.
 */
static void
event_msg(struct ob_ctx *ctx, const uint8_t *msg, size_t len,
    kern_event_cb cb, void *arg)
{
	struct if_announcemsghdr	 ifan;
	struct if_msghdr		 ifm;
	struct rtmsg_sa			 sa[RTMSG_AX_MAX];
	struct kern_event		 ev;
	struct ob_unit			*u;
	const char			*why = NULL;
	char				 name[IFNAMSIZ];
	size_t				 aoff;
	int				 up;

	switch (msg[3]) {
	case RTM_IFANNOUNCE:
		if (msg_header(msg, len, &ifan, sizeof(ifan), &aoff,
		    &why) == -1)
			break;
		if (ifan.ifan_what != IFAN_DEPARTURE &&
		    ifan.ifan_what != IFAN_ARRIVAL)
			return;
		if (memchr(ifan.ifan_name, '\0', sizeof(ifan.ifan_name)) ==
		    NULL) {
			why = "interface name not terminated";
			break;
		}
		if ((ev.unit = rtmsg_gif_unit(ifan.ifan_name)) == -1)
			return;
		ev.ifindex = (int)ifan.ifan_index;
		u = unit_find(ctx, ev.unit);
		if (ifan.ifan_what == IFAN_ARRIVAL) {
			/*
			 * A gif made by somebody: follow it from now on.  One
			 * we follow already is ours, made since (the same
			 * index), or the arrival is older than its departure
			 * we read before: nothing new either way.
			 */
			if (u != NULL)
				return;
			unit_set(ctx, ev.unit, 0, ifan.ifan_index);
			ev.type = KERN_EV_NEW;
			cb(arg, &ev);
			return;
		}
		if (u == NULL || (u->index != 0 &&
		    u->index != ifan.ifan_index))
			return;
		unit_forget(ctx, ev.unit);
		ev.type = KERN_EV_GONE;
		cb(arg, &ev);
		return;
	case RTM_IFINFO:
		if (msg_header(msg, len, &ifm, sizeof(ifm), &aoff,
		    &why) == -1 || rtmsg_split(msg + aoff, len - aoff,
		    ifm.ifm_addrs, OB_ALIGN, sa, &why) == -1)
			break;
		if (rtmsg_sdl_name(&sa[RTAX_IFP], AF_LINK, name,
		    sizeof(name)) == -1 &&
		    if_indextoname(ifm.ifm_index, name) == NULL)
			return;
		if ((ev.unit = rtmsg_gif_unit(name)) == -1 ||
		    (u = unit_find(ctx, ev.unit)) == NULL ||
		    (u->index != 0 && u->index != ifm.ifm_index))
			return;
		ev.ifindex = (int)ifm.ifm_index;
		up = (ifm.ifm_flags & IFF_UP) != 0;
		if (up == u->up)
			return;
		u->up = up;
		ev.type = up ? KERN_EV_UP : KERN_EV_DOWN;
		cb(arg, &ev);
		return;
	case RTM_DESYNC:
		log_warnx("interface events lost to a full routing socket: "
		    "re-reading the interface list");
		resync(ctx, cb, arg);
		return;
	default:
		return;
	}
	log_warnx("routing socket: event refused: %s", why);
}

static int
ob_events(void *arg, kern_event_cb cb, void *cbarg)
{
	struct ob_ctx	*ctx = arg;
	union {
		struct if_msghdr	ifm;
		uint8_t			b[OB_READLEN];
	}		 u;
	const uint8_t	*msg;
	const char	*why = NULL;
	ssize_t		 n;
	size_t		 off, len;
	int		 err;

	for (;;) {
		if ((n = read(ctx->evs, u.b, sizeof(u.b))) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			err = errno;
			log_errno(err, "routing socket: reading events");
			return err;
		}
		if (n == 0)
			return 0;
		/* One message per read on a routing socket. */
		off = 0;
		if (rtmsg_next(u.b, n, &off, &msg, &len, &why) != 0) {
			log_warnx("routing socket: event refused: %s",
			    why != NULL ? why : "empty");
			continue;
		}
		if (msg[2] != RTM_VERSION)
			continue;
		event_msg(ctx, msg, len, cb, cbarg);
	}
}

static int
ob_event_fd(void *arg)
{
	struct ob_ctx	*ctx = arg;

	return ctx->evs;
}

static void *
ob_open(const struct kern_config *cfg, char *err, size_t errlen)
{
	struct ob_ctx	*ctx;
	unsigned int	 filter, any = RTABLE_ANY;
	int		 rcvbuf = OB_EVRCVBUF;

	if (!domain_ok(cfg->rdomain) || !domain_ok(cfg->tunneldomain)) {
		snprintf(err, errlen, "routing domains %d and %d: OpenBSD "
		    "has 0 to %d", cfg->rdomain, cfg->tunneldomain,
		    RT_TABLEID_MAX);
		return NULL;
	}
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	ctx->cfg = *cfg;
	ctx->ifs = ctx->rt.fd = ctx->evs = -1;
	ctx->priority = cfg->priority != 0 ? cfg->priority :
	    RTMSG_OUR_PRIORITY;
	if (!rtmsg_priority_ok(ctx->priority)) {
		snprintf(err, errlen, "route priority %d cannot mark our "
		    "routes", ctx->priority);
		goto fail;
	}
	/* netintro(4): interface ioctls go to any socket. */
	if ((ctx->ifs = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "ioctl socket: %s", strerror(errno));
		goto fail;
	}
	filter = ROUTE_FILTER(RTM_ADD) | ROUTE_FILTER(RTM_CHANGE) |
	    ROUTE_FILTER(RTM_DELETE) | ROUTE_FILTER(RTM_GET);
	if (rt_open(&ctx->rt, AF_INET, filter, cfg->rdomain, err,
	    errlen) == -1)
		goto fail;

	/*
	 * Events: interface arrivals, departures and flag changes, from any
	 * domain (RTM_IFINFO carries the interface's domain as its table),
	 * non-blocking for events().
	 */
	ctx->evs = socket(AF_ROUTE, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    AF_UNSPEC);
	if (ctx->evs == -1) {
		snprintf(err, errlen, "event routing socket: %s",
		    strerror(errno));
		goto fail;
	}
	filter = ROUTE_FILTER(RTM_IFINFO) | ROUTE_FILTER(RTM_IFANNOUNCE);
	if (setsockopt(ctx->evs, AF_ROUTE, ROUTE_MSGFILTER, &filter,
	    sizeof(filter)) == -1 || setsockopt(ctx->evs, AF_ROUTE,
	    ROUTE_TABLEFILTER, &any, sizeof(any)) == -1) {
		snprintf(err, errlen, "event routing socket filters: %s",
		    strerror(errno));
		goto fail;
	}
	/* Room for bursts; RTM_DESYNC covers the rest. */
	(void)setsockopt(ctx->evs, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf));
	return ctx;

fail:
	ob_close(ctx);
	return NULL;
}

static void
ob_close(void *arg)
{
	struct ob_ctx	*ctx = arg;

	if (ctx == NULL)
		return;
	if (ctx->ifs != -1)
		close(ctx->ifs);
	if (ctx->rt.fd != -1)
		close(ctx->rt.fd);
	if (ctx->evs != -1)
		close(ctx->evs);
	free(ctx->units);
	free(ctx);
}

int
kern_sys_find_local(const struct kern_config *cfg, uint32_t *local)
{
	struct ob_rtsock	rs;
	struct ob_rtreq		req;
	struct ob_rtreply	reply;
	char			err[128], a[ADDR_STRLEN];
	int			e;

	if (!domain_ok(cfg->tunneldomain))
		return EINVAL;
	if (rt_open(&rs, AF_INET, ROUTE_FILTER(RTM_GET), cfg->tunneldomain,
	    err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EIO;
	}
	/* route(4) RTM_GET of 0.0.0.0/0: RTA_IFA is the local address. */
	memset(&req, 0, sizeof(req));
	req.type = RTM_GET;
	req.table = cfg->tunneldomain;
	e = rt_request(&rs, &req, &reply);
	close(rs.fd);
	if (e == ESRCH) {
		log_warnx("no default route in routing table %d",
		    cfg->tunneldomain);
		return ENOENT;
	}
	if (e != 0) {
		log_errno(e, "RTM_GET default route (table %d)",
		    cfg->tunneldomain);
		return e;
	}
	if (!reply.has_ifa) {
		log_warnx("the default route in table %d has no IPv4 "
		    "interface address", cfg->tunneldomain);
		return ENOENT;
	}
	*local = reply.ifa;
	log_debug("local address %s from the default route of table %d",
	    fmt_addr(*local, a), cfg->tunneldomain);
	return 0;
}

int
kern_sys_find_addr44(const struct kern_config *cfg, uint32_t *addr44)
{
	int	found;

	if (!domain_ok(cfg->rdomain))
		return EINVAL;
	if ((found = read_iflist(NULL, cfg->rdomain, addr44)) == -1)
		return EIO;
	if (found == 0) {
		log_warnx("no 44/8 address on any interface in rdomain %d",
		    cfg->rdomain);
		return ENOENT;
	}
	return 0;
}

/*
 * Our 44 addresses in the interface domain.  getifaddrs(3) lists every
 * interface whatever its domain; SIOCGIFRDOMAIN says which one it is in
 * (ifioctl_get() in sys/net/if.c copies ifp->if_rdomain).
 */
int
kern_sys_addrs44(const struct kern_config *cfg, kern_addr44_cb cb, void *arg)
{
	struct ifaddrs		*ifap, *ifa;
	struct ifreq		 ifr;
	struct prefix		 p;
	uint32_t		 mask;
	int			 s, err = 0;

	if (!domain_ok(cfg->rdomain))
		return EINVAL;
	if (getifaddrs(&ifap) == -1) {
		err = errno;
		log_errno(err, "getifaddrs");
		return err;
	}
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
		err = errno;
		log_errno(err, "socket");
		freeifaddrs(ifap);
		return err;
	}
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family !=
		    AF_INET || ifa->ifa_netmask == NULL)
			continue;
		p.addr = ntohl(((const struct sockaddr_in *)
		    (const void *)ifa->ifa_addr)->sin_addr.s_addr);
		if ((p.addr & OB_NET44_MASK) != OB_NET44)
			continue;
		memset(&ifr, 0, sizeof(ifr));
		strlcpy(ifr.ifr_name, ifa->ifa_name, sizeof(ifr.ifr_name));
		/* Gone since the list was read: nothing of ours. */
		if (ioctl(s, SIOCGIFRDOMAIN, &ifr) == -1 ||
		    ifr.ifr_rdomainid != cfg->rdomain)
			continue;
		mask = ntohl(((const struct sockaddr_in *)
		    (const void *)ifa->ifa_netmask)->sin_addr.s_addr);
		if ((p.len = rtmsg_mask_len(mask)) < 0)
			continue;
		cb(arg, &p);
	}
	close(s);
	freeifaddrs(ifap);
	return err;
}
