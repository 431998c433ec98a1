/*
 * The control socket's server, in the parent: listening sockets (-c, and
 * -C read-only), at most CONTROL_MAX_CLIENTS clients, each request
 * checked and answered from the mesh, ingest and listener through their
 * query functions, replies and monitor events queued per client.  Nothing
 * here blocks: a client whose queue passes CONTROL_QUEUE_MAX is dropped.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "control.h"
#include "ingest.h"
#include "listen.h"
#include "log.h"
#include "mesh.h"
#include "options.h"
#include "reason.h"

/* log_limited() keys: clear of the reasons and of parent.c's. */
#define KEY_CTL_MALFORMED	(R_NREASONS + 1)
#define KEY_CTL_FULL		(R_NREASONS + 2)
#define KEY_CTL_ACCEPT		(R_NREASONS + 3)
#define KEY_CTL_DROPPED		(R_NREASONS + 4)

#define CONTROL_BACKLOG		8

struct record {
	struct record	*next;
	size_t		 len;
	unsigned char	 data[];
};

struct client {
	struct control	*ctl;
	struct client	*next;
	int		 fd;
	int		 readonly;	/* came through -C */
	uid_t		 uid;
	int		 monitor;	/* wants events */
	int		 writing;	/* ev_write is added */
	int		 busy;		/* a request is being answered */
	int		 dead;		/* dropped meanwhile: free after */
	struct record	*head;
	struct record	*tail;
	size_t		 queued;	/* bytes */
	struct event	 ev_read;
	struct event	 ev_write;
};

struct listening {
	struct control	*ctl;
	int		 fd;
	int		 readonly;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct event	 ev;
};

struct control {
	const struct options	*o;
	struct listening	 sock[2];	/* -c, -C */
	int			 nsock;
	int			 serving;	/* control_start() done */
	struct control_sources	 src;
	struct client		*clients;
	int			 nclients;
	time_t			 started;	/* monotonic */
};

static time_t
clock_mono(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}

/* Seconds from then to now (-1 for never); a clock behind gives 0. */
static int64_t
age_of(time_t then, time_t now)
{
	if (then == 0)
		return -1;
	return now > then ? (int64_t)(now - then) : 0;
}

static void
copy_name(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

/*
 * The group of the sockets: -w, else wheel on OpenBSD (as bgpd's), root's
 * group 0 elsewhere.  0 and *gid, or -1.
 */
static int
control_group(const struct options *o, gid_t *gid, char *err, size_t errlen)
{
	const char	*name = o->ctlgroup;
	struct group	*gr;

#ifdef __OpenBSD__
	if (name == NULL)
		name = "wheel";
#endif
	if (name == NULL) {
		*gid = 0;
		return 0;
	}
	if ((gr = getgrnam(name)) == NULL) {
		snprintf(err, errlen, "-w %s: no such group", name);
		return -1;
	}
	*gid = gr->gr_gid;
	return 0;
}

/*
 * One listening socket at path.  A socket file nobody answers on is a
 * dead daemon's and is replaced; one that answers is another daemon's.
 */
static int
listen_at(struct listening *l, const char *path, int readonly, gid_t gid,
    char *err, size_t errlen)
{
	struct sockaddr_un	sun;
	mode_t			old;
	int			fd, probe;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: control socket path too long",
		    path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((probe = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		close(probe);
		snprintf(err, errlen, "%s: another daemon answers on this "
		    "control socket", path);
		return -1;
	}
	close(probe);
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	/* Never reachable by others, even for a moment before chmod. */
	old = umask(S_IRWXO | S_IRWXG);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	/* A user's dry run keeps the user's group unless -w names one. */
	if ((gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) == -1) ||
	    chmod(path, readonly ? CONTROL_MODE_RO : CONTROL_MODE) == -1 ||
	    listen(fd, CONTROL_BACKLOG) == -1 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(path);
		close(fd);
		return -1;
	}
	l->fd = fd;
	l->readonly = readonly;
	copy_name(l->path, sizeof(l->path), path);
	return 0;
}

struct control *
control_open(const struct options *o, char *err, size_t errlen)
{
	struct control	*c;
	gid_t		 gid;

	if (control_group(o, &gid, err, errlen) == -1)
		return NULL;
	if (geteuid() != 0 && o->ctlgroup == NULL)
		gid = (gid_t)-1;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return NULL;
	}
	c->o = o;
	c->sock[0].ctl = c->sock[1].ctl = c;
	if (listen_at(&c->sock[0], o->ctlsock, 0, gid, err, errlen) == -1) {
		free(c);
		return NULL;
	}
	c->nsock = 1;
	if (o->ctlsock_ro != NULL) {
		if (listen_at(&c->sock[1], o->ctlsock_ro, 1, gid, err,
		    errlen) == -1) {
			control_close(c);
			return NULL;
		}
		c->nsock = 2;
	}
	c->started = clock_mono();
	return c;
}

