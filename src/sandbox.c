/*
 * The part of the sandbox both platforms share: finding the engine's user,
 * making sure its empty folder is fit to be a root, and the chroot and
 * change of user themselves (sandbox.h).  The platform files drop the
 * rest: capabilities and the filter, or pledge and unveil.
 */
#define _GNU_SOURCE	/* glibc: setresuid(2), getresuid(2) */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "sandbox.h"

/*
 * When -u names no user.  Shared with other programs, but the engine's
 * filter (Linux) or pledge (OpenBSD) keeps it from touching anything else
 * that runs as nobody: no kill(2), no open(2), no ptrace(2).
 */
#define SANDBOX_FALLBACK_USER	"nobody"

int
sandbox_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;
	int	saved_errno = errno;
	size_t	len;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	len = strlen(err);
	if (saved_errno != 0 && len < errlen)
		snprintf(err + len, errlen - len, ": %s",
		    strerror(saved_errno));
	errno = saved_errno;
	return -1;
}

static int
find_user(struct sandbox *sb, char *err, size_t errlen)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(sb->user)) == NULL) {
		log_warnx("user %s does not exist (create it, see the "
		    "manual): the network engine runs as %s", sb->user,
		    SANDBOX_FALLBACK_USER);
		errno = 0;
		if ((pw = getpwnam(SANDBOX_FALLBACK_USER)) == NULL)
			return sandbox_fail(err, errlen, "neither user %s nor "
			    "%s exists: no user for the network engine",
			    sb->user, SANDBOX_FALLBACK_USER);
		sb->user = SANDBOX_FALLBACK_USER;
	}
	if (pw->pw_uid == 0) {
		errno = 0;
		return sandbox_fail(err, errlen, "user %s has uid 0: the "
		    "network engine must not run as root", sb->user);
	}
	sb->uid = pw->pw_uid;
	sb->gid = pw->pw_gid;
	return 0;
}

/* mkdir -p: the missing folders above the last are made 0755. */
static int
make_folder(const char *path, mode_t mode, char *err, size_t errlen)
{
	char	buf[256], *p;

	errno = ENAMETOOLONG;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return sandbox_fail(err, errlen, "%s", path);
	for (p = buf + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return sandbox_fail(err, errlen, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) == -1) {
		if (errno == EEXIST)
			return 0;	/* checked, never changed */
		return sandbox_fail(err, errlen, "mkdir %s", buf);
	}
	/* The umask may have narrowed it. */
	if (chmod(buf, mode) == -1)
		return sandbox_fail(err, errlen, "chmod %s", buf);
	return 0;
}

/*
 * A root the engine could write to, or that holds anything, would give a
 * compromised engine a place to leave or find files: refuse it.
 */
static int
check_folder(const char *path, char *err, size_t errlen)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*dir;
	int		 entries = 0;

	if (lstat(path, &st) == -1)
		return sandbox_fail(err, errlen, "%s", path);
	errno = 0;
	if (!S_ISDIR(st.st_mode))
		return sandbox_fail(err, errlen, "%s: not a folder", path);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return sandbox_fail(err, errlen, "%s: must be owned by root "
		    "and writable by nobody else (mode %04o, owner %lu)",
		    path, (unsigned)(st.st_mode & 07777),
		    (unsigned long)st.st_uid);
	if ((dir = opendir(path)) == NULL)
		return sandbox_fail(err, errlen, "%s", path);
	while ((de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			entries++;
	closedir(dir);
	errno = 0;
	if (entries > 0)
		return sandbox_fail(err, errlen, "%s: must be empty (it holds "
		    "%d entries)", path, entries);
	return 0;
}

int
sandbox_prepare(struct sandbox *sb, char *err, size_t errlen)
{
	if (sb->user == NULL)
		sb->user = OPTIONS_DEFAULT_USER;
	if (sb->root == NULL)
		sb->root = SANDBOX_EMPTY_DIR;
	sb->privileged = geteuid() == 0;
	if (!sb->privileged) {
		/* No user to leave, no chroot to make (sandbox.h). */
		sb->uid = getuid();
		sb->gid = getgid();
		return 0;
	}
	if (find_user(sb, err, errlen) == -1)
		return -1;
	if (make_folder(sb->root, 0555, err, errlen) == -1)
		return -1;
	return check_folder(sb->root, err, errlen);
}

int
sandbox_become_user(const struct sandbox *sb, char *err, size_t errlen)
{
	uid_t	ruid, euid, suid;
	gid_t	rgid, egid, sgid;

	if (chroot(sb->root) == -1)
		return sandbox_fail(err, errlen, "chroot %s", sb->root);
	if (chdir("/") == -1)
		return sandbox_fail(err, errlen, "chdir / in %s", sb->root);
	if (setgroups(1, &sb->gid) == -1)
		return sandbox_fail(err, errlen, "setgroups");
	if (setresgid(sb->gid, sb->gid, sb->gid) == -1)
		return sandbox_fail(err, errlen, "setresgid %lu",
		    (unsigned long)sb->gid);
	if (setresuid(sb->uid, sb->uid, sb->uid) == -1)
		return sandbox_fail(err, errlen, "setresuid %lu",
		    (unsigned long)sb->uid);
	/* Check it stuck, and that there is no way back. */
	errno = 0;
	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1 ||
	    ruid != sb->uid || euid != sb->uid || suid != sb->uid ||
	    rgid != sb->gid || egid != sb->gid || sgid != sb->gid)
		return sandbox_fail(err, errlen, "user %s did not stick",
		    sb->user);
	if (setresuid(0, 0, 0) != -1) {
		errno = 0;
		return sandbox_fail(err, errlen, "could become root again");
	}
	return 0;
}
