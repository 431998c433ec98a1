/*
 * The parent, the privileged process: start-up (defaults, kernel backend,
 * the RIP socket and its joins, mesh, encap file), then one libevent loop
 * (the 1.4 API that OpenBSD ships) over the network engine's records, the
 * kernel's interface events, a timer for expiry and retries, and the
 * signals.  The engine (engine.c) reads the socket the parent opened;
 * every record it sends is checked and decided again (msg.c) before the
 * tables change.  An engine that dies or lies is replaced; nothing here
 * exits because the kernel refused an operation.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <net/if.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "control.h"
#include "encap.h"
#include "engine.h"
#include "ingest.h"
#include "kern.h"
#include "kern_addrs.h"
#include "listen.h"
#include "log.h"
#include "mcast.h"
#include "mesh.h"
#include "msg.h"
#include "options.h"
#include "parent.h"
#include "pidfile.h"
#include "reason.h"
#include "rip.h"
#include "sandbox.h"

#define REFRESH_DELAY	1	/* seconds: one refresh for a burst */
#define ENGINE_STABLE	60	/* seconds an engine lives to restart at once */
#define ENGINE_BACKOFF_MAX 64	/* seconds between restarts at most */
#define STATUS_MAX	1024
#define ENCAP_REDATE	3600	/* seconds: the file's time follows the feed */

/* log_limited() keys, clear of the reasons ingest.c uses. */
#define KEY_ENGINE	(LOG_LIMIT_KEYS - 2)
#define KEY_ENCAP	(LOG_LIMIT_KEYS - 3)
#define KEY_CONNECTED	(LOG_LIMIT_KEYS - 1)
#define KEY_AMPRGW	(LOG_LIMIT_KEYS - 4)

struct daemon {
	struct options		*o;
	const struct kern_ops	*kern;
	void			*kctx;
	struct mesh		*mesh;
	struct ingest		 in;
	struct listener		*ls;
	struct sandbox		 sb;
	struct msg_parent	 mp;		/* the engine's records */
	int			 engine_fd;	/* -1: none */
	int			 backoff;	/* s before the next restart */
	int			 stopping;
	/* What the engine was last told, and what is still to go. */
	unsigned long		 sent_list;	/* listen_generation() */
	struct policy		 sent_policy;
	struct msg_record	*outq;
	size_t			 nout, sentout, capout;
	unsigned long		 written;	/* generation on file */
	char			 encappath[PATH_MAX];	/* -f, absolute */
	char			 encapdir[PATH_MAX];	/* its folder */
	int			 pidfd;		/* the locked pidfile, or -1 */
	time_t			 dated;		/* heard since, as on file */
	int			 refresh_pending;
	int			 pinned;	/* our own tunnel to -G */
	int			 local_lost;	/* followed address gone */
	struct control		*ctl;		/* the control sockets */
	struct control_engine_state engine;	/* pid 0: none running */

	struct event		 ev_engine;	/* records */
	struct event		 ev_engine_out;	/* room to write */
	struct event		 ev_restart;
	struct event		 ev_sigchld;
	struct event		 ev_change;	/* interfaces changed */
	struct event		 ev_kernel;	/* gifs (backend) */
	struct event		 ev_timer;	/* expiry and retries */
	struct event		 ev_refresh;	/* joins, soon */
	struct event		 ev_periodic;	/* joins, at times */
	struct event		 ev_sigterm;
	struct event		 ev_sigint;
	struct event		 ev_sighup;
	struct event		 ev_sigusr1;
#ifdef SIGINFO
	struct event		 ev_siginfo;
#endif
};

/* Addresses that no NAT forwards to from the Internet unchanged. */
static const struct prefix private_space[] = {
	{ 0x0a000000U, 8 },	/* 10/8 */
	{ 0x64400000U, 10 },	/* 100.64/10, carrier-grade NAT */
	{ 0xac100000U, 12 },	/* 172.16/12 */
	{ 0xc0a80000U, 16 },	/* 192.168/16 */
};

/*
 * Behind NAT amprgw advertises our subnets via the NAT box's public
 * address, not -L: without -A they would be routed into a tunnel to
 * ourselves.
 */
static void
nat_hint(const struct options *o)
{
	char	a[ADDR_STRLEN];
	size_t	i;

	if (o->policy.advertised != 0)
		return;
	for (i = 0; i < sizeof(private_space) / sizeof(private_space[0]); i++)
		if (prefix_contains(private_space[i], o->mesh.local)) {
			log_warnx("public address %s is private: behind NAT, "
			    "give -A with the address amprgw advertises for "
			    "our subnets", fmt_addr(o->mesh.local, a));
			return;
		}
}

/*
 * One address the operator did not give, asked of the kernel: what
 * names it ("public", "44"), its flag and the domain it is looked for in
 * say what to give when it cannot be found.  0, or -1 after saying so.
 */
