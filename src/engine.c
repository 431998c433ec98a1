/*
 * The network engine (engine.h): forked by the parent, it keeps only the
 * RIP socket (or the capture) and its end of the record socket, enters
 * its sandbox, and from then on only receives, decides and writes
 * records.  Its view of the interfaces and of our addresses is what the
 * parent last told it (MSG_SYNC_*); at the fork it is the parent's own.
 */
/* glibc declares sendmmsg(2) only for GNU; OpenBSD has it since 7.2. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "engine.h"
#include "frame.h"
#include "ingest.h"
#include "listen.h"
#include "log.h"
#include "mcast.h"
#include "msg.h"
#include "policy.h"
#include "receive.h"
#include "replay.h"
#include "rip.h"
#include "sandbox.h"

#define ENGINE_OUT_MAX		256	/* records held before they go */
#define ENGINE_DRAIN_MAX	256	/* datagrams before the parent's turn */

/*
 * The signal a call outside the sandbox brings: SIGSYS from the seccomp
 * filter (SCMP_ACT_KILL_PROCESS); on OpenBSD pledge_fail() in
 * sys/kern/kern_pledge.c sends an uncatchable SIGABRT.
 */
#ifdef __OpenBSD__
#define SIG_DENIED	SIGABRT
#define SYSCALL_DENIED	": a system call its pledge does not allow, or abort(3)"
#else
#define SIG_DENIED	SIGSYS
#define SYSCALL_DENIED	": a system call outside its seccomp filter"
#endif

/* log_limited() key, clear of the reasons ingest_decode() uses. */
#define KEY_RECV		(LOG_LIMIT_KEYS - 1)

struct engine {
	struct policy		*policy;
	struct receiver		*rv;		/* live */
	int			 fd;		/* to the parent */
	uint32_t		 gen;
	/* A sync from the parent under way, put in force at its end. */
	struct mcast_list	 list;
	struct policy		 next;
	int			 syncing;
	struct msg_record	 out[ENGINE_OUT_MAX];
	unsigned int		 nout;
};

#ifdef ENGINE_TEST_HOOK
/* Test builds only: SIGUSR2 makes the engine try what it may not. */
static volatile sig_atomic_t	hook_fired;

static void
on_hook(int sig)
{
	(void)sig;
	hook_fired = 1;
}

static void
hook_setup(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hook;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
}

static void
hook_run(void)
{
	int	fd;

	if (!hook_fired)
		return;
	hook_fired = 0;
	log_info("test hook: opening / (outside the sandbox's calls)");
	fd = open("/", O_RDONLY);
	log_warnx("test hook: open(\"/\") returned %d: not stopped", fd);
	if (fd != -1)
		close(fd);
}
#endif

