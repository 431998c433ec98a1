/*
 * The RIP44 listener on OpenBSD.  The socket lives in the routing table
 * of the domain (the process's own when started with route -T N exec,
 * else set with SO_RTABLE) and joins 224.0.0.9 on every multicast
 * interface of that rdomain but the gifs of ours (those whose unit is not
 * reserved: see mcast.h).  It joins by interface index (struct ip_mreqn):
 * our gifs all carry the same 44 address, often also on gif1 and the
 * LAN, so an address does not name one interface.  Interfaces are listed
 * with getifaddrs and SIOCGIFRDOMAIN; a routing socket says when they
 * change.  OpenBSD hands a group's datagrams to every socket on the port,
 * whoever joined and where (Linux's IP_MULTICAST_ALL has no counterpart),
 * so the arrival interface (IP_RECVIF) is what keeps a peer's tunnel out.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>

#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "mcast.h"
#include "rip.h"
#include "rtmsg.h"

#define RTMSG_MAX	2048	/* routing messages: read, dropped */

/* An interface, as joined or as wanted. */
struct iface {
	int		index;
	char		name[IFNAMSIZ];
};

struct ifaces {
	struct iface	*v;
	size_t		 n;
	size_t		 cap;
};

struct addrs {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

struct mcast {
	int		 fd;		/* the UDP socket */
	int		 rtfd;		/* routing socket: changes */
	int		 ioctlfd;	/* SIOCGIFRDOMAIN */
	int		 rdomain;
	uint32_t	 ifaddr;	/* -i, 0 for every interface */
	const int	*reserved;	/* gif units of the operator (-s) */
	int		 nreserved;
	int		 missing_logged; /* no interface has ifaddr */
	struct ifaces	 joined;
	struct addrs	 local;		/* ours in the domain */
};

static int
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

static int
ifaces_add(struct ifaces *l, const struct iface *i)
{
	struct iface	*grown;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap == 0 ? 16 : l->cap * 2;
		if ((grown = reallocarray(l->v, cap, sizeof(*grown))) == NULL)
			return -1;
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = *i;
	return 0;
}

static const struct iface *
ifaces_find(const struct ifaces *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/* The same interface: its index, and its name (an index is reused). */
static int
ifaces_same(const struct ifaces *l, const struct iface *x)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].index == x->index &&
		    strcmp(l->v[i].name, x->name) == 0)
			return 1;
	return 0;
}

static int
addrs_add(struct addrs *l, uint32_t a)
{
	uint32_t	*grown;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap == 0 ? 16 : l->cap * 2;
		if ((grown = reallocarray(l->v, cap, sizeof(*grown))) == NULL)
			return -1;
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = a;
	return 0;
}

/* The rdomain of an interface, or -1 when it is gone. */
static int
if_rdomain(const struct mcast *mc, const char *name)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name)) >=
	    sizeof(ifr.ifr_name))
		return -1;
	if (ioctl(mc->ioctlfd, SIOCGIFRDOMAIN, &ifr) == -1)
		return -1;
	return ifr.ifr_rdomainid;
}

static int
membership(struct mcast *mc, int op, int index)
{
	struct ip_mreqn	mr;

	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(RIP_GROUP);
	mr.imr_ifindex = index;
	return setsockopt(mc->fd, IPPROTO_IP, op, &mr, sizeof(mr));
}

/*
 * Lists the interfaces of our domain: their addresses into local, those
 * to join into want (with -i, those holding that address; never a peer's
 * tunnel).  0, or -1 with errno.
 */
static int
list_ifaces(struct mcast *mc, struct ifaces *want, struct addrs *local)
{
	struct ifaddrs		*ifap, *ifa;
	struct sockaddr_in	 sin;
	struct iface		 i;
	uint32_t		 addr;
	char			 last[IFNAMSIZ] = "";
	int			 rd = -1;

	if (getifaddrs(&ifap) == -1)
		return -1;
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET)
			continue;
		/* An interface's addresses come together: ask once. */
		if (strcmp(last, ifa->ifa_name) != 0) {
			strlcpy(last, ifa->ifa_name, sizeof(last));
			rd = if_rdomain(mc, ifa->ifa_name);
		}
		if (rd != mc->rdomain)
			continue;
		memcpy(&sin, ifa->ifa_addr, sizeof(sin));
		addr = ntohl(sin.sin_addr.s_addr);
		if (addrs_add(local, addr) == -1)
			goto fail;
		if (mc->ifaddr != 0 ? addr != mc->ifaddr :
		    !(ifa->ifa_flags & IFF_MULTICAST) ||
		    (ifa->ifa_flags & IFF_LOOPBACK))
			continue;
		if (rtmsg_gif_is_peer(ifa->ifa_name, mc->reserved,
		    mc->nreserved) ||
		    ifaces_find(want, ifa->ifa_name) != NULL)
			continue;
		memset(&i, 0, sizeof(i));
		if ((i.index = (int)if_nametoindex(ifa->ifa_name)) == 0)
			continue;
		strlcpy(i.name, ifa->ifa_name, sizeof(i.name));
		if (ifaces_add(want, &i) == -1)
			goto fail;
	}
	freeifaddrs(ifap);
	return 0;
 fail:
	freeifaddrs(ifap);
	errno = ENOMEM;
	return -1;
}