static int
find_address(const struct kern_config *kc,
    int (*find)(const struct kern_config *, uint32_t *), uint32_t *out,
    const char *what, char flag, int domain)
{
	char	a[ADDR_STRLEN];
	int	rc;

	if ((rc = find(kc, out)) != 0) {
		if (rc == ENOENT)
			log_warnx("cannot find our %s address in routing "
			    "domain %d: give -%c", what, domain, flag);
		else
			log_errno(rc, "cannot find our %s address in routing "
			    "domain %d (give -%c)", what, domain, flag);
		return -1;
	}
	log_info("%s address %s (found; -%c overrides)", what,
	    fmt_addr(*out, a), flag);
	return 0;
}

/*
 * -L and -l when not given: asked of the kernel, never assumed.
 * 0, or -1 after saying which flag to give.
 */
static int
find_defaults(struct options *o)
{
	struct kern_config	kc;

	memset(&kc, 0, sizeof(kc));
	kc.rdomain = o->mesh.rdomain;
	kc.tunneldomain = o->mesh.tunneldomain;
	if (!o->local_set && find_address(&kc, kern_sys_find_local,
	    &o->mesh.local, "public", 'L', o->mesh.tunneldomain) == -1)
		return -1;
	o->policy.ours = o->mesh.local;
	nat_hint(o);
	if (!o->addr44_set && find_address(&kc, kern_sys_find_addr44,
	    &o->mesh.addr44, "44", 'l', o->mesh.rdomain) == -1)
		return -1;
	o->policy.addr44 = o->mesh.addr44;
	return 0;
}

/*
 * Without -L the public address is followed: looked up again whenever
 * interface addresses change (the listener's change socket hears Linux
 * RTNLGRP_IPV4_IFADDR and OpenBSD RTM_NEWADDR/RTM_DELADDR), at SIGHUP,
 * and once a minute, since on OpenBSD the default route that names it
 * goes with the old address (rt_ifa_purge() in sys/net/route.c) and its
 * return brings no address message.  A new address moves every tunnel of
 * ours in place; none at all leaves everything as it is, said once.
 */
static void
follow_local(struct daemon *d)
{
	struct options		*o = d->o;
	struct kern_config	 kc;
	uint32_t		 found = 0;
	char			 was[ADDR_STRLEN], now[ADDR_STRLEN];
	size_t			 n;

	if (o->local_set || d->mesh == NULL)
		return;
	memset(&kc, 0, sizeof(kc));
	kc.rdomain = o->mesh.rdomain;
	kc.tunneldomain = o->mesh.tunneldomain;
	if (kern_sys_find_local(&kc, &found) != 0 || found == 0) {
		if (!d->local_lost)
			log_warnx("public address %s is gone and none has "
			    "taken its place: tunnels keep it, waiting for "
			    "one", fmt_addr(o->mesh.local, was));
		d->local_lost = 1;
		return;
	}
	if (found == o->mesh.local) {
		if (d->local_lost)
			log_info("public address %s is back",
			    fmt_addr(found, now));
		d->local_lost = 0;
		return;
	}
	d->local_lost = 0;
	n = mesh_follow_local(d->mesh, found);
	log_info("public address changed from %s to %s: %zu tunnel%s follow%s",
	    fmt_addr(o->mesh.local, was), fmt_addr(found, now), n,
	    n == 1 ? "" : "s", n == 1 ? "s" : "");
	o->mesh.local = o->policy.ours = found;
	nat_hint(o);
	mesh_reconcile(d->mesh, msg_now());
}

/*
 * The file's routes count as heard at its time (made monotonic), so
 * that a restart during a feed outage keeps them, and the hard limit
 * counts from when they were last heard (see keep_encap_file()).
 */
static void
add_connected(void *arg, const struct prefix *p)
{
	struct policy	*policy = arg;
	char		 a[ADDR_STRLEN];

	if (policy_add_connected(policy, *p) == -1)
		log_limited(KEY_CONNECTED, msg_now(), "more than %d 44 "
		    "addresses in the interface domain: %s/%d and later ones "
		    "not protected", POLICY_MAX_CONNECTED,
		    fmt_addr(p->addr, a), p->len);
}

/*
 * Our own 44 subnets, which no route may replace (or, without -S, cover
 * or split): read at start-up and again whenever interfaces change.
 * When they cannot be read, the last ones known stay.
 */
static void
learn_connected(struct options *o)
{
	struct kern_config	kc;
	struct policy		before = o->policy;
	char			a[ADDR_STRLEN];
	int			i, rc;

	kc.rdomain = o->mesh.rdomain;
	kc.tunneldomain = o->mesh.tunneldomain;
	policy_clear_connected(&o->policy);
	if ((rc = kern_sys_addrs44(&kc, add_connected, &o->policy)) != 0) {
		log_errno(rc, "reading our 44 addresses");
		o->policy = before;
		return;
	}
	if (o->policy.nconnected == before.nconnected &&
	    memcmp(o->policy.connected, before.connected,
	    sizeof(before.connected[0]) * (size_t)before.nconnected) == 0)
		return;
	for (i = 0; i < o->policy.nconnected; i++)
		log_info("our 44 subnet: %s/%d (%s)",
		    fmt_addr(o->policy.connected[i].addr, a),
		    o->policy.connected[i].len,
		    o->policy.more_specific_ok ? "no route may replace it" :
		    "no route may cover or split it");
}

