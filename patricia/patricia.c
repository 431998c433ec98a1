/*
 * PATRICIA trie of IPv4 prefixes.
 *
 * Every node holds one prefix (key, len).  A node with a value is a stored
 * prefix; a node without one is glue, kept only where two subtrees fork,
 * so it always has both children.  A child sits under child[b], b being
 * the key bit just past the parent's length, and is strictly longer.
 *
 * Nodes live in a pool of fixed-size chunks and refer to each other by
 * 32-bit index, which keeps a node at 24 bytes and avoids a malloc header
 * per node.  Index 0 is never handed out, so it means "no node".  Freed
 * nodes go on a free list threaded through child[0].
 *
 * The lookup index.  Once the trie holds MIN_PREFIXES prefixes (unless
 * it was made without an index), lookups start from one of 2^bits
 * buckets rather than from the root: that skips the upper log2(count) or
 * so levels, each a cache miss in a big trie.  The buckets split the
 * block base/baselen, which holds every stored prefix: the root's prefix
 * (their longest common one) when the index was built.  An AMPRNet table
 * lies inside 44/8, and bucketing by the top bits of the whole address
 * would leave all but 1/256 of the buckets unused.  A bucket is one /depth
 * block (depth = baselen + bits), one or two per prefix, and one word:
 *
 *	0		nothing inside the block or covering it;
 *	BEST_ONLY | i	no node inside the block; node i is the most
 *			specific stored prefix shorter than /depth covering it;
 *	i		node i is the topmost node inside the block (its
 *			length is at least depth), and its cover field says
 *			which shorter stored prefix covers the block, if any.
 *
 * Stored prefixes shorter than /depth ("short" ones) are listed in
 * shorts[] and their own cover field is their slot there: that is how a
 * 24-bit field names one.  Every change repaints the buckets under the
 * prefix it touched.  The index is rebuilt, bigger or smaller, when the
 * prefixes reach the buckets or fall below a quarter of them.
 *
 * Insert and remove change a link, so they need the node above the
 * change, which a bucket does not name.  A second, coarser array has one
 * entry per /odepth block (odepth = depth - OWNER_SHIFT): the deepest node
 * shorter than /odepth that holds the block ("owner"; 0 when none, then
 * the walk starts at the root), and the most specific short prefix at or
 * above it.  Insert and remove of a prefix of /odepth or longer start
 * below the owner; nothing at or above it changes.
 *
 * The index's block is rebuilt at once when a prefix outside it arrives.
 * When the common prefix grows (a prefix outside the others leaves), the
 * old, wider block is still right, only less dense, so it is rebuilt on
 * the next resize or after count / REBASE_EVERY changes: a prefix that
 * comes and goes does not rebuild the index every time.
 *
 * Nothing here recurses: every walk is a loop, and painting buckets keeps
 * its own stack, at most one entry per prefix length.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "patricia.h"

#define CHUNK_SHIFT	10
#define CHUNK_NODES	(1U << CHUNK_SHIFT)
#define CHUNK_MASK	(CHUNK_NODES - 1)
/* Node indices stay below 2^31: a bucket's top bit is BEST_ONLY. */
#define MAX_CHUNKS	((1U << (31 - CHUNK_SHIFT)) - 1)
#define BEST_ONLY	0x80000000U
/* No index below this many prefixes; at most 2^MAX_BITS buckets. */
#define MIN_PREFIXES	256
#define MAX_BITS	23
/* One owner entry per 2^OWNER_SHIFT buckets. */
#define OWNER_SHIFT	4
/* Rebuild on a grown common prefix after count / REBASE_EVERY changes. */
#define REBASE_EVERY	8

struct pnode {
	void		*value;		/* NULL for glue and free nodes */
	uint32_t	 key;		/* masked to len */
	uint32_t	 child[2];	/* pool indices, 0 for none */
	unsigned int	 len:8;
	unsigned int	 cover:24;	/* a slot in shorts[], see above */
};

_Static_assert(sizeof(struct pnode) <= 24, "trie node grew past 24 bytes");

/* Where insert and remove of a long prefix start: see above. */
struct owner {
	uint32_t	node;		/* 0: start at the root */
	uint32_t	best;		/* the most specific short prefix */
};

