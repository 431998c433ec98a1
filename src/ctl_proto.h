/*
 * The control socket's wire protocol, shared by 44meshd (src/control.c)
 * and 44meshctl (ctl/).  A SOCK_SEQPACKET Unix socket: the kernel keeps
 * each record whole, so every record is one send and one receive, and its
 * size alone says whether it is whole.  Both ends run on one host and are
 * built from one tree: numbers are in host order, and the version field
 * refuses a tool of another build.
 *
 * A client sends one struct ctl_request at a time.  The daemon answers a
 * show request with zero or more data records and one CTL_REP_END; a
 * change with CTL_REP_OK or CTL_REP_ERROR; "monitor" with CTL_REP_OK and
 * then one CTL_REP_EVENT per change until the client goes.  A malformed
 * request gets CTL_REP_ERROR and the connection is closed.
 */
#ifndef CTL_PROTO_H
#define CTL_PROTO_H

#include <stdint.h>

#define CTL_VERSION	1
#define CTL_NAME_MAX	48	/* reason and verdict names, NUL included */
#define CTL_TEXT_MAX	160	/* error messages, NUL included */
/* No record is larger: a receive buffer of this size holds any one. */
#define CTL_RECORD_MAX	512

enum ctl_request_type {
	CTL_REQ_SUMMARY = 1,	/* summary, counters, END */
	CTL_REQ_ROUTES,		/* routes, END */
	CTL_REQ_TUNNELS,	/* tunnels, END */
	CTL_REQ_REFUSALS,	/* counters, refusals, END */
	CTL_REQ_MONITOR,	/* OK, then events */
	CTL_REQ_RELOAD,		/* root only: what SIGHUP does */
	CTL_REQ_LOG		/* root only: level brief or verbose */
};

/* ctl_request.select */
#define CTL_SEL_ALL	0	/* every route or tunnel */
#define CTL_SEL_PREFIX	1	/* routes: exactly addr/len */
#define CTL_SEL_ADDRESS	2	/* routes: longest-prefix match of addr */
#define CTL_SEL_GATEWAY	3	/* tunnels: the one to addr */

/* ctl_request.level */
#define CTL_LOG_BRIEF	0	/* as without -v */
#define CTL_LOG_VERBOSE	1	/* as -v: debug lines too */

struct ctl_request {
	uint32_t	version;	/* CTL_VERSION */
	uint32_t	type;		/* enum ctl_request_type */
	uint32_t	select;		/* CTL_SEL_*; ALL for other types */
	uint32_t	addr;		/* PREFIX (host bits clear), ADDRESS,
					 * GATEWAY; else 0 */
	int32_t		len;		/* PREFIX: 0..32; ADDRESS 32; else 0 */
	int32_t		level;		/* LOG: CTL_LOG_*; else 0 */
	uint32_t	reserved[2];	/* must be 0 */
};

enum ctl_reply_type {
	CTL_REP_END = 1,	/* struct ctl_hdr: a show reply is whole */
	CTL_REP_OK,		/* struct ctl_hdr */
	CTL_REP_ERROR,		/* struct ctl_error */
	CTL_REP_SUMMARY,	/* struct ctl_summary */
	CTL_REP_COUNTER,	/* struct ctl_counter */
	CTL_REP_ROUTE,		/* struct ctl_route */
	CTL_REP_TUNNEL,		/* struct ctl_tunnel */
	CTL_REP_REFUSAL,	/* struct ctl_refusal */
	CTL_REP_EVENT		/* struct ctl_event */
};

struct ctl_hdr {
	uint32_t	version;	/* CTL_VERSION */
	uint32_t	type;		/* enum ctl_reply_type */
};

/* ctl_error.code */
#define CTL_ERR_MALFORMED	1	/* the connection is closed after it */
#define CTL_ERR_DENIED		2	/* changes: root on the -c socket */
#define CTL_ERR_NOTFOUND	3	/* no such route or tunnel */
#define CTL_ERR_FAILED		4	/* the daemon could not answer */

struct ctl_error {
	struct ctl_hdr	hdr;
	uint32_t	code;
	char		text[CTL_TEXT_MAX];	/* NUL-terminated */
};

/*
 * Times: "_age" fields are seconds before the reply was made, -1 for
 * never; wall-clock fields are seconds since the epoch, 0 for never.
 */