static void
client_free(struct client *cl)
{
	struct control	*c = cl->ctl;
	struct client	**pp;
	struct record	*r, *next;

	/* Its request is still being answered: freed once that is done. */
	if (cl->busy) {
		cl->dead = 1;
		return;
	}

	for (pp = &c->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	c->nclients--;
	event_del(&cl->ev_read);
	if (cl->writing)
		event_del(&cl->ev_write);
	for (r = cl->head; r != NULL; r = next) {
		next = r->next;
		free(r);
	}
	close(cl->fd);
	free(cl);
}

/* Sends what the client will take now.  -1 when it has gone. */
static int
client_flush(struct client *cl)
{
	struct record	*r;
	ssize_t		 n;

	while ((r = cl->head) != NULL) {
		n = send(cl->fd, r->data, r->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS))
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		cl->head = r->next;
		if (cl->head == NULL)
			cl->tail = NULL;
		cl->queued -= r->len;
		free(r);
	}
	if (cl->head != NULL && !cl->writing) {
		event_add(&cl->ev_write, NULL);
		cl->writing = 1;
	} else if (cl->head == NULL && cl->writing) {
		event_del(&cl->ev_write);
		cl->writing = 0;
	}
	return 0;
}

/*
 * Queues one record.  -1 when the queue would pass its cap: the caller
 * drops the client (a reader that stalls must not grow the daemon).
 */
static int
client_queue(struct client *cl, const void *data, size_t len)
{
	struct record	*r;

	if (cl->queued + len > CONTROL_QUEUE_MAX)
		return -1;
	if ((r = malloc(sizeof(*r) + len)) == NULL)
		return -1;
	r->next = NULL;
	r->len = len;
	memcpy(r->data, data, len);
	if (cl->tail != NULL)
		cl->tail->next = r;
	else
		cl->head = r;
	cl->tail = r;
	cl->queued += len;
	return 0;
}

static void
hdr_init(struct ctl_hdr *h, uint32_t type)
{
	h->version = CTL_VERSION;
	h->type = type;
}

/* A reply being built: the first failure sticks. */
struct reply {
	struct client	*cl;
	int		 failed;
	time_t		 mono;
	time_t		 wall;
};

static void
reply_put(struct reply *rp, const void *data, size_t len)
{
	if (!rp->failed && client_queue(rp->cl, data, len) == -1)
		rp->failed = 1;
}

static void
reply_simple(struct reply *rp, uint32_t type)
{
	struct ctl_hdr	h;

	hdr_init(&h, type);
	reply_put(rp, &h, sizeof(h));
}

static void
reply_error(struct reply *rp, uint32_t code, const char *text)
{
	struct ctl_error	e;

	memset(&e, 0, sizeof(e));
	hdr_init(&e.hdr, CTL_REP_ERROR);
	e.code = code;
	copy_name(e.text, sizeof(e.text), text);
	reply_put(rp, &e, sizeof(e));
}

