/*
 * The listener's platform layer (see mcast.h), the part that is the same
 * on every platform: the lists of interfaces and addresses, the UDP
 * socket's common set-up, draining the change descriptor and walking a
 * datagram's control messages.  What differs is asked of mcast_os.h.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mcast.h"
#include "mcast_os.h"
#include "rip.h"

#define CHANGE_READ_MAX	2048	/* change messages are read and dropped */

struct mcast_sys {
	int		 fd;		/* the UDP socket */
	int		 changefd;	/* says interfaces or addresses changed */
	struct mcast_os	*os;
};

void *
mcast_grow(void *v, size_t n, size_t *cap, size_t size)
{
	void	*grown;
	size_t	 want;

	if (n < *cap)
		return v;
	want = *cap == 0 ? 8 : *cap * 2;
	if ((grown = reallocarray(v, want, size)) == NULL)
		return NULL;
	*cap = want;
	return grown;
}

int
mcast_list_add_iface(struct mcast_list *l, const struct mcast_iface *i)
{
	struct mcast_iface	*v;

	if ((v = mcast_grow(l->ifaces, l->nifaces, &l->capifaces,
	    sizeof(*v))) == NULL)
		return -1;
	l->ifaces = v;
	l->ifaces[l->nifaces++] = *i;
	return 0;
}

int
mcast_list_add_addr(struct mcast_list *l, int index, uint32_t addr)
{
	struct mcast_addr	*v;
	size_t			 k;

	/* Only the domain's: an address elsewhere is no business of ours. */
	for (k = 0; k < l->nifaces; k++)
		if (l->ifaces[k].index == index)
			break;
	if (index == 0 || k == l->nifaces)
		return 0;
	if ((v = mcast_grow(l->addrs, l->naddrs, &l->capaddrs,
	    sizeof(*v))) == NULL)
		return -1;
	l->addrs = v;
	l->addrs[l->naddrs].index = index;
	l->addrs[l->naddrs].addr = addr;
	l->naddrs++;
	return 0;
}

void
mcast_list_clear(struct mcast_list *l)
{
	l->nifaces = 0;
	l->naddrs = 0;
}

void
mcast_list_free(struct mcast_list *l)
{
	free(l->ifaces);
	free(l->addrs);
	memset(l, 0, sizeof(*l));
}

static int
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

struct mcast_sys *
mcast_sys_open(int rdomain, char *err, size_t errlen)
{
	struct sockaddr_in	 sin;
	struct mcast_sys	*ms;
	const char		*what = "listener";

	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		goto fail;
	ms->fd = ms->changefd = -1;
	what = "UDP socket";
	ms->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ms->fd == -1)
		goto fail;
	what = "SO_REUSEADDR";
	if (set_int(ms->fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto fail;
	if (set_int(ms->fd, SOL_SOCKET, SO_RCVBUF, MCAST_RCVBUF) == -1)
		log_warn("SO_RCVBUF %d", MCAST_RCVBUF);
	if (mcast_os_socket(ms->fd, rdomain, &what) == -1)
		goto fail;
	if (mcast_os_open(&ms->os, rdomain, &what) == -1)
		goto fail;
	if ((ms->changefd = mcast_os_change_socket(&what)) == -1)
		goto fail;
	/*
	 * No sin_len: OpenBSD's sockargs() in sys/kern/uipc_syscalls.c sets
	 * sa_len from the length passed to bind.
	 */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(RIP_PORT);
	what = "bind port 520";
	if (bind(ms->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	return ms;
 fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	mcast_sys_close(ms);
	return NULL;
}

void
mcast_sys_close(struct mcast_sys *ms)
{
	if (ms == NULL)
		return;
	if (ms->fd != -1)
		close(ms->fd);
	if (ms->changefd != -1)
		close(ms->changefd);
	mcast_os_close(ms->os);
	free(ms);
}

int
mcast_sys_fd(const struct mcast_sys *ms)
{
	return ms->fd;
}

int
mcast_sys_change_fd(const struct mcast_sys *ms)
{
	return ms->changefd;
}

int
mcast_sys_changes(struct mcast_sys *ms)
{
	char	buf[CHANGE_READ_MAX];
	ssize_t	n;
	int	changed = 0;

	if (ms->changefd == -1)
		return 0;
	/*
	 * What changed does not matter: the listing reads everything, so a
	 * message longer than buf is cut, the rest dropped (netlink and
	 * routing sockets both keep message boundaries).
	 */
	for (;;) {
		n = recv(ms->changefd, buf, sizeof(buf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == ENOBUFS) {
			/* Messages were lost: list anyway. */
			changed = 1;
			continue;
		}
		if (n <= 0)
			break;
		changed = 1;
	}
	return changed;
}

int
mcast_sys_list(struct mcast_sys *ms, struct mcast_list *out)
{
	mcast_list_clear(out);
	return mcast_os_list(ms->os, ms->fd, out);
}

void
mcast_sys_control(const struct msghdr *msg, uint32_t *dst, int *ifindex)
{
	struct cmsghdr	*cm;

	*dst = 0;
	*ifindex = 0;
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL;
	    cm = CMSG_NXTHDR((struct msghdr *)msg, cm)) {
		if (cm->cmsg_level != IPPROTO_IP ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		mcast_os_control(cm->cmsg_type, CMSG_DATA(cm),
		    cm->cmsg_len - CMSG_LEN(0), dst, ifindex);
	}
}
