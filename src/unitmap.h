/*
 * gif units in use, as a bitmap: the lowest free unit is taken for a new
 * tunnel; reserved units (-s) are never handed out or released.
 */
#ifndef UNITMAP_H
#define UNITMAP_H

#include <stdint.h>

#define UNITMAP_UNITS	65536

struct unitmap {
	uint64_t	used[UNITMAP_UNITS / 64];	/* busy or reserved */
	uint64_t	reserved[UNITMAP_UNITS / 64];
	int		hint;	/* no free unit below this one */
};

void	unitmap_init(struct unitmap *);
/* Reserve for the operator (-s).  -1 when out of range. */
int	unitmap_reserve(struct unitmap *, int unit);
int	unitmap_is_reserved(const struct unitmap *, int unit);
int	unitmap_is_used(const struct unitmap *, int unit);
/* Marks a unit that exists already (adoption, or made by someone else). */
int	unitmap_take(struct unitmap *, int unit);
/* Lowest free unit, marked used; -1 when none is left. */
int	unitmap_alloc(struct unitmap *);
/* Gives a unit back; reserved units stay taken. */
void	unitmap_release(struct unitmap *, int unit);

#endif /* UNITMAP_H */