static void
reply_counter(struct reply *rp, uint32_t kind, const char *name,
    unsigned long count)
{
	struct ctl_counter	k;

	memset(&k, 0, sizeof(k));
	hdr_init(&k.hdr, CTL_REP_COUNTER);
	k.kind = kind;
	k.count = count;
	copy_name(k.name, sizeof(k.name), name);
	reply_put(rp, &k, sizeof(k));
}

/* Refusal counters: by reason (datagram or entry), then the listener's. */
static void
reply_counters(struct reply *rp, const struct control_sources *s)
{
	int	r, v;

	for (r = R_NONE + 1; r < R_NREASONS; r++)
		reply_counter(rp, reason_is_datagram((enum reason)r) ?
		    CTL_COUNT_DATAGRAM : CTL_COUNT_ENTRY,
		    reason_name((enum reason)r), s->in->reasons[r]);
	if (s->ls == NULL)
		return;
	for (v = LISTEN_ACCEPT + 1; v < LISTEN_NVERDICTS; v++)
		reply_counter(rp, CTL_COUNT_LISTENER,
		    listen_verdict_name((enum listen_verdict)v),
		    listen_count(s->ls, (enum listen_verdict)v));
}

static void
show_summary(struct control *c, struct reply *rp,
    const struct options *o)
{
	const struct control_sources	*s = &c->src;
	const struct ingest		*in = s->in;
	struct mesh_feed_view		 feed;
	struct mesh_broadcast_view	 bc;
	struct mesh_stats		 st;
	struct ctl_summary		 sm;
	int				 r;

	memset(&sm, 0, sizeof(sm));
	hdr_init(&sm.hdr, CTL_REP_SUMMARY);
	mesh_get_stats(s->mesh, &st);
	mesh_get_feed(s->mesh, &feed);
	mesh_get_broadcast(s->mesh, &bc);
	sm.local = o->mesh.local;
	sm.addr44 = o->mesh.addr44;
	sm.amprgw = o->amprgw;
	sm.rdomain = o->mesh.rdomain;
	sm.tunneldomain = o->mesh.tunneldomain;
	sm.dryrun = o->dryrun;
	sm.verbose = log_verbose();
	sm.feed_alive = !feed.quiet;
	sm.routes = st.routes;
	sm.tunnels = st.tunnels;
	sm.pending = st.pending;
	sm.kernel_ops = st.kernel_ops;
	sm.kernel_errors = st.kernel_errors;
	sm.routes_held = st.routes_held;
	sm.datagrams = in->datagrams;
	sm.accepted = in->accepted;
	sm.refused = in->refused;
	sm.entries = in->entries;
	for (r = R_NONE + 1; r < R_NREASONS; r++)
		if (!reason_is_datagram((enum reason)r))
			sm.entries_refused += in->reasons[r];
	sm.broadcasts = feed.complete;
	sm.partial = feed.partial;
	sm.last_accepted = in->last_accepted;
	sm.last_accepted_age = age_of(in->last_accepted, rp->wall);
	sm.feed_quiet_age = feed.quiet ? age_of(feed.since, rp->mono) : -1;
	sm.broadcast_age = age_of(bc.start, rp->mono);
	sm.broadcast_datagrams = bc.datagrams;
	sm.broadcast_entries = bc.entries;
	sm.uptime = age_of(c->started, rp->mono);
	if (s->engine != NULL) {
		sm.engine_pid = s->engine->pid;
		sm.engine_age = age_of(s->engine->started, rp->mono);
		sm.engine_restarts = s->engine->restarts;
		copy_name(sm.engine_exit, sizeof(sm.engine_exit),
		    s->engine->last_exit_reason);
	} else
		sm.engine_age = -1;
	copy_name(sm.backend, sizeof(sm.backend), s->backend);
	reply_put(rp, &sm, sizeof(sm));
	reply_counters(rp, s);
	reply_simple(rp, CTL_REP_END);
}

