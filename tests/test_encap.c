/*
 * The encap file: line parsing, loading with faults reported by line, and
 * the write / read round trip.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"
#include "encap.h"
#include "ingest.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "policy.h"

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))
#define T0		3000000

static void
test_parse_valid_lines(void **state)
{
	struct prefix p;
	uint32_t gw;
	const char *why;

	assert_int_equal(encap_parse_line("route addprivate 44.131.91.0/24 "
	    "encap 62.31.206.176\n", &p, &gw, &why), 1);
	assert_int_equal(p.addr, A(44, 131, 91, 0));
	assert_int_equal(p.len, 24);
	assert_int_equal(gw, A(62, 31, 206, 176));
	/* Short network form, tabs, a trailing comment. */
	assert_int_equal(encap_parse_line("\troute  addprivate\t44.182.20/24 "
	    "encap 1.2.3.4 # old writer\r\n", &p, &gw, &why), 1);
	assert_int_equal(p.addr, A(44, 182, 20, 0));
	assert_int_equal(encap_parse_line("# a comment\n", &p, &gw, &why), 0);
	assert_int_equal(encap_parse_line("   \n", &p, &gw, &why), 0);
	assert_int_equal(encap_parse_line("", &p, &gw, &why), 0);
}

static void
expect_bad(const char *line, const char *reason)
{
	struct prefix p;
	uint32_t gw;
	const char *why = NULL;

	assert_int_equal(encap_parse_line(line, &p, &gw, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void
test_parse_bad_lines(void **state)
{
	const char *form = "not \"route addprivate PREFIX encap GATEWAY\"";

	expect_bad("route addprivate 44.131.91.0/24 encap", form);
	expect_bad("route add 44.131.91.0/24 encap 1.2.3.4", form);
	expect_bad("route addprivate 44.131.91.0/24 via 1.2.3.4", form);
	expect_bad("route addprivate 44.1.0.0/16 encap 1.2.3.4 extra", form);
	expect_bad("route addprivate 44.131.91.0 encap 1.2.3.4", "bad prefix");
	expect_bad("route addprivate 44.131.91.0/33 encap 1.2.3.4",
	    "bad prefix");
	expect_bad("route addprivate 44.131.91.7/24 encap 1.2.3.4",
	    "host bits set in prefix");
	expect_bad("route addprivate 44.131.91.0/24 encap 1.2.3",
	    "bad gateway address");
}

struct fx {
	void		*kctx;
	struct mesh	*m;
	struct policy	 pol;
	struct ingest	 in;
};

static void
fx_init(struct fx *f)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	char err[64];

	f->kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	kern_dry_set_output(f->kctx, NULL);
	mesh_config_init(&cfg);
	f->m = mesh_new(&cfg, &kern_dry_ops, f->kctx);
	policy_init(&f->pol);
	ingest_init(&f->in, &f->pol, f->m);
}

static void
fx_fini(struct fx *f)
{
	mesh_free(f->m);
	kern_dry_ops.close(f->kctx);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Runs encap_read with stderr captured into buf. */
static int
read_capturing(struct fx *f, const char *path, char *buf, size_t len)
{
	struct capture c;
	int n;

	capture_begin(&c);
	n = encap_read(path, &f->in, T0);
	capture_end(&c, buf, len);
	return n;
}

static void
test_read_reports_line_numbers(void **state)
{
	char path[] = "/tmp/test_encap.XXXXXX", log[4096], want[256];
	struct fx f;
	int fd = mkstemp(path);

	close(fd);
	write_file(path,
	    "# encap.txt\n"
	    "route addprivate 44.2.2.0/24 encap 198.51.100.20\n"
	    "garbage here\n"
	    "\n"
	    "route addprivate 44.182.20/24 encap 198.51.100.21\n"
	    "route addprivate 44.208.0.0/16 encap 198.51.100.22\n"
	    "route addprivate 44.3.3.0/24 encap 1.2.3\n");
	fx_init(&f);
	assert_int_equal(read_capturing(&f, path, log, sizeof(log)), 2);
	snprintf(want, sizeof(want), "%s:3: not \"route addprivate PREFIX "
	    "encap GATEWAY\", skipped", path);
	assert_non_null(strstr(log, want));
	snprintf(want, sizeof(want), "%s:6: 44.208.0.0/16 refused: ", path);
	assert_non_null(strstr(log, want));
	snprintf(want, sizeof(want), "%s:7: bad gateway address, skipped",
	    path);
	assert_non_null(strstr(log, want));
	mesh_reconcile(f.m, T0);
	assert_int_equal(kern_dry_nroutes(f.kctx), 2);
	fx_fini(&f);
	unlink(path);
	/* A missing file is an error the caller sees, not a crash. */
	assert_int_equal(encap_read(path, &f.in, T0), -1);
}

static void
collect(void *arg, const struct mesh_route_view *v)
{
	char *buf = arg;
	size_t len = strlen(buf);

	snprintf(buf + len, 8192 - len, "%08x/%d %08x\n", v->addr, v->len,
	    v->gateway);
}

static void
test_round_trip(void **state)
{
	char path[] = "/tmp/test_encap.XXXXXX", before[8192] = "",
	    after[8192] = "", line[128];
	struct fx a, b;
	FILE *fp;
	int i, fd = mkstemp(path);

	close(fd);
	fx_init(&a);
	for (i = 0; i < 200; i++)
		assert_int_equal(mesh_heard(a.m, A(44, i / 4 + 1,
		    (i % 4) * 64, 0), 26 - (i % 3), A(198, 51, 100, i % 37 + 1),
		    T0), R_NONE);
	mesh_heard(a.m, A(44, 99, 0, 1), 32, A(203, 0, 113, 9), T0);
	assert_int_equal(encap_write(path, a.m, T0), 0);
	fx_init(&b);
	assert_int_equal(encap_read(path, &b.in, T0), 201);
	mesh_foreach(a.m, collect, before);
	mesh_foreach(b.m, collect, after);
	assert_string_equal(before, after);
	/* The header says when and by what. */
	fp = fopen(path, "r");
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_non_null(strstr(line, "44meshd"));
	assert_non_null(strstr(line, "1970-02-04 17:20:00 UTC"));
	fclose(fp);
	fx_fini(&a);
	fx_fini(&b);
	unlink(path);
}

static void
test_write_failure_leaves_old_file(void **state)
{
	struct fx f;

	fx_init(&f);
	mesh_heard(f.m, A(44, 2, 2, 0), 24, A(198, 51, 100, 20), T0);
	/* A directory that does not exist: no file, an error. */
	assert_int_equal(encap_write("/nonexistent-dir/encap.txt", f.m, T0),
	    -1);
	fx_fini(&f);
}

static void
write_bytes(const char *path, const char *bytes, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	fclose(fp);
}

/* A NUL byte refuses its own line and never the one after it. */
static void
test_nul_byte_keeps_next_line(void **state)
{
	static const char text[] =
	    "route addprivate 44.2.2.0/24 encap 198.51.100.20\n"
	    "route addprivate 44.4.\0.0/24 encap 198.51.100.21\n"
	    "route addprivate 44.5.5.0/24 encap 198.51.100.22\n";
	char path[] = "/tmp/test_encap.XXXXXX", log[4096], want[256];
	struct fx f;
	int fd = mkstemp(path);

	close(fd);
	write_bytes(path, text, sizeof(text) - 1);
	fx_init(&f);
	assert_int_equal(read_capturing(&f, path, log, sizeof(log)), 2);
	snprintf(want, sizeof(want), "%s:2: NUL byte, skipped", path);
	assert_non_null(strstr(log, want));
	mesh_reconcile(f.m, T0);
	assert_int_equal(kern_dry_nroutes(f.kctx), 2);
	fx_fini(&f);
	unlink(path);
}

static void
test_long_line_keeps_next_line(void **state)
{
	char path[] = "/tmp/test_encap.XXXXXX", log[4096], want[256];
	char text[2048];
	struct fx f;
	int fd = mkstemp(path), n;

	close(fd);
	memset(text, '#', 1500);
	n = 1500 + snprintf(text + 1500, sizeof(text) - 1500,
	    "\nroute addprivate 44.5.5.0/24 encap 198.51.100.22\n");
	write_bytes(path, text, (size_t)n);
	fx_init(&f);
	assert_int_equal(read_capturing(&f, path, log, sizeof(log)), 1);
	snprintf(want, sizeof(want), "%s:1: line too long, skipped", path);
	assert_non_null(strstr(log, want));
	fx_fini(&f);
	unlink(path);
}

/* Many bad lines: the first few in full, then one count. */
static void
test_bad_lines_counted(void **state)
{
	char path[] = "/tmp/test_encap.XXXXXX", log[8192], want[256];
	struct fx f;
	FILE *fp;
	int fd = mkstemp(path), i;

	close(fd);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (i = 0; i < 10; i++)
		fprintf(fp, "garbage %d\n", i);
	fprintf(fp, "route addprivate 44.5.5.0/24 encap 198.51.100.22\n");
	fclose(fp);
	fx_init(&f);
	assert_int_equal(read_capturing(&f, path, log, sizeof(log)), 1);
	snprintf(want, sizeof(want), "%s:3: not", path);
	assert_non_null(strstr(log, want));
	snprintf(want, sizeof(want), "%s:4: ", path);
	assert_null(strstr(log, want));
	snprintf(want, sizeof(want), "%s: 10 lines skipped or refused, the "
	    "first 3 shown", path);
	assert_non_null(strstr(log, want));
	fx_fini(&f);
	unlink(path);
}

static void
test_written_0644(void **state)
{
	char path[] = "/tmp/test_encap.XXXXXX";
	struct stat st;
	struct fx f;
	mode_t old = umask(077);
	int fd = mkstemp(path);

	close(fd);
	fx_init(&f);
	mesh_heard(f.m, A(44, 2, 2, 0), 24, A(198, 51, 100, 20), T0);
	assert_int_equal(encap_write(path, f.m, T0), 0);
	umask(old);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	fx_fini(&f);
	unlink(path);
}

static void
test_resolve(void **state)
{
	char buf[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 32], longname[300];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(encap_resolve("db/encap.txt", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/db/encap.txt", cwd);
	assert_string_equal(buf, want);
	assert_int_equal(encap_resolve("/var/db/encap.txt", buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "/var/db/encap.txt");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	errno = 0;
	assert_int_equal(encap_resolve(longname, buf, 64), -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid_lines),
		cmocka_unit_test(test_parse_bad_lines),
		cmocka_unit_test(test_read_reports_line_numbers),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_write_failure_leaves_old_file),
		cmocka_unit_test(test_nul_byte_keeps_next_line),
		cmocka_unit_test(test_long_line_keeps_next_line),
		cmocka_unit_test(test_bad_lines_counted),
		cmocka_unit_test(test_written_0644),
		cmocka_unit_test(test_resolve),
	};

	log_init(1, 0, "test_encap");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
