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
 * Lookups start from a bucket index once the trie holds enough prefixes:
 * 2^bits buckets, one per /bits block, bits about log2(count), each naming
 * the topmost node inside the block and the most specific stored prefix
 * shorter than /bits that covers it.  That skips the upper ~log2(count)
 * levels, which at a million prefixes would each be a cache miss.  Every
 * change repaints the buckets under the prefix it touched.
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
/* Keeps the pool capacity, in nodes, below 2^32. */
#define MAX_CHUNKS	((1U << (32 - CHUNK_SHIFT)) - 1)
/* Bucket index size limits, in bits; below 2^MIN_BITS prefixes, none. */
#define MIN_BITS	8
#define MAX_BITS	22

struct pnode {
	void		*value;		/* NULL for glue and free nodes */
	uint32_t	 key;		/* masked to len */
	uint32_t	 child[2];	/* pool indices, 0 for none */
	uint8_t		 len;
};

_Static_assert(sizeof(struct pnode) <= 24, "trie node grew past 24 bytes");

struct bucket {
	uint32_t	 start;	/* topmost node of length >= bits inside */
	uint32_t	 best;	/* deepest stored prefix shorter, covering */
};

struct ptree {
	struct pnode	**chunks;
	uint32_t	  nchunks;
	uint32_t	  chunkcap;	/* slots in chunks[] */
	uint32_t	  used;		/* next never-used index */
	uint32_t	  freelist;	/* first free index, or 0 */
	uint32_t	  root;
	size_t		  count;
	struct bucket	 *buckets;	/* NULL while the trie is small */
	int		  bits;		/* 2^bits buckets */
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
	free(t->buckets);
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
	n->len = (uint8_t)len;
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

static inline uint32_t
bucket_of(const struct ptree *t, uint32_t addr)
{
	return addr >> (32 - t->bits);
}

/* Sets every bucket inside key/len, len <= bits. */
static void
bucket_fill(struct ptree *t, uint32_t key, int len, uint32_t start,
    uint32_t best)
{
	struct bucket *b = &t->buckets[bucket_of(t, key)];
	size_t i, n = (size_t)1 << (t->bits - len);

	for (i = 0; i < n; i++) {
		b[i].start = start;
		b[i].best = best;
	}
}

/*
 * Recomputes every bucket inside key/len (len <= bits) from the trie.
 * Each node shorter than /bits paints the part of its block its children
 * do not cover, then hands the halves to them; pending halves go on a
 * stack, whose lengths strictly grow towards the top, so 33 slots do.
 */
static void
buckets_paint(struct ptree *t, uint32_t key, int len)
{
	struct {
		uint32_t	key;
		int		len;
		uint32_t	idx;
		uint32_t	best;
	} stack[33];
	const struct pnode *n;
	uint32_t idx, best = 0, half;
	int depth = 0, l;

	/* The topmost node inside key/len, and what covers it from above. */
	idx = t->root;
	while (idx != 0) {
		n = NODE(t, idx);
		if (n->len >= len) {
			if (((n->key ^ key) & mask_of((unsigned int)len)) != 0)
				idx = 0;
			break;
		}
		if (((n->key ^ key) & mask_of(n->len)) != 0) {
			idx = 0;
			break;
		}
		if (n->value != NULL)
			best = idx;
		idx = n->child[bit_after(key, n->len)];
	}

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
			bucket_fill(t, key, len, 0, best);
			continue;
		}
		n = NODE(t, idx);
		if (n->len >= t->bits) {
			/* All of n lies in one bucket; the rest are empty. */
			bucket_fill(t, key, len, 0, best);
			t->buckets[bucket_of(t, n->key)].start = idx;
			continue;
		}
		/* The halves passed over between key/len and n. */
		for (l = len; l < n->len; l++) {
			half = (n->key & mask_of((unsigned int)l + 1)) ^
			    (0x80000000U >> l);
			bucket_fill(t, half, l + 1, 0, best);
		}
		if (n->value != NULL)
			best = idx;
		half = 0x80000000U >> n->len;
		stack[depth].key = n->key | half;
		stack[depth].len = n->len + 1;
		stack[depth].idx = n->child[1];
		stack[depth].best = best;
		stack[depth + 1].key = n->key;
		stack[depth + 1].len = n->len + 1;
		stack[depth + 1].idx = n->child[0];
		stack[depth + 1].best = best;
		depth += 2;
	}
}

/*
 * Brings the buckets up to date after a change at *link, which belongs
 * to node owner (0 for the root); key/len is the prefix of the topmost
 * node changed, before or after, whichever is shorter.
 */
static void
buckets_changed(struct ptree *t, uint32_t owner, const uint32_t *link,
    uint32_t key, int len)
{
	if (t->buckets == NULL)
		return;
	if (len < t->bits) {
		buckets_paint(t, key, len);
		return;
	}
	/* Inside one bucket: only its topmost node can have changed. */
	if (owner != 0 && NODE(t, owner)->len >= t->bits)
		return;
	t->buckets[bucket_of(t, key)].start = *link;
}

static int
log2_floor(size_t n)
{
	return 31 - clz32((uint32_t)n);
}

/*
 * Keeps about one bucket per prefix: grows at twice the prefixes per
 * bucket, shrinks at half, so alternating insert and remove does not
 * rebuild.  Failing to allocate only leaves the old index in place.
 */