static void
load_encap(struct daemon *d, time_t now)
{
	const char	*path = d->o->encapfile;
	struct stat	 st;
	time_t		 age = 0, wall = time(NULL);
	int		 n;

	if (path == NULL)
		return;
	if (stat(path, &st) == 0 && st.st_mtime < wall)
		age = wall - st.st_mtime;
	if ((n = encap_read(path, &d->in, now - age)) == -1) {
		if (errno != ENOENT)
			log_warn("%s", path);
		return;
	}
	log_info("%d routes loaded from %s", n, path);
}

/* The next timer: when the mesh next has work (never in a busy loop). */
static void
arm_timer(struct daemon *d)
{
	struct timeval	tv;
	time_t		when, now;

	evtimer_del(&d->ev_timer);
	if ((when = mesh_next_event(d->mesh)) == 0)
		return;
	now = msg_now();
	tv.tv_sec = when > now ? when - now : 1;
	tv.tv_usec = 0;
	evtimer_add(&d->ev_timer, &tv);
}

/*
 * The encap file follows the table, and its time says since when every
 * route in it has been heard (a restart takes them as heard then): set
 * after each write, and again when that time has moved on by an hour
 * (not more often: flash wears).
 */
static void
keep_encap_file(struct daemon *d)
{
	const char		*path = d->o->encapfile;
	unsigned long		 gen = mesh_generation(d->mesh);
	struct mesh_feed_view	 feed;
	struct timespec		 ts[2];
	time_t			 now = msg_now();

	if (path == NULL || d->o->dryrun)
		return;
	mesh_get_feed(d->mesh, &feed);
	if (gen != d->written) {
		/* On failure the next pass tries again. */
		if (encap_write(path, d->mesh, time(NULL)) == -1) {
			log_limited(KEY_ENCAP, now, "writing %s: %s", path,
			    strerror(errno));
			return;
		}
		d->written = gen;
	} else if (feed.heard_since - d->dated < ENCAP_REDATE)
		return;
	d->dated = feed.heard_since;
	if (feed.heard_since == 0 || feed.heard_since > now)
		return;
	memset(ts, 0, sizeof(ts));
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - (now - feed.heard_since);
	if (utimensat(AT_FDCWD, path, ts, 0) == -1)
		log_limited(KEY_ENCAP, now, "dating %s: %s", path,
		    strerror(errno));
}

/* Records to the engine wait here: writing never blocks the parent. */
static void
queue_record(struct daemon *d, const struct msg_record *r)
{
	struct msg_record	*v;
	size_t			 want;

	if (d->nout == d->capout) {
		want = d->capout == 0 ? 64 : d->capout * 2;
		if ((v = reallocarray(d->outq, want, sizeof(*v))) == NULL)
			fatal("records to the engine");
		d->outq = v;
		d->capout = want;
	}
	d->outq[d->nout++] = *r;
}

static void
write_engine(struct daemon *d)
{
	/* Its end is non-blocking: a full socket waits for room. */
	while (d->sentout < d->nout) {
		if (msg_send(d->engine_fd, &d->outq[d->sentout]) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				event_add(&d->ev_engine_out, NULL);
				return;
			}
			/* The engine is going: SIGCHLD says how. */
			break;
		}
		d->sentout++;
	}
	d->nout = d->sentout = 0;
}

static void
on_engine_out(int fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	write_engine(arg);
}

static int
policy_changed(const struct policy *a, const struct policy *b)
{
	return a->ours != b->ours || a->addr44 != b->addr44 ||
	    a->nconnected != b->nconnected || memcmp(a->connected,
	    b->connected, sizeof(a->connected[0]) *
	    (size_t)a->nconnected) != 0;
}

/*
 * The engine decides arrival and policy by what it was told last: when
 * the interfaces or our addresses changed, it is told again, whole.
 * Its records until then carry the older generation, so the parent,
 * deciding otherwise, drops them without blaming it.
 */