struct ctl_summary {
	struct ctl_hdr	hdr;
	uint32_t	local;		/* our public address (-L) */
	uint32_t	addr44;		/* our 44 address (-l) */
	uint32_t	amprgw;		/* -G */
	int32_t		rdomain;	/* -D */
	int32_t		tunneldomain;	/* -T */
	int32_t		dryrun;		/* -n */
	int32_t		verbose;	/* log level now */
	int32_t		feed_alive;	/* 0: no datagram for two cycles */
	uint64_t	routes;
	uint64_t	tunnels;
	uint64_t	pending;	/* routes and tunnels waiting */
	uint64_t	kernel_ops;
	uint64_t	kernel_errors;
	uint64_t	routes_held;	/* prefixes another owner holds */
	uint64_t	datagrams;	/* fed in */
	uint64_t	accepted;
	uint64_t	refused;	/* whole datagrams */
	uint64_t	entries;	/* route entries used */
	uint64_t	entries_refused;
	uint64_t	broadcasts;	/* complete broadcasts */
	uint64_t	partial;	/* bursts too small to count */
	int64_t		last_accepted;	/* wall clock */
	int64_t		last_accepted_age;
	int64_t		feed_quiet_age;	/* quiet: since the last datagram */
	int64_t		broadcast_age;	/* the last complete broadcast */
	uint64_t	broadcast_datagrams;
	uint64_t	broadcast_entries;
	int64_t		uptime;		/* seconds since start-up */
	int64_t		engine_pid;	/* the process reading the network */
	int64_t		engine_age;	/* since it started */
	uint64_t	engine_restarts;
	char		engine_exit[CTL_NAME_MAX];	/* last exit; "" */
	char		backend[16];	/* kernel backend: "dry run", ... */
};

/* ctl_counter.kind */
#define CTL_COUNT_DATAGRAM	1	/* datagrams refused for a reason */
#define CTL_COUNT_ENTRY		2	/* entries refused for a reason */
#define CTL_COUNT_LISTENER	3	/* datagrams refused before reading */

struct ctl_counter {
	struct ctl_hdr	hdr;
	uint32_t	kind;		/* CTL_COUNT_* */
	uint32_t	reserved;
	uint64_t	count;
	char		name[CTL_NAME_MAX];	/* NUL-terminated */
};

/* ctl_route.flags */
#define CTL_ROUTE_INSTALLED	0x01	/* else pending */

struct ctl_route {
	struct ctl_hdr	hdr;
	uint32_t	addr;
	int32_t		len;
	uint32_t	gateway;
	int32_t		unit;		/* -1 none yet */
	uint32_t	flags;
	uint32_t	reserved;
	int64_t		heard_age;
};

/* ctl_tunnel.flags */
#define CTL_TUN_INSTALLED	0x01
#define CTL_TUN_RESERVED	0x02	/* the operator's (-s) */
#define CTL_TUN_BROKEN		0x04
#define CTL_TUN_PINNED		0x08	/* ours to amprgw, no route */
#define CTL_TUN_PENDING		0x10

struct ctl_tunnel {
	struct ctl_hdr	hdr;
	uint32_t	remote;
	int32_t		unit;		/* -1 none yet */
	uint64_t	routes;		/* wanted routes through it */
	uint32_t	flags;
	uint32_t	failures;	/* consecutive failed operations */
	int64_t		retry_in;	/* seconds; -1 not waiting */
};

/* ctl_refusal.len beyond 0..32 */
#define CTL_LEN_NOMASK		(-1)	/* netmask not contiguous: mask */
#define CTL_LEN_DATAGRAM	(-2)	/* the whole datagram */

struct ctl_refusal {
	struct ctl_hdr	hdr;
	int64_t		when;		/* wall clock */
	uint32_t	source;
	uint32_t	addr;
	int32_t		len;
	uint32_t	mask;
	uint32_t	gateway;
	uint32_t	reserved;
	char		reason[CTL_NAME_MAX];	/* NUL-terminated */
};

/* ctl_event.what */
#define CTL_EV_ROUTE_ADDED	1
#define CTL_EV_ROUTE_MOVED	2
#define CTL_EV_ROUTE_EXPIRED	3
#define CTL_EV_ROUTE_WITHDRAWN	4
#define CTL_EV_TUNNEL_MADE	5
#define CTL_EV_TUNNEL_REMOVED	6
#define CTL_EV_REFUSALS		7

struct ctl_event {
	struct ctl_hdr	hdr;
	int64_t		when;		/* wall clock */
	uint32_t	what;		/* CTL_EV_* */
	uint32_t	addr;		/* routes; refusals: the first */
	int32_t		len;		/* -1 none; refusals as ctl_refusal */
	uint32_t	gateway;
	uint32_t	old_gateway;	/* MOVED */
	int32_t		unit;
	uint32_t	source;		/* REFUSALS */
	uint32_t	reserved;
	uint64_t	count;		/* REFUSALS */
	char		reason[CTL_NAME_MAX];	/* REFUSALS */
};

#endif /* CTL_PROTO_H */
