/*
 * The RIP44 listener, the same on every platform: which interfaces join
 * the group, the batch of receives, and the verdict on each datagram
 * from the interfaces as last listed (see listen.h).  The platform layer
 * (mcast.h) opens the socket, lists the interfaces and reads control
 * messages.
 */
/* glibc declares recvmmsg(2) only for GNU; OpenBSD has it since 7.2. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "listen.h"
#include "log.h"
#include "mcast.h"
#include "rip.h"
#include "rtmsg.h"

struct joined {
	int	index;
	char	name[IF_NAMESIZE];
};

struct listener {
	struct listen_config	 cfg;
	struct mcast_sys	*sys;
	struct mcast_list	 now;		/* interfaces as last listed */
	struct mcast_list	 listing;	/* the listing under way */
	struct joined		*joined;
	size_t			 njoined;
	size_t			 capjoined;
	int			 stale;		/* an unknown index was seen */
	int			 full_logged;	/* membership limit logged */
	int			 missing_logged; /* nothing to join yet */
	unsigned long		 counts[LISTEN_NVERDICTS];

	/* The current batch of received datagrams. */
	struct mmsghdr		 msgs[LISTEN_BATCH];
	struct iovec		 iovs[LISTEN_BATCH];
	struct sockaddr_in	 from[LISTEN_BATCH];
	unsigned char		 control[LISTEN_BATCH][MCAST_CONTROL_LEN];
	uint8_t			 data[LISTEN_BATCH][LISTEN_DATAGRAM_MAX];
	unsigned int		 nbatch;
	unsigned int		 next;
	int			 must_read;	/* the queue may hold more */
};