/* The engine's batch goes to the parent, whole; a parent gone ends it. */
static void
flush(struct engine *e)
{
	struct mmsghdr	msgs[ENGINE_OUT_MAX];
	struct iovec	iovs[ENGINE_OUT_MAX];
	unsigned int	k, done = 0;
	int		n;

	memset(msgs, 0, sizeof(msgs[0]) * e->nout);
	for (k = 0; k < e->nout; k++) {
		iovs[k].iov_base = &e->out[k];
		iovs[k].iov_len = sizeof(e->out[k]);
		msgs[k].msg_hdr.msg_iov = &iovs[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	while (done < e->nout) {
		n = sendmmsg(e->fd, msgs + done, e->nout - done, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (errno != EPIPE && errno != ECONNRESET)
				log_warn("writing to the parent");
			_exit(1);
		}
		done += (unsigned int)n;
	}
	e->nout = 0;
}

static struct msg_record *
record(struct engine *e, uint32_t type, int64_t when)
{
	struct msg_record	*r;

	if (e->nout == ENGINE_OUT_MAX)
		flush(e);
	r = &e->out[e->nout++];
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->gen = e->gen;
	r->when = when;
	return r;
}

/* A record about the datagram head describes (its fields, as they go). */
static struct msg_record *
about(struct engine *e, uint32_t type, const struct msg_record *head)
{
	struct msg_record	*r;

	r = record(e, type, 0);
	*r = *head;
	r->type = type;
	r->gen = e->gen;
	return r;
}

/* An accepted datagram: its header, one record an entry, its end. */
static void
send_packet(struct engine *e, const struct rip_packet *pkt,
    const struct msg_record *head)
{
	const struct rip_entry	*en;
	struct msg_record	*r;
	int			 i;

	r = about(e, MSG_DATAGRAM, head);
	r->len = pkt->nentries;
	for (i = 0; i < pkt->nentries; i++) {
		en = &pkt->entries[i];
		if (en->status == R_NONE) {
			r = record(e, MSG_ENTRY, 0);
		} else {
			r = record(e, MSG_ENTRY_REFUSED, 0);
			r->reason = en->status;
			r->mask = en->mask;
		}
		r->addr = en->addr;
		r->len = en->len;
		r->nexthop = en->nexthop;
		r->metric = en->metric;
	}
	record(e, MSG_END, 0);
}

/* One datagram: decoded and decided, told to the parent. */
static void
decide(struct engine *e, const struct msg_record *head, const uint8_t *data,
    size_t len, time_t now)
{
	struct rip_packet	 pkt;
	struct msg_record	*r;
	enum reason		 why;

	why = ingest_decode(e->policy, head->src, head->sport, data, len, &pkt,
	    now);
	if (why == R_NONE) {
		send_packet(e, &pkt, head);
		return;
	}
	/* Only the fields a refusal may carry: the others must be 0. */
	r = record(e, MSG_REFUSED, head->when);
	r->src = head->src;
	r->sport = head->sport;
	r->reason = why;
}

static void
heard(struct engine *e, const struct receive_datagram *dg, time_t now)
{
	struct msg_record	 head;

	memset(&head, 0, sizeof(head));
	head.when = now;
	head.src = dg->src;
	head.sport = dg->sport;
	head.dst = dg->dst;
	head.ifindex = dg->ifindex;
	if (dg->verdict != LISTEN_ACCEPT)
		about(e, MSG_ARRIVAL, &head)->reason = dg->verdict;
	else
		decide(e, &head, dg->data, dg->len, now);
}

/* What the parent tells: trusted, yet a record that is not one ends it. */
static void
sync_record(struct engine *e, const struct msg_record *r)
{
	struct mcast_iface	i;
	struct prefix		p;

	switch (r->type) {
	case MSG_SYNC_POLICY:
		mcast_list_clear(&e->list);
		e->next = *e->policy;
		e->next.ours = r->addr;
		e->next.addr44 = r->nexthop;
		policy_clear_connected(&e->next);
		e->syncing = 1;
		return;
	case MSG_SYNC_IFACE:
		memset(&i, 0, sizeof(i));
		i.index = r->ifindex;
		memcpy(i.name, r->name, sizeof(i.name) - 1);
		i.tunnel = (r->flags & MSGF_TUNNEL) != 0;
		i.can_join = (r->flags & MSGF_CAN_JOIN) != 0;
		i.remote = r->nexthop;
		if (e->syncing && mcast_list_add_iface(&e->list, &i) == -1)
			fatal("interfaces from the parent");
		return;
	case MSG_SYNC_ADDR:
		if (e->syncing && mcast_list_add_addr(&e->list, r->ifindex,
		    r->addr) == -1)
			fatal("addresses from the parent");
		return;
	case MSG_SYNC_CONNECTED:
		p.addr = r->addr;
		p.len = r->len;
		if (e->syncing)
			policy_add_connected(&e->next, p);
		return;
	case MSG_SYNC_END:
		if (!e->syncing)
			return;
		receive_take_list(e->rv, &e->list);
		*e->policy = e->next;
		e->gen = r->gen;
		e->syncing = 0;
		return;
	}
	fatalx("record of type %u from the parent", r->type);
}

static void
from_parent(struct engine *e)
{
	struct msg_record	r;
	ssize_t			n;

	for (;;) {
		n = recv(e->fd, &r, sizeof(r), MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == -1)
			fatal("reading from the parent");
		/* The parent closed its end: it is exiting. */
		if (n == 0)
			_exit(0);
		if ((size_t)n != sizeof(r))
			fatalx("record of %zd bytes from the parent", n);
		sync_record(e, &r);
	}
}

static __attribute__((__noreturn__)) void
run_live(struct engine *e)
{
	struct receive_datagram	dg;
	struct pollfd		pfd[2];
	time_t			now;
	int			i, rc;

	pfd[0].fd = receive_fd(e->rv);
	pfd[1].fd = e->fd;
	for (;;) {
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno != EINTR)
				fatal("poll");
#ifdef ENGINE_TEST_HOOK
			hook_run();
#endif
			continue;
		}
		if (pfd[1].revents != 0)
			from_parent(e);
		if (!(pfd[0].revents & POLLIN))
			continue;
		now = msg_now();
		for (i = 0; i < ENGINE_DRAIN_MAX; i++) {
			if ((rc = receive_next(e->rv, &dg)) == 0)
				break;
			if (rc == -1) {
				log_limited(KEY_RECV, now, "receiving: %s",
				    strerror(errno));
				break;
			}
			heard(e, &dg, now);
		}
		flush(e);
	}
}

