/*
 * The RIP44 listener on Linux.  The routing domain is a VRF: the socket
 * is bound (SO_BINDTODEVICE) to the VRF device whose table is the domain,
 * when one exists, and joins 224.0.0.9 on every interface enslaved to it;
 * without one (or for domain 0) it stays outside any VRF and joins on
 * every interface that has no master, but never on a gif of ours (one
 * whose unit is not reserved): see mcast.h.  Interfaces are listed, and
 * their changes heard, through rtnetlink.
 *
 * IP_MULTICAST_ALL is off: by default Linux hands a socket every
 * datagram for a group that any socket on the host joined on the
 * arrival interface, which would let in broadcasts through a peer's
 * tunnel should another program listen there.
 *
 * Linux limits the groups one socket may join (igmp_max_memberships, 20
 * by default); the peers' tunnels are not joined, so only a host with
 * that many plain interfaces in the domain meets it.  Interfaces that
 * are not gifs are joined first, then the reserved gifs by unit.
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

#include "addr.h"
#include "log.h"
#include "mcast.h"
#include "netlink.h"
#include "rip.h"
#include "rtmsg.h"

#define NL_REPLY_MAX	65536	/* one netlink datagram of a dump */
#define NL_REQUEST_MAX	256
#define NL_TIMEOUT	2	/* seconds to wait for a dump's next part */
#define DUMP_TRIES	3	/* dumps cut by a change are redone */

struct joined {
	int	index;
	char	name[IF_NAMESIZE];
};

struct links {
	struct nl_link	*v;
	size_t		 n;
	size_t		 cap;
};

struct mcast {
	int		 fd;		/* the UDP socket */
	int		 qfd;		/* netlink queries */
	int		 nfd;		/* netlink notifications */
	uint32_t	 portid;	/* of qfd */
	uint32_t	 seq;
	int		 rdomain;
	uint32_t	 ifaddr;	/* -i, 0 for every interface */
	const int	*reserved;	/* gif units of the operator (-s) */
	int		 nreserved;
	int		 vrf;		/* ifindex bound to, 0 none */
	int		 vrf_known;	/* vrf has been decided once */
	int		 full_logged;	/* membership limit logged */
	int		 missing_logged; /* no interface has ifaddr */
	struct joined	*joined;
	size_t		 njoined;
	size_t		 capjoined;
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
dump(struct mcast *mc, int addresses, nl_msg_cb cb, void *arg)
{
	unsigned char		 req[NL_REQUEST_MAX];
	struct sockaddr_nl	 kernel;
	struct nl_msg		 m;
	struct nl_txn		 t;
	const char		*why;
	ssize_t			 n;
	int			 rc;

	mc->seq++;
	if (addresses)
		rc = nl_build_addr_dump(&m, req, sizeof(req), mc->seq);
	else
		rc = nl_build_link_dump(&m, req, sizeof(req), mc->seq, NULL);
	if (rc != 0)
		return rc;
	memset(&kernel, 0, sizeof(kernel));
	kernel.nl_family = AF_NETLINK;
	if (sendto(mc->qfd, req, m.len, 0, (struct sockaddr *)&kernel,
	    sizeof(kernel)) == -1)
		return errno;
	nl_txn_init(&t, mc->seq, mc->portid, 1, cb, arg);
	while (!t.done) {
		n = recv(mc->qfd, mc->reply, NL_REPLY_MAX, MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? ETIMEDOUT : errno;
		if (n > NL_REPLY_MAX) {
			log_warnx("netlink: reply of %zd bytes cut", n);
			return EMSGSIZE;
		}
		if (nl_txn_feed(&t, mc->reply, (size_t)n, &why) == -1) {
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
collect_link(void *arg, const struct nl_view *v)
{
	struct links	*l = arg;
	struct nl_link	 link, *grown;
	const char	*why;
	size_t		 cap;

	if (v->type != RTM_NEWLINK)
		return 0;
	if (nl_parse_link(v, &link, &why) == -1) {
		log_warnx("netlink: refused link: %s", why);
		return 0;
	}
	if (l->n == l->cap) {
		cap = l->cap == 0 ? 32 : l->cap * 2;
		if ((grown = reallocarray(l->v, cap, sizeof(*grown))) == NULL)
			return ENOMEM;
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = link;
	return 0;
}

static int
list_links(struct mcast *mc, struct links *l)
{
	int	tries, rc = EAGAIN;

	for (tries = 0; tries < DUMP_TRIES && rc == EAGAIN; tries++) {
		l->n = 0;
		rc = dump(mc, 0, collect_link, l);
	}
	return rc;
}

static const struct nl_link *
link_by_index(const struct links *l, int index)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].index == index)
			return &l->v[i];
	return NULL;
}

/* The VRF device of our domain, or 0: by its table, never by a name. */
static int
find_vrf(const struct mcast *mc, const struct links *l)
{
	size_t	i;

	if (mc->rdomain == 0)
		return 0;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].kind, "vrf") == 0 && l->v[i].has_table &&
		    l->v[i].table == nl_domain_table(mc->rdomain))
			return l->v[i].index;
	return 0;
}

