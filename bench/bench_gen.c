/*
 * Deterministic AMPR-like inputs: prefixes with the real table's length
 * mix and nesting, gateways shared as in the real table, and the RIP44
 * datagrams that carry them.
 *
 * Nothing allocated here is freed before table_free(): a freed block
 * would be reused by the tables being measured and hide their memory.
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "rip.h"
#include "bench.h"

/*
 * Prefix lengths in percent, after the real table: mostly /24 and longer
 * (118 of 531 are /32s), a few /20 to /23, about one in a hundred /16.
 */
static const struct {
	int	len;
	int	weight;
} length_mix[] = {
	{ 16, 1 }, { 20, 1 }, { 21, 1 }, { 22, 2 }, { 23, 2 },
	{ 24, 22 }, { 25, 4 }, { 26, 6 }, { 27, 8 }, { 28, 12 },
	{ 29, 15 }, { 30, 3 }, { 31, 1 }, { 32, 22 }
};

#define NMIX		(sizeof(length_mix) / sizeof(length_mix[0]))
#define MIX_TOTAL	100
/* One prefix in NEST_EVERY sits inside an earlier one (63 of 531). */
#define NEST_EVERY	8
/* Failed draws at one length before a longer one is tried. */
#define MAX_TRIES	16
#define ROUTES_PER_DGRAM	RIP_MAX_ROUTES

const char *
gen_mix_description(void)
{
	return "/16 1%, /20-/23 6%, /24 22%, /25-/31 49%, /32 22%; "
	    "1 in 8 nested inside an earlier prefix";
}

static int
draw_length(struct rng *r)
{
	uint32_t x = rng_below(r, MIX_TOTAL);
	size_t i;

	for (i = 0; i < NMIX; i++) {
		if (x < (uint32_t)length_mix[i].weight)
			return length_mix[i].len;
		x -= (uint32_t)length_mix[i].weight;
	}
	return 32;
}

/* Open-addressed set of nonzero 64-bit keys. */
struct keyset {
	uint64_t	*slots;
	size_t		 mask;
};

static int
keyset_init(struct keyset *ks, size_t n)
{
	size_t cap = 64;

	while (cap < 2 * n)
		cap *= 2;
	if ((ks->slots = calloc(cap, sizeof(*ks->slots))) == NULL)
		return -1;
	ks->mask = cap - 1;
	return 0;
}

/* 1 when key was added, 0 when it was there already. */
static int
keyset_add(struct keyset *ks, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & ks->mask;

	while (ks->slots[i] != 0) {
		if (ks->slots[i] == key)
			return 0;
		i = (i + 1) & ks->mask;
	}
	ks->slots[i] = key;
	return 1;
}

static uint64_t
prefix_key(uint32_t addr, int len)
{
	return ((uint64_t)addr << 6 | (uint64_t)len) + 1;
}

/* Where AMPRNet's routed prefixes lie today: inside 44/8. */
const struct gen_space gen_ampr_spaces[GEN_AMPR_NSPACES] = {
	{ 0x2c000000U, 9 },	/* 44.0.0.0/9 */
	{ 0x2c800000U, 10 },	/* 44.128.0.0/10 */
};

static uint32_t
random_in_spaces(struct rng *r, const struct gen_space *sp, int n,
    int *spacelen)
{
	uint64_t total = 0, x, size;
	int i;

	for (i = 0; i < n; i++)
		total += (uint64_t)1 << (32 - sp[i].len);
	x = rng_next(r) % total;
	for (i = 0; i < n; i++) {
		size = (uint64_t)1 << (32 - sp[i].len);
		if (x < size) {
			*spacelen = sp[i].len;
			return sp[i].addr | (uint32_t)x;
		}
		x -= size;
	}
	*spacelen = sp[0].len;
	return sp[0].addr;
}

uint32_t
gen_address(struct rng *r, const struct gen_space *sp, int nspaces)
{
	int spacelen;

	return random_in_spaces(r, sp, nspaces, &spacelen);
}

/* A prefix inside an earlier one of /28 or shorter; 0 when none found. */
static int
draw_nested(struct rng *r, const struct gen_prefix *out, size_t have,
    struct gen_prefix *p)
{
	const struct gen_prefix *parent = NULL;
	int i, len = 0;

	for (i = 0; i < 8 && parent == NULL; i++) {
		parent = &out[rng_below(r, (uint32_t)have)];
		if (parent->len > 28)
			parent = NULL;
	}
	if (parent == NULL)
		return 0;
	for (i = 0; i < 8 && len <= parent->len; i++)
		len = draw_length(r);
	if (len <= parent->len)
		len = parent->len + 1 +
		    (int)rng_below(r, (uint32_t)(32 - parent->len));
	p->len = len;
	p->addr = (parent->addr | ((uint32_t)rng_next(r) &
	    ~addr_mask(parent->len))) & addr_mask(len);
	return 1;
}

int
gen_prefixes(struct rng *r, const struct gen_space *sp, int nspaces,
    struct gen_prefix *out, size_t n, uint64_t **keep)
{
	struct keyset ks;
	struct gen_prefix p;
	size_t i;
	int tries, spacelen, len;

