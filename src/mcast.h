/*
 * The RIP44 listener: a UDP socket on port 520 in the interface routing
 * domain, joined to 224.0.0.9 on the interfaces of that domain (or on the
 * one -i names) and kept joined as interfaces come and go.  One
 * implementation per platform (mcast_linux.c, mcast_openbsd.c).
 *
 * Where it joins: amprgw's broadcasts come through the operator's own
 * tunnels (the reserved units, -s) or a plain interface, never through a
 * tunnel this daemon made to a peer gateway, where any peer could forge
 * them.  So a gifN whose unit is not reserved is never joined; every
 * other interface of the domain is.  That alone does not keep such
 * datagrams out (unicast to us; on OpenBSD, a group joined there by
 * another program reaches every socket on the port), so the caller
 * refuses them by their arrival interface, mcast_datagram.ifindex.
 *
 * Which datagrams are for us: those sent to 224.0.0.9 and those sent
 * (unicast) to one of our own addresses.  Broadcasts and other groups are
 * reported as MCAST_TO_OTHER for the caller to drop.
 */
#ifndef MCAST_H
#define MCAST_H

#include <stddef.h>
#include <stdint.h>

#define MCAST_RCVBUF	(256 * 1024)	/* a table burst, and more */
#define MCAST_REFRESH	60	/* seconds between join checks */

enum mcast_dest {
	MCAST_TO_GROUP,		/* 224.0.0.9 */
	MCAST_TO_US,		/* unicast to an address of ours */
	MCAST_TO_OTHER		/* broadcast or another group */
};

/* One datagram received; addresses and port host order. */
struct mcast_datagram {
	uint32_t	src;
	uint16_t	sport;
	uint32_t	dst;		/* 0 when the kernel did not say */
	int		ifindex;	/* 0 when the kernel did not say */
	enum mcast_dest	dest;
	size_t		len;
};

struct mcast;

/*
 * Opens the socket on port 520 in routing domain rdomain (-D), to join
 * the group on the interfaces with address ifaddr (-i), or on every
 * interface of the domain when ifaddr is 0, but never on a gif whose
 * unit is not one of the nreserved units in reserved (-s; the array must
 * outlive the listener).  The first mcast_refresh() joins.  Returns NULL with a message in err when
 * it cannot.
 */
struct mcast	*mcast_open(int rdomain, uint32_t ifaddr, const int *reserved,
		    int nreserved, char *err, size_t errlen);
void		 mcast_close(struct mcast *);
int		 mcast_fd(const struct mcast *);

/*
 * A descriptor that becomes readable when interfaces or addresses change
 * (-1 if none); mcast_changes() drains it and returns 1 when a refresh is
 * worth doing.
 */
int		 mcast_change_fd(const struct mcast *);
int		 mcast_changes(struct mcast *);

/*
 * Joins the group on interfaces that appeared and forgets those that
 * went (an interface that cannot be joined is logged and tried again
 * next time).  Returns the number of interfaces joined, or -1 with errno
 * when the interfaces could not be listed or the domain not entered.
 */
int		 mcast_refresh(struct mcast *);

/*
 * Reads one queued datagram into buf (cap bytes; longer ones are cut and
 * their len says so).  Returns 1 with d filled, 0 when nothing is queued,
 * -1 with errno on an error.
 */
int		 mcast_recv(struct mcast *, uint8_t *buf, size_t cap,
		    struct mcast_datagram *d);

#endif /* MCAST_H */