/* Binds the socket to the VRF (or to none).  0, or -1 with errno. */
static int
bind_vrf(struct mcast *mc, const struct links *l, int vrf)
{
	const struct nl_link	*dev;

	if (mc->vrf_known && vrf == mc->vrf)
		return 0;
	if (vrf == 0) {
		if (mc->vrf != 0 && setsockopt(mc->fd, SOL_SOCKET,
		    SO_BINDTODEVICE, "", 0) == -1) {
			log_warn("leaving VRF: SO_BINDTODEVICE");
			return -1;
		}
		if (mc->rdomain != 0)
			log_warnx("no VRF device has table %u: listening "
			    "outside any VRF", nl_domain_table(mc->rdomain));
	} else {
		dev = link_by_index(l, vrf);
		if (setsockopt(mc->fd, SOL_SOCKET, SO_BINDTODEVICE, dev->name,
		    (socklen_t)strlen(dev->name) + 1) == -1) {
			log_warn("SO_BINDTODEVICE %s", dev->name);
			return -1;
		}
		log_info("listening in VRF %s (table %u)", dev->name,
		    dev->table);
	}
	mc->vrf = vrf;
	mc->vrf_known = 1;
	return 0;
}

/*
 * Whether the group is worth joining on link: in our domain, able to carry
 * it (ipip links say they cannot multicast, yet do), not the loopback,
 * not a peer's tunnel.
 */
static int
candidate(const struct mcast *mc, const struct nl_link *link)
{
	if (link->index == mc->vrf || (link->flags & IFF_LOOPBACK))
		return 0;
	if (rtmsg_gif_is_peer(link->name, mc->reserved, mc->nreserved))
		return 0;
	if (!(link->flags & IFF_MULTICAST) && strcmp(link->kind, "ipip") != 0)
		return 0;
	/* A bridge or bond port receives through its master. */
	return link->master == mc->vrf;
}

