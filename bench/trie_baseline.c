/*
 * The benchmark's baseline: the trie and lookup index as they were before
 * issue 17 (buckets by the top bits across all of IPv4, insert and remove
 * from the root), kept here only so that `make bench` measures today's
 * library against it in the same run.  Not part of the library and not
 * to be used elsewhere; trimmed to what bench_trie.c calls.
 */
/*
 * PATRICIA trie of IPv4 prefixes (baseline copy, see above).
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
 * buckets, one per /bits block and two to four per prefix, rather than
 * from the root: that skips the upper log2(count) or so levels, each a
 * cache miss in a big trie.  A bucket is one word:
 *
 *	0		nothing inside the block or covering it;
 *	BEST_ONLY | i	no node inside the block; node i is the most
 *			specific stored prefix shorter than /bits covering it;
 *	i		node i is the topmost node inside the block (its
 *			length is at least bits), and its cover field says
 *			which shorter stored prefix covers the block, if any.
 *
 * Stored prefixes shorter than /bits ("short" ones) are listed in shorts[]
 * and their own cover field is their slot there: that is how a 24-bit
 * field names one.  Every change repaints the buckets under the prefix it
 * touched.  The index is rebuilt, bigger or smaller, when the prefixes
 * reach half the buckets or fall below an eighth.
 *
 * Nothing here recurses: every walk is a loop, and painting buckets keeps
 * its own stack, at most one entry per prefix length.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define CHUNK_SHIFT	10
#define CHUNK_NODES	(1U << CHUNK_SHIFT)
#define CHUNK_MASK	(CHUNK_NODES - 1)
/* Node indices stay below 2^31: a bucket's top bit is BEST_ONLY. */
#define MAX_CHUNKS	((1U << (31 - CHUNK_SHIFT)) - 1)
#define BEST_ONLY	0x80000000U
/* No index below this many prefixes; at most 2^MAX_BITS buckets. */
#define MIN_PREFIXES	256
#define MAX_BITS	23

struct pnode {
	void		*value;		/* NULL for glue and free nodes */
	uint32_t	 key;		/* masked to len */
	uint32_t	 child[2];	/* pool indices, 0 for none */
	unsigned int	 len:8;
	unsigned int	 cover:24;	/* a slot in shorts[], see above */
};

_Static_assert(sizeof(struct pnode) <= 24, "trie node grew past 24 bytes");