static void
replay_frame(void *arg, time_t now, enum msg_frame kind,
    const struct frame_udp *u)
{
	struct engine		*e = arg;
	struct msg_record	 head, *r;

	r = record(e, MSG_FRAME, now);
	r->reason = kind;
	if (u == NULL)
		return;
	if (replay_learns_local(e->policy, u)) {
		e->policy->ours = u->outer_dst;
		r = record(e, MSG_LOCAL, 0);
		r->addr = u->outer_dst;
	}
	memset(&head, 0, sizeof(head));
	head.when = now;
	head.src = u->src;
	head.sport = u->sport;
	if (u->encapsulated) {
		head.flags = MSGF_ENCAP;
		head.outer_src = u->outer_src;
	}
	decide(e, &head, u->payload, u->len, now);
}

/* Everything but the standard three and the two kept goes. */
static void
close_others(int a, int b)
{
	int	fd, hi = a > b ? a : b;

	for (fd = 3; fd < hi; fd++)
		if (fd != a && fd != b)
			close(fd);
	closefrom(hi + 1);
}

/* The parent's signals are the parent's: the engine ends with it. */
static void
reset_signals(void)
{
	static const int	 ignored[] = { SIGHUP, SIGINT, SIGUSR1,
#ifdef SIGINFO
				    SIGINFO,
#endif
				    SIGUSR2 };
	sigset_t		 none;
	size_t			 k;

	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	for (k = 0; k < sizeof(ignored) / sizeof(ignored[0]); k++)
		signal(ignored[k], SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static __attribute__((__noreturn__)) void
engine_main(const struct engine_config *cfg, int fd)
{
	static struct engine	 e;
	char			 err[256];
	pcap_t			*capture = NULL;
	int			 rc;

	reset_signals();
	close_others(fd, cfg->capture != -1 ? cfg->capture : cfg->sock);
	/* Before the sandbox: syslog's socket is connected now. */
	log_init(cfg->foreground, cfg->verbose, "44meshd");
	log_set_process("engine: ");
	e.policy = cfg->policy;
	e.fd = fd;
	e.gen = cfg->gen;
	if (cfg->capture != -1 && (capture = replay_open(cfg->capture,
	    cfg->capture_name, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		_exit(1);
	}
	if (cfg->capture == -1 && (e.rv = receive_new(cfg->sock,
	    cfg->arrival, cfg->ifaces)) == NULL)
		fatal("receiver");
#ifdef ENGINE_TEST_HOOK
	hook_setup();
#endif
	if (sandbox_engine(cfg->sandbox, err, sizeof(err)) == -1) {
		log_warnx("sandbox: %s", err);
		_exit(1);
	}
	if (capture == NULL)
		run_live(&e);
	rc = replay_frames(capture, cfg->capture_name, cfg->trust,
	    replay_frame, &e, err, sizeof(err));
	flush(&e);
	if (rc == -1)
		log_warnx("%s", err);
	_exit(rc == -1 ? 1 : 0);
}

pid_t
engine_start(const struct engine_config *cfg, int *fd)
{
	pid_t	pid;
	int	sv[2], saved;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		engine_main(cfg, sv[1]);
	}
	close(sv[1]);
	if (fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK) == -1) {
		saved = errno;
		close(sv[0]);
		sandbox_signal(cfg->sandbox, pid, SIGKILL);
		waitpid(pid, NULL, 0);
		errno = saved;
		return -1;
	}
	*fd = sv[0];
	return pid;
}

const char *
engine_ended(int status, char *buf, size_t len)
{
	int	sig;

	if (WIFEXITED(status)) {
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		snprintf(buf, len, "was killed by signal %d (%s)%s", sig,
		    strsignal(sig), sig == SIG_DENIED ? SYSCALL_DENIED : "");
	} else
		snprintf(buf, len, "ended (status %#x)", status);
	return buf;
}
