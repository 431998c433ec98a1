/*
 * The listener's platform part on Linux (see mcast.h).  The routing
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
#include "netlink.h"
#include "rip.h"

#define NL_REPLY_MAX	65536	/* one netlink datagram of a dump */
#define NL_REQUEST_MAX	256
#define NL_TIMEOUT	2	/* seconds to wait for a dump's next part */
#define DUMP_TRIES	3	/* dumps cut by a change are redone */

_Static_assert(CMSG_SPACE(sizeof(struct in_pktinfo)) <= MCAST_CONTROL_LEN,
    "MCAST_CONTROL_LEN too small for IP_PKTINFO");

struct mcast_sys {
	int		 fd;		/* the UDP socket */
	int		 qfd;		/* netlink queries */
	int		 nfd;		/* netlink notifications */
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
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

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
dump(struct mcast_sys *ms, int addresses, nl_msg_cb cb, void *arg)
{
	unsigned char		 req[NL_REQUEST_MAX];
	struct sockaddr_nl	 kernel;
	struct nl_msg		 m;
	struct nl_txn		 t;
	const char		*why;
	ssize_t			 n;
	int			 rc;

	ms->seq++;
	if (addresses)
		rc = nl_build_addr_dump(&m, req, sizeof(req), ms->seq);
	else
		rc = nl_build_link_dump(&m, req, sizeof(req), ms->seq, NULL);
	if (rc != 0)
		return rc;
	memset(&kernel, 0, sizeof(kernel));
	kernel.nl_family = AF_NETLINK;
	if (sendto(ms->qfd, req, m.len, 0, (struct sockaddr *)&kernel,
	    sizeof(kernel)) == -1)
		return errno;
	nl_txn_init(&t, ms->seq, ms->portid, 1, cb, arg);
	while (!t.done) {
		n = recv(ms->qfd, ms->reply, NL_REPLY_MAX, MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? ETIMEDOUT : errno;
		if (n > NL_REPLY_MAX) {
			log_warnx("netlink: reply of %zd bytes cut", n);
			return EMSGSIZE;
		}
		if (nl_txn_feed(&t, ms->reply, (size_t)n, &why) == -1) {
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
dump_again(struct mcast_sys *ms, int addresses, nl_msg_cb cb, void *arg,
    void (*restart)(void *))
{
	int	tries, rc = EAGAIN;

	for (tries = 0; tries < DUMP_TRIES && rc == EAGAIN; tries++) {
		restart(arg);
		rc = dump(ms, addresses, cb, arg);
	}
	return rc;
}

static void
restart_links(void *arg)
{
	((struct mcast_sys *)arg)->nlinks = 0;
}

static int
collect_link(void *arg, const struct nl_view *v)
{
	struct mcast_sys	*ms = arg;
	struct nl_link		 link, *grown;
	const char		*why;
	size_t			 cap;

	if (v->type != RTM_NEWLINK)
		return 0;
	if (nl_parse_link(v, &link, &why) == -1) {
		log_warnx("netlink: refused link: %s", why);
		return 0;
	}
	if (ms->nlinks == ms->caplinks) {
		cap = ms->caplinks == 0 ? 32 : ms->caplinks * 2;
		if ((grown = reallocarray(ms->links, cap,
		    sizeof(*grown))) == NULL)
			return ENOMEM;
		ms->links = grown;
		ms->caplinks = cap;
	}
	ms->links[ms->nlinks++] = link;
	return 0;
}

/* The VRF device of our domain, or 0: by its table, never by a name. */
static const struct nl_link *
find_vrf(const struct mcast_sys *ms)
{
	size_t	i;

	if (ms->rdomain == 0)
		return NULL;
	for (i = 0; i < ms->nlinks; i++)
		if (strcmp(ms->links[i].kind, "vrf") == 0 &&
		    ms->links[i].has_table &&
		    ms->links[i].table == nl_domain_table(ms->rdomain))
			return &ms->links[i];
	return NULL;
}

/* Binds the socket to the VRF (or to none).  0, or -1 with errno. */
static int
bind_vrf(struct mcast_sys *ms, const struct nl_link *dev)
{
	int	vrf = dev != NULL ? dev->index : 0;

	if (ms->vrf_known && vrf == ms->vrf)
		return 0;
	if (dev == NULL) {
		if (ms->vrf != 0 && setsockopt(ms->fd, SOL_SOCKET,
		    SO_BINDTODEVICE, "", 0) == -1) {
			log_warn("leaving VRF: SO_BINDTODEVICE");
			return -1;
		}
		if (ms->rdomain != 0)
			log_warnx("no VRF device has table %u: listening "
			    "outside any VRF", nl_domain_table(ms->rdomain));
	} else {
		if (setsockopt(ms->fd, SOL_SOCKET, SO_BINDTODEVICE, dev->name,
		    (socklen_t)strlen(dev->name) + 1) == -1) {
			log_warn("SO_BINDTODEVICE %s", dev->name);
			return -1;
		}
		log_info("listening in VRF %s (table %u)", dev->name,
		    dev->table);
	}
	ms->vrf = vrf;
	ms->vrf_known = 1;
	return 0;
}

struct addr_collect {
	struct mcast_list	*out;
	size_t			 base;	/* addresses before this dump */
};

static void
restart_addrs(void *arg)
{
	struct addr_collect	*c = arg;

	c->out->naddrs = c->base;
}

static int
collect_addr(void *arg, const struct nl_view *v)
{
	struct addr_collect	*c = arg;
	struct nl_addr		 a;
	const char		*why;
	size_t			 i;

	if (v->type != RTM_NEWADDR)
		return 0;
	if (nl_parse_addr(v, &a, &why) == -1) {
		log_warnx("netlink: refused address: %s", why);
		return 0;
	}
	if (a.family != AF_INET || !a.has_local)
		return 0;
	for (i = 0; i < c->out->nifaces; i++)
		if (c->out->ifaces[i].index == a.index)
			return mcast_list_add_addr(c->out, a.index,
			    a.local) == -1 ? ENOMEM : 0;
	return 0;
}

int
mcast_sys_list(struct mcast_sys *ms, struct mcast_list *out)
{
	struct addr_collect	 c;
	const struct nl_link	*link, *vrf;
	struct mcast_iface	 i;
	size_t			 k;
	int			 rc;

	mcast_list_clear(out);
	if ((rc = dump_again(ms, 0, collect_link, ms, restart_links)) != 0)
		goto fail;
	vrf = find_vrf(ms);
	if (bind_vrf(ms, vrf) == -1)
		return -1;
	for (k = 0; k < ms->nlinks; k++) {
		link = &ms->links[k];
		/* A bridge or bond port receives through its master. */
		if (link == vrf || link->master != ms->vrf)
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
	c.out = out;
	c.base = out->naddrs;
	if ((rc = dump_again(ms, 1, collect_addr, &c, restart_addrs)) != 0)
		goto fail;
	return 0;
 fail:
	errno = rc;
	return -1;
}

struct mcast_sys *
mcast_sys_open(int rdomain, char *err, size_t errlen)
{
	struct sockaddr_in	 sin;
	struct mcast_sys	*ms;
	const char		*what = "listener";

	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		goto fail;
	ms->fd = ms->qfd = ms->nfd = -1;
	ms->rdomain = rdomain;
	if ((ms->reply = malloc(NL_REPLY_MAX)) == NULL)
		goto fail;
	what = "UDP socket";
	ms->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ms->fd == -1)
		goto fail;
	what = "SO_REUSEADDR";
	if (set_int(ms->fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto fail;
	/* Root may exceed net.core.rmem_max; anyone else gets the cap. */
	if (set_int(ms->fd, SOL_SOCKET, SO_RCVBUFFORCE, MCAST_RCVBUF) == -1 &&
	    set_int(ms->fd, SOL_SOCKET, SO_RCVBUF, MCAST_RCVBUF) == -1)
		log_warn("SO_RCVBUF %d", MCAST_RCVBUF);
	what = "IP_PKTINFO";
	if (set_int(ms->fd, IPPROTO_IP, IP_PKTINFO, 1) == -1)
		goto fail;
	/* Only the memberships we asked for, not every one on the host. */
	what = "IP_MULTICAST_ALL";
	if (set_int(ms->fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) == -1)
		goto fail;
	what = "netlink socket";
	if ((ms->qfd = netlink_socket(0, &ms->portid)) == -1)
		goto fail;
	if ((ms->nfd = netlink_socket(RTMGRP_LINK | RTMGRP_IPV4_IFADDR,
	    NULL)) == -1)
		goto fail;
	memset(&sin, 0, sizeof(sin));
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
	if (ms->qfd != -1)
		close(ms->qfd);
	if (ms->nfd != -1)
		close(ms->nfd);
	free(ms->links);
	free(ms->reply);
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
	return ms->nfd;
}

int
mcast_sys_changes(struct mcast_sys *ms)
{
	ssize_t	n;
	int	changed = 0;

	/* What changed does not matter: the listing reads everything. */
	for (;;) {
		n = recv(ms->nfd, ms->reply, NL_REPLY_MAX, MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS) {
			/* Notifications were lost: list anyway. */
			changed = 1;
			continue;
		}
		if (n == -1)
			break;
		changed = 1;
	}
	return changed;
}

void
mcast_sys_control(const struct msghdr *msg, uint32_t *dst, int *ifindex)
{
	struct in_pktinfo	 pi;
	struct cmsghdr		*cm;

	*dst = 0;
	*ifindex = 0;
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL;
	    cm = CMSG_NXTHDR((struct msghdr *)msg, cm)) {
		if (cm->cmsg_level != IPPROTO_IP ||
		    cm->cmsg_type != IP_PKTINFO ||
		    cm->cmsg_len < CMSG_LEN(sizeof(pi)))
			continue;
		memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
		*dst = ntohl(pi.ipi_addr.s_addr);
		*ifindex = pi.ipi_ifindex;
	}
}
