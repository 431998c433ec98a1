#include <string.h>

#include "unitmap.h"

#define WORD(u)	((u) / 64)
#define BIT(u)	((uint64_t)1 << ((u) % 64))

static int
unit_valid(int unit)
{
	return unit >= 0 && unit < UNITMAP_UNITS;
}

void
unitmap_init(struct unitmap *m)
{
	memset(m, 0, sizeof(*m));
}

int
unitmap_reserve(struct unitmap *m, int unit)
{
	if (!unit_valid(unit))
		return -1;
	m->used[WORD(unit)] |= BIT(unit);
	m->reserved[WORD(unit)] |= BIT(unit);
	return 0;
}

int
unitmap_is_reserved(const struct unitmap *m, int unit)
{
	return unit_valid(unit) && (m->reserved[WORD(unit)] & BIT(unit)) != 0;
}

int
unitmap_is_used(const struct unitmap *m, int unit)
{
	return unit_valid(unit) && (m->used[WORD(unit)] & BIT(unit)) != 0;
}

int
unitmap_take(struct unitmap *m, int unit)
{
	if (!unit_valid(unit))
		return -1;
	m->used[WORD(unit)] |= BIT(unit);
	return 0;
}

int
unitmap_alloc(struct unitmap *m)
{
	int w, unit;

	for (w = m->hint / 64; w < UNITMAP_UNITS / 64; w++) {
		if (m->used[w] == UINT64_MAX)
			continue;
		for (unit = w * 64; unit < (w + 1) * 64; unit++) {
			if ((m->used[w] & BIT(unit)) == 0) {
				m->used[w] |= BIT(unit);
				m->hint = unit + 1;
				return unit;
			}
		}
	}
	return -1;
}

void
unitmap_release(struct unitmap *m, int unit)
{
	if (!unit_valid(unit) || unitmap_is_reserved(m, unit))
		return;
	m->used[WORD(unit)] &= ~BIT(unit);
	if (unit < m->hint)
		m->hint = unit;
}
