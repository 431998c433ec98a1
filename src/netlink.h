/*
 * rtnetlink messages for the Linux kernel backend, without sockets: a
 * builder for the requests kern_linux.c sends, and a parser, with full
 * bounds checks, for what the kernel answers.  Every refusal of a reply
 * sets a named reason (a static string).  Addresses in the structures are
 * host order; they are network order only on the wire.
 */
#ifndef NETLINK_H
#define NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "kern.h"

#define NL_PROTO		44	/* rtm_protocol marking our routes */
#define NL_TUNNEL_TTL		64
#define NL_UNIT_MAX		65535	/* gif units 0..NL_UNIT_MAX */
#define NL_NAMELEN		16	/* IFNAMSIZ */
#define NL_KINDLEN		16
#define NL_ALIASLEN		64	/* our mark fits; IFALIASZ: 256 */
#define NL_EXTACK_LEN		200	/* kept of an extended ack message */

/*
 * Building.  Requests are written into a caller's buffer; an overflow is
 * sticky and reported by the builders as EMSGSIZE.
 */
struct nl_msg {
	unsigned char	*buf;
	size_t		 cap;
	size_t		 len;
	int		 overflow;
};

void	nl_msg_init(struct nl_msg *, void *buf, size_t cap, uint16_t type,
	    uint16_t flags, uint32_t seq);
/* The family header (ifinfomsg, rtmsg...), copied in and padded. */
void	nl_put_family(struct nl_msg *, const void *, size_t);
void	nl_put_attr(struct nl_msg *, uint16_t type, const void *, size_t);
void	nl_put_u8(struct nl_msg *, uint16_t type, uint8_t);
void	nl_put_u32(struct nl_msg *, uint16_t type, uint32_t);
/* An IPv4 address given in host order, written in network order. */
void	nl_put_in4(struct nl_msg *, uint16_t type, uint32_t);
void	nl_put_str(struct nl_msg *, uint16_t type, const char *);
/* Returns the offset to hand to nl_nest_end(). */
size_t	nl_nest_begin(struct nl_msg *, uint16_t type);
void	nl_nest_end(struct nl_msg *, size_t);
/* Writes the final length into the header.  0, or EMSGSIZE. */
int	nl_msg_finish(struct nl_msg *);

/*
 * The requests.  Each writes a whole message (NLM_F_REQUEST | NLM_F_ACK)
 * and returns 0, EMSGSIZE when buf is too small or EINVAL for arguments
 * that cannot be sent.  Tables are Linux table numbers (nl_domain_table).
 */
int	nl_build_link_create(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, const char *name, uint32_t local, uint32_t remote,
	    int underlay, int master);
int	nl_build_link_get(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, const char *name);
int	nl_build_link_set_up(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, int ifindex, int up);
/*
 * Changes link ifindex in place: its alias (IFLA_IFALIAS) when alias is
 * not NULL, its MTU when mtu > 0, and with ends set the ipip endpoints:
 * ipip_changelink() takes every tunnel parameter anew, so local, remote,
 * underlay and TTL all go.
 */
struct nl_ends {
	uint32_t	local;
	uint32_t	remote;
	int		underlay;
};
int	nl_build_link_modify(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, int ifindex, const char *alias, int mtu,
	    const struct nl_ends *ends);
/* By ifindex when it is > 0, else by name. */
int	nl_build_link_delete(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, int ifindex, const char *name);
int	nl_build_addr_add(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, int ifindex, uint32_t addr);

enum nl_route_op {
	NL_ROUTE_ADD,			/* NLM_F_CREATE | NLM_F_EXCL */
	NL_ROUTE_CHANGE,		/* NLM_F_CREATE | NLM_F_REPLACE */
	NL_ROUTE_DELETE
};
int	nl_build_route(struct nl_msg *, void *buf, size_t cap, uint32_t seq,
	    enum nl_route_op, uint32_t addr, int len, uint32_t table,
	    int oif);

/* Dumps: every link (kind NULL) or the links of one kind. */
int	nl_build_link_dump(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, const char *kind);
int	nl_build_addr_dump(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq);
/* IPv4 routes; table and protocol 0 mean any (kernels filter or not). */
int	nl_build_route_dump(struct nl_msg *, void *buf, size_t cap,
	    uint32_t seq, uint32_t table, int protocol);

/* Domain 0 is the main table; any other domain is its own table. */
uint32_t	nl_domain_table(int domain);
/* The unit of "gifN" (N decimal 0..NL_UNIT_MAX, no leading zero), or -1. */
int	nl_gif_unit(const char *);
/* "gifN" into buf of NL_NAMELEN bytes; -1 for a unit out of range. */
int	nl_gif_name(int unit, char *buf);