/* Non-gif interfaces first, then gifs by unit; by index within each. */
static int
join_order(const void *a, const void *b)
{
	const struct nl_link	*x = a, *y = b;
	int			 ux = rtmsg_gif_unit(x->name);
	int			 uy = rtmsg_gif_unit(y->name);

	if ((ux >= 0) != (uy >= 0))
		return ux >= 0 ? 1 : -1;
	if (ux != uy)
		return ux < uy ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
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

static int
is_joined(const struct mcast *mc, int index)
{
	size_t	i;

	for (i = 0; i < mc->njoined; i++)
		if (mc->joined[i].index == index)
			return 1;
	return 0;
}

static int
note_joined(struct mcast *mc, const struct nl_link *link)
{
	struct joined	*grown;
	size_t		 cap;

	if (mc->njoined == mc->capjoined) {
		cap = mc->capjoined == 0 ? 16 : mc->capjoined * 2;
		if ((grown = reallocarray(mc->joined, cap,
		    sizeof(*grown))) == NULL)
			return -1;
		mc->joined = grown;
		mc->capjoined = cap;
	}
	mc->joined[mc->njoined].index = link->index;
	snprintf(mc->joined[mc->njoined].name, IF_NAMESIZE, "%s", link->name);
	mc->njoined++;
	return 0;
}

/* Leaves the interfaces no longer wanted (or gone: nothing to leave). */
static void
leave_unwanted(struct mcast *mc, const struct links *want)
{
	size_t	i = 0;

	while (i < mc->njoined) {
		if (link_by_index(want, mc->joined[i].index) != NULL) {
			i++;
			continue;
		}
		if (membership(mc, IP_DROP_MEMBERSHIP,
		    mc->joined[i].index) == -1 && errno != ENODEV &&
		    errno != EADDRNOTAVAIL)
			log_warn("leaving 224.0.0.9 on %s",
			    mc->joined[i].name);
		log_debug("left 224.0.0.9 on %s", mc->joined[i].name);
		mc->joined[i] = mc->joined[--mc->njoined];
		mc->full_logged = 0;
	}
}

static void
join_wanted(struct mcast *mc, const struct links *want)
{
	const struct nl_link	*link;
	size_t			 i;

	for (i = 0; i < want->n; i++) {
		link = &want->v[i];
		if (is_joined(mc, link->index))
			continue;
		if (membership(mc, IP_ADD_MEMBERSHIP, link->index) == -1 &&
		    errno != EADDRINUSE) {
			if (errno == ENODEV)
				continue;
			if (errno == ENOBUFS) {
				if (!mc->full_logged)
					log_warnx("224.0.0.9 not joined on "
					    "%s and later interfaces: the "
					    "kernel's limit (sysctl net.ipv4."
					    "igmp_max_memberships) is reached",
					    link->name);
				mc->full_logged = 1;
				return;
			}
			log_warn("joining 224.0.0.9 on %s", link->name);
			continue;
		}
		if (note_joined(mc, link) == -1) {
			/* Untracked, so leave it rather than lose it. */
			membership(mc, IP_DROP_MEMBERSHIP, link->index);
			return;
		}
		log_debug("joined 224.0.0.9 on %s", link->name);
	}
}

/* -i: the interfaces holding the address, but a peer's tunnel. */
struct addr_search {
	const struct mcast	*mc;
	const struct links	*links;
	struct links		*want;	/* room for every link */
};

static int
find_address(void *arg, const struct nl_view *v)
{
	struct addr_search	*s = arg;
	const struct nl_link	*link;
	struct nl_addr		 a;
	const char		*why;

	if (v->type != RTM_NEWADDR)
		return 0;
	if (nl_parse_addr(v, &a, &why) == -1) {
		log_warnx("netlink: refused address: %s", why);
		return 0;
	}
	if (a.family != AF_INET || !a.has_local || a.local != s->mc->ifaddr)
		return 0;
	if ((link = link_by_index(s->links, a.index)) == NULL ||
	    rtmsg_gif_is_peer(link->name, s->mc->reserved, s->mc->nreserved) ||
	    link_by_index(s->want, a.index) != NULL)
		return 0;
	if (s->want->n < s->want->cap)
		s->want->v[s->want->n++] = *link;
	return 0;
}

/* The interfaces to join, in the order to join them, copied to want. */
static int
wanted(struct mcast *mc, const struct links *l, struct links *want)
{
	struct addr_search	s;
	char			a[ADDR_STRLEN];
	size_t			i;
	int			rc, tries;

	want->n = 0;
	if ((want->v = calloc(l->n + 1, sizeof(*want->v))) == NULL)
		return ENOMEM;
	want->cap = l->n + 1;
	if (mc->ifaddr != 0) {
		s.mc = mc;
		s.links = l;
		s.want = want;
		rc = EAGAIN;
		for (tries = 0; tries < DUMP_TRIES && rc == EAGAIN; tries++) {
			want->n = 0;
			rc = dump(mc, 1, find_address, &s);
		}
		if (rc != 0)
			return rc;
		if (want->n > 0)
			mc->missing_logged = 0;
		else if (!mc->missing_logged) {
			log_warnx("no interface other than a peer's tunnel "
			    "has address %s (-i) yet",
			    fmt_addr(mc->ifaddr, a));
			mc->missing_logged = 1;
		}
		return 0;
	}
	for (i = 0; i < l->n; i++)
		if (candidate(mc, &l->v[i]))
			want->v[want->n++] = l->v[i];
	qsort(want->v, want->n, sizeof(*want->v), join_order);
	return 0;
}

int
mcast_refresh(struct mcast *mc)
{
	struct links	l, want;
	size_t		before = mc->njoined;
	int		rc;

	memset(&l, 0, sizeof(l));
	memset(&want, 0, sizeof(want));
	if ((rc = list_links(mc, &l)) != 0)
		goto out;
	if (bind_vrf(mc, &l, find_vrf(mc, &l)) == -1) {
		rc = errno;
		goto out;
	}
	if ((rc = wanted(mc, &l, &want)) != 0)
		goto out;
	leave_unwanted(mc, &want);
	join_wanted(mc, &want);
	if (mc->njoined != before)
		log_info("224.0.0.9 joined on %zu interface%s", mc->njoined,
		    mc->njoined == 1 ? "" : "s");
 out:
	free(l.v);
	free(want.v);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return (int)mc->njoined;
}

static void
mcast_free(struct mcast *mc)
{
	if (mc->fd != -1)
		close(mc->fd);
	if (mc->qfd != -1)
		close(mc->qfd);
	if (mc->nfd != -1)
		close(mc->nfd);
	free(mc->joined);
	free(mc->reply);
	free(mc);
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
	mc->fd = mc->qfd = mc->nfd = -1;
	mc->rdomain = rdomain;
	mc->ifaddr = ifaddr;
	what = "listener";
	if ((mc->reply = malloc(NL_REPLY_MAX)) == NULL)
		goto fail;
	mc->reserved = reserved;
	mc->nreserved = nreserved;
	what = "UDP socket";
	mc->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (mc->fd == -1)
		goto fail;
	what = "SO_REUSEADDR";
	if (set_int(mc->fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto fail;
	/* Root may exceed net.core.rmem_max; anyone else gets the cap. */
	if (set_int(mc->fd, SOL_SOCKET, SO_RCVBUFFORCE, MCAST_RCVBUF) == -1 &&
	    set_int(mc->fd, SOL_SOCKET, SO_RCVBUF, MCAST_RCVBUF) == -1)
		log_warn("SO_RCVBUF %d", MCAST_RCVBUF);
	what = "IP_PKTINFO";
	if (set_int(mc->fd, IPPROTO_IP, IP_PKTINFO, 1) == -1)
		goto fail;
	/* Only the memberships we asked for, not every one on the host. */
	what = "IP_MULTICAST_ALL";
	if (set_int(mc->fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) == -1)
		goto fail;
	what = "netlink socket";
	if ((mc->qfd = netlink_socket(0, &mc->portid)) == -1)
		goto fail;
	if ((mc->nfd = netlink_socket(RTMGRP_LINK | RTMGRP_IPV4_IFADDR,
	    NULL)) == -1)
		goto fail;
	memset(&sin, 0, sizeof(sin));
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
	return mc->nfd;
}

int
mcast_changes(struct mcast *mc)
{
	ssize_t	n;
	int	changed = 0;

	/* What changed does not matter: the refresh lists everything. */
	for (;;) {
		n = recv(mc->nfd, mc->reply, NL_REPLY_MAX, MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS) {
			/* Notifications were lost: refresh anyway. */
			changed = 1;
			continue;
		}
		if (n == -1)
			break;
		changed = 1;
	}
	return changed;
}

static enum mcast_dest
classify(uint32_t dst, uint32_t local)
{
	if (dst == RIP_GROUP)
		return MCAST_TO_GROUP;
	if ((dst & 0xf0000000U) == 0xe0000000U || dst == 0xffffffffU)
		return MCAST_TO_OTHER;
	/*
	 * The kernel names the local address the datagram reached; only a
	 * unicast datagram reaches the very address in its header.
	 */
	return dst != 0 && dst == local ? MCAST_TO_US : MCAST_TO_OTHER;
}

int
mcast_recv(struct mcast *mc, uint8_t *buf, size_t cap,
    struct mcast_datagram *d)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(
			    sizeof(struct in_pktinfo))];
	} control;
	struct sockaddr_in	 from;
	struct in_pktinfo	 pi;
	struct msghdr		 msg;
	struct cmsghdr		*cm;
	struct iovec		 iov;
	ssize_t			 n;
	uint32_t		 local = 0;

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
		    cm->cmsg_type != IP_PKTINFO ||
		    cm->cmsg_len < CMSG_LEN(sizeof(pi)))
			continue;
		memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
		d->dst = ntohl(pi.ipi_addr.s_addr);
		d->ifindex = pi.ipi_ifindex;
		local = ntohl(pi.ipi_spec_dst.s_addr);
	}
	d->dest = classify(d->dst, local);
	return 1;
}