static int
by_index(const void *a, const void *b)
{
	const struct mcast_iface	*x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Per datagram: a search of the sorted listing, with a few thousand
 * tunnels of ours in the domain. */
static const struct mcast_iface *
iface_by_index(const struct mcast_list *l, int index)
{
	struct mcast_iface	key;

	key.index = index;
	return l->nifaces == 0 ? NULL : bsearch(&key, l->ifaces, l->nifaces,
	    sizeof(key), by_index);
}

static int
has_addr(const struct mcast_list *l, int index, uint32_t addr)
{
	size_t	i;

	for (i = 0; i < l->naddrs; i++)
		if (l->addrs[i].addr == addr &&
		    (index == 0 || l->addrs[i].index == index))
			return 1;
	return 0;
}

static int
is_amprgw_tunnel(const struct listener *ls, const struct mcast_iface *i)
{
	return i->tunnel && i->remote == ls->cfg.amprgw;
}

/* A gif this daemon made to a peer (-U keeps refusing those). */
static int
is_peer_gif(const struct listener *ls, const struct mcast_iface *i)
{
	return rtmsg_gif_is_peer(i->name, ls->cfg.reserved,
	    ls->cfg.nreserved);
}

/* Whether the group is wanted on i. */
static int
wanted(const struct listener *ls, const struct mcast_iface *i)
{
	if (!ls->cfg.unsafe)
		return is_amprgw_tunnel(ls, i);
	if (is_peer_gif(ls, i))
		return 0;
	if (ls->cfg.ifaddr != 0)
		return has_addr(&ls->now, i->index, ls->cfg.ifaddr);
	return i->can_join;
}

static int
membership(struct listener *ls, int op, int index)
{
	struct ip_mreqn	mr;

	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(RIP_GROUP);
	mr.imr_ifindex = index;
	return setsockopt(mcast_sys_fd(ls->sys), IPPROTO_IP, op, &mr,
	    sizeof(mr));
}

/* Still there under the same name (an index is reused) and wanted. */
static int
still_wanted(const struct listener *ls, const struct joined *j)
{
	const struct mcast_iface	*i;

	i = iface_by_index(&ls->now, j->index);
	return i != NULL && strcmp(i->name, j->name) == 0 && wanted(ls, i);
}

static void
leave_unwanted(struct listener *ls)
{
	struct joined	*j;
	size_t		 k = 0;

	while (k < ls->njoined) {
		j = &ls->joined[k];
		if (still_wanted(ls, j)) {
			k++;
			continue;
		}
		/* A vanished interface took its membership with it. */
		if (membership(ls, IP_DROP_MEMBERSHIP, j->index) == -1 &&
		    errno != ENODEV && errno != ENXIO &&
		    errno != EADDRNOTAVAIL)
			log_warn("leaving 224.0.0.9 on %s", j->name);
		log_debug("left 224.0.0.9 on %s", j->name);
		*j = ls->joined[--ls->njoined];
		ls->full_logged = 0;
	}
}

static int
is_joined(const struct listener *ls, int index)
{
	size_t	k;

	for (k = 0; k < ls->njoined; k++)
		if (ls->joined[k].index == index)
			return 1;
	return 0;
}

static int
note_joined(struct listener *ls, const struct mcast_iface *i)
{
	struct joined	*v;

	if ((v = mcast_grow(ls->joined, ls->njoined, &ls->capjoined,
	    sizeof(*v))) == NULL)
		return -1;
	ls->joined = v;
	ls->joined[ls->njoined].index = i->index;
	snprintf(ls->joined[ls->njoined].name, IF_NAMESIZE, "%s", i->name);
	ls->njoined++;
	return 0;
}

/* 0 when joined or not worth retrying now, -1 when the limit is met. */
static int
join(struct listener *ls, const struct mcast_iface *i)
{
	if (membership(ls, IP_ADD_MEMBERSHIP, i->index) == -1 &&
	    errno != EADDRINUSE) {
		if (errno == ENOBUFS) {
			/* Linux's igmp_max_memberships (20 by default). */
			if (!ls->full_logged)
				log_warnx("224.0.0.9 not joined on %s and "
				    "later interfaces: the kernel's limit of "
				    "memberships is reached", i->name);
			ls->full_logged = 1;
			return -1;
		}
		if (errno != ENODEV && errno != ENXIO &&
		    errno != EADDRNOTAVAIL)
			log_warn("joining 224.0.0.9 on %s", i->name);
		return 0;
	}
	if (note_joined(ls, i) == -1) {
		/* Untracked, so leave it rather than lose it. */
		membership(ls, IP_DROP_MEMBERSHIP, i->index);
		return -1;
	}
	log_debug("joined 224.0.0.9 on %s", i->name);
	return 0;
}

/* Plain interfaces first, then tunnels: the limit spares the LAN (-U). */
static void
join_wanted(struct listener *ls)
{
	const struct mcast_iface	*i;
	size_t				 k;
	int				 tunnels;

	for (tunnels = 0; tunnels <= 1; tunnels++)
		for (k = 0; k < ls->now.nifaces; k++) {
			i = &ls->now.ifaces[k];
			if (i->tunnel != tunnels || !wanted(ls, i) ||
			    is_joined(ls, i->index))
				continue;
			if (join(ls, i) == -1)
				return;
		}
}

/* With -U -i, say once that no interface holds the address yet. */
static void
log_missing(struct listener *ls)
{
	char	a[ADDR_STRLEN];

	if (ls->njoined > 0) {
		ls->missing_logged = 0;
		return;
	}
	if (!ls->cfg.unsafe || ls->cfg.ifaddr == 0 || ls->missing_logged)
		return;
	ls->missing_logged = 1;
	log_warnx("no interface of rdomain %d other than a peer's tunnel "
	    "has address %s (-i) yet", ls->cfg.rdomain,
	    fmt_addr(ls->cfg.ifaddr, a));
}

int
listen_refresh(struct listener *ls)
{
	struct mcast_list	swap;
	size_t			before = ls->njoined;

	/* A failed listing leaves the last one in force. */
	if (mcast_sys_list(ls->sys, &ls->listing) == -1)
		return -1;
	if (ls->listing.nifaces > 1)
		qsort(ls->listing.ifaces, ls->listing.nifaces,
		    sizeof(*ls->listing.ifaces), by_index);
	swap = ls->now;
	ls->now = ls->listing;
	ls->listing = swap;
	ls->stale = 0;
	leave_unwanted(ls);
	join_wanted(ls);
	if (ls->njoined != before)
		log_info("224.0.0.9 joined on %zu interface%s", ls->njoined,
		    ls->njoined == 1 ? "" : "s");
	log_missing(ls);
	return (int)ls->njoined;
}

int
listen_has_amprgw_tunnel(const struct listener *ls, const char *except)
{
	const struct mcast_iface	*i;
	size_t				 k;

	for (k = 0; k < ls->now.nifaces; k++) {
		i = &ls->now.ifaces[k];
		if (is_amprgw_tunnel(ls, i) &&
		    (except == NULL || strcmp(i->name, except) != 0))
			return 1;
	}
	return 0;
}

struct listener *
listen_open(const struct listen_config *cfg, char *err, size_t errlen)
{
	struct listener	*ls;
	unsigned int	 k;

	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		snprintf(err, errlen, "listener: %s", strerror(errno));
		return NULL;
	}
	ls->cfg = *cfg;
	if ((ls->sys = mcast_sys_open(cfg->rdomain, err, errlen)) == NULL) {
		free(ls);
		return NULL;
	}
	for (k = 0; k < LISTEN_BATCH; k++) {
		ls->iovs[k].iov_base = ls->data[k];
		ls->iovs[k].iov_len = sizeof(ls->data[k]);
	}
	ls->must_read = 1;
	return ls;
}

void
listen_close(struct listener *ls)
{
	if (ls == NULL)
		return;
	mcast_sys_close(ls->sys);
	mcast_list_free(&ls->now);
	mcast_list_free(&ls->listing);
	free(ls->joined);
	free(ls);
}

int
listen_fd(const struct listener *ls)
{
	return mcast_sys_fd(ls->sys);
}

int
listen_change_fd(const struct listener *ls)
{
	return mcast_sys_change_fd(ls->sys);
}

