/*
 * The command line: 44ripd's letters, ours, and a named error for every
 * bad value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

static int
parse(struct options *o, char *err, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0;

	argv[argc++] = "44meshd";
	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	err[0] = '\0';
	return options_parse(argc, argv, o, err, 256);
}

static void
test_defaults(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, NULL), 0);
	assert_int_equal(o.mesh.rdomain, 44);
	assert_int_equal(o.mesh.tunneldomain, 0);
	assert_int_equal(o.mesh.expiry, 900);
	assert_int_equal(o.policy.source, A(44, 0, 0, 1));
	assert_string_equal(o.policy.password, "pLaInTeXtpAsSwD");
	assert_int_equal(o.policy.naccept, 2);
	assert_false(o.local_set);
	assert_false(o.foreground);
	assert_null(o.replayfile);
	assert_int_equal(o.policy.minlen, 16);
	assert_false(o.policy.more_specific_ok);
	assert_int_equal(o.mesh.maxroutes, 4096);
	assert_int_equal(o.mesh.maxtunnels, 2048);
	assert_int_equal(o.mesh.maxnewtunnels, MESH_DEFAULT_MAXNEW);
	assert_string_equal(o.pidfile, "/var/run/44meshd.pid");
	assert_false(o.pidfile_set);
	/* Without -m, tunnels keep the MTU the kernel gives them. */
	assert_int_equal(o.mesh.mtu, 0);
	/* Domains 44 and 0: a 44 next hop does not recurse. */
	assert_false(o.policy.one_domain);
}

static void
test_rc_local_line(void **state)
{
	struct options o;
	char err[256];

	/* route -T 44 exec /usr/local/sbin/44meshd -s 0 -s 1 -D 44 -T 23 */
	assert_int_equal(parse(&o, err, "-s", "0", "-s", "1", "-D", "44",
	    "-T", "23", NULL), 0);
	assert_int_equal(o.nreserved, 2);
	assert_int_equal(o.reserved[0], 0);
	assert_int_equal(o.reserved[1], 1);
	assert_int_equal(o.mesh.tunneldomain, 23);
}

static void
test_every_flag(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, "-dnvv", "-a", "44.0.0.0/8", "-D7",
	    "-f", "/var/db/encap.txt", "-g", "44.0.0.2", "-I",
	    "44.128.0.0/16", "-i", "192.0.2.1", "-L", "23.30.150.141", "-l",
	    "44.44.107.1", "-p", "secret", "-r", "x.pcap", "-s", "65535",
	    "-T", "255", "-x", "604800", NULL), 0);
	assert_true(o.foreground);
	assert_true(o.dryrun);
	assert_int_equal(o.verbose, 2);
	assert_int_equal(o.policy.naccept, 1);
	assert_int_equal(o.policy.accept[0].addr, A(44, 0, 0, 0));
	assert_int_equal(o.mesh.rdomain, 7);
	assert_string_equal(o.encapfile, "/var/db/encap.txt");
	assert_int_equal(o.policy.source, A(44, 0, 0, 2));
	assert_int_equal(o.policy.nignore, 1);
	assert_int_equal(o.join, A(192, 0, 2, 1));
	assert_int_equal(o.mesh.local, A(23, 30, 150, 141));
	assert_int_equal(o.policy.ours, A(23, 30, 150, 141));
	assert_true(o.local_set);
	assert_int_equal(o.mesh.addr44, A(44, 44, 107, 1));
	assert_string_equal(o.policy.password, "secret");
	assert_string_equal(o.replayfile, "x.pcap");
	assert_int_equal(o.reserved[0], 65535);
	assert_int_equal(o.mesh.tunneldomain, 255);
	assert_int_equal(o.mesh.expiry, 604800);
	assert_int_equal(o.policy.addr44, A(44, 44, 107, 1));
}

