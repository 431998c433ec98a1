/*
 * Controls of the dry-run backend, for replay, tests and benchmarks.
 *
 * The dry-run backend keeps a model of what a kernel would hold (tunnels by
 * unit, routes by prefix) and answers as a kernel would: EEXIST for an add
 * of something present, ESRCH for a change or delete of a route that is
 * absent, ENXIO for a tunnel delete of an absent unit.  Each operation that
 * succeeds is printed as one line to its output stream.
 *
 * It follows one kernel's rules (kern_dry_set_rules): Linux's by default,
 * or OpenBSD's, where a destroyed gif's events (RTM_IFINFO down, then
 * RTM_IFANNOUNCE departure, both with the old interface index) are only
 * read after the daemon may have made the unit again, and a route through
 * a gif without an IPv4 address fails with EADDRNOTAVAIL.  Under both,
 * interface indexes never repeat, routes of other owners (preset with
 * kern_dry_preset_foreign_route) sit in a slot of their own that we never
 * change or delete, and an add on their prefix answers EADDRINUSE.
 */
#ifndef KERN_DRY_H
#define KERN_DRY_H

#include <stdint.h>
#include <stdio.h>

#include "kern.h"

enum kern_dry_op {
	KERN_DRY_TUNNEL_ADD,
	KERN_DRY_TUNNEL_DELETE,
	KERN_DRY_ROUTE_ADD,
	KERN_DRY_ROUTE_CHANGE,
	KERN_DRY_ROUTE_DELETE,
	KERN_DRY_TUNNEL_MODIFY,
	KERN_DRY_NOPS
};

enum kern_dry_rules {
	KERN_DRY_RULES_LINUX,		/* the default */
	KERN_DRY_RULES_OPENBSD
};

/* Which kernel's rules the model follows. */
void	kern_dry_set_rules(void *ctx, enum kern_dry_rules);

/* Where operation lines go (stdout by default; NULL for nowhere). */
void	kern_dry_set_output(void *ctx, FILE *);
/* Whether to keep the model (on by default); off saves memory in
 * benchmarks, and then every operation succeeds. */
void	kern_dry_set_model(void *ctx, int on);

/*
 * Makes the next count operations of kind op fail with errnum.  unit >= 0
 * restricts it to that unit (tunnel operations and route targets); len >= 0
 * restricts route operations to the prefix addr/len.
 */
void	kern_dry_fail(void *ctx, enum kern_dry_op op, int unit, uint32_t addr,
	    int len, int errnum, int count);

/*
 * Pretend state that exists before start-up (printed nowhere).  A preset
 * tunnel keeps the marked flag it is given (0: made by hand or by an older
 * 44meshd); it gets an interface index when it has none.  A foreign route
 * is another owner's (an operator's static route, the kernel's own): never
 * reported by scan, never changed or deleted by our operations.
 */
void	kern_dry_preset_tunnel(void *ctx, const struct kern_tunnel *);
void	kern_dry_preset_route(void *ctx, const struct kern_route *);
void	kern_dry_preset_foreign_route(void *ctx, const struct kern_route *);
/* 1 when a foreign route holds addr/len; fills r (may be NULL). */
int	kern_dry_get_foreign_route(void *ctx, uint32_t addr, int len,
	    struct kern_route *r);

/* Somebody else destroyed gifN: drop it and its routes from the model and
 * queue a KERN_EV_GONE event for events(). */
void	kern_dry_vanish(void *ctx, int unit);
/* "ifconfig gifN create ..." by hand: the tunnel appears (with a new
 * index) and KERN_EV_NEW is queued. */
void	kern_dry_appear(void *ctx, const struct kern_tunnel *);
/* "ifconfig gifN down" by hand: queues KERN_EV_DOWN with its index. */
void	kern_dry_bring_down(void *ctx, int unit);
/* "route delete" by hand of addr/len: ours, or if we have none there,
 * another owner's. */
void	kern_dry_drop_route(void *ctx, uint32_t addr, int len);

/* Model queries for tests.  Return 1 and fill the struct when present. */
int	kern_dry_get_tunnel(void *ctx, int unit, struct kern_tunnel *);
int	kern_dry_get_route(void *ctx, uint32_t addr, int len,
	    struct kern_route *);
size_t	kern_dry_ntunnels(void *ctx);
size_t	kern_dry_nroutes(void *ctx);
/* Successful operations of each kind so far. */
unsigned long	kern_dry_count(void *ctx, enum kern_dry_op);

#endif /* KERN_DRY_H */