/*
 * Parsing.  A view of one message: its header fields and its payload.
 * The iterator walks the messages of one datagram.
 */
struct nl_view {
	uint16_t		 type;
	uint16_t		 flags;
	uint32_t		 seq;
	uint32_t		 pid;
	const unsigned char	*data;		/* payload */
	size_t			 len;
};

struct nl_iter {
	const unsigned char	*buf;
	size_t			 len;
	size_t			 off;
};

void	nl_iter_init(struct nl_iter *, const void *, size_t);
/* 1 and the next message, 0 at the end, -1 (and why) when malformed. */
int	nl_iter_next(struct nl_iter *, struct nl_view *, const char **why);

struct nl_attr {
	uint16_t		 type;		/* without the flag bits */
	const unsigned char	*data;
	size_t			 len;
};

struct nl_attrs {
	const unsigned char	*buf;
	size_t			 len;
	size_t			 off;
};

void	nl_attrs_init(struct nl_attrs *, const void *, size_t);
/* The attributes after a family header of hdrlen bytes; -1 if short. */
int	nl_attrs_of(struct nl_attrs *, const struct nl_view *, size_t hdrlen);
/* 1 and the next attribute, 0 at the end, -1 (and why) when malformed. */
int	nl_attrs_next(struct nl_attrs *, struct nl_attr *, const char **why);
/* Typed reads; -1 when the length is wrong (or the string unterminated). */
int	nl_attr_u8(const struct nl_attr *, uint8_t *);
int	nl_attr_u32(const struct nl_attr *, uint32_t *);
int	nl_attr_in4(const struct nl_attr *, uint32_t *);
int	nl_attr_str(const struct nl_attr *, char *, size_t);

/* RTM_NEWLINK / RTM_DELLINK. */
struct nl_link {
	int		index;
	unsigned int	flags;			/* IFF_* */
	char		name[NL_NAMELEN];
	char		kind[NL_KINDLEN];	/* "" without IFLA_LINKINFO */
	int		has_kind;
	int		master;			/* 0 = none */
	uint32_t	local;			/* ipip */
	uint32_t	remote;
	int		underlay;		/* IFLA_IPTUN_LINK */
	uint32_t	table;			/* vrf */
	int		has_table;
	int		marked;		/* alias is our mark */
	int		mtu;		/* IFLA_MTU, 0: not reported */
};

/* RTM_NEWADDR. */
struct nl_addr {
	int		family;
	int		index;
	int		prefixlen;
	uint32_t	flags;			/* IFA_F_*, IFA_FLAGS wins */
	uint32_t	local;		/* IFA_LOCAL, else IFA_ADDRESS */
	int		has_local;
};

/* RTM_NEWROUTE.  IPv4 attributes are read only for AF_INET. */
struct nl_route {
	int		family;
	uint32_t	dst;
	int		dst_len;
	uint32_t	table;		/* RTA_TABLE wins over rtm_table */
	int		protocol;
	int		scope;
	int		type;
	int		oif;		/* multipath: the first hop's */
	uint32_t	gateway;
	int		has_gateway;
	uint32_t	prefsrc;
	int		has_prefsrc;
	uint32_t	priority;
	int		multipath;
};

/* 0, or -1 and why. */
int	nl_parse_link(const struct nl_view *, struct nl_link *,
	    const char **why);
int	nl_parse_addr(const struct nl_view *, struct nl_addr *,
	    const char **why);
int	nl_parse_route(const struct nl_view *, struct nl_route *,
	    const char **why);
/*
 * NLMSG_ERROR and NLMSG_DONE: *errnum is the kernel's errno (0 for an
 * acknowledgement), msg the extended ack message with unprintable bytes
 * replaced ("" when there is none).  0, or -1 and why.
 */
int	nl_parse_error(const struct nl_view *, int *errnum, char *msg,
	    size_t msglen, const char **why);
int	nl_parse_done(const struct nl_view *, int *errnum, char *msg,
	    size_t msglen, const char **why);

/*
 * One request and its replies, fed datagram by datagram.  Messages of
 * other requests (another seq or port id) are skipped.  A dump ends at
 * NLMSG_DONE (or an NLMSG_ERROR when it could not start), any other
 * request at its NLMSG_ERROR acknowledgement.  Data messages go to cb;
 * the first non-zero value cb returns is kept in cb_error and cb is not
 * called again, but the replies are still read to their end.
 */
typedef int	(*nl_msg_cb)(void *arg, const struct nl_view *);

struct nl_txn {
	uint32_t	 seq;
	uint32_t	 portid;
	int		 dump;
	nl_msg_cb	 cb;
	void		*arg;

