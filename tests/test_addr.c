/*
 * Address and prefix parsing and formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

#define UNTOUCHED	0xdeadbeefU

static void
test_mask(void **state)
{
	assert_int_equal(addr_mask(0), 0);
	assert_int_equal(addr_mask(1), 0x80000000U);
	assert_int_equal(addr_mask(9), 0xff800000U);
	assert_int_equal(addr_mask(24), 0xffffff00U);
	assert_int_equal(addr_mask(31), 0xfffffffeU);
	assert_int_equal(addr_mask(32), 0xffffffffU);
}

static void
test_contains(void **state)
{
	struct prefix	p = { 0x2c800000U, 10 };	/* 44.128.0.0/10 */
	struct prefix	all = { 0, 0 };
	struct prefix	host = { 0x2c000001U, 32 };

	assert_true(prefix_contains(p, 0x2c800000U));
	assert_true(prefix_contains(p, 0x2cbfffffU));
	assert_false(prefix_contains(p, 0x2c7fffffU));
	assert_false(prefix_contains(p, 0x2cc00000U));	/* 44.192.0.0 */
	assert_true(prefix_contains(all, 0xffffffffU));
	assert_true(prefix_contains(all, 0));
	assert_true(prefix_contains(host, 0x2c000001U));
	assert_false(prefix_contains(host, 0x2c000000U));
}

static void
accepts(const char *s, uint32_t want)
{
	uint32_t	a = UNTOUCHED;

	if (parse_addr(s, &a) != 0)
		fail_msg("refused \"%s\"", s);
	assert_int_equal(a, want);
}

static void
refuses(const char *s)
{
	uint32_t	a = UNTOUCHED;

	if (parse_addr(s, &a) != -1)
		fail_msg("accepted \"%s\"", s);
	assert_int_equal(a, UNTOUCHED);
}

static void
test_parse_addr_accepts(void **state)
{
	accepts("0.0.0.0", 0);
	accepts("255.255.255.255", 0xffffffffU);
	accepts("44.0.0.1", 0x2c000001U);
	accepts("169.228.34.84", 0xa9e42254U);
	accepts("1.2.3.4", 0x01020304U);
	/* Decimal always: a leading zero is not octal. */
	accepts("010.0.0.1", 0x0a000001U);
	accepts("001.002.003.004", 0x01020304U);
}

static void
test_parse_addr_refuses(void **state)
{
	refuses("");
	refuses("1.2.3");
	refuses("1.2.3.256");
	refuses("256.1.1.1");
	refuses("1.2.3.999");
	refuses(" 1.2.3.4");
	refuses("1.2.3.4 ");
	refuses("1.2.3.4\n");
	refuses("1.2.3.4x");
	refuses("01234.1.1.1");
	refuses("1.2.3.0004");
	refuses("+1.2.3.4");
	refuses("-1.2.3.4");
	refuses("1.-2.3.4");
	refuses("1.+2.3.4");
	refuses("1..2.3");
	refuses(".1.2.3");
	refuses("1.2.3.");
	refuses("1.2.3.4.");
	refuses("1.2.3.4.5");
	refuses("0x1.2.3.4");
	refuses("1.2.3.4/32");
	refuses("1.2. 3.4");
	refuses("4294967295");
	refuses("...");
	assert_int_equal(parse_addr(NULL, &(uint32_t){ 0 }), -1);
}

static void
prefix_ok(const char *s, int shortok, uint32_t want, int wantlen,
    int wanthostbits)
{
	struct prefix	p = { UNTOUCHED, -7 };
	int		hostbits = -1;

	if (parse_prefix(s, shortok, &p, &hostbits) != 0)
		fail_msg("refused \"%s\"", s);
	assert_int_equal(p.addr, want);
	assert_int_equal(p.len, wantlen);
	assert_int_equal(hostbits, wanthostbits);
	/* Without host bits, no pointer is needed. */
	if (!wanthostbits) {
		p.addr = UNTOUCHED;
		assert_int_equal(parse_prefix(s, shortok, &p, NULL), 0);
		assert_int_equal(p.addr, want);
	}
}

static void
prefix_refused(const char *s, int shortok)
{
	struct prefix	p = { UNTOUCHED, -7 };
	int		hostbits = -1;

	if (parse_prefix(s, shortok, &p, &hostbits) != -1)
		fail_msg("accepted \"%s\" (shortok %d)", s, shortok);
	assert_int_equal(p.addr, UNTOUCHED);
	assert_int_equal(p.len, -7);
	assert_int_equal(hostbits, -1);
}

static void
test_parse_prefix_accepts(void **state)
{
	prefix_ok("44.0.0.0/9", 0, 0x2c000000U, 9, 0);
	prefix_ok("44.128.0.0/10", 0, 0x2c800000U, 10, 0);
	prefix_ok("0.0.0.0/0", 0, 0, 0, 0);
	prefix_ok("255.255.255.255/32", 0, 0xffffffffU, 32, 0);
	prefix_ok("44.131.91.0/24", 0, 0x2c835b00U, 24, 0);
	prefix_ok("44.131.91.0/24", 1, 0x2c835b00U, 24, 0);
	prefix_ok("44.0.0.1/32", 0, 0x2c000001U, 32, 0);
	prefix_ok("10.0.0.0/08", 0, 0x0a000000U, 8, 0);
}