static void
sync_engine(struct daemon *d)
{
	const struct policy	*pol = &d->o->policy;
	const struct mcast_list	*l = listen_list(d->ls);
	struct msg_record	 r;
	size_t			 k;
	int			 i;

	if (listen_generation(d->ls) == d->sent_list &&
	    !policy_changed(pol, &d->sent_policy))
		return;
	d->sent_list = listen_generation(d->ls);
	d->sent_policy = *pol;
	d->mp.gen++;
	if (d->engine_fd == -1)
		return;
	/* What was not sent of an older sync is replaced by this one. */
	d->nout = d->sentout = 0;
	memset(&r, 0, sizeof(r));
	r.type = MSG_SYNC_POLICY;
	r.addr = pol->ours;
	r.nexthop = pol->addr44;
	queue_record(d, &r);
	for (i = 0; i < pol->nconnected; i++) {
		memset(&r, 0, sizeof(r));
		r.type = MSG_SYNC_CONNECTED;
		r.addr = pol->connected[i].addr;
		r.len = pol->connected[i].len;
		queue_record(d, &r);
	}
	for (k = 0; k < l->nifaces; k++) {
		memset(&r, 0, sizeof(r));
		r.type = MSG_SYNC_IFACE;
		r.ifindex = l->ifaces[k].index;
		memcpy(r.name, l->ifaces[k].name, sizeof(l->ifaces[k].name));
		r.flags = (l->ifaces[k].tunnel ? MSGF_TUNNEL : 0) |
		    (l->ifaces[k].can_join ? MSGF_CAN_JOIN : 0);
		r.nexthop = l->ifaces[k].remote;
		queue_record(d, &r);
	}
	for (k = 0; k < l->naddrs; k++) {
		memset(&r, 0, sizeof(r));
		r.type = MSG_SYNC_ADDR;
		r.ifindex = l->addrs[k].index;
		r.addr = l->addrs[k].addr;
		queue_record(d, &r);
	}
	memset(&r, 0, sizeof(r));
	r.type = MSG_SYNC_END;
	r.gen = d->mp.gen;
	queue_record(d, &r);
	write_engine(d);
}

/* After every pass: the encap file follows the table, the timer the work. */
static void
after_pass(struct daemon *d)
{
	keep_encap_file(d);
	sync_engine(d);
	arm_timer(d);
	/* Dry-run lines are the output: let a reader see them now. */
	if (d->o->dryrun)
		fflush(stdout);
}

static void
schedule_refresh(struct daemon *d)
{
	struct timeval	tv = { REFRESH_DELAY, 0 };

	if (d->refresh_pending)
		return;
	d->refresh_pending = 1;
	evtimer_add(&d->ev_refresh, &tv);
}

static void	on_engine(int, short, void *);

static void
drop_engine(struct daemon *d)
{
	if (d->engine_fd == -1)
		return;
	event_del(&d->ev_engine);
	event_del(&d->ev_engine_out);
	close(d->engine_fd);
	d->engine_fd = -1;
	d->nout = d->sentout = 0;
	/* A datagram it left half-told is forgotten, whole. */
	msg_parent_reset(&d->mp);
}

/* Reaped by on_sigchld(), which starts the next one. */
static void
kill_engine(struct daemon *d)
{
	if (d->engine.pid > 0)
		sandbox_signal(&d->sb, d->engine.pid, SIGKILL);
	drop_engine(d);
}

static void
start_engine(struct daemon *d)
{
	struct engine_config	ec;
	struct timeval		tv = { 1, 0 };
	pid_t			pid;
	int			fd;

	memset(&ec, 0, sizeof(ec));
	ec.sandbox = &d->sb;
	ec.policy = &d->o->policy;
	ec.foreground = d->o->foreground;
	ec.verbose = d->o->verbose;
	ec.sock = listen_fd(d->ls);
	ec.arrival = listen_config(d->ls);
	ec.ifaces = listen_list(d->ls);
	ec.gen = d->mp.gen;
	ec.capture = -1;
	/* It starts with the parent's own view, as it is now. */
	d->sent_list = listen_generation(d->ls);
	d->sent_policy = d->o->policy;
	d->engine.started = msg_now();
	if ((pid = engine_start(&ec, &fd)) == -1) {
		log_warn("starting the network engine");
		if (d->backoff > 0)
			tv.tv_sec = d->backoff;
		evtimer_add(&d->ev_restart, &tv);
		return;
	}
	d->engine.pid = pid;
	d->engine_fd = fd;
	msg_parent_reset(&d->mp);
	event_set(&d->ev_engine, fd, EV_READ | EV_PERSIST, on_engine, d);
	event_set(&d->ev_engine_out, fd, EV_WRITE, on_engine_out, d);
	if (event_add(&d->ev_engine, NULL) == -1)
		fatal("event_add");
	log_info("network engine started, pid %ld", (long)pid);
}

/* At exit: the engine goes first, and is waited for. */
static void
stop_engine(struct daemon *d)
{
	d->stopping = 1;
	drop_engine(d);
	if (d->engine.pid > 0) {
		sandbox_signal(&d->sb, d->engine.pid, SIGTERM);
		while (waitpid(d->engine.pid, NULL, 0) == -1 &&
		    errno == EINTR)
			continue;
		d->engine.pid = 0;
	}
}

static void
on_restart(int fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd;
	(void)what;
	d->engine.restarts++;
	start_engine(d);
}

