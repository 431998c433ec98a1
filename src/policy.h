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

struct policy {
	struct prefix	accept[POLICY_MAX_PREFIXES];	/* -a */
	int		naccept;
	int		accept_defaults;	/* 1 until the first -a */
	struct prefix	ignore[POLICY_MAX_PREFIXES];	/* -I */
	int		nignore;
	uint32_t	ours;		/* -L: our public address, 0 unknown */
	uint32_t	advertised;	/* -A: ours as amprgw sees it; 0 none */
	uint32_t	source;		/* -g: the only accepted RIP source */
	char		password[RIP_PASSWORD_LEN + 1];	/* -p */
};

/* Defaults: 44.0.0.0/9 and 44.128.0.0/10, source 44.0.0.1, the well-known
 * password, no ignores, ours unknown. */
void		policy_init(struct policy *);
/* Adds an accepted (-a) or ignored (-I) prefix; the first -a replaces the
 * defaults.  Returns -1 when the list is full. */
int		policy_add_accept(struct policy *, struct prefix);
int		policy_add_ignore(struct policy *, struct prefix);

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
