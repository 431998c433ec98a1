/*
 * Tests of the PATRICIA trie: edge cases by hand, then a long random
 * sequence of operations checked step by step against a brute-force list.
 * PATRICIA_SEED=<number> in the environment replays another sequence.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "patricia.h"

#define IP(a, b, c, d)	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			    ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Distinct non-NULL values to store. */
static char tok[16];
#define V(i)		((void *)&tok[i])

static void
test_mask(void **state)
{
	assert_int_equal(ptree_mask(0), 0);
	assert_int_equal(ptree_mask(1), 0x80000000U);
	assert_int_equal(ptree_mask(8), 0xff000000U);
	assert_int_equal(ptree_mask(24), 0xffffff00U);
	assert_int_equal(ptree_mask(31), 0xfffffffeU);
	assert_int_equal(ptree_mask(32), 0xffffffffU);
}

static void
test_empty(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a = 0;
	int l = 0;

	assert_non_null(t);
	assert_int_equal(ptree_count(t), 0);
	assert_null(ptree_find(t, 0, 0));
	assert_null(ptree_match(t, IP(44, 1, 2, 3), NULL, NULL));
	assert_null(ptree_remove(t, IP(10, 0, 0, 0), 8));
	assert_null(ptree_first(t, &a, &l));
	assert_null(ptree_next(t, &a, &l));
	ptree_free(t, NULL);
	ptree_free(NULL, NULL);
}

static void
test_default_route(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a = 1;
	int l = 1;
	void *old = NULL;

	assert_int_equal(ptree_insert(t, 0, 0, V(0), NULL), 0);
	assert_ptr_equal(ptree_find(t, 0, 0), V(0));
	assert_ptr_equal(ptree_match(t, 0, &a, &l), V(0));
	assert_int_equal(a, 0);
	assert_int_equal(l, 0);
	assert_ptr_equal(ptree_match(t, 0xffffffffU, NULL, NULL), V(0));
	assert_ptr_equal(ptree_match(t, IP(44, 130, 1, 1), NULL, NULL),
	    V(0));
	/* Every address is a host bit of /0. */
	assert_int_equal(ptree_insert(t, IP(1, 2, 3, 4), 0, V(1), &old), 1);
	assert_ptr_equal(old, V(0));
	assert_int_equal(ptree_count(t), 1);
	assert_ptr_equal(ptree_find(t, 0xffffffffU, 0), V(1));
	assert_ptr_equal(ptree_remove(t, IP(9, 9, 9, 9), 0), V(1));
	assert_int_equal(ptree_count(t), 0);
	assert_null(ptree_match(t, 0, NULL, NULL));
	ptree_free(t, NULL);
}

static void
test_host_routes(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a;
	int l;

	assert_int_equal(ptree_insert(t, 0, 32, V(0), NULL), 0);
	assert_int_equal(ptree_insert(t, 0xffffffffU, 32, V(1), NULL), 0);
	assert_int_equal(ptree_count(t), 2);
	assert_ptr_equal(ptree_find(t, 0, 32), V(0));
	assert_ptr_equal(ptree_find(t, 0xffffffffU, 32), V(1));
	assert_null(ptree_find(t, 0, 31));
	assert_null(ptree_find(t, 0, 0));
	assert_ptr_equal(ptree_match(t, 0, &a, &l), V(0));
	assert_int_equal(a, 0);
	assert_int_equal(l, 32);
	assert_ptr_equal(ptree_match(t, 0xffffffffU, &a, &l), V(1));
	assert_int_equal(a, 0xffffffffU);
	assert_int_equal(l, 32);
	assert_null(ptree_match(t, 1, NULL, NULL));
	assert_null(ptree_match(t, 0xfffffffeU, NULL, NULL));
	assert_null(ptree_match(t, 0x80000000U, NULL, NULL));

	/* 0.0.0.0 under all three lengths, ordered by length. */
	assert_int_equal(ptree_insert(t, 0, 0, V(2), NULL), 0);
	assert_int_equal(ptree_insert(t, 0, 1, V(3), NULL), 0);
	assert_ptr_equal(ptree_first(t, &a, &l), V(2));
	assert_int_equal(l, 0);
	assert_ptr_equal(ptree_next(t, &a, &l), V(3));
	assert_int_equal(l, 1);
	assert_ptr_equal(ptree_next(t, &a, &l), V(0));
	assert_int_equal(l, 32);
	assert_ptr_equal(ptree_next(t, &a, &l), V(1));
	assert_int_equal(a, 0xffffffffU);
	assert_null(ptree_next(t, &a, &l));
	assert_ptr_equal(ptree_match(t, 1, &a, &l), V(3));
	assert_int_equal(l, 1);
	assert_ptr_equal(ptree_match(t, 0x80000000U, &a, &l), V(2));
	assert_int_equal(l, 0);
	ptree_free(t, NULL);
}

static void
test_nested_longest_match(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a;
	int l;

	/* Inserted most specific first, so each new one goes in above. */
	assert_int_equal(ptree_insert(t, IP(44, 130, 0, 1), 32, V(3), NULL),
	    0);
	assert_int_equal(ptree_insert(t, IP(44, 130, 0, 0), 24, V(2), NULL),
	    0);
	assert_int_equal(ptree_insert(t, IP(44, 128, 0, 0), 9, V(1), NULL), 0);
	assert_int_equal(ptree_insert(t, IP(44, 0, 0, 0), 8, V(0), NULL), 0);
	assert_int_equal(ptree_count(t), 4);

	assert_ptr_equal(ptree_match(t, IP(44, 130, 0, 1), &a, &l), V(3));
	assert_int_equal(a, IP(44, 130, 0, 1));
	assert_int_equal(l, 32);
	assert_ptr_equal(ptree_match(t, IP(44, 130, 0, 2), &a, &l), V(2));
	assert_int_equal(a, IP(44, 130, 0, 0));
	assert_int_equal(l, 24);
	assert_ptr_equal(ptree_match(t, IP(44, 131, 0, 1), &a, &l), V(1));
	assert_int_equal(a, IP(44, 128, 0, 0));
	assert_int_equal(l, 9);
	assert_ptr_equal(ptree_match(t, IP(44, 1, 0, 1), &a, &l), V(0));
	assert_int_equal(a, IP(44, 0, 0, 0));
	assert_int_equal(l, 8);
	assert_null(ptree_match(t, IP(45, 130, 0, 1), NULL, NULL));
	assert_null(ptree_match(t, IP(43, 255, 255, 255), NULL, NULL));

	/* Removing the middle exposes the next shorter one. */
	assert_ptr_equal(ptree_remove(t, IP(44, 130, 0, 0), 24), V(2));
	assert_ptr_equal(ptree_match(t, IP(44, 130, 0, 2), &a, &l), V(1));
	assert_int_equal(l, 9);
	assert_ptr_equal(ptree_match(t, IP(44, 130, 0, 1), NULL, NULL), V(3));
	ptree_free(t, NULL);
}

