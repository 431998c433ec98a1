/*
 * The Linux kernel backend: gifN is an ipip link, a routing domain a VRF
 * device (its table; domain 0 is the main table), and everything goes
 * over rtnetlink.  Messages are built and parsed in netlink.c; this file
 * only sends them, reads the answers and turns them into kern_ops.
 *
 * Two sockets: one for requests, each acknowledged and matched by
 * sequence number and port id, and one subscribed to link and IPv4 route
 * notifications for events() and for the routes of other owners.
 *
 * Domains: -T needs a VRF device with that table (the tunnels' underlay
 * link); -D enslaves the tunnels to its VRF when there is one, and is
 * otherwise only the table the routes go to.  scan() reports domains the
 * same way, so that what tunnel_add() made is adopted after a restart.
 *
 * Deletes of what is already gone answer as the dry-run backend does and
 * the reconciler expects: ENXIO for a tunnel, ESRCH for a route, neither
 * logged.  Every other failure is logged here with the kernel's extended
 * ack message when it sent one, and returned.  Our routes carry protocol
 * NL_PROTO and metric 0; deletes match the protocol.  A prefix for which
 * the table holds a route of another protocol, at any metric, is somebody
 * else's: add and change refuse it with EADDRINUSE and send nothing (the
 * kernel's NLM_F_EXCL only conflicts at an equal metric, and a replace
 * would take a route of the same metric whoever owns it).  Those routes
 * are known from the table dump of scan() and the route notifications
 * (nl_foreign), so the check costs a look-up, never a dump.
 *
 * events() reports net changes only (see nl_gifs in netlink.h): our own
 * create, delete and scan record the state they leave, so they report
 * nothing, and UP comes only after a DOWN.  Lost notifications (socket
 * overrun) are made up for with a full link dump.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <net/if.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "kern.h"
#include "kern_addrs.h"
#include "log.h"
#include "netlink.h"

#define KL_REQLEN	512		/* our largest request is ~100 bytes */
#define KL_BUFLEN	65536		/* receive buffer, grown on demand */
#define KL_BUFMAX	(4 * 1024 * 1024)
#define KL_TIMEOUT	10		/* seconds to wait for an answer */
#define KL_EVRCVBUF	(1024 * 1024)
#define KL_DUMP_TRIES	3
#define KL_EV_BATCH	512		/* datagrams read per events() */
#define KL_NET44	0x2c000000U
#define KL_NET44_MASK	0xff000000U

struct kl_sock {
	int		 fd;
	uint32_t	 portid;
	uint32_t	 seq;
	unsigned char	*buf;
	size_t		 buflen;
};

struct kl_ctx {
	struct kern_config	 cfg;
	struct kl_sock		 req;
	struct kl_sock		 ev;
	struct nl_gifs		*gifs;
	int			*ifindex;	/* by unit, 0: unknown */
	struct nl_foreign	 foreign;	/* other owners' routes */
	int			 foreign_known;	/* filled from a dump */
};

/* What a dump collects: a growing array and, for routes, a filter. */
enum kl_dump_kind {
	KL_DUMP_LINKS,
	KL_DUMP_ADDRS,
	KL_DUMP_ROUTES
};

struct kl_vec {
	void		*v;
	size_t		 n;
	size_t		 cap;
	size_t		 size;
	const char	*kind;		/* links: only this kind (filter) */
	uint32_t	 table;		/* routes: this table only */
	int		 protocol;	/* routes: this protocol, or -1 */
	int		 defaults;	/* routes: default routes only */
	int		 exact;		/* routes: only dst/dst_len */
	uint32_t	 dst;
	int		 dst_len;
};

static void	*kl_open(const struct kern_config *, char *, size_t);
static void	 kl_close(void *);
static int	 kl_tunnel_add(void *, struct kern_tunnel *);
static int	 kl_tunnel_delete(void *, int);
static int	 kl_tunnel_modify(void *, const struct kern_tunnel *,
		    unsigned int);
static int	 kl_route_add(void *, const struct kern_route *);
static int	 kl_route_change(void *, const struct kern_route *);
static int	 kl_route_delete(void *, const struct kern_route *);
static int	 kl_scan(void *, kern_tunnel_cb, kern_route_cb, void *);
static int	 kl_event_fd(void *);
static int	 kl_events(void *, kern_event_cb, void *);

static void	 kl_log(int, const struct nl_txn *, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

const struct kern_ops kern_sys_ops = {
	.name = "linux",
	.open = kl_open,
	.close = kl_close,
	.tunnel_add = kl_tunnel_add,
	.tunnel_delete = kl_tunnel_delete,
	.tunnel_modify = kl_tunnel_modify,
	.route_add = kl_route_add,
	.route_change = kl_route_change,
	.route_delete = kl_route_delete,
	.scan = kl_scan,
	.event_fd = kl_event_fd,
	.events = kl_events
};

/* Sockets. */

static void
kl_sock_close(struct kl_sock *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
}

/*
 * A NETLINK_ROUTE socket: for requests (group 0: blocking with a timeout)
 * or for the notifications of one group (non-blocking).  0, or -1 with a
 * message in err.
 */
static int
kl_sock_open(struct kl_sock *s, unsigned int group, char *err, size_t errlen)
{
	struct sockaddr_nl	sa;
	struct timeval		tv;
	socklen_t		salen = sizeof(sa);
	int			one = 1, size = KL_EVRCVBUF, saved;
	int			type = SOCK_RAW | SOCK_CLOEXEC;
	const char		*what;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (group != 0)
		type |= SOCK_NONBLOCK;
	what = "netlink socket";
	if ((s->fd = socket(AF_NETLINK, type, NETLINK_ROUTE)) == -1)
		goto fail;
	/* Optional: without them, errors have no text, dumps no filter. */
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
	    sizeof(one));
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
	    sizeof(one));
	if (group == 0)
		(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK,
		    &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	what = "netlink bind";
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		goto fail;
	what = "netlink getsockname";
	if (getsockname(s->fd, (struct sockaddr *)&sa, &salen) == -1)
		goto fail;
	s->portid = sa.nl_pid;
	if (group == 0) {
		tv.tv_sec = KL_TIMEOUT;
		tv.tv_usec = 0;
		what = "netlink receive timeout";
		if (setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv)) == -1)
			goto fail;
	} else {
		/* Room for bursts; the kernel may cap it, which is fine. */
		(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size,
		    sizeof(size));
		what = "netlink link notifications";
		if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		    &group, sizeof(group)) == -1)
			goto fail;
	}
	what = "netlink buffer";
	if ((s->buf = malloc(KL_BUFLEN)) == NULL)
		goto fail;
	s->buflen = KL_BUFLEN;
	s->seq = (uint32_t)time(NULL);
	return 0;
