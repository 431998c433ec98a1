/*
 * 44meshd benchmarks (make bench): the trie against a sorted array, the
 * datagram pipeline at 531 to 100,000 routes, memory per route, and
 * start-up adoption against recreation.  A human table per section, then
 * the goals and one "bench NAME VALUE UNIT" line per figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

static const size_t	pipeline_sizes[] = { AMPR_ROUTES, 10000, 100000 };

#define NPIPELINE	(sizeof(pipeline_sizes) / sizeof(pipeline_sizes[0]))
#define STARTUP_TABLE	1	/* the 10,000 route table */

/* Other work on the machine shows in the timings: say how much. */
static void
print_load(const char *label)
{
	double load[3];

	if (getloadavg(load, 3) == 3)
		printf("%s %.2f %.2f %.2f (1, 5, 15 min load average)\n",
		    label, load[0], load[1], load[2]);
}

static void
print_machine(void)
{
	struct utsname u;

	printf("44meshd benchmarks\n");
	if (uname(&u) == 0)
		printf("system:   %s %s %s\n", u.sysname, u.release,
		    u.machine);
	printf("cpus:     %ld online\n", sysconf(_SC_NPROCESSORS_ONLN));
#ifdef __VERSION__
	printf("compiler: %s", __VERSION__);
#endif
#ifdef __OPTIMIZE__
	printf(" (optimised)");
#endif
#ifdef NDEBUG
	printf(" -DNDEBUG");
#endif
	printf("\nclock:    CLOCK_MONOTONIC; seed %#llx\n",
	    (unsigned long long)BENCH_SEED);
	print_load("load:    ");
}

int
main(void)
{
	struct bench_table tables[NPIPELINE];
	uint64_t start = now_ns();
	size_t i;
	int failed;

	setvbuf(stdout, NULL, _IOLBF, 0);
	print_machine();
	for (i = 0; i < NPIPELINE; i++) {
		if (table_build(&tables[i], pipeline_sizes[i], BENCH_SEED) ==
		    -1) {
			fprintf(stderr, "bench: cannot build a table of %zu "
			    "routes\n", pipeline_sizes[i]);
			return 1;
		}
	}
	/* Memory first, while nothing freed could be reused unseen. */
	for (i = 0; i < NPIPELINE; i++)
		bench_pipeline_memory(&tables[i]);

	bench_trie();
	for (i = 0; i < NPIPELINE; i++)
		bench_pipeline(&tables[i]);
	bench_pipeline_report();
	bench_startup(&tables[STARTUP_TABLE]);

	printf("\n");
	print_load("load at the end:");
	failed = results_print();
	printf("bench total_run_s %.1f s\n", (double)(now_ns() - start) / 1e9);
	for (i = 0; i < NPIPELINE; i++)
		table_free(&tables[i]);
	return failed ? 1 : 0;
}