/*
 * An engine that ended is logged with how, and replaced: at once when it
 * had lived a while, else after a wait that doubles.  The mesh is left
 * as it is: routes age by the feed, not by the engine.
 */
static void
on_sigchld(int sig, short what, void *arg)
{
	struct daemon	*d = arg;
	struct timeval	 tv = { 0, 0 };
	char		 how[128];
	pid_t		 pid;
	int		 status;

	(void)sig;
	(void)what;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != d->engine.pid)
			continue;
		d->engine.pid = 0;
		drop_engine(d);
		if (d->stopping)
			continue;
		/* The first restart is at once; one that dies young
		 * again waits twice as long as before. */
		if (msg_now() - d->engine.started >= ENGINE_STABLE)
			d->backoff = 0;
		tv.tv_sec = d->backoff;
		d->backoff = d->backoff == 0 ? 1 : d->backoff * 2 >
		    ENGINE_BACKOFF_MAX ? ENGINE_BACKOFF_MAX : d->backoff * 2;
		engine_ended(status, how, sizeof(how));
		snprintf(d->engine.last_exit_reason,
		    sizeof(d->engine.last_exit_reason), "%s", how);
		log_warnx("network engine (pid %ld) %s: the mesh stays as it "
		    "is; a new one starts in %lld s", (long)pid, how,
		    (long long)tv.tv_sec);
		evtimer_add(&d->ev_restart, &tv);
	}
}

static void
on_engine(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	time_t		 now = msg_now();
	int		 more;

	(void)what;
	/* Bounded work a read event, as a flood of records must not starve
	 * the rest: the event stays ready while more wait. */
	switch (msg_parent_read(&d->mp, fd, MSG_DRAIN_MAX, now, time(NULL),
	    &more)) {
	case MSG_READ_BAD:
		log_limited(KEY_ENGINE, now, "network engine (pid %ld) sent a "
		    "bad record: %s; nothing changed, restarting it",
		    (long)d->engine.pid, d->mp.why);
		kill_engine(d);
		break;
	case MSG_READ_ERROR:
		log_limited(KEY_ENGINE, now, "reading the network engine: %s; "
		    "restarting it", strerror(errno));
		kill_engine(d);
		break;
	case MSG_READ_END:
		/* It closed its end: alive or not, it is replaced. */
		kill_engine(d);
		break;
	}
	/* Through an interface not listed yet: list them again soon. */
	if (d->mp.unknown_iface) {
		d->mp.unknown_iface = 0;
		schedule_refresh(d);
	}
	after_pass(d);
}

static void
on_timer(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	time_t		 now = msg_now();
	size_t		 n;

	(void)fd;
	(void)what;
	if ((n = mesh_expire(d->mesh, now)) > 0)
		log_info("%zu route%s expired", n, n == 1 ? "" : "s");
	mesh_reconcile(d->mesh, now);
	after_pass(d);
}

static void
kernel_event(void *arg, const struct kern_event *ev)
{
	mesh_kernel_event(arg, ev);
}

static void
on_kernel(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	int		 rc;

	(void)fd;
	(void)what;
	if ((rc = d->kern->events(d->kctx, kernel_event, d->mesh)) != 0)
		log_errno(rc, "reading interface events");
	mesh_reconcile(d->mesh, msg_now());
	after_pass(d);
}

/*
 * RIP is heard only through a tunnel to amprgw (-G).  While the operator
 * has none, one of ours stands in (pinned: no route needs it); once the
 * operator's appears, ours goes.  -U needs none.
 */
static void
keep_amprgw_tunnel(struct daemon *d, time_t now)
{
	char		 own[IF_NAMESIZE], a[ADDR_STRLEN];
	uint32_t	 amprgw = d->o->amprgw;
	int		 unit, operators;

	if (d->o->unsafe || d->mesh == NULL)
		return;
	if ((unit = mesh_own_tunnel_unit(d->mesh, amprgw)) >= 0)
		snprintf(own, sizeof(own), "gif%d", unit);
	operators = listen_has_amprgw_tunnel(d->ls, unit >= 0 ? own : NULL);
	if (!operators && !d->pinned) {
		if (mesh_pin_tunnel(d->mesh, amprgw) == -1) {
			log_limited(KEY_AMPRGW, now, "cannot keep a tunnel "
			    "to amprgw (%s): %s", fmt_addr(amprgw, a),
			    strerror(errno));
			return;
		}
		d->pinned = 1;
		log_info("no tunnel to amprgw (%s, -G) in rdomain %d: making "
		    "our own to hear RIP through", fmt_addr(amprgw, a),
		    d->o->mesh.rdomain);
	} else if (operators && d->pinned) {
		mesh_unpin_tunnel(d->mesh, amprgw);
		d->pinned = 0;
		log_info("a tunnel to amprgw (%s) of the operator's is there: "
		    "ours goes", fmt_addr(amprgw, a));
	} else
		return;
	mesh_reconcile(d->mesh, now);
}