fail:
	saved = errno;
	snprintf(err, errlen, "%s: %s", what, strerror(saved));
	kl_sock_close(s);
	errno = saved;
	return -1;
}

/*
 * One datagram from the kernel into s->buf: its length, or -1 and errno.
 * The size is peeked first so that no datagram is ever cut; datagrams
 * from anyone but the kernel (port 0) are dropped.
 */
static ssize_t
kl_recv(struct kl_sock *s, int flags)
{
	struct sockaddr_nl	 sa;
	struct iovec		 iov;
	struct msghdr		 msg;
	unsigned char		*nbuf;
	ssize_t			 n;
	size_t			 want;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = s->buf;
		iov.iov_len = s->buflen;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		n = recvmsg(s->fd, &msg, flags | MSG_PEEK | MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if ((size_t)n > s->buflen && (size_t)n <= KL_BUFMAX) {
			want = ((size_t)n + 4095) & ~(size_t)4095;
			if ((nbuf = realloc(s->buf, want)) != NULL) {
				s->buf = nbuf;
				s->buflen = want;
			}
		}
		iov.iov_base = s->buf;
		iov.iov_len = s->buflen;
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sa;
		msg.msg_namelen = sizeof(sa);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		n = recvmsg(s->fd, &msg, flags);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			log_warnx("netlink: dropped a datagram larger than "
			    "%zu bytes", s->buflen);
			errno = EMSGSIZE;
			return -1;
		}
		if (msg.msg_namelen != sizeof(sa) ||
		    sa.nl_family != AF_NETLINK || sa.nl_pid != 0) {
			log_debug("netlink: dropped a datagram not from the "
			    "kernel");
			continue;
		}
		return n;
	}
}

/*
 * Logs a failed operation: what (formatted), the kernel's extended ack
 * message when t has one, and the errno text.
 */