static void
put_route(struct reply *rp, const struct mesh_route_view *v)
{
	struct ctl_route	cr;

	memset(&cr, 0, sizeof(cr));
	hdr_init(&cr.hdr, CTL_REP_ROUTE);
	cr.addr = v->addr;
	cr.len = v->len;
	cr.gateway = v->gateway;
	cr.unit = v->unit;
	cr.flags = v->installed ? CTL_ROUTE_INSTALLED : 0;
	cr.heard_age = age_of(v->heard, rp->mono);
	reply_put(rp, &cr, sizeof(cr));
}

static void
each_route(void *arg, const struct mesh_route_view *v)
{
	put_route(arg, v);
}

static void
show_routes(struct control *c, struct reply *rp, const struct ctl_request *q)
{
	struct mesh_route_view	v;
	int			found;

	if (q->select == CTL_SEL_ALL) {
		mesh_foreach(c->src.mesh, each_route, rp);
		reply_simple(rp, CTL_REP_END);
		return;
	}
	if (q->select == CTL_SEL_PREFIX)
		found = mesh_find_route(c->src.mesh, q->addr, q->len, &v);
	else
		found = mesh_lookup(c->src.mesh, q->addr, &v);
	if (!found) {
		reply_error(rp, CTL_ERR_NOTFOUND, q->select == CTL_SEL_PREFIX ?
		    "no such route" : "no route covers this address");
		return;
	}
	put_route(rp, &v);
	reply_simple(rp, CTL_REP_END);
}

struct tunnel_show {
	struct reply	*rp;
	uint32_t	 only;		/* a gateway, or 0 for all */
	int		 found;
};

static void
each_tunnel(void *arg, const struct mesh_tunnel_view *v)
{
	struct tunnel_show	*ts = arg;
	struct ctl_tunnel	 ct;

	if (ts->only != 0 && v->remote != ts->only)
		return;
	ts->found++;
	memset(&ct, 0, sizeof(ct));
	hdr_init(&ct.hdr, CTL_REP_TUNNEL);
	ct.remote = v->remote;
	ct.unit = v->unit;
	ct.routes = v->routes;
	ct.flags = (v->installed ? CTL_TUN_INSTALLED : 0) |
	    (v->reserved ? CTL_TUN_RESERVED : 0) |
	    (v->broken ? CTL_TUN_BROKEN : 0) |
	    (v->pinned ? CTL_TUN_PINNED : 0) |
	    (v->pending ? CTL_TUN_PENDING : 0);
	ct.failures = v->failures;
	ct.retry_in = v->retry_at == 0 ? -1 : v->retry_at > ts->rp->mono ?
	    (int64_t)(v->retry_at - ts->rp->mono) : 0;
	reply_put(ts->rp, &ct, sizeof(ct));
}

static void
show_tunnels(struct control *c, struct reply *rp, const struct ctl_request *q)
{
	struct tunnel_show	ts = { rp, 0, 0 };

	if (q->select == CTL_SEL_GATEWAY)
		ts.only = q->addr;
	if (mesh_walk_tunnels(c->src.mesh, each_tunnel, &ts) == -1) {
		reply_error(rp, CTL_ERR_FAILED, "out of memory");
		return;
	}
	if (ts.only != 0 && ts.found == 0) {
		reply_error(rp, CTL_ERR_NOTFOUND, "no tunnel to this gateway");
		return;
	}
	reply_simple(rp, CTL_REP_END);
}

static void
each_refusal(void *arg, const struct ingest_refusal *r)
{
	struct ctl_refusal	cf;

	memset(&cf, 0, sizeof(cf));
	hdr_init(&cf.hdr, CTL_REP_REFUSAL);
	cf.when = r->when;
	cf.source = r->source;
	cf.addr = r->addr;
	cf.len = r->len == INGEST_DATAGRAM ? CTL_LEN_DATAGRAM :
	    r->len < 0 ? CTL_LEN_NOMASK : r->len;
	cf.mask = r->mask;
	cf.gateway = r->gateway;
	copy_name(cf.reason, sizeof(cf.reason), reason_name(r->why));
	reply_put(arg, &cf, sizeof(cf));
}

