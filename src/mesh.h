/*
 * The mesh: the wanted tables (routes in a PATRICIA trie, tunnels keyed by
 * remote endpoint with gif units from a bitmap) and the reconciler that
 * brings the kernel in step with them through a struct kern_ops.
 *
 * Changes to the wanted state only mark entries dirty; mesh_reconcile()
 * turns the dirty set into kernel operations, so an unchanged table costs
 * no kernel work and the cost of a pass is proportional to what changed.
 */
#ifndef MESH_H
#define MESH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "kern.h"
#include "reason.h"

#define MESH_MAX_UNIT		65535
#define MESH_DEFAULT_EXPIRY	900
#define MESH_DEFAULT_HARDEXPIRY	604800	/* 7 days */
/* A few times the real table (about 1,000 routes via 350 gateways). */
#define MESH_DEFAULT_MAXROUTES	4096
#define MESH_DEFAULT_MAXTUNNELS	2048
/* A cold start of the real table (353 gateways) fits in one pass. */
#define MESH_DEFAULT_MAXNEW	512
#define MESH_RETRY_MIN		1	/* seconds before the first retry */
#define MESH_RETRY_MAX		300	/* backoff ceiling */
/*
 * -m: 1280 is the least IPv6 allows on a link and the floor of OpenBSD's
 * gif, 8192 its ceiling (gif_ioctl() in sys/net/if_gif.c); Linux ipip
 * takes both.
 */
#define MESH_MTU_MIN		1280
#define MESH_MTU_MAX		8192

struct mesh;

struct mesh_config {
	uint32_t	local;		/* -L: our public endpoint */
	uint32_t	addr44;		/* -l: our 44 address, put on each gif */
	int		rdomain;	/* -D */
	int		tunneldomain;	/* -T */
	time_t		expiry;		/* -x */
	time_t		hardexpiry;	/* -X: even with no feed */
	size_t		maxroutes;	/* -N */
	size_t		maxtunnels;	/* -K */
	size_t		maxnewtunnels;	/* -k: new tunnels per pass */
	int		mtu;		/* -m: of every tunnel; 0: as made */
	int		log_ops;	/* log kernel changes: a summary per
					 * pass at info, each one at debug */
};

struct mesh_stats {
	size_t		routes;		/* wanted routes */
	size_t		tunnels;	/* tunnels in use or being made */
	size_t		pending;	/* entries waiting for kernel work */
	unsigned long	kernel_ops;	/* operations that succeeded */
	unsigned long	kernel_errors;	/* operations that failed */
	unsigned long	routes_held;	/* refused: another owner's */
};

/* The feed of broadcasts, for the status line (see feed.h). */
struct mesh_feed_view {
	int		quiet;		/* no datagram for two cycles */
	time_t		since;		/* quiet: last datagram (or start) */
	time_t		last;		/* last accepted datagram; 0 never */
	unsigned long	complete;	/* complete broadcasts */
	unsigned long	partial;	/* bursts too small to count */
	time_t		heard_since;	/* every route heard since; 0 none */
};

/* One wanted route, as the report and the encap file see it. */
struct mesh_route_view {
	uint32_t	addr;
	int		len;
	uint32_t	gateway;
	int		unit;		/* -1 while no unit is assigned */
	int		installed;	/* the kernel has it via that unit */
	time_t		heard;		/* last heard, on the caller's clock */
};

/* One tunnel, as the control socket shows it (mesh_walk_tunnels()). */
struct mesh_tunnel_view {
	uint32_t	remote;
	int		unit;		/* -1 while no unit is assigned */
	size_t		routes;		/* wanted routes through it */
	int		installed;	/* exists in the kernel */
	int		reserved;	/* an operator's gif (-s) */
	int		broken;		/* brought down behind our back */
	int		pinned;		/* kept with no route (-G) */
	int		pending;	/* waiting for kernel work */
	unsigned int	failures;	/* consecutive failed operations */
	time_t		retry_at;	/* caller's clock; 0 when not waiting */
};

