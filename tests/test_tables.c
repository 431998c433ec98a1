/*
 * The building blocks of the tables: object pool, gif unit bitmap, tunnel
 * table.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pool.h"
#include "tunnels.h"
#include "unitmap.h"

static void
test_pool_reuse_and_zeroing(void **state)
{
	struct pool p;
	char *a, *b, *c;

	pool_init(&p, 40);
	a = pool_get(&p);
	b = pool_get(&p);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	memset(a, 0x5a, 40);
	pool_put(&p, a);
	assert_int_equal(p.used, 1);
	c = pool_get(&p);
	/* The freed object comes back, zeroed. */
	assert_ptr_equal(c, a);
	assert_int_equal(c[0], 0);
	assert_int_equal(c[39], 0);
	pool_destroy(&p);
	assert_int_equal(p.bytes, 0);
}

static void
test_pool_many_distinct(void **state)
{
	struct pool p;
	void **objs;
	size_t i, j, n = 20000;

	pool_init(&p, 24);
	objs = calloc(n, sizeof(*objs));
	for (i = 0; i < n; i++) {
		objs[i] = pool_get(&p);
		assert_non_null(objs[i]);
		memset(objs[i], (int)(i & 0xff), 24);
	}
	/* No two objects overlap: each still holds its own pattern. */
	for (i = 0; i < n; i++)
		for (j = 0; j < 24; j++)
			assert_int_equal(((unsigned char *)objs[i])[j], i & 0xff);
	assert_int_equal(p.used, n);
	/* Memory is close to the objects' own size. */
	assert_true(p.bytes < n * 24 + n * 24 / 10 + 65536);
	free(objs);
	pool_destroy(&p);
}

static void
test_unitmap_lowest_free(void **state)
{
	struct unitmap m;

	unitmap_init(&m);
	assert_int_equal(unitmap_reserve(&m, 0), 0);
	assert_int_equal(unitmap_reserve(&m, 1), 0);
	assert_int_equal(unitmap_take(&m, 3), 0);
	assert_int_equal(unitmap_alloc(&m), 2);
	assert_int_equal(unitmap_alloc(&m), 4);
	unitmap_release(&m, 2);
	assert_int_equal(unitmap_alloc(&m), 2);
	/* Reserved units are never released nor handed out. */
	unitmap_release(&m, 1);
	assert_true(unitmap_is_used(&m, 1));
	assert_true(unitmap_is_reserved(&m, 1));
	assert_false(unitmap_is_reserved(&m, 2));
	assert_int_equal(unitmap_alloc(&m), 5);
}

static void
test_unitmap_bounds_and_exhaustion(void **state)
{
	struct unitmap *m = malloc(sizeof(*m));
	int i;

	unitmap_init(m);
	assert_int_equal(unitmap_reserve(m, -1), -1);
	assert_int_equal(unitmap_reserve(m, UNITMAP_UNITS), -1);
	assert_int_equal(unitmap_take(m, UNITMAP_UNITS), -1);
	assert_false(unitmap_is_used(m, -5));
	assert_int_equal(unitmap_reserve(m, 65535), 0);
	for (i = 0; i < UNITMAP_UNITS - 1; i++)
		assert_int_equal(unitmap_alloc(m), i);
	assert_int_equal(unitmap_alloc(m), -1);
	unitmap_release(m, 40000);
	assert_int_equal(unitmap_alloc(m), 40000);
	free(m);
}

static void
test_tunnels_find_get_free(void **state)
{
	struct tunnels t;
	struct tunnel *a, *b;
	uint32_t i;

	tunnels_init(&t, 1000);
	a = tunnels_get(&t, 0xc6336414);
	assert_non_null(a);
	assert_int_equal(a->unit, -1);
	assert_ptr_equal(tunnels_get(&t, 0xc6336414), a);
	assert_ptr_equal(tunnels_find(&t, 0xc6336414), a);
	assert_null(tunnels_find(&t, 0xcb007107));
	assert_int_equal(tunnels_set_unit(&t, a, -1), 0);
	assert_int_equal(a->unit, 0);
	assert_ptr_equal(tunnels_by_unit(&t, 0), a);
	/* Many more, forcing rehashes: all still found. */
	for (i = 1; i < 900; i++) {
		b = tunnels_get(&t, 0x0a000000 + i * 7919);
		assert_non_null(b);
		assert_int_equal(tunnels_set_unit(&t, b, -1), 0);
		assert_int_equal(b->unit, (int)i);
	}
	for (i = 1; i < 900; i++) {
		b = tunnels_find(&t, 0x0a000000 + i * 7919);
		assert_non_null(b);
		assert_ptr_equal(tunnels_by_unit(&t, b->unit), b);
	}
	assert_int_equal(t.count, 900);
	tunnels_free(&t, a);
	assert_null(tunnels_find(&t, 0xc6336414));
	assert_null(tunnels_by_unit(&t, 0));
	assert_int_equal(t.count, 899);
	/* Its unit is free again. */
	b = tunnels_get(&t, 0x01020304);
	assert_int_equal(tunnels_set_unit(&t, b, -1), 0);
	assert_int_equal(b->unit, 0);
	tunnels_destroy(&t);
}

static void
test_tunnels_cap(void **state)
{
	struct tunnels t;

	tunnels_init(&t, 2);
	assert_non_null(tunnels_get(&t, 1));
	assert_non_null(tunnels_get(&t, 2));
	errno = 0;
	assert_null(tunnels_get(&t, 3));
	assert_int_equal(errno, ENOSPC);
	/* An existing one is still found at the cap. */
	assert_non_null(tunnels_get(&t, 2));
	tunnels_destroy(&t);
}

static void
test_tunnels_adopted_unit(void **state)
{
	struct tunnels t;
	struct tunnel *a, *b;

	tunnels_init(&t, 10);
	a = tunnels_get(&t, 1);
	assert_int_equal(tunnels_set_unit(&t, a, 700), 0);
	assert_ptr_equal(tunnels_by_unit(&t, 700), a);
	assert_int_equal(tunnels_set_unit(&t, a, 70000), -1);
	b = tunnels_get(&t, 2);
	assert_int_equal(tunnels_set_unit(&t, b, -1), 0);
	assert_int_equal(b->unit, 0);
	tunnels_destroy(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_reuse_and_zeroing),
		cmocka_unit_test(test_pool_many_distinct),
		cmocka_unit_test(test_unitmap_lowest_free),
		cmocka_unit_test(test_unitmap_bounds_and_exhaustion),
		cmocka_unit_test(test_tunnels_find_get_free),
		cmocka_unit_test(test_tunnels_cap),
		cmocka_unit_test(test_tunnels_adopted_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
