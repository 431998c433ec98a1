/*
 * Fixed-size object pool: objects carved from large chunks, with a free
 * list, so that a table of 100,000 routes pays no per-object malloc header.
 */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>

struct pool_chunk;

struct pool {
	size_t			 size;		/* object size, rounded up */
	size_t			 perchunk;	/* objects per chunk */
	struct pool_chunk	*chunks;
	void			*free;		/* free list through the objects */
	size_t			 used;		/* objects handed out */
	size_t			 bytes;		/* memory held in chunks */
};

void	 pool_init(struct pool *, size_t size);
/* Zeroed object, or NULL when memory is exhausted. */
void	*pool_get(struct pool *);
void	 pool_put(struct pool *, void *);
/* Frees every chunk; objects handed out become invalid. */
void	 pool_destroy(struct pool *);

#endif /* POOL_H */
