/*
 * The Linux sandbox, seen from outside: children call sandbox_engine() or
 * sandbox_parent() and this process reads what the kernel says of them in
 * /proc/PID/status and /proc/PID/root, then lets them make allowed or
 * forbidden calls.  Needs root (the chroot, the user, the capabilities);
 * without it every test is skipped with a message.
 *
 * The filter is only ever installed in forked children, which leave with
 * _exit(2).  The sanitized binary (test_sandbox.san) skips every test
 * that installs it: AddressSanitizer's runtime makes calls of its own
 * (sigaltstack(2) in its interceptors, seen with strace) that no filter
 * of the engine allows, so a sanitized child dies of SIGSYS whatever it
 * does.  The plain binary tests the filter; the .san one the rest.
 */
#define _GNU_SOURCE	/* setresuid(2), recvmmsg(2) */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "sandbox.h"

#if defined(__SANITIZE_ADDRESS__)		/* gcc */
#define SANITIZED	1
#elif defined(__has_feature)			/* clang */
#if __has_feature(address_sanitizer)
#define SANITIZED	1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED	0
#endif

/* Capability bits as /proc/PID/status prints them. */
#define CAPBIT(n)	(1ULL << (n))
#define CAPS_NET	(CAPBIT(12) | CAPBIT(13))	/* NET_ADMIN, NET_RAW */
#define CAPS_ENGINE	(CAPBIT(6) | CAPBIT(7) | CAPBIT(18))
					/* SETGID, SETUID, SYS_CHROOT */
#define CAPS_KILL	CAPBIT(5)

/* What a child does once sandboxed and told to go on. */
enum job {
	JOB_NOTHING,
	JOB_ALLOWED,
	JOB_OPEN,
	JOB_SOCKET,
	JOB_EXECVE,
	JOB_EXEC_MEMORY,
};

struct fixture {
	char		dir[64];
	char		root[96];
	struct sandbox	sb;
};

/* Children report over a SOCK_SEQPACKET pair, one message each. */
struct report {
	char	kind;		/* 'R' ready, 'E' failed, 'P' parent's */
	pid_t	pid;		/* 'P': the engine it forked */
	char	err[200];
};

static int
setup(void **state)
{
	struct fixture	*f;
	char		 err[256];

	if (geteuid() != 0) {
		print_message("test_sandbox: not root, every test skipped "
		    "(chroot, setuid and capabilities need it)\n");
		*state = NULL;
		return 0;
	}
	assert_non_null(f = calloc(1, sizeof(*f)));
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_sandbox.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->root, sizeof(f->root), "%s/empty", f->dir);
	f->sb.root = f->root;
	f->sb.user = NULL;
	if (sandbox_prepare(&f->sb, err, sizeof(err)) == -1)
		fail_msg("sandbox_prepare: %s", err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		 path[128];

	if (f == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/empty/intruder", f->dir);
	unlink(path);
	rmdir(f->root);
	snprintf(path, sizeof(path), "%s/a/b/empty", f->dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a/b", f->dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", f->dir);
	rmdir(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

#define NEED_ROOT(state) do {						\
	if (*(state) == NULL)						\
		skip();							\
} while (0)

/* For tests whose children run under the filter. */
#define NEED_FILTER(state) do {						\
	NEED_ROOT(state);						\
	if (SANITIZED) {						\
		print_message("sanitized: the filter is tested in the "	\
		    "plain binary\n");					\
		skip();							\
	}								\
} while (0)

static void
send_report(int fd, char kind, pid_t pid, const char *err)
{
	struct report	r;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.pid = pid;
	if (err != NULL)
		snprintf(r.err, sizeof(r.err), "%s", err);
	(void)write(fd, &r, sizeof(r));
}

static void
read_report(int fd, struct report *r)
{
	ssize_t	n;

	n = read(fd, r, sizeof(*r));
	if (n != (ssize_t)sizeof(*r))
		fail_msg("child died before reporting (read %zd)", n);
	if (r->kind == 'E')
		fail_msg("in the child: %s", r->err);
}

/* A UDP socket on loopback holding two datagrams, for recvmmsg. */
static int
loaded_udp_socket(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			s;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) == -1 ||
	    sendto(s, "one", 3, 0, (struct sockaddr *)&sin, len) != 3 ||
	    sendto(s, "two", 3, 0, (struct sockaddr *)&sin, len) != 3)
		return -1;
	return s;
}