static void
test_rules_flags(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, "-S", "-M", "20", "-N", "100", "-K",
	    "50", "-k", "7", "-P", "/tmp/x.pid", NULL), 0);
	assert_true(o.policy.more_specific_ok);
	assert_int_equal(o.policy.minlen, 20);
	assert_int_equal(o.mesh.maxroutes, 100);
	assert_int_equal(o.mesh.maxtunnels, 50);
	assert_int_equal(o.mesh.maxnewtunnels, 7);
	assert_string_equal(o.pidfile, "/tmp/x.pid");
	assert_true(o.pidfile_set);
	/* One domain for routes and tunnels: 44 next hops would recurse. */
	assert_int_equal(parse(&o, err, "-D", "5", "-T", "5", NULL), 0);
	assert_true(o.policy.one_domain);
	/* A private -L stays legal: a gateway behind NAT has one. */
	assert_int_equal(parse(&o, err, "-L", "192.168.1.2", NULL), 0);
	assert_int_equal(o.mesh.local, A(192, 168, 1, 2));
}

static void
bad(const char *flag, const char *value, const char *message)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, flag, value, NULL), -1);
	assert_string_equal(err, message);
}

static void
test_bad_values_named(void **state)
{
	bad("-D", "256", "-D: bad routing domain (0..255) \"256\"");
	bad("-T", "-1", "-T: bad routing domain (0..255) \"-1\"");
	bad("-D", "4x", "-D: bad routing domain (0..255) \"4x\"");
	bad("-s", "65536", "-s: bad gif unit (0..65535) \"65536\"");
	bad("-x", "0", "-x: bad expiry (1..604800 seconds) \"0\"");
	bad("-x", "604801", "-x: bad expiry (1..604800 seconds) \"604801\"");
	bad("-x", "", "-x: bad expiry (1..604800 seconds) \"\"");
	bad("-L", "23.30.150", "-L: bad address (dotted quad) \"23.30.150\"");
	bad("-g", "host.example", "-g: bad address (dotted quad) "
	    "\"host.example\"");
	bad("-a", "44.0.0.0/33", "-a: bad prefix (a.b.c.d/n, n 0..32, no "
	    "host bits) \"44.0.0.0/33\"");
	bad("-I", "44.1.2.3/16", "-I: bad prefix (a.b.c.d/n, n 0..32, no "
	    "host bits) \"44.1.2.3/16\"");
	bad("-p", "seventeen-chars!!", "-p: password longer than 16 "
	    "characters \"seventeen-chars!!\"");
	bad("-f", "", "-f: empty file name \"\"");
	bad("-P", "", "-P: empty file name \"\"");
	bad("-M", "7", "-M: bad prefix length (8..32) \"7\"");
	bad("-M", "33", "-M: bad prefix length (8..32) \"33\"");
	bad("-N", "0", "-N: bad count (1..1000000) \"0\"");
	bad("-K", "1000001", "-K: bad count (1..1000000) \"1000001\"");
	bad("-k", "x", "-k: bad count (1..1000000) \"x\"");
}

/* Values that parse but can never be right are refused by name. */
static void
test_sanity(void **state)
{
	bad("-L", "0.0.0.0", "-L: not a unicast address \"0.0.0.0\"");
	bad("-L", "127.0.0.1", "-L: not a unicast address \"127.0.0.1\"");
	bad("-L", "224.0.0.9", "-L: not a unicast address \"224.0.0.9\"");
	bad("-L", "255.255.255.255", "-L: not a unicast address "
	    "\"255.255.255.255\"");
	bad("-g", "224.0.0.9", "-g: not a unicast address \"224.0.0.9\"");
	bad("-g", "0.0.0.0", "-g: not a unicast address \"0.0.0.0\"");
	bad("-l", "10.0.0.1", "-l: not inside 44.0.0.0/8 \"10.0.0.1\"");
	bad("-l", "45.0.0.1", "-l: not inside 44.0.0.0/8 \"45.0.0.1\"");
	bad("-a", "0.0.0.0/0", "-a: prefix shorter than /8 \"0.0.0.0/0\"");
	bad("-a", "44.0.0.0/7", "-a: prefix shorter than /8 "
	    "\"44.0.0.0/7\"");
}

