/*
 * Inside the mesh: shared by mesh.c (wanted tables), reconcile.c (kernel
 * work) and adopt.c (reading the kernel back).  Not for other modules.
 */
#ifndef MESH_IMPL_H
#define MESH_IMPL_H

#include "feed.h"
#include "mesh.h"
#include "tunnels.h"

struct ptree;

/* struct route flags */
#define ROUTE_DIRTY	0x01	/* on the reconciler's work list */
#define ROUTE_SEEN	0x02	/* found by the current kernel scan */
#define ROUTE_HELD	0x04	/* prefix held by another owner's route */

/*
 * A route is wanted while want is set; it is in the kernel while inst is
 * set.  Each of the two pointers holds a reference on its tunnel, so a
 * tunnel outlives every kernel route through it.
 */
struct route {
	uint32_t	 addr;
	uint8_t		 len;
	uint8_t		 flags;
	uint8_t		 failures;
	uint32_t	 heard;		/* mesh clock; only moves forward */
	uint32_t	 retry_at;	/* mesh clock; 0 when not waiting */
	struct tunnel	*want;
	struct tunnel	*inst;
};

/*
 * Where the routes live, and how one is found by prefix.  Each route has
 * a number: routes sit in chunks that never move (a free one keeps the
 * number + 1 of the next free one in addr), and the index is a hash
 * table of 32-bit slots, half the size of pointers: 0 for an empty slot,
 * else 8 bits of the prefix's hash (the tag) over 24 of route number + 1.
 * Open addressing with linear probing, at most half full; the hash takes
 * a random key, so that nobody can send prefixes that collide.  The trie
 * holds the same routes in order, for the walks.
 */
struct route_store {
	struct route	**chunks;
	uint32_t	  nchunks;
	uint32_t	  chunkcap;	/* slots in chunks[] */
	uint32_t	  used;		/* numbers handed out so far */
	uint32_t	  freelist;	/* number + 1 of a free route, or 0 */
	uint32_t	 *slots;	/* tag and route number + 1, or 0 */
	int		  slotbits;	/* 2^slotbits slots; 0 before any */
	size_t		  count;	/* routes in use */
	uint64_t	  mul;		/* the hash's key */
	uint64_t	  add;
	size_t		  bytes;	/* chunks, chunk list and slots */
};

void		 route_store_init(struct route_store *);
void		 route_store_destroy(struct route_store *);
/* addr must be masked to len.  NULL when absent. */
struct route	*route_store_find(const struct route_store *, uint32_t addr,
		    int len);
/* A new, zeroed route at addr/len (masked), indexed; NULL (errno) when
 * memory or route numbers are out. */
struct route	*route_store_add(struct route_store *, uint32_t addr, int len);
void		 route_store_remove(struct route_store *, struct route *);
/* Starts loading the index slot of addr/len into the cache. */
void		 route_store_prefetch(const struct route_store *,
		    uint32_t addr, int len);

/* A duplicate gif found at start-up, deleted once its routes moved. */
struct stray {
	int		unit;
	uint32_t	remote;
};

/* A growable list of pending work. */
struct worklist {
	void		**items;
	size_t		  count;
	size_t		  cap;
};

/* What one reconcile pass did, summarised in one line. */
struct mesh_pass {
	unsigned long	tunnels_added;
	unsigned long	tunnels_deleted;
	unsigned long	routes_added;
	unsigned long	routes_changed;
	unsigned long	routes_deleted;
	unsigned long	failed;
};

struct mesh {
	struct mesh_config	 cfg;
	const struct kern_ops	*kern;
	void			*kctx;

	struct ptree		*routes;	/* in order, for walks */
	struct route_store	 store;		/* by prefix */
	size_t			 nwanted;	/* routes with want set */
	struct tunnels		 tunnels;

	struct worklist		 rdirty;	/* struct route * */
	struct worklist		 tdirty;	/* struct tunnel * */
	struct stray		*strays;	/* duplicate gifs to delete */
	size_t			 nstrays;

	time_t			 epoch;		/* mesh clock 0 */
	int			 have_epoch;
	uint32_t		 next_expiry;	/* mesh clock; 0 none */
	uint32_t		 route_expiry;	/* a route's, of those */
	uint32_t		 oldest_heard;	/* no route heard before; 0 */
	struct feed		 feed;

	unsigned long		 generation;
	unsigned long		 ops;
	unsigned long		 errors;
	size_t			 newtunnels;	/* made since the last pass */
	struct mesh_pass	 pass;		/* this pass, for its summary */
	unsigned long		 held;		/* others' prefixes */
	mesh_observer		 observer;	/* mesh_set_observer() */
	void			*observer_arg;
};

/*
 * Mesh clock: seconds since the hard limit (-X) before the first time
 * seen, so that a route heard that long ago (an encap file's time) can be
 * told; never 0.
 */
uint32_t	mesh_clock(struct mesh *, time_t);
int		worklist_push(struct worklist *, void *);

void		mesh_route_dirty(struct mesh *, struct route *);
void		mesh_tunnel_dirty(struct mesh *, struct tunnel *);
void		mesh_tunnel_ref(struct mesh *, struct tunnel *);
void		mesh_tunnel_unref(struct mesh *, struct tunnel *);
/* The kernel lost tunnel t (and so every route through it). */
void		mesh_tunnel_lost(struct mesh *, struct tunnel *);
/* Tells the observer, if any, of a route or tunnel event. */
void		mesh_tell(struct mesh *, enum mesh_event_type, uint32_t addr,
		    int len, uint32_t gateway, uint32_t old_gateway, int unit);
/* The route record at addr/len (host bits ignored), or NULL. */
struct route	*mesh_route_find(const struct mesh *, uint32_t addr, int len);
/* New route record at addr/len; NULL when memory is out. */
struct route	*mesh_route_new(struct mesh *, uint32_t addr, int len);
void		 mesh_route_free(struct mesh *, struct route *);
/* Route becomes wanted via tun (a reference is taken). */
void		 mesh_route_want(struct mesh *, struct route *, struct tunnel *,
		    uint32_t heard);

#endif /* MESH_IMPL_H */