static void
test_remove_node_keeps_children(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a;
	int l;

	assert_int_equal(ptree_insert(t, IP(10, 0, 0, 0), 8, V(0), NULL), 0);
	assert_int_equal(ptree_insert(t, IP(10, 1, 0, 0), 16, V(1), NULL), 0);
	assert_int_equal(ptree_insert(t, IP(10, 200, 0, 0), 16, V(2), NULL),
	    0);
	assert_ptr_equal(ptree_remove(t, IP(10, 0, 0, 0), 8), V(0));
	assert_int_equal(ptree_count(t), 2);
	assert_null(ptree_find(t, IP(10, 0, 0, 0), 8));
	assert_ptr_equal(ptree_find(t, IP(10, 1, 0, 0), 16), V(1));
	assert_ptr_equal(ptree_find(t, IP(10, 200, 0, 0), 16), V(2));
	assert_null(ptree_match(t, IP(10, 3, 0, 0), NULL, NULL));
	assert_ptr_equal(ptree_match(t, IP(10, 200, 9, 9), NULL, NULL), V(2));
	/* Removing a node that is now glue must fail, not free it. */
	assert_null(ptree_remove(t, IP(10, 0, 0, 0), 8));
	assert_int_equal(ptree_count(t), 2);
	assert_ptr_equal(ptree_first(t, &a, &l), V(1));
	assert_ptr_equal(ptree_next(t, &a, &l), V(2));
	assert_null(ptree_next(t, &a, &l));

	/* One child only: the child moves up into its place. */
	assert_int_equal(ptree_insert(t, IP(10, 200, 7, 0), 24, V(3), NULL),
	    0);
	assert_ptr_equal(ptree_remove(t, IP(10, 200, 0, 0), 16), V(2));
	assert_ptr_equal(ptree_find(t, IP(10, 200, 7, 0), 24), V(3));
	assert_ptr_equal(ptree_match(t, IP(10, 200, 7, 1), NULL, NULL), V(3));
	assert_null(ptree_match(t, IP(10, 200, 8, 1), NULL, NULL));
	assert_int_equal(ptree_count(t), 2);
	ptree_free(t, NULL);
}

static void
test_remove_root_only_child(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a;
	int l;

	/* The root's one child. */
	assert_int_equal(ptree_insert(t, 0, 0, V(0), NULL), 0);
	assert_int_equal(ptree_insert(t, IP(10, 0, 0, 0), 8, V(1), NULL), 0);
	assert_ptr_equal(ptree_remove(t, IP(10, 0, 0, 0), 8), V(1));
	assert_int_equal(ptree_count(t), 1);
	assert_ptr_equal(ptree_match(t, IP(10, 1, 1, 1), &a, &l), V(0));
	assert_int_equal(l, 0);
	assert_ptr_equal(ptree_remove(t, 0, 0), V(0));
	assert_int_equal(ptree_count(t), 0);
	assert_null(ptree_first(t, &a, &l));

	/* The root is glue over two leaves; one goes, the other stays. */
	assert_int_equal(ptree_insert(t, IP(44, 0, 0, 0), 16, V(2), NULL), 0);
	assert_int_equal(ptree_insert(t, IP(44, 1, 0, 0), 16, V(3), NULL), 0);
	assert_ptr_equal(ptree_remove(t, IP(44, 0, 0, 0), 16), V(2));
	assert_null(ptree_find(t, IP(44, 0, 0, 0), 15));
	assert_ptr_equal(ptree_match(t, IP(44, 1, 2, 3), NULL, NULL), V(3));
	assert_ptr_equal(ptree_first(t, &a, &l), V(3));
	assert_int_equal(a, IP(44, 1, 0, 0));
	assert_null(ptree_next(t, &a, &l));
	assert_ptr_equal(ptree_remove(t, IP(44, 1, 0, 0), 16), V(3));
	assert_int_equal(ptree_count(t), 0);
	assert_null(ptree_first(t, &a, &l));
	assert_null(ptree_match(t, IP(44, 1, 2, 3), NULL, NULL));
	ptree_free(t, NULL);
}

static void
test_reinsert_and_replace(void **state)
{
	struct ptree *t = ptree_new();
	void *old = NULL;

	assert_int_equal(ptree_insert(t, IP(44, 60, 0, 0), 24, V(0), NULL),
	    0);
	assert_ptr_equal(ptree_remove(t, IP(44, 60, 0, 0), 24), V(0));
	assert_null(ptree_remove(t, IP(44, 60, 0, 0), 24));
	assert_int_equal(ptree_insert(t, IP(44, 60, 0, 0), 24, V(1), NULL),
	    0);
	assert_int_equal(ptree_count(t), 1);
	assert_ptr_equal(ptree_find(t, IP(44, 60, 0, 0), 24), V(1));

	assert_int_equal(ptree_insert(t, IP(44, 60, 0, 0), 24, V(2), &old),
	    1);
	assert_ptr_equal(old, V(1));
	assert_int_equal(ptree_count(t), 1);
	assert_ptr_equal(ptree_find(t, IP(44, 60, 0, 0), 24), V(2));
	/* old may be NULL. */
	assert_int_equal(ptree_insert(t, IP(44, 60, 0, 0), 24, V(3), NULL),
	    1);
	assert_ptr_equal(ptree_find(t, IP(44, 60, 0, 0), 24), V(3));

	/* A glue node turned into a stored prefix counts as new. */
	assert_int_equal(ptree_insert(t, IP(44, 61, 0, 0), 24, V(4), NULL),
	    0);
	assert_null(ptree_find(t, IP(44, 60, 0, 0), 23));
	assert_int_equal(ptree_insert(t, IP(44, 60, 0, 0), 23, V(5), &old),
	    0);
	assert_int_equal(ptree_count(t), 3);
	assert_ptr_equal(ptree_find(t, IP(44, 60, 0, 0), 23), V(5));
	ptree_free(t, NULL);
}