	if (keyset_init(&ks, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (i > 0 && rng_below(r, NEST_EVERY) == 0 &&
		    draw_nested(r, out, i, &p) &&
		    keyset_add(&ks, prefix_key(p.addr, p.len))) {
			out[i] = p;
			continue;
		}
		len = draw_length(r);
		for (tries = 0;; tries++) {
			/* A length whose space is used up yields a longer
			 * one (only /16s in a 100,000 route 44-net table). */
			if (tries == MAX_TRIES) {
				tries = 0;
				if (len < 32)
					len++;
			}
			p.addr = random_in_spaces(r, sp, nspaces, &spacelen);
			p.len = len < spacelen ? spacelen : len;
			p.addr &= addr_mask(p.len);
			if (keyset_add(&ks, prefix_key(p.addr, p.len)))
				break;
		}
		out[i] = p;
	}
	if (keep != NULL)
		*keep = ks.slots;
	else
		free(ks.slots);
	return 0;
}

size_t
gen_gateway_count(size_t nroutes)
{
	size_t g = (nroutes * AMPR_GATEWAYS + AMPR_ROUTES / 2) / AMPR_ROUTES;

	if (g == 0)
		g = 1;
	return g > BENCH_MAX_GATEWAYS ? BENCH_MAX_GATEWAYS : g;
}

/* A public unicast endpoint: not 0/8, 44/8, 127/8 or 224/3, not us. */
static uint32_t
draw_gateway(struct rng *r)
{
	uint32_t a;
	unsigned int first;

	for (;;) {
		a = (uint32_t)rng_next(r);
		first = a >> 24;
		if (first != 0 && first != 44 && first != 127 && first < 224 &&
		    a != BENCH_LOCAL)
			return a;
	}
}

/* Kept until table_free() rather than freed early (see above). */
struct table_scratch {
	uint64_t		*prefix_set;
	uint64_t		*gateway_set;
	struct gen_prefix	*prefixes;
	size_t			*counts;
};

static int
encode_datagrams(struct bench_table *t)
{
	struct rip_entry e[ROUTES_PER_DGRAM];
	const struct gen_route *gr;
	size_t d, i, n;

	t->ndgrams = (t->nroutes + ROUTES_PER_DGRAM - 1) / ROUTES_PER_DGRAM;
	t->dgrams = calloc(t->ndgrams, RIP_MAX_LEN);
	t->dlens = calloc(t->ndgrams, sizeof(*t->dlens));
	if (t->dgrams == NULL || t->dlens == NULL)
		return -1;
	for (d = 0; d < t->ndgrams; d++) {
		n = t->nroutes - d * ROUTES_PER_DGRAM;
		if (n > ROUTES_PER_DGRAM)
			n = ROUTES_PER_DGRAM;
		memset(e, 0, sizeof(e));
		for (i = 0; i < n; i++) {
			gr = &t->routes[d * ROUTES_PER_DGRAM + i];
			e[i].tag = 4;
			e[i].addr = gr->addr;
			e[i].mask = addr_mask(gr->len);
			e[i].nexthop = gr->gateway;
			e[i].metric = 1;
		}
		t->dlens[d] = rip_encode(t->dgrams + d * RIP_MAX_LEN,
		    RIP_MAX_LEN, RIP_DEFAULT_PASSWORD, e, (int)n);
		if (t->dlens[d] == 0)
			return -1;
	}
	return 0;
}

int
table_build(struct bench_table *t, size_t nroutes, uint64_t seed)
{
	struct table_scratch *s;
	struct keyset gws;
	struct gen_route tmp;
	struct rng r;
	size_t i, j, g;
	double u;

	memset(t, 0, sizeof(*t));
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	t->scratch = s;
	rng_seed(&r, seed ^ (uint64_t)nroutes * 0x100000001b3ULL);
	t->nroutes = nroutes;
	t->ngateways = gen_gateway_count(nroutes);
	s->prefixes = calloc(nroutes, sizeof(*s->prefixes));
	t->routes = calloc(nroutes, sizeof(*t->routes));
	t->gateways = calloc(t->ngateways, sizeof(*t->gateways));
	s->counts = calloc(t->ngateways, sizeof(*s->counts));
	if (s->prefixes == NULL || t->routes == NULL || t->gateways == NULL ||
	    s->counts == NULL)
		return -1;
	if (gen_prefixes(&r, gen_ampr_spaces, GEN_AMPR_NSPACES, s->prefixes,
	    nroutes, &s->prefix_set) == -1)
		return -1;
	if (keyset_init(&gws, t->ngateways) == -1)
		return -1;
	s->gateway_set = gws.slots;
	for (g = 0; g < t->ngateways; g++) {
		do
			t->gateways[g] = draw_gateway(&r);
		while (!keyset_add(&gws, (uint64_t)t->gateways[g] + 1));
	}
	/*
	 * Every gateway serves one route; the rest go mostly to a few busy
	 * ones (u^3 skew: in the real table one gateway serves 21).
	 */
	for (i = 0; i < nroutes; i++) {
		if (i < t->ngateways)
			g = i;
		else {
			u = rng_unit(&r);
			g = (size_t)((double)t->ngateways * u * u * u);
		}
		t->routes[i].addr = s->prefixes[i].addr;
		t->routes[i].len = s->prefixes[i].len;
		t->routes[i].gwindex = (uint32_t)g;
		t->routes[i].gateway = t->gateways[g];
		if (++s->counts[g] > t->max_per_gateway)
			t->max_per_gateway = s->counts[g];
	}
	/* Broadcast order: no relation between neighbours. */
	for (i = nroutes; i > 1; i--) {
		j = rng_below(&r, (uint32_t)i);
		tmp = t->routes[i - 1];
		t->routes[i - 1] = t->routes[j];
		t->routes[j] = tmp;
	}
	return encode_datagrams(t);
}

void
table_free(struct bench_table *t)
{
	struct table_scratch *s = t->scratch;

	if (s != NULL) {
		free(s->prefix_set);
		free(s->gateway_set);
		free(s->prefixes);
		free(s->counts);
		free(s);
	}
	free(t->routes);
	free(t->gateways);
	free(t->dgrams);
	free(t->dlens);
	memset(t, 0, sizeof(*t));
}

const uint8_t *
table_dgram(const struct bench_table *t, size_t i)
{
	return t->dgrams + i * RIP_MAX_LEN;
}
