/*
 * The PATRICIA trie at 1k to 1M prefixes with the AMPR-like length mix,
 * against the trie as it was before its index followed the common prefix
 * (the baseline, trie_baseline.c) and against a naive sorted array.  The
 * main set lies inside 44/8 as AMPRNet does; a second set spreads the
 * same mix over all of IPv4.
 *
 * The array holds (address, length) keys in the trie's own order, each
 * with its value.  Insert and remove find the place by binary search and
 * shift the tail with memmove, O(n) an operation.  Exact find is one
 * binary search.  Longest-prefix match masks the address to each length
 * from 32 down to 0 and binary-searches for that prefix, stopping at the
 * first hit; a variant that skips lengths holding no prefix is reported
 * beside it, for information.
 *
 * Insert and remove are timed on a batch of K prefixes going into and out
 * of a structure holding the other N - K, so both run at about N; the
 * array's K is kept small at large N because each of its operations moves
 * megabytes.  Lookups are timed over fixed query lists: exact finds of
 * stored prefixes, and addresses half inside stored prefixes, half
 * uniform over the set's space.  Memory is bytes per prefix with the
 * lookup index counted.
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

/* The structures measured, each behind the same calls. */
enum impl { IM_TRIE, IM_BASELINE, IM_ARRAY, NIMPLS };

static const char *const impl_names[NIMPLS] = { "trie", "baseline",
    "array" };

/* Where a set's prefixes and lookup addresses come from. */
struct prefix_set {
	const char		*name;
	const char		*figure;	/* prefix of its figure names */
	const struct gen_space	*spaces;
	int			 nspaces;
};

static const struct gen_space whole_space[] = { { 0, 0 } };

static const struct prefix_set sets[] = {
	{ "inside 44/8 (44.0.0.0/9 and 44.128.0.0/10, as AMPRNet)", "",
	    gen_ampr_spaces, GEN_AMPR_NSPACES },
	{ "spread over all of IPv4", "spread_", whole_space, 1 },
};

#define NSETS	(sizeof(sets) / sizeof(sets[0]))

struct trie_result {
	size_t	n;
	double	ns[NIMPLS][NOPS];
	double	array_lpm_skip;
	double	bytes[NIMPLS];		/* per prefix; array unused */
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


static int
trie_insert(void *h, uint32_t addr, int len, void *value)
{
	return ptree_insert(h, addr, len, value, NULL);
}

static void *
trie_remove(void *h, uint32_t addr, int len)
{
	return ptree_remove(h, addr, len);
}

static void *
trie_find(const void *h, uint32_t addr, int len)
{
	return ptree_find(h, addr, len);
}

static void *
trie_match(const void *h, uint32_t addr)
{
	return ptree_match(h, addr, NULL, NULL);
}

static int
baseline_insert(void *h, uint32_t addr, int len, void *value)
{
	return baseline_ptree_insert(h, addr, len, value, NULL);
}

static void *
baseline_remove(void *h, uint32_t addr, int len)
{
	return baseline_ptree_remove(h, addr, len);
}

static void *
baseline_find(const void *h, uint32_t addr, int len)
{
	return baseline_ptree_find(h, addr, len);
}

static void *
baseline_match(const void *h, uint32_t addr)
{
	return baseline_ptree_match(h, addr, NULL, NULL);
}

static int
array_insert(void *h, uint32_t addr, int len, void *value)
{
	sarray_insert(h, addr, len, value);
	return 0;
}

static void *
array_remove(void *h, uint32_t addr, int len)
{
	return sarray_remove(h, addr, len);
}

static void *
array_find(const void *h, uint32_t addr, int len)
{
	return sarray_find(h, addr, len);
}

static void *
array_match(const void *h, uint32_t addr)
{
	return sarray_lpm(h, addr);
}

static void *
array_match_skip(const void *h, uint32_t addr)
{
	return sarray_lpm_skip(h, addr);
}

/* Indexed by enum impl. */
static int	(*const insert_fn[NIMPLS])(void *, uint32_t, int, void *) = {
	trie_insert, baseline_insert, array_insert };
static void	*(*const remove_fn[NIMPLS])(void *, uint32_t, int) = {
	trie_remove, baseline_remove, array_remove };
static void	*(*const find_fn[NIMPLS])(const void *, uint32_t, int) = {
	trie_find, baseline_find, array_find };
static void	*(*const match_fn[NIMPLS])(const void *, uint32_t) = {
	trie_match, baseline_match, array_match };

/*
 * Times K inserts and K removes into structures lo..hi, each holding the
 * other N - K; they take turns within each repetition, as lookups do.
 */
static void
time_updates(void *const h[NIMPLS], enum impl lo, enum impl hi,
    const struct gen_prefix *p, size_t n, size_t batch, int reps,
    struct trie_result *res)
{
	double *is[NIMPLS], *rs[NIMPLS];
	size_t i, first = n - batch;
	uintptr_t acc = 0;
	uint64_t t0, t1;
	int im, rep;

