/*
 * A full broadcast through decode, policy, tables and reconcile
 * (ingest_datagram() on the dry-run backend): a cold cycle into an empty
 * mesh, then steady cycles of the same table; and the memory the tables
 * take, read as resident-set growth in a child process with the dry
 * backend's model off, so that only the daemon's own tables count.
 *
 * Steady cycles are timed two ways.  "Steady" repeats the broadcast at
 * one clock time: decode, policy and a lookup per entry, nothing else;
 * it is timed in batches of about 1,000 routes (see run_steady()).
 * "Amortized" spaces the cycles 300 s apart as amprgw does; from the
 * third on, each cycle ends a complete broadcast (see feed.h) and
 * mesh_expire() then walks the whole table once; the figure is the
 * median, over pairs of cycles, of their mean.  The walk alone is timed
 * through mesh_foreach(), which iterates the same way (ptree_walk).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kern_dry.h"
#include "patricia.h"
#include "rip.h"
#include "mesh_impl.h"
#include "bench.h"

#define MAX_SIZES	4
#define CYCLE_SECONDS	300
#define BATCH_DGRAMS	42	/* about 1,000 routes */
#define T0		((time_t)1000000)

/* What the memory child reports back. */
struct mem_result {
	int		ok;
	int		forked;
	size_t		rss_before;
	size_t		rss_after;
	size_t		mesh_memory;
	size_t		trie;
	size_t		route_pool;	/* records and their chunk list */
	size_t		route_index;	/* the hash of them by prefix */
	size_t		tunnel_pool;
	size_t		tunnel_hash;
	size_t		tunnel_byunit;
	size_t		fixed;		/* struct mesh, unit bitmap */
	size_t		worklists;
	size_t		routes;
	size_t		tunnels;
	size_t		sizeof_route;
	size_t		sizeof_tunnel;
	unsigned long	ops;
	double		ms;
};

struct pipe_result {
	size_t			n;
	size_t			gateways;
	size_t			max_per_gateway;
	size_t			maxroutes;
	size_t			maxtunnels;
	double			cold_ms;
	unsigned long		cold_ops;
	int			cold_exact;
	double			steady_ms;
	double			steady_ns;
	double			steady_p25;	/* quartiles of the batches */
	double			steady_p75;
	unsigned long		steady_ops;	/* most in any cycle */
	double			amortized_ns;
	unsigned long		amortized_ops;
	double			walk_ns;	/* per route */
	int			cold_reps;
	int			steady_reps;
	int			amortized_reps;
	struct mem_result	mem;
};

static struct pipe_result	results[MAX_SIZES];
static size_t			nresults;

static struct pipe_result *
result_for(size_t n)
{
	size_t i;

	for (i = 0; i < nresults; i++)
		if (results[i].n == n)
			return &results[i];
	if (nresults == MAX_SIZES) {
		fprintf(stderr, "bench: too many pipeline sizes\n");
		exit(1);
	}
	memset(&results[nresults], 0, sizeof(results[0]));
	results[nresults].n = n;
	return &results[nresults++];
}

static void
measure_memory(const struct bench_table *t, struct mem_result *mr)
{
	struct mesh_stats st;
	struct rig rig;
	struct mesh *m;
	uint64_t t0, t1;

	memset(mr, 0, sizeof(*mr));
	mr->rss_before = rss_bytes();
	if (rig_open(&rig, t, 0) == -1)
		return;
	t0 = now_ns();
	if (rig_feed(&rig, t, T0) != 0)
		return;
	t1 = now_ns();
	mr->rss_after = rss_bytes();
	m = rig.m;
	mesh_get_stats(m, &st);
	mr->ms = (double)(t1 - t0) / 1e6;
	mr->ops = rig_kernel_ops(&rig);
	mr->routes = st.routes;
	mr->tunnels = st.tunnels;
	mr->mesh_memory = mesh_memory(m);
	/* Which structure holds what: the fields mesh_memory() adds up. */
	mr->trie = ptree_memory(m->routes);
	mr->route_index = m->store.slots == NULL ? 0 :
	    sizeof(*m->store.slots) << m->store.slotbits;
	mr->route_pool = m->store.bytes - mr->route_index;
	mr->tunnel_pool = m->tunnels.pool.bytes;
	mr->tunnel_hash = m->tunnels.nbuckets * sizeof(*m->tunnels.buckets);
	mr->tunnel_byunit = m->tunnels.nbyunit * sizeof(*m->tunnels.byunit);
	mr->fixed = sizeof(*m) + sizeof(m->tunnels.units);
	mr->worklists = (m->rdirty.cap + m->tdirty.cap) * sizeof(void *);
	mr->sizeof_route = sizeof(struct route);
	mr->sizeof_tunnel = sizeof(struct tunnel);
	mr->ok = 1;
	rig_close(&rig);
}

