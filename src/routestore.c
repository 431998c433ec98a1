/*
 * The route store: where route records live (numbered, in chunks that
 * never move) and how one is found by its prefix (a hash index beside
 * the trie, which keeps the same routes in order for the walks).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mesh_impl.h"

#define ROUTE_CHUNK_SHIFT	11	/* 2048 routes, 64 KB a chunk */
#define ROUTE_CHUNK		(1U << ROUTE_CHUNK_SHIFT)
#define ROUTE_CHUNK_MASK	(ROUTE_CHUNK - 1)
/* A slot: 8 bits of tag, then 24 of route number + 1. */
#define SLOT_NUMBITS		24
#define SLOT_NUMMASK		((1U << SLOT_NUMBITS) - 1)
/* So that there are at most 2^25 slots. */
#define MAX_ROUTES		(SLOT_NUMMASK - 1)
#define MIN_SLOTBITS		6

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

/* Where a prefix goes in the index, and the tag that marks it there. */
struct hashed {
	uint32_t	home;
	uint32_t	tag;
};

void
route_store_init(struct route_store *s)
{
	memset(s, 0, sizeof(*s));
	s->mul = ((uint64_t)arc4random() << 32 | arc4random()) | 1;
	s->add = (uint64_t)arc4random() << 32 | arc4random();
}