	for (im = lo; im <= (int)hi; im++) {
		is[im] = calloc((size_t)reps, sizeof(double));
		rs[im] = calloc((size_t)reps, sizeof(double));
		if (is[im] == NULL || rs[im] == NULL) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
	}
	for (rep = 0; rep < reps; rep++) {
		for (im = lo; im <= (int)hi; im++) {
			t0 = now_ns();
			for (i = first; i < n; i++)
				acc += (uintptr_t)insert_fn[im](h[im],
				    p[i].addr, p[i].len, value_of(i));
			t1 = now_ns();
			is[im][rep] = ns_per(t0, t1, batch);
			t0 = now_ns();
			for (i = first; i < n; i++)
				acc += (uintptr_t)remove_fn[im](h[im],
				    p[i].addr, p[i].len);
			t1 = now_ns();
			rs[im][rep] = ns_per(t0, t1, batch);
		}
	}
	bench_sink = acc;
	for (im = lo; im <= (int)hi; im++) {
		res->ns[im][OP_INSERT] = median(is[im], (size_t)reps);
		res->ns[im][OP_REMOVE] = median(rs[im], (size_t)reps);
		free(is[im]);
		free(rs[im]);
	}
}

/* One timed pass of finds; ns per query. */
static double
time_finds(enum impl im, const void *h, const struct gen_prefix *q,
    size_t nq)
{
	uintptr_t acc = 0;
	uint64_t t0, t1;
	size_t i;

	t0 = now_ns();
	for (i = 0; i < nq; i++)
		acc += (uintptr_t)find_fn[im](h, q[i].addr, q[i].len);
	t1 = now_ns();
	bench_sink = acc;
	return ns_per(t0, t1, nq);
}

/* One timed pass of longest-prefix matches; ns per query. */
static double
time_matches(void *(*match)(const void *, uint32_t), const void *h,
    const uint32_t *addrs, size_t nq)
{
	uintptr_t acc = 0;
	uint64_t t0, t1;
	size_t i;

	t0 = now_ns();
	for (i = 0; i < nq; i++)
		acc += (uintptr_t)match(h, addrs[i]);
	t1 = now_ns();
	bench_sink = acc;
	return ns_per(t0, t1, nq);
}

/*
 * The structures' passes take turns within each repetition, so that all
 * medians come from the same stretch of time on a shared machine.
 */
static void
time_all_lookups(void *const h[NIMPLS], const struct gen_prefix *q,
    const uint32_t *addrs, const struct size_plan *sp,
    struct trie_result *res)
{
	double f[NIMPLS][MAX_LOOKUP_REPS], m[NIMPLS][MAX_LOOKUP_REPS];
	double skip[MAX_LOOKUP_REPS];
	int im, rep, reps = sp->lookup_reps;
	size_t nq;

	if (reps > MAX_LOOKUP_REPS)
		reps = MAX_LOOKUP_REPS;
	for (rep = 0; rep < reps; rep++) {
		for (im = 0; im < NIMPLS; im++) {
			nq = im == IM_ARRAY ? sp->array_lpm_queries : NQUERIES;
			f[im][rep] = time_finds(im, h[im], q, NQUERIES);
			m[im][rep] = time_matches(match_fn[im], h[im], addrs,
			    nq);
		}
		skip[rep] = time_matches(array_match_skip, h[IM_ARRAY],
		    addrs, sp->array_lpm_queries);
	}
	for (im = 0; im < NIMPLS; im++) {
		res->ns[im][OP_FIND] = median(f[im], (size_t)reps);
		res->ns[im][OP_LPM] = median(m[im], (size_t)reps);
	}
	res->array_lpm_skip = median(skip, (size_t)reps);
}

/* Every structure must answer every query alike, or nothing is measured. */
static void
verify(const struct prefix_set *set, void *const h[NIMPLS],
    const struct gen_prefix *q, const uint32_t *addrs, size_t n)
{
	const struct sarray *a = h[IM_ARRAY];
	size_t i, bad = 0;
	void *v;

	if (ptree_count(h[IM_TRIE]) != n ||
	    baseline_ptree_count(h[IM_BASELINE]) != n ||
	    a->n != n)
		bad++;
	for (i = 0; i < NQUERIES; i++) {
		v = ptree_find(h[IM_TRIE], q[i].addr, q[i].len);
		if (v == NULL || v != baseline_find(h[IM_BASELINE],
		    q[i].addr, q[i].len))
			bad++;
		v = ptree_match(h[IM_TRIE], addrs[i], NULL, NULL);
		if (v != baseline_match(h[IM_BASELINE], addrs[i]))
			bad++;
		if (v != sarray_lpm_skip(a, addrs[i]))
			bad++;
		if (i < 2000 && v != sarray_lpm(a, addrs[i]))
			bad++;
	}
	check(bad == 0, "trie_agrees", "trie, baseline and array agree on "
	    "%d finds and %d lookups, %zu prefixes %s (%zu wrong)", NQUERIES,
	    NQUERIES, n, set->figure[0] != '\0' ? "spread" : "in 44/8", bad);
}

/* Fills h with prefixes 0 .. count - 1. */
static void
load(enum impl im, void *h, const struct gen_prefix *p, size_t from,
    size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (insert_fn[im](h, p[i].addr, p[i].len, value_of(i)) == -1) {
			fprintf(stderr, "bench: %s insert failed\n",
			    impl_names[im]);
			exit(1);
		}
}

static void
run_size(const struct prefix_set *set, const struct size_plan *sp,
    struct trie_result *res)
{
	struct gen_prefix *p, *q;
	struct sarray a;
	void *h[NIMPLS];
	uint32_t *addrs;
	struct rng r;
	size_t i, j;

