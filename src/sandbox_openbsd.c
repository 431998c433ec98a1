/*
 * The sandbox on OpenBSD (sandbox.h): the engine chroots, becomes its
 * user and pledges "stdio"; the parent, which must stay root for the gif
 * ioctls, unveils only the files it still writes.
 */
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

/*
 * The engine's calls and kern_pledge.c (2025 tree): recvfrom, recvmsg,
 * recvmmsg, read, write, sendto, sendmsg and sendmmsg are PLEDGE_STDIO in
 * pledge_syscalls[], and pledge_sendit() lets "stdio" send on a
 * connected socket (no address: our socketpair to the parent).  syslog(3)
 * is sendsyslog(2), PLEDGE_ALWAYS.  The joins (IP_ADD_MEMBERSHIP needs
 * "inet" and "mcast" in pledge_sockopt()) are the parent's, made before
 * the fork, so the engine needs neither: a compromised one cannot make a
 * socket (pledge_socket()), name an address, open a file or signal
 * another process (pledge_kill()).
 */
#define ENGINE_PROMISES	"stdio"

int
sandbox_engine(const struct sandbox *sb, char *err, size_t errlen)
{
	/* The zone file, read once, while it is there (not in the root). */
	tzset();
	if (sb->privileged && sandbox_become_user(sb, err, errlen) == -1)
		return -1;
	if (pledge(ENGINE_PROMISES, NULL) == -1)
		return sandbox_fail(err, errlen, "pledge");
	return 0;
}

/*
 * No promise allows what the parent does to interfaces: pledge_ioctl()
 * in kern_pledge.c grants SIOCIFCREATE, SIOCSLIFPHYADDR, SIOCSIFRDOMAIN
 * and SIOCSLIFPHYRTABLE to none ("wroute" stops at SIOCAIFADDR,
 * SIOCDIFADDR and SIOCSIFMTU).  So it does not pledge; it unveils what
 * it still writes and hides the rest of the file system.
 */
static int
reveal(const char *path, const char *perms, char *err, size_t errlen)
{
	if (path == NULL)
		return 0;
	if (unveil(path, perms) == -1)
		return sandbox_fail(err, errlen, "unveil %s", path);
	return 0;
}

int
sandbox_parent(const struct sandbox *sb, char *err, size_t errlen)
{
	/*
	 * The encap file is written beside itself and renamed.  The
	 * pidfile (written through its open descriptor) and the control
	 * sockets are only removed at exit: "c".  The empty root is where
	 * a restarted engine chroots (nothing to read in it).
	 */
	if (reveal(sb->encapdir, "rwc", err, errlen) == -1 ||
	    reveal(sb->pidfile, "c", err, errlen) == -1 ||
	    reveal(sb->ctlsocks[0], "c", err, errlen) == -1 ||
	    reveal(sb->ctlsocks[1], "c", err, errlen) == -1 ||
	    reveal(sb->root, "r", err, errlen) == -1)
		return -1;
	if (unveil(NULL, NULL) == -1)
		return sandbox_fail(err, errlen, "unveil: locking");
	return 0;
}

/* The parent stays root: nothing to raise. */
int
sandbox_signal(const struct sandbox *sb, pid_t pid, int sig)
{
	(void)sb;
	return kill(pid, sig);
}