void
route_store_destroy(struct route_store *s)
{
	uint32_t i;

	for (i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* The route a slot names (or any word whose low bits are number + 1). */
static inline struct route *
store_route(const struct route_store *s, uint32_t slot)
{
	uint32_t num = (slot & SLOT_NUMMASK) - 1;

	return &s->chunks[num >> ROUTE_CHUNK_SHIFT][num & ROUTE_CHUNK_MASK];
}

/*
 * Multiply-add-shift: the top slotbits bits of a keyed product are the
 * home slot, the 8 below them the tag, so that a lookup reads only the
 * route it is after (a wrong one once in 256 slots passed).  Only once
 * there are slots.
 */
static inline struct hashed
store_hash(const struct route_store *s, uint32_t addr, int len)
{
	uint64_t h = s->mul * ((uint64_t)len << 32 | addr) + s->add;
	struct hashed x;

	x.home = (uint32_t)(h >> (64 - s->slotbits));
	x.tag = (uint32_t)(h >> (56 - s->slotbits)) & 0xff;
	return x;
}

static inline uint32_t
store_next(const struct route_store *s, uint32_t i)
{
	return (i + 1) & ((1U << s->slotbits) - 1);
}

/* addr is masked to len already. */
struct route *
route_store_find(const struct route_store *s, uint32_t addr, int len)
{
	struct hashed x;
	struct route *r;
	uint32_t i, slot;

	if (s->slots == NULL)
		return NULL;
	x = store_hash(s, addr, len);
	for (i = x.home; (slot = s->slots[i]) != 0; i = store_next(s, i)) {
		if (slot >> SLOT_NUMBITS != x.tag)
			continue;
		r = store_route(s, slot);
		if (r->addr == addr && r->len == len)
			return r;
	}
	return NULL;
}

/* Puts route number num in the first free slot from its home. */
static void
store_place(struct route_store *s, uint32_t num)
{
	const struct route *r;
	struct hashed x;
	uint32_t i;

	r = store_route(s, num + 1);
	x = store_hash(s, r->addr, r->len);
	for (i = x.home; s->slots[i] != 0; i = store_next(s, i))
		;
	s->slots[i] = x.tag << SLOT_NUMBITS | (num + 1);
}

/*
 * Rehashes into 2^bits slots.  On failure to allocate, the old table
 * stays, and it is still right.
 */
static int
store_resize(struct route_store *s, int bits)
{
	uint32_t *old = s->slots, i, n = old != NULL ? 1U << s->slotbits : 0;

	if ((s->slots = calloc((size_t)1 << bits, sizeof(*s->slots))) ==
	    NULL) {
		s->slots = old;
		return -1;
	}
	s->slotbits = bits;
	s->bytes += (sizeof(*s->slots) << bits) - n * sizeof(*s->slots);
	for (i = 0; i < n; i++)
		if (old[i] != 0)
			store_place(s, (old[i] & SLOT_NUMMASK) - 1);
	free(old);
	return 0;
}

static int
store_grow(struct route_store *s)
{
	struct route **chunks, *chunk;
	uint32_t cap;

	if (s->nchunks == s->chunkcap) {
		cap = s->chunkcap == 0 ? 8 : s->chunkcap * 2;
		if ((chunks = reallocarray(s->chunks, cap, sizeof(*chunks))) ==
		    NULL)
			return -1;
		s->bytes += (cap - s->chunkcap) * sizeof(*chunks);
		s->chunks = chunks;
		s->chunkcap = cap;
	}
	if ((chunk = reallocarray(NULL, ROUTE_CHUNK, sizeof(*chunk))) == NULL)
		return -1;
	s->chunks[s->nchunks++] = chunk;
	s->bytes += ROUTE_CHUNK * sizeof(*chunk);
	return 0;
}

/* A new, zeroed route at addr/len (masked), listed in the index. */
struct route *
route_store_add(struct route_store *s, uint32_t addr, int len)
{
	struct route *r;
	uint32_t num;

	if (s->count >= MAX_ROUTES) {
		errno = ENOMEM;
		return NULL;
	}
	/* At most half full, so that runs of taken slots stay short. */
	if ((s->count + 1) * 2 > ((size_t)1 << s->slotbits) &&
	    store_resize(s, s->slotbits ? s->slotbits + 1 : MIN_SLOTBITS) ==
	    -1)
		return NULL;
	if (s->freelist != 0) {
		num = s->freelist - 1;
		s->freelist = store_route(s, num + 1)->addr;
	} else {
		if (s->used == s->nchunks * ROUTE_CHUNK && store_grow(s) == -1)
			return NULL;
		num = s->used++;
	}
	r = store_route(s, num + 1);
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->len = (uint8_t)len;
	store_place(s, num);
	s->count++;
	return r;
}

/*
 * Takes r out of the index and frees it.  Linear probing needs no marks
 * for removed entries: each later entry of the run that may move into
 * the gap (its home is not between the gap and itself) does, and leaves
 * a gap of its own.
 */
void
route_store_remove(struct route_store *s, struct route *r)
{
	const struct route *moved;
	uint32_t gap, i, home, num, mask = (1U << s->slotbits) - 1;

	for (gap = store_hash(s, r->addr, r->len).home; s->slots[gap] != 0 &&
	    store_route(s, s->slots[gap]) != r; gap = store_next(s, gap))
		;
	if (s->slots[gap] == 0)
		return;		/* not ours: cannot happen */
	num = (s->slots[gap] & SLOT_NUMMASK) - 1;
	s->slots[gap] = 0;
	for (i = store_next(s, gap); s->slots[i] != 0; i = store_next(s, i)) {
		moved = store_route(s, s->slots[i]);
		home = store_hash(s, moved->addr, moved->len).home;
		if (((i - home) & mask) >= ((i - gap) & mask)) {
			s->slots[gap] = s->slots[i];
			s->slots[i] = 0;
			gap = i;
		}
	}
	r->addr = s->freelist;
	s->freelist = num + 1;
	s->count--;
	/* Below an eighth full, half the slots do. */
	if (s->slotbits > MIN_SLOTBITS &&
	    s->count < ((size_t)1 << s->slotbits) / 8)
		(void)store_resize(s, s->slotbits - 1);
}

void
route_store_prefetch(const struct route_store *s, uint32_t addr, int len)
{
	if (s->slots != NULL)
		PREFETCH(&s->slots[store_hash(s, addr, len).home]);
}