static void
refresh_joins(struct daemon *d)
{
	if (listen_refresh(d->ls) == -1)
		log_warn("listing interfaces to join 224.0.0.9");
	keep_amprgw_tunnel(d, msg_now());
}

static void
on_refresh(int fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd;
	(void)what;
	d->refresh_pending = 0;
	refresh_joins(d);
	learn_connected(d->o);
	follow_local(d);
	after_pass(d);
}

static void
on_periodic(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	struct timeval	 tv = { LISTEN_REFRESH, 0 };

	(void)fd;
	(void)what;
	refresh_joins(d);
	follow_local(d);
	after_pass(d);
	evtimer_add(&d->ev_periodic, &tv);
}

static void
on_change(int fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd;
	(void)what;
	if (listen_changes(d->ls))
		schedule_refresh(d);
}

static void
on_sigterm(int sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	log_info("%s: exiting, tunnels and routes stay",
	    sig == SIGINT ? "SIGINT" : "SIGTERM");
	event_loopexit(NULL);
}

static void
on_sighup(int sig, short what, void *arg)
{
	struct daemon	*d = arg;
	time_t		 now = msg_now();

	(void)sig;
	(void)what;
	/*
	 * Not the encap file: loaded as "just heard", it would keep alive
	 * (or bring back) routes that amprgw has withdrawn.
	 */
	log_info("SIGHUP: checking the kernel");
	mesh_rescan(d->mesh, now);
	mesh_reconcile(d->mesh, now);
	refresh_joins(d);
	learn_connected(d->o);
	follow_local(d);
	after_pass(d);
}