static void
test_bad_input(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a = 0;
	int l = 33;

	errno = 0;
	assert_int_equal(ptree_insert(t, 0, 33, V(0), NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(ptree_insert(t, 0, -1, V(0), NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(ptree_insert(t, 0, 8, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ptree_count(t), 0);

	assert_int_equal(ptree_insert(t, 0, 32, V(1), NULL), 0);
	assert_null(ptree_find(t, 0, 33));
	assert_null(ptree_remove(t, 0, 33));
	assert_null(ptree_find(t, 0, -1));
	assert_null(ptree_next(t, &a, &l));
	assert_int_equal(ptree_count(t), 1);
	ptree_free(t, NULL);
}

static void
test_host_bits_ignored(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a;
	int l;
	void *old = NULL;

	assert_int_equal(ptree_insert(t, IP(10, 1, 2, 3), 8, V(0), NULL), 0);
	assert_ptr_equal(ptree_find(t, IP(10, 0, 0, 0), 8), V(0));
	assert_ptr_equal(ptree_find(t, IP(10, 255, 0, 1), 8), V(0));
	assert_int_equal(ptree_insert(t, IP(10, 0, 0, 0), 8, V(1), &old), 1);
	assert_ptr_equal(old, V(0));
	assert_int_equal(ptree_count(t), 1);
	assert_ptr_equal(ptree_first(t, &a, &l), V(1));
	assert_int_equal(a, IP(10, 0, 0, 0));
	assert_int_equal(l, 8);
	assert_ptr_equal(ptree_match(t, IP(10, 9, 9, 9), &a, &l), V(1));
	assert_int_equal(a, IP(10, 0, 0, 0));
	assert_ptr_equal(ptree_remove(t, IP(10, 9, 9, 9), 8), V(1));
	assert_int_equal(ptree_count(t), 0);
	ptree_free(t, NULL);
}

struct pfx {
	uint32_t	 addr;
	int		 len;
	void		*value;
};

static int
pfx_cmp(const void *va, const void *vb)
{
	const struct pfx *a = va, *b = vb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (a->len > b->len) - (a->len < b->len);
}

static void
test_iteration_order(void **state)
{
	struct pfx want[] = {
		{ IP(0, 0, 0, 0), 0, NULL },
		{ IP(10, 0, 0, 0), 8, NULL },
		{ IP(10, 0, 0, 0), 16, NULL },
		{ IP(10, 0, 0, 0), 32, NULL },
		{ IP(10, 0, 0, 1), 32, NULL },
		{ IP(10, 128, 0, 0), 9, NULL },
		{ IP(44, 0, 0, 0), 8, NULL },
		{ IP(44, 130, 0, 0), 24, NULL },
		{ IP(128, 0, 0, 0), 1, NULL },
		{ IP(255, 255, 255, 255), 32, NULL },
	};
	/* A scrambled insertion order. */
	static const int order[] = { 7, 2, 9, 0, 5, 3, 8, 1, 6, 4 };
	const size_t n = sizeof(want) / sizeof(want[0]);
	struct ptree *t = ptree_new();
	uint32_t a;
	size_t i;
	int l;
	void *v;

	for (i = 0; i < n; i++)
		want[i].value = V(i);
	for (i = 0; i < n; i++)
		assert_int_equal(ptree_insert(t, want[order[i]].addr,
		    want[order[i]].len, want[order[i]].value, NULL), 0);
	assert_int_equal(ptree_count(t), n);

	i = 0;
	for (v = ptree_first(t, &a, &l); v != NULL;
	    v = ptree_next(t, &a, &l)) {
		assert_true(i < n);
		assert_ptr_equal(v, want[i].value);
		assert_int_equal(a, want[i].addr);
		assert_int_equal(l, want[i].len);
		i++;
	}
	assert_int_equal(i, n);

	/* Successors of keys that are not stored. */
	a = IP(10, 0, 0, 0);
	l = 12;
	assert_ptr_equal(ptree_next(t, &a, &l), V(2));
	a = IP(10, 64, 0, 0);
	l = 32;
	assert_ptr_equal(ptree_next(t, &a, &l), V(5));
	a = IP(44, 130, 0, 0);
	l = 25;
	assert_ptr_equal(ptree_next(t, &a, &l), V(8));
	a = IP(200, 0, 0, 0);
	l = 8;
	assert_ptr_equal(ptree_next(t, &a, &l), V(9));
	assert_null(ptree_next(t, &a, &l));
	ptree_free(t, NULL);
}

static void
test_delete_during_iteration(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t a;
	size_t i, seen = 0;
	int l;
	void *v;

	/* 44.0.i.0/24 and 44.0.i.i/32, so half are nested in the other. */
	for (i = 0; i < 8; i++) {
		assert_int_equal(ptree_insert(t, IP(44, 0, i, 0), 24, V(i),
		    NULL), 0);
		assert_int_equal(ptree_insert(t, IP(44, 0, i, i), 32,
		    V(i + 8), NULL), 0);
	}
	for (v = ptree_first(t, &a, &l); v != NULL;
	    v = ptree_next(t, &a, &l)) {
		/* /24 then /32 for each third octet in turn. */
		i = seen / 2;
		if (seen % 2 == 0) {
			assert_int_equal(a, IP(44, 0, i, 0));
			assert_int_equal(l, 24);
			assert_ptr_equal(ptree_remove(t, a, l), V(i));
		} else {
			assert_int_equal(a, IP(44, 0, i, i));
			assert_int_equal(l, 32);
		}
		seen++;
	}
	assert_int_equal(seen, 16);
	assert_int_equal(ptree_count(t), 8);

	/* Remove everything, visiting each once. */
	seen = 0;
	for (v = ptree_first(t, &a, &l); v != NULL;
	    v = ptree_next(t, &a, &l)) {
		assert_ptr_equal(ptree_remove(t, a, l), V(seen + 8));
		seen++;
	}
	assert_int_equal(seen, 8);
	assert_int_equal(ptree_count(t), 0);
	ptree_free(t, NULL);
}

struct collect {
	struct ptree	*t;
	struct pfx	 got[80];
	size_t		 n;
	size_t		 stop_after;	/* 0: never stop */
	int		 remove;	/* remove each prefix as it is seen */
};

static int
collect(uint32_t addr, int len, void *value, void *arg)
{
	struct collect *c = arg;

	if (c->n == sizeof(c->got) / sizeof(c->got[0]))
		return -1;
	c->got[c->n].addr = addr;
	c->got[c->n].len = len;
	c->got[c->n].value = value;
	c->n++;
	if (c->remove && ptree_remove(c->t, addr, len) != value)
		return -2;
	return c->n == c->stop_after ? 7 : 0;
}

static void
test_walk(void **state)
{
	static const struct pfx want[] = {
		{ IP(0, 0, 0, 0), 0, NULL },
		{ IP(10, 0, 0, 0), 8, NULL },
		{ IP(10, 0, 0, 0), 16, NULL },
		{ IP(10, 0, 0, 0), 32, NULL },
		{ IP(10, 0, 0, 1), 32, NULL },
		{ IP(10, 128, 0, 0), 9, NULL },
		{ IP(44, 0, 0, 0), 8, NULL },
		{ IP(44, 130, 0, 0), 24, NULL },
		{ IP(128, 0, 0, 0), 1, NULL },
		{ IP(255, 255, 255, 255), 32, NULL },
	};
	static const int order[] = { 4, 9, 1, 6, 0, 8, 3, 5, 2, 7 };
	const size_t n = sizeof(want) / sizeof(want[0]);
	struct collect c;
	struct ptree *t = ptree_new();
	size_t i;

	memset(&c, 0, sizeof(c));
	c.t = t;
	assert_int_equal(ptree_walk(t, collect, &c), 0);
	assert_int_equal(c.n, 0);
	for (i = 0; i < n; i++)
		assert_int_equal(ptree_insert(t, want[order[i]].addr,
		    want[order[i]].len, V(order[i]), NULL), 0);

	/* Everything, in order, values included. */
	assert_int_equal(ptree_walk(t, collect, &c), 0);
	assert_int_equal(c.n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(c.got[i].addr, want[i].addr);
		assert_int_equal(c.got[i].len, want[i].len);
		assert_ptr_equal(c.got[i].value, V(i));
	}

	/* Stopped early: fn's value comes back, nothing after is seen. */
	memset(&c, 0, sizeof(c));
	c.t = t;
	c.stop_after = 4;
	assert_int_equal(ptree_walk(t, collect, &c), 7);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.got[3].addr, want[3].addr);
	assert_int_equal(c.got[3].len, want[3].len);

	/* Removing each prefix as it is seen still visits them all. */
	memset(&c, 0, sizeof(c));
	c.t = t;
	c.remove = 1;
	assert_int_equal(ptree_walk(t, collect, &c), 0);
	assert_int_equal(c.n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(c.got[i].addr, want[i].addr);
		assert_int_equal(c.got[i].len, want[i].len);
	}
	assert_int_equal(ptree_count(t), 0);
	ptree_free(t, NULL);
}

/*
 * Every prefix of one address, each with a /32 on the other side of its
 * next bit: the deepest trie there is.  At address 0 the walk goes left
 * at all 32 forks, holding the most subtrees for later.
 */
static void
test_walk_deep(void **state)
{
	static const uint32_t addrs[] = { 0, IP(44, 170, 85, 15) };
	struct ptree *t;
	struct collect c;
	uint32_t a;
	size_t i, k;
	int len, l;
	void *v;

	for (k = 0; k < sizeof(addrs) / sizeof(addrs[0]); k++) {
		t = ptree_new();
		for (len = 0; len <= 32; len++) {
			assert_int_equal(ptree_insert(t, addrs[k], len,
			    V(1), NULL), 0);
			if (len > 0)
				assert_int_equal(ptree_insert(t, addrs[k] ^
				    (0x80000000U >> (len - 1)), 32, V(2),
				    NULL), 0);
		}
		memset(&c, 0, sizeof(c));
		c.t = t;
		assert_int_equal(ptree_walk(t, collect, &c), 0);
		assert_int_equal(c.n, 65);
		i = 0;
		for (v = ptree_first(t, &a, &l); v != NULL;
		    v = ptree_next(t, &a, &l), i++) {
			assert_int_equal(c.got[i].addr, a);
			assert_int_equal(c.got[i].len, l);
			assert_ptr_equal(c.got[i].value, v);
		}
		assert_int_equal(i, 65);
		ptree_free(t, NULL);
	}
}

/* splitmix64: small, fast and good enough to drive tests. */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rng_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(rng_next(s) % n);
}

/* Mostly /24 to /32, some /8 to /23, a few /0 to /7, as in AMPRNet. */
static int
ampr_len(uint64_t *s)
{
	uint32_t r = rng_below(s, 100);

	if (r < 70)
		return 24 + (int)rng_below(s, 9);
	if (r < 95)
		return 8 + (int)rng_below(s, 16);
	return (int)rng_below(s, 8);
}

static void
test_memory_reused(void **state)
{
	struct ptree *t = ptree_new();
	struct pfx *p;
	uint64_t seed = 7;
	size_t i, n = 3000, full, empty = 0, round;
	uint32_t a;
	int l;

	p = calloc(n, sizeof(*p));
	assert_non_null(p);
	for (i = 0; i < n; i++) {
		p[i].len = ampr_len(&seed);
		p[i].addr = IP(44, 0, 0, 0) | rng_below(&seed, 1U << 18);
		(void)ptree_insert(t, p[i].addr, p[i].len, V(1), NULL);
	}
	full = ptree_memory(t);
	assert_true(full > 0);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < n; i++)
			(void)ptree_remove(t, p[i].addr, p[i].len);
		assert_int_equal(ptree_count(t), 0);
		assert_null(ptree_first(t, &a, &l));
		/* The node pool stays for reuse (the index may go). */
		if (round == 0)
			empty = ptree_memory(t);
		assert_true(empty <= full);
		assert_int_equal(ptree_memory(t), empty);
		for (i = 0; i < n; i++)
			(void)ptree_insert(t, p[i].addr, p[i].len, V(1), NULL);
		assert_int_equal(ptree_memory(t), full);
	}

	/*
	 * Churn of fresh prefixes, never more than 200 stored at once:
	 * leaked nodes (glue left behind) would make the pool grow.
	 */
	for (i = 0; i < n; i++)
		(void)ptree_remove(t, p[i].addr, p[i].len);
	for (round = 0; round < 200; round++) {
		for (i = 0; i < 200; i++) {
			p[i].len = ampr_len(&seed);
			p[i].addr = (uint32_t)rng_next(&seed);
			(void)ptree_insert(t, p[i].addr, p[i].len, V(1), NULL);
		}
		for (i = 0; i < 200; i++)
			(void)ptree_remove(t, p[i].addr, p[i].len);
		assert_int_equal(ptree_count(t), 0);
	}
	assert_int_equal(ptree_memory(t), empty);
	free(p);
	ptree_free(t, NULL);
}

/*
 * Big enough for the lookup index: short prefixes coming and going must
 * not make it grow, and emptying most of the trie must shrink it.
 */
static void
test_memory_index(void **state)
{
	struct ptree *t = ptree_new();
	struct pfx *p;
	uint64_t seed = 9;
	size_t i, n = 4000, mem, peak;
	uint32_t addr, a;
	int len, l;
	void *v;

	p = calloc(n, sizeof(*p));
	assert_non_null(p);
	for (i = 0; i < n; i++) {
		do {
			p[i].len = 24 + (int)rng_below(&seed, 9);
			p[i].addr = (uint32_t)rng_next(&seed) &
			    ptree_mask(p[i].len);
		} while (ptree_insert(t, p[i].addr, p[i].len, V(1),
		    NULL) != 0);
	}
	mem = ptree_memory(t);
	for (i = 0; i < 20000; i++) {
		len = (int)rng_below(&seed, 16);
		addr = (uint32_t)rng_next(&seed);
		if (ptree_find(t, addr, len) != NULL)
			continue;
		assert_int_equal(ptree_insert(t, addr, len, V(2), NULL), 0);
		/* Found, unless one of the long ones covers addr too. */
		v = ptree_match(t, addr, &a, &l);
		assert_non_null(v);
		assert_true(v == V(2) ? l == len : l > len);
		assert_ptr_equal(ptree_remove(t, addr, len), V(2));
	}
	assert_int_equal(ptree_count(t), n);
	assert_int_equal(ptree_memory(t), mem);

	peak = ptree_memory(t);
	for (i = 0; i < n - 500; i++)
		assert_ptr_equal(ptree_remove(t, p[i].addr, p[i].len), V(1));
	assert_true(ptree_memory(t) < peak);
	for (; i < n; i++)
		assert_ptr_equal(ptree_find(t, p[i].addr, p[i].len), V(1));
	free(p);
	ptree_free(t, NULL);
}

static size_t freed;

static void
count_free(void *v)
{
	freed++;
	free(v);
}

static void
test_free_values(void **state)
{
	struct ptree *t = ptree_new();
	uint32_t i;
	int *v;

	freed = 0;
	for (i = 0; i < 2000; i++) {
		v = malloc(sizeof(*v));
		assert_non_null(v);
		assert_int_equal(ptree_insert(t, IP(44, 0, 0, 0) + i * 4,
		    30 + (int)(i % 3), v, NULL), 0);
	}
	/* Removed values are the caller's again, not freefn's. */
	for (i = 0; i < 2000; i += 2)
		free(ptree_remove(t, IP(44, 0, 0, 0) + i * 4,
		    30 + (int)(i % 3)));
	assert_int_equal(ptree_count(t), 1000);
	ptree_free(t, count_free);
	assert_int_equal(freed, 1000);
}

static void
test_bytes_per_prefix(void **state)
{
	struct ptree *t = ptree_new();
	uint64_t seed = 44;
	size_t count;
	double per;

	/* 100,000 distinct prefixes spread over 44.0.0.0/8. */
	while (ptree_count(t) < 100000)
		assert_int_not_equal(ptree_insert(t, IP(44, 0, 0, 0) |
		    rng_below(&seed, 1U << 24), ampr_len(&seed), V(1), NULL),
		    -1);
	count = ptree_count(t);
	per = (double)ptree_memory(t) / (double)count;
	print_message("patricia: %zu prefixes, %zu bytes, %.1f bytes per "
	    "prefix\n", count, ptree_memory(t), per);
	/* Half of the daemon's 128 bytes per route. */
	assert_true(per <= 64.0);
	ptree_free(t, NULL);
}

/*
 * The property tests.  ref[] holds exactly what the trie should hold;
 * every answer from the trie is compared with a brute-force one.  A
 * profile says where prefixes are drawn from and how big the trie gets.
 */
#define PROP_MAXSTEPS	200000
#define PROP_MAXREF	6000
#define PROP_SEED	0x44a3b2c1ULL

struct profile {
	const char	*name;
	uint32_t	(*addr)(uint64_t *);
	int		(*len)(uint64_t *);
	size_t		 maxref;	/* at most this many stored */
	unsigned long	 steps;
	unsigned long	 phase;		/* steps of growing, then draining */
	int		 unindexed;	/* made by ptree_new_unindexed() */
};

static struct pfx	 ref[PROP_MAXREF];
static size_t		 nref;
static char		 values[PROP_MAXSTEPS];
static uint64_t		 prop_seed;
static const char	*prop_name;
static unsigned long	 prop_step;

static void
disagree(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("PATRICIA_SEED=%" PRIu64 " %s step %lu: %s", prop_seed,
	    prop_name, prop_step, msg);
}

/* A few /16s (two of them at the ends of the space), crowded low. */
static uint32_t
ampr_addr(uint64_t *s)
{
	static const uint32_t base[] = {
		IP(44, 0, 0, 0), IP(44, 1, 0, 0), IP(0, 0, 0, 0),
		IP(255, 255, 0, 0),
	};
	uint32_t third;

	third = rng_below(s, 4) == 0 ? rng_below(s, 256) : rng_below(s, 8);
	return base[rng_below(s, 4)] | third << 8 | rng_below(s, 256);
}

/*
 * 64 clusters, /12s spread over the whole space, so that the trie's
 * lookup index (a bucket per /10 to /14 block at these sizes) sees
 * prefixes both shorter and longer than its blocks, and is built, grown,
 * shrunk and dropped as the count goes up and down.
 */
static uint32_t
wide_addr(uint64_t *s)
{
	return rng_below(s, 16) << 28 | rng_below(s, 4) << 20 |
	    rng_below(s, 1U << 20);
}

static int
wide_len(uint64_t *s)
{
	uint32_t r = rng_below(s, 100);

	if (r < 15)
		return (int)rng_below(s, 12);
	if (r < 50)
		return 12 + (int)rng_below(s, 9);
	return 21 + (int)rng_below(s, 12);
}

/*
 * Inside 44/8 only, as AMPRNet: the index splits 44/8, not all of IPv4.
 * Crowded into a few /16s so that prefixes nest, share buckets and owner
 * blocks, and cover one another's first bucket.
 */
static uint32_t
one8_addr(uint64_t *s)
{
	uint32_t second = rng_below(s, 4) == 0 ? rng_below(s, 256) :
	    rng_below(s, 4) * 64;

	return IP(44, 0, 0, 0) | second << 16 | rng_below(s, 1U << 16);
}

/* The AMPR mix, but nothing shorter than /8. */
static int
one8_len(uint64_t *s)
{
	int len = ampr_len(s);

	return len < 8 ? 8 + (int)rng_below(s, 25) : len;
}

/*
 * The block every stored prefix shares moves as the test goes on: for a
 * while everything is inside 44.128.0.0/12, then anywhere in 44/8, then
 * now and again anywhere at all.  Prefixes drawn in a wider stretch are
 * removed in a narrower one, so the common prefix both shrinks (a prefix
 * outside the others arrives) and grows (the last one outside leaves).
 */
static uint32_t
moving_addr(uint64_t *s)
{
	switch ((prop_step / 6000) % 4) {
	case 0:
		return IP(44, 128, 0, 0) | rng_below(s, 1U << 20);
	case 1:
		return one8_addr(s);
	case 2:
		if (rng_below(s, 40) == 0)
			return (uint32_t)rng_next(s);
		return one8_addr(s);
	default:
		return IP(44, 128, 0, 0) | rng_below(s, 1U << 20);
	}
}

static int
moving_len(uint64_t *s)
{
	/* Now and then a short one: the common prefix drops to it. */
	if ((prop_step / 6000) % 4 == 2 && rng_below(s, 200) == 0)
		return (int)rng_below(s, 12);
	return 12 + (int)rng_below(s, 21);
}

static ssize_t
ref_find(uint32_t addr, int len)
{
	size_t i;

	addr &= ptree_mask(len);
	for (i = 0; i < nref; i++)
		if (ref[i].addr == addr && ref[i].len == len)
			return (ssize_t)i;
	return -1;
}

static const struct pfx *
ref_match(uint32_t addr)
{
	const struct pfx *best = NULL;
	size_t i;

	for (i = 0; i < nref; i++) {
		if ((addr & ptree_mask(ref[i].len)) != ref[i].addr)
			continue;
		if (best == NULL || ref[i].len > best->len)
			best = &ref[i];
	}
	return best;
}

static const struct pfx *
ref_next(uint32_t addr, int len)
{
	const struct pfx *best = NULL;
	struct pfx key = { addr & ptree_mask(len), len, NULL };
	size_t i;

	for (i = 0; i < nref; i++) {
		if (pfx_cmp(&ref[i], &key) <= 0)
			continue;
		if (best == NULL || pfx_cmp(&ref[i], best) < 0)
			best = &ref[i];
	}
	return best;
}

static void
ref_delete(size_t i)
{
	ref[i] = ref[--nref];
}

static void
prop_insert(struct ptree *t, uint32_t addr, int len, void *value)
{
	ssize_t i = ref_find(addr, len);
	void *old = NULL;
	int rc;

	rc = ptree_insert(t, addr, len, value, &old);
	if (i >= 0) {
		if (rc != 1 || old != ref[i].value)
			disagree("insert %08x/%d: rc %d, want replace", addr,
			    len, rc);
		ref[i].value = value;
	} else {
		if (rc != 0)
			disagree("insert %08x/%d: rc %d, want new", addr, len,
			    rc);
		ref[nref].addr = addr & ptree_mask(len);
		ref[nref].len = len;
		ref[nref].value = value;
		nref++;
	}
}

static void
prop_remove(struct ptree *t, uint32_t addr, int len)
{
	ssize_t i = ref_find(addr, len);
	void *v;

	v = ptree_remove(t, addr, len);
	if (v != (i >= 0 ? ref[i].value : NULL))
		disagree("remove %08x/%d: got %p", addr, len, v);
	if (i >= 0)
		ref_delete((size_t)i);
}

static void
prop_find(struct ptree *t, uint32_t addr, int len)
{
	ssize_t i = ref_find(addr, len);
	void *v;

	v = ptree_find(t, addr, len);
	if (v != (i >= 0 ? ref[i].value : NULL))
		disagree("find %08x/%d: got %p", addr, len, v);
}

static void
prop_match(struct ptree *t, uint32_t addr)
{
	const struct pfx *want = ref_match(addr);
	uint32_t a = 0;
	int l = -1;
	void *v;

	v = ptree_match(t, addr, &a, &l);
	if (want == NULL) {
		if (v != NULL)
			disagree("match %08x: got %08x/%d, want none", addr,
			    a, l);
	} else if (v != want->value || a != want->addr || l != want->len)
		disagree("match %08x: got %08x/%d, want %08x/%d", addr, a, l,
		    want->addr, want->len);
}

static void
prop_next(struct ptree *t, uint32_t addr, int len)
{
	const struct pfx *want = ref_next(addr, len);
	uint32_t a = addr;
	int l = len;
	void *v;

	v = ptree_next(t, &a, &l);
	if (want == NULL) {
		if (v != NULL)
			disagree("next %08x/%d: got %08x/%d, want end", addr,
			    len, a, l);
	} else if (v != want->value || a != want->addr || l != want->len)
		disagree("next %08x/%d: got %08x/%d, want %08x/%d", addr, len,
		    a, l, want->addr, want->len);
}

struct prop_walker {
	struct ptree		*t;
	const struct pfx	*sorted;
	size_t			 n;
	size_t			 i;
	uint64_t		*s;
	int			 prune;
	size_t			 stop;	/* stop after this many; 0 never */
};

/*
 * ptree_walk() must give what ptree_first()/ptree_next() give, and may
 * remove the prefix it is at.
 */
static int
prop_walk_one(uint32_t addr, int len, void *value, void *arg)
{
	struct prop_walker *w = arg;
	uint32_t a;
	ssize_t r;
	void *v;
	int l;

	if (w->i >= w->n)
		disagree("ptree_walk: more than %zu prefixes", w->n);
	if (value != w->sorted[w->i].value || addr != w->sorted[w->i].addr ||
	    len != w->sorted[w->i].len)
		disagree("ptree_walk #%zu: got %08x/%d, want %08x/%d", w->i,
		    addr, len, w->sorted[w->i].addr, w->sorted[w->i].len);
	if (w->i == 0) {
		v = ptree_first(w->t, &a, &l);
		if (v != value || a != addr || l != len)
			disagree("ptree_walk starts at %08x/%d, ptree_first "
			    "at %08x/%d", addr, len, a, l);
	}
	if (w->i + 1 < w->n) {
		a = addr;
		l = len;
		v = ptree_next(w->t, &a, &l);
		if (v != w->sorted[w->i + 1].value)
			disagree("after %08x/%d ptree_next gives %08x/%d",
			    addr, len, a, l);
	}
	w->i++;
	if (w->prune && rng_below(w->s, 4) == 0) {
		if (ptree_remove(w->t, addr, len) != value)
			disagree("ptree_walk: remove %08x/%d failed", addr,
			    len);
		if ((r = ref_find(addr, len)) < 0)
			disagree("ptree_walk: %08x/%d not in ref", addr, len);
		ref_delete((size_t)r);
	}
	return w->i == w->stop ? 1 : 0;
}

static void
prop_tree_walk(struct ptree *t, uint64_t *s, int prune)
{
	static struct pfx sorted[PROP_MAXREF];
	struct prop_walker w = { t, sorted, nref, 0, s, prune, 0 };
	int rc;

	memcpy(sorted, ref, nref * sizeof(ref[0]));
	qsort(sorted, nref, sizeof(sorted[0]), pfx_cmp);
	/* Sometimes stopped early, at a random place. */
	if (nref > 0 && rng_below(s, 4) == 0)
		w.stop = 1 + rng_below(s, (uint32_t)nref);
	rc = ptree_walk(t, prop_walk_one, &w);
	if (rc != (w.stop != 0) || w.i != (w.stop != 0 ? w.stop : w.n))
		disagree("ptree_walk returned %d after %zu of %zu prefixes",
		    rc, w.i, w.n);
}

/* Walks the whole trie, removing about a quarter on the way if asked. */
static void
prop_walk(struct ptree *t, uint64_t *s, int prune)
{
	static struct pfx sorted[PROP_MAXREF];
	size_t i, n = nref;
	uint32_t a;
	ssize_t r;
	void *v;
	int l;

	memcpy(sorted, ref, n * sizeof(ref[0]));
	qsort(sorted, n, sizeof(sorted[0]), pfx_cmp);
	i = 0;
	for (v = ptree_first(t, &a, &l); v != NULL;
	    v = ptree_next(t, &a, &l)) {
		if (i >= n)
			disagree("walk: more than %zu prefixes", n);
		if (v != sorted[i].value || a != sorted[i].addr ||
		    l != sorted[i].len)
			disagree("walk #%zu: got %08x/%d, want %08x/%d", i, a,
			    l, sorted[i].addr, sorted[i].len);
		if (prune && rng_below(s, 4) == 0) {
			if (ptree_remove(t, a, l) != v)
				disagree("walk: remove %08x/%d failed", a, l);
			if ((r = ref_find(a, l)) < 0)
				disagree("walk: %08x/%d not in ref", a, l);
			ref_delete((size_t)r);
		}
		i++;
	}
	if (i != n)
		disagree("walk: %zu prefixes, want %zu", i, n);
}

static void
run_profile(const struct profile *pr)
{
	struct ptree *t = pr->unindexed ? ptree_new_unindexed() : ptree_new();
	const struct pfx *p;
	const char *env;
	uint64_t s;
	uint32_t r, addr;
	int len, growing;

	prop_seed = PROP_SEED;
	if ((env = getenv("PATRICIA_SEED")) != NULL && *env != '\0')
		prop_seed = strtoull(env, NULL, 0);
	prop_name = pr->name;
	print_message("patricia %s property test: PATRICIA_SEED=%" PRIu64
	    ", %lu steps\n", pr->name, prop_seed, pr->steps);
	s = prop_seed;
	nref = 0;

	assert_non_null(t);
	assert_true(pr->maxref <= PROP_MAXREF);
	assert_true(pr->steps <= PROP_MAXSTEPS);
	for (prop_step = 0; prop_step < pr->steps; prop_step++) {
		/* Alternate filling up and draining, to visit both. */
		growing = (prop_step / pr->phase) % 2 == 0;
		r = rng_below(&s, 100);
		addr = pr->addr(&s);
		len = pr->len(&s);
		/* Often aim at something stored, or just beside it. */
		if (nref > 0 && rng_below(&s, 2) == 0) {
			p = &ref[rng_below(&s, (uint32_t)nref)];
			addr = p->addr | (addr & ~ptree_mask(p->len));
			len = p->len;
			if (rng_below(&s, 4) == 0)
				len = (int)rng_below(&s, 33);
		}

		if (r < (growing ? 45U : 20U)) {
			if (nref < pr->maxref)
				prop_insert(t, addr, len, &values[prop_step]);
			else
				prop_remove(t, ref[0].addr, ref[0].len);
		} else if (r < 60)
			prop_remove(t, addr, len);
		else if (r < 70)
			prop_find(t, addr, len);
		else if (r < 92)
			prop_match(t, addr);
		else if (r < 99)
			prop_next(t, addr, len);
		else if (rng_below(&s, 2) == 0)
			prop_walk(t, &s, rng_below(&s, 128) == 0);
		else
			prop_tree_walk(t, &s, rng_below(&s, 64) == 0);

		if (ptree_count(t) != nref)
			disagree("count %zu, want %zu", ptree_count(t), nref);
	}
	ptree_free(t, NULL);
}

/* AMPRNet-like: nesting and collisions everywhere, up to ~1000 stored. */
static void
test_property_ampr(void **state)
{
	static const struct profile pr = {
		"ampr", ampr_addr, ampr_len, 3000, 200000, 10000, 0
	};

	run_profile(&pr);
}

/* Spread out and larger, up to a few thousand stored. */
static void
test_property_wide(void **state)
{
	static const struct profile pr = {
		"wide", wide_addr, wide_len, PROP_MAXREF, 150000, 25000, 0
	};

	run_profile(&pr);
}

/* Everything inside 44/8: the index under the common prefix. */
static void
test_property_one8(void **state)
{
	static const struct profile pr = {
		"one8", one8_addr, one8_len, PROP_MAXREF, 200000, 20000, 0
	};

	run_profile(&pr);
}

/* The common prefix shrinks and grows as prefixes come and go. */
static void
test_property_moving(void **state)
{
	static const struct profile pr = {
		"moving", moving_addr, moving_len, 4000, 150000, 9000, 0
	};

	run_profile(&pr);
}

/* Every stored prefix found; addresses in and around them matched. */
static void
check_against_ref(struct ptree *t, uint64_t *s)
{
	static const uint32_t far[] = {
		IP(0, 0, 0, 1), IP(10, 1, 2, 3), IP(44, 0, 0, 1),
		IP(44, 127, 255, 255), IP(44, 144, 0, 0), IP(45, 0, 0, 0),
		IP(255, 255, 255, 255),
	};
	size_t i;

	for (i = 0; i < nref; i++) {
		prop_find(t, ref[i].addr, ref[i].len);
		prop_match(t, ref[i].addr | ((uint32_t)rng_next(s) &
		    ~ptree_mask(ref[i].len)));
	}
	for (i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		prop_match(t, far[i]);
		prop_find(t, far[i], 32);
		prop_find(t, far[i], 8);
	}
	prop_find(t, IP(44, 0, 0, 0), 8);
	prop_find(t, 0, 0);
}

/*
 * The common prefix of everything stored, step by step: a dense set in
 * 44.128.0.0/12; a prefix elsewhere in 44/8 widens it, a default route
 * widens it to nothing; removing them narrows it again, and many short
 * prefixes arrive under the narrow one.  Every step answers as the
 * reference does.
 */
static void
test_common_prefix_moves(void **state)
{
	struct ptree *t = ptree_new();
	uint64_t s = 17;
	int i, round;

	prop_seed = s;
	prop_name = "common prefix";
	prop_step = 0;
	nref = 0;
	assert_non_null(t);
	for (i = 0; i < 2000; i++)
		prop_insert(t, IP(44, 128, 0, 0) | rng_below(&s, 1U << 20),
		    24 + (int)rng_below(&s, 9), &values[i]);
	check_against_ref(t, &s);
	for (round = 0; round < 3; round++) {
		prop_step = (unsigned long)round;
		prop_insert(t, IP(44, 1, 0, 0), 16, &values[2000]);
		check_against_ref(t, &s);
		prop_insert(t, 0, 0, &values[2001]);
		check_against_ref(t, &s);
		prop_remove(t, IP(44, 1, 0, 0), 16);
		check_against_ref(t, &s);
		prop_remove(t, 0, 0);
		check_against_ref(t, &s);
		/* Enough changes for the index to narrow to the set again. */
		for (i = 0; i < 600; i++) {
			prop_remove(t, ref[0].addr, ref[0].len);
			prop_insert(t, IP(44, 128, 0, 0) |
			    rng_below(&s, 1U << 20), 20 + (int)rng_below(&s,
			    13), &values[2002 + round * 600 + i]);
		}
		check_against_ref(t, &s);
	}
	/* Many new short prefixes between two rebuilds of the index. */
	while (nref > 1100)
		prop_remove(t, ref[nref - 1].addr, ref[nref - 1].len);
	for (i = 0; i < 300; i++)
		prop_insert(t, IP(44, 128, 0, 0) | rng_below(&s, 1U << 20),
		    20 + (int)rng_below(&s, 3), &values[4000 + i]);
	check_against_ref(t, &s);
	assert_int_equal(ptree_count(t), nref);
	ptree_free(t, NULL);
}

/* The same answers without the lookup index, from the root every time. */
static void
test_property_unindexed(void **state)
{
	static const struct profile pr = {
		"unindexed", wide_addr, wide_len, PROP_MAXREF, 60000, 15000, 1
	};

	run_profile(&pr);
}

/* Without the index a big trie is smaller, and answers the same. */
static void
test_unindexed_memory(void **state)
{
	struct ptree *t = ptree_new(), *u = ptree_new_unindexed();
	uint64_t seed = 12;
	uint32_t addr;
	size_t i;
	int len;

	assert_non_null(u);
	for (i = 0; i < 20000; i++) {
		len = ampr_len(&seed);
		addr = IP(44, 0, 0, 0) | rng_below(&seed, 1U << 24);
		assert_int_equal(ptree_insert(u, addr, len, V(i % 16), NULL),
		    ptree_insert(t, addr, len, V(i % 16), NULL));
	}
	assert_int_equal(ptree_count(u), ptree_count(t));
	/* At least the index's one word a prefix. */
	assert_true(ptree_memory(u) + 4 * ptree_count(t) <= ptree_memory(t));
	for (i = 0; i < 20000; i++) {
		addr = IP(44, 0, 0, 0) | rng_below(&seed, 1U << 24);
		len = ampr_len(&seed);
		assert_ptr_equal(ptree_find(u, addr, len),
		    ptree_find(t, addr, len));
		assert_ptr_equal(ptree_match(u, addr, NULL, NULL),
		    ptree_match(t, addr, NULL, NULL));
	}
	ptree_free(t, NULL);
	ptree_free(u, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_host_routes),
		cmocka_unit_test(test_nested_longest_match),
		cmocka_unit_test(test_remove_node_keeps_children),
		cmocka_unit_test(test_remove_root_only_child),
		cmocka_unit_test(test_reinsert_and_replace),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_host_bits_ignored),
		cmocka_unit_test(test_iteration_order),
		cmocka_unit_test(test_delete_during_iteration),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_walk_deep),
		cmocka_unit_test(test_memory_reused),
		cmocka_unit_test(test_memory_index),
		cmocka_unit_test(test_free_values),
		cmocka_unit_test(test_bytes_per_prefix),
		cmocka_unit_test(test_property_ampr),
		cmocka_unit_test(test_property_wide),
		cmocka_unit_test(test_property_one8),
		cmocka_unit_test(test_property_moving),
		cmocka_unit_test(test_common_prefix_moves),
		cmocka_unit_test(test_property_unindexed),
		cmocka_unit_test(test_unindexed_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