	int		 done;
	int		 error;		/* the kernel's errno */
	int		 cb_error;
	int		 interrupted;	/* NLM_F_DUMP_INTR: dump again */
	size_t		 skipped;
	char		 extack[NL_EXTACK_LEN];
};

void	nl_txn_init(struct nl_txn *, uint32_t seq, uint32_t portid, int dump,
	    nl_msg_cb, void *);
/*
 * 1 when the transaction is complete, 0 when it needs more datagrams, -1
 * (and why) when the datagram is refused; nothing of a refused datagram
 * reaches cb.
 */
int	nl_txn_feed(struct nl_txn *, const void *, size_t, const char **why);

/*
 * Link notifications turned into kern_events.  The tracker keeps the last
 * state known of each gif unit; notifications only record the newest
 * state of the units they touch, and nl_gifs_flush() reports the net
 * change of each: GONE when a unit known to exist (or never seen) is gone,
 * DOWN when it is down and was not, UP when it is up and was down.  A
 * burst such as our own create (down, then up) thus reports nothing, and
 * a unit that appears up reports nothing either.  Notifications of links
 * other than ipip links named gifN are ignored.  A gif renamed away is
 * not noticed (a rescan finds it).
 */
enum nl_gif_state {
	NL_GIF_UNKNOWN,
	NL_GIF_GONE,
	NL_GIF_DOWN,
	NL_GIF_UP
};

struct nl_gifs {
	unsigned char	state[NL_UNIT_MAX + 1];
	unsigned char	pending[NL_UNIT_MAX + 1];	/* 0: untouched */
	uint16_t	touched[NL_UNIT_MAX + 1];
	size_t		ntouched;
};

void	nl_gifs_init(struct nl_gifs *);
/* What we did or saw ourselves (create, delete, scan). */
void	nl_gifs_set(struct nl_gifs *, int unit, enum nl_gif_state);
void	nl_gifs_set_all(struct nl_gifs *, enum nl_gif_state);
/*
 * One RTM_NEWLINK / RTM_DELLINK.  Returns 1 and fills link when it was
 * about a gif, 0 when ignored, -1 (and why) when malformed.
 */
int	nl_gifs_note(struct nl_gifs *, const struct nl_view *,
	    struct nl_link *, const char **why);
/* The same for a link already parsed (from a dump, deleted = 0). */
int	nl_gifs_link(struct nl_gifs *, const struct nl_link *, int deleted);
/*
 * Before replaying a full link dump (after lost notifications): every
 * unit known or touched is taken as gone unless the dump shows it.
 */
void	nl_gifs_resync(struct nl_gifs *);
/* Reports the net changes and forgets the touched set.  Returns count. */
size_t	nl_gifs_flush(struct nl_gifs *, kern_event_cb, void *);

/*
 * The routes of other owners (any protocol but NL_PROTO) in our table,
 * so that a route add asks "is this prefix held by someone else?" at the
 * cost of one hash look-up, never a dump of the table.  Filled from a
 * dump at start-up (and after lost notifications), then kept by the route
 * notifications.  Keyed by prefix and metric, as the kernel keys its
 * routes (a replace swaps the route of one prefix and metric).  IPv4
 * routes the kernel flushes without a notification (a link going down)
 * stay here until the next dump: the prefix is then left alone a while
 * longer, which is the safe side.
 */
struct nl_foreign_route;

struct nl_foreign {
	uint32_t		  table;
	struct nl_foreign_route	**buckets;
	int			  bits;		/* 2^bits buckets; 0: none */
	size_t			  count;
	uint64_t		  mul;		/* the hash's random key */
	uint64_t		  add;
};

void	nl_foreign_init(struct nl_foreign *, uint32_t table);
void	nl_foreign_clear(struct nl_foreign *);
/*
 * One route from a dump (deleted 0) or a notification.  Routes of other
 * families or tables are ignored.  0, or ENOMEM (the route is then not
 * known: the caller should dump again).
 */
int	nl_foreign_route(struct nl_foreign *, const struct nl_route *,
	    int deleted);
/*
 * One RTM_NEWROUTE / RTM_DELROUTE notification: 1 when it was about a
 * route (whatever it changed), 0 for other messages, -1 (and why) when
 * malformed or memory ran out.
 */
int	nl_foreign_note(struct nl_foreign *, const struct nl_view *,
	    const char **why);
/*
 * 1 when another owner has a route for dst/len at any metric (its
 * protocol in *protocol unless NULL), else 0.
 */
int	nl_foreign_held(const struct nl_foreign *, uint32_t dst, int len,
	    int *protocol);

#endif /* NETLINK_H */
