/*
 * The daemon proper: start-up (defaults, kernel backend, listener, mesh,
 * encap file), then one libevent loop (the 1.4 API that OpenBSD ships)
 * over the multicast socket, the kernel's interface events, a timer for
 * expiry and retries, and the signals.  Every datagram goes through
 * ingest_datagram(), unless it came through a peer's tunnel; nothing here
 * exits because the kernel refused an operation.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <net/if.h>

#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "daemon.h"
#include "encap.h"
#include "ingest.h"
#include "kern.h"
#include "log.h"
#include "mcast.h"
#include "mesh.h"
#include "options.h"
#include "reason.h"
#include "rip.h"
#include "rtmsg.h"

#define DATAGRAM_MAX	65536	/* any UDP payload fits whole */
#define DRAIN_MAX	1024	/* datagrams a read event; then others */
#define REFRESH_DELAY	1	/* seconds: one refresh for a burst */
#define STATUS_MAX	1024

/* log_limited() keys, clear of the reasons ingest.c uses. */
#define KEY_NOT_FOR_US	(LOG_LIMIT_KEYS - 1)
#define KEY_RECV	(LOG_LIMIT_KEYS - 2)
#define KEY_ENCAP	(LOG_LIMIT_KEYS - 3)
#define KEY_PEER_TUNNEL	(LOG_LIMIT_KEYS - 4)

struct daemon {
	struct options		*o;
	const struct kern_ops	*kern;
	void			*kctx;
	struct mesh		*mesh;
	struct ingest		 in;
	struct mcast		*mc;
	unsigned long		 written;	/* generation on file */
	unsigned long		 not_for_us;	/* neither us nor group */
	unsigned long		 peer_tunnel;	/* came through one */
	int			 refresh_pending;

	struct event		 ev_datagram;
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
	uint8_t			 buf[DATAGRAM_MAX];
};

/* Expiry and retries must not jump with the wall clock. */
static time_t
mono_now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}

/*
 * -L and -l when not given: asked of the kernel, never assumed.
 * 0, or -1 after saying which flag to give.
 */
static int
find_defaults(struct options *o)
{
	struct kern_config	kc;
	char			a[ADDR_STRLEN];
	int			rc;

	memset(&kc, 0, sizeof(kc));
	kc.rdomain = o->mesh.rdomain;
	kc.tunneldomain = o->mesh.tunneldomain;
	if (!o->local_set) {
		if ((rc = kern_sys_find_local(&kc, &o->mesh.local)) != 0) {
			if (rc == ENOENT)
				log_warnx("cannot find our public address in "
				    "routing domain %d: give -L",
				    o->mesh.tunneldomain);
			else
				log_errno(rc, "cannot find our public address "
				    "in routing domain %d (give -L)",
				    o->mesh.tunneldomain);
			return -1;
		}
		log_info("public address %s (found; -L overrides)",
		    fmt_addr(o->mesh.local, a));
	}
	o->policy.ours = o->mesh.local;
	if (!o->addr44_set) {
		if ((rc = kern_sys_find_addr44(&kc, &o->mesh.addr44)) != 0) {
			if (rc == ENOENT)
				log_warnx("cannot find our 44 address in "
				    "routing domain %d: give -l",
				    o->mesh.rdomain);
			else
				log_errno(rc, "cannot find our 44 address in "
				    "routing domain %d (give -l)",
				    o->mesh.rdomain);
			return -1;
		}
		log_info("44 address %s (found; -l overrides)",
		    fmt_addr(o->mesh.addr44, a));
	}
	return 0;
}