/* Only what sandbox_linux.c allows; each failed step its own status. */
static int
allowed_calls(int ctl, int udp)
{
	struct mmsghdr	 msgs[2];
	struct iovec	 iov[2];
	struct timespec	 ts;
	char		 buf[2][16], *big;
	size_t		 bigsize = 64 << 20;	/* past the mmap threshold */
	int		 i;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < 2; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (recvmmsg(udp, msgs, 2, MSG_DONTWAIT, NULL) != 2 ||
	    msgs[1].msg_len != 3 || memcmp(buf[1], "two", 3) != 0)
		return 10;
	/* Records go to the parent in batches (engine.c). */
	memset(msgs, 0, sizeof(msgs));
	iov[0].iov_base = "record";
	iov[0].iov_len = 6;
	msgs[0].msg_hdr.msg_iov = &iov[0];
	msgs[0].msg_hdr.msg_iovlen = 1;
	if (sendmmsg(ctl, msgs, 1, 0) != 1 || write(ctl, "log", 3) != 3)
		return 11;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 12;
	if ((big = malloc(bigsize)) == NULL)
		return 13;
	memset(big, 0x44, bigsize);
	free(big);
	/*
	 * A log line: sent on the socket openlog(3) connected or, with no
	 * syslogd (no /dev/log, or gone), syslog(3)'s attempt to connect
	 * anew, which fails in the empty root but must not kill.
	 */
	syslog(LOG_DEBUG, "test_sandbox: a line from inside the sandbox");
	syslog(LOG_DEBUG, "test_sandbox: and a second one");
	return 0;
}

static void
forbidden_call(enum job job)
{
	char	*argv[] = { "sh", "-c", "true", NULL };
	char	*envp[] = { NULL };

	switch (job) {
	case JOB_OPEN:
		(void)open("/etc/passwd", O_RDONLY);
		break;
	case JOB_SOCKET:
		(void)socket(AF_INET, SOCK_DGRAM, 0);
		break;
	case JOB_EXECVE:
		(void)execve("/bin/sh", argv, envp);
		break;
	case JOB_EXEC_MEMORY:
		(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	default:
		break;
	}
}

/*
 * The engine side of a child: sandbox, report ready, wait for the go
 * (any byte), do the job.  Never returns.
 */
static __attribute__((__noreturn__)) void
engine_child(const struct sandbox *sb, int ctl, enum job job)
{
	char	err[256], go;
	int	udp = -1;

	if (job == JOB_ALLOWED && (udp = loaded_udp_socket()) == -1) {
		send_report(ctl, 'E', 0, "loopback UDP socket");
		_exit(2);
	}
	/* As log_init() does when detached: connected before the root. */
	if (job == JOB_ALLOWED)
		openlog("test_sandbox", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	if (sandbox_engine(sb, err, sizeof(err)) == -1) {
		send_report(ctl, 'E', 0, err);
		_exit(2);
	}
	send_report(ctl, 'R', 0, NULL);
	if (read(ctl, &go, 1) != 1)
		_exit(3);
	if (job == JOB_ALLOWED)
		_exit(allowed_calls(ctl, udp));
	forbidden_call(job);
	_exit(4);	/* the forbidden call returned */
}

static pid_t
spawn_engine(const struct sandbox *sb, enum job job, int *ctl)
{
	int	pair[2];
	pid_t	pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		close(pair[0]);
		engine_child(sb, pair[1], job);
	}
	close(pair[1]);
	*ctl = pair[0];
	return pid;
}

/* The first field of "Name:" in /proc/PID/status, or fails the test. */
static unsigned long long
status_field(pid_t pid, const char *name, int base)
{
	char	 path[64], line[256];
	size_t	 len = strlen(name);
	FILE	*fp;
	unsigned long long v;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	assert_non_null(fp = fopen(path, "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			fclose(fp);
			errno = 0;
			v = strtoull(line + len + 1, NULL, base);
			assert_int_equal(errno, 0);
			return v;
		}
	}
	fclose(fp);
	fail_msg("%s: no %s line", path, name);
	return 0;
}

static void
assert_root_is(pid_t pid, const char *want)
{
	char	path[64], got[PATH_MAX];
	ssize_t	n;

	snprintf(path, sizeof(path), "/proc/%ld/root", (long)pid);
	assert_true((n = readlink(path, got, sizeof(got) - 1)) > 0);
	got[n] = '\0';
	assert_string_equal(got, want);
}

/* What every sandboxed engine must show, whoever started it. */
static void
assert_engine_sandboxed(pid_t pid)
{
	assert_int_equal(status_field(pid, "CapEff", 16), 0);
	assert_int_equal(status_field(pid, "CapPrm", 16), 0);
	assert_int_equal(status_field(pid, "CapAmb", 16), 0);
	assert_int_equal(status_field(pid, "NoNewPrivs", 10), 1);
	assert_int_equal(status_field(pid, "Seccomp", 10), 2);
}

static void
assert_exited(int status, int code)
{
	if (WIFSIGNALED(status))
		fail_msg("killed by signal %d", WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), code);
}

