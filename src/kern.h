/*
 * The kernel interface: the few operations the reconciler needs.  One
 * implementation per platform (kern_linux.c, kern_openbsd.c, chosen at
 * build time, exported as kern_sys_ops) and a dry-run one (kern_dry.c,
 * kern_dry_ops) that changes nothing.  The reconciler only ever sees this
 * table and an opaque context.
 *
 * Every operation returns 0 or an errno value; none exits.  Addresses are
 * host order.  A tunnel is named by its gif unit N ("gifN" on both
 * platforms) and, while it exists, by its interface index: a unit may be
 * destroyed and made again, and only the index tells the two apart.
 *
 * Ownership: every tunnel we make carries our mark (OpenBSD: the interface
 * description; Linux: the interface alias), every route our priority
 * (OpenBSD) or protocol (Linux).  What carries neither is somebody else's.
 */
#ifndef KERN_H
#define KERN_H

#include <stddef.h>
#include <stdint.h>

struct kern_tunnel {
	int		unit;
	uint32_t	local;		/* our public endpoint */
	uint32_t	remote;		/* the gateway; 0 = any (catch-all) */
	int		rdomain;	/* interface domain (-D) */
	int		tunneldomain;	/* tunnel domain (-T) */
	uint32_t	addr44;		/* our 44 address on it, 0 = none */
	int		up;		/* administratively and link up */
	int		ifindex;	/* from tunnel_add, scan; 0: unknown */
	int		marked;		/* carries our mark */
	int		mtu;		/* KERN_TUN_MTU; 0: as is */
};

/* What tunnel_modify changes on an existing tunnel (bits). */
#define KERN_TUN_ADDR44	0x01	/* add addr44 again (no delete) */
#define KERN_TUN_MARK	0x02	/* set our ownership mark */
#define KERN_TUN_LOCAL	0x04	/* new local endpoint (same remote) */
#define KERN_TUN_MTU	0x08	/* set mtu (when > 0) */

/* The description (OpenBSD) or alias (Linux) that marks a tunnel ours. */
#define KERN_TUNNEL_MARK	"44meshd"

struct kern_route {
	uint32_t	addr;
	int		len;
	int		unit;		/* gif unit it points at */
	int		rdomain;
};

enum kern_event_type {
	KERN_EV_GONE,			/* interface destroyed */
	KERN_EV_DOWN,			/* interface brought down */
	KERN_EV_UP,			/* interface back up */
	KERN_EV_NEW			/* interface made (by anybody) */
};

/*
 * ifindex names the interface the event was about: events for an index
 * that is not the tunnel's current one (a gif destroyed and made again
 * before its events were read) are stale.  0 when the backend cannot tell.
 */
struct kern_event {
	enum kern_event_type	type;
	int			unit;
	int			ifindex;
};

struct kern_config {
	int		rdomain;	/* -D */
	int		tunneldomain;	/* -T */
	int		priority;	/* -R (OpenBSD); 0: default */
};

typedef void	(*kern_tunnel_cb)(void *arg, const struct kern_tunnel *);
typedef void	(*kern_route_cb)(void *arg, const struct kern_route *);
typedef void	(*kern_event_cb)(void *arg, const struct kern_event *);

struct kern_ops {
	const char	*name;
	/*
	 * Opens what the backend needs (sockets).  Returns a context, or NULL
	 * with a message in err (errlen bytes) when it cannot start.
	 */
	void	*(*open)(const struct kern_config *, char *err, size_t errlen);
	void	 (*close)(void *ctx);

	/* Makes the tunnel, marked as ours; sets t->ifindex. */
	int	 (*tunnel_add)(void *ctx, struct kern_tunnel *t);
	int	 (*tunnel_delete)(void *ctx, int unit);
	/* Changes what the KERN_TUN_* bits of what name on existing gifN. */
	int	 (*tunnel_modify)(void *ctx, const struct kern_tunnel *,
		    unsigned int what);
	/*
	 * EEXIST: a route of ours is there already.  EADDRINUSE: the prefix
	 * is held by a route of another owner (OpenBSD: another priority),
	 * which is left as it is.
	 */
	int	 (*route_add)(void *ctx, const struct kern_route *);
	int	 (*route_change)(void *ctx, const struct kern_route *);
	int	 (*route_delete)(void *ctx, const struct kern_route *);

	/*
	 * Reports every gif tunnel that exists (whoever made it), then every
	 * route of ours in the interface domain whose gateway is a gif: all
	 * tunnels come before the first route.
	 */
	int	 (*scan)(void *ctx, kern_tunnel_cb, kern_route_cb, void *arg);

	/*
	 * A descriptor that becomes readable when the kernel reports changes
	 * to interfaces, or -1 if the backend has none; events() reads what is
	 * queued and calls cb for each gif that changed.
	 */
	int	 (*event_fd)(void *ctx);
	int	 (*events)(void *ctx, kern_event_cb cb, void *arg);
};

extern const struct kern_ops	kern_sys_ops;
extern const struct kern_ops	kern_dry_ops;

/*
 * Platform defaults: the address of the interface holding the default
 * route in the tunnel domain (-L) and the first 44/8 address in the
 * interface domain (-l).  0, or an errno value when not found.
 */
int	kern_sys_find_local(const struct kern_config *, uint32_t *);
int	kern_sys_find_addr44(const struct kern_config *, uint32_t *);

#endif /* KERN_H */
