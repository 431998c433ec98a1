/*
 * Replay's handling of captures it cannot use: missing, not a capture,
 * unsupported link type, cut short; and its trust rule: only IPENCAP
 * from amprgw (-G), or with -t unwrapped datagrams, feed the table, and
 * only amprgw's frames say what our public address is.  (The regression
 * captures in pcaps/ check what it does with good ones.)
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
#include "rip.h"

#define AMPRGW		0xa9e42254U	/* 169.228.34.84 */
#define OURS		0x171e968dU	/* 23.30.150.141 */
#define FORGER		0xcb007142U	/* 203.0.113.66 */
#define FORGED_OURS	0xc6336409U	/* 198.51.100.9 */

struct fx {
	void			*kctx;
	struct mesh		*m;
	struct policy		 pol;
	struct ingest		 in;
	struct replay_trust	 trust;
	struct replay_counts	 counts;
	char			 err[512];
};

static void
fx_init(struct fx *f)
{
	struct kern_config kc = { 44, 0 };
	struct mesh_config cfg;
	char err[64];

	memset(f, 0, sizeof(*f));
	f->kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	kern_dry_set_output(f->kctx, NULL);
	mesh_config_init(&cfg);
	f->m = mesh_new(&cfg, &kern_dry_ops, f->kctx);
	policy_init(&f->pol);
	ingest_init(&f->in, &f->pol, f->m);
	f->trust.amprgw = AMPRGW;
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
	return replay_run(path, &f->trust, &f->in, &f->pol, &f->counts,
	    f->err, sizeof(f->err));
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

/* Marks want (len -1) when the table has a route at want->addr. */
static void
find_route(void *arg, const struct mesh_route_view *v)
{
	struct mesh_route_view *want = arg;

	if (v->addr == want->addr)
		want->len = -1;
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static size_t
ipv4_header(uint8_t *p, uint8_t proto, uint32_t src, uint32_t dst,
    size_t payload)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint32_t)(20 + payload));
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	return 20;
}

/*
 * A raw IPv4 frame: RIP44 from 44.0.0.1 advertising prefix via gateway,
 * inside IPENCAP from outer_src to outer_dst (or unwrapped when outer_src
 * is 0).
 */
static void
dump_rip(pcap_dumper_t *d, time_t when, uint32_t outer_src,
    uint32_t outer_dst, uint32_t prefix, uint32_t gateway)
{
	struct rip_entry e;
	struct pcap_pkthdr h;
	uint8_t frame[256], rip[RIP_MAX_LEN];
	size_t n, off = 0, inner;

	memset(&e, 0, sizeof(e));
	e.tag = 4;
	e.addr = prefix;
	e.mask = 0xffffff00U;
	e.nexthop = gateway;
	e.metric = 1;
	n = rip_encode(rip, sizeof(rip), RIP_DEFAULT_PASSWORD, &e, 1);
	assert_true(n > 0);
	inner = 20 + 8 + n;
	if (outer_src != 0)
		off += ipv4_header(frame, 4, outer_src, outer_dst, inner);
	off += ipv4_header(frame + off, 17, 0x2c000001U, 0xe0000009U, 8 + n);
	put16(frame + off, 520);
	put16(frame + off + 2, 520);
	put16(frame + off + 4, (uint32_t)(8 + n));
	put16(frame + off + 6, 0);
	memcpy(frame + off + 8, rip, n);
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = when;
	h.caplen = h.len = (uint32_t)(off + 8 + n);
	pcap_dump((u_char *)d, &h, frame);
}

/*
 * A forger's IPENCAP first (as anyone can send it to our catch-all), then
 * amprgw's, then an unwrapped datagram.
 */
static void
write_mixed_capture(const char *path)
{
	pcap_dumper_t *d;
	pcap_t *p;

	p = pcap_open_dead(DLT_RAW, 65535);
	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	dump_rip(d, 1700000000, FORGER, FORGED_OURS, 0x2c2c6b00U, FORGER);
	dump_rip(d, 1700000001, AMPRGW, OURS, 0x2c020200U, 0xc6336414U);
	dump_rip(d, 1700000002, 0, 0, 0x2c030300U, 0xc6336415U);
	pcap_dump_close(d);
	pcap_close(p);
}

static int
has_route(struct fx *f, uint32_t prefix)
{
	struct mesh_route_view want = { .addr = prefix };

	mesh_foreach(f->m, find_route, &want);
	return want.len == -1;
}

static void
test_only_amprgw_is_trusted(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;

	close(mkstemp(path));
	write_mixed_capture(path);
	fx_init(&f);
	assert_int_equal(run(&f, path), 0);
	assert_int_equal(f.counts.frames, 3);
	assert_int_equal(f.counts.untrusted, 2);
	assert_int_equal(f.in.datagrams, 1);
	/* Learned from amprgw's frame, not from the forger's before it. */
	assert_int_equal(f.pol.ours, OURS);
	assert_false(has_route(&f, 0x2c2c6b00U));
	assert_true(has_route(&f, 0x2c020200U));
	assert_false(has_route(&f, 0x2c030300U));
	fx_fini(&f);
	unlink(path);
}

static void
test_in_tunnel_uses_unwrapped(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;

	close(mkstemp(path));
	write_mixed_capture(path);
	fx_init(&f);
	f.trust.in_tunnel = 1;
	assert_int_equal(run(&f, path), 0);
	assert_int_equal(f.counts.untrusted, 1);
	assert_int_equal(f.in.datagrams, 2);
	assert_int_equal(f.pol.ours, OURS);
	assert_false(has_route(&f, 0x2c2c6b00U));
	assert_true(has_route(&f, 0x2c020200U));
	assert_true(has_route(&f, 0x2c030300U));
	fx_fini(&f);
	unlink(path);
}

/* Another -G: amprgw's frames are now a stranger's. */
static void
test_other_amprgw(void **state)
{
	char path[] = "/tmp/test_replay.XXXXXX";
	struct fx f;

	close(mkstemp(path));
	write_mixed_capture(path);
	fx_init(&f);
	f.trust.amprgw = FORGER;
	assert_int_equal(run(&f, path), 0);
	assert_int_equal(f.counts.untrusted, 2);
	assert_int_equal(f.pol.ours, FORGED_OURS);
	assert_true(has_route(&f, 0x2c2c6b00U));
	assert_false(has_route(&f, 0x2c020200U));
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
		cmocka_unit_test(test_only_amprgw_is_trusted),
		cmocka_unit_test(test_in_tunnel_uses_unwrapped),
		cmocka_unit_test(test_other_amprgw),
	};

	log_init(1, 0, "test_replay");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
