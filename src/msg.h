/*
 * The records between the parent and the network engine: one fixed-size
 * struct msg_record per SOCK_SEQPACKET message, so the kernel keeps the
 * boundaries and there is no framing to get wrong.
 *
 * The engine sends what it heard: a datagram refused by its arrival
 * (MSG_ARRIVAL) or whole (MSG_REFUSED), or one accepted (MSG_DATAGRAM,
 * saying how many entries follow), its entries one record each
 * (MSG_ENTRY used, MSG_ENTRY_REFUSED with the reason) and MSG_END.  In
 * replay it also sends one MSG_FRAME per frame of the capture and
 * MSG_LOCAL when the capture shows our public address.  The parent
 * sends the engine what it decides arrival and policy by (MSG_SYNC_*,
 * ended by MSG_SYNC_END with a generation the engine then stamps on its
 * records).
 *
 * The parent trusts none of it: msg_parent_record() checks the type,
 * the size, every field's range and the order, decides arrival and
 * policy again itself, and applies a datagram only at its MSG_END, whole.
 * A record that fails changes nothing and asks for the engine's restart.
 */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "listen.h"
#include "policy.h"
#include "rip.h"

#define MSG_NAME_LEN	16	/* IF_NAMESIZE on both platforms */
#define MSG_DRAIN_MAX	1024	/* records a read event; then others */
#define MSG_TIME_SLACK	60	/* seconds a live record may be old */
#define MSG_TIME_AHEAD	1	/* and ahead: stamped after now was read */

enum msg_type {
	MSG_NONE,
	/* Engine to parent. */
	MSG_ARRIVAL,		/* refused by arrival: reason a verdict */
	MSG_REFUSED,		/* refused whole: reason a datagram reason */
	MSG_DATAGRAM,		/* accepted: len entries follow */
	MSG_ENTRY,		/* a used entry: addr/len nexthop metric */
	MSG_ENTRY_REFUSED,	/* an entry refused: reason */
	MSG_END,		/* the datagram is complete */
	MSG_FRAME,		/* replay: a frame read; reason MSG_FRAME_* */
	MSG_LOCAL,		/* replay: our public address is addr */
	/* Parent to engine. */
	MSG_SYNC_IFACE,		/* ifindex name, flags, nexthop = remote */
	MSG_SYNC_ADDR,		/* ifindex addr */
	MSG_SYNC_CONNECTED,	/* addr/len, one of our 44 subnets */
	MSG_SYNC_POLICY,	/* addr = ours, nexthop = our 44 address */
	MSG_SYNC_END,		/* gen: what the engine now decides by */
	MSG_NTYPES
};

/* MSG_FRAME's reason. */
enum msg_frame {
	MSG_FRAME_USED,		/* a RIP44 datagram from amprgw follows */
	MSG_FRAME_SKIPPED,	/* not RIP44 */
	MSG_FRAME_UNTRUSTED,	/* RIP44, not from amprgw */
	MSG_FRAME_NKINDS
};

/* flags */
#define MSGF_ENCAP	0x0001	/* replay: inside IPENCAP from outer_src */
#define MSGF_TUNNEL	0x0002	/* sync: an IPENCAP tunnel */
#define MSGF_CAN_JOIN	0x0004	/* sync: multicast, not the loopback */
#define MSGF_ALL	0x0007

/* Every field host order; a field a type does not use is zero. */
struct msg_record {
	uint32_t	type;		/* enum msg_type */
	uint32_t	gen;		/* the MSG_SYNC_END decided by */
	int64_t		when;		/* arrival: monotonic s, or packet */
	uint32_t	src;		/* datagram source */
	uint32_t	dst;		/* its destination; 0 unknown */
	uint32_t	outer_src;	/* replay, MSGF_ENCAP: IPENCAP source */
	int32_t		ifindex;	/* arrival interface; 0 unknown */
	uint16_t	sport;
	uint16_t	flags;		/* MSGF_* */
	uint32_t	reason;		/* see the types */
	uint32_t	addr;		/* entry prefix, as decided */
	uint32_t	mask;		/* refused entry: the mask as sent */
	int32_t		len;		/* prefix length; MSG_DATAGRAM: count */
	uint32_t	nexthop;
	uint32_t	metric;
	uint32_t	spare;		/* zero: no padding left unsaid */
	char		name[MSG_NAME_LEN];	/* sync: interface name */
};

struct ingest;
struct listen_config;
struct mcast_list;
struct replay_trust;

/* What msg_parent_record() made of a record. */
enum msg_verdict {
	MSG_OK,			/* used (or, decided stale, dropped) */
	MSG_RESTART		/* bad: nothing changed, restart the engine */
};

struct msg_parent {
	struct ingest		*in;
	struct policy		*policy;
	/* Live: the arrival rule, the interfaces as the parent knows them. */
	const struct listen_config *arrival;
	const struct mcast_list	*ifaces;
	const struct replay_trust *trust;	/* replay; NULL live */
	uint32_t		 gen;		/* of the last sync sent */
	/* Replay: called for each frame, with its time and kind. */
	void			(*frame)(void *, time_t, enum msg_frame);
	void			*frame_arg;

	/* The datagram being received, applied at its MSG_END. */
	int			 open;		/* MSG_DATAGRAM seen */
	int			 stale;		/* decided refused: dropped */
	int			 expected;	/* entries it announced */
	int64_t			 when;
	uint32_t		 src;
	uint16_t		 sport;
	struct rip_packet	 pkt;
	int64_t			 last_when;	/* replay: time goes forward */

	unsigned long		 verdicts[LISTEN_NVERDICTS];	/* arrival */
	int			 unknown_iface;	/* one came through: list */
	unsigned long		 records;	/* read */
	unsigned long		 bad;		/* asked for a restart */
	unsigned long		 dropped;	/* decided stale: dropped */
	char			 why[128];	/* the last bad one's fault */
};

/*
 * The parent's side: checks one record of size bytes (as read: a short
 * or long one is bad) and applies it.  now and wall are the parent's own
 * clocks (ignored in replay, where the packet's time is the clock).  On
 * MSG_RESTART p->why says what was wrong.
 */
enum msg_verdict msg_parent_record(struct msg_parent *, const void *rec,
		    size_t size, time_t now, time_t wall);
/* Forgets a datagram left open by an engine that is gone. */
void		 msg_parent_reset(struct msg_parent *);

/*
 * Reads up to max records from fd (non-blocking) into msg_parent_record();
 * the work of one read event is bounded.  Returns the number read (0:
 * none waiting), MSG_READ_END at the end of the stream (the engine is
 * gone), MSG_READ_ERROR with errno, or MSG_READ_BAD when a record asked
 * for the engine's restart (reading stops there).  *more is set when max
 * was reached and more may wait.
 */
#define MSG_READ_ERROR	(-1)
#define MSG_READ_BAD	(-2)
#define MSG_READ_END	(-3)
int		 msg_parent_read(struct msg_parent *, int fd, int max,
		    time_t now, time_t wall, int *more);

/*
 * Writes one record, whole (a peer gone is EPIPE, never SIGPIPE).  0, or
 * -1 with errno (EAGAIN when a non-blocking socket is full).
 */
int		 msg_send(int fd, const struct msg_record *);

/*
 * The clock records are stamped with and checked against, and the
 * daemon's (monotonic: expiry must not jump with the wall clock), in
 * seconds.
 */
time_t		 msg_now(void);

/* The name of a type, for the log. */
const char	*msg_type_name(uint32_t);

#endif /* MSG_H */