/* The last complete broadcast (mesh_get_broadcast()). */
struct mesh_broadcast_view {
	time_t		start;		/* its first datagram; 0 none yet */
	unsigned int	datagrams;
	unsigned long	entries;	/* route entries it carried */
};

/*
 * What the observer (mesh_set_observer()) is told, as it is decided:
 * a route added, moved to another gateway, expired or withdrawn; a
 * tunnel made or removed in the kernel; a burst of refused entries
 * (told by ingest through mesh_notify()).
 */
enum mesh_event_type {
	MESH_EV_ROUTE_ADDED = 1,
	MESH_EV_ROUTE_MOVED,
	MESH_EV_ROUTE_EXPIRED,
	MESH_EV_ROUTE_WITHDRAWN,
	MESH_EV_TUNNEL_MADE,
	MESH_EV_TUNNEL_REMOVED,
	MESH_EV_REFUSALS
};

struct mesh_event {
	enum mesh_event_type	type;
	uint32_t		addr;		/* routes; refusals: the first */
	int			len;		/* -1 when none */
	uint32_t		gateway;	/* route's or tunnel's remote */
	uint32_t		old_gateway;	/* MOVED: where it was */
	int			unit;		/* tunnels: gif unit */
	unsigned long		count;		/* REFUSALS: how many */
	enum reason		why;		/* REFUSALS: the first's */
	uint32_t		source;		/* REFUSALS: datagram source */
};

typedef void	(*mesh_observer)(void *, const struct mesh_event *);

void		 mesh_config_init(struct mesh_config *);
struct mesh	*mesh_new(const struct mesh_config *, const struct kern_ops *,
		    void *kctx);
void		 mesh_free(struct mesh *);
/*
 * Starts the mesh clock and the feed's watch for silence at now; without
 * it they start at the first time given, which may be an old file's.
 */
void		 mesh_start(struct mesh *, time_t now);
/* Set the public endpoint late (replay learns it from the capture). */
void		 mesh_set_local(struct mesh *, uint32_t local);
/*
 * Our public endpoint changed (-L not given; the daemon follows it): the
 * next pass gives every installed tunnel of ours the new local end in
 * place, one tunnel_modify each (nothing deleted or made again, no route
 * touched); reserved gifs keep theirs, and tunnels not made yet are made
 * with it.  Routes via the new address, which is us now, are withdrawn.
 * Returns how many tunnels will change.
 */
size_t		 mesh_follow_local(struct mesh *, uint32_t local);

/* Reserve a gif unit (-s): never allocated, created or deleted by us.
 * Returns -1 for a unit out of range. */
int		 mesh_reserve(struct mesh *, int unit);

/*
 * Start-up adoption: reads what the kernel holds and takes over what
 * matches (our tunnels by remote, our routes via them, reserved gifs that
 * tunnel to a remote) as installed, and the routes as just heard, so that
 * a restart neither deletes nor re-adds anything.  Every existing gif unit
 * that is not adopted is kept out of the allocator.  Returns 0 or the
 * scan's errno.
 */
int		 mesh_adopt(struct mesh *, time_t now);
/*
 * Repair: compares the kernel with what we believe is installed and marks
 * whatever is missing for re-creation (SIGHUP).  Returns 0 or errno.
 */
int		 mesh_rescan(struct mesh *, time_t now);
/* An interface changed behind our back. */
void		 mesh_kernel_event(struct mesh *, const struct kern_event *);

/*
 * A route was heard (or loaded from a file): prefix via gateway.  Returns
 * R_NONE, R_ROUTECAP, R_TUNNELCAP, or R_TUNNELRATE when the gateway is
 * new and this pass has already made maxnewtunnels new tunnels.
 */
enum reason	 mesh_heard(struct mesh *, uint32_t addr, int len,
		    uint32_t gateway, time_t now);