/* -R: the priority that marks our routes; only one nobody else uses. */
static void
test_route_priority(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, NULL), 0);
	assert_int_equal(o.route_priority, 0);
	assert_int_equal(parse(&o, err, "-R", "44", NULL), 0);
	assert_int_equal(o.route_priority, 44);
	assert_int_equal(parse(&o, err, "-R9", NULL), 0);
	assert_int_equal(o.route_priority, 9);
	/* Kernel-only, route(8)'s static, 44ripd's, out of range. */
	assert_int_equal(parse(&o, err, "-R", "1", NULL), -1);
	assert_string_equal(err, "-R: bad route priority (2..63, not 4, 8 "
	    "or 56) \"1\"");
	assert_int_equal(parse(&o, err, "-R", "4", NULL), -1);
	assert_int_equal(parse(&o, err, "-R", "8", NULL), -1);
	assert_int_equal(parse(&o, err, "-R", "56", NULL), -1);
	assert_int_equal(parse(&o, err, "-R", "64", NULL), -1);
	assert_int_equal(parse(&o, err, "-R", "0", NULL), -1);
}

/* -m: the tunnels' MTU, inside what gif and ipip both take. */
static void
test_mtu_flag(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, "-m", "1480", NULL), 0);
	assert_int_equal(o.mesh.mtu, 1480);
	assert_int_equal(parse(&o, err, "-m1280", NULL), 0);
	assert_int_equal(o.mesh.mtu, 1280);
	assert_int_equal(parse(&o, err, "-m", "8192", NULL), 0);
	assert_int_equal(o.mesh.mtu, 8192);
	assert_int_equal(parse(&o, err, "-m", "1279", NULL), -1);
	assert_string_equal(err, "-m: bad tunnel MTU (1280..8192) \"1279\"");
	assert_int_equal(parse(&o, err, "-m", "8193", NULL), -1);
	assert_string_equal(err, "-m: bad tunnel MTU (1280..8192) \"8193\"");
	assert_int_equal(parse(&o, err, "-m", "0", NULL), -1);
	assert_int_equal(parse(&o, err, "-m", "1480x", NULL), -1);
	assert_int_equal(parse(&o, err, "-m", "-1480", NULL), -1);
	assert_int_equal(parse(&o, err, "-m", NULL), -1);
	assert_string_equal(err, "-m: missing value");
}

static void
test_usage_faults(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, "-q", NULL), -1);
	assert_string_equal(err, "-q: unknown flag");
	assert_int_equal(parse(&o, err, "-D", NULL), -1);
	assert_string_equal(err, "-D: missing value");
	assert_int_equal(parse(&o, err, "stray", NULL), -1);
	assert_string_equal(err, "unexpected argument \"stray\"");
	assert_int_equal(parse(&o, err, "-d", "--", "-x", NULL), -1);
	assert_string_equal(err, "unexpected argument \"-x\"");
	/* Flags after an operand are not taken (no GNU permutation). */
	assert_int_equal(parse(&o, err, "stray", "-d", NULL), -1);
	assert_string_equal(err, "unexpected argument \"stray\"");
	/* Parsing starts afresh each time: -v counts from zero. */
	assert_int_equal(parse(&o, err, "-vv", NULL), 0);
	assert_int_equal(parse(&o, err, "-v", NULL), 0);
	assert_int_equal(o.verbose, 1);
}