static void
show_refusals(struct control *c, struct reply *rp)
{
	reply_counters(rp, &c->src);
	ingest_walk_refusals(c->src.in, each_refusal, rp);
	reply_simple(rp, CTL_REP_END);
}

/* The fields a request of its type does not use are all 0. */
static int
unused_zero(const struct ctl_request *q)
{
	return q->select == CTL_SEL_ALL && q->addr == 0 && q->len == 0 &&
	    q->level == 0;
}

int
control_check_request(const void *buf, size_t len, struct ctl_request *q,
    char *why, size_t whylen)
{
	if (len != sizeof(*q)) {
		snprintf(why, whylen, "request of %zu bytes, not %zu", len,
		    sizeof(*q));
		return -1;
	}
	memcpy(q, buf, sizeof(*q));
	if (q->version != CTL_VERSION) {
		snprintf(why, whylen, "protocol version %u, not %u",
		    q->version, CTL_VERSION);
		return -1;
	}
	if (q->reserved[0] != 0 || q->reserved[1] != 0) {
		snprintf(why, whylen, "reserved fields not zero");
		return -1;
	}
	switch (q->type) {
	case CTL_REQ_ROUTES:
		if (q->select == CTL_SEL_PREFIX && q->len >= 0 &&
		    q->len <= 32 && (q->addr & ~addr_mask(q->len)) == 0 &&
		    q->level == 0)
			return 0;
		if (q->select == CTL_SEL_ADDRESS && q->len == 32 &&
		    q->level == 0)
			return 0;
		if (unused_zero(q))
			return 0;
		snprintf(why, whylen, "show routes: bad selection %u, "
		    "address or length %d", q->select, q->len);
		return -1;
	case CTL_REQ_TUNNELS:
		if (q->select == CTL_SEL_GATEWAY && q->addr != 0 &&
		    q->len == 0 && q->level == 0)
			return 0;
		if (unused_zero(q))
			return 0;
		snprintf(why, whylen, "show tunnels: bad selection %u or "
		    "gateway", q->select);
		return -1;
	case CTL_REQ_LOG:
		if (q->level != CTL_LOG_BRIEF && q->level != CTL_LOG_VERBOSE) {
			snprintf(why, whylen, "log: level %d is neither brief "
			    "nor verbose", q->level);
			return -1;
		}
		if (q->select == CTL_SEL_ALL && q->addr == 0 && q->len == 0)
			return 0;
		snprintf(why, whylen, "log: fields not zero");
		return -1;
	case CTL_REQ_SUMMARY:
	case CTL_REQ_REFUSALS:
	case CTL_REQ_MONITOR:
	case CTL_REQ_RELOAD:
		if (unused_zero(q))
			return 0;
		snprintf(why, whylen, "request type %u: fields not zero",
		    q->type);
		return -1;
	}
	snprintf(why, whylen, "unknown request type %u", q->type);
	return -1;
}

int
control_permitted(const struct ctl_request *q, int readonly, uid_t uid,
    char *why, size_t whylen)
{
	if (q->type != CTL_REQ_RELOAD && q->type != CTL_REQ_LOG)
		return 1;
	if (readonly) {
		snprintf(why, whylen, "permission denied: the read-only "
		    "socket (-C) only shows");
		return 0;
	}
	if (uid != 0) {
		snprintf(why, whylen, "permission denied: only root may "
		    "change the daemon (uid %lu asked)", (unsigned long)uid);
		return 0;
	}
	return 1;
}

static void
client_drop(struct client *cl, const char *why)
{
	log_limited(KEY_CTL_DROPPED, clock_mono(), "control client (uid "
	    "%lu) dropped: %s", (unsigned long)cl->uid, why);
	client_free(cl);
}

/* Answers one valid request into the queue; the caller flushes. */
static void
answer(struct control *c, struct client *cl, const struct ctl_request *q,
    struct reply *rp, const struct options *o)
{
	char	why[CTL_TEXT_MAX];

