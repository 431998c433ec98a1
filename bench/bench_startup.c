/*
 * Start-up with a table already installed: adoption (mesh_adopt() reads
 * the dry backend's preset tunnels and routes, then the same table
 * arrives) against recreation (a cold start on an empty model).  The
 * presets stand for the kernel state left by the previous run and are
 * not timed; mesh_new() is not timed either way.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kern_dry.h"
#include "bench.h"

#define STARTUP_REPS	7
#define T0		((time_t)2000000)

static void
preset_table(struct rig *rig, const struct bench_table *t)
{
	struct kern_tunnel kt;
	struct kern_route kr;
	size_t i;

	/* As a previous run left it: gifN for gateway N, all up. */
	for (i = 0; i < t->ngateways; i++) {
		kt.unit = (int)i;
		kt.local = rig->cfg.local;
		kt.remote = t->gateways[i];
		kt.rdomain = rig->cfg.rdomain;
		kt.tunneldomain = rig->cfg.tunneldomain;
		kt.addr44 = rig->cfg.addr44;
		kt.up = 1;
		kern_dry_preset_tunnel(rig->kctx, &kt);
	}
	for (i = 0; i < t->nroutes; i++) {
		kr.addr = t->routes[i].addr;
		kr.len = t->routes[i].len;
		kr.unit = (int)t->routes[i].gwindex;
		kr.rdomain = rig->cfg.rdomain;
		kern_dry_preset_route(rig->kctx, &kr);
	}
}

void
bench_startup(const struct bench_table *t)
{
	double adopt_ms[STARTUP_REPS], scan_ms[STARTUP_REPS];
	double recreate_ms[STARTUP_REPS];
	struct mesh_stats st;
	struct rig rig;
	uint64_t t0, t1, t2;
	unsigned long adopt_ops = 0, recreate_ops = 0, ops;
	unsigned long expect = t->ngateways + t->nroutes;
	int rep, adopted_all = 1, model_kept = 1, recreate_exact = 1, err;

	for (rep = 0; rep < STARTUP_REPS; rep++) {
		if (rig_open(&rig, t, 1) == -1)
			exit(1);
		preset_table(&rig, t);
		if (kern_dry_ntunnels(rig.kctx) != t->ngateways ||
		    kern_dry_nroutes(rig.kctx) != t->nroutes)
			adopted_all = 0;
		/* mesh_adopt() logs a line to stderr: not part of the test. */
		stderr_mute();
		t0 = now_ns();
		err = mesh_adopt(rig.m, T0);
		t1 = now_ns();
		rig_feed(&rig, t, T0);
		t2 = now_ns();
		stderr_unmute();
		scan_ms[rep] = (double)(t1 - t0) / 1e6;
		adopt_ms[rep] = (double)(t2 - t0) / 1e6;
		ops = rig_kernel_ops(&rig);
		if (ops > adopt_ops)
			adopt_ops = ops;
		mesh_get_stats(rig.m, &st);
		if (err != 0 || st.routes != t->nroutes ||
		    st.tunnels != t->ngateways || st.pending != 0 ||
		    rig.in.entries != t->nroutes)
			adopted_all = 0;
		if (kern_dry_ntunnels(rig.kctx) != t->ngateways ||
		    kern_dry_nroutes(rig.kctx) != t->nroutes)
			model_kept = 0;
		rig_close(&rig);

		if (rig_open(&rig, t, 1) == -1)
			exit(1);
		t0 = now_ns();
		rig_feed(&rig, t, T0);
		t1 = now_ns();
		recreate_ms[rep] = (double)(t1 - t0) / 1e6;
		recreate_ops = rig_kernel_ops(&rig);
		if (recreate_ops != expect ||
		    kern_dry_ntunnels(rig.kctx) != t->ngateways ||
		    kern_dry_nroutes(rig.kctx) != t->nroutes)
			recreate_exact = 0;
		rig_close(&rig);
	}

	printf("\n== Start-up with %zu routes / %zu tunnels installed "
	    "(median of %d) ==\n\n", t->nroutes, t->ngateways,
	    STARTUP_REPS);
	printf("%-34s %10s %10s\n", "", "kernel ops", "ms");
	printf("%-34s %10lu %10.2f\n", "adopt (scan + same table again)",
	    adopt_ops, median(adopt_ms, STARTUP_REPS));
	printf("%-34s %10s %10.2f\n", "  of which mesh_adopt() scan", "",
	    median(scan_ms, STARTUP_REPS));
	printf("%-34s %10lu %10.2f\n", "recreate (cold, empty model)",
	    recreate_ops, median(recreate_ms, STARTUP_REPS));

	figuref((double)adopt_ops, "ops", "adopt_ops_%zu", t->nroutes);
	figuref(median(adopt_ms, STARTUP_REPS), "ms", "adopt_ms_%zu",
	    t->nroutes);
	figuref(median(scan_ms, STARTUP_REPS), "ms", "adopt_scan_ms_%zu",
	    t->nroutes);
	figuref((double)recreate_ops, "ops", "recreate_ops_%zu", t->nroutes);
	figuref(median(recreate_ms, STARTUP_REPS), "ms", "recreate_ms_%zu",
	    t->nroutes);

	check(adopted_all, "adopt_complete", "every preset tunnel and route "
	    "adopted and wanted, nothing pending");
	check(model_kept, "adopt_model_kept", "the model still holds %zu "
	    "tunnels and %zu routes after adoption", t->ngateways,
	    t->nroutes);
	goal(adopt_ops == 0, "adopt_zero_ops", "adopting an installed table "
	    "of %zu routes then hearing it costs 0 kernel operations (%lu)",
	    t->nroutes, adopt_ops);
	goal(recreate_exact, "recreate_exact_ops", "recreating it costs "
	    "exactly tunnels + routes = %lu operations (%lu)", expect,
	    recreate_ops);
}