static void
test_parse_prefix_short_form(void **state)
{
	prefix_ok("44.182.20/24", 1, 0x2cb61400U, 24, 0);
	prefix_ok("44.182/16", 1, 0x2cb60000U, 16, 0);
	prefix_ok("44/8", 1, 0x2c000000U, 8, 0);
	prefix_ok("44.182.20/23", 1, 0x2cb61400U, 23, 0);
	/* Short form still masks: 44.182.21.0/23 has a host bit. */
	prefix_ok("44.182.21/23", 1, 0x2cb61400U, 23, 1);

	prefix_refused("44.182.20/24", 0);
	prefix_refused("44/8", 0);
	prefix_refused("44.182.20", 1);		/* the length is required */
	prefix_refused("44.182.20/", 1);
	prefix_refused("/24", 1);
	prefix_refused("44..20/24", 1);
	prefix_refused("44.182.20./24", 1);
	prefix_refused("44.1.2.3.4/32", 1);
	prefix_refused("44.182.256/24", 1);
}

static void
test_parse_prefix_host_bits(void **state)
{
	struct prefix	p = { UNTOUCHED, -7 };

	prefix_ok("1.2.3.4/24", 0, 0x01020300U, 24, 1);
	prefix_ok("44.0.0.1/9", 0, 0x2c000000U, 9, 1);
	prefix_ok("255.255.255.255/0", 0, 0, 0, 1);
	/* Without a pointer to report them, host bits are an error. */
	assert_int_equal(parse_prefix("1.2.3.4/24", 0, &p, NULL), -1);
	assert_int_equal(p.addr, UNTOUCHED);
	assert_int_equal(parse_prefix("44.0.0.1/9", 1, &p, NULL), -1);
	assert_int_equal(p.addr, UNTOUCHED);
}

static void
test_parse_prefix_refuses(void **state)
{
	prefix_refused("1.2.3.4/33", 0);
	prefix_refused("1.2.3.4/", 0);
	prefix_refused("1.2.3.4", 0);
	prefix_refused("1.2.3/24", 0);
	prefix_refused("1.2.3.256/24", 0);
	prefix_refused(" 1.2.3.0/24", 0);
	prefix_refused("1.2.3.0/24 ", 0);
	prefix_refused("1.2.3.0 /24", 0);
	prefix_refused("1.2.3.0/ 24", 0);
	prefix_refused("1.2.3.0/+24", 0);
	prefix_refused("1.2.3.0/-1", 0);
	prefix_refused("1.2.3.0/24x", 0);
	prefix_refused("1.2.3.0/024", 0);
	prefix_refused("1.2.3.0/100", 0);
	prefix_refused("1.2.3.0/0x8", 0);
	prefix_refused("1.2.3.0/24/24", 0);
	prefix_refused("1.2.3.4x/32", 0);
	prefix_refused("01234.1.1.1/32", 0);
	prefix_refused("", 0);
	prefix_refused("/", 1);
	assert_int_equal(parse_prefix(NULL, 1, &(struct prefix){ 0, 0 },
	    NULL), -1);
}

static void
test_format(void **state)
{
	char		a[ADDR_STRLEN], p[PREFIX_STRLEN];
	uint32_t	back;
	struct prefix	pb;

	assert_string_equal(fmt_addr(0, a), "0.0.0.0");
	assert_string_equal(fmt_addr(0x2c000001U, a), "44.0.0.1");
	assert_string_equal(fmt_addr(0xffffffffU, a), "255.255.255.255");
	assert_ptr_equal(fmt_addr(1, a), a);
	assert_string_equal(fmt_prefix(0x2cb61400U, 24, p),
	    "44.182.20.0/24");
	assert_string_equal(fmt_prefix(0xffffffffU, 32, p),
	    "255.255.255.255/32");
	assert_string_equal(fmt_prefix(0, 0, p), "0.0.0.0/0");
	assert_ptr_equal(fmt_prefix(0, 0, p), p);

	/* Whatever is formatted parses back. */
	assert_int_equal(parse_addr(fmt_addr(0xa9e42254U, a), &back), 0);
	assert_int_equal(back, 0xa9e42254U);
	assert_int_equal(parse_prefix(fmt_prefix(0x2c835b00U, 24, p), 0,
	    &pb, NULL), 0);
	assert_int_equal(pb.addr, 0x2c835b00U);
	assert_int_equal(pb.len, 24);
}

static void
test_parse_uint(void **state)
{
	unsigned long v = 7;

	assert_int_equal(parse_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("604800", 604800, &v), 0);
	assert_int_equal(v, 604800);
	assert_int_equal(parse_uint("4294967295", 4294967295UL, &v), 0);
	assert_int_equal(v, 4294967295UL);
	v = 7;
	assert_int_equal(parse_uint("604801", 604800, &v), -1);
	assert_int_equal(parse_uint("", 10, &v), -1);
	assert_int_equal(parse_uint("-1", 10, &v), -1);
	assert_int_equal(parse_uint("+1", 10, &v), -1);
	assert_int_equal(parse_uint(" 1", 10, &v), -1);
	assert_int_equal(parse_uint("1 ", 10, &v), -1);
	assert_int_equal(parse_uint("0x10", 100, &v), -1);
	assert_int_equal(parse_uint("99999999999999999999999", 100, &v), -1);
	/* Failures leave the output alone. */
	assert_int_equal(v, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_parse_addr_accepts),
		cmocka_unit_test(test_parse_addr_refuses),
		cmocka_unit_test(test_parse_prefix_accepts),
		cmocka_unit_test(test_parse_prefix_short_form),
		cmocka_unit_test(test_parse_prefix_host_bits),
		cmocka_unit_test(test_parse_prefix_refuses),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
