/*
 * What each process may do, once it has opened what it needs.  One
 * implementation per platform (sandbox_linux.c: chroot, an unprivileged
 * user, no_new_privs, libcap-ng and a libseccomp filter; sandbox_openbsd.c:
 * chroot, the user, pledge(2) and unveil(2)); the processes call only
 * these.
 *
 * The network engine chroots to an empty directory and becomes the
 * unprivileged user (-u, default _44meshd; "nobody" when that user does
 * not exist, said in the log), keeps no privilege at all, and may then
 * only receive on the descriptors it was given and write records to the
 * parent.  Without root (replay with -n) there is no user to leave: the
 * engine keeps the user it has but is still filtered.
 *
 * The parent keeps what the kernel operations need (Linux: CAP_NET_ADMIN
 * and CAP_NET_RAW effective, and permitted only CAP_SETUID, CAP_SETGID,
 * CAP_SYS_CHROOT for the engines it restarts and CAP_KILL to stop one;
 * OpenBSD: root, unveiled to the encap file's folder and the pidfile).
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <sys/types.h>

#include <stddef.h>

/* The engine's empty root, made 0555 and root-owned when missing. */
#ifdef __OpenBSD__
#define SANDBOX_EMPTY_DIR	"/var/empty"
#else
#define SANDBOX_EMPTY_DIR	"/run/44meshd/empty"
#endif

struct sandbox {
	const char	*user;		/* -u; NULL: OPTIONS_DEFAULT_USER */
	const char	*root;		/* engine's; NULL: SANDBOX_EMPTY_DIR */
	const char	*encapdir;	/* parent: the encap file's folder */
	const char	*pidfile;	/* parent: NULL when none */
	const char	*ctlsocks[2];	/* parent: control sockets, or NULL */
	/* Filled by sandbox_prepare(): */
	uid_t		 uid;
	gid_t		 gid;
	int		 privileged;	/* started as root */
};

/*
 * In the parent at start-up, before anything is dropped: looks up the
 * user (the engine cannot read the password file once chrooted, nor
 * the parent once unveiled) and makes sure the empty folder exists
 * (refused when not empty or writable by anyone but root).  Sets user to
 * the fallback when it falls back.  Without root it only notes that
 * (privileged 0).  0, or -1 with a message in err.
 */
int	sandbox_prepare(struct sandbox *, char *err, size_t errlen);

/*
 * In the parent, once the RIP socket is bound and the kernel backend
 * open.  May be called once.  0, or -1 with a message.
 */
int	sandbox_parent(const struct sandbox *, char *err, size_t errlen);

/*
 * In a newly forked engine, after it has closed every descriptor it
 * must not keep.  0, or -1 with a message (the engine then exits).
 */
int	sandbox_engine(const struct sandbox *, char *err, size_t errlen);

/*
 * In the parent: sends sig to the engine it forked (to stop one that
 * sent a bad record).  On Linux the engine's user is not the parent's,
 * so this takes CAP_KILL, which the parent holds only permitted, for
 * this one call.  0, or -1 with errno set.
 */
int	sandbox_signal(const struct sandbox *, pid_t, int sig);

/*
 * For the platform files (sandbox.c): formats the message, adding
 * strerror(errno) when errno is not 0, and returns -1.
 */
int	sandbox_fail(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
/*
 * For the platform files: chroot to sb->root, then become sb->uid and
 * sb->gid (one group, no others) for good, checked.  Needs root's power
 * to chroot and change user.  0, or -1 with a message.
 */
int	sandbox_become_user(const struct sandbox *, char *err,
	    size_t errlen);

#endif /* SANDBOX_H */
