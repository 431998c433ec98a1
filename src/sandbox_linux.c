/*
 * The sandbox on Linux (sandbox.h): the engine chroots, becomes its user,
 * keeps no capability and runs under a libseccomp filter that kills it on
 * any call outside its list; the parent keeps CAP_NET_ADMIN and
 * CAP_NET_RAW.  Both set no_new_privs, so nothing they could execute
 * would gain what they dropped.
 */
#define _GNU_SOURCE	/* AT_EMPTY_PATH */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

/*
 * The engine's system calls, as strace shows them on the running engine
 * (engine.c): its poll(2) loop (ppoll where libc has no poll call),
 * receiving, records to the parent in batches, log lines to stderr or
 * syslog, the clock (when the vDSO falls back), malloc, reading an
 * already-open capture with -r, and the exit.  No libevent, so no epoll.
 * Names: a call this architecture lacks (poll on arm64) is skipped.
 */
static const char *const engine_calls[] = {
	"read", "recvfrom", "recvmsg", "recvmmsg",
	"write", "sendmsg", "sendmmsg", "sendto",
	"poll", "ppoll",
	"clock_gettime", "gettimeofday", "time",
	"rt_sigreturn",		/* should a handler ever run */
	/* How a call stopped (ptrace, SIGSTOP) resumes where it was. */
	"restart_syscall",
	"brk", "munmap", "mremap", "madvise",
	"getpid", "fstat", "lseek", "close",
	"exit", "exit_group",
	/*
	 * syslog(3) reconnects when syslogd went away: a socket (allowed
	 * below only as that one kind) and a connect that in the empty
	 * root finds no /dev/log and fails, rather than a dead engine.
	 */
	"connect",
};

/*
 * Calls allowed only with these arguments.  (SCMP_CMP_EQ ignores the
 * second datum; it is spelled out for -Wmissing-field-initializers.)
 */
static int
add_narrow_rules(scmp_filter_ctx ctx)
{
	int	rc;

	/* malloc's memory, never executable memory. */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0))) < 0)
		return rc;
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect),
	    1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0))) < 0)
		return rc;
	/* glibc's fstat(3) is fstatat(fd, "", buf, AT_EMPTY_PATH). */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat),
	    1, SCMP_A3(SCMP_CMP_EQ, AT_EMPTY_PATH, 0))) < 0)
		return rc;
	/* glibc's openlog(3), nothing else: a local datagram socket. */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 3,
	    SCMP_A0(SCMP_CMP_EQ, AF_UNIX, 0),
	    SCMP_A1(SCMP_CMP_EQ, SOCK_DGRAM | SOCK_CLOEXEC, 0),
	    SCMP_A2(SCMP_CMP_EQ, 0, 0))) < 0)
		return rc;
	return 0;
}

static int
install_filter(char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 nr, rc;

	errno = 0;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return sandbox_fail(err, errlen, "seccomp_init");
	for (i = 0; i < sizeof(engine_calls) / sizeof(engine_calls[0]); i++) {
		/* Negative: not a call of this architecture. */
		if ((nr = seccomp_syscall_resolve_name(engine_calls[i])) < 0)
			continue;
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0) {
			seccomp_release(ctx);
			errno = -rc;
			return sandbox_fail(err, errlen, "seccomp rule for %s",
			    engine_calls[i]);
		}
	}
	if ((rc = add_narrow_rules(ctx)) < 0 || (rc = seccomp_load(ctx)) < 0) {
		seccomp_release(ctx);
		errno = -rc;
		return sandbox_fail(err, errlen, "seccomp filter");
	}
	seccomp_release(ctx);
	return 0;
}

/*
 * chroot, then the user.  The three capabilities it takes are effective
 * only here: a first engine has them from root, a restarted one from the
 * permitted set sandbox_parent() left.
 */
