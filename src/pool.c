#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#define POOL_CHUNK_BYTES	(64 * 1024)

struct pool_chunk {
	struct pool_chunk	*next;
	/* objects follow, aligned as max_align_t */
};

/* Keeps the objects after the chunk header suitably aligned. */
#define POOL_HEADER	((sizeof(struct pool_chunk) + _Alignof(max_align_t) - \
			    1) & ~(_Alignof(max_align_t) - 1))

void
pool_init(struct pool *p, size_t size)
{
	size_t align = sizeof(void *);

	memset(p, 0, sizeof(*p));
	if (size < sizeof(void *))
		size = sizeof(void *);
	p->size = (size + align - 1) & ~(align - 1);
	p->perchunk = (POOL_CHUNK_BYTES - POOL_HEADER) / p->size;
	if (p->perchunk == 0)
		p->perchunk = 1;
}

static int
pool_grow(struct pool *p)
{
	struct pool_chunk *c;
	char *obj;
	size_t i, bytes;

	bytes = POOL_HEADER + p->perchunk * p->size;
	if ((c = malloc(bytes)) == NULL)
		return -1;
	c->next = p->chunks;
	p->chunks = c;
	p->bytes += bytes;
	/* Thread the new objects onto the free list, lowest address first. */
	obj = (char *)c + POOL_HEADER;
	for (i = p->perchunk; i > 0; i--) {
		void **slot = (void **)(obj + (i - 1) * p->size);

		*slot = p->free;
		p->free = slot;
	}
	return 0;
}

void *
pool_get(struct pool *p)
{
	void **obj;

	if (p->free == NULL && pool_grow(p) == -1)
		return NULL;
	obj = p->free;
	p->free = *obj;
	memset(obj, 0, p->size);
	p->used++;
	return obj;
}

void
pool_put(struct pool *p, void *v)
{
	void **obj = v;

	if (v == NULL)
		return;
	*obj = p->free;
	p->free = obj;
	p->used--;
}

void
pool_destroy(struct pool *p)
{
	struct pool_chunk *c, *next;

	for (c = p->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	p->chunks = NULL;
	p->free = NULL;
	p->used = 0;
	p->bytes = 0;
}