static int
finish(pid_t pid, int ctl)
{
	int	status;

	(void)write(ctl, "g", 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(ctl);
	return status;
}

static void
test_engine_confined(void **state)
{
	struct fixture	*f = *state;
	struct report	 r;
	pid_t		 pid;
	int		 ctl, status;

	NEED_FILTER(state);
	pid = spawn_engine(&f->sb, JOB_NOTHING, &ctl);
	read_report(ctl, &r);
	assert_engine_sandboxed(pid);
	assert_true(status_field(pid, "Uid", 10) != 0);
	assert_int_equal(status_field(pid, "Uid", 10), f->sb.uid);
	assert_int_equal(status_field(pid, "Gid", 10), f->sb.gid);
	assert_root_is(pid, f->root);
	status = finish(pid, ctl);
	/* JOB_NOTHING ends in _exit(4) after no call at all. */
	assert_exited(status, 4);
}

static void
test_engine_allowed_calls(void **state)
{
	struct fixture	*f = *state;
	struct report	 r;
	char		 rec[16];
	pid_t		 pid;
	int		 ctl, status;

	NEED_FILTER(state);
	pid = spawn_engine(&f->sb, JOB_ALLOWED, &ctl);
	read_report(ctl, &r);
	(void)write(ctl, "g", 1);
	assert_int_equal(read(ctl, rec, sizeof(rec)), 6);
	assert_memory_equal(rec, "record", 6);
	assert_int_equal(read(ctl, rec, sizeof(rec)), 3);
	assert_memory_equal(rec, "log", 3);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(ctl);
	assert_exited(status, 0);
}

/* Each forbidden call kills the engine with SIGSYS, and returns never. */
static void
test_engine_forbidden_calls_kill(void **state)
{
	const enum job	 jobs[] = { JOB_OPEN, JOB_SOCKET, JOB_EXECVE,
			    JOB_EXEC_MEMORY };
	struct fixture	*f = *state;
	struct report	 r;
	size_t		 i;
	pid_t		 pid;
	int		 ctl, status;

	NEED_FILTER(state);
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		pid = spawn_engine(&f->sb, jobs[i], &ctl);
		read_report(ctl, &r);
		status = finish(pid, ctl);
		if (!WIFSIGNALED(status))
			fail_msg("forbidden call %d: exit %d, not killed",
			    (int)jobs[i], WEXITSTATUS(status));
		assert_int_equal(WTERMSIG(status), SIGSYS);
	}
}

/*
 * Without root (replay with -n as a user): no chroot, the same user, but
 * no_new_privs and the filter all the same.
 */