/* -c -C -u -w: the control sockets and the engine's user. */
static void
test_privilege_flags(void **state)
{
	struct options o;
	char err[256], longpath[200];

	assert_int_equal(parse(&o, err, NULL), 0);
	assert_string_equal(o.ctlsock, OPTIONS_DEFAULT_CTLSOCK);
	assert_null(o.ctlsock_ro);
	assert_null(o.ctlgroup);
	assert_string_equal(o.user, OPTIONS_DEFAULT_USER);
	assert_int_equal(parse(&o, err, "-c", "/run/a.sock", "-C",
	    "/run/b.sock", "-u", "nobody", "-w", "adm", NULL), 0);
	assert_string_equal(o.ctlsock, "/run/a.sock");
	assert_string_equal(o.ctlsock_ro, "/run/b.sock");
	assert_string_equal(o.user, "nobody");
	assert_string_equal(o.ctlgroup, "adm");
	assert_int_equal(parse(&o, err, "-c", "", NULL), -1);
	assert_string_equal(err, "-c: empty socket path \"\"");
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(parse(&o, err, "-C", longpath, NULL), -1);
	assert_true(strstr(err, "-C: socket path too long") == err);
	assert_int_equal(parse(&o, err, "-u", "", NULL), -1);
	assert_string_equal(err, "-u: empty user name \"\"");
	assert_int_equal(parse(&o, err, "-w", "", NULL), -1);
	assert_string_equal(err, "-w: empty group name \"\"");
}

/* -G -U -t: the listener's trust rule and replay's. */
static void
test_trust_flags(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, NULL), 0);
	assert_int_equal(o.amprgw, 0xa9e42254U);	/* 169.228.34.84 */
	assert_int_equal(o.unsafe, 0);
	assert_int_equal(o.in_tunnel, 0);
	assert_int_equal(parse(&o, err, "-UtG", "192.0.2.9", NULL), 0);
	assert_int_equal(o.amprgw, 0xc0000209U);
	assert_int_equal(o.unsafe, 1);
	assert_int_equal(o.in_tunnel, 1);
	bad("-G", "224.0.0.9", "-G: not a unicast address \"224.0.0.9\"");
	bad("-G", "0.0.0.0", "-G: not a unicast address \"0.0.0.0\"");
	bad("-G", "amprgw", "-G: bad address (dotted quad) \"amprgw\"");
}

/* -X, the hard expiry limit, and -A, our address as amprgw advertises it. */
static void
test_hard_expiry_and_advertised(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, NULL), 0);
	assert_int_equal(o.mesh.hardexpiry, 604800);
	assert_int_equal(o.policy.advertised, 0);
	assert_int_equal(parse(&o, err, "-L", "192.168.1.10", "-A",
	    "203.0.113.50", "-X", "315360000", NULL), 0);
	assert_int_equal(o.policy.ours, A(192, 168, 1, 10));
	assert_int_equal(o.policy.advertised, A(203, 0, 113, 50));
	assert_int_equal(o.mesh.local, A(192, 168, 1, 10));
	assert_int_equal(o.mesh.hardexpiry, 315360000);
	/* -X may equal -x, in either order. */
	assert_int_equal(parse(&o, err, "-X", "60", "-x", "60", NULL), 0);
	assert_int_equal(o.mesh.hardexpiry, 60);
	bad("-X", "0", "-X: bad hard expiry (1..315360000 seconds) \"0\"");
	bad("-X", "315360001", "-X: bad hard expiry (1..315360000 seconds) "
	    "\"315360001\"");
	bad("-A", "203.0.113", "-A: bad address (dotted quad) "
	    "\"203.0.113\"");
	/* Shorter than the default -x, or than a -x given after it. */
	bad("-X", "899", "-X: 899 seconds is shorter than -x (900)");
	assert_int_equal(parse(&o, err, "-X", "1000", "-x", "1001", NULL),
	    -1);
	assert_string_equal(err, "-X: 1000 seconds is shorter than -x (1001)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rc_local_line),
		cmocka_unit_test(test_every_flag),
		cmocka_unit_test(test_bad_values_named),
		cmocka_unit_test(test_mtu_flag),
		cmocka_unit_test(test_usage_faults),
		cmocka_unit_test(test_privilege_flags),
		cmocka_unit_test(test_rules_flags),
		cmocka_unit_test(test_sanity),
		cmocka_unit_test(test_trust_flags),
		cmocka_unit_test(test_hard_expiry_and_advertised),
		cmocka_unit_test(test_route_priority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
