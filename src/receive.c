/*
 * The network engine's receiving (receive.h): the batch of receives from
 * the socket the parent opened, and the verdict on each by the arrival
 * rule over the interfaces as the parent last told them.
 */
/* glibc declares recvmmsg(2) only for GNU; OpenBSD has it since 7.2. */
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "listen.h"
#include "mcast.h"
#include "receive.h"

struct receiver {
	int			 fd;
	const struct listen_config *cfg;
	struct mcast_list	 now;		/* as the parent last told */

	/* The current batch of received datagrams. */
	struct mmsghdr		 msgs[RECEIVE_BATCH];
	struct iovec		 iovs[RECEIVE_BATCH];
	struct sockaddr_in	 from[RECEIVE_BATCH];
	unsigned char		 control[RECEIVE_BATCH][MCAST_CONTROL_LEN];
	uint8_t			 data[RECEIVE_BATCH][RECEIVE_DATAGRAM_MAX];
	unsigned int		 nbatch;
	unsigned int		 next;
	int			 must_read;	/* the queue may hold more */
};

struct receiver *
receive_new(int fd, const struct listen_config *cfg,
    const struct mcast_list *ifaces)
{
	struct receiver	*rv;
	size_t		 k;

	if ((rv = calloc(1, sizeof(*rv))) == NULL)
		return NULL;
	rv->fd = fd;
	rv->cfg = cfg;
	for (k = 0; k < ifaces->nifaces; k++)
		if (mcast_list_add_iface(&rv->now, &ifaces->ifaces[k]) == -1)
			goto fail;
	for (k = 0; k < ifaces->naddrs; k++)
		if (mcast_list_add_addr(&rv->now, ifaces->addrs[k].index,
		    ifaces->addrs[k].addr) == -1)
			goto fail;
	listen_sort_list(&rv->now);
	for (k = 0; k < RECEIVE_BATCH; k++) {
		rv->iovs[k].iov_base = rv->data[k];
		rv->iovs[k].iov_len = sizeof(rv->data[k]);
	}
	rv->must_read = 1;
	return rv;
 fail:
	mcast_list_free(&rv->now);
	free(rv);
	errno = ENOMEM;
	return NULL;
}

int
receive_fd(const struct receiver *rv)
{
	return rv->fd;
}

void
receive_take_list(struct receiver *rv, struct mcast_list *l)
{
	struct mcast_list	swap;

	listen_sort_list(l);
	swap = rv->now;
	rv->now = *l;
	*l = swap;
	mcast_list_clear(l);
}

/* Asks for up to RECEIVE_BATCH datagrams.  0, or -1 with errno. */
static int
read_batch(struct receiver *rv)
{
	struct msghdr	*h;
	unsigned int	 k;
	int		 n;

	for (k = 0; k < RECEIVE_BATCH; k++) {
		h = &rv->msgs[k].msg_hdr;
		memset(h, 0, sizeof(*h));
		h->msg_name = &rv->from[k];
		h->msg_namelen = sizeof(rv->from[k]);
		h->msg_iov = &rv->iovs[k];
		h->msg_iovlen = 1;
		h->msg_control = rv->control[k];
		h->msg_controllen = sizeof(rv->control[k]);
		rv->msgs[k].msg_len = 0;
	}
	rv->nbatch = rv->next = 0;
	do
		n = recvmmsg(rv->fd, rv->msgs, RECEIVE_BATCH,
		    MSG_DONTWAIT, NULL);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		rv->must_read = 1;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
	rv->nbatch = (unsigned int)n;
	/* A short batch emptied the queue: the next wake-up reads again. */
	rv->must_read = n == RECEIVE_BATCH;
	return 0;
}

int
receive_next(struct receiver *rv, struct receive_datagram *d)
{
	struct mmsghdr			*m;
	struct sockaddr_in		*from;

	if (rv->next == rv->nbatch) {
		if (!rv->must_read) {
			rv->must_read = 1;
			return 0;
		}
		if (read_batch(rv) == -1)
			return -1;
		if (rv->nbatch == 0)
			return 0;
	}
	m = &rv->msgs[rv->next];
	from = &rv->from[rv->next];
	memset(d, 0, sizeof(*d));
	d->data = rv->data[rv->next];
	d->len = m->msg_len;
	if (m->msg_hdr.msg_namelen >= sizeof(*from) &&
	    from->sin_family == AF_INET) {
		d->src = ntohl(from->sin_addr.s_addr);
		d->sport = ntohs(from->sin_port);
	}
	mcast_sys_control(&m->msg_hdr, &d->dst, &d->ifindex);
	d->verdict = listen_judge(rv->cfg, &rv->now, d->ifindex, d->dst,
	    (m->msg_hdr.msg_flags & MSG_TRUNC) != 0, &d->ifname);
	rv->next++;
	return 1;
}