struct ptree {
	struct pnode	**chunks;
	uint32_t	  nchunks;
	uint32_t	  chunkcap;	/* slots in chunks[] */
	uint32_t	  used;		/* next never-used index */
	uint32_t	  freelist;	/* first free index, or 0 */
	uint32_t	  root;
	size_t		  count;
	uint32_t	 *buckets;	/* NULL while the trie is small */
	int		  bits;		/* 2^bits buckets; 0 without */
	uint32_t	  base;		/* every prefix lies in base/baselen */
	int		  baselen;
	int		  depth;	/* baselen + bits; 0 without */
	struct owner	 *owners;	/* 2^obits of them */
	int		  obits;
	int		  odepth;	/* baselen + obits */
	size_t		  changes;	/* inserts and removes since built */
	uint32_t	 *shorts;	/* node of each short prefix */
	uint32_t	  shortcap;	/* slots in shorts[] */
	uint32_t	  shortused;	/* next never-used slot; 0 is none */
	uint32_t	  shortfree;	/* first free slot, or 0 */
	int		  unindexed;	/* never build the index */
};

#define NODE(t, i)	(&(t)->chunks[(i) >> CHUNK_SHIFT][(i) & CHUNK_MASK])

/* Branch-free mask: the 64-bit shift is defined for 0 and 32 alike. */
static inline uint32_t
mask_of(unsigned int len)
{
	return (uint32_t)(~(uint64_t)0 << (32 - len));
}

/*
 * The address bit just past the first len bits, which picks the child.
 * At len 32 it is 0; such a node has no children, so the walk ends.
 */
static inline unsigned int
bit_after(uint32_t addr, unsigned int len)
{
	return (unsigned int)(((uint64_t)addr << len) >> 31) & 1;
}

static inline int
clz32(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_clz(x);
#else
	int n = 0;

	while ((x & 0x80000000U) == 0) {
		x <<= 1;
		n++;
	}
	return n;
#endif
}

uint32_t
ptree_mask(int len)
{
	if (len <= 0)
		return 0;
	if (len >= 32)
		return 0xffffffffU;
	return mask_of((unsigned int)len);
}

struct ptree *
ptree_new(void)
{
	return calloc(1, sizeof(struct ptree));
}

struct ptree *
ptree_new_unindexed(void)
{
	struct ptree *t;

	if ((t = ptree_new()) != NULL)
		t->unindexed = 1;
	return t;
}

static void
index_drop(struct ptree *t)
{
	free(t->buckets);
	free(t->shorts);
	free(t->owners);
	t->buckets = NULL;
	t->shorts = NULL;
	t->owners = NULL;
	t->bits = t->depth = t->obits = t->odepth = 0;
	t->shortcap = t->shortused = t->shortfree = 0;
}

