/*
 * 44meshd benchmarks: what the sections share.  Clock, PRNG and
 * statistics (bench_util.c), the AMPR-like table generator (bench_gen.c),
 * and one entry point per section.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ingest.h"
#include "mesh.h"
#include "policy.h"

/* Every input comes from this seed, so every run measures the same. */
#define BENCH_SEED		0x44a3b7e1c0ffee01ULL

/* The real table (NOTES.md, a 2017 capture): 531 routes, 353 gateways. */
#define AMPR_ROUTES		531
#define AMPR_GATEWAYS		353
/*
 * gif units are 0..MESH_MAX_UNIT (65,536 of them), so no table can have
 * more gateways than that; the generator stops short of it.
 */
#define BENCH_MAX_GATEWAYS	65000

/* The RIP source and port the default policy accepts. */
#define BENCH_RIP_SOURCE	0x2c000001U	/* 44.0.0.1 */
/* Our endpoint and 44 address in the generated mesh configuration. */
#define BENCH_LOCAL		0xc6336401U	/* 198.51.100.1 */
#define BENCH_ADDR44		0x2c010101U	/* 44.1.1.1 */

/* xorshift64*: small, fast, and ours. */
struct rng {
	uint64_t	state;
};

void		rng_seed(struct rng *, uint64_t seed);
uint64_t	rng_next(struct rng *);
/* Uniform in 0..n-1 (n > 0). */
uint32_t	rng_below(struct rng *, uint32_t n);
/* Uniform in [0, 1). */
double		rng_unit(struct rng *);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t	now_ns(void);
/* Median of n samples (sorts them); 0 for none. */
double		median(double *, size_t n);
double		mean(const double *, size_t n);
/* The q quantile (0..1) of samples median() has just sorted. */
double		quantile_sorted(const double *, size_t n, double q);

/* Results are written here so that no measured work can be dropped. */
extern volatile uintptr_t	bench_sink;

/* A figure for the machine-readable block: "bench NAME VALUE UNIT". */
void		figure(const char *name, double value, const char *unit);
void		figuref(double value, const char *unit, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
void		figures_print(void);

/* A goal from the issue, or a sanity check of the measurement itself. */
void		goal(int pass, const char *name, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
void		check(int pass, const char *name, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
/* Prints the summary; returns the number of failed sanity checks. */
int		results_print(void);

/* Resident set size in bytes, and where it was read from. */
size_t		rss_bytes(void);
const char	*rss_source(void);

/* Silences stderr (the library's log lines) around timed loops. */
void		stderr_mute(void);
void		stderr_unmute(void);

/* AMPR-like prefixes: address space, length mix, nesting. */
struct gen_prefix {
	uint32_t	addr;
	int		len;
};

struct gen_space {
	uint32_t	addr;
	int		len;
};

/*
 * n distinct prefixes inside the given spaces (weighted by size), lengths
 * drawn from the AMPR-like mix, about one in eight nested inside an
 * earlier one.  The set used to keep them distinct is freed, or handed to
 * the caller through keep.  Returns 0, or -1 when memory is out.
 */
int		gen_prefixes(struct rng *, const struct gen_space *, int nspaces,
		    struct gen_prefix *out, size_t n, uint64_t **keep);
/* Uniform over the spaces, weighted by size. */
uint32_t	gen_address(struct rng *, const struct gen_space *, int nspaces);
/* 44.0.0.0/9 and 44.128.0.0/10, where the AMPRNet table lies. */
#define GEN_AMPR_NSPACES	2
extern const struct gen_space	gen_ampr_spaces[GEN_AMPR_NSPACES];
/* A line describing the length mix, for the report. */
const char	*gen_mix_description(void);

struct table_scratch;

/* A whole RIP44 table, ready to feed to ingest_datagram(). */
struct gen_route {
	uint32_t	addr;
	int		len;
	uint32_t	gateway;
	uint32_t	gwindex;	/* index into gateways[] */
};

struct bench_table {
	size_t			 nroutes;
	struct gen_route	*routes;
	size_t			 ngateways;
	uint32_t		*gateways;
	size_t			 max_per_gateway;
	size_t			 ndgrams;
	uint8_t			*dgrams;	/* ndgrams * RIP_MAX_LEN */
	size_t			*dlens;
	struct table_scratch	*scratch;	/* freed by table_free() */
};

/* Gateways for a table of n routes: 353/531 of n, capped. */
size_t		gen_gateway_count(size_t nroutes);
/* Builds the table and its datagrams of 24 routes.  0 or -1. */
int		table_build(struct bench_table *, size_t nroutes, uint64_t seed);
void		table_free(struct bench_table *);
const uint8_t	*table_dgram(const struct bench_table *, size_t i);

/*
 * The pipeline under test: the default policy, a mesh on the dry-run
 * backend (output discarded), and ingest_datagram() on top.  Not to be
 * copied: the ingest state points at the policy beside it.
 */
struct rig {
	void			*kctx;
	struct mesh		*m;
	struct mesh_config	 cfg;
	struct policy		 policy;
	struct ingest		 in;
};

/* The mesh configuration for a table: caps raised to fit it. */
void		rig_config(struct mesh_config *, const struct bench_table *);
/* model 0 drops the dry backend's kernel model.  0 or -1. */
int		rig_open(struct rig *, const struct bench_table *, int model);
void		rig_close(struct rig *);
/* Feeds every datagram of the table; returns how many were refused. */
size_t		rig_feed(struct rig *, const struct bench_table *, time_t now);
/* Feeds datagrams first .. first + count - 1 only. */
size_t		rig_feed_range(struct rig *, const struct bench_table *,
		    size_t first, size_t count, time_t now);
/* Kernel operations the backend carried out so far. */
unsigned long	rig_kernel_ops(struct rig *);

/*
 * The trie as it was before the index followed the common prefix
 * (trie_baseline.c): measured beside today's in the same run.
 */
struct baseline_ptree;

struct baseline_ptree	*baseline_ptree_new(void);
void		 baseline_ptree_free(struct baseline_ptree *,
		    void (*)(void *));
int		 baseline_ptree_insert(struct baseline_ptree *, uint32_t addr,
		    int len, void *value, void **old);
void		*baseline_ptree_find(const struct baseline_ptree *,
		    uint32_t addr, int len);
void		*baseline_ptree_remove(struct baseline_ptree *, uint32_t addr,
		    int len);
void		*baseline_ptree_match(const struct baseline_ptree *,
		    uint32_t addr, uint32_t *paddr, int *plen);
size_t		 baseline_ptree_count(const struct baseline_ptree *);
size_t		 baseline_ptree_memory(const struct baseline_ptree *);

/* Sections. */
void		bench_trie(void);
void		bench_pipeline_memory(const struct bench_table *);
void		bench_pipeline(const struct bench_table *);
void		bench_pipeline_report(void);
void		bench_startup(const struct bench_table *);

#endif /* BENCH_H */