/* Leaves what is no longer wanted (a vanished interface left by itself). */
static void
leave_unwanted(struct mcast *mc, const struct ifaces *want)
{
	struct iface	*j;
	size_t		 i = 0;

	while (i < mc->joined.n) {
		j = &mc->joined.v[i];
		if (ifaces_same(want, j)) {
			i++;
			continue;
		}
		if (membership(mc, IP_DROP_MEMBERSHIP, j->index) == -1 &&
		    errno != EADDRNOTAVAIL && errno != ENXIO)
			log_warn("leaving 224.0.0.9 on %s", j->name);
		log_debug("left 224.0.0.9 on %s", j->name);
		*j = mc->joined.v[--mc->joined.n];
	}
}

static void
join_wanted(struct mcast *mc, const struct ifaces *want)
{
	const struct iface	*w;
	size_t			 i;

	for (i = 0; i < want->n; i++) {
		w = &want->v[i];
		if (ifaces_same(&mc->joined, w))
			continue;
		if (membership(mc, IP_ADD_MEMBERSHIP, w->index) == -1 &&
		    errno != EADDRINUSE) {
			if (errno != EADDRNOTAVAIL && errno != ENXIO)
				log_warn("joining 224.0.0.9 on %s", w->name);
			continue;
		}
		if (ifaces_add(&mc->joined, w) == -1) {
			/* Untracked, so leave it rather than lose it. */
			membership(mc, IP_DROP_MEMBERSHIP, w->index);
			return;
		}
		log_debug("joined 224.0.0.9 on %s", w->name);
	}
}

int
mcast_refresh(struct mcast *mc)
{
	struct ifaces	want;
	char		a[ADDR_STRLEN];
	size_t		before = mc->joined.n;

	memset(&want, 0, sizeof(want));
	mc->local.n = 0;
	if (list_ifaces(mc, &want, &mc->local) == -1) {
		free(want.v);
		return -1;
	}
	if (mc->ifaddr != 0 && want.n == 0 && !mc->missing_logged) {
		log_warnx("no interface of rdomain %d other than a peer's "
		    "tunnel has address %s (-i) yet", mc->rdomain,
		    fmt_addr(mc->ifaddr, a));
		mc->missing_logged = 1;
	} else if (want.n > 0)
		mc->missing_logged = 0;
	leave_unwanted(mc, &want);
	join_wanted(mc, &want);
	free(want.v);
	if (mc->joined.n != before)
		log_info("224.0.0.9 joined on %zu interface%s", mc->joined.n,
		    mc->joined.n == 1 ? "" : "s");
	return (int)mc->joined.n;
}

static void
mcast_free(struct mcast *mc)
{
	if (mc->fd != -1)
		close(mc->fd);
	if (mc->rtfd != -1)
		close(mc->rtfd);
	if (mc->ioctlfd != -1)
		close(mc->ioctlfd);
	free(mc->joined.v);
	free(mc->local.v);
	free(mc);
}