void
ptree_free(struct ptree *t, void (*freefn)(void *))
{
	struct pnode *n;
	uint32_t i;

	if (t == NULL)
		return;
	/* Free and glue nodes have no value, so a flat scan finds them all. */
	if (freefn != NULL) {
		for (i = 1; i < t->used; i++) {
			n = NODE(t, i);
			if (n->value != NULL)
				freefn(n->value);
		}
	}
	for (i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	index_drop(t);
	free(t);
}

static int
pool_grow(struct ptree *t)
{
	struct pnode **chunks, *chunk;
	uint32_t cap;

	if (t->nchunks >= MAX_CHUNKS) {
		errno = ENOMEM;
		return -1;
	}
	if (t->nchunks == t->chunkcap) {
		cap = t->chunkcap == 0 ? 8 : t->chunkcap * 2;
		if (cap > MAX_CHUNKS)
			cap = MAX_CHUNKS;
		chunks = reallocarray(t->chunks, cap, sizeof(*chunks));
		if (chunks == NULL)
			return -1;
		t->chunks = chunks;
		t->chunkcap = cap;
	}
	chunk = malloc(CHUNK_NODES * sizeof(*chunk));
	if (chunk == NULL)
		return -1;
	t->chunks[t->nchunks++] = chunk;
	if (t->used == 0)
		t->used = 1;	/* index 0 means "none" */
	return 0;
}

/*
 * Returns a fresh node's index, or 0 on failure.  Chunks never move, so
 * pointers into existing nodes stay valid across this call.
 */
static uint32_t
node_alloc(struct ptree *t, uint32_t key, int len, void *value)
{
	struct pnode *n;
	uint32_t idx;

	if (t->freelist != 0) {
		idx = t->freelist;
		t->freelist = NODE(t, idx)->child[0];
	} else {
		if (t->used == t->nchunks * CHUNK_NODES &&
		    pool_grow(t) == -1)
			return 0;
		idx = t->used++;
	}
	n = NODE(t, idx);
	n->value = value;
	n->key = key;
	n->len = (unsigned int)len;
	n->cover = 0;
	n->child[0] = n->child[1] = 0;
	return idx;
}

static void
node_free(struct ptree *t, uint32_t idx)
{
	struct pnode *n = NODE(t, idx);

	n->value = NULL;
	n->child[0] = t->freelist;
	n->child[1] = 0;
	t->freelist = idx;
}

/* Makes sure short_add() will find a free slot. */
static int
shorts_reserve(struct ptree *t)
{
	uint32_t *shorts, cap;

	if (t->shortfree != 0 || t->shortused < t->shortcap)
		return 0;
	cap = t->shortcap == 0 ? 64 : t->shortcap * 2;
	if ((shorts = reallocarray(t->shorts, cap, sizeof(*shorts))) == NULL)
		return -1;
	t->shorts = shorts;
	t->shortcap = cap;
	return 0;
}

/*
 * Lists stored node idx, shorter than /depth, in shorts[].  They all lie
 * in base/baselen, so there are fewer than 2^(bits + 1) <= 2^24 of them,
 * and the slot fits the 24-bit field.
 */
static void
short_add(struct ptree *t, uint32_t idx)
{
	uint32_t slot;

	if (t->shortfree != 0) {
		slot = t->shortfree;
		t->shortfree = t->shorts[slot];
	} else
		slot = t->shortused++;
	t->shorts[slot] = idx;
	NODE(t, idx)->cover = slot;
}

static void
short_del(struct ptree *t, uint32_t idx)
{
	uint32_t slot = NODE(t, idx)->cover;

	t->shorts[slot] = t->shortfree;
	t->shortfree = slot;
}

/* Whether addr lies in the index's block (and so in a bucket). */
static inline int
in_base(const struct ptree *t, uint32_t addr)
{
	return ((addr ^ t->base) & mask_of((unsigned int)t->baselen)) == 0;
}

/* baselen + bits <= 32 and bits >= 1, so baselen < 32: the shift is defined. */
static inline uint32_t
bucket_of(const struct ptree *t, uint32_t addr)
{
	return (addr << t->baselen) >> (32 - t->bits);
}

static inline uint32_t
owner_of(const struct ptree *t, uint32_t addr)
{
	return t->obits == 0 ? 0 :
	    (addr << t->baselen) >> (32 - t->obits);
}

/* Bucket b now has topmost node start (or none) and cover best (or 0). */
static void
bucket_set(struct ptree *t, uint32_t b, uint32_t start, uint32_t best)
{
	if (start != 0) {
		t->buckets[b] = start;
		NODE(t, start)->cover = best != 0 ? NODE(t, best)->cover : 0;
	} else
		t->buckets[b] = best != 0 ? BEST_ONLY | best : 0;
}

/* Marks every bucket inside key/len (len <= depth) empty, under best. */
static void
bucket_fill(struct ptree *t, uint32_t key, int len, uint32_t best)
{
	uint32_t *b = &t->buckets[bucket_of(t, key)];
	uint32_t word = best != 0 ? BEST_ONLY | best : 0;
	size_t i, n = (size_t)1 << (t->depth - len);

	for (i = 0; i < n; i++)
		b[i] = word;
}

/* Every owner entry inside key/len (len <= odepth) is node, under best. */
static void
owner_fill(struct ptree *t, uint32_t key, int len, uint32_t node,
    uint32_t best)
{
	struct owner *o = &t->owners[owner_of(t, key)];
	size_t i, n = (size_t)1 << (t->odepth - len);

	for (i = 0; i < n; i++) {
		o[i].node = node;
		o[i].best = best;
	}
}

/* Which array index_paint() recomputes. */
enum paint { PAINT_BUCKETS, PAINT_OWNERS };

/*
 * Recomputes every bucket (or owner entry) inside key/len, len at most
 * depth (odepth), from the trie: idx is the node at the link that owner
 * holds, the topmost inside key/len, or 0, and best the most specific
 * short prefix above it.  Each node shorter than /depth (/odepth) paints
 * the part of its block its children do not cover, then hands the halves
 * to them; pending halves go on a stack, whose lengths strictly grow
 * towards the top, so 33 slots do.  Every short prefix must be in
 * shorts[] already.
 */
static void
index_paint(struct ptree *t, enum paint what, uint32_t key, int len,
    uint32_t idx, uint32_t owner, uint32_t best)
{
	struct {
		uint32_t	key;
		int		len;
		uint32_t	idx;
		uint32_t	owner;
		uint32_t	best;
	} stack[33];
	const struct pnode *n;
	unsigned int limit;
	uint32_t half;
	int depth = 0, l, i;

	limit = (unsigned int)(what == PAINT_OWNERS ? t->odepth : t->depth);
	stack[depth].key = key;
	stack[depth].len = len;
	stack[depth].idx = idx;
	stack[depth].owner = owner;
	stack[depth].best = best;
	depth++;
	while (depth > 0) {
		depth--;
		key = stack[depth].key;
		len = stack[depth].len;
		idx = stack[depth].idx;
		owner = stack[depth].owner;
		best = stack[depth].best;
		n = idx != 0 ? NODE(t, idx) : NULL;
		if (n == NULL || n->len >= limit) {
			if (what == PAINT_OWNERS) {
				owner_fill(t, key, len, owner, best);
				continue;
			}
			/* All of n lies in one bucket; the rest are empty. */
			bucket_fill(t, key, len, best);
			if (n != NULL)
				bucket_set(t, bucket_of(t, n->key), idx, best);
			continue;
		}
		/* The halves passed over between key/len and n. */
		for (l = len; l < (int)n->len; l++) {
			half = (n->key & mask_of((unsigned int)l + 1)) ^
			    (0x80000000U >> l);
			if (what == PAINT_OWNERS)
				owner_fill(t, half, l + 1, owner, best);
			else
				bucket_fill(t, half, l + 1, best);
		}
		if (n->value != NULL)
			best = idx;
		for (i = 0; i < 2; i++) {
			half = i == 0 ? 0 : 0x80000000U >> n->len;
			stack[depth].key = n->key | half;
			stack[depth].len = (int)n->len + 1;
			stack[depth].idx = n->child[i];
			stack[depth].owner = idx;
			stack[depth].best = best;
			depth++;
		}
	}
}

/*
 * Brings the index up to date after a change at *link, which belongs
 * to node owner (0 for the root).  key/len is the prefix of the topmost
 * node changed, before or after, whichever is shorter, so that the node
 * now at *link is the topmost inside it; best is the most specific short
 * prefix above it.
 */
static void
buckets_changed(struct ptree *t, uint32_t owner, const uint32_t *link,
    uint32_t key, int len, uint32_t best)
{
	if (t->buckets == NULL)
		return;
	if (len < t->odepth)
		index_paint(t, PAINT_OWNERS, key, len, *link, owner, best);
	if (len < t->depth) {
		index_paint(t, PAINT_BUCKETS, key, len, *link, owner, best);
		return;
	}
	/* Inside one bucket: only its topmost node can have changed. */
	if (owner != 0 && NODE(t, owner)->len >= (unsigned int)t->depth)
		return;
	bucket_set(t, bucket_of(t, key), *link, best);
}

/* One or two buckets per prefix: fewer, and the index outweighs a node. */
static int
bits_for(size_t count)
{
	int bits = 32 - clz32((uint32_t)count);

	return bits > MAX_BITS ? MAX_BITS : bits;
}

/* The index's size for count prefixes under a block of length baselen. */
static int
bits_under(size_t count, int baselen)
{
	int bits = bits_for(count);

	return bits > 32 - baselen ? 32 - baselen : bits;
}

/*
 * Builds the index afresh under the root's prefix.  On failure to
 * allocate, returns -1 and leaves the old index (or none) as it was.
 */
static int
index_build(struct ptree *t)
{
	uint32_t *buckets, *shorts, i, nshort = 0;
	struct owner *owners;
	const struct pnode *n, *root = NODE(t, t->root);
	int bits, obits, baselen = (int)root->len;

	bits = bits_under(t->count, baselen);
	obits = bits > OWNER_SHIFT ? bits - OWNER_SHIFT : 0;
	for (i = 1; i < t->used; i++) {
		n = NODE(t, i);
		if (n->value != NULL && n->len < (unsigned int)(baselen + bits))
			nshort++;
	}
	buckets = malloc(sizeof(*buckets) << bits);
	owners = reallocarray(NULL, (size_t)1 << obits, sizeof(*owners));
	/* Room to spare, so that the next few short prefixes fit. */
	shorts = reallocarray(NULL, nshort + 64, sizeof(*shorts));
	if (buckets == NULL || owners == NULL || shorts == NULL) {
		free(buckets);
		free(owners);
		free(shorts);
		return -1;
	}
	index_drop(t);
	t->buckets = buckets;
	t->bits = bits;
	t->base = root->key;
	t->baselen = baselen;
	t->depth = baselen + bits;
	t->owners = owners;
	t->obits = obits;
	t->odepth = baselen + obits;
	t->shorts = shorts;
	t->shortcap = nshort + 64;
	t->shortused = 1;
	t->changes = 0;
	for (i = 1; i < t->used; i++) {
		n = NODE(t, i);
		if (n->value != NULL && n->len < (unsigned int)t->depth)
			short_add(t, i);
	}
	index_paint(t, PAINT_BUCKETS, t->base, t->baselen, t->root, 0, 0);
	index_paint(t, PAINT_OWNERS, t->base, t->baselen, t->root, 0, 0);
	return 0;
}

/*
 * Grows the index when the prefixes outnumber the buckets and shrinks it
 * when they fall below a quarter, so that alternating insert and remove
 * never rebuilds it; rebuilds it under a grown common prefix now and
 * then (see above).
 */
static void
index_resize(struct ptree *t)
{
	int bits;

	if (t->buckets == NULL) {
		if (t->count >= MIN_PREFIXES && !t->unindexed)
			(void)index_build(t);
		return;
	}
	if (t->count < MIN_PREFIXES / 2) {
		index_drop(t);
		return;
	}
	bits = bits_under(t->count, t->baselen);
	if (bits > t->bits || bits < t->bits - 1 ||
	    (NODE(t, t->root)->len > (unsigned int)t->baselen &&
	    t->changes * REBASE_EVERY >= t->count))
		(void)index_build(t);
}

/*
 * Counts in a new stored prefix, node idx, and brings the index up to
 * date; the other arguments are as for buckets_changed().  outside says
 * the prefix lies outside the index's block: then only a new index is
 * right, and if it cannot be built, none.
 */
static void
added(struct ptree *t, uint32_t idx, uint32_t owner, const uint32_t *link,
    uint32_t key, int len, uint32_t best, int outside)
{
	t->count++;
	t->changes++;
	if (outside) {
		if (index_build(t) == -1)
			index_drop(t);
		return;
	}
	if (t->buckets != NULL && NODE(t, idx)->len < (unsigned int)t->depth)
		short_add(t, idx);
	buckets_changed(t, owner, link, key, len, best);
	index_resize(t);
}

/*
 * The link where a walk towards addr/len starts, with the node that holds
 * it and the most specific short prefix at or above that node: below the
 * owner of addr's block when len reaches the owners' depth, else the
 * root.  addr must lie inside the index's block when there is one.
 */
static uint32_t *
walk_start(struct ptree *t, uint32_t addr, int len, uint32_t *owner,
    uint32_t *best)
{
	const struct owner *o;
	struct pnode *n;

	*owner = *best = 0;
	if (t->buckets == NULL || len < t->odepth)
		return &t->root;
	o = &t->owners[owner_of(t, addr)];
	if (o->node == 0)
		return &t->root;
	*owner = o->node;
	*best = o->best;
	n = NODE(t, o->node);
	return &n->child[bit_after(addr, n->len)];
}

int
ptree_insert(struct ptree *t, uint32_t addr, int len, void *value,
    void **old)
{
	struct pnode *n, *glue;
	uint32_t *link, idx, owner, best, fresh, glueidx, diff;
	int common, outside;

	if (len < 0 || len > 32 || value == NULL) {
		errno = EINVAL;
		return -1;
	}
	addr &= mask_of((unsigned int)len);
	outside = t->buckets != NULL &&
	    (len < t->baselen || !in_base(t, addr));
	/* A new short prefix takes a slot: fail now rather than halfway. */
	if (t->buckets != NULL && !outside && len < t->depth &&
	    shorts_reserve(t) == -1)
		return -1;

	link = outside ? &t->root : walk_start(t, addr, len, &owner, &best);
	if (outside)
		owner = best = 0;
	while ((idx = *link) != 0) {
		n = NODE(t, idx);
		diff = addr ^ n->key;
		common = diff == 0 ? 32 : clz32(diff);
		if (common > len)
			common = len;
		if (common > (int)n->len)
			common = (int)n->len;

		if (common == (int)n->len) {
			if (common == len) {
				if (n->value != NULL) {
					if (old != NULL)
						*old = n->value;
					n->value = value;
					return 1;
				}
				n->value = value;	/* glue becomes real */
				added(t, idx, owner, link, addr, len, best,
				    outside);
				return 0;
			}
			if (n->value != NULL && common < t->depth)
				best = idx;
			owner = idx;
			link = &n->child[bit_after(addr, n->len)];
			continue;
		}

		/* The new prefix parts ways with n above n's length. */
		if ((fresh = node_alloc(t, addr, len, value)) == 0)
			return -1;
		if (common == len) {
			/* The new prefix covers n: it goes in above n. */
			NODE(t, fresh)->child[bit_after(n->key, len)] = idx;
			*link = fresh;
		} else {
			glueidx = node_alloc(t, addr & mask_of(common),
			    common, NULL);
			if (glueidx == 0) {
				node_free(t, fresh);
				return -1;
			}
			glue = NODE(t, glueidx);
			glue->child[bit_after(addr, common)] = fresh;
			glue->child[bit_after(n->key, common)] = idx;
			*link = glueidx;
		}
		added(t, fresh, owner, link, addr & mask_of(common), common,
		    best, outside);
		return 0;
	}

	if ((fresh = node_alloc(t, addr, len, value)) == 0)
		return -1;
	*link = fresh;
	added(t, fresh, owner, link, addr, len, best, outside);
	return 0;
}

/*
 * The most specific short prefix over bucket word's block, from the word
 * itself or from its topmost node's cover; 0 when none.
 */
static inline uint32_t
bucket_cover(const struct ptree *t, uint32_t word)
{
	uint32_t cover;

	if ((word & BEST_ONLY) != 0)
		return word & ~BEST_ONLY;
	if (word == 0 || (cover = NODE(t, word)->cover) == 0)
		return 0;
	return t->shorts[cover];
}

/*
 * Where a find of addr/len (inside the index's block, shorter than
 * /depth) starts: below the owner of addr's block when the owner is
 * shorter, else the root.  *done says the answer is already known, in
 * *value.  A stored prefix of /odepth or shorter holds its own owner
 * block, so it is the owner or above it, never below.
 */
static uint32_t
short_find_start(const struct ptree *t, uint32_t addr, int len, int *done,
    void **value)
{
	const struct pnode *o;
	uint32_t owner, cover;

	*done = 0;
	if ((owner = t->owners[owner_of(t, addr)].node) == 0)
		return t->root;
	o = NODE(t, owner);
	if (o->len < (unsigned int)len)
		return o->child[bit_after(addr, o->len)];
	*done = 1;
	if (o->len == (unsigned int)len) {
		*value = o->value;	/* NULL for glue */
		return 0;
	}
	/*
	 * Above the owner.  A stored addr/len would cover its first bucket
	 * and be that bucket's cover, or above a longer one (then walk).
	 */
	cover = bucket_cover(t, t->buckets[bucket_of(t, addr)]);
	*value = NULL;
	if (cover == 0 || NODE(t, cover)->len < (unsigned int)len)
		return 0;
	if (NODE(t, cover)->len == (unsigned int)len) {
		*value = NODE(t, cover)->value;
		return 0;
	}
	*done = 0;
	return t->root;
}

void *
ptree_find(const struct ptree *t, uint32_t addr, int len)
{
	const struct pnode *n;
	uint32_t idx, word;
	void *value;
	int done;

	if (len < 0 || len > 32)
		return NULL;
	addr &= mask_of((unsigned int)len);
	idx = t->root;
	if (t->buckets != NULL) {
		/* Every stored prefix lies in the index's block. */
		if (len < t->baselen || !in_base(t, addr))
			return NULL;
		if (len >= t->depth) {
			/* A prefix at least as long as the buckets lies
			 * under one. */
			word = t->buckets[bucket_of(t, addr)];
			if ((word & BEST_ONLY) != 0)
				return NULL;
			idx = word;
		} else {
			idx = short_find_start(t, addr, len, &done, &value);
			if (done)
				return value;
		}
	}
	for (; idx != 0; idx = n->child[bit_after(addr, n->len)]) {
		n = NODE(t, idx);
		if (n->len > (unsigned int)len ||
		    ((addr ^ n->key) & mask_of(n->len)) != 0)
			return NULL;
		if (n->len == (unsigned int)len)
			return n->value;	/* NULL for glue */
	}
	return NULL;
}

void *
ptree_remove(struct ptree *t, uint32_t addr, int len)
{
	struct pnode *n = NULL, *parent;
	uint32_t *link, *parentlink, idx, child;
	uint32_t owner, parentowner, best, key;
	void *value;
	int fromroot = 0;

	if (len < 0 || len > 32)
		return NULL;
	addr &= mask_of((unsigned int)len);
	if (t->buckets != NULL && (len < t->baselen || !in_base(t, addr)))
		return NULL;

again:
	parentlink = NULL;
	parentowner = 0;
	link = fromroot ? &t->root : walk_start(t, addr, len, &owner, &best);
	if (fromroot)
		owner = best = 0;
	while ((idx = *link) != 0) {
		n = NODE(t, idx);
		if (n->len > (unsigned int)len ||
		    ((addr ^ n->key) & mask_of(n->len)) != 0)
			return NULL;
		if (n->len == (unsigned int)len)
			break;
		if (n->value != NULL && (int)n->len < t->depth)
			best = idx;
		parentlink = link;
		parentowner = owner;
		owner = idx;
		link = &n->child[bit_after(addr, n->len)];
	}
	if (idx == 0 || n->value == NULL)
		return NULL;
	/*
	 * A leaf under glue takes the glue with it, which needs the link
	 * to the glue: when the walk started below it, start again above.
	 */
	if (n->child[0] == 0 && n->child[1] == 0 && owner != 0 &&
	    parentlink == NULL && NODE(t, owner)->value == NULL) {
		fromroot = 1;
		goto again;
	}

	value = n->value;
	t->count--;
	t->changes++;
	if (t->buckets != NULL && len < t->depth)
		short_del(t, idx);
	if (n->child[0] != 0 && n->child[1] != 0) {
		n->value = NULL;	/* still a fork: keep it as glue */
		buckets_changed(t, owner, link, addr, len, best);
		index_resize(t);
		return value;
	}
	child = n->child[0] != 0 ? n->child[0] : n->child[1];
	*link = child;
	node_free(t, idx);

	/* A glue parent that just lost a leaf has one child: splice it out. */
	parent = owner != 0 ? NODE(t, owner) : NULL;
	if (child == 0 && parent != NULL && parent->value == NULL) {
		key = parent->key;
		len = (int)parent->len;
		*parentlink = parent->child[0] != 0 ?
		    parent->child[0] : parent->child[1];
		node_free(t, owner);
		buckets_changed(t, parentowner, parentlink, key, len, best);
	} else
		buckets_changed(t, owner, link, addr, len, best);
	index_resize(t);
	return value;
}

void *
ptree_match(const struct ptree *t, uint32_t addr, uint32_t *paddr,
    int *plen)
{
	const struct pnode *n, *best = NULL;
	uint32_t idx, first = 0, word, cover;

	if (t->buckets == NULL)
		idx = t->root;
	else if (!in_base(t, addr))
		return NULL;	/* no stored prefix covers it */
	else if (((word = t->buckets[bucket_of(t, addr)]) & BEST_ONLY) != 0) {
		idx = 0;
		best = NODE(t, word & ~BEST_ONLY);
	} else
		idx = first = word;
	for (; idx != 0; idx = n->child[bit_after(addr, n->len)]) {
		n = NODE(t, idx);
		if (((addr ^ n->key) & mask_of(n->len)) != 0)
			break;
		if (n->value != NULL)
			best = n;
	}
	/* Nothing inside the bucket: the short prefix over it, if any. */
	if (best == NULL && first != 0 &&
	    (cover = NODE(t, first)->cover) != 0)
		best = NODE(t, t->shorts[cover]);
	if (best == NULL)
		return NULL;
	if (paddr != NULL)
		*paddr = best->key;
	if (plen != NULL)
		*plen = (int)best->len;
	return best->value;
}

size_t
ptree_count(const struct ptree *t)
{
	return t->count;
}

size_t
ptree_memory(const struct ptree *t)
{
	size_t bytes;

	bytes = sizeof(*t) + (size_t)t->chunkcap * sizeof(*t->chunks) +
	    (size_t)t->nchunks * CHUNK_NODES * sizeof(struct pnode) +
	    (size_t)t->shortcap * sizeof(*t->shorts);
	if (t->buckets != NULL)
		bytes += (sizeof(*t->buckets) << t->bits) +
		    (sizeof(*t->owners) << t->obits);
	return bytes;
}

/* The smallest stored prefix under idx is the first one in pre-order. */
static void *
subtree_first(const struct ptree *t, uint32_t idx, uint32_t *addr, int *len)
{
	const struct pnode *n;

	if (idx == 0)
		return NULL;
	for (;;) {
		n = NODE(t, idx);
		if (n->value != NULL)
			break;
		idx = n->child[0] != 0 ? n->child[0] : n->child[1];
	}
	*addr = n->key;
	*len = n->len;
	return n->value;
}

void *
ptree_first(const struct ptree *t, uint32_t *addr, int *len)
{
	return subtree_first(t, t->root, addr, len);
}

/*
 * Pre-order (node, child[0], child[1]) is exactly address-then-length
 * order.  Walk towards the key; every child[1] passed by on the way down is
 * wholly after it, and the last such is the nearest.  The walk stops at a
 * node that does not cover the key: that subtree is wholly before or
 * wholly after it.
 */
void *
ptree_next(const struct ptree *t, uint32_t *addr, int *len)
{
	const struct pnode *n;
	uint32_t key, idx, after = 0;
	unsigned int b;
	int keylen = *len;

	if (keylen < 0 || keylen > 32)
		return NULL;
	key = *addr & mask_of((unsigned int)keylen);

	idx = t->root;
	while (idx != 0) {
		n = NODE(t, idx);
		if (n->len <= keylen &&
		    ((key ^ n->key) & mask_of(n->len)) == 0) {
			b = bit_after(key, n->len);
			if (b == 0 && n->child[1] != 0)
				after = n->child[1];
			idx = n->child[b];
			continue;
		}
		if (n->key > key || (n->key == key && n->len > keylen))
			after = idx;
		break;
	}
	return subtree_first(t, after, addr, len);
}

/*
 * Pre-order again, with the child[1] subtrees still to visit on a stack.
 * They hang off distinct ancestors of the current node, each of length
 * 0 to 31 (a /32 has no children), so 32 slots do.  A node's children are
 * read before fn sees it: removing that prefix frees the node (and maybe
 * its glue parent) but neither the children nor anything on the stack.
 */
int
ptree_walk(const struct ptree *t,
    int (*fn)(uint32_t addr, int len, void *value, void *arg), void *arg)
{
	uint32_t stack[32], idx = t->root, left, right;
	const struct pnode *n;
	int depth = 0, rc;

	for (;;) {
		if (idx == 0) {
			if (depth == 0)
				return 0;
			idx = stack[--depth];
		}
		n = NODE(t, idx);
		left = n->child[0];
		right = n->child[1];
		if (n->value != NULL &&
		    (rc = fn(n->key, (int)n->len, n->value, arg)) != 0)
			return rc;
		if (right != 0) {
			if (left == 0)
				left = right;
			else
				stack[depth++] = right;
		}
		idx = left;
	}
}
