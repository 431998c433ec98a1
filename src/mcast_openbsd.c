/*
 * The listener's platform part on OpenBSD (see mcast.h).  The socket
 * lives in the routing table of the domain (the process's own when
 * started with route -T N exec, else set with SO_RTABLE).  The domain's
 * interfaces are listed with getifaddrs and SIOCGIFRDOMAIN; a gif is a
 * tunnel, its remote read with SIOCGLIFPHYADDR (none set, or 0.0.0.0:
 * the catch-all).  A routing socket says when interfaces change.
 *
 * OpenBSD hands a group's datagrams to every socket on the port, whoever
 * joined and where (Linux's IP_MULTICAST_ALL has no counterpart), so the
 * arrival interface is what keeps other interfaces out: IP_RECVIF, which
 * ip_savecontrol() in sys/netinet/ip_input.c fills from the packet
 * header's ph_ifidx; gif_input() in sys/net/if_gif.c hands the inner
 * packet to if_vinput() in sys/net/if.c, which sets that to the gif's
 * own index.  gif_find() there falls back to a gif with no remote: the
 * catch-all, open to anyone.
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

#include "log.h"
#include "mcast.h"
#include "rip.h"
#include "rtmsg.h"

#define RTMSG_MAX	2048	/* routing messages: read, dropped */

_Static_assert(CMSG_SPACE(sizeof(struct in_addr)) +
    CMSG_SPACE(sizeof(struct sockaddr_dl)) <= MCAST_CONTROL_LEN,
    "MCAST_CONTROL_LEN too small for IP_RECVDSTADDR and IP_RECVIF");

struct mcast_sys {
	int		 fd;		/* the UDP socket */
	int		 rtfd;		/* routing socket: changes */
	int		 ioctlfd;	/* SIOCGIFRDOMAIN, SIOCGLIFPHYADDR */
	int		 rdomain;
};

static int
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

/* The rdomain of an interface, or -1 when it is gone. */
static int
if_rdomain(const struct mcast_sys *ms, const char *name)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name)) >=
	    sizeof(ifr.ifr_name))
		return -1;
	if (ioctl(ms->ioctlfd, SIOCGIFRDOMAIN, &ifr) == -1)
		return -1;
	return ifr.ifr_rdomainid;
}

/* A gif's remote: 0 with no tunnel set, or one not over IPv4. */
static uint32_t
gif_remote(const struct mcast_sys *ms, const char *name)
{
	struct if_laddrreq	lr;
	struct sockaddr_in	sin;

	memset(&lr, 0, sizeof(lr));
	strlcpy(lr.iflr_name, name, sizeof(lr.iflr_name));
	if (ioctl(ms->ioctlfd, SIOCGLIFPHYADDR, &lr) == -1 ||
	    lr.dstaddr.ss_family != AF_INET)
		return 0;
	memcpy(&sin, &lr.dstaddr, sizeof(sin));
	return ntohl(sin.sin_addr.s_addr);
}

int
mcast_sys_list(struct mcast_sys *ms, struct mcast_list *out)
{
	struct ifaddrs		*ifap, *ifa;
	struct sockaddr_dl	 sdl;
	struct sockaddr_in	 sin;
	struct mcast_iface	 i;
	size_t			 k;

	mcast_list_clear(out);
	if (getifaddrs(&ifap) == -1)
		return -1;
	/* Each interface has one AF_LINK entry: the interfaces first. */
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_LINK ||
		    if_rdomain(ms, ifa->ifa_name) != ms->rdomain)
			continue;
		memset(&sdl, 0, sizeof(sdl));
		memcpy(&sdl, ifa->ifa_addr, ifa->ifa_addr->sa_len <
		    sizeof(sdl) ? ifa->ifa_addr->sa_len : sizeof(sdl));
		memset(&i, 0, sizeof(i));
		i.index = sdl.sdl_index;
		strlcpy(i.name, ifa->ifa_name, sizeof(i.name));
		i.can_join = (ifa->ifa_flags & IFF_MULTICAST) &&
		    !(ifa->ifa_flags & IFF_LOOPBACK);
		i.tunnel = rtmsg_gif_unit(ifa->ifa_name) >= 0;
		i.remote = i.tunnel ? gif_remote(ms, ifa->ifa_name) : 0;
		if (mcast_list_add_iface(out, &i) == -1)
			goto fail;
	}
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET)
			continue;
		for (k = 0; k < out->nifaces; k++)
			if (strcmp(out->ifaces[k].name, ifa->ifa_name) == 0)
				break;
		if (k == out->nifaces)
			continue;
		memcpy(&sin, ifa->ifa_addr, sizeof(sin));
		if (mcast_list_add_addr(out, out->ifaces[k].index,
		    ntohl(sin.sin_addr.s_addr)) == -1)
			goto fail;
	}
	freeifaddrs(ifap);
	return 0;
 fail:
	freeifaddrs(ifap);
	errno = ENOMEM;
	return -1;
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