static void
test_engine_unprivileged(void **state)
{
	struct fixture	*f = *state;
	struct sandbox	 sb;
	struct report	 r;
	char		 err[256];
	pid_t		 pid;
	int		 pair[2], status;

	NEED_FILTER(state);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		close(pair[0]);
		if (setgroups(1, &f->sb.gid) == -1 ||
		    setresgid(f->sb.gid, f->sb.gid, f->sb.gid) == -1 ||
		    setresuid(f->sb.uid, f->sb.uid, f->sb.uid) == -1) {
			send_report(pair[1], 'E', 0, "becoming a user");
			_exit(2);
		}
		memset(&sb, 0, sizeof(sb));
		sb.root = f->root;
		if (sandbox_prepare(&sb, err, sizeof(err)) == -1 ||
		    sb.privileged) {
			send_report(pair[1], 'E', 0, "sandbox_prepare");
			_exit(2);
		}
		engine_child(&sb, pair[1], JOB_OPEN);
	}
	close(pair[1]);
	read_report(pair[0], &r);
	assert_engine_sandboxed(pid);
	assert_int_equal(status_field(pid, "Uid", 10), f->sb.uid);
	assert_root_is(pid, "/");
	status = finish(pid, pair[0]);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

/*
 * Like fork(2), for a child that is the daemon's parent: in the child
 * (0 returned) sandbox_parent() is done and pair[1] reports to the test;
 * a failure is reported and the child exits.  The test keeps pair[0].
 */
static pid_t
spawn_parent(const struct sandbox *sb, int pair[2])
{
	char	err[256];
	pid_t	pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	assert_true((pid = fork()) != -1);
	if (pid != 0) {
		close(pair[1]);
		return pid;
	}
	close(pair[0]);
	if (sandbox_parent(sb, err, sizeof(err)) == -1) {
		send_report(pair[1], 'E', 0, err);
		_exit(2);
	}
	return 0;
}

/*
 * sandbox_parent(): exactly NET_ADMIN and NET_RAW effective, the three
 * an engine needs only permitted; and an engine it forks afterwards (a
 * restart) still gets into its sandbox.
 */
static void
test_parent_then_restarted_engine(void **state)
{
	struct fixture	*f = *state;
	struct report	 r, rp;
	pid_t		 parent, engine;
	int		 pair[2], status, i;

	NEED_FILTER(state);
	if ((parent = spawn_parent(&f->sb, pair)) == 0) {
		if ((engine = fork()) == -1)
			_exit(2);
		if (engine == 0)
			engine_child(&f->sb, pair[1], JOB_NOTHING);
		send_report(pair[1], 'P', engine, NULL);
		if (waitpid(engine, &status, 0) != engine)
			_exit(2);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
	}
	memset(&rp, 0, sizeof(rp));
	for (i = 0; i < 2; i++) {
		read_report(pair[0], &r);
		if (r.kind == 'P')
			rp = r;
	}
	assert_int_equal(rp.kind, 'P');
	engine = rp.pid;

	assert_int_equal(status_field(parent, "CapEff", 16), CAPS_NET);
	assert_int_equal(status_field(parent, "CapPrm", 16),
	    CAPS_NET | CAPS_ENGINE | CAPS_KILL);
	assert_int_equal(status_field(parent, "CapBnd", 16),
	    CAPS_NET | CAPS_ENGINE | CAPS_KILL);
	assert_int_equal(status_field(parent, "NoNewPrivs", 10), 1);
	assert_int_equal(status_field(parent, "Seccomp", 10), 0);

	assert_engine_sandboxed(engine);
	assert_true(status_field(engine, "Uid", 10) != 0);
	assert_root_is(engine, f->root);

	status = finish(parent, pair[0]);
	assert_exited(status, 4);	/* JOB_NOTHING */
}

/*
 * The parent stops an engine that runs as another user: kill(2) alone
 * is refused (no CAP_KILL effective), sandbox_signal() gets through, and
 * the parent's effective set is NET_ADMIN and NET_RAW again afterwards.
 */
