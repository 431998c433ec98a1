/*
 * TEMPORARY, until the sandbox (sandbox_linux.c, sandbox_openbsd.c) is
 * merged: no sandbox at all, so that the processes link and run.
 */
#include <sys/types.h>

#include <unistd.h>

#include "sandbox.h"

int
sandbox_prepare(struct sandbox *sb, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	sb->uid = getuid();
	sb->gid = getgid();
	sb->privileged = geteuid() == 0;
	return 0;
}

int
sandbox_parent(const struct sandbox *sb, char *err, size_t errlen)
{
	(void)sb;
	(void)err;
	(void)errlen;
	return 0;
}

int
sandbox_engine(const struct sandbox *sb, char *err, size_t errlen)
{
	(void)sb;
	(void)err;
	(void)errlen;
	return 0;
}