struct mcast_sys *
mcast_sys_open(int rdomain, char *err, size_t errlen)
{
	struct sockaddr_in	 sin;
	struct mcast_sys	*ms;
	const char		*what = "listener";

	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		goto fail;
	ms->fd = ms->rtfd = ms->ioctlfd = -1;
	ms->rdomain = rdomain;
	what = "UDP socket";
	ms->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ms->fd == -1)
		goto fail;
	/* route -T N exec gave us the table; otherwise take it here. */
	what = "SO_RTABLE";
	if (getrtable() != rdomain &&
	    set_int(ms->fd, SOL_SOCKET, SO_RTABLE, rdomain) == -1)
		goto fail;
	what = "SO_REUSEADDR";
	if (set_int(ms->fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto fail;
	if (set_int(ms->fd, SOL_SOCKET, SO_RCVBUF, MCAST_RCVBUF) == -1)
		log_warn("SO_RCVBUF %d", MCAST_RCVBUF);
	what = "IP_RECVDSTADDR";
	if (set_int(ms->fd, IPPROTO_IP, IP_RECVDSTADDR, 1) == -1)
		goto fail;
	what = "IP_RECVIF";
	if (set_int(ms->fd, IPPROTO_IP, IP_RECVIF, 1) == -1)
		goto fail;
	what = "ioctl socket";
	if ((ms->ioctlfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) == -1)
		goto fail;
	what = "routing socket";
	if ((ms->rtfd = change_socket()) == -1)
		goto fail;
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(RIP_PORT);
	what = "bind port 520";
	if (bind(ms->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	return ms;
 fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	mcast_sys_close(ms);
	return NULL;
}

void
mcast_sys_close(struct mcast_sys *ms)
{
	if (ms == NULL)
		return;
	if (ms->fd != -1)
		close(ms->fd);
	if (ms->rtfd != -1)
		close(ms->rtfd);
	if (ms->ioctlfd != -1)
		close(ms->ioctlfd);
	free(ms);
}

int
mcast_sys_fd(const struct mcast_sys *ms)
{
	return ms->fd;
}

int
mcast_sys_change_fd(const struct mcast_sys *ms)
{
	return ms->rtfd;
}

int
mcast_sys_changes(struct mcast_sys *ms)
{
	char	buf[RTMSG_MAX];
	ssize_t	n;
	int	changed = 0;

	/* What changed does not matter: the listing reads everything. */
	for (;;) {
		n = read(ms->rtfd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS) {
			/* Messages were lost: list anyway. */
			changed = 1;
			continue;
		}
		if (n <= 0)
			break;
		changed = 1;
	}
	return changed;
}

void
mcast_sys_control(const struct msghdr *msg, uint32_t *dst, int *ifindex)
{
	struct sockaddr_dl	 sdl;
	struct in_addr		 in;
	struct cmsghdr		*cm;
	size_t			 len;

	*dst = 0;
	*ifindex = 0;
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL;
	    cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != IPPROTO_IP ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		len = cm->cmsg_len - CMSG_LEN(0);
		if (cm->cmsg_type == IP_RECVDSTADDR && len >= sizeof(in)) {
			memcpy(&in, CMSG_DATA(cm), sizeof(in));
			*dst = ntohl(in.s_addr);
		} else if (cm->cmsg_type == IP_RECVIF &&
		    len >= offsetof(struct sockaddr_dl, sdl_index) +
		    sizeof(sdl.sdl_index)) {
			/* The kernel sends the head of a sockaddr_dl only. */
			memset(&sdl, 0, sizeof(sdl));
			memcpy(&sdl, CMSG_DATA(cm),
			    len < sizeof(sdl) ? len : sizeof(sdl));
			*ifindex = sdl.sdl_index;
		}
	}
}