static int
leave_root(const struct sandbox *sb, char *err, size_t errlen)
{
	if (capng_get_caps_process() == -1)
		return sandbox_fail(err, errlen, "capng_get_caps_process");
	/*
	 * The bounding set: only a first engine (CAP_SETPCAP) can clear
	 * it; a restarted one inherits the parent's six.  Nothing may
	 * execve anyway (the filter).
	 */
	capng_clear(CAPNG_SELECT_BOUNDS);
	(void)capng_apply(CAPNG_SELECT_BOUNDS);
	capng_clear(CAPNG_SELECT_CAPS);
	if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_SYS_CHROOT, CAP_SETUID, CAP_SETGID, -1) == -1 ||
	    capng_apply(CAPNG_SELECT_CAPS) != 0) {
		errno = EPERM;
		return sandbox_fail(err, errlen, "the engine lacks "
		    "CAP_SYS_CHROOT, CAP_SETUID or CAP_SETGID");
	}
	if (sandbox_become_user(sb, err, errlen) == -1)
		return -1;
	/* Set after the user change, which clears it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1)
		return sandbox_fail(err, errlen, "PR_SET_PDEATHSIG");
	return 0;
}

/* No capability in any set, and prove it. */
static int
drop_caps(char *err, size_t errlen)
{
	capng_clear(CAPNG_SELECT_CAPS);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0) {
		errno = EPERM;
		return sandbox_fail(err, errlen, "dropping capabilities");
	}
	errno = 0;
	if (capng_get_caps_process() == -1 ||
	    capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE)
		return sandbox_fail(err, errlen, "capabilities remain");
	return 0;
}

int
sandbox_engine(const struct sandbox *sb, char *err, size_t errlen)
{
	/*
	 * localtime_r(3), in syslog(3), reads the zone file once: now,
	 * while there is one to read.
	 */
	tzset();
	if (sb->privileged && leave_root(sb, err, errlen) == -1)
		return -1;
	if (drop_caps(err, errlen) == -1)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return sandbox_fail(err, errlen, "PR_SET_NO_NEW_PRIVS");
	return install_filter(err, errlen);
}

/*
 * CAP_NET_ADMIN and CAP_NET_RAW for the kernel operations; CAP_SETUID,
 * CAP_SETGID and CAP_SYS_CHROOT permitted but not effective, for the
 * engines it starts later (leave_root()), and CAP_KILL for
 * sandbox_signal().  The bounding set holds the same six: nothing
 * executed could have more.  Binding port 520 (CAP_NET_BIND_SERVICE)
 * and giving the control sockets their group (CAP_CHOWN) come before.
 */
int
sandbox_parent(const struct sandbox *sb, char *err, size_t errlen)
{
	if (sb->privileged) {
		capng_clear(CAPNG_SELECT_ALL);
		if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE |
		    CAPNG_PERMITTED | CAPNG_BOUNDING_SET, CAP_NET_ADMIN,
		    CAP_NET_RAW, -1) == -1 ||
		    capng_updatev(CAPNG_ADD, CAPNG_PERMITTED |
		    CAPNG_BOUNDING_SET, CAP_SETUID, CAP_SETGID,
		    CAP_SYS_CHROOT, CAP_KILL, -1) == -1 ||
		    capng_apply(CAPNG_SELECT_ALL) != 0) {
			errno = EPERM;
			return sandbox_fail(err, errlen, "keeping only "
			    "CAP_NET_ADMIN and CAP_NET_RAW");
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return sandbox_fail(err, errlen, "PR_SET_NO_NEW_PRIVS");
	return 0;
}

int
sandbox_signal(const struct sandbox *sb, pid_t pid, int sig)
{
	int	rc, saved_errno;

	if (!sb->privileged)
		return kill(pid, sig);
	if (capng_get_caps_process() == -1 ||
	    capng_update(CAPNG_ADD, CAPNG_EFFECTIVE, CAP_KILL) == -1 ||
	    capng_apply(CAPNG_SELECT_CAPS) != 0) {
		errno = EPERM;
		return -1;
	}
	rc = kill(pid, sig);
	saved_errno = errno;
	/* Lowered again whatever kill(2) said. */
	if (capng_update(CAPNG_DROP, CAPNG_EFFECTIVE, CAP_KILL) == -1 ||
	    capng_apply(CAPNG_SELECT_CAPS) != 0) {
		errno = EPERM;
		return -1;
	}
	errno = saved_errno;
	return rc;
}
