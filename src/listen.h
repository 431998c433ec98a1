/*
 * The RIP44 listener: decides where the group 224.0.0.9 is joined and
 * which received datagrams may be read at all.
 *
 * The plaintext password is public, and the source address 44.0.0.1 is
 * anyone's to forge: the one thing a datagram cannot fake is the tunnel
 * it came through.  amprgw sends every gateway its broadcasts inside an
 * IPENCAP tunnel from its public address (-G), so a datagram is accepted
 * only when it arrived through a tunnel whose remote is that address
 * (OpenBSD: a gif, reserved or not; Linux: an ipip link), whether sent to
 * the group or to one of our addresses, and the group is joined only on
 * such a tunnel.  What came any other way (the catch-all tunnel, which
 * anyone on the Internet can send into, a LAN interface, a peer's
 * tunnel) is refused before it is read, and counted by that reason.
 *
 * The arrival interface is the one the kernel names in the datagram's
 * control message, and it is looked up in the interfaces the listener
 * tracks (listed again whenever the kernel says they changed), never
 * asked of the kernel per datagram.  The parent opens the socket, lists
 * and joins; the network engine receives (receive.h) and decides by the
 * listing the parent last told it, and the parent decides again.
 *
 * -U (unsafe) restores the old rule: join on every interface of the
 * domain (or those holding the -i address) and accept from any of them
 * but a tunnel of ours to a peer.
 */
#ifndef LISTEN_H
#define LISTEN_H

#include <stddef.h>
#include <stdint.h>

#define LISTEN_REFRESH		60	/* seconds between join checks */
#define LISTEN_DEFAULT_AMPRGW	0xa9e42254U	/* 169.228.34.84 */

struct listen_config {
	int		 rdomain;	/* -D */
	uint32_t	 amprgw;	/* -G */
	int		 unsafe;	/* -U */
	uint32_t	 ifaddr;	/* -i (with -U); 0: every interface */
	const int	*reserved;	/* -s units; outlive the listener */
	int		 nreserved;
};

/* What became of a datagram, in the order it is decided. */
enum listen_verdict {
	LISTEN_ACCEPT,
	LISTEN_CATCH_ALL,	/* through a tunnel with no remote */
	LISTEN_PEER_TUNNEL,	/* through a tunnel to someone else */
	LISTEN_OTHER_IFACE,	/* through a LAN (not a tunnel) */
	LISTEN_UNKNOWN_IFACE,	/* through an interface not (yet) known */
	LISTEN_NOT_FOR_US,	/* to a broadcast or another group */
	LISTEN_TOO_LONG,	/* longer than LISTEN_DATAGRAM_MAX */
	LISTEN_NVERDICTS
};

struct listener;
struct mcast_list;

/* Opens the socket (joins nothing yet).  NULL with a message in err. */
struct listener	*listen_open(const struct listen_config *, char *err,
		    size_t errlen);
void		 listen_close(struct listener *);
int		 listen_fd(const struct listener *);

/*
 * The descriptor that says interfaces changed (-1 if none);
 * listen_changes() drains it and returns 1 when listen_refresh() is
 * worth calling.
 */
int		 listen_change_fd(const struct listener *);
int		 listen_changes(struct listener *);

/*
 * Lists the interfaces again, joins the group where it is wanted and
 * leaves it where it no longer is.  Returns the number of interfaces
 * joined, or -1 with errno when the interfaces could not be listed.
 */
int		 listen_refresh(struct listener *);

/*
 * 1 when a tunnel to amprgw (-G) exists in the domain other than the one
 * named except (NULL for none): how the daemon knows whether the
 * operator has made one.
 */
int		 listen_has_amprgw_tunnel(const struct listener *,
		    const char *except);

/*
 * The arrival rule alone: the verdict on a datagram that came through
 * ifindex to dst, by the interfaces of l (sorted by listen_sort_list()).
 * *ifname (when not NULL) is set to the interface's name, or "".  The
 * network engine decides with it, and the parent decides again.
 */
enum listen_verdict listen_judge(const struct listen_config *,
		    const struct mcast_list *l, int ifindex, uint32_t dst,
		    int truncated, const char **ifname);
void		 listen_sort_list(struct mcast_list *);

/*
 * The configuration and the interfaces as last listed, and how many
 * listings so far differed from the one before: what the parent tells
 * the network engine.
 */
const struct listen_config *listen_config(const struct listener *);
const struct mcast_list *listen_list(const struct listener *);
unsigned long	 listen_generation(const struct listener *);
/* "through the catch-all tunnel", ...: completes "refused as". */
const char	*listen_verdict_name(enum listen_verdict);

#endif /* LISTEN_H */
