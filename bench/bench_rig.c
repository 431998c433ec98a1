/*
 * The pipeline as the daemon runs it, minus the kernel: policy, mesh and
 * ingest on the dry-run backend, its output lines discarded.
 */
#include <stdio.h>
#include <string.h>

#include "kern.h"
#include "kern_dry.h"
#include "rip.h"
#include "bench.h"

void
rig_config(struct mesh_config *cfg, const struct bench_table *t)
{
	mesh_config_init(cfg);
	cfg->local = BENCH_LOCAL;
	cfg->addr44 = BENCH_ADDR44;
	/* The defaults (4,096 routes, 2,048 tunnels, 512 new tunnels a
	 * pass) are raised only where a table needs it. */
	if (cfg->maxroutes < t->nroutes)
		cfg->maxroutes = t->nroutes;
	if (cfg->maxtunnels < t->ngateways)
		cfg->maxtunnels = t->ngateways;
	if (cfg->maxnewtunnels < t->ngateways)
		cfg->maxnewtunnels = t->ngateways;
}

int
rig_open(struct rig *rig, const struct bench_table *t, int model)
{
	struct kern_config kc;
	char err[256];

	memset(rig, 0, sizeof(*rig));
	rig_config(&rig->cfg, t);
	memset(&kc, 0, sizeof(kc));
	kc.rdomain = rig->cfg.rdomain;
	kc.tunneldomain = rig->cfg.tunneldomain;
	if ((rig->kctx = kern_dry_ops.open(&kc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench: %s\n", err);
		return -1;
	}
	kern_dry_set_output(rig->kctx, NULL);
	kern_dry_set_model(rig->kctx, model);
	if ((rig->m = mesh_new(&rig->cfg, &kern_dry_ops, rig->kctx)) ==
	    NULL) {
		kern_dry_ops.close(rig->kctx);
		rig->kctx = NULL;
		return -1;
	}
	policy_init(&rig->policy);
	ingest_init(&rig->in, &rig->policy, rig->m);
	return 0;
}

void
rig_close(struct rig *rig)
{
	mesh_free(rig->m);
	if (rig->kctx != NULL)
		kern_dry_ops.close(rig->kctx);
	memset(rig, 0, sizeof(*rig));
}

size_t
rig_feed_range(struct rig *rig, const struct bench_table *t, size_t first,
    size_t count, time_t now)
{
	size_t i, refused = 0;

	for (i = first; i < first + count && i < t->ndgrams; i++)
		if (ingest_datagram(&rig->in, BENCH_RIP_SOURCE, RIP_PORT,
		    table_dgram(t, i), t->dlens[i], now, now) != R_NONE)
			refused++;
	return refused;
}

size_t
rig_feed(struct rig *rig, const struct bench_table *t, time_t now)
{
	return rig_feed_range(rig, t, 0, t->ndgrams, now);
}

unsigned long
rig_kernel_ops(struct rig *rig)
{
	unsigned long n = 0;
	int op;

	for (op = 0; op < KERN_DRY_NOPS; op++)
		n += kern_dry_count(rig->kctx, (enum kern_dry_op)op);
	return n;
}