/* A routing socket that hears interfaces come, go and change address. */
static int
change_socket(void)
{
	unsigned int	filter, table = RTABLE_ANY;
	int		fd;

	fd = socket(AF_ROUTE, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    AF_UNSPEC);
	if (fd == -1)
		return -1;
	filter = ROUTE_FILTER(RTM_IFINFO) | ROUTE_FILTER(RTM_IFANNOUNCE) |
	    ROUTE_FILTER(RTM_NEWADDR) | ROUTE_FILTER(RTM_DELADDR);
	/*
	 * Every table: an interface is made in rdomain 0 and only then
	 * moved into ours.
	 */
	if (setsockopt(fd, AF_ROUTE, ROUTE_MSGFILTER, &filter,
	    sizeof(filter)) == -1 ||
	    setsockopt(fd, AF_ROUTE, ROUTE_TABLEFILTER, &table,
	    sizeof(table)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

struct mcast *
mcast_open(int rdomain, uint32_t ifaddr, const int *reserved, int nreserved,
    char *err, size_t errlen)
{
	struct sockaddr_in	 sin;
	struct mcast		*mc;
	const char		*what;

	if ((mc = calloc(1, sizeof(*mc))) == NULL) {
		snprintf(err, errlen, "listener: %s", strerror(errno));
		return NULL;
	}
	mc->fd = mc->rtfd = mc->ioctlfd = -1;
	mc->rdomain = rdomain;
	mc->ifaddr = ifaddr;
	what = "listener";
	mc->reserved = reserved;
	mc->nreserved = nreserved;
	what = "UDP socket";
	mc->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (mc->fd == -1)
		goto fail;
	/* route -T N exec gave us the table; otherwise take it here. */
	what = "SO_RTABLE";
	if (getrtable() != rdomain &&
	    set_int(mc->fd, SOL_SOCKET, SO_RTABLE, rdomain) == -1)
		goto fail;
	what = "SO_REUSEADDR";
	if (set_int(mc->fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto fail;
	if (set_int(mc->fd, SOL_SOCKET, SO_RCVBUF, MCAST_RCVBUF) == -1)
		log_warn("SO_RCVBUF %d", MCAST_RCVBUF);
	what = "IP_RECVDSTADDR";
	if (set_int(mc->fd, IPPROTO_IP, IP_RECVDSTADDR, 1) == -1)
		goto fail;
	what = "IP_RECVIF";
	if (set_int(mc->fd, IPPROTO_IP, IP_RECVIF, 1) == -1)
		goto fail;
	what = "ioctl socket";
	if ((mc->ioctlfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) == -1)
		goto fail;
	what = "routing socket";
	if ((mc->rtfd = change_socket()) == -1)
		goto fail;
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(RIP_PORT);
	what = "bind port 520";
	if (bind(mc->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	return mc;
 fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	mcast_free(mc);
	return NULL;
}

void
mcast_close(struct mcast *mc)
{
	if (mc != NULL)
		mcast_free(mc);
}

int
mcast_fd(const struct mcast *mc)
{
	return mc->fd;
}

int
mcast_change_fd(const struct mcast *mc)
{
	return mc->rtfd;
}

int
mcast_changes(struct mcast *mc)
{
	char	buf[RTMSG_MAX];
	ssize_t	n;
	int	changed = 0;

	/* What changed does not matter: the refresh lists everything. */
	for (;;) {
		n = read(mc->rtfd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS) {
			/* Messages were lost: refresh anyway. */
			changed = 1;
			continue;
		}
		if (n <= 0)
			break;
		changed = 1;
	}
	return changed;
}

static enum mcast_dest
classify(const struct mcast *mc, uint32_t dst)
{
	size_t	i;

	if (dst == RIP_GROUP)
		return MCAST_TO_GROUP;
	if ((dst & 0xf0000000U) == 0xe0000000U || dst == 0xffffffffU ||
	    dst == 0)
		return MCAST_TO_OTHER;
	/* A subnet broadcast is no address of ours. */
	for (i = 0; i < mc->local.n; i++)
		if (mc->local.v[i] == dst)
			return MCAST_TO_US;
	return MCAST_TO_OTHER;
}

int
mcast_recv(struct mcast *mc, uint8_t *buf, size_t cap,
    struct mcast_datagram *d)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(struct in_addr)) +
				    CMSG_SPACE(sizeof(struct sockaddr_dl))];
	} control;
	struct sockaddr_in	 from;
	struct sockaddr_dl	 sdl;
	struct in_addr		 dst;
	struct msghdr		 msg;
	struct cmsghdr		*cm;
	struct iovec		 iov;
	ssize_t			 n;
	size_t			 len;

	memset(d, 0, sizeof(*d));
	memset(&msg, 0, sizeof(msg));
	memset(&from, 0, sizeof(from));
	iov.iov_base = buf;
	iov.iov_len = cap;
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	do
		n = recvmsg(mc->fd, &msg, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	d->len = (size_t)n;
	if (msg.msg_namelen >= sizeof(from) && from.sin_family == AF_INET) {
		d->src = ntohl(from.sin_addr.s_addr);
		d->sport = ntohs(from.sin_port);
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != IPPROTO_IP ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		len = cm->cmsg_len - CMSG_LEN(0);
		if (cm->cmsg_type == IP_RECVDSTADDR && len >= sizeof(dst)) {
			memcpy(&dst, CMSG_DATA(cm), sizeof(dst));
			d->dst = ntohl(dst.s_addr);
		} else if (cm->cmsg_type == IP_RECVIF &&
		    len >= offsetof(struct sockaddr_dl, sdl_index) +
		    sizeof(sdl.sdl_index)) {
			/* The kernel sends the head of a sockaddr_dl only. */
			memset(&sdl, 0, sizeof(sdl));
			memcpy(&sdl, CMSG_DATA(cm),
			    len < sizeof(sdl) ? len : sizeof(sdl));
			d->ifindex = sdl.sdl_index;
		}
	}
	d->dest = classify(mc, d->dst);
	return 1;
}
