/*
 * What 44meshd accepts: which sources, which prefixes, which next hops.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stdint.h>

#include "addr.h"
#include "reason.h"
#include "rip.h"

#define POLICY_MAX_PREFIXES	64
#define POLICY_MAX_CONNECTED	64
#define POLICY_DEFAULT_MINLEN	16

struct policy {
	struct prefix	accept[POLICY_MAX_PREFIXES];	/* -a */
	int		naccept;
	int		accept_defaults;	/* 1 until the first -a */
	struct prefix	ignore[POLICY_MAX_PREFIXES];	/* -I */
	int		nignore;
	uint32_t	ours;		/* -L: our public address, 0 unknown */
	uint32_t	addr44;		/* -l: our 44 address, 0 unknown */
	uint32_t	advertised;	/* -A: ours as amprgw sees it; 0 none */
	uint32_t	source;		/* -g: the only accepted RIP source */
	char		password[RIP_PASSWORD_LEN + 1];	/* -p */
	int		minlen;		/* -M: shortest prefix accepted */
	int		more_specific_ok;	/* -S */
	int		one_domain;	/* -D is -T: 44/8 next hops recurse */
	/* Our interface addresses in 44/8 (address and its prefix length). */
	struct prefix	connected[POLICY_MAX_CONNECTED];
	int		nconnected;
};

/* Defaults: 44.0.0.0/9 and 44.128.0.0/10, source 44.0.0.1, the well-known
 * password, no ignores, ours unknown. */
void		policy_init(struct policy *);
/* Adds an accepted (-a) or ignored (-I) prefix; the first -a replaces the
 * defaults.  Returns -1 when the list is full. */
int		policy_add_accept(struct policy *, struct prefix);
int		policy_add_ignore(struct policy *, struct prefix);
/*
 * Our connected 44 addresses: each an interface address (host bits kept)
 * with its prefix length.  Adding skips addresses outside 44/8 and ones
 * already known (every gif carries the -l address): 1 when added, 0 when
 * skipped, -1 when the list is full.  Setting replaces the list and
 * returns how many are kept, or -1 when some did not fit (the first ones
 * are kept).
 */
void		policy_clear_connected(struct policy *);
int		policy_add_connected(struct policy *, struct prefix);
int		policy_set_connected(struct policy *, const struct prefix *,
		    int n);

/* Checks a datagram's source before anything is decoded: R_NONE, R_SOURCE
 * or R_SOURCE_PORT. */
enum reason	policy_source(const struct policy *, uint32_t src, uint16_t sport);

/*
 * Checks one decoded entry whose status is R_NONE.  On R_NONE, *addr and *len
 * hold the prefix to use (host bits masked off; *hostbits is set to 1 when
 * that happened, so the caller can log it).  A metric of 16 passes as R_NONE:
 * the caller withdraws it.
 */
enum reason	policy_entry(const struct policy *, const struct rip_entry *,
		    uint32_t *addr, int *len, int *hostbits);

#endif /* POLICY_H */
