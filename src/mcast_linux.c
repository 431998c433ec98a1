/*
 * The listener's platform part on Linux (see mcast_os.h).  The routing
 * domain is a VRF: the socket is bound (SO_BINDTODEVICE) to the VRF
 * device whose table is the domain, when one exists, and the domain's
 * interfaces are those enslaved to it; without one (or for domain 0) the
 * socket stays outside any VRF and the domain is every interface that
 * has no master.  Interfaces are listed, and their changes heard,
 * through rtnetlink; an ipip link is a tunnel, its IFLA_IPTUN_REMOTE the
 * remote (0 for the catch-all, tunl0 or a "remote any" link).
 *
 * IP_MULTICAST_ALL is off: by default Linux hands a socket every
 * datagram for a group that any socket on the host joined on the
 * arrival interface.  IP_PKTINFO names the arrival interface: the
 * tunnel's own index even inside a VRF (ipv4_pktinfo_prepare() takes the
 * iif recorded before the VRF took the packet over).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mcast.h"
#include "mcast_os.h"
#include "netlink.h"

#define NL_REPLY_MAX	65536	/* one netlink datagram of a dump */
#define NL_REQUEST_MAX	256
#define NL_TIMEOUT	2	/* seconds to wait for a dump's next part */
#define DUMP_TRIES	3	/* dumps cut by a change are redone */

_Static_assert(CMSG_SPACE(sizeof(struct in_pktinfo)) <= MCAST_CONTROL_LEN,
    "MCAST_CONTROL_LEN too small for IP_PKTINFO");

struct mcast_os {
	int		 qfd;		/* netlink queries */
	uint32_t	 portid;	/* of qfd */
	uint32_t	 seq;
	int		 rdomain;
	int		 vrf;		/* ifindex bound to, 0 none */
	int		 vrf_known;	/* vrf has been decided once */
	struct nl_link	*links;		/* the last link dump */
	size_t		 nlinks;
	size_t		 caplinks;
	unsigned char	*reply;		/* NL_REPLY_MAX bytes */
};

static int
netlink_socket(uint32_t groups, uint32_t *portid)
{
	struct sockaddr_nl	sa;
	socklen_t		len = sizeof(sa);
	struct timeval		tv = { NL_TIMEOUT, 0 };
	int			fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC |
	    (groups != 0 ? SOCK_NONBLOCK : 0), NETLINK_ROUTE);
	if (fd == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1 ||
	    (groups == 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1)) {
		close(fd);
		return -1;
	}
	if (portid != NULL)
		*portid = sa.nl_pid;
	return fd;
}

/*
 * One dump through the query socket; cb sees each data message.  0, or
 * an errno value (EAGAIN when the dump was interrupted by a change).
 */
static int
dump(struct mcast_os *os, int addresses, nl_msg_cb cb, void *arg)
{
	unsigned char		 req[NL_REQUEST_MAX];
	struct sockaddr_nl	 kernel;
	struct nl_msg		 m;
	struct nl_txn		 t;
	const char		*why;
	ssize_t			 n;
	int			 rc;

	os->seq++;
	if (addresses)
		rc = nl_build_addr_dump(&m, req, sizeof(req), os->seq);
	else
		rc = nl_build_link_dump(&m, req, sizeof(req), os->seq, NULL);
	if (rc != 0)
		return rc;
	memset(&kernel, 0, sizeof(kernel));
	kernel.nl_family = AF_NETLINK;
	if (sendto(os->qfd, req, m.len, 0, (struct sockaddr *)&kernel,
	    sizeof(kernel)) == -1)
		return errno;
	nl_txn_init(&t, os->seq, os->portid, 1, cb, arg);
	while (!t.done) {
		n = recv(os->qfd, os->reply, NL_REPLY_MAX, MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? ETIMEDOUT : errno;
		if (n > NL_REPLY_MAX) {
			log_warnx("netlink: reply of %zd bytes cut", n);
			return EMSGSIZE;
		}
		if (nl_txn_feed(&t, os->reply, (size_t)n, &why) == -1) {
			log_warnx("netlink: refused reply: %s", why);
			return EPROTO;
		}
	}
	if (t.error != 0)
		return t.error;
	if (t.cb_error != 0)
		return t.cb_error;
	return t.interrupted ? EAGAIN : 0;
}

static int
dump_again(struct mcast_os *os, int addresses, nl_msg_cb cb, void *arg,
    void (*restart)(void *))
{
	int	tries, rc = EAGAIN;

	for (tries = 0; tries < DUMP_TRIES && rc == EAGAIN; tries++) {
		restart(arg);
		rc = dump(os, addresses, cb, arg);
	}
	return rc;
}

static void
restart_links(void *arg)
{
	((struct mcast_os *)arg)->nlinks = 0;
}

static int
collect_link(void *arg, const struct nl_view *v)
{
	struct mcast_os	*os = arg;
	struct nl_link		 link, *grown;
	const char		*why;

	if (v->type != RTM_NEWLINK)
		return 0;
	if (nl_parse_link(v, &link, &why) == -1) {
		log_warnx("netlink: refused link: %s", why);
		return 0;
	}
	if ((grown = mcast_grow(os->links, os->nlinks, &os->caplinks,
	    sizeof(*grown))) == NULL)
		return ENOMEM;
	os->links = grown;
	os->links[os->nlinks++] = link;
	return 0;
}

/* The VRF device of our domain, or 0: by its table, never by a name. */
static const struct nl_link *
find_vrf(const struct mcast_os *os)
{
	size_t	i;

	if (os->rdomain == 0)
		return NULL;
	for (i = 0; i < os->nlinks; i++)
		if (strcmp(os->links[i].kind, "vrf") == 0 &&
		    os->links[i].has_table &&
		    os->links[i].table == nl_domain_table(os->rdomain))
			return &os->links[i];
	return NULL;
}

/* Binds the socket to the VRF (or to none).  0, or -1 with errno. */
static int
bind_vrf(struct mcast_os *os, int fd, const struct nl_link *dev)
{
	int	vrf = dev != NULL ? dev->index : 0;

	if (os->vrf_known && vrf == os->vrf)
		return 0;
	if (dev == NULL) {
		if (os->vrf != 0 && setsockopt(fd, SOL_SOCKET,
		    SO_BINDTODEVICE, "", 0) == -1) {
			log_warn("leaving VRF: SO_BINDTODEVICE");
			return -1;
		}
		if (os->rdomain != 0)
			log_warnx("no VRF device has table %u: listening "
			    "outside any VRF", nl_domain_table(os->rdomain));
	} else {
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev->name,
		    (socklen_t)strlen(dev->name) + 1) == -1) {
			log_warn("SO_BINDTODEVICE %s", dev->name);
			return -1;
		}
		log_info("listening in VRF %s (table %u)", dev->name,
		    dev->table);
	}
	os->vrf = vrf;
	os->vrf_known = 1;
	return 0;
}