static void
kl_log(int err, const struct nl_txn *t, const char *fmt, ...)
{
	char	what[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (t != NULL && t->extack[0] != '\0')
		log_errno(err, "%s (%s)", what, t->extack);
	else
		log_errno(err, "%s", what);
}

/*
 * Sends the request in m (built with seq) and reads its answers, passing
 * data messages to cb.  Returns 0, the kernel's errno (its message in
 * t->extack), cb's first error, or a local errno.  Local trouble (send,
 * receive, refused replies) is logged here; the caller logs the failure
 * of its operation with its own context.
 */
static int
kl_request(struct kl_sock *s, struct nl_msg *m, uint32_t seq, int dump,
    nl_msg_cb cb, void *arg, struct nl_txn *t)
{
	struct sockaddr_nl	 sa;
	const char		*why = NULL;
	ssize_t			 n;
	int			 r, err;

	nl_txn_init(t, seq, s->portid, dump, cb, arg);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do
		n = sendto(s->fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		err = errno;
		log_errno(err, "netlink send");
		return err;
	}
	for (;;) {
		if ((n = kl_recv(s, 0)) == -1) {
			err = errno;
			if (err == EAGAIN || err == EWOULDBLOCK) {
				log_warnx("netlink: no answer from the kernel "
				    "in %d s", KL_TIMEOUT);
				return ETIMEDOUT;
			}
			log_errno(err, "netlink receive");
			return err;
		}
		if ((r = nl_txn_feed(t, s->buf, (size_t)n, &why)) == -1) {
			log_warnx("netlink: refused a reply: %s", why);
			return EBADMSG;
		}
		if (r == 1)
			break;
	}
	if (t->cb_error != 0)
		return t->cb_error;
	return t->error;
}

static uint32_t
kl_seq(struct kl_sock *s)
{
	return ++s->seq;
}

/* Collecting dumps. */

static void
kl_vec_init(struct kl_vec *vec, size_t size)
{
	memset(vec, 0, sizeof(*vec));
	vec->size = size;
	vec->protocol = -1;
}

static void
kl_vec_free(struct kl_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

static int
kl_vec_push(struct kl_vec *vec, const void *elem)
{
	void	*nv;
	size_t	 ncap;

	if (vec->n == vec->cap) {
		ncap = vec->cap == 0 ? 64 : vec->cap * 2;
		if ((nv = reallocarray(vec->v, ncap, vec->size)) == NULL) {
			log_warn("netlink dump");
			return ENOMEM;
		}
		vec->v = nv;
		vec->cap = ncap;
	}
	memcpy((char *)vec->v + vec->n * vec->size, elem, vec->size);
	vec->n++;
	return 0;
}

static int
kl_collect_link(void *arg, const struct nl_view *v)
{
	struct nl_link	 l;
	const char	*why;

	if (v->type != RTM_NEWLINK)
		return 0;
	if (nl_parse_link(v, &l, &why) == -1) {
		log_warnx("netlink: refused a link message: %s", why);
		return EBADMSG;
	}
	return kl_vec_push(arg, &l);
}

static int
kl_collect_addr(void *arg, const struct nl_view *v)
{
	struct nl_addr	 a;
	const char	*why;

	if (v->type != RTM_NEWADDR)
		return 0;
	if (nl_parse_addr(v, &a, &why) == -1) {
		log_warnx("netlink: refused an address message: %s", why);
		return EBADMSG;
	}
	if (a.family != AF_INET || !a.has_local)
		return 0;
	return kl_vec_push(arg, &a);
}

static int
kl_collect_route(void *arg, const struct nl_view *v)
{
	struct kl_vec	*vec = arg;
	struct nl_route	 rt;
	const char	*why;

	if (v->type != RTM_NEWROUTE)
		return 0;
	if (nl_parse_route(v, &rt, &why) == -1) {
		log_warnx("netlink: refused a route message: %s", why);
		return EBADMSG;
	}
	/* Older kernels dump every table: filter here in any case. */
	if (rt.family != AF_INET || rt.table != vec->table ||
	    (vec->protocol != -1 && rt.protocol != vec->protocol) ||
	    (vec->defaults && rt.dst_len != 0) ||
	    (vec->exact && (rt.dst != vec->dst || rt.dst_len != vec->dst_len)))
		return 0;
	return kl_vec_push(vec, &rt);
}

/*
 * A dump into vec, made again (up to KL_DUMP_TRIES times) while the
 * kernel says it was interrupted by a change.  0 or errno, logged.
 */
static int
kl_dump(struct kl_sock *s, enum kl_dump_kind kind, struct kl_vec *vec)
{
	unsigned char	 buf[KL_REQLEN];
	struct nl_msg	 m;
	struct nl_txn	 t;
	nl_msg_cb	 cb;
	const char	*what;
	uint32_t	 seq;
	int		 err, try;

	for (try = 0; try < KL_DUMP_TRIES; try++) {
		vec->n = 0;
		memset(&t, 0, sizeof(t));
		seq = kl_seq(s);
		switch (kind) {
		case KL_DUMP_LINKS:
			what = "link dump";
			cb = kl_collect_link;
			err = nl_build_link_dump(&m, buf, sizeof(buf), seq,
			    vec->kind);
			break;
		case KL_DUMP_ADDRS:
			what = "address dump";
			cb = kl_collect_addr;
			err = nl_build_addr_dump(&m, buf, sizeof(buf), seq);
			break;
		default:
			what = "route dump";
			cb = kl_collect_route;
			err = nl_build_route_dump(&m, buf, sizeof(buf), seq,
			    vec->table, vec->protocol == -1 ? 0 :
			    vec->protocol);
			break;
		}
		if (err == 0)
			err = kl_request(s, &m, seq, 1, cb, vec, &t);
		/* A strict kernel refuses to dump a table it does not have. */
		if (kind == KL_DUMP_ROUTES && err == ENOENT) {
			vec->n = 0;
			return 0;
		}
		if (err != 0) {
			kl_log(err, &t, "netlink %s", what);
			return err;
		}
		if (!t.interrupted)
			return 0;
	}
	log_warnx("netlink %s: interrupted by changes %d times",
	    kind == KL_DUMP_LINKS ? "link dump" : kind == KL_DUMP_ADDRS ?
	    "address dump" : "route dump", KL_DUMP_TRIES);
	return EAGAIN;
}

/* The other owners' routes of a table dump, replacing what was known. */
static int
kl_foreign_fill(struct kl_ctx *c, const struct kl_vec *routes)
{
	size_t	i;
	int	err;

	nl_foreign_clear(&c->foreign);
	c->foreign_known = 0;
	for (i = 0; i < routes->n; i++)
		if ((err = nl_foreign_route(&c->foreign,
		    (const struct nl_route *)routes->v + i, 0)) != 0) {
			log_errno(err, "keeping the routes of table %u",
			    c->foreign.table);
			return err;
		}
	c->foreign_known = 1;
	return 0;
}

static int
kl_link_cmp(const void *a, const void *b)
{
	const struct nl_link	*la = a, *lb = b;

	return (la->index > lb->index) - (la->index < lb->index);
}

/* Links sorted by kl_link_cmp; NULL when index is not there. */
static const struct nl_link *
kl_link_find(const struct kl_vec *links, int index)
{
	struct nl_link	key;

	if (index <= 0 || links->n == 0)
		return NULL;
	key.index = index;
	return bsearch(&key, links->v, links->n, sizeof(key), kl_link_cmp);
}

static int
kl_is_vrf(const struct nl_link *l)
{
	return l != NULL && l->has_kind && strcmp(l->kind, "vrf") == 0 &&
	    l->has_table;
}

static int
kl_is_gif(const struct nl_link *l)
{
	return l->has_kind && strcmp(l->kind, "ipip") == 0 &&
	    nl_gif_unit(l->name) != -1;
}

/* The domain of a VRF table: its number, the main table being 0. */
static int
kl_table_domain(uint32_t table)
{
	if (table == RT_TABLE_MAIN)
		return 0;
	return table > INT_MAX ? -1 : (int)table;
}

/* The domain an interface is in: its VRF master's, else 0. */
static int
kl_link_domain(const struct kl_vec *links, const struct nl_link *l)
{
	const struct nl_link	*up;

	if (l == NULL)
		return 0;
	if (kl_is_vrf(l))
		return kl_table_domain(l->table);
	up = kl_link_find(links, l->master);
	return kl_is_vrf(up) ? kl_table_domain(up->table) : 0;
}

/* The ifindex of the VRF device of a domain: 0, ENODEV, or errno. */
static int
kl_find_vrf(struct kl_sock *s, int domain, int *ifindex)
{
	struct kl_vec		 links;
	const struct nl_link	*l;
	uint32_t		 table = nl_domain_table(domain);
	size_t			 i;
	int			 err;

	kl_vec_init(&links, sizeof(struct nl_link));
	links.kind = "vrf";
	if ((err = kl_dump(s, KL_DUMP_LINKS, &links)) != 0)
		return err;
	err = ENODEV;
	for (i = 0; i < links.n; i++) {
		l = (const struct nl_link *)links.v + i;
		if (kl_is_vrf(l) && l->table == table && l->index > 0) {
			*ifindex = l->index;
			err = 0;
			break;
		}
	}
	kl_vec_free(&links);
	return err;
}

/* The link called name: 0, the kernel's errno (ENODEV), or errno. */
static int
kl_link_get(struct kl_sock *s, const char *name, struct nl_link *l,
    struct nl_txn *t)
{
	unsigned char	buf[KL_REQLEN];
	struct nl_msg	m;
	struct kl_vec	links;
	uint32_t	seq = kl_seq(s);
	int		err;

	memset(t, 0, sizeof(*t));
	kl_vec_init(&links, sizeof(struct nl_link));
	if ((err = nl_build_link_get(&m, buf, sizeof(buf), seq, name)) != 0)
		return err;
	if ((err = kl_request(s, &m, seq, 0, kl_collect_link, &links,
	    t)) == 0) {
		if (links.n == 0) {
			log_warnx("netlink: no link in the answer for %s",
			    name);
			err = EBADMSG;
		} else
			*l = *(struct nl_link *)links.v;
	}
	kl_vec_free(&links);
	return err;
}

/*
 * The ifindex of gifN for a route: cached, or asked for and checked to be
 * an ipip link.  0, ENODEV (logged by nobody), or errno (logged).
 */
static int
kl_gif_index(struct kl_ctx *c, int unit, int *ifindex)
{
	struct nl_link	l;
	struct nl_txn	t;
	char		name[NL_NAMELEN];
	int		err;

	if (c->ifindex[unit] > 0) {
		*ifindex = c->ifindex[unit];
		return 0;
	}
	(void)nl_gif_name(unit, name);
	if ((err = kl_link_get(&c->req, name, &l, &t)) != 0) {
		if (err != ENODEV)
			kl_log(err, &t, "%s: look-up", name);
		return err;
	}
	if (!l.has_kind || strcmp(l.kind, "ipip") != 0 || l.index <= 0) {
		log_warnx("%s is not an ipip link (kind \"%s\"): not using it",
		    name, l.kind);
		return EPERM;
	}
	c->ifindex[unit] = *ifindex = l.index;
	return 0;
}

/* Open and close. */

static void
kl_free(struct kl_ctx *c)
{
	kl_sock_close(&c->req);
	kl_sock_close(&c->ev);
	free(c->gifs);
	free(c->ifindex);
	nl_foreign_clear(&c->foreign);
	free(c);
}

static int
kl_domain_ok(int domain, const char *flag, char *err, size_t errlen)
{
	if (domain < 0) {
		snprintf(err, errlen, "%s %d: negative domain", flag, domain);
		return 0;
	}
	if (domain == RT_TABLE_LOCAL) {
		snprintf(err, errlen, "%s %d: table %d is the kernel's local "
		    "table", flag, domain, RT_TABLE_LOCAL);
		return 0;
	}
	return 1;
}

static void *
kl_open(const struct kern_config *cfg, char *err, size_t errlen)
{
	struct kl_ctx	*c;

	if (!kl_domain_ok(cfg->rdomain, "-D", err, errlen) ||
	    !kl_domain_ok(cfg->tunneldomain, "-T", err, errlen))
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "netlink context: %s", strerror(errno));
		return NULL;
	}
	c->cfg = *cfg;
	c->req.fd = c->ev.fd = -1;
	if ((c->gifs = malloc(sizeof(*c->gifs))) == NULL ||
	    (c->ifindex = calloc(NL_UNIT_MAX + 1, sizeof(int))) == NULL) {
		snprintf(err, errlen, "netlink context: %s", strerror(errno));
		kl_free(c);
		return NULL;
	}
	nl_gifs_init(c->gifs);
	nl_foreign_init(&c->foreign, nl_domain_table(cfg->rdomain));
	if (kl_sock_open(&c->req, 0, err, errlen) == -1 ||
	    kl_sock_open(&c->ev, RTNLGRP_LINK, err, errlen) == -1) {
		kl_free(c);
		return NULL;
	}
	/* Before any dump of the table: no change falls between the two. */
	if (setsockopt(c->ev.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
	    &(int){ RTNLGRP_IPV4_ROUTE }, sizeof(int)) == -1) {
		snprintf(err, errlen, "netlink route notifications: %s",
		    strerror(errno));
		kl_free(c);
		return NULL;
	}
	return c;
}