static void
buckets_resize(struct ptree *t)
{
	struct bucket *b;
	int bits;

	if (t->buckets == NULL) {
		if (t->count < (size_t)1 << MIN_BITS)
			return;
	} else if (t->count < (size_t)1 << (t->bits - 1)) {
		if (t->count < (size_t)1 << MIN_BITS) {
			free(t->buckets);
			t->buckets = NULL;
			t->bits = 0;
			return;
		}
	} else if (t->bits >= MAX_BITS ||
	    t->count < (size_t)1 << (t->bits + 1))
		return;

	bits = t->count >= (size_t)1 << MAX_BITS ? MAX_BITS :
	    log2_floor(t->count);
	if ((b = malloc(sizeof(*b) << bits)) == NULL)
		return;
	free(t->buckets);
	t->buckets = b;
	t->bits = bits;
	buckets_paint(t, 0, 0);
}

/* Counts a new prefix in and brings the index up to date. */
static void
added(struct ptree *t, uint32_t owner, const uint32_t *link, uint32_t key,
    int len)
{
	t->count++;
	buckets_changed(t, owner, link, key, len);
	buckets_resize(t);
}

int
ptree_insert(struct ptree *t, uint32_t addr, int len, void *value,
    void **old)
{
	struct pnode *n, *glue;
	uint32_t *link, idx, owner = 0, fresh, glueidx, diff;
	int common;

	if (len < 0 || len > 32 || value == NULL) {
		errno = EINVAL;
		return -1;
	}
	addr &= mask_of((unsigned int)len);

	link = &t->root;
	while ((idx = *link) != 0) {
		n = NODE(t, idx);
		diff = addr ^ n->key;
		common = diff == 0 ? 32 : clz32(diff);
		if (common > len)
			common = len;
		if (common > n->len)
			common = n->len;

		if (common == n->len) {
			if (n->len == len) {
				if (n->value != NULL) {
					if (old != NULL)
						*old = n->value;
					n->value = value;
					return 1;
				}
				n->value = value;	/* glue becomes real */
				added(t, owner, link, addr, len);
				return 0;
			}
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
		added(t, owner, link, addr & mask_of(common), common);
		return 0;
	}

	if ((fresh = node_alloc(t, addr, len, value)) == 0)
		return -1;
	*link = fresh;
	added(t, owner, link, addr, len);
	return 0;
}

void *
ptree_find(const struct ptree *t, uint32_t addr, int len)
{
	const struct pnode *n;
	uint32_t idx;

	if (len < 0 || len > 32)
		return NULL;
	addr &= mask_of((unsigned int)len);
	/* A prefix at least as long as the buckets lies under one. */
	if (t->buckets != NULL && len >= t->bits)
		idx = t->buckets[bucket_of(t, addr)].start;
	else
		idx = t->root;
	for (; idx != 0; idx = n->child[bit_after(addr, n->len)]) {
		n = NODE(t, idx);
		if (n->len > len || ((addr ^ n->key) & mask_of(n->len)) != 0)
			return NULL;
		if (n->len == len)
			return n->value;	/* NULL for glue */
	}
	return NULL;
}

void *
ptree_remove(struct ptree *t, uint32_t addr, int len)
{
	struct pnode *n = NULL, *parent;
	uint32_t *link, *parentlink = NULL, idx, child;
	uint32_t owner = 0, parentowner = 0, key;
	void *value;

	if (len < 0 || len > 32)
		return NULL;
	addr &= mask_of((unsigned int)len);

	link = &t->root;
	while ((idx = *link) != 0) {
		n = NODE(t, idx);
		if (n->len > len || ((addr ^ n->key) & mask_of(n->len)) != 0)
			return NULL;
		if (n->len == len)
			break;
		parentlink = link;
		parentowner = owner;
		owner = idx;
		link = &n->child[bit_after(addr, n->len)];
	}
	if (idx == 0 || n->value == NULL)
		return NULL;

	value = n->value;
	t->count--;
	if (n->child[0] != 0 && n->child[1] != 0) {
		n->value = NULL;	/* still a fork: keep it as glue */
		buckets_changed(t, owner, link, addr, len);
		buckets_resize(t);
		return value;
	}
	child = n->child[0] != 0 ? n->child[0] : n->child[1];
	*link = child;
	node_free(t, idx);

	/* A glue parent that just lost a leaf has one child: splice it out. */
	parent = owner != 0 ? NODE(t, owner) : NULL;
	if (child == 0 && parent != NULL && parent->value == NULL) {
		key = parent->key;
		len = parent->len;
		*parentlink = parent->child[0] != 0 ?
		    parent->child[0] : parent->child[1];
		node_free(t, owner);
		buckets_changed(t, parentowner, parentlink, key, len);
	} else
		buckets_changed(t, owner, link, addr, len);
	buckets_resize(t);
	return value;
}

void *
ptree_match(const struct ptree *t, uint32_t addr, uint32_t *paddr,
    int *plen)
{
	const struct bucket *b;
	const struct pnode *n, *best = NULL;
	uint32_t idx;

	if (t->buckets != NULL) {
		b = &t->buckets[bucket_of(t, addr)];
		idx = b->start;
		if (b->best != 0)
			best = NODE(t, b->best);
	} else
		idx = t->root;
	for (; idx != 0; idx = n->child[bit_after(addr, n->len)]) {
		n = NODE(t, idx);
		if (((addr ^ n->key) & mask_of(n->len)) != 0)
			break;
		if (n->value != NULL)
			best = n;
	}
	if (best == NULL)
		return NULL;
	if (paddr != NULL)
		*paddr = best->key;
	if (plen != NULL)
		*plen = best->len;
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
	    (size_t)t->nchunks * CHUNK_NODES * sizeof(struct pnode);
	if (t->buckets != NULL)
		bytes += sizeof(struct bucket) << t->bits;
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
