/*
 * The listener's platform part on OpenBSD (see mcast_os.h).  The socket
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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mcast.h"
#include "mcast_os.h"
#include "rtmsg.h"

_Static_assert(CMSG_SPACE(sizeof(struct in_addr)) +
    CMSG_SPACE(sizeof(struct sockaddr_dl)) <= MCAST_CONTROL_LEN,
    "MCAST_CONTROL_LEN too small for IP_RECVDSTADDR and IP_RECVIF");

struct mcast_os {
	int		 ioctlfd;	/* SIOCGIFRDOMAIN, SIOCGLIFPHYADDR */
	int		 rdomain;
};

/* The rdomain of an interface, or -1 when it is gone. */
static int
if_rdomain(const struct mcast_os *os, const char *name)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name)) >=
	    sizeof(ifr.ifr_name))
		return -1;
	if (ioctl(os->ioctlfd, SIOCGIFRDOMAIN, &ifr) == -1)
		return -1;
	return ifr.ifr_rdomainid;
}

/* A gif's remote: 0 with no tunnel set, or one not over IPv4. */
static uint32_t
gif_remote(const struct mcast_os *os, const char *name)
{
	struct if_laddrreq	lr;
	struct sockaddr_in	sin;

	memset(&lr, 0, sizeof(lr));
	strlcpy(lr.iflr_name, name, sizeof(lr.iflr_name));
	if (ioctl(os->ioctlfd, SIOCGLIFPHYADDR, &lr) == -1 ||
	    lr.dstaddr.ss_family != AF_INET)
		return 0;
	memcpy(&sin, &lr.dstaddr, sizeof(sin));
	return ntohl(sin.sin_addr.s_addr);
}

/* The index of the listed interface named name, 0 for none. */
static int
listed_index(const struct mcast_list *l, const char *name)
{
	size_t	k;

	for (k = 0; k < l->nifaces; k++)
		if (strcmp(l->ifaces[k].name, name) == 0)
			return l->ifaces[k].index;
	return 0;
}

int
mcast_os_list(struct mcast_os *os, int fd, struct mcast_list *out)
{
	struct ifaddrs		*ifap, *ifa;
	struct sockaddr_dl	 sdl;
	struct sockaddr_in	 sin;
	struct mcast_iface	 i;

	/* The socket's table was set once, at open. */
	(void)fd;
	if (getifaddrs(&ifap) == -1)
		return -1;
	/* Each interface has one AF_LINK entry: the interfaces first. */
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_LINK ||
		    if_rdomain(os, ifa->ifa_name) != os->rdomain)
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
		i.remote = i.tunnel ? gif_remote(os, ifa->ifa_name) : 0;
		if (mcast_list_add_iface(out, &i) == -1)
			goto fail;
	}
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET)
			continue;
		memcpy(&sin, ifa->ifa_addr, sizeof(sin));
		if (mcast_list_add_addr(out, listed_index(out, ifa->ifa_name),
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
int
mcast_os_change_socket(const char **what)
{
	unsigned int	filter, table = RTABLE_ANY;
	int		fd;

	*what = "routing socket";
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

int
mcast_os_socket(int fd, int rdomain, const char **what)
{
	int	on = 1;

	/* route -T N exec gave us the table; otherwise take it here. */
	*what = "SO_RTABLE";
	if (getrtable() != rdomain && setsockopt(fd, SOL_SOCKET, SO_RTABLE,
	    &rdomain, sizeof(rdomain)) == -1)
		return -1;
	*what = "IP_RECVDSTADDR";
	if (setsockopt(fd, IPPROTO_IP, IP_RECVDSTADDR, &on, sizeof(on)) == -1)
		return -1;
	*what = "IP_RECVIF";
	return setsockopt(fd, IPPROTO_IP, IP_RECVIF, &on, sizeof(on));
}

int
mcast_os_open(struct mcast_os **osp, int rdomain, const char **what)
{
	struct mcast_os	*os;

	*what = "listener";
	if ((*osp = os = calloc(1, sizeof(*os))) == NULL)
		return -1;
	os->rdomain = rdomain;
	*what = "ioctl socket";
	os->ioctlfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return os->ioctlfd == -1 ? -1 : 0;
}

void
mcast_os_close(struct mcast_os *os)
{
	if (os == NULL)
		return;
	if (os->ioctlfd != -1)
		close(os->ioctlfd);
	free(os);
}

void
mcast_os_control(int type, const unsigned char *data, size_t len,
    uint32_t *dst, int *ifindex)
{
	struct sockaddr_dl	sdl;
	struct in_addr		in;

	if (type == IP_RECVDSTADDR && len >= sizeof(in)) {
		memcpy(&in, data, sizeof(in));
		*dst = ntohl(in.s_addr);
	} else if (type == IP_RECVIF &&
	    len >= offsetof(struct sockaddr_dl, sdl_index) +
	    sizeof(sdl.sdl_index)) {
		/* The kernel sends the head of a sockaddr_dl only. */
		memset(&sdl, 0, sizeof(sdl));
		memcpy(&sdl, data, len < sizeof(sdl) ? len : sizeof(sdl));
		*ifindex = sdl.sdl_index;
	}
}