/*
 * A hint before mesh_heard() or mesh_withdraw() for this prefix: starts
 * loading what its lookup reads first, so that calls for all of a
 * datagram's entries, made before the first is used, overlap their cache
 * misses.  Changes nothing.
 */
void		 mesh_prefetch(const struct mesh *, uint32_t addr, int len);
/* Metric 16: the route goes at once.  Returns 1 when it was wanted. */
int		 mesh_withdraw(struct mesh *, uint32_t addr, int len);
/*
 * An accepted datagram arrived (before its routes are heard): it belongs
 * to a broadcast, and the feed is live.
 */
void		 mesh_datagram(struct mesh *, time_t now);
/*
 * Expiry (see feed.h for what a complete broadcast is): a route goes
 * when it has not been heard for the expiry time (-x) and a complete
 * broadcast began after it was last heard, or when it has not been heard
 * for the hard limit (-X), feed or no feed.  Also notes a broadcast that
 * ended and the feed going quiet.  Returns how many routes went.
 */
size_t		 mesh_expire(struct mesh *, time_t now);
void		 mesh_get_feed(const struct mesh *, struct mesh_feed_view *);

/*
 * A tunnel that must exist though no route uses it: the one to amprgw
 * (-G) when the operator has made none, so that its broadcasts have a
 * tunnel to arrive through.  Pinning holds one reference, so the tunnel
 * is made by the next pass like any other (ours, marked as ours) and
 * never goes while pinned; unpinning drops it, and the tunnel goes when
 * no route uses it either.  Pinning twice is one pin.  0, or -1 with
 * errno ENOSPC or ENOMEM.
 */
int		 mesh_pin_tunnel(struct mesh *, uint32_t remote);
void		 mesh_unpin_tunnel(struct mesh *, uint32_t remote);
/* The gif unit of our own tunnel to remote (not a reserved one) or -1. */
int		 mesh_own_tunnel_unit(const struct mesh *, uint32_t remote);

/* Turns pending changes and due retries into kernel operations. */
void		 mesh_reconcile(struct mesh *, time_t now);
/* When mesh_expire() or mesh_reconcile() next has work; 0 for never. */
time_t		 mesh_next_event(const struct mesh *);

void		 mesh_get_stats(const struct mesh *, struct mesh_stats *);
/* Bytes held by the tables (benchmarks). */
size_t		 mesh_memory(const struct mesh *);
/* Bumped whenever the wanted table changes (for the encap file). */
unsigned long	 mesh_generation(const struct mesh *);
/* Wanted routes in ascending address, then length. */
void		 mesh_foreach(const struct mesh *,
		    void (*)(void *, const struct mesh_route_view *), void *);
/* The wanted route at exactly addr/len: 1, or 0 when there is none. */
int		 mesh_find_route(const struct mesh *, uint32_t addr, int len,
		    struct mesh_route_view *);
/*
 * The wanted route that carries traffic to addr (longest-prefix match,
 * skipping routes on their way out): 1, or 0 when none covers it.
 */
int		 mesh_lookup(const struct mesh *, uint32_t addr,
		    struct mesh_route_view *);
/*
 * Every tunnel, in no particular order.  Returns 0, or -1 (errno
 * ENOMEM) when the route counts could not be made.
 */
int		 mesh_walk_tunnels(const struct mesh *,
		    void (*)(void *, const struct mesh_tunnel_view *), void *);
void		 mesh_get_broadcast(const struct mesh *,
		    struct mesh_broadcast_view *);
/* Route entries an accepted datagram carried (for mesh_get_broadcast()). */
void		 mesh_entries(struct mesh *, unsigned long);

/*
 * One observer of the mesh's decisions (NULL: none), called as each is
 * made; it must not call back into the mesh.  mesh_notify() passes it
 * an event from outside (ingest's refusals).
 */
void		 mesh_set_observer(struct mesh *, mesh_observer, void *);
void		 mesh_notify(struct mesh *, const struct mesh_event *);

#endif /* MESH_H */