static void
kl_close(void *arg)
{
	if (arg != NULL)
		kl_free(arg);
}

/* Tunnels. */

/* Removes a link we made half-way; failure is only worth a warning. */
static void
kl_unmake(struct kl_ctx *c, const char *name, int ifindex)
{
	unsigned char	buf[KL_REQLEN];
	struct nl_msg	m;
	struct nl_txn	t;
	uint32_t	seq = kl_seq(&c->req);
	int		err;

	memset(&t, 0, sizeof(t));
	if ((err = nl_build_link_delete(&m, buf, sizeof(buf), seq, ifindex,
	    name)) == 0)
		err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
	if (err != 0 && err != ENODEV)
		kl_log(err, &t, "%s: could not remove the half-made link",
		    name);
}

static int
kl_tunnel_add(void *arg, struct kern_tunnel *kt)
{
	struct kl_ctx	*c = arg;
	unsigned char	 buf[KL_REQLEN];
	char		 name[NL_NAMELEN], la[ADDR_STRLEN], ra[ADDR_STRLEN];
	struct nl_msg	 m;
	struct nl_txn	 t;
	struct nl_link	 l;
	const char	*step;
	uint32_t	 seq;
	int		 err, underlay = 0, master = 0, ifindex = 0;

	if (nl_gif_name(kt->unit, name) == -1) {
		log_warnx("tunnel add: unit %d out of range", kt->unit);
		return EINVAL;
	}
	if (kt->tunneldomain != 0 && (err = kl_find_vrf(&c->req,
	    kt->tunneldomain, &underlay)) != 0) {
		if (err == ENODEV)
			log_warnx("%s: no VRF device with table %u for tunnel "
			    "domain %d", name,
			    nl_domain_table(kt->tunneldomain),
			    kt->tunneldomain);
		return err;
	}
	/* Without a VRF for it, the interface domain is only a table. */
	if (kt->rdomain != 0 && (err = kl_find_vrf(&c->req, kt->rdomain,
	    &master)) != 0 && err != ENODEV)
		return err;

	memset(&t, 0, sizeof(t));
	seq = kl_seq(&c->req);
	if ((err = nl_build_link_create(&m, buf, sizeof(buf), seq, name,
	    kt->local, kt->remote, underlay, master)) == 0)
		err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
	if (err != 0) {
		/* Nothing of ours to undo (EEXIST: somebody else's). */
		kl_log(err, &t, "%s: create (local %s remote %s)", name,
		    fmt_addr(kt->local, la), fmt_addr(kt->remote, ra));
		return err;
	}

	step = "look-up";
	if ((err = kl_link_get(&c->req, name, &l, &t)) != 0)
		goto fail;
	ifindex = l.index;
	/* Our mark (and MTU), before anything can use the link. */
	step = "alias";
	memset(&t, 0, sizeof(t));
	seq = kl_seq(&c->req);
	if ((err = nl_build_link_modify(&m, buf, sizeof(buf), seq, ifindex,
	    KERN_TUNNEL_MARK, kt->mtu > 0 ? kt->mtu : 0, NULL)) == 0)
		err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
	if (err != 0)
		goto fail;
	if (kt->addr44 != 0) {
		step = "address";
		memset(&t, 0, sizeof(t));
		seq = kl_seq(&c->req);
		if ((err = nl_build_addr_add(&m, buf, sizeof(buf), seq,
		    ifindex, kt->addr44)) == 0)
			err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
		if (err != 0)
			goto fail;
	}
	if (kt->up) {
		step = "up";
		memset(&t, 0, sizeof(t));
		seq = kl_seq(&c->req);
		if ((err = nl_build_link_set_up(&m, buf, sizeof(buf), seq,
		    ifindex, 1)) == 0)
			err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
		if (err != 0)
			goto fail;
	}
	c->ifindex[kt->unit] = ifindex;
	kt->ifindex = ifindex;
	kt->marked = 1;
	nl_gifs_set(c->gifs, kt->unit, kt->up ? NL_GIF_UP : NL_GIF_DOWN);
	return 0;
fail:
	kl_log(err, &t, "%s: %s", name, step);
	kl_unmake(c, name, ifindex);
	c->ifindex[kt->unit] = 0;
	nl_gifs_set(c->gifs, kt->unit, NL_GIF_GONE);
	return err;
}