/* The list was empty before the address dump. */
static void
restart_addrs(void *arg)
{
	((struct mcast_list *)arg)->naddrs = 0;
}

static int
collect_addr(void *arg, const struct nl_view *v)
{
	struct nl_addr	 a;
	const char	*why;

	if (v->type != RTM_NEWADDR)
		return 0;
	if (nl_parse_addr(v, &a, &why) == -1) {
		log_warnx("netlink: refused address: %s", why);
		return 0;
	}
	if (a.family != AF_INET || !a.has_local)
		return 0;
	return mcast_list_add_addr(arg, a.index, a.local) == -1 ? ENOMEM : 0;
}

int
mcast_os_list(struct mcast_os *os, int fd, struct mcast_list *out)
{
	const struct nl_link	*link, *vrf;
	struct mcast_iface	 i;
	size_t			 k;
	int			 rc;

	if ((rc = dump_again(os, 0, collect_link, os, restart_links)) != 0)
		goto fail;
	vrf = find_vrf(os);
	if (bind_vrf(os, fd, vrf) == -1)
		return -1;
	for (k = 0; k < os->nlinks; k++) {
		link = &os->links[k];
		/* A bridge or bond port receives through its master. */
		if (link == vrf || link->master != os->vrf)
			continue;
		memset(&i, 0, sizeof(i));
		i.index = link->index;
		snprintf(i.name, sizeof(i.name), "%s", link->name);
		i.tunnel = strcmp(link->kind, "ipip") == 0;
		i.remote = i.tunnel ? link->remote : 0;
		/* ipip links say they cannot multicast, yet do. */
		i.can_join = !(link->flags & IFF_LOOPBACK) &&
		    ((link->flags & IFF_MULTICAST) || i.tunnel);
		if (mcast_list_add_iface(out, &i) == -1) {
			rc = ENOMEM;
			goto fail;
		}
	}
	if ((rc = dump_again(os, 1, collect_addr, out, restart_addrs)) != 0)
		goto fail;
	return 0;
 fail:
	errno = rc;
	return -1;
}

int
mcast_os_socket(int fd, int rdomain, const char **what)
{
	int	on = 1, off = 0, size = MCAST_RCVBUF;

	/* The domain is a VRF, joined when listing finds its device. */
	(void)rdomain;
	/* Root may exceed net.core.rmem_max (SO_RCVBUF was capped at it). */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	*what = "IP_PKTINFO";
	if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == -1)
		return -1;
	/* Only the memberships we asked for, not every one on the host. */
	*what = "IP_MULTICAST_ALL";
	return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off,
	    sizeof(off));
}

int
mcast_os_change_socket(const char **what)
{
	*what = "netlink socket";
	return netlink_socket(RTMGRP_LINK | RTMGRP_IPV4_IFADDR, NULL);
}

int
mcast_os_open(struct mcast_os **osp, int rdomain, const char **what)
{
	struct mcast_os	*os;

	*what = "listener";
	if ((*osp = os = calloc(1, sizeof(*os))) == NULL)
		return -1;
	os->qfd = -1;
	os->rdomain = rdomain;
	if ((os->reply = malloc(NL_REPLY_MAX)) == NULL)
		return -1;
	*what = "netlink socket";
	os->qfd = netlink_socket(0, &os->portid);
	return os->qfd == -1 ? -1 : 0;
}

void
mcast_os_close(struct mcast_os *os)
{
	if (os == NULL)
		return;
	if (os->qfd != -1)
		close(os->qfd);
	free(os->links);
	free(os->reply);
	free(os);
}

void
mcast_os_control(int type, const unsigned char *data, size_t len,
    uint32_t *dst, int *ifindex)
{
	struct in_pktinfo	pi;

	if (type != IP_PKTINFO || len < sizeof(pi))
		return;
	memcpy(&pi, data, sizeof(pi));
	*dst = ntohl(pi.ipi_addr.s_addr);
	*ifindex = pi.ipi_ifindex;
}
