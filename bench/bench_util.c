/*
 * Benchmark plumbing: clock, PRNG, statistics, the figure and goal lists,
 * resident memory.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"

#define MAX_FIGURES	256
#define MAX_VERDICTS	64
#define NAME_MAX_LEN	64
#define TEXT_MAX_LEN	160

struct fig {
	char		name[NAME_MAX_LEN];
	double		value;
	const char	*unit;
};

struct verdict {
	int		is_goal;
	int		pass;
	char		name[NAME_MAX_LEN];
	char		text[TEXT_MAX_LEN];
};

volatile uintptr_t	bench_sink;

static struct fig	figs[MAX_FIGURES];
static size_t		nfigs;
static struct verdict	verdicts[MAX_VERDICTS];
static size_t		nverdicts;
static int		saved_stderr = -1;

void
rng_seed(struct rng *r, uint64_t seed)
{
	/* Zero is the one state xorshift cannot leave. */
	r->state = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t x = r->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

uint32_t
rng_below(struct rng *r, uint32_t n)
{
	/* The top 32 bits scaled: no modulo bias worth measuring. */
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / (double)(1ULL << 53);
}

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), double_cmp);
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
quantile_sorted(const double *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

double
mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / (double)n : 0;
}

void
figure(const char *name, double value, const char *unit)
{
	if (nfigs == MAX_FIGURES) {
		fprintf(stderr, "bench: too many figures, %s dropped\n", name);
		return;
	}
	snprintf(figs[nfigs].name, sizeof(figs[nfigs].name), "%s", name);
	figs[nfigs].value = value;
	figs[nfigs].unit = unit;
	nfigs++;
}

void
figuref(double value, const char *unit, const char *fmt, ...)
{
	char name[NAME_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	figure(name, value, unit);
}

void
figures_print(void)
{
	size_t i;

	printf("\nMachine-readable figures:\n");
	for (i = 0; i < nfigs; i++) {
		/* Whole numbers stay whole, so "0 ops" reads as such. */
		if (figs[i].value == (double)(long long)figs[i].value &&
		    figs[i].value < 1e15 && figs[i].value > -1e15)
			printf("bench %s %lld %s\n", figs[i].name,
			    (long long)figs[i].value, figs[i].unit);
		else if (figs[i].value < 10 && figs[i].value > -10)
			printf("bench %s %.3f %s\n", figs[i].name,
			    figs[i].value, figs[i].unit);
		else
			printf("bench %s %.1f %s\n", figs[i].name,
			    figs[i].value, figs[i].unit);
	}
}

static void
verdict_add(int is_goal, int pass, const char *name, const char *fmt,
    va_list ap)
{
	struct verdict *v;

	if (nverdicts == MAX_VERDICTS) {
		fprintf(stderr, "bench: too many verdicts, %s dropped\n", name);
		return;
	}
	v = &verdicts[nverdicts++];
	v->is_goal = is_goal;
	v->pass = pass != 0;
	snprintf(v->name, sizeof(v->name), "%s", name);
	vsnprintf(v->text, sizeof(v->text), fmt, ap);
}

void
goal(int pass, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict_add(1, pass, name, fmt, ap);
	va_end(ap);
}

void
check(int pass, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict_add(0, pass, name, fmt, ap);
	va_end(ap);
}

int
results_print(void)
{
	size_t i, goals = 0, goals_passed = 0, checks = 0, checks_failed = 0;

	printf("\nSanity checks of the measurements:\n");
	for (i = 0; i < nverdicts; i++) {
		if (verdicts[i].is_goal)
			continue;
		checks++;
		if (!verdicts[i].pass)
			checks_failed++;
		printf("  %s %-22s %s\n", verdicts[i].pass ? "ok  " : "FAIL",
		    verdicts[i].name, verdicts[i].text);
	}
	printf("\nGoals:\n");
	for (i = 0; i < nverdicts; i++) {
		if (!verdicts[i].is_goal)
			continue;
		goals++;
		if (verdicts[i].pass)
			goals_passed++;
		printf("  %s %-22s %s\n", verdicts[i].pass ? "PASS" : "FAIL",
		    verdicts[i].name, verdicts[i].text);
	}
	printf("\nSummary: %zu of %zu goals met; %zu of %zu sanity checks "
	    "failed.\n", goals_passed, goals, checks_failed, checks);
	figures_print();
	for (i = 0; i < nverdicts; i++)
		if (verdicts[i].is_goal)
			printf("bench goal_%s %d pass\n", verdicts[i].name,
			    verdicts[i].pass);
	return (int)checks_failed;
}

static size_t
rss_statm(void)
{
	FILE *f;
	unsigned long size, resident;
	long page;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	if ((page = sysconf(_SC_PAGESIZE)) <= 0)
		return 0;
	return (size_t)resident * (size_t)page;
}

size_t
rss_bytes(void)
{
	struct rusage ru;
	size_t rss;

	if ((rss = rss_statm()) != 0)
		return rss;
	/* No /proc (OpenBSD): the peak is all we get; kilobytes there. */
	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (size_t)ru.ru_maxrss * 1024;
}

const char *
rss_source(void)
{
	return rss_statm() != 0 ? "/proc/self/statm resident" :
	    "getrusage ru_maxrss";
}

void
stderr_mute(void)
{
	int fd;

	fflush(stderr);
	if (saved_stderr != -1 || (fd = open("/dev/null", O_WRONLY)) == -1)
		return;
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

void
stderr_unmute(void)
{
	if (saved_stderr == -1)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
}