static int
kl_tunnel_delete(void *arg, int unit)
{
	struct kl_ctx	*c = arg;
	unsigned char	 buf[KL_REQLEN];
	char		 name[NL_NAMELEN];
	struct nl_msg	 m;
	struct nl_txn	 t;
	struct nl_link	 l;
	uint32_t	 seq;
	int		 err;

	if (nl_gif_name(unit, name) == -1) {
		log_warnx("tunnel delete: unit %d out of range", unit);
		return EINVAL;
	}
	c->ifindex[unit] = 0;
	/* Only an ipip link is ours to delete; look before deleting. */
	if ((err = kl_link_get(&c->req, name, &l, &t)) == ENODEV)
		goto gone;
	if (err != 0) {
		kl_log(err, &t, "%s: look-up", name);
		return err;
	}
	if (!l.has_kind || strcmp(l.kind, "ipip") != 0 || l.index <= 0) {
		log_warnx("%s is not an ipip link (kind \"%s\"): not deleting "
		    "it", name, l.kind);
		return EPERM;
	}
	memset(&t, 0, sizeof(t));
	seq = kl_seq(&c->req);
	if ((err = nl_build_link_delete(&m, buf, sizeof(buf), seq, l.index,
	    NULL)) == 0)
		err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
	if (err == ENODEV)
		goto gone;
	if (err != 0) {
		kl_log(err, &t, "%s: delete", name);
		return err;
	}
	nl_gifs_set(c->gifs, unit, NL_GIF_GONE);
	return 0;
gone:
	nl_gifs_set(c->gifs, unit, NL_GIF_GONE);
	return ENXIO;
}

/*
 * Changes gifN in place, one request per kind of change: our address
 * (RTM_NEWADDR, no delete), then one RTM_NEWLINK for alias, MTU and
 * endpoints together.  Only an ipip link is ours to change.
 */
static int
kl_tunnel_modify(void *arg, const struct kern_tunnel *kt, unsigned int what)
{
	struct kl_ctx	*c = arg;
	unsigned char	 buf[KL_REQLEN];
	char		 name[NL_NAMELEN], a[ADDR_STRLEN];
	struct nl_msg	 m;
	struct nl_txn	 t;
	struct nl_link	 l;
	struct nl_ends	 ends;
	uint32_t	 seq;
	int		 err;

	if (nl_gif_name(kt->unit, name) == -1 || what == 0 ||
	    (what & ~(KERN_TUN_ADDR44 | KERN_TUN_MARK | KERN_TUN_LOCAL |
	    KERN_TUN_MTU)) != 0 || ((what & KERN_TUN_ADDR44) &&
	    kt->addr44 == 0) || ((what & KERN_TUN_MTU) && kt->mtu <= 0)) {
		log_warnx("tunnel modify: unit %d, changes %#x refused",
		    kt->unit, what);
		return EINVAL;
	}
	memset(&t, 0, sizeof(t));
	if ((err = kl_link_get(&c->req, name, &l, &t)) == ENODEV)
		return ENXIO;
	if (err != 0) {
		kl_log(err, &t, "%s: look-up", name);
		return err;
	}
	if (!l.has_kind || strcmp(l.kind, "ipip") != 0 || l.index <= 0) {
		log_warnx("%s is not an ipip link (kind \"%s\"): not changing "
		    "it", name, l.kind);
		return EPERM;
	}
	if (what & KERN_TUN_ADDR44) {
		memset(&t, 0, sizeof(t));
		seq = kl_seq(&c->req);
		if ((err = nl_build_addr_add(&m, buf, sizeof(buf), seq,
		    l.index, kt->addr44)) == 0)
			err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
		if (err != 0) {
			kl_log(err, &t, "%s: address %s", name,
			    fmt_addr(kt->addr44, a));
			return err;
		}
	}
	if ((what & ~KERN_TUN_ADDR44) == 0)
		return 0;
	if (what & KERN_TUN_LOCAL) {
		/* The endpoints go whole: keep remote and underlay. */
		memset(&ends, 0, sizeof(ends));
		ends.local = kt->local;
		ends.remote = l.remote;
		ends.underlay = l.underlay;
	}
	memset(&t, 0, sizeof(t));
	seq = kl_seq(&c->req);
	if ((err = nl_build_link_modify(&m, buf, sizeof(buf), seq, l.index,
	    (what & KERN_TUN_MARK) ? KERN_TUNNEL_MARK : NULL,
	    (what & KERN_TUN_MTU) ? kt->mtu : 0,
	    (what & KERN_TUN_LOCAL) ? &ends : NULL)) == 0)
		err = kl_request(&c->req, &m, seq, 0, NULL, NULL, &t);
	if (err != 0) {
		kl_log(err, &t, "%s: change (changes %#x)", name, what);
		return err;
	}
	return 0;
}