static void
test_parent_signals_engine(void **state)
{
	struct fixture	*f = *state;
	struct report	 r;
	char		 go;
	pid_t		 parent, engine;
	int		 pair[2], inner[2], status;

	NEED_FILTER(state);
	if ((parent = spawn_parent(&f->sb, pair)) == 0) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, inner) == -1 ||
		    (engine = fork()) == -1)
			_exit(2);
		if (engine == 0) {
			close(inner[0]);
			engine_child(&f->sb, inner[1], JOB_NOTHING);
		}
		close(inner[1]);
		if (read(inner[0], &r, sizeof(r)) != sizeof(r) ||
		    r.kind != 'R') {
			send_report(pair[1], 'E', 0, "engine not ready");
			_exit(2);
		}
		if (kill(engine, SIGTERM) != -1 || errno != EPERM) {
			send_report(pair[1], 'E', 0, "kill(2) got through");
			_exit(2);
		}
		if (sandbox_signal(&f->sb, engine, SIGKILL) == -1 ||
		    waitpid(engine, &status, 0) != engine ||
		    !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			send_report(pair[1], 'E', 0, "sandbox_signal");
			_exit(2);
		}
		send_report(pair[1], 'P', engine, NULL);
		_exit(read(pair[1], &go, 1) == 1 ? 0 : 3);
	}
	read_report(pair[0], &r);
	assert_int_equal(r.kind, 'P');
	assert_int_equal(status_field(parent, "CapEff", 16), CAPS_NET);
	assert_int_equal(status_field(parent, "CapPrm", 16),
	    CAPS_NET | CAPS_ENGINE | CAPS_KILL);
	status = finish(parent, pair[0]);
	assert_exited(status, 0);
}

static void
test_prepare_refuses_full_root(void **state)
{
	struct fixture	*f = *state;
	struct sandbox	 sb;
	char		 path[128], err[256];
	int		 fd;

	NEED_ROOT(state);
	snprintf(path, sizeof(path), "%s/intruder", f->root);
	assert_true((fd = open(path, O_CREAT | O_WRONLY, 0600)) >= 0);
	close(fd);
	memset(&sb, 0, sizeof(sb));
	sb.root = f->root;
	assert_int_equal(sandbox_prepare(&sb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "must be empty"));
	unlink(path);
	assert_int_equal(sandbox_prepare(&sb, err, sizeof(err)), 0);
}

static void
test_prepare_refuses_writable_root(void **state)
{
	struct fixture	*f = *state;
	struct sandbox	 sb;
	struct stat	 st;
	char		 err[256];

	NEED_ROOT(state);
	assert_int_equal(chmod(f->root, 0757), 0);
	memset(&sb, 0, sizeof(sb));
	sb.root = f->root;
	assert_int_equal(sandbox_prepare(&sb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by nobody else"));
	/* Refused, never repaired behind the operator's back. */
	assert_int_equal(stat(f->root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0757);
	assert_int_equal(chmod(f->root, 0555), 0);
}

static void
test_prepare_makes_missing_root(void **state)
{
	struct fixture	*f = *state;
	struct sandbox	 sb;
	struct stat	 st;
	char		 path[128], err[256];

	NEED_ROOT(state);
	snprintf(path, sizeof(path), "%s/a/b/empty", f->dir);
	memset(&sb, 0, sizeof(sb));
	sb.root = path;
	assert_int_equal(sandbox_prepare(&sb, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0555);
	assert_int_equal(st.st_uid, 0);
}

static void
test_prepare_user(void **state)
{
	struct sandbox	 sb;
	struct passwd	*nobody;
	char		 err[256];

	NEED_ROOT(state);
	memset(&sb, 0, sizeof(sb));
	sb.root = ((struct fixture *)*state)->root;

	/* A user that is root is no sandbox. */
	sb.user = "root";
	assert_int_equal(sandbox_prepare(&sb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "uid 0"));

	/* A missing user falls back to nobody (sandbox.h). */
	if ((nobody = getpwnam("nobody")) == NULL)
		skip();
	sb.user = "no_such_user_44meshd";
	assert_int_equal(sandbox_prepare(&sb, err, sizeof(err)), 0);
	assert_string_equal(sb.user, "nobody");
	assert_int_equal(sb.uid, nobody->pw_uid);
	assert_int_equal(sb.gid, nobody->pw_gid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_engine_confined,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_allowed_calls,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_engine_forbidden_calls_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_unprivileged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_parent_then_restarted_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_signals_engine,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_prepare_refuses_full_root, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_prepare_refuses_writable_root, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_prepare_makes_missing_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_user,
		    setup, teardown),
	};

	log_init(1, 0, "test_sandbox");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