struct baseline_ptree {
	struct pnode	**chunks;
	uint32_t	  nchunks;
	uint32_t	  chunkcap;	/* slots in chunks[] */
	uint32_t	  used;		/* next never-used index */
	uint32_t	  freelist;	/* first free index, or 0 */
	uint32_t	  root;
	size_t		  count;
	uint32_t	 *buckets;	/* NULL while the trie is small */
	int		  bits;		/* 2^bits buckets; 0 without */
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

struct baseline_ptree *
baseline_ptree_new(void)
{
	return calloc(1, sizeof(struct baseline_ptree));
}

static void
index_drop(struct baseline_ptree *t)
{
	free(t->buckets);
	free(t->shorts);
	t->buckets = NULL;
	t->shorts = NULL;
	t->bits = 0;
	t->shortcap = t->shortused = t->shortfree = 0;
}

void
baseline_ptree_free(struct baseline_ptree *t, void (*freefn)(void *))
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
pool_grow(struct baseline_ptree *t)
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
node_alloc(struct baseline_ptree *t, uint32_t key, int len, void *value)
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
node_free(struct baseline_ptree *t, uint32_t idx)
{
	struct pnode *n = NODE(t, idx);

	n->value = NULL;
	n->child[0] = t->freelist;
	n->child[1] = 0;
	t->freelist = idx;
}

/* Makes sure short_add() will find a free slot. */
static int
shorts_reserve(struct baseline_ptree *t)
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
 * Lists stored node idx, shorter than /bits, in shorts[].  There are
 * fewer than 2^bits such prefixes, so the slot fits the 24-bit field.
 */
static void
short_add(struct baseline_ptree *t, uint32_t idx)
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
short_del(struct baseline_ptree *t, uint32_t idx)
{
	uint32_t slot = NODE(t, idx)->cover;

	t->shorts[slot] = t->shortfree;
	t->shortfree = slot;
}

static inline uint32_t
bucket_of(const struct baseline_ptree *t, uint32_t addr)
{
	return addr >> (32 - t->bits);
}

/* Bucket b now has topmost node start (or none) and cover best (or 0). */
static void
bucket_set(struct baseline_ptree *t, uint32_t b, uint32_t start, uint32_t best)
{
	if (start != 0) {
		t->buckets[b] = start;
		NODE(t, start)->cover = best != 0 ? NODE(t, best)->cover : 0;
	} else
		t->buckets[b] = best != 0 ? BEST_ONLY | best : 0;
}

/* Marks every bucket inside key/len (len <= bits) empty, under best. */
static void
bucket_fill(struct baseline_ptree *t, uint32_t key, int len, uint32_t best)
{
	uint32_t *b = &t->buckets[bucket_of(t, key)];
	uint32_t word = best != 0 ? BEST_ONLY | best : 0;
	size_t i, n = (size_t)1 << (t->bits - len);

	for (i = 0; i < n; i++)
		b[i] = word;
}

/*
 * Recomputes every bucket inside key/len (len <= bits) from the trie:
 * idx is the topmost node inside key/len, or 0, and best the most
 * specific stored prefix above it.  Each node shorter than /bits paints
 * the part of its block its children do not cover, then hands the halves
 * to them; pending halves go on a stack, whose lengths strictly grow
 * towards the top, so 33 slots do.  Every short prefix must be in
 * shorts[] already.
 */
static void
buckets_paint(struct baseline_ptree *t, uint32_t key, int len, uint32_t idx,
    uint32_t best)
{
	struct {
		uint32_t	key;
		int		len;
		uint32_t	idx;
		uint32_t	best;
	} stack[33];
	const struct pnode *n;
	uint32_t half;
	int depth = 0, l;

	stack[depth].key = key;
	stack[depth].len = len;
	stack[depth].idx = idx;
	stack[depth].best = best;
	depth++;
	while (depth > 0) {
		depth--;
		key = stack[depth].key;
		len = stack[depth].len;
		idx = stack[depth].idx;
		best = stack[depth].best;
		if (idx == 0) {
			bucket_fill(t, key, len, best);
			continue;
		}
		n = NODE(t, idx);
		if (n->len >= (unsigned int)t->bits) {
			/* All of n lies in one bucket; the rest are empty. */
			bucket_fill(t, key, len, best);
			bucket_set(t, bucket_of(t, n->key), idx, best);
			continue;
		}
		/* The halves passed over between key/len and n. */
		for (l = len; l < (int)n->len; l++) {
			half = (n->key & mask_of((unsigned int)l + 1)) ^
			    (0x80000000U >> l);
			bucket_fill(t, half, l + 1, best);
		}
		if (n->value != NULL)
			best = idx;
		half = 0x80000000U >> n->len;
		stack[depth].key = n->key | half;
		stack[depth].len = (int)n->len + 1;
		stack[depth].idx = n->child[1];
		stack[depth].best = best;
		stack[depth + 1].key = n->key;
		stack[depth + 1].len = (int)n->len + 1;
		stack[depth + 1].idx = n->child[0];
		stack[depth + 1].best = best;
		depth += 2;
	}
}

/*
 * Brings the buckets up to date after a change at *link, which belongs
 * to node owner (0 for the root).  key/len is the prefix of the topmost
 * node changed, before or after, whichever is shorter, so that the node
 * now at *link is the topmost inside it; best is the most specific short
 * prefix above it.
 */
static void
buckets_changed(struct baseline_ptree *t, uint32_t owner, const uint32_t *link,
    uint32_t key, int len, uint32_t best)
{
	if (t->buckets == NULL)
		return;
	if (len < t->bits) {
		buckets_paint(t, key, len, *link, best);
		return;
	}
	/* Inside one bucket: only its topmost node can have changed. */
	if (owner != 0 && NODE(t, owner)->len >= (unsigned int)t->bits)
		return;
	bucket_set(t, bucket_of(t, key), *link, best);
}

/* Two to four buckets per prefix: the more, the fewer nodes a lookup. */
static int
bits_for(size_t count)
{
	int bits = 33 - clz32((uint32_t)count);

	return bits > MAX_BITS ? MAX_BITS : bits;
}

/*
 * Builds the index afresh with 2^bits buckets.  On failure to allocate,
 * the old index (or none) stays, and it is still right.
 */
static void
index_build(struct baseline_ptree *t, int bits)
{
	uint32_t *buckets, *shorts, i, nshort = 0;
	const struct pnode *n;

	if ((buckets = malloc(sizeof(*buckets) << bits)) == NULL)
		return;
	for (i = 1; i < t->used; i++) {
		n = NODE(t, i);
		if (n->value != NULL && n->len < (unsigned int)bits)
			nshort++;
	}
	/* Room to spare, so that the next few short prefixes fit. */
	if ((shorts = reallocarray(NULL, nshort + 64, sizeof(*shorts))) ==
	    NULL) {
		free(buckets);
		return;
	}
	index_drop(t);
	t->buckets = buckets;
	t->bits = bits;
	t->shorts = shorts;
	t->shortcap = nshort + 64;
	t->shortused = 1;
	for (i = 1; i < t->used; i++) {
		n = NODE(t, i);
		if (n->value != NULL && n->len < (unsigned int)bits)
			short_add(t, i);
	}
	buckets_paint(t, 0, 0, t->root, 0);
}

/*
 * Grows the index when the prefixes reach half the buckets and shrinks it
 * when they fall below an eighth, so that alternating insert and remove
 * never rebuilds it.
 */
static void
index_resize(struct baseline_ptree *t)
{
	int bits;

	if (t->buckets == NULL) {
		if (t->count >= MIN_PREFIXES && !t->unindexed)
			index_build(t, bits_for(t->count));
		return;
	}
	if (t->count < MIN_PREFIXES / 2) {
		index_drop(t);
		return;
	}
	bits = bits_for(t->count);
	if (bits > t->bits || bits < t->bits - 1)
		index_build(t, bits);
}

/*
 * Counts in a new stored prefix, node idx, and brings the index up to
 * date; the other arguments are as for buckets_changed().
 */
static void
added(struct baseline_ptree *t, uint32_t idx, uint32_t owner,
    const uint32_t *link, uint32_t key, int len, uint32_t best)
{
	t->count++;
	if (t->buckets != NULL && NODE(t, idx)->len < (unsigned int)t->bits)
		short_add(t, idx);
	buckets_changed(t, owner, link, key, len, best);
	index_resize(t);
}

int
baseline_ptree_insert(struct baseline_ptree *t, uint32_t addr, int len,
    void *value, void **old)
{
	struct pnode *n, *glue;
	uint32_t *link, idx, owner = 0, best = 0, fresh, glueidx, diff;
	int common;

	if (len < 0 || len > 32 || value == NULL) {
		errno = EINVAL;
		return -1;
	}
	addr &= mask_of((unsigned int)len);
	/* A new short prefix takes a slot: fail now rather than halfway. */
	if (t->buckets != NULL && len < t->bits && shorts_reserve(t) == -1)
		return -1;

	link = &t->root;
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
				added(t, idx, owner, link, addr, len, best);
				return 0;
			}
			if (n->value != NULL && common < t->bits)
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
		    best);
		return 0;
	}

	if ((fresh = node_alloc(t, addr, len, value)) == 0)
		return -1;
	*link = fresh;
	added(t, fresh, owner, link, addr, len, best);
	return 0;
}

