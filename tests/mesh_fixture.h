/*
 * The mesh against the dry-run backend's kernel model, for the tests that
 * drive the reconciler (test_mesh.c, test_openbsd_rules.c): a mesh on a
 * dry context whose operation lines are captured.  Include it after
 * <cmocka.h>, "kern_dry.h" and "mesh.h".
 */
#ifndef MESH_FIXTURE_H
#define MESH_FIXTURE_H

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))
#define LOCAL		A(23, 30, 150, 141)
#define GW1		A(198, 51, 100, 20)
#define GW2		A(203, 0, 113, 7)
#define GW3		A(192, 0, 2, 33)
#define T0		1000000

struct fixture {
	void		*kctx;
	struct mesh	*m;
	char		*out;		/* dry-run lines */
	size_t		 outlen;
	FILE		*outf;
};

/* A mesh whose tunnels get mtu (-m; 0: as the kernel makes them). */
static inline struct fixture *
fixture_new_mtu(int model, const int *reserved, int nreserved,
    time_t expiry, int mtu)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 23 };
	struct mesh_config cfg;
	struct fixture *f;
	char err[128];
	int i;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	assert_non_null(f->kctx);
	kern_dry_set_model(f->kctx, model);
	f->outf = open_memstream(&f->out, &f->outlen);
	assert_non_null(f->outf);
	kern_dry_set_output(f->kctx, f->outf);
	mesh_config_init(&cfg);
	cfg.local = LOCAL;
	cfg.addr44 = A(44, 44, 107, 1);
	cfg.rdomain = 44;
	cfg.tunneldomain = 23;
	if (expiry)
		cfg.expiry = expiry;
	cfg.mtu = mtu;
	f->m = mesh_new(&cfg, &kern_dry_ops, f->kctx);
	assert_non_null(f->m);
	for (i = 0; i < nreserved; i++)
		assert_int_equal(mesh_reserve(f->m, reserved[i]), 0);
	return f;
}

static inline struct fixture *
fixture_new(int model, const int *reserved, int nreserved, time_t expiry)
{
	return fixture_new_mtu(model, reserved, nreserved, expiry, 0);
}

static inline void
fixture_free(struct fixture *f)
{
	mesh_free(f->m);
	kern_dry_ops.close(f->kctx);
	fclose(f->outf);
	free(f->out);
	free(f);
}

/* The dry-run lines written since the last call. */
static inline const char *
lines(struct fixture *f)
{
	static char buf[8192];

	fflush(f->outf);
	snprintf(buf, sizeof(buf), "%s", f->out ? f->out : "");
	rewind(f->outf);
	/* Truncate the stream for the next call. */
	fclose(f->outf);
	free(f->out);
	f->out = NULL;
	f->outlen = 0;
	f->outf = open_memstream(&f->out, &f->outlen);
	kern_dry_set_output(f->kctx, f->outf);
	return buf;
}

static inline void
heard(struct fixture *f, uint32_t addr, int len, uint32_t gw, time_t now)
{
	assert_int_equal(mesh_heard(f->m, addr, len, gw, now), R_NONE);
}

/* The common start: 44.2.2.0/24 heard via GW1 and installed (gif0). */
static inline struct fixture *
fixture_one_route(void)
{
	struct fixture *f = fixture_new(1, NULL, 0, 0);

	heard(f, A(44, 2, 2, 0), 24, GW1, T0);
	mesh_reconcile(f->m, T0);
	return f;
}

/* The kernel model routes addr/len via unit, or -1 if absent. */
static inline int
kernel_route(struct fixture *f, uint32_t addr, int len)
{
	struct kern_route kr;

	if (!kern_dry_get_route(f->kctx, addr, len, &kr))
		return -1;
	return kr.unit;
}

static inline void
deliver_event(void *arg, const struct kern_event *ev)
{
	mesh_kernel_event(arg, ev);
}

#endif /* MESH_FIXTURE_H */
