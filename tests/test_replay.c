/*
 * Replay's handling of captures it cannot use: missing, not a capture,
 * unsupported link type, cut short.  (The regression captures in pcaps/
 * check what it does with good ones.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap.h>

#include "ingest.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "policy.h"
#include "replay.h"

struct fx {
	void			*kctx;
	struct mesh		*m;
	struct policy		 pol;
	struct ingest		 in;
	struct replay_counts	 counts;
	char			 err[512];
};

static void
fx_init(struct fx *f)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	char err[64];

	memset(f, 0, sizeof(*f));
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

static int
run(struct fx *f, const char *path)
{
	return replay_run(path, &f->in, &f->pol, &f->counts, f->err,
	    sizeof(f->err));
}

static void
test_missing_file(void **state)
{
	struct fx f;

	fx_init(&f);
	assert_int_equal(run(&f, "/nonexistent/capture.pcap"), -1);
	assert_non_null(strstr(f.err, "/nonexistent/capture.pcap"));
	fx_fini(&f);
}

static void
test_not_a_capture(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;
	int fd = mkstemp(path);

	assert_int_equal(write(fd, "route addprivate 44.1.0.0/16 encap 1.2.3.4\n",
	    43), 43);
	close(fd);
	fx_init(&f);
	assert_int_equal(run(&f, path), -1);
	assert_non_null(strstr(f.err, path));
	fx_fini(&f);
	unlink(path);
}

/* A capture of link type dlt holding one frame of n bytes, less cut. */
static void
write_capture(const char *path, int dlt, size_t n, size_t cut)
{
	struct pcap_pkthdr h;
	pcap_dumper_t *d;
	uint8_t frame[64];
	pcap_t *p;
	FILE *fp;
	long len;

	memset(frame, 0x45, sizeof(frame));
	p = pcap_open_dead(dlt, 65535);
	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = (uint32_t)n;
	pcap_dump((u_char *)d, &h, frame);
	pcap_dump_close(d);
	pcap_close(p);
	if (cut == 0)
		return;
	fp = fopen(path, "r+");
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(path, len - (long)cut), 0);
}

static void
test_unsupported_link_type(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;

	close(mkstemp(path));
	write_capture(path, DLT_IEEE802_11, 40, 0);
	fx_init(&f);
	assert_int_equal(run(&f, path), -1);
	assert_non_null(strstr(f.err, "unsupported link type"));
	fx_fini(&f);
	unlink(path);
}

static void
test_junk_frames_skipped_and_counted(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;

	close(mkstemp(path));
	write_capture(path, DLT_RAW, 60, 0);
	fx_init(&f);
	assert_int_equal(run(&f, path), 0);
	assert_int_equal(f.counts.frames, 1);
	assert_int_equal(f.counts.skipped, 1);
	assert_int_equal(f.in.datagrams, 0);
	fx_fini(&f);
	unlink(path);
}

static void
test_truncated_capture(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;

	close(mkstemp(path));
	write_capture(path, DLT_RAW, 60, 20);
	fx_init(&f);
	assert_int_equal(run(&f, path), -1);
	assert_non_null(strstr(f.err, path));
	fx_fini(&f);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_capture),
		cmocka_unit_test(test_unsupported_link_type),
		cmocka_unit_test(test_junk_frames_skipped_and_counted),
		cmocka_unit_test(test_truncated_capture),
	};

	log_init(1, 0, "test_replay");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