int
listen_changes(struct listener *ls)
{
	return mcast_sys_changes(ls->sys) || ls->stale;
}

int
listen_stale(const struct listener *ls)
{
	return ls->stale;
}

/* Asks for up to LISTEN_BATCH datagrams.  0, or -1 with errno. */
static int
read_batch(struct listener *ls)
{
	struct msghdr	*h;
	unsigned int	 k;
	int		 n;

	for (k = 0; k < LISTEN_BATCH; k++) {
		h = &ls->msgs[k].msg_hdr;
		memset(h, 0, sizeof(*h));
		h->msg_name = &ls->from[k];
		h->msg_namelen = sizeof(ls->from[k]);
		h->msg_iov = &ls->iovs[k];
		h->msg_iovlen = 1;
		h->msg_control = ls->control[k];
		h->msg_controllen = sizeof(ls->control[k]);
		ls->msgs[k].msg_len = 0;
	}
	ls->nbatch = ls->next = 0;
	do
		n = recvmmsg(listen_fd(ls), ls->msgs, LISTEN_BATCH,
		    MSG_DONTWAIT, NULL);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		ls->must_read = 1;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
	ls->nbatch = (unsigned int)n;
	/* A short batch emptied the queue: the next wake-up reads again. */
	ls->must_read = n == LISTEN_BATCH;
	return 0;
}

static enum listen_verdict
arrival(struct listener *ls, const struct mcast_iface *i)
{
	if (i == NULL) {
		/* Listed again soon: a tunnel may just have been made. */
		ls->stale = 1;
		return LISTEN_UNKNOWN_IFACE;
	}
	if (is_amprgw_tunnel(ls, i))
		return LISTEN_ACCEPT;
	if (ls->cfg.unsafe)
		return is_peer_gif(ls, i) ? LISTEN_PEER_TUNNEL : LISTEN_ACCEPT;
	if (i->tunnel && i->remote == 0)
		return LISTEN_CATCH_ALL;
	if (i->tunnel || is_peer_gif(ls, i))
		return LISTEN_PEER_TUNNEL;
	return LISTEN_OTHER_IFACE;
}

static enum listen_verdict
verdict(struct listener *ls, const struct listen_datagram *d,
    const struct mcast_iface *i, int truncated)
{
	enum listen_verdict	v;

	if ((v = arrival(ls, i)) != LISTEN_ACCEPT)
		return v;
	if (truncated)
		return LISTEN_TOO_LONG;
	if (d->dst == RIP_GROUP)
		return LISTEN_ACCEPT;
	/* A subnet broadcast or another group is no address of ours. */
	if (d->dst == 0 || (d->dst & 0xf0000000U) == 0xe0000000U ||
	    d->dst == 0xffffffffU || !has_addr(&ls->now, 0, d->dst))
		return LISTEN_NOT_FOR_US;
	return LISTEN_ACCEPT;
}

int
listen_recv(struct listener *ls, struct listen_datagram *d)
{
	const struct mcast_iface	*i;
	struct mmsghdr			*m;
	struct sockaddr_in		*from;

	if (ls->next == ls->nbatch) {
		if (!ls->must_read) {
			ls->must_read = 1;
			return 0;
		}
		if (read_batch(ls) == -1)
			return -1;
		if (ls->nbatch == 0)
			return 0;
	}
	m = &ls->msgs[ls->next];
	from = &ls->from[ls->next];
	memset(d, 0, sizeof(*d));
	d->data = ls->data[ls->next];
	d->len = m->msg_len;
	if (m->msg_hdr.msg_namelen >= sizeof(*from) &&
	    from->sin_family == AF_INET) {
		d->src = ntohl(from->sin_addr.s_addr);
		d->sport = ntohs(from->sin_port);
	}
	mcast_sys_control(&m->msg_hdr, &d->dst, &d->ifindex);
	i = d->ifindex > 0 ? iface_by_index(&ls->now, d->ifindex) : NULL;
	d->ifname = i != NULL ? i->name : "";
	d->verdict = verdict(ls, d, i,
	    (m->msg_hdr.msg_flags & MSG_TRUNC) != 0);
	ls->counts[d->verdict]++;
	ls->next++;
	return 1;
}

unsigned long
listen_count(const struct listener *ls, enum listen_verdict v)
{
	return ls->counts[v];
}

const char *
listen_verdict_name(enum listen_verdict v)
{
	switch (v) {
	case LISTEN_ACCEPT:
		return "accepted";
	case LISTEN_CATCH_ALL:
		return "through the catch-all tunnel";
	case LISTEN_PEER_TUNNEL:
		return "through a peer's tunnel";
	case LISTEN_OTHER_IFACE:
		return "through an interface other than amprgw's tunnel";
	case LISTEN_UNKNOWN_IFACE:
		return "through an unknown interface";
	case LISTEN_NOT_FOR_US:
		return "not for us";
	case LISTEN_TOO_LONG:
		return "too long";
	case LISTEN_NVERDICTS:
		break;
	}
	return "?";
}