	memset(&a, 0, sizeof(a));
	memset(res, 0, sizeof(*res));
	rng_seed(&r, BENCH_SEED ^ sp->n);
	p = calloc(sp->n, sizeof(*p));
	q = calloc(NQUERIES, sizeof(*q));
	addrs = calloc(NQUERIES, sizeof(*addrs));
	h[IM_TRIE] = ptree_new();
	h[IM_BASELINE] = baseline_ptree_new();
	a.cap = sp->n;
	a.e = calloc(a.cap, sizeof(*a.e));
	h[IM_ARRAY] = &a;
	if (p == NULL || q == NULL || addrs == NULL || h[IM_TRIE] == NULL ||
	    h[IM_BASELINE] == NULL || a.e == NULL ||
	    gen_prefixes(&r, set->spaces, set->nspaces, p, sp->n,
	    NULL) == -1) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (i = 0; i < NQUERIES; i++) {
		q[i] = p[rng_below(&r, (uint32_t)sp->n)];
		/* Half inside a stored prefix, half anywhere in the set. */
		if (i % 2 == 0) {
			j = rng_below(&r, (uint32_t)sp->n);
			addrs[i] = p[j].addr |
			    ((uint32_t)rng_next(&r) & ~mask_of(p[j].len));
		} else
			addrs[i] = gen_address(&r, set->spaces,
			    set->nspaces);
	}

	res->n = sp->n;
	load(IM_TRIE, h[IM_TRIE], p, 0, sp->n - sp->trie_batch);
	load(IM_BASELINE, h[IM_BASELINE], p, 0, sp->n - sp->trie_batch);
	time_updates(h, IM_TRIE, IM_BASELINE, p, sp->n, sp->trie_batch,
	    sp->trie_reps, res);
	load(IM_TRIE, h[IM_TRIE], p, sp->n - sp->trie_batch, sp->n);
	load(IM_BASELINE, h[IM_BASELINE], p, sp->n - sp->trie_batch, sp->n);
	res->bytes[IM_TRIE] = (double)ptree_memory(h[IM_TRIE]) /
	    (double)sp->n;
	res->bytes[IM_BASELINE] =
	    (double)baseline_ptree_memory(h[IM_BASELINE]) / (double)sp->n;

	/* The array is sorted up front: only the batch goes in one by one. */
	for (i = 0; i < sp->n - sp->array_batch; i++) {
		a.e[i].key = key_of(p[i].addr, p[i].len);
		a.e[i].value = value_of(i);
		sarray_count(&a, p[i].len, 1);
	}
	a.n = sp->n - sp->array_batch;
	qsort(a.e, a.n, sizeof(a.e[0]), sentry_cmp);
	time_updates(h, IM_ARRAY, IM_ARRAY, p, sp->n, sp->array_batch,
	    sp->array_reps, res);
	load(IM_ARRAY, h[IM_ARRAY], p, sp->n - sp->array_batch, sp->n);

	verify(set, h, q, addrs, sp->n);
	time_all_lookups(h, q, addrs, sp, res);