void *
baseline_ptree_find(const struct baseline_ptree *t, uint32_t addr, int len)
{
	const struct pnode *n;
	uint32_t idx;

	if (len < 0 || len > 32)
		return NULL;
	addr &= mask_of((unsigned int)len);
	/* A prefix at least as long as the buckets lies under one. */
	if (t->buckets != NULL && len >= t->bits) {
		idx = t->buckets[bucket_of(t, addr)];
		if ((idx & BEST_ONLY) != 0)
			return NULL;
	} else
		idx = t->root;
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
baseline_ptree_remove(struct baseline_ptree *t, uint32_t addr, int len)
{
	struct pnode *n = NULL, *parent;
	uint32_t *link, *parentlink = NULL, idx, child;
	uint32_t owner = 0, parentowner = 0, best = 0, key;
	void *value;

	if (len < 0 || len > 32)
		return NULL;
	addr &= mask_of((unsigned int)len);

	link = &t->root;
	while ((idx = *link) != 0) {
		n = NODE(t, idx);
		if (n->len > (unsigned int)len ||
		    ((addr ^ n->key) & mask_of(n->len)) != 0)
			return NULL;
		if (n->len == (unsigned int)len)
			break;
		if (n->value != NULL && (int)n->len < t->bits)
			best = idx;
		parentlink = link;
		parentowner = owner;
		owner = idx;
		link = &n->child[bit_after(addr, n->len)];
	}
	if (idx == 0 || n->value == NULL)
		return NULL;

	value = n->value;
	t->count--;
	if (t->buckets != NULL && len < t->bits)
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
baseline_ptree_match(const struct baseline_ptree *t, uint32_t addr,
    uint32_t *paddr, int *plen)
{
	const struct pnode *n, *best = NULL;
	uint32_t idx, first = 0, word, cover;

	if (t->buckets == NULL)
		idx = t->root;
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
baseline_ptree_count(const struct baseline_ptree *t)
{
	return t->count;
}

size_t
baseline_ptree_memory(const struct baseline_ptree *t)
{
	size_t bytes;

	bytes = sizeof(*t) + (size_t)t->chunkcap * sizeof(*t->chunks) +
	    (size_t)t->nchunks * CHUNK_NODES * sizeof(struct pnode) +
	    (size_t)t->shortcap * sizeof(*t->shorts);
	if (t->buckets != NULL)
		bytes += sizeof(*t->buckets) << t->bits;
	return bytes;
}

