/*
 * Every reason a datagram or an entry can be refused, in one list, so that
 * the decoder, the policy and the tables count into one array and the
 * status report and the rate-limited log name them the same way.
 */
#ifndef REASON_H
#define REASON_H

enum reason {
	R_NONE = 0,

	/* Datagram-level: the whole datagram is dropped. */
	R_SOURCE,		/* source address is not the RIP source (-g) */
	R_SOURCE_PORT,		/* UDP source port is not 520 */
	R_SHORT,		/* shorter than header + one entry */
	R_LENGTH,		/* not 4 + a whole number of 20-byte entries */
	R_TOOMANY,		/* more than 25 entries */
	R_COMMAND,		/* command is not 2 (response) */
	R_VERSION,		/* version is not 2 */
	R_NOAUTH,		/* first entry is not authentication */
	R_AUTHTYPE,		/* authentication type is not 2 (plain text) */
	R_PASSWORD,		/* wrong password */

	/* Entry-level: that entry alone is dropped. */
	R_FAMILY,		/* address family is not 2 (AF_INET) */
	R_NETMASK,		/* netmask is not contiguous */
	R_METRIC,		/* metric 0 or above 16 */
	R_OUTSIDE,		/* prefix outside the accepted space (-a) */
	R_IGNORED,		/* inside an ignored prefix (-I) */
	R_OURS,			/* next hop is our own address (-L): quiet */
	R_LOOP,			/* next hop inside the advertised prefix */
	R_NEXTHOP,		/* next hop not a usable unicast address */
	R_PREFIXLEN,		/* prefix shorter than the minimum (-M) */
	R_AGGREGATE,		/* prefix is a whole accepted prefix (-a) */
	R_SOURCE_ROUTE,		/* prefix holds the RIP source (-g) */
	R_CONNECTED,		/* prefix equals or holds our own 44 subnet */
	R_MORE_SPECIFIC,	/* inside one of our connected 44 subnets */
	R_NEXTHOP_PRIVATE,	/* RFC 1918, CGNAT or link-local next hop */
	R_NEXTHOP_OURS44,	/* next hop is one of our own 44 addresses */
	R_NEXTHOP_SOURCE,	/* next hop is the RIP source (-g) */
	R_NEXTHOP_RECURSIVE,	/* next hop in 44/8 while -D equals -T */
	R_ROUTECAP,		/* route table full (-N) */
	R_TUNNELCAP,		/* tunnel table full (-K) */
	R_TUNNELRATE,		/* too many new tunnels in one pass (-k) */

	R_NREASONS
};

/* Short name for logs and the status report, e.g. "wrong password". */
const char	*reason_name(enum reason);
/* 1 when the reason drops a whole datagram, 0 for a single entry. */
int		 reason_is_datagram(enum reason);

#endif /* REASON_H */