/*
 * In a child, so that nothing an earlier measurement freed can be reused
 * unseen; in this process if fork() fails.
 */
void
bench_pipeline_memory(const struct bench_table *t)
{
	struct pipe_result *pr = result_for(t->nroutes);
	struct mem_result mr;
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], status;

	fflush(NULL);
	if (pipe(fds) == -1) {
		measure_memory(t, &pr->mem);
		return;
	}
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		measure_memory(t, &pr->mem);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		measure_memory(t, &mr);
		mr.forked = 1;
		if (write(fds[1], &mr, sizeof(mr)) != (ssize_t)sizeof(mr))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof(mr)) {
		n = read(fds[0], (char *)&mr + got, sizeof(mr) - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (got == sizeof(mr))
		pr->mem = mr;
	else
		pr->mem.ok = 0;
}

static int
entries_clean(const struct rig *rig, unsigned long entries_before,
    size_t n)
{
	int i;

	for (i = 0; i < R_NREASONS; i++)
		if (rig->in.reasons[i] != 0)
			return 0;
	return rig->in.refused == 0 && rig->in.entries - entries_before == n;
}

/*
 * Cold cycles, each into a new mesh; the last is left open in *rig.  (A
 * rig must not be copied: its ingest points at its own policy.)
 */
static void
run_cold(const struct bench_table *t, struct pipe_result *pr,
    struct rig *rig)
{
	struct mesh_stats st;
	double *ms;
	uint64_t t0, t1;
	unsigned long ops, expect = t->ngateways + t->nroutes;
	int rep, clean = 1;

	if ((ms = calloc((size_t)pr->cold_reps, sizeof(*ms))) == NULL)
		exit(1);
	pr->cold_exact = 1;
	for (rep = 0; rep < pr->cold_reps; rep++) {
		if (rig_open(rig, t, 1) == -1) {
			fprintf(stderr, "bench: cannot open the rig\n");
			exit(1);
		}
		t0 = now_ns();
		rig_feed(rig, t, T0);
		t1 = now_ns();
		ms[rep] = (double)(t1 - t0) / 1e6;
		ops = rig_kernel_ops(rig);
		mesh_get_stats(rig->m, &st);
		/* Both sides agree, and the model holds exactly the table. */
		if (ops != expect || st.kernel_ops != expect ||
		    st.kernel_errors != 0 || st.pending != 0 ||
		    kern_dry_ntunnels(rig->kctx) != t->ngateways ||
		    kern_dry_nroutes(rig->kctx) != t->nroutes)
			pr->cold_exact = 0;
		if (!entries_clean(rig, 0, t->nroutes) ||
		    st.routes != t->nroutes || st.tunnels != t->ngateways)
			clean = 0;
		pr->cold_ops = ops;
		if (rep + 1 < pr->cold_reps)
			rig_close(rig);
	}
	pr->cold_ms = median(ms, (size_t)pr->cold_reps);
	free(ms);
	check(clean, "cold_clean", "%zu routes: every entry accepted, %zu "
	    "routes and %zu tunnels wanted after each cold cycle",
	    t->nroutes, t->nroutes, t->ngateways);
}

/*
 * Steady cycles at one clock time.  Each cycle is timed in batches of
 * BATCH_DGRAMS datagrams, and the cost per entry is the median over all
 * batches of all cycles: on a shared machine a batch that was preempted
 * is an outlier the median drops, where a whole 100,000 route cycle is
 * rarely left alone.  Returns ns per entry; *cycle_ns gets the median
 * wall time of a whole cycle.
 */
static double
run_steady(struct rig *rig, const struct bench_table *t, int reps,
    time_t now, double *cycle_ns, double quartiles[2], unsigned long *maxops,
    int *clean)
{
	struct mesh_stats st;
	double *cycles, *batches, result;
	uint64_t c0, t0, t1;
	unsigned long before, ops, entries;
	size_t nbatch, per, b, d, last, nb = 0;
	int rep;

	per = BATCH_DGRAMS;
	nbatch = (t->ndgrams + per - 1) / per;
	cycles = calloc((size_t)reps, sizeof(*cycles));
	batches = calloc((size_t)reps * nbatch, sizeof(*batches));
	if (cycles == NULL || batches == NULL)
		exit(1);
	*maxops = 0;
	for (rep = 0; rep < reps; rep++) {
		before = rig_kernel_ops(rig);
		entries = rig->in.entries;
		c0 = t0 = now_ns();
		for (b = 0; b < nbatch; b++) {
			d = b * per;
			rig_feed_range(rig, t, d, per, now);
			t1 = now_ns();
			/* The last batch, and its last datagram, may be
			 * short. */
			last = (d + per) * RIP_MAX_ROUTES;
			if (last > t->nroutes)
				last = t->nroutes;
			batches[nb++] = (double)(t1 - t0) /
			    (double)(last - d * RIP_MAX_ROUTES);
			t0 = t1;
		}
		cycles[rep] = (double)(t0 - c0);
		ops = rig_kernel_ops(rig) - before;
		if (ops > *maxops)
			*maxops = ops;
		mesh_get_stats(rig->m, &st);
		if (!entries_clean(rig, entries, t->nroutes) ||
		    st.routes != t->nroutes || st.pending != 0)
			*clean = 0;
	}
	*cycle_ns = median(cycles, (size_t)reps);
	result = median(batches, nb);
	quartiles[0] = quantile_sorted(batches, nb, 0.25);
	quartiles[1] = quantile_sorted(batches, nb, 0.75);
	free(cycles);
	free(batches);
	return result;
}

/*
 * Cycles spacing seconds apart, each timed whole.  From the third on,
 * each cycle ends a complete broadcast and so holds one expiry walk; the
 * result is the median over pairs of their mean, ns per cycle.
 */
static double
run_amortized(struct rig *rig, const struct bench_table *t, int reps,
    time_t first, time_t spacing, unsigned long *maxops, int *clean)
{
	struct mesh_stats st;
	double *ns, result;
	uint64_t t0, t1;
	unsigned long before, ops, entries;
	int rep;

	if ((ns = calloc((size_t)reps, sizeof(*ns))) == NULL)
		exit(1);
	*maxops = 0;
	for (rep = 0; rep < reps; rep++) {
		before = rig_kernel_ops(rig);
		entries = rig->in.entries;
		t0 = now_ns();
		rig_feed(rig, t, first + (time_t)rep * spacing);
		t1 = now_ns();
		ns[rep] = (double)(t1 - t0);
		ops = rig_kernel_ops(rig) - before;
		if (ops > *maxops)
			*maxops = ops;
		mesh_get_stats(rig->m, &st);
		if (!entries_clean(rig, entries, t->nroutes) ||
		    st.routes != t->nroutes || st.pending != 0)
			*clean = 0;
	}
	for (rep = 0; rep + 1 < reps; rep += 2)
		ns[rep / 2] = (ns[rep] + ns[rep + 1]) / 2;
	result = median(ns, (size_t)reps / 2);
	free(ns);
	return result;
}

static void
count_route(void *arg, const struct mesh_route_view *v)
{
	*(size_t *)arg += v->installed;
}

/* A full ordered walk of the table, ns per route (median). */
static double
time_walk(struct rig *rig, const struct bench_table *t, int reps,
    int *clean)
{
	double ns[32];
	uint64_t t0, t1;
	size_t seen;
	int rep;

	if (reps > 32)
		reps = 32;
	for (rep = 0; rep < reps; rep++) {
		seen = 0;
		t0 = now_ns();
		mesh_foreach(rig->m, count_route, &seen);
		t1 = now_ns();
		ns[rep] = (double)(t1 - t0) / (double)t->nroutes;
		if (seen != t->nroutes)
			*clean = 0;
	}
	return median(ns, (size_t)reps);
}

void
bench_pipeline(const struct bench_table *t)
{
	struct pipe_result *pr = result_for(t->nroutes);
	struct mesh_config cfg;
	struct rig rig;
	double ns, quartiles[2];
	int clean = 1;

	pr->gateways = t->ngateways;
	pr->max_per_gateway = t->max_per_gateway;
	rig_config(&cfg, t);
	pr->maxroutes = cfg.maxroutes;
	pr->maxtunnels = cfg.maxtunnels;
	/* Small tables get many cycles, so that every size is sampled
	 * over a stretch of time long enough to ride out a busy spell. */
	if (t->nroutes <= 1000) {
		pr->cold_reps = 31;
		pr->steady_reps = 2001;
		pr->amortized_reps = 40;
	} else if (t->nroutes <= 10000) {
		pr->cold_reps = 11;
		pr->steady_reps = 101;
		pr->amortized_reps = 20;
	} else {
		pr->cold_reps = 5;
		pr->steady_reps = 21;
		pr->amortized_reps = 10;
	}
	run_cold(t, pr, &rig);
	pr->steady_ns = run_steady(&rig, t, pr->steady_reps,
	    T0 + CYCLE_SECONDS, &ns, quartiles, &pr->steady_ops, &clean);
	pr->steady_p25 = quartiles[0];
	pr->steady_p75 = quartiles[1];
	pr->steady_ms = ns / 1e6;
	ns = run_amortized(&rig, t, pr->amortized_reps,
	    T0 + 2 * CYCLE_SECONDS, CYCLE_SECONDS, &pr->amortized_ops, &clean);
	pr->amortized_ns = ns / (double)t->nroutes;
	pr->walk_ns = time_walk(&rig, t, pr->amortized_reps, &clean);
	rig_close(&rig);
	check(clean, "steady_clean", "%zu routes: every entry accepted, "
	    "nothing pending, all installed, in each steady cycle",
	    t->nroutes);
}

static double
per_route(size_t bytes, size_t routes)
{
	return routes ? (double)bytes / (double)routes : 0;
}

static void
report_memory(void)
{
	const struct mem_result *m;
	size_t i, growth;

	printf("\nMemory of the tables (dry model off; cold cycle in a "
	    "fresh child process;\nRSS from %s), bytes per route:\n\n",
	    rss_source());
	printf("%8s %8s %7s %7s %7s %7s %7s %7s %7s %7s %8s %8s\n", "routes",
	    "tunnels", "trie", "routes", "rindex", "tunnels", "hash",
	    "byunit", "fixed", "work", "mesh_mem", "RSS");
	for (i = 0; i < nresults; i++) {
		m = &results[i].mem;
		if (!m->ok) {
			printf("%8zu  (memory measurement failed)\n",
			    results[i].n);
			continue;
		}
		growth = m->rss_after > m->rss_before ?
		    m->rss_after - m->rss_before : 0;
		printf("%8zu %8zu %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f "
		    "%7.1f %8.1f %8.1f\n", m->routes, m->tunnels,
		    per_route(m->trie, m->routes),
		    per_route(m->route_pool, m->routes),
		    per_route(m->route_index, m->routes),
		    per_route(m->tunnel_pool, m->routes),
		    per_route(m->tunnel_hash, m->routes),
		    per_route(m->tunnel_byunit, m->routes),
		    per_route(m->fixed, m->routes),
		    per_route(m->worklists, m->routes),
		    per_route(m->mesh_memory, m->routes),
		    per_route(growth, m->routes));
		if (!m->forked)
			printf("%8s  (measured in this process: no fork)\n",
			    "");
		figuref(per_route(growth, m->routes), "bytes",
		    "bytes_per_route_%zu", results[i].n);
		figuref(per_route(m->mesh_memory, m->routes), "bytes",
		    "mesh_memory_per_route_%zu", results[i].n);
		figuref((double)m->mesh_memory, "bytes", "mesh_memory_%zu",
		    results[i].n);
		figuref((double)growth, "bytes", "rss_growth_%zu",
		    results[i].n);
		figuref(m->ms / (double)m->routes * 1e6, "ns",
		    "cold_model_off_ns_per_entry_%zu", results[i].n);
	}
	if (nresults > 0 && results[0].mem.ok)
		printf("(struct route %zu bytes, struct tunnel %zu bytes, "
		    "trie node 24 bytes; 'rindex' is\nthe routes' hash by "
		    "prefix, 'hash' the tunnels'; 'fixed' is struct mesh and "
		    "the\n65,536-unit bitmap; 'work' the dirty lists.)\n",
		    results[0].mem.sizeof_route, results[0].mem.sizeof_tunnel);
}

void
bench_pipeline_report(void)
{
	const struct pipe_result *pr, *small = NULL, *big = NULL;
	size_t i, growth;
	int zero = 1, exact = 1;

	printf("\n== Pipeline: decode, policy, tables, reconcile "
	    "(ingest_datagram, dry backend) ==\n");
	printf("Datagrams of 24 routes in random order.  cold: empty mesh "
	    "and empty dry model\n(model on, so that it answers as a kernel "
	    "would; its bookkeeping is in the cold\ntime), median.  steady: "
	    "the same table again at the same clock, median.\namort: cycles "
	    "300 s apart, the expiry walk of each cycle included.  walk:\n"
	    "one ordered walk of the table (what mesh_expire() does), per "
	    "route.\n\n");
	printf("%7s %6s %5s %8s %8s %8s %8s %8s %11s %5s %8s %7s\n",
	    "routes", "gways", "max/g", "cold ms", "cold ops", "T+R",
	    "steady", "ns/entry", "(quartiles)", "s.ops", "amort ns",
	    "walk ns");
	for (i = 0; i < nresults; i++) {
		pr = &results[i];
		printf("%7zu %6zu %5zu %8.2f %8lu %8zu %6.2fms %8.1f "
		    "(%4.0f-%4.0f) %5lu %8.1f %7.1f\n", pr->n, pr->gateways,
		    pr->max_per_gateway, pr->cold_ms, pr->cold_ops,
		    pr->gateways + pr->n, pr->steady_ms, pr->steady_ns,
		    pr->steady_p25, pr->steady_p75,
		    pr->steady_ops > pr->amortized_ops ? pr->steady_ops :
		    pr->amortized_ops, pr->amortized_ns, pr->walk_ns);
		figuref(pr->walk_ns, "ns", "walk_ns_per_route_%zu", pr->n);
		figuref((double)pr->steady_ops, "ops", "steady_kernel_ops_%zu",
		    pr->n);
		figuref((double)pr->amortized_ops, "ops",
		    "amortized_kernel_ops_%zu", pr->n);
		figuref((double)pr->cold_ops, "ops", "cold_kernel_ops_%zu",
		    pr->n);
		figuref(pr->steady_ns, "ns", "steady_ns_per_entry_%zu", pr->n);
		figuref(pr->amortized_ns, "ns", "amortized_ns_per_entry_%zu",
		    pr->n);
		figuref(pr->cold_ms, "ms", "cold_ms_%zu", pr->n);
		figuref(pr->cold_ms * 1e6 / (double)pr->n, "ns",
		    "cold_ns_per_entry_%zu", pr->n);
		figuref(pr->steady_ms, "ms", "steady_ms_%zu", pr->n);
		if (pr->steady_ops != 0 || pr->amortized_ops != 0)
			zero = 0;
		if (!pr->cold_exact)
			exact = 0;
		if (pr->n == AMPR_ROUTES)
			small = pr;
		if (pr->n == 100000)
			big = pr;
	}
	printf("\nTables: %d routes via %d gateways as in the real table; "
	    "larger ones keep that\nratio (1.5 routes a gateway) up to %d "
	    "gateways, as gif units stop at 65,536.\nCaps (mesh_config "
	    "maxroutes/maxtunnels; defaults %d/%d, raised only\nwhere a "
	    "table is larger):", AMPR_ROUTES, AMPR_GATEWAYS,
	    BENCH_MAX_GATEWAYS, MESH_DEFAULT_MAXROUTES,
	    MESH_DEFAULT_MAXTUNNELS);
	for (i = 0; i < nresults; i++)
		printf("%s %zu routes: %zu/%zu", i ? ";" : "", results[i].n,
		    results[i].maxroutes, results[i].maxtunnels);
	printf(".\n");
	report_memory();

	goal(zero, "steady_zero_ops", "0 kernel operations for an unchanged "
	    "table at every size");
	goal(exact, "cold_exact_ops", "a cold start costs exactly tunnels + "
	    "routes operations at every size");
	if (small != NULL && big != NULL)
		goal(big->steady_ns <= 2 * small->steady_ns, "steady_scaling",
		    "steady %.1f ns/entry at 100,000 vs %.1f at 531: %.2fx "
		    "(goal <= 2x)", big->steady_ns, small->steady_ns,
		    big->steady_ns / small->steady_ns);
	if (big != NULL && big->mem.ok) {
		growth = big->mem.rss_after > big->mem.rss_before ?
		    big->mem.rss_after - big->mem.rss_before : 0;
		goal(per_route(growth, big->mem.routes) <= 128,
		    "memory_per_route", "%.1f bytes per route at 100,000 "
		    "(RSS growth, tunnels included; goal <= 128)",
		    per_route(growth, big->mem.routes));
	} else
		goal(0, "memory_per_route", "memory at 100,000 routes was not "
		    "measured");
}
