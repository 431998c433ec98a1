/*
 * The tunnel table: one tunnel per remote gateway, keyed by its public
 * address, reference counted by the routes that use it, each with a gif
 * unit from the unit bitmap.
 */
#ifndef TUNNELS_H
#define TUNNELS_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "unitmap.h"

/* struct tunnel flags */
#define TUN_INSTALLED	0x01	/* exists in the kernel as gif<unit> */
#define TUN_RESERVED	0x02	/* an operator's gif (-s): never touched */
#define TUN_DIRTY	0x04	/* on the reconciler's work list */
#define TUN_SEEN	0x08	/* found by the current kernel scan */
#define TUN_BROKEN	0x10	/* brought down behind our back: remake */
#define TUN_UNMARKED	0x20	/* adopted without our mark: mark it */
#define TUN_NOADDR	0x40	/* lacks our 44 address: add it again */
#define TUN_WAITING	0x80	/* reserved unit gone: wait for it */
#define TUN_PINNED	0x100	/* kept with no route (mesh_pin_tunnel) */
#define TUN_MTU		0x200	/* ours with another MTU than -m: set it */
#define TUN_LOCAL	0x400	/* our public address changed: follow it */
/* What tunnel_fix() mends in place on an installed tunnel. */
#define TUN_FIXES	(TUN_UNMARKED | TUN_NOADDR | TUN_MTU | TUN_LOCAL)

struct tunnel {
	uint32_t	 remote;
	int32_t		 unit;		/* -1 until one is assigned */
	int32_t		 ifindex;	/* of gif<unit>; 0 unknown */
	uint32_t	 refs;		/* routes wanting or using it */
	uint16_t	 flags;
	uint8_t		 failures;	/* consecutive failed operations */
	uint32_t	 retry_at;	/* mesh clock; 0 when not waiting */
	struct tunnel	*hash_next;
};

struct tunnels {
	struct pool	  pool;
	struct tunnel	**buckets;
	size_t		  nbuckets;	/* power of two */
	int		  bucketbits;	/* nbuckets is 2^bucketbits */
	uint64_t	  mul;		/* the hash's random key */
	uint64_t	  add;
	size_t		  count;
	size_t		  max;
	struct tunnel	**byunit;	/* index by unit, grown on demand */
	size_t		  nbyunit;
	struct unitmap	  units;
};

void		 tunnels_init(struct tunnels *, size_t max);
void		 tunnels_destroy(struct tunnels *);
struct tunnel	*tunnels_find(const struct tunnels *, uint32_t remote);
struct tunnel	*tunnels_by_unit(const struct tunnels *, int unit);
/* Finds or creates the tunnel to remote; NULL when the table is full or
 * memory is out (errno ENOSPC or ENOMEM). */
struct tunnel	*tunnels_get(struct tunnels *, uint32_t remote);
/* Gives the tunnel a unit: the given one (adoption), or the lowest free
 * one when unit is -1.  -1 when no unit is free or the unit is invalid. */
int		 tunnels_set_unit(struct tunnels *, struct tunnel *, int unit);
/* Removes an unused tunnel and releases its unit. */
void		 tunnels_free(struct tunnels *, struct tunnel *);
/* Calls fn on every tunnel (in no particular order); fn may not free. */
void		 tunnels_foreach(struct tunnels *,
		    void (*fn)(void *, struct tunnel *), void *);
size_t		 tunnels_memory(const struct tunnels *);

#endif /* TUNNELS_H */
