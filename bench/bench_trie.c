/*
 * The PATRICIA trie against a naive sorted array, at 1k to 1M prefixes
 * with the AMPR-like length mix spread over the whole IPv4 space.
 *
 * The array holds (address, length) keys in the trie's own order, each
 * with its value.  Insert and remove find the place by binary search and
 * shift the tail with memmove, O(n) an operation.  Exact find is one
 * binary search.  Longest-prefix match masks the address to each length
 * from 32 down to 0 and binary-searches for that prefix, stopping at the
 * first hit (the method the issue names); a variant that skips lengths
 * holding no prefix is reported beside it, for information.
 *
 * Insert and remove are timed on a batch of K prefixes going into and out
 * of a structure holding the other N - K, so both run at about N; the
 * array's K is kept small at large N because each of its operations moves
 * megabytes.  Lookups are timed over fixed query lists: exact finds of
 * stored prefixes, and addresses half inside stored prefixes, half
 * uniform.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patricia.h"
#include "bench.h"

#define NQUERIES	100000
#define NSIZES		4
#define MAX_LOOKUP_REPS	16

struct size_plan {
	size_t	n;
	size_t	trie_batch;	/* K for the trie */
	int	trie_reps;
	size_t	array_batch;	/* K for the array */
	int	array_reps;
	int	lookup_reps;
	size_t	array_lpm_queries;
};

static const struct size_plan plans[NSIZES] = {
	{ 1000, 100, 101, 100, 101, 11, NQUERIES },
	{ 10000, 1000, 31, 1000, 31, 11, NQUERIES },
	{ 100000, 10000, 11, 1000, 7, 7, 20000 },
	{ 1000000, 10000, 7, 100, 5, 5, 20000 },
};

enum op { OP_INSERT, OP_FIND, OP_LPM, OP_REMOVE, NOPS };

static const char *const op_names[NOPS] = { "insert", "find", "lpm",
    "remove" };

struct trie_result {
	size_t	n;
	double	trie[NOPS];
	double	array[NOPS];
	double	array_lpm_skip;
	double	trie_bytes;
};

struct sarray {
	struct sentry	*e;
	size_t		 n;
	size_t		 cap;
	size_t		 bylen[33];	/* prefixes of each length */
	uint64_t	 lengths;	/* bit len set when bylen[len] > 0 */
};

struct sentry {
	uint64_t	 key;		/* address << 8 | length */
	void		*value;
};

static uint32_t
mask_of(int len)
{
	return len == 0 ? 0 : 0xffffffffU << (32 - len);
}

static uint64_t
key_of(uint32_t addr, int len)
{
	return (uint64_t)(addr & mask_of(len)) << 8 | (uint64_t)len;
}

