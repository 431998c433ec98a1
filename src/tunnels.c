/*
 * The tunnel table.  The hash takes a random key, as the route store's
 * does: the remotes come from the feed, and with a fixed hash anyone can
 * send gateways that all fall into one bucket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tunnels.h"

#define TUNNELS_MIN_BITS	6	/* 64 buckets */

/* Multiply-shift with a random odd multiplier: the top bits are used. */
static size_t
tunnel_hash(const struct tunnels *t, uint32_t remote, int bits)
{
	return (size_t)((t->mul * remote + t->add) >> (64 - bits));
}

void
tunnels_init(struct tunnels *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	pool_init(&t->pool, sizeof(struct tunnel));
	t->max = max;
	t->mul = ((uint64_t)arc4random() << 32 | arc4random()) | 1;
	t->add = (uint64_t)arc4random() << 32 | arc4random();
	unitmap_init(&t->units);
}

void
tunnels_destroy(struct tunnels *t)
{
	pool_destroy(&t->pool);
	free(t->buckets);
	free(t->byunit);
	t->buckets = NULL;
	t->byunit = NULL;
	t->count = t->nbuckets = t->nbyunit = 0;
	t->bucketbits = 0;
}

struct tunnel *
tunnels_find(const struct tunnels *t, uint32_t remote)
{
	struct tunnel *tun;

	if (t->nbuckets == 0)
		return NULL;
	for (tun = t->buckets[tunnel_hash(t, remote, t->bucketbits)];
	    tun != NULL; tun = tun->hash_next)
		if (tun->remote == remote)
			return tun;
	return NULL;
}

struct tunnel *
tunnels_by_unit(const struct tunnels *t, int unit)
{
	if (unit < 0 || (size_t)unit >= t->nbyunit)
		return NULL;
	return t->byunit[unit];
}

static int
tunnels_rehash(struct tunnels *t, int bits)
{
	struct tunnel **nb, *tun, *next;
	size_t i, h, nbuckets = (size_t)1 << bits;

	if ((nb = calloc(nbuckets, sizeof(*nb))) == NULL)
		return -1;
	for (i = 0; i < t->nbuckets; i++) {
		for (tun = t->buckets[i]; tun != NULL; tun = next) {
			next = tun->hash_next;
			h = tunnel_hash(t, tun->remote, bits);
			tun->hash_next = nb[h];
			nb[h] = tun;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = nbuckets;
	t->bucketbits = bits;
	return 0;
}

struct tunnel *
tunnels_get(struct tunnels *t, uint32_t remote)
{
	struct tunnel *tun;
	size_t h;

	if ((tun = tunnels_find(t, remote)) != NULL)
		return tun;
	if (t->count >= t->max) {
		errno = ENOSPC;
		return NULL;
	}
	/* Keep chains short: grow at a load factor of 1. */
	if (t->count >= t->nbuckets && tunnels_rehash(t,
	    t->bucketbits ? t->bucketbits + 1 : TUNNELS_MIN_BITS) == -1) {
		errno = ENOMEM;
		return NULL;
	}
	if ((tun = pool_get(&t->pool)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	tun->remote = remote;
	tun->unit = -1;
	h = tunnel_hash(t, remote, t->bucketbits);
	tun->hash_next = t->buckets[h];
	t->buckets[h] = tun;
	t->count++;
	return tun;
}

static int
tunnels_index(struct tunnels *t, int unit, struct tunnel *tun)
{
	struct tunnel **nb;
	size_t n;

	if ((size_t)unit >= t->nbyunit) {
		n = t->nbyunit ? t->nbyunit : 64;
		while (n <= (size_t)unit)
			n *= 2;
		if ((nb = realloc(t->byunit, n * sizeof(*nb))) == NULL)
			return -1;
		memset(nb + t->nbyunit, 0, (n - t->nbyunit) * sizeof(*nb));
		t->byunit = nb;
		t->nbyunit = n;
	}
	t->byunit[unit] = tun;
	return 0;
}

int
tunnels_set_unit(struct tunnels *t, struct tunnel *tun, int unit)
{
	if (unit == -1) {
		if ((unit = unitmap_alloc(&t->units)) == -1)
			return -1;
	} else if (unitmap_take(&t->units, unit) == -1)
		return -1;
	if (tunnels_index(t, unit, tun) == -1) {
		unitmap_release(&t->units, unit);
		return -1;
	}
	tun->unit = unit;
	return 0;
}

void
tunnels_free(struct tunnels *t, struct tunnel *tun)
{
	struct tunnel **pp;

	for (pp = &t->buckets[tunnel_hash(t, tun->remote, t->bucketbits)];
	    *pp != NULL; pp = &(*pp)->hash_next) {
		if (*pp == tun) {
			*pp = tun->hash_next;
			break;
		}
	}
	if (tun->unit >= 0) {
		if ((size_t)tun->unit < t->nbyunit &&
		    t->byunit[tun->unit] == tun)
			t->byunit[tun->unit] = NULL;
		unitmap_release(&t->units, tun->unit);
	}
	t->count--;
	pool_put(&t->pool, tun);
}

void
tunnels_foreach(struct tunnels *t, void (*fn)(void *, struct tunnel *),
    void *arg)
{
	struct tunnel *tun;
	size_t i;

	for (i = 0; i < t->nbuckets; i++)
		for (tun = t->buckets[i]; tun != NULL; tun = tun->hash_next)
			fn(arg, tun);
}

size_t
tunnels_memory(const struct tunnels *t)
{
	return t->pool.bytes + t->nbuckets * sizeof(*t->buckets) +
	    t->nbyunit * sizeof(*t->byunit) + sizeof(t->units);
}
