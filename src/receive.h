/*
 * The network engine's receiving: RIP44 datagrams taken from the socket
 * the parent opened, in batches, each with its verdict by the arrival
 * rule (listen_judge()) over the interfaces the parent last told of.
 */
#ifndef RECEIVE_H
#define RECEIVE_H

#include <stddef.h>
#include <stdint.h>

#include "listen.h"

#define RECEIVE_DATAGRAM_MAX	2048	/* 4 RIP44 datagrams; longer: cut */
#define RECEIVE_BATCH		32	/* datagrams one receive call takes */

struct mcast_list;
struct receiver;

/* One datagram received; addresses and port host order. */
struct receive_datagram {
	uint32_t		 src;
	uint16_t		 sport;
	uint32_t		 dst;		/* 0: the kernel did not say */
	int			 ifindex;	/* 0: the kernel did not say */
	const char		*ifname;	/* "" when unknown */
	const uint8_t		*data;		/* valid until the next recv */
	size_t			 len;
	enum listen_verdict	 verdict;
};

/*
 * A receiver on fd, deciding by cfg (which must outlive it) and a copy
 * of ifaces.  NULL with errno ENOMEM.
 */
struct receiver	*receive_new(int fd, const struct listen_config *cfg,
		    const struct mcast_list *ifaces);
int		 receive_fd(const struct receiver *);
/* Puts l (from the parent) in force, and leaves l empty. */
void		 receive_take_list(struct receiver *, struct mcast_list *l);

/*
 * The next datagram, with its verdict; only an accepted one may be read.
 * Takes the queue in batches: after a batch that was not full it returns
 * 0 without asking the kernel again, so a burst costs one call per
 * RECEIVE_BATCH datagrams and the wake-up.  Returns 1 with d filled, 0
 * when nothing is queued, -1 with errno on an error.
 */
int		 receive_next(struct receiver *, struct receive_datagram *d);

#endif /* RECEIVE_H */