/* First index whose key is >= key. */
static size_t
sarray_lower(const struct sarray *a, uint64_t key)
{
	size_t lo = 0, hi = a->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a->e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
sarray_count(struct sarray *a, int len, int delta)
{
	a->bylen[len] += (size_t)delta;
	if (a->bylen[len] > 0)
		a->lengths |= (uint64_t)1 << len;
	else
		a->lengths &= ~((uint64_t)1 << len);
}

static void
sarray_insert(struct sarray *a, uint32_t addr, int len, void *value)
{
	uint64_t key = key_of(addr, len);
	size_t i = sarray_lower(a, key);

	if (i < a->n && a->e[i].key == key) {
		a->e[i].value = value;
		return;
	}
	/* Capacity is set up front, so the timed work is the shift. */
	memmove(&a->e[i + 1], &a->e[i], (a->n - i) * sizeof(a->e[0]));
	a->e[i].key = key;
	a->e[i].value = value;
	a->n++;
	sarray_count(a, len, 1);
}

static void *
sarray_find(const struct sarray *a, uint32_t addr, int len)
{
	uint64_t key = key_of(addr, len);
	size_t i = sarray_lower(a, key);

	return i < a->n && a->e[i].key == key ? a->e[i].value : NULL;
}

static void *
sarray_remove(struct sarray *a, uint32_t addr, int len)
{
	uint64_t key = key_of(addr, len);
	size_t i = sarray_lower(a, key);
	void *value;

	if (i >= a->n || a->e[i].key != key)
		return NULL;
	value = a->e[i].value;
	memmove(&a->e[i], &a->e[i + 1], (a->n - i - 1) * sizeof(a->e[0]));
	a->n--;
	sarray_count(a, len, -1);
	return value;
}

static void *
sarray_lpm(const struct sarray *a, uint32_t addr)
{
	void *v;
	int len;

	for (len = 32; len >= 0; len--)
		if ((v = sarray_find(a, addr, len)) != NULL)
			return v;
	return NULL;
}

static void *
sarray_lpm_skip(const struct sarray *a, uint32_t addr)
{
	void *v;
	int len;

	for (len = 32; len >= 0; len--)
		if ((a->lengths >> len & 1) &&
		    (v = sarray_find(a, addr, len)) != NULL)
			return v;
	return NULL;
}

static int
sentry_cmp(const void *x, const void *y)
{
	const struct sentry *a = x, *b = y;

	return (a->key > b->key) - (a->key < b->key);
}

static void *
value_of(size_t i)
{
	return (void *)(uintptr_t)(i + 1);
}

static double
ns_per(uint64_t t0, uint64_t t1, size_t ops)
{
	return (double)(t1 - t0) / (double)ops;
}

/* Times K inserts and K removes into a trie holding the other N - K. */
static void
time_trie_updates(struct ptree *t, const struct gen_prefix *p,
    const struct size_plan *sp, double *ins, double *rem)
{
	double *is = calloc((size_t)sp->trie_reps, sizeof(double));
	double *rs = calloc((size_t)sp->trie_reps, sizeof(double));
	size_t i, first = sp->n - sp->trie_batch;
	uintptr_t acc = 0;
	uint64_t t0, t1;
	int rep;

	if (is == NULL || rs == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (rep = 0; rep < sp->trie_reps; rep++) {
		t0 = now_ns();
		for (i = first; i < sp->n; i++)
			acc += (uintptr_t)ptree_insert(t, p[i].addr, p[i].len,
			    value_of(i), NULL);
		t1 = now_ns();
		is[rep] = ns_per(t0, t1, sp->trie_batch);
		t0 = now_ns();
		for (i = first; i < sp->n; i++)
			acc += (uintptr_t)ptree_remove(t, p[i].addr, p[i].len);
		t1 = now_ns();
		rs[rep] = ns_per(t0, t1, sp->trie_batch);
	}
	bench_sink = acc;
	*ins = median(is, (size_t)sp->trie_reps);
	*rem = median(rs, (size_t)sp->trie_reps);
	free(is);
	free(rs);
}

static void
time_array_updates(struct sarray *a, const struct gen_prefix *p,
    const struct size_plan *sp, double *ins, double *rem)
{
	double *is = calloc((size_t)sp->array_reps, sizeof(double));
	double *rs = calloc((size_t)sp->array_reps, sizeof(double));
	size_t i, first = sp->n - sp->array_batch;
	uintptr_t acc = 0;
	uint64_t t0, t1;
	int rep;

	if (is == NULL || rs == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (rep = 0; rep < sp->array_reps; rep++) {
		t0 = now_ns();
		for (i = first; i < sp->n; i++)
			sarray_insert(a, p[i].addr, p[i].len, value_of(i));
		t1 = now_ns();
		is[rep] = ns_per(t0, t1, sp->array_batch);
		t0 = now_ns();
		for (i = first; i < sp->n; i++)
			acc += (uintptr_t)sarray_remove(a, p[i].addr,
			    p[i].len);
		t1 = now_ns();
		rs[rep] = ns_per(t0, t1, sp->array_batch);
	}
	bench_sink = acc;
	*ins = median(is, (size_t)sp->array_reps);
	*rem = median(rs, (size_t)sp->array_reps);
	free(is);
	free(rs);
}

enum lookup { LK_TRIE_FIND, LK_TRIE_LPM, LK_ARRAY_FIND, LK_ARRAY_LPM,
    LK_ARRAY_LPM_SKIP };

/* One timed pass over the queries; ns per query. */
static double
time_lookups(enum lookup kind, const struct ptree *t, const struct sarray *a,
    const struct gen_prefix *q, const uint32_t *addrs, size_t nq)
{
	uintptr_t acc = 0;
	uint64_t t0, t1;
	size_t i;

	t0 = now_ns();
	switch (kind) {
	case LK_TRIE_FIND:
		for (i = 0; i < nq; i++)
			acc += (uintptr_t)ptree_find(t, q[i].addr, q[i].len);
		break;
	case LK_TRIE_LPM:
		for (i = 0; i < nq; i++)
			acc += (uintptr_t)ptree_match(t, addrs[i], NULL, NULL);
		break;
	case LK_ARRAY_FIND:
		for (i = 0; i < nq; i++)
			acc += (uintptr_t)sarray_find(a, q[i].addr, q[i].len);
		break;
	case LK_ARRAY_LPM:
		for (i = 0; i < nq; i++)
			acc += (uintptr_t)sarray_lpm(a, addrs[i]);
		break;
	case LK_ARRAY_LPM_SKIP:
		for (i = 0; i < nq; i++)
			acc += (uintptr_t)sarray_lpm_skip(a, addrs[i]);
		break;
	}
	t1 = now_ns();
	bench_sink = acc;
	return ns_per(t0, t1, nq);
}

/*
 * Trie and array passes take turns within each repetition, so that both
 * medians come from the same stretch of time on a shared machine.
 */
static void
time_all_lookups(const struct ptree *t, const struct sarray *a,
    const struct gen_prefix *q, const uint32_t *addrs,
    const struct size_plan *sp, struct trie_result *res)
{
	double s[5][MAX_LOOKUP_REPS];
	int rep, reps = sp->lookup_reps;
	size_t nq = sp->array_lpm_queries;

	if (reps > MAX_LOOKUP_REPS)
		reps = MAX_LOOKUP_REPS;
	for (rep = 0; rep < reps; rep++) {
		s[0][rep] = time_lookups(LK_TRIE_FIND, t, a, q, addrs,
		    NQUERIES);
		s[1][rep] = time_lookups(LK_ARRAY_FIND, t, a, q, addrs,
		    NQUERIES);
		s[2][rep] = time_lookups(LK_TRIE_LPM, t, a, q, addrs,
		    NQUERIES);
		s[3][rep] = time_lookups(LK_ARRAY_LPM, t, a, q, addrs, nq);
		s[4][rep] = time_lookups(LK_ARRAY_LPM_SKIP, t, a, q, addrs,
		    nq);
	}
	res->trie[OP_FIND] = median(s[0], (size_t)reps);
	res->array[OP_FIND] = median(s[1], (size_t)reps);
	res->trie[OP_LPM] = median(s[2], (size_t)reps);
	res->array[OP_LPM] = median(s[3], (size_t)reps);
	res->array_lpm_skip = median(s[4], (size_t)reps);
}

/* Both structures must answer every query alike, or nothing is measured. */
static void
verify(const struct ptree *t, const struct sarray *a,
    const struct gen_prefix *q, const uint32_t *addrs, size_t n)
{
	size_t i, bad = 0;
	void *v;

	if (ptree_count(t) != n || a->n != n)
		bad++;
	for (i = 0; i < NQUERIES; i++) {
		v = ptree_find(t, q[i].addr, q[i].len);
		if (v == NULL || v != sarray_find(a, q[i].addr, q[i].len))
			bad++;
		v = ptree_match(t, addrs[i], NULL, NULL);
		if (v != sarray_lpm_skip(a, addrs[i]))
			bad++;
		if (i < 2000 && v != sarray_lpm(a, addrs[i]))
			bad++;
	}
	check(bad == 0, "trie_agrees", "trie and array give the same answers "
	    "to %d finds and %d lookups at %zu prefixes (%zu wrong)",
	    NQUERIES, NQUERIES, n, bad);
}

static void
run_size(const struct size_plan *sp, struct trie_result *res)
{
	static const struct gen_space whole[] = { { 0, 0 } };
	struct gen_prefix *p, *q;
	struct ptree *t;
	struct sarray a;
	uint32_t *addrs;
	struct rng r;
	size_t i, j;

	memset(&a, 0, sizeof(a));
	rng_seed(&r, BENCH_SEED ^ sp->n);
	p = calloc(sp->n, sizeof(*p));
	q = calloc(NQUERIES, sizeof(*q));
	addrs = calloc(NQUERIES, sizeof(*addrs));
	a.cap = sp->n;
	a.e = calloc(a.cap, sizeof(*a.e));
	if (p == NULL || q == NULL || addrs == NULL || a.e == NULL ||
	    gen_prefixes(&r, whole, 1, p, sp->n, NULL) == -1 ||
	    (t = ptree_new()) == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (i = 0; i < NQUERIES; i++) {
		q[i] = p[rng_below(&r, (uint32_t)sp->n)];
		/* Half inside a stored prefix, half anywhere. */
		if (i % 2 == 0) {
			j = rng_below(&r, (uint32_t)sp->n);
			addrs[i] = p[j].addr |
			    ((uint32_t)rng_next(&r) & ~mask_of(p[j].len));
		} else
			addrs[i] = (uint32_t)rng_next(&r);
	}

	res->n = sp->n;
	for (i = 0; i < sp->n - sp->trie_batch; i++)
		if (ptree_insert(t, p[i].addr, p[i].len, value_of(i),
		    NULL) == -1) {
			fprintf(stderr, "bench: trie insert failed\n");
			exit(1);
		}
	time_trie_updates(t, p, sp, &res->trie[OP_INSERT],
	    &res->trie[OP_REMOVE]);
	for (i = sp->n - sp->trie_batch; i < sp->n; i++)
		ptree_insert(t, p[i].addr, p[i].len, value_of(i), NULL);
	res->trie_bytes = (double)ptree_memory(t) / (double)sp->n;

	for (i = 0; i < sp->n - sp->array_batch; i++) {
		a.e[i].key = key_of(p[i].addr, p[i].len);
		a.e[i].value = value_of(i);
		sarray_count(&a, p[i].len, 1);
	}
	a.n = sp->n - sp->array_batch;
	qsort(a.e, a.n, sizeof(a.e[0]), sentry_cmp);
	time_array_updates(&a, p, sp, &res->array[OP_INSERT],
	    &res->array[OP_REMOVE]);
	for (i = sp->n - sp->array_batch; i < sp->n; i++)
		sarray_insert(&a, p[i].addr, p[i].len, value_of(i));

	verify(t, &a, q, addrs, sp->n);
	time_all_lookups(t, &a, q, addrs, sp, res);

	ptree_free(t, NULL);
	free(a.e);
	free(p);
	free(q);
	free(addrs);
}

void
bench_trie(void)
{
	struct trie_result res[NSIZES];
	double speedup;
	size_t s;
	int op;

	printf("\n== Trie: PATRICIA vs sorted array, ns per operation "
	    "(median) ==\n");
	printf("Prefixes over all of IPv4, %s.\n", gen_mix_description());
	printf("Array LPM: binary search at each length 32..0 down to the "
	    "first hit;\n'skip' also skips lengths that hold no prefix.  "
	    "Insert/remove: K prefixes\ninto/out of the other N-K "
	    "(K trie/array: ");
	for (s = 0; s < NSIZES; s++)
		printf("%s%zu/%zu", s ? ", " : "", plans[s].trie_batch,
		    plans[s].array_batch);
	printf(").\n\n");
	printf("%9s  %-7s %11s %13s %9s\n", "prefixes", "op", "trie ns",
	    "array ns", "speedup");
	for (s = 0; s < NSIZES; s++) {
		run_size(&plans[s], &res[s]);
		for (op = 0; op < NOPS; op++) {
			speedup = res[s].array[op] / res[s].trie[op];
			printf("%9zu  %-7s %11.1f %13.1f %8.1fx\n", res[s].n,
			    op_names[op], res[s].trie[op], res[s].array[op],
			    speedup);
			figuref(res[s].trie[op], "ns", "trie_%s_ns_%zu",
			    op_names[op], res[s].n);
			figuref(res[s].array[op], "ns", "array_%s_ns_%zu",
			    op_names[op], res[s].n);
			figuref(speedup, "x", "%s_speedup_%zu", op_names[op],
			    res[s].n);
		}
		printf("%9zu  %-7s %11s %13.1f %8.1fx\n", res[s].n,
		    "lpm skip", "", res[s].array_lpm_skip,
		    res[s].array_lpm_skip / res[s].trie[OP_LPM]);
		printf("%9zu  trie memory %.1f bytes per prefix\n", res[s].n,
		    res[s].trie_bytes);
		figuref(res[s].array_lpm_skip, "ns", "array_lpm_skip_ns_%zu",
		    res[s].n);
		figuref(res[s].trie_bytes, "bytes", "trie_bytes_per_prefix_%zu",
		    res[s].n);
		fflush(stdout);
	}
	speedup = res[NSIZES - 1].array[OP_LPM] / res[NSIZES - 1].trie[OP_LPM];
	goal(speedup >= 10, "lpm_speedup", "LPM at 1M prefixes %.1fx faster "
	    "than the sorted array (goal >= 10x)", speedup);
}