/* Routes. */

static int
kl_route_send(struct kl_ctx *c, enum nl_route_op op,
    const struct kern_route *kr, int oif, struct nl_txn *t)
{
	unsigned char	buf[KL_REQLEN];
	struct nl_msg	m;
	uint32_t	seq = kl_seq(&c->req);
	int		err;

	memset(t, 0, sizeof(*t));
	if ((err = nl_build_route(&m, buf, sizeof(buf), seq, op, kr->addr,
	    kr->len, nl_domain_table(kr->rdomain), oif)) != 0)
		return err;
	return kl_request(&c->req, &m, seq, 0, NULL, NULL, t);
}

/*
 * Fills the other owners' routes from a dump of the table (at start-up,
 * and after notifications were lost).  0 or errno, logged.
 */
static int
kl_foreign_load(struct kl_ctx *c)
{
	struct kl_vec	routes;
	int		err;

	kl_vec_init(&routes, sizeof(struct nl_route));
	routes.table = c->foreign.table;
	if ((err = kl_dump(&c->req, KL_DUMP_ROUTES, &routes)) == 0)
		err = kl_foreign_fill(c, &routes);
	kl_vec_free(&routes);
	return err;
}

/* Somebody else's prefix: EADDRINUSE (said at debug), else 0. */
static int
kl_route_held(struct kl_ctx *c, const struct kern_route *kr, const char *op)
{
	char	pfx[PREFIX_STRLEN];
	int	protocol;

	if (!c->foreign_known && kl_foreign_load(c) != 0)
		return EAGAIN;
	if (!nl_foreign_held(&c->foreign, kr->addr, kr->len, &protocol))
		return 0;
	log_debug("route %s %s: table %u holds a route of protocol %d for it, "
	    "not ours: left alone", op, fmt_prefix(kr->addr, kr->len, pfx),
	    c->foreign.table, protocol);
	return EADDRINUSE;
}

static int
kl_route(struct kl_ctx *c, enum nl_route_op op, const struct kern_route *kr)
{
	static const char *const opname[] = { "add", "change", "delete" };
	char		pfx[PREFIX_STRLEN];
	struct nl_txn	t;
	int		err, oif, cached;

	if (kr->unit < 0 || kr->unit > NL_UNIT_MAX || kr->len < 0 ||
	    kr->len > 32 || kr->rdomain < 0) {
		log_warnx("route %s: bad route (unit %d, length %d)",
		    opname[op], kr->unit, kr->len);
		return EINVAL;
	}
	fmt_prefix(kr->addr, kr->len, pfx);
	memset(&t, 0, sizeof(t));
	cached = c->ifindex[kr->unit] > 0;
	if ((err = kl_gif_index(c, kr->unit, &oif)) != 0) {
		/* The kernel took the gif's routes with it. */
		if (err == ENODEV && op == NL_ROUTE_DELETE)
			return ESRCH;
		if (err == ENODEV)
			log_debug("route %s %s via gif%d: no such interface",
			    opname[op], pfx, kr->unit);
		return err;
	}
	if (op != NL_ROUTE_DELETE &&
	    (err = kl_route_held(c, kr, opname[op])) != 0)
		return err;
	err = kl_route_send(c, op, kr, oif, &t);
	/* A stale cached index: the gif was made again since. */
	if (err == ENODEV && cached) {
		c->ifindex[kr->unit] = 0;
		if ((err = kl_gif_index(c, kr->unit, &oif)) == ENODEV &&
		    op == NL_ROUTE_DELETE)
			return ESRCH;
		if (err == 0)
			err = kl_route_send(c, op, kr, oif, &t);
	}
	if (op == NL_ROUTE_CHANGE && (err == ESRCH || err == ENOENT)) {
		op = NL_ROUTE_ADD;
		err = kl_route_send(c, op, kr, oif, &t);
	}
	if (op == NL_ROUTE_DELETE && err == ESRCH)
		return ESRCH;
	/* The reconciler logs the failure once; the kernel's words here. */
	if (err != 0)
		log_debug("route %s %s via gif%d (table %u): %s%s%s%s",
		    opname[op], pfx, kr->unit, nl_domain_table(kr->rdomain),
		    strerror(err), t.extack[0] != '\0' ? " (" : "", t.extack,
		    t.extack[0] != '\0' ? ")" : "");
	return err;
}

static int
kl_route_add(void *arg, const struct kern_route *kr)
{
	return kl_route(arg, NL_ROUTE_ADD, kr);
}

static int
kl_route_change(void *arg, const struct kern_route *kr)
{
	return kl_route(arg, NL_ROUTE_CHANGE, kr);
}

static int
kl_route_delete(void *arg, const struct kern_route *kr)
{
	return kl_route(arg, NL_ROUTE_DELETE, kr);
}

/* Scan. */

/* The first /32 in 44/8 on an interface, or 0. */
static uint32_t
kl_addr44_of(const struct kl_vec *addrs, int index)
{
	const struct nl_addr	*a;
	size_t			 i;

	for (i = 0; i < addrs->n; i++) {
		a = (const struct nl_addr *)addrs->v + i;
		if (a->index == index && a->prefixlen == 32 &&
		    (a->local & KL_NET44_MASK) == KL_NET44)
			return a->local;
	}
	return 0;
}

