/*
 * PATRICIA (path-compressed binary radix) trie of IPv4 prefixes.
 *
 * Keys are host-order 32-bit addresses with a prefix length 0..32; bits
 * beyond the length are ignored (masked off on the way in).  Each stored
 * prefix carries one opaque, non-NULL value pointer.  The library knows
 * nothing of what the values are.
 *
 * Ordering: ascending address, then ascending length, so 10.0.0.0/8
 * comes before 10.0.0.0/16, which comes before 10.128.0.0/9.
 *
 * Deletion during iteration: ptree_next() is a stateless cursor (it finds
 * the successor of a key, whether or not that key is still stored), so any
 * insert or remove between two calls is safe.  ptree_walk() is faster but
 * allows less: see there.
 */
#ifndef PATRICIA_H
#define PATRICIA_H

#include <stddef.h>
#include <stdint.h>

struct ptree;

struct ptree	*ptree_new(void);
/*
 * A trie that never builds the lookup index: ptree_find() and
 * ptree_match() always walk from the root.  For a caller that keeps its
 * own index of exact prefixes and needs the trie for order; it saves the
 * index's one to two words a prefix.
 */
struct ptree	*ptree_new_unindexed(void);
/* Frees the trie; calls freefn (if not NULL) on every stored value. */
void		 ptree_free(struct ptree *, void (*freefn)(void *));

/*
 * Stores value at addr/len.  Returns 0 when the prefix was new, 1 when it
 * replaced an existing value (the old one is put in *old if old is not
 * NULL), -1 on allocation failure or len > 32 (errno set).
 */
int		 ptree_insert(struct ptree *, uint32_t addr, int len, void *value,
		    void **old);
/* Exact match; NULL when absent. */
void		*ptree_find(const struct ptree *, uint32_t addr, int len);
/* Removes addr/len; returns its value, or NULL when absent. */
void		*ptree_remove(struct ptree *, uint32_t addr, int len);
/*
 * Longest-prefix match of a host address.  Returns the value of the most
 * specific stored prefix covering addr, or NULL; the prefix found goes to
 * *paddr and *plen when they are not NULL.
 */
void		*ptree_match(const struct ptree *, uint32_t addr, uint32_t *paddr,
		    int *plen);
/* Number of stored prefixes. */
size_t		 ptree_count(const struct ptree *);
/* Bytes of memory held by the trie: node pool and lookup index. */
size_t		 ptree_memory(const struct ptree *);

/*
 * Ordered iteration.  ptree_first() returns the first value and stores its
 * key in *addr / *len; ptree_next() returns the first value strictly after
 * the key in *addr / *len (which need not be stored) and updates them.
 * Both return NULL at the end.
 */
void		*ptree_first(const struct ptree *, uint32_t *addr, int *len);
void		*ptree_next(const struct ptree *, uint32_t *addr, int *len);

/*
 * Calls fn on every stored prefix in the same order, visiting each trie
 * node once, until fn returns non-zero; returns that value, or 0 when the
 * walk went to the end.  Faster than ptree_first()/ptree_next(), which
 * descend from the root at every step.  While the walk runs, fn may
 * remove the prefix it was called for and nothing else; it must not
 * insert, and must not remove any other prefix (the walk holds nodes that
 * would be freed).  It may read the trie (find, match) as it likes.
 */
int		 ptree_walk(const struct ptree *,
		    int (*fn)(uint32_t addr, int len, void *value, void *arg),
		    void *arg);

/* Mask for a prefix length, host order: 0 for /0, 0xffffffff for /32. */
uint32_t	 ptree_mask(int len);

#endif /* PATRICIA_H */