	ptree_free(h[IM_TRIE], NULL);
	baseline_ptree_free(h[IM_BASELINE], NULL);
	free(a.e);
	free(p);
	free(q);
	free(addrs);
}

static void
report_size(const struct prefix_set *set, const struct trie_result *res)
{
	const char *fp = set->figure;
	double vs;
	int op, im;

	for (op = 0; op < NOPS; op++) {
		vs = res->ns[IM_BASELINE][op] / res->ns[IM_TRIE][op];
		printf("%9zu  %-8s %9.1f %11.1f %7.2fx", res->n, op_names[op],
		    res->ns[IM_TRIE][op], res->ns[IM_BASELINE][op], vs);
		for (im = 0; im < IM_ARRAY; im++)
			figuref(res->ns[im][op], "ns", "%s%s_%s_ns_%zu", fp,
			    impl_names[im], op_names[op], res->n);
		figuref(vs, "x", "%strie_%s_vs_baseline_%zu", fp,
		    op_names[op], res->n);
		vs = res->ns[IM_ARRAY][op] / res->ns[IM_TRIE][op];
		printf(" %11.1f %7.1fx\n", res->ns[IM_ARRAY][op], vs);
		figuref(res->ns[IM_ARRAY][op], "ns", "%sarray_%s_ns_%zu", fp,
		    op_names[op], res->n);
		figuref(vs, "x", "%s%s_speedup_%zu", fp, op_names[op],
		    res->n);
	}
	printf("%9zu  %-8s %9s %11s %8s %11.1f %7.1fx\n", res->n,
	    "lpm skip", "", "", "", res->array_lpm_skip,
	    res->array_lpm_skip / res->ns[IM_TRIE][OP_LPM]);
	figuref(res->array_lpm_skip, "ns", "%sarray_lpm_skip_ns_%zu", fp,
	    res->n);
	printf("%9zu  bytes per prefix, index counted: trie %.1f, "
	    "baseline %.1f\n", res->n, res->bytes[IM_TRIE],
	    res->bytes[IM_BASELINE]);
	for (im = 0; im < IM_ARRAY; im++)
		figuref(res->bytes[im], "bytes", "%s%s_bytes_per_prefix_%zu",
		    fp, impl_names[im], res->n);
	fflush(stdout);
}

/*
 * Issue 17's goals, on the set inside 44/8; the goal against the array
 * stays on the spread set, where it was set.
 */
static void
trie_goals(const struct trie_result *res, const struct trie_result *spread)
{
	const struct trie_result *small = &res[0], *big = &res[NSIZES - 1];
	const struct trie_result *mid = &res[NSIZES - 2];
	double x;
	int op;

	for (op = OP_FIND; op <= OP_LPM; op++) {
		x = big->ns[IM_BASELINE][op] / big->ns[IM_TRIE][op];
		goal(x >= 2, op == OP_FIND ? "trie_find_vs_baseline" :
		    "trie_lpm_vs_baseline", "%s at 1M prefixes inside 44/8 "
		    "%.2fx faster than the baseline trie (goal >= 2x)",
		    op_names[op], x);
	}
	goal(big->bytes[IM_TRIE] <= big->bytes[IM_BASELINE],
	    "trie_bytes_vs_baseline", "%.1f bytes per prefix at 1M inside "
	    "44/8, baseline %.1f (goal no more)", big->bytes[IM_TRIE],
	    big->bytes[IM_BASELINE]);
	for (op = 0; op < NOPS; op++)
		goal(small->ns[IM_TRIE][op] <= mid->ns[IM_TRIE][op],
		    "trie_small_not_slower", "%s at %zu prefixes %.1f ns, at "
		    "%zu %.1f ns (goal no slower)", op_names[op], small->n,
		    small->ns[IM_TRIE][op], mid->n, mid->ns[IM_TRIE][op]);
	big = &spread[NSIZES - 1];
	x = big->ns[IM_ARRAY][OP_LPM] / big->ns[IM_TRIE][OP_LPM];
	goal(x >= 10, "lpm_speedup", "LPM at 1M prefixes spread over IPv4 "
	    "%.1fx faster than the sorted array (goal >= 10x)", x);
}

void
bench_trie(void)
{
	struct trie_result res[NSETS][NSIZES];
	size_t s, k;

	for (k = 0; k < NSETS; k++) {
		printf("\n== Trie, prefixes %s: ns per operation (median) "
		    "==\n", sets[k].name);
		if (k == 0) {
			printf("%s.\nBaseline: the trie before issue 17 "
			    "(index by the top bits of all IPv4).\nArray LPM: "
			    "binary search at each length 32..0 down to the "
			    "first hit;\n'skip' also skips lengths that hold "
			    "no prefix.  Insert/remove: K prefixes\ninto/out "
			    "of the other N-K (K trie/array: ",
			    gen_mix_description());
			for (s = 0; s < NSIZES; s++)
				printf("%s%zu/%zu", s ? ", " : "",
				    plans[s].trie_batch, plans[s].array_batch);
			printf(").\n");
		}
		printf("\n%9s  %-8s %9s %11s %8s %11s %8s\n", "prefixes", "op",
		    "trie ns", "baseline ns", "vs base", "array ns",
		    "vs array");
		for (s = 0; s < NSIZES; s++) {
			run_size(&sets[k], &plans[s], &res[k][s]);
			report_size(&sets[k], &res[k][s]);
		}
	}
	trie_goals(res[0], res[1]);
}