static int
kl_scan(void *arg, kern_tunnel_cb tcb, kern_route_cb rcb, void *cbarg)
{
	struct kl_ctx		*c = arg;
	struct kl_vec		 links, addrs, routes;
	struct kern_tunnel	 kt;
	struct kern_route	 kr;
	const struct nl_link	*l, *under;
	const struct nl_route	*rt;
	size_t			 i;
	int			 err, unit, vrf = 0;

	kl_vec_init(&links, sizeof(struct nl_link));
	kl_vec_init(&addrs, sizeof(struct nl_addr));
	kl_vec_init(&routes, sizeof(struct nl_route));
	/* Every protocol: the others' routes are kept too. */
	routes.table = nl_domain_table(c->cfg.rdomain);
	if ((err = kl_dump(&c->req, KL_DUMP_LINKS, &links)) != 0 ||
	    (err = kl_dump(&c->req, KL_DUMP_ADDRS, &addrs)) != 0 ||
	    (err = kl_dump(&c->req, KL_DUMP_ROUTES, &routes)) != 0 ||
	    (err = kl_foreign_fill(c, &routes)) != 0)
		goto out;
	if (links.n > 0)
		qsort(links.v, links.n, links.size, kl_link_cmp);
	for (i = 0; i < links.n && c->cfg.rdomain != 0; i++) {
		l = (const struct nl_link *)links.v + i;
		if (kl_is_vrf(l) && l->table == routes.table)
			vrf = 1;
	}

	nl_gifs_set_all(c->gifs, NL_GIF_GONE);
	memset(c->ifindex, 0, (NL_UNIT_MAX + 1) * sizeof(int));
	for (i = 0; i < links.n; i++) {
		l = (const struct nl_link *)links.v + i;
		if (!kl_is_gif(l) || l->index <= 0)
			continue;
		unit = nl_gif_unit(l->name);
		memset(&kt, 0, sizeof(kt));
		kt.unit = unit;
		kt.local = l->local;
		kt.remote = l->remote;
		kt.rdomain = kl_link_domain(&links,
		    kl_link_find(&links, l->master));
		/* As tunnel_add: without its VRF, -D is only a table. */
		if (kt.rdomain == 0 && l->master == 0 && !vrf)
			kt.rdomain = c->cfg.rdomain;
		under = kl_link_find(&links, l->underlay);
		kt.tunneldomain = kl_link_domain(&links, under);
		kt.addr44 = kl_addr44_of(&addrs, l->index);
		kt.up = (l->flags & IFF_UP) != 0;
		kt.ifindex = l->index;
		kt.marked = l->marked;
		kt.mtu = l->mtu;
		c->ifindex[unit] = l->index;
		nl_gifs_set(c->gifs, unit, kt.up ? NL_GIF_UP : NL_GIF_DOWN);
		if (tcb != NULL)
			tcb(cbarg, &kt);
	}
	for (i = 0; i < routes.n; i++) {
		rt = (const struct nl_route *)routes.v + i;
		if (rt->protocol != NL_PROTO || rt->type != RTN_UNICAST ||
		    rt->multipath)
			continue;
		if ((l = kl_link_find(&links, rt->oif)) == NULL ||
		    !kl_is_gif(l))
			continue;
		memset(&kr, 0, sizeof(kr));
		kr.addr = rt->dst;
		kr.len = rt->dst_len;
		kr.unit = nl_gif_unit(l->name);
		kr.rdomain = c->cfg.rdomain;
		if (rcb != NULL)
			rcb(cbarg, &kr);
	}
out:
	kl_vec_free(&links);
	kl_vec_free(&addrs);
	kl_vec_free(&routes);
	return err;
}

/* Events. */

static int
kl_event_fd(void *arg)
{
	struct kl_ctx	*c = arg;

	return c->ev.fd;
}

/* The notifications of one datagram; a malformed one is dropped whole. */
static void
kl_event_datagram(struct kl_ctx *c, size_t len)
{
	struct nl_iter	 it;
	struct nl_view	 v;
	struct nl_link	 l;
	const char	*why;
	int		 r, unit;

	nl_iter_init(&it, c->ev.buf, len);
	while ((r = nl_iter_next(&it, &v, &why)) == 1)
		;
	if (r == -1) {
		log_warnx("netlink: refused a notification: %s", why);
		return;
	}
	nl_iter_init(&it, c->ev.buf, len);
	while (nl_iter_next(&it, &v, &why) == 1) {
		if ((r = nl_foreign_note(&c->foreign, &v, &why)) == -1) {
			/* Not known for sure: read the table again. */
			log_warnx("netlink: route notification: %s", why);
			c->foreign_known = 0;
		}
		if (r != 0)
			continue;
		if ((r = nl_gifs_note(c->gifs, &v, &l, &why)) == -1)
			log_warnx("netlink: refused a link notification: %s",
			    why);
		if (r != 1)
			continue;
		unit = nl_gif_unit(l.name);
		c->ifindex[unit] = v.type == RTM_DELLINK ? 0 : l.index;
	}
}

/* Notifications were lost: read every link and compare. */
static int
kl_event_resync(struct kl_ctx *c)
{
	struct kl_vec		 links;
	const struct nl_link	*l;
	size_t			 i;
	int			 err;

	log_warnx("netlink: notifications lost, reading all links and "
	    "table %u", c->foreign.table);
	/* The table on the next route add or change, if not now. */
	if (kl_foreign_load(c) != 0)
		c->foreign_known = 0;
	kl_vec_init(&links, sizeof(struct nl_link));
	if ((err = kl_dump(&c->req, KL_DUMP_LINKS, &links)) == 0) {
		nl_gifs_resync(c->gifs);
		memset(c->ifindex, 0, (NL_UNIT_MAX + 1) * sizeof(int));
		for (i = 0; i < links.n; i++) {
			l = (const struct nl_link *)links.v + i;
			if (nl_gifs_link(c->gifs, l, 0) == 1 && l->index > 0)
				c->ifindex[nl_gif_unit(l->name)] = l->index;
		}
	}
	kl_vec_free(&links);
	return err;
}

