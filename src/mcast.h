/*
 * What the RIP44 listener (listen.c) needs of the platform, and no more:
 * the UDP socket on port 520 in the interface routing domain, a list of
 * the domain's interfaces (which are IPENCAP tunnels, and to where) and
 * their addresses, a descriptor that says when they change, and the
 * arrival interface and destination of a received datagram from its
 * control messages.  What is the same on every platform is in mcast.c,
 * what differs in one file per platform (mcast_linux.c, mcast_openbsd.c,
 * through mcast_os.h); joining, the batch of receives and every decision
 * live once, in listen.c.
 */
#ifndef MCAST_H
#define MCAST_H

#include <sys/types.h>
#include <sys/socket.h>

#include <net/if.h>

#include <stddef.h>
#include <stdint.h>

#define MCAST_RCVBUF	(256 * 1024)	/* a table burst, and more */

/* One interface of the domain. */
struct mcast_iface {
	int		index;
	char		name[IF_NAMESIZE];
	int		can_join;	/* multicast, not the loopback */
	int		tunnel;		/* an IPENCAP tunnel: gif, ipip */
	uint32_t	remote;		/* its remote, host order; 0 = any */
};

struct mcast_addr {
	int		index;
	uint32_t	addr;		/* host order */
};

/* The domain's interfaces and addresses, as last listed. */
struct mcast_list {
	struct mcast_iface	*ifaces;
	size_t			 nifaces;
	size_t			 capifaces;
	struct mcast_addr	*addrs;
	size_t			 naddrs;
	size_t			 capaddrs;
};

/*
 * The array v (n used, *cap allocated, size bytes each) with room for one
 * more: v itself, or a grown copy; NULL with errno ENOMEM.
 */
void	*mcast_grow(void *v, size_t n, size_t *cap, size_t size);

/*
 * Growing the list: 0, or -1 with errno ENOMEM.  An address is added
 * only when an interface of the list has its index (list the interfaces
 * first); the others are left out.
 */
int	mcast_list_add_iface(struct mcast_list *, const struct mcast_iface *);
int	mcast_list_add_addr(struct mcast_list *, int index, uint32_t addr);
void	mcast_list_clear(struct mcast_list *);
void	mcast_list_free(struct mcast_list *);

struct mcast_sys;

/*
 * Opens the socket, bound to port 520, non-blocking, in routing domain
 * rdomain, asking for the arrival interface and the destination of each
 * datagram.  NULL with a message in err when it cannot.
 */
struct mcast_sys	*mcast_sys_open(int rdomain, char *err, size_t errlen);
void			 mcast_sys_close(struct mcast_sys *);
int			 mcast_sys_fd(const struct mcast_sys *);

/*
 * A descriptor that becomes readable when interfaces or addresses change
 * (-1 if none); mcast_sys_changes() drains it and returns 1 when a new
 * listing is worth doing.
 */
int			 mcast_sys_change_fd(const struct mcast_sys *);
int			 mcast_sys_changes(struct mcast_sys *);

/*
 * Lists the interfaces of the domain and their IPv4 addresses into out
 * (cleared first).  On Linux this also binds the socket to the domain's
 * VRF.  0, or -1 with errno.
 */
int			 mcast_sys_list(struct mcast_sys *,
			    struct mcast_list *out);

/* Room for the control messages of one datagram. */
#define MCAST_CONTROL_LEN	128

/*
 * From the control messages of one received datagram: the address it was
 * sent to and the interface it arrived through (each left 0 when the
 * kernel did not say).
 */
void			 mcast_sys_control(const struct msghdr *,
			    uint32_t *dst, int *ifindex);

#endif /* MCAST_H */