	if (!control_permitted(q, cl->readonly, cl->uid, why, sizeof(why))) {
		reply_error(rp, CTL_ERR_DENIED, why);
		return;
	}
	switch (q->type) {
	case CTL_REQ_SUMMARY:
		show_summary(c, rp, o);
		break;
	case CTL_REQ_ROUTES:
		show_routes(c, rp, q);
		break;
	case CTL_REQ_TUNNELS:
		show_tunnels(c, rp, q);
		break;
	case CTL_REQ_REFUSALS:
		show_refusals(c, rp);
		break;
	case CTL_REQ_MONITOR:
		cl->monitor = 1;
		reply_simple(rp, CTL_REP_OK);
		break;
	case CTL_REQ_RELOAD:
		log_info("reload asked on the control socket");
		reply_simple(rp, CTL_REP_OK);
		if (c->src.reload != NULL)
			c->src.reload(c->src.reload_arg);
		break;
	case CTL_REQ_LOG:
		log_set_verbose(q->level == CTL_LOG_VERBOSE ? 1 : 0);
		log_info("log level %s, asked on the control socket",
		    q->level == CTL_LOG_VERBOSE ? "verbose" : "brief");
		reply_simple(rp, CTL_REP_OK);
		break;
	}
}

static void
on_client_read(int fd, short what, void *arg)
{
	struct client		*cl = arg;
	struct control		*c = cl->ctl;
	unsigned char		 buf[CTL_RECORD_MAX];
	struct ctl_request	 q;
	struct reply		 rp;
	char			 why[CTL_TEXT_MAX];
	ssize_t			 n;

	(void)what;
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		client_free(cl);
		return;
	}
	memset(&rp, 0, sizeof(rp));
	rp.cl = cl;
	rp.mono = clock_mono();
	rp.wall = time(NULL);
	if (control_check_request(buf, (size_t)n, &q, why, sizeof(why)) ==
	    -1) {
		log_limited(KEY_CTL_MALFORMED, rp.mono, "control client (uid "
		    "%lu): malformed request: %s", (unsigned long)cl->uid,
		    why);
		reply_error(&rp, CTL_ERR_MALFORMED, why);
		/* One try to tell it why; then it goes. */
		client_flush(cl);
		client_free(cl);
		return;
	}
	cl->busy = 1;
	answer(c, cl, &q, &rp, c->o);
	cl->busy = 0;
	if (cl->dead) {
		client_free(cl);
		return;
	}
	if (rp.failed) {
		client_drop(cl, "reply queue full (not reading)");
		return;
	}
	if (client_flush(cl) == -1)
		client_free(cl);
}

static void
on_client_write(int fd, short what, void *arg)
{
	struct client	*cl = arg;

	(void)fd;
	(void)what;
	/* The event is not persistent: flushing adds it again if needed. */
	cl->writing = 0;
	if (client_flush(cl) == -1)
		client_free(cl);
}