static int
kl_events(void *arg, kern_event_cb cb, void *cbarg)
{
	struct kl_ctx	*c = arg;
	ssize_t		 n;
	int		 i, err = 0, lost = 0;

	/* Bounded: the descriptor stays readable if more is queued. */
	for (i = 0; i < KL_EV_BATCH; i++) {
		if ((n = kl_recv(&c->ev, MSG_DONTWAIT)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* Overrun, or one too big to read: both are lost. */
			if (errno == ENOBUFS || errno == EMSGSIZE) {
				lost = 1;
				continue;
			}
			err = errno;
			log_errno(err, "netlink notifications");
			break;
		}
		kl_event_datagram(c, (size_t)n);
	}
	if (lost && (err = kl_event_resync(c)) != 0)
		log_warnx("netlink: gif states may be stale until the next "
		    "rescan");
	nl_gifs_flush(c->gifs, cb, cbarg);
	return err;
}

/* Platform defaults. */

/* A throwaway request socket for the look-ups before open(). */
static int
kl_lookup_sock(struct kl_sock *s)
{
	char	err[128];

	if (kl_sock_open(s, 0, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return errno != 0 ? errno : EIO;
	}
	return 0;
}

int
kern_sys_find_local(const struct kern_config *cfg, uint32_t *local)
{
	struct kl_sock		 s;
	struct kl_vec		 routes, addrs;
	const struct nl_route	*rt, *best = NULL;
	const struct nl_addr	*a, *pick = NULL;
	uint32_t		 mask;
	size_t			 i;
	int			 err;

	if ((err = kl_lookup_sock(&s)) != 0)
		return err;
	kl_vec_init(&routes, sizeof(struct nl_route));
	kl_vec_init(&addrs, sizeof(struct nl_addr));
	routes.table = nl_domain_table(cfg->tunneldomain);
	routes.defaults = 1;
	if ((err = kl_dump(&s, KL_DUMP_ROUTES, &routes)) != 0)
		goto out;
	for (i = 0; i < routes.n; i++) {
		rt = (const struct nl_route *)routes.v + i;
		if (rt->type == RTN_UNICAST && rt->oif > 0 &&
		    (best == NULL || rt->priority < best->priority))
			best = rt;
	}
	if (best == NULL) {
		log_warnx("no default route in table %u", routes.table);
		err = ENOENT;
		goto out;
	}
	if (best->has_prefsrc) {
		*local = best->prefsrc;
		goto out;
	}
	if ((err = kl_dump(&s, KL_DUMP_ADDRS, &addrs)) != 0)
		goto out;
	/* A primary address, the one on the gateway's subnet if any. */
	for (i = 0; i < addrs.n; i++) {
		a = (const struct nl_addr *)addrs.v + i;
		if (a->index != best->oif || (a->flags & IFA_F_SECONDARY))
			continue;
		mask = a->prefixlen == 0 ? 0 :
		    ~(0xffffffffU >> a->prefixlen);
		if (best->has_gateway &&
		    (a->local & mask) == (best->gateway & mask)) {
			pick = a;
			break;
		}
		if (pick == NULL)
			pick = a;
	}
	if (pick == NULL) {
		log_warnx("no IPv4 address on interface %d, which holds the "
		    "default route in table %u", best->oif, routes.table);
		err = EADDRNOTAVAIL;
		goto out;
	}
	*local = pick->local;
out:
	kl_vec_free(&routes);
	kl_vec_free(&addrs);
	kl_sock_close(&s);
	return err;
}

/*
 * Our 44 addresses in the interface domain: on the slaves of its VRF (and
 * the VRF itself) when it has one, else on the interfaces enslaved to no
 * VRF.
 */
int
kern_sys_addrs44(const struct kern_config *cfg, kern_addr44_cb cb, void *arg)
{
	struct kl_sock		 s;
	struct kl_vec		 links, addrs;
	const struct nl_link	*l, *master;
	const struct nl_addr	*a;
	struct prefix		 p;
	uint32_t		 table = nl_domain_table(cfg->rdomain);
	size_t			 i;
	int			 err, vrf = 0;

	if ((err = kl_lookup_sock(&s)) != 0)
		return err;
	kl_vec_init(&links, sizeof(struct nl_link));
	kl_vec_init(&addrs, sizeof(struct nl_addr));
	if ((err = kl_dump(&s, KL_DUMP_LINKS, &links)) != 0 ||
	    (err = kl_dump(&s, KL_DUMP_ADDRS, &addrs)) != 0)
		goto out;
	if (links.n > 0)
		qsort(links.v, links.n, links.size, kl_link_cmp);
	for (i = 0; i < links.n && cfg->rdomain != 0; i++) {
		l = (const struct nl_link *)links.v + i;
		if (kl_is_vrf(l) && l->table == table) {
			vrf = l->index;
			break;
		}
	}
	for (i = 0; i < addrs.n; i++) {
		a = (const struct nl_addr *)addrs.v + i;
		if ((a->local & KL_NET44_MASK) != KL_NET44)
			continue;
		l = kl_link_find(&links, a->index);
		master = l != NULL ? kl_link_find(&links, l->master) : NULL;
		if (vrf != 0 ? a->index != vrf &&
		    (l == NULL || l->master != vrf) :
		    master != NULL && kl_is_vrf(master))
			continue;
		p.addr = a->local;
		p.len = a->prefixlen;
		cb(arg, &p);
	}
out:
	kl_vec_free(&links);
	kl_vec_free(&addrs);
	kl_sock_close(&s);
	return err;
}

static void
kl_first_addr44(void *arg, const struct prefix *p)
{
	uint32_t	*first = arg;

	if (*first == 0)
		*first = p->addr;
}

int
kern_sys_find_addr44(const struct kern_config *cfg, uint32_t *addr44)
{
	uint32_t	first = 0;
	int		err;

	if ((err = kern_sys_addrs44(cfg, kl_first_addr44, &first)) != 0)
		return err;
	if (first == 0) {
		log_warnx("no 44/8 address on any interface of the interface "
		    "domain");
		return ENOENT;
	}
	*addr44 = first;
	return 0;
}