static void
load_encap(struct daemon *d, time_t now)
{
	const char	*path = d->o->encapfile;
	int		 n;

	if (path == NULL)
		return;
	if ((n = encap_read(path, &d->in, now)) == -1) {
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
	now = mono_now();
	tv.tv_sec = when > now ? when - now : 1;
	tv.tv_usec = 0;
	evtimer_add(&d->ev_timer, &tv);
}

/* After every pass: the encap file follows the table, the timer the work. */
static void
after_pass(struct daemon *d)
{
	const char	*path = d->o->encapfile;
	unsigned long	 gen = mesh_generation(d->mesh);

	if (path != NULL && !d->o->dryrun && gen != d->written) {
		/* On failure the next pass tries again. */
		if (encap_write(path, d->mesh, time(NULL)) == -1)
			log_limited(KEY_ENCAP, mono_now(), "writing %s: %s",
			    path, strerror(errno));
		else
			d->written = gen;
	}
	arm_timer(d);
	/* Dry-run lines are the output: let a reader see them now. */
	if (d->o->dryrun)
		fflush(stdout);
}

/*
 * amprgw's broadcasts come through the operator's own tunnels or a plain
 * interface.  Through a peer's tunnel, any peer could forge them (the
 * source address and the password are all a datagram proves), so such
 * a datagram is refused before it is read, whatever its destination.
 * One whose interface is unknown or already gone cannot be cleared, so
 * it is refused too.  1 when refused, counted and logged.
 */
static int
through_peer_tunnel(struct daemon *d, const struct mcast_datagram *dg)
{
	char	name[IF_NAMESIZE], from[ADDR_STRLEN];

	if (dg->ifindex > 0 &&
	    if_indextoname((unsigned int)dg->ifindex, name) != NULL) {
		if (!rtmsg_gif_is_peer(name, d->o->reserved,
		    d->o->nreserved))
			return 0;
		log_limited(KEY_PEER_TUNNEL, mono_now(), "RIP from %s "
		    "arrived through %s, a peer's tunnel: refused",
		    fmt_addr(dg->src, from), name);
	} else
		log_limited(KEY_PEER_TUNNEL, mono_now(), "RIP from %s "
		    "arrived through interface index %d, unknown or gone: "
		    "refused", fmt_addr(dg->src, from), dg->ifindex);
	d->peer_tunnel++;
	return 1;
}

static void
on_datagram(int fd, short what, void *arg)
{
	struct daemon		*d = arg;
	struct mcast_datagram	 dg;
	char			 from[ADDR_STRLEN], to[ADDR_STRLEN];
	int			 i, rc;

	(void)fd;
	(void)what;
	/* Drain the queue (a table is a burst), but let others run too. */
	for (i = 0; i < DRAIN_MAX; i++) {
		rc = mcast_recv(d->mc, d->buf, sizeof(d->buf), &dg);
		if (rc == 0)
			break;
		if (rc == -1) {
			log_limited(KEY_RECV, mono_now(), "receiving: %s",
			    strerror(errno));
			break;
		}
		if (through_peer_tunnel(d, &dg))
			continue;
		if (dg.dest == MCAST_TO_OTHER) {
			d->not_for_us++;
			log_limited(KEY_NOT_FOR_US, mono_now(), "ignored "
			    "datagram from %s to %s: neither 224.0.0.9 nor "
			    "one of our addresses", fmt_addr(dg.src, from),
			    fmt_addr(dg.dst, to));
			continue;
		}
		ingest_datagram(&d->in, dg.src, dg.sport, d->buf, dg.len,
		    mono_now(), time(NULL));
	}
	after_pass(d);
}

static void
on_timer(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	time_t		 now = mono_now();
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
	mesh_reconcile(d->mesh, mono_now());
	after_pass(d);
}

static void
refresh_joins(struct daemon *d)
{
	if (mcast_refresh(d->mc) == -1)
		log_warn("listing interfaces to join 224.0.0.9");
}

static void
on_refresh(int fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd;
	(void)what;
	d->refresh_pending = 0;
	refresh_joins(d);
}

static void
on_periodic(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	struct timeval	 tv = { MCAST_REFRESH, 0 };

	(void)fd;
	(void)what;
	refresh_joins(d);
	evtimer_add(&d->ev_periodic, &tv);
}

static void
on_change(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	struct timeval	 tv = { REFRESH_DELAY, 0 };

	(void)fd;
	(void)what;
	if (!mcast_changes(d->mc) || d->refresh_pending)
		return;
	d->refresh_pending = 1;
	evtimer_add(&d->ev_refresh, &tv);
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
	time_t		 now = mono_now();

	(void)sig;
	(void)what;
	log_info("SIGHUP: checking the kernel%s",
	    d->o->encapfile != NULL ? " and re-reading the encap file" : "");
	mesh_rescan(d->mesh, now);
	load_encap(d, now);
	mesh_reconcile(d->mesh, now);
	refresh_joins(d);
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
	struct mesh_stats	 st;
	unsigned long		 entries_refused = 0;
	char			 buf[STATUS_MAX], when[32];
	size_t			 len = 0;
	struct tm		*tm;
	int			 r;

	mesh_get_stats(d->mesh, &st);
	for (r = R_NONE + 1; r < R_NREASONS; r++)
		if (!reason_is_datagram((enum reason)r))
			entries_refused += in->reasons[r];
	append(buf, &len, "status: %zu routes, %zu tunnels, %lu kernel "
	    "operations (%lu failed), %zu pending, datagrams %lu accepted "
	    "%lu refused", st.routes, st.tunnels, st.kernel_ops,
	    st.kernel_errors, st.pending, in->accepted, in->refused);
	append_reasons(buf, &len, in, 1);
	if (d->not_for_us > 0)
		append(buf, &len, ", %lu ignored as not for us",
		    d->not_for_us);
	if (d->peer_tunnel > 0)
		append(buf, &len, ", %lu refused as through a peer's tunnel",
		    d->peer_tunnel);
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
	log_info("%s", buf);
}

static void
on_status(int sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	log_status(arg);
}

/* Everything that can fail at start-up, while errors reach the terminal. */
static int
start(struct daemon *d)
{
	struct options		*o = d->o;
	struct kern_config	 kc;
	char			 err[256];
	time_t			 now;
	int			 i;

	if (find_defaults(o) == -1)
		return -1;
	memset(&kc, 0, sizeof(kc));
	kc.rdomain = o->mesh.rdomain;
	kc.tunneldomain = o->mesh.tunneldomain;
	kc.priority = o->route_priority;
	d->kern = o->dryrun ? &kern_dry_ops : &kern_sys_ops;
	if ((d->kctx = d->kern->open(&kc, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if ((d->mc = mcast_open(o->mesh.rdomain, o->join, o->reserved,
	    o->nreserved, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if ((i = mcast_refresh(d->mc)) == -1) {
		log_warn("listing interfaces to join 224.0.0.9");
		return -1;
	}
	if (i == 0)
		log_warnx("224.0.0.9 joined on no interface yet: waiting for "
		    "one");
	o->mesh.log_ops = 1;
	if ((d->mesh = mesh_new(&o->mesh, d->kern, d->kctx)) == NULL) {
		log_warn("mesh");
		return -1;
	}
	for (i = 0; i < o->nreserved; i++)
		mesh_reserve(d->mesh, o->reserved[i]);
	ingest_init(&d->in, &o->policy, d->mesh);
	now = mono_now();
	if (!o->dryrun)
		mesh_adopt(d->mesh, now);
	else if (o->encapfile != NULL)
		log_info("dry run: %s is read, never written", o->encapfile);
	load_encap(d, now);
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

static void
add_events(struct daemon *d)
{
	struct timeval	tv = { MCAST_REFRESH, 0 };
	int		fd;

	event_set(&d->ev_datagram, mcast_fd(d->mc), EV_READ | EV_PERSIST,
	    on_datagram, d);
	if (event_add(&d->ev_datagram, NULL) == -1)
		fatal("event_add");
	if ((fd = mcast_change_fd(d->mc)) != -1) {
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
	evtimer_add(&d->ev_periodic, &tv);
	add_signal(&d->ev_sigterm, SIGTERM, on_sigterm, d);
	add_signal(&d->ev_sigint, SIGINT, on_sigterm, d);
	add_signal(&d->ev_sighup, SIGHUP, on_sighup, d);
	add_signal(&d->ev_sigusr1, SIGUSR1, on_status, d);
#ifdef SIGINFO
	add_signal(&d->ev_siginfo, SIGINFO, on_status, d);
#endif
}

int
daemon_run(struct options *o)
{
	struct event_base	*base;
	struct daemon		*d;
	int			 status = 0;

	log_init(1, o->verbose, "44meshd");
	/* Dry-run lines must not wait in a buffer when stdout is a file. */
	if (o->dryrun)
		setvbuf(stdout, NULL, _IOLBF, 0);
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	d->o = o;
	if (start(d) == -1) {
		status = 1;
		goto out;
	}
	if (!o->foreground) {
		detach(o);
		log_init(0, o->verbose, "44meshd");
	}
	/* After daemon(3): the loop's descriptors belong to this process. */
	if ((base = event_init()) == NULL)
		fatalx("event_init failed");
	add_events(d);
	after_pass(d);
	log_info("listening on port %d (%s backend, rdomain %d, "
	    "tunnel domain %d)", RIP_PORT, d->kern->name, o->mesh.rdomain,
	    o->mesh.tunneldomain);
	if (event_dispatch() == -1) {
		log_warn("event_dispatch");
		status = 1;
	}
	event_base_free(base);
 out:
	mesh_free(d->mesh);
	if (d->kctx != NULL)
		d->kern->close(d->kctx);
	mcast_close(d->mc);
	free(d);
	return status;
}