static void
on_accept(int fd, short what, void *arg)
{
	struct listening	*l = arg;
	struct control		*c = l->ctl;
	struct client		*cl;
	uid_t			 uid;
	int			 s;

	(void)what;
	if ((s = accept(fd, NULL, NULL)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			log_limited(KEY_CTL_ACCEPT, clock_mono(),
			    "control socket accept: %s", strerror(errno));
		return;
	}
	if (c->nclients >= CONTROL_MAX_CLIENTS) {
		log_limited(KEY_CTL_FULL, clock_mono(), "control socket: "
		    "%d clients already, one more refused",
		    CONTROL_MAX_CLIENTS);
		close(s);
		return;
	}
	if (control_peer_uid(s, &uid) == -1 ||
	    fcntl(s, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(s, F_SETFD, FD_CLOEXEC) == -1 ||
	    (cl = calloc(1, sizeof(*cl))) == NULL) {
		log_limited(KEY_CTL_ACCEPT, clock_mono(), "control client: %s",
		    strerror(errno));
		close(s);
		return;
	}
	cl->ctl = c;
	cl->fd = s;
	cl->uid = uid;
	cl->readonly = l->readonly;
	event_set(&cl->ev_read, s, EV_READ | EV_PERSIST, on_client_read, cl);
	event_set(&cl->ev_write, s, EV_WRITE, on_client_write, cl);
	if (event_add(&cl->ev_read, NULL) == -1) {
		close(s);
		free(cl);
		return;
	}
	cl->next = c->clients;
	c->clients = cl;
	c->nclients++;
}

static uint32_t
event_what(enum mesh_event_type t)
{
	switch (t) {
	case MESH_EV_ROUTE_ADDED:
		return CTL_EV_ROUTE_ADDED;
	case MESH_EV_ROUTE_MOVED:
		return CTL_EV_ROUTE_MOVED;
	case MESH_EV_ROUTE_EXPIRED:
		return CTL_EV_ROUTE_EXPIRED;
	case MESH_EV_ROUTE_WITHDRAWN:
		return CTL_EV_ROUTE_WITHDRAWN;
	case MESH_EV_TUNNEL_MADE:
		return CTL_EV_TUNNEL_MADE;
	case MESH_EV_TUNNEL_REMOVED:
		return CTL_EV_TUNNEL_REMOVED;
	case MESH_EV_REFUSALS:
		return CTL_EV_REFUSALS;
	}
	return 0;
}

/* The mesh decided something: every monitoring client is told. */
static void
on_mesh_event(void *arg, const struct mesh_event *ev)
{
	struct control		*c = arg;
	struct client		*cl, *next;
	struct ctl_event	 ce;

	memset(&ce, 0, sizeof(ce));
	hdr_init(&ce.hdr, CTL_REP_EVENT);
	ce.when = time(NULL);
	ce.what = event_what(ev->type);
	ce.addr = ev->addr;
	ce.len = ev->len == INGEST_DATAGRAM ? CTL_LEN_DATAGRAM :
	    ev->len < 0 ? CTL_LEN_NOMASK : ev->len;
	if (ev->type == MESH_EV_TUNNEL_MADE ||
	    ev->type == MESH_EV_TUNNEL_REMOVED)
		ce.len = -1;
	ce.gateway = ev->gateway;
	ce.old_gateway = ev->old_gateway;
	ce.unit = ev->unit;
	ce.source = ev->source;
	ce.count = ev->count;
	if (ev->type == MESH_EV_REFUSALS)
		copy_name(ce.reason, sizeof(ce.reason), reason_name(ev->why));
	for (cl = c->clients; cl != NULL; cl = next) {
		next = cl->next;
		if (!cl->monitor)
			continue;
		if (client_queue(cl, &ce, sizeof(ce)) == -1)
			client_drop(cl, "monitor queue full (not reading)");
		else if (client_flush(cl) == -1)
			client_free(cl);
	}
}

void
control_start(struct control *c, const struct control_sources *src)
{
	int	i;

	c->src = *src;
	c->serving = 1;
	mesh_set_observer(c->src.mesh, on_mesh_event, c);
	for (i = 0; i < c->nsock; i++) {
		event_set(&c->sock[i].ev, c->sock[i].fd, EV_READ | EV_PERSIST,
		    on_accept, &c->sock[i]);
		if (event_add(&c->sock[i].ev, NULL) == -1)
			fatal("event_add");
		log_info("control socket %s (%s)", c->sock[i].path,
		    c->sock[i].readonly ? "read-only" : "root may change");
	}
}

void
control_close(struct control *c)
{
	int	i;

	if (c == NULL)
		return;
	while (c->clients != NULL)
		client_free(c->clients);
	if (c->serving)
		mesh_set_observer(c->src.mesh, NULL, NULL);
	for (i = 0; i < c->nsock; i++) {
		if (c->serving)
			event_del(&c->sock[i].ev);
		close(c->sock[i].fd);
		unlink(c->sock[i].path);
	}
	free(c);
}