/* Appends to a status line; a line that fills up is cut, not overrun. */
static void
append(char *buf, size_t *len, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static void
append(char *buf, size_t *len, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (*len >= STATUS_MAX - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, STATUS_MAX - *len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*len += (size_t)n < STATUS_MAX - *len ? (size_t)n :
	    STATUS_MAX - 1 - *len;
}

/* The non-zero counts of one kind of reason, "(name n, name n)". */
static void
append_reasons(char *buf, size_t *len, const struct ingest *in,
    int datagram)
{
	const char	*sep = " (";
	int		 r;

	for (r = R_NONE + 1; r < R_NREASONS; r++) {
		if (in->reasons[r] == 0 ||
		    reason_is_datagram((enum reason)r) != datagram)
			continue;
		append(buf, len, "%s%s %lu", sep, reason_name((enum reason)r),
		    in->reasons[r]);
		sep = ", ";
	}
	if (sep[0] == ',')
		append(buf, len, ")");
}

static void
log_status(const struct daemon *d)
{
	const struct ingest	*in = &d->in;
	struct mesh_feed_view	 feed;
	struct mesh_stats	 st;
	unsigned long		 entries_refused = 0, n;
	char			 buf[STATUS_MAX], when[32];
	size_t			 len = 0;
	struct tm		*tm;
	int			 r, v;

	mesh_get_stats(d->mesh, &st);
	for (r = R_NONE + 1; r < R_NREASONS; r++)
		if (!reason_is_datagram((enum reason)r))
			entries_refused += in->reasons[r];
	append(buf, &len, "status: %zu routes, %zu tunnels, %lu kernel "
	    "operations (%lu failed), %zu pending, datagrams %lu accepted "
	    "%lu refused", st.routes, st.tunnels, st.kernel_ops,
	    st.kernel_errors, st.pending, in->accepted, in->refused);
	append_reasons(buf, &len, in, 1);
	for (v = LISTEN_ACCEPT + 1; v < LISTEN_NVERDICTS; v++) {
		if ((n = d->mp.verdicts[v]) == 0)
			continue;
		append(buf, &len, ", %lu %s as %s", n,
		    v == LISTEN_NOT_FOR_US ? "ignored" : "refused",
		    listen_verdict_name((enum listen_verdict)v));
	}
	append(buf, &len, ", entries %lu used %lu refused", in->entries,
	    entries_refused);
	append_reasons(buf, &len, in, 0);
	if (in->last_accepted == 0)
		snprintf(when, sizeof(when), "never");
	else if ((tm = localtime(&in->last_accepted)) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", tm) == 0)
		snprintf(when, sizeof(when), "%lld",
		    (long long)in->last_accepted);
	append(buf, &len, ", last broadcast %s", when);
	mesh_get_feed(d->mesh, &feed);
	if (feed.quiet)
		append(buf, &len, ", feed quiet for %lld minutes: nothing "
		    "expires but by -X", (long long)(msg_now() - feed.since) /
		    60);
	else
		append(buf, &len, ", feed live");
	append(buf, &len, ", %lu complete broadcasts, %lu partial",
	    feed.complete, feed.partial);
	append(buf, &len, ", network engine pid %ld, %lu restart%s, %lu bad "
	    "record%s, %lu dropped as decided on an older view",
	    (long)d->engine.pid, d->engine.restarts,
	    d->engine.restarts == 1 ? "" : "s",
	    d->mp.bad, d->mp.bad == 1 ? "" : "s", d->mp.dropped);
	log_info("%s", buf);
}

static void
on_status(int sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	log_status(arg);
}

/*
 * One instance only, before any kernel work: two daemons would fight
 * over gif units.  A dry run takes it only when -P names one, so that it
 * can watch beside the real daemon.
 */
static int
take_pidfile(struct daemon *d)
{
	struct options	*o = d->o;
	pid_t		 holder;

	d->pidfd = -1;
	if (o->dryrun && !o->pidfile_set)
		return 0;
	if ((d->pidfd = pidfile_take(o->pidfile, &holder)) != -1)
		return 0;
	if (errno == EWOULDBLOCK && holder > 0)
		log_warnx("%s: already running as pid %ld", o->pidfile,
		    (long)holder);
	else if (errno == EWOULDBLOCK)
		log_warnx("%s: held by another process", o->pidfile);
	else
		log_warn("pidfile %s", o->pidfile);
	return -1;
}

/* -f once and for all: daemon(3) moves to /, where a relative path fails. */
static int
resolve_encap(struct daemon *d)
{
	struct options	*o = d->o;

	if (o->encapfile == NULL)
		return 0;
	if (encap_resolve(o->encapfile, d->encappath,
	    sizeof(d->encappath)) == -1) {
		log_warn("-f %s", o->encapfile);
		return -1;
	}
	o->encapfile = d->encappath;
	return 0;
}

/*
 * What the sandboxes need to know, before anything is dropped: the
 * engine's user, and the parent's files (the encap file's folder, the
 * pidfile).
 */
static int
prepare_sandbox(struct daemon *d)
{
	char	 err[256], *slash;

	d->sb.user = d->o->user;
	if (d->o->encapfile != NULL) {
		snprintf(d->encapdir, sizeof(d->encapdir), "%s",
		    d->o->encapfile);
		if ((slash = strrchr(d->encapdir, '/')) != NULL)
			*(slash == d->encapdir ? slash + 1 : slash) = '\0';
		d->sb.encapdir = d->encapdir;
	}
	d->sb.pidfile = d->pidfd != -1 ? d->o->pidfile : NULL;
	d->sb.ctlsocks[0] = d->o->ctlsock;
	d->sb.ctlsocks[1] = d->o->ctlsock_ro;
	if (sandbox_prepare(&d->sb, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

/* Everything that can fail at start-up, while errors reach the terminal. */
static int
start(struct daemon *d)
{
	struct options		*o = d->o;
	struct listen_config	 lc;
	struct kern_config	 kc;
	char			 err[256];
	time_t			 now;
	int			 i;

	if (take_pidfile(d) == -1 || resolve_encap(d) == -1 ||
	    prepare_sandbox(d) == -1 || find_defaults(o) == -1)
		return -1;
	/* Before the sandbox: the socket's group needs CAP_CHOWN.  A dry
	 * run may watch without one. */
	if ((d->ctl = control_open(o, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		if (!o->dryrun)
			return -1;
	}
	learn_connected(o);
	memset(&kc, 0, sizeof(kc));
	kc.rdomain = o->mesh.rdomain;
	kc.tunneldomain = o->mesh.tunneldomain;
	kc.priority = o->route_priority;
	d->kern = o->dryrun ? &kern_dry_ops : &kern_sys_ops;
	if ((d->kctx = d->kern->open(&kc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	memset(&lc, 0, sizeof(lc));
	lc.rdomain = o->mesh.rdomain;
	lc.amprgw = o->amprgw;
	lc.unsafe = o->unsafe;
	lc.ifaddr = o->join;
	lc.reserved = o->reserved;
	lc.nreserved = o->nreserved;
	if ((d->ls = listen_open(&lc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if (listen_refresh(d->ls) == -1) {
		log_warn("listing interfaces to join 224.0.0.9");
		return -1;
	}
	if (o->unsafe)
		log_warnx("-U: RIP accepted through any interface but a "
		    "peer's tunnel: anyone who reaches one can forge the "
		    "table");
	else if (o->join != 0)
		log_warnx("-i has no effect without -U: the group is joined "
		    "on the tunnel to amprgw only");
	o->mesh.log_ops = 1;
	if ((d->mesh = mesh_new(&o->mesh, d->kern, d->kctx)) == NULL) {
		log_warn("mesh");
		return -1;
	}
	for (i = 0; i < o->nreserved; i++)
		mesh_reserve(d->mesh, o->reserved[i]);
	ingest_init(&d->in, &o->policy, d->mesh);
	now = msg_now();
	mesh_start(d->mesh, now);
	if (!o->dryrun)
		mesh_adopt(d->mesh, now);
	else if (o->encapfile != NULL)
		log_info("dry run: %s is read, never written", o->encapfile);
	load_encap(d, now);
	keep_amprgw_tunnel(d, now);
	mesh_reconcile(d->mesh, now);
	return 0;
}

/*
 * Detaches.  In a dry run the planned operations on standard output are
 * the point, so it stays open; the rest goes to /dev/null.
 */
static void
detach(const struct options *o)
{
	if (daemon(0, o->dryrun) == -1)
		fatal("daemon");
	if (o->dryrun && (freopen("/dev/null", "r", stdin) == NULL ||
	    freopen("/dev/null", "w", stderr) == NULL))
		fatal("/dev/null");
}

static void
add_signal(struct event *ev, int sig, void (*cb)(int, short, void *),
    struct daemon *d)
{
	signal_set(ev, sig, cb, d);
	if (signal_add(ev, NULL) == -1)
		fatal("signal_add %d", sig);
}

/* "44meshctl reload" is SIGHUP. */
static void
control_reload(void *arg)
{
	on_sighup(SIGHUP, 0, arg);
}

static void
add_events(struct daemon *d)
{
	struct control_sources	cs;
	struct timeval		tv = { LISTEN_REFRESH, 0 };
	int			fd;

	if ((fd = listen_change_fd(d->ls)) != -1) {
		event_set(&d->ev_change, fd, EV_READ | EV_PERSIST, on_change,
		    d);
		if (event_add(&d->ev_change, NULL) == -1)
			fatal("event_add");
	}
	if ((fd = d->kern->event_fd(d->kctx)) != -1) {
		event_set(&d->ev_kernel, fd, EV_READ | EV_PERSIST, on_kernel,
		    d);
		if (event_add(&d->ev_kernel, NULL) == -1)
			fatal("event_add");
	}
	evtimer_set(&d->ev_timer, on_timer, d);
	evtimer_set(&d->ev_refresh, on_refresh, d);
	evtimer_set(&d->ev_periodic, on_periodic, d);
	evtimer_set(&d->ev_restart, on_restart, d);
	evtimer_add(&d->ev_periodic, &tv);
	add_signal(&d->ev_sigchld, SIGCHLD, on_sigchld, d);
	add_signal(&d->ev_sigterm, SIGTERM, on_sigterm, d);
	add_signal(&d->ev_sigint, SIGINT, on_sigterm, d);
	add_signal(&d->ev_sighup, SIGHUP, on_sighup, d);
	add_signal(&d->ev_sigusr1, SIGUSR1, on_status, d);
#ifdef SIGINFO
	add_signal(&d->ev_siginfo, SIGINFO, on_status, d);
#endif
	memset(&cs, 0, sizeof(cs));
	cs.mesh = d->mesh;
	cs.in = &d->in;
	cs.verdicts = d->mp.verdicts;
	cs.engine = &d->engine;
	cs.backend = d->kern->name;
	cs.reload = control_reload;
	cs.reload_arg = d;
	if (d->ctl != NULL)
		control_start(d->ctl, &cs);
}

int
parent_run(struct options *o)
{
	struct event_base	*base;
	struct daemon		*d;
	char			 err[256];
	int			 status = 0;

	log_init(1, o->verbose, "44meshd");
	/* Dry-run lines must not wait in a buffer when stdout is a file. */
	if (o->dryrun)
		setvbuf(stdout, NULL, _IOLBF, 0);
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	d->o = o;
	d->engine_fd = -1;
	if (start(d) == -1) {
		status = 1;
		goto out;
	}
	if (!o->foreground) {
		detach(o);
		log_init(0, o->verbose, "44meshd");
		if (d->pidfd != -1 && pidfile_write(d->pidfd) == -1)
			log_warn("writing %s", o->pidfile);
	}
	/* The socket is bound, the backend open: the rest is not needed. */
	if (sandbox_parent(&d->sb, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		status = 1;
		goto out;
	}
	/* After daemon(3): the loop's descriptors belong to this process. */
	if ((base = event_init()) == NULL)
		fatalx("event_init failed");
	add_events(d);
	d->mp.in = &d->in;
	d->mp.policy = &o->policy;
	d->mp.arrival = listen_config(d->ls);
	d->mp.ifaces = listen_list(d->ls);
	start_engine(d);
	after_pass(d);
	log_info("listening on port %d (%s backend, rdomain %d, "
	    "tunnel domain %d)", RIP_PORT, d->kern->name, o->mesh.rdomain,
	    o->mesh.tunneldomain);
	if (event_dispatch() == -1) {
		log_warn("event_dispatch");
		status = 1;
	}
	stop_engine(d);
	event_base_free(base);
 out:
	control_close(d->ctl);
	mesh_free(d->mesh);
	if (d->kctx != NULL)
		d->kern->close(d->kctx);
	listen_close(d->ls);
	free(d->outq);
	/* Only the holder removes it, and before letting go of the lock. */
	if (d->pidfd != -1) {
		unlink(o->pidfile);
		close(d->pidfd);
	}
	free(d);
	return status;
}
