/*
 * IPv4 addresses and prefixes as text.  Parsing is strict on purpose:
 * flags and files are untrusted, and inet_aton(3) would take octal, hex,
 * short forms and trailing junk.  Decimal only, one to three digits an
 * octet, nothing before or after.
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"

#define OCTET_MAX_DIGITS	3
#define PREFIXLEN_MAX_DIGITS	2

uint32_t
addr_mask(int len)
{
	if (len <= 0)
		return 0;
	if (len >= 32)
		return 0xffffffffU;
	return 0xffffffffU << (32 - len);
}

int
prefix_contains(struct prefix p, uint32_t addr)
{
	return ((addr ^ p.addr) & addr_mask(p.len)) == 0;
}

/*
 * Decimal number of 1 to maxdigits digits in [s, end), at most max.
 * 0, or -1 on error.
 */
static int
parse_decimal(const char *s, const char *end, int maxdigits,
    unsigned int max, unsigned int *out)
{
	unsigned int	v = 0;

	if (end <= s || end - s > maxdigits)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned int)(*s - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * minoctets to 4 dot-separated octets in [s, end); the missing low octets
 * are 0.  0, or -1 on error.
 */
static int
parse_octets(const char *s, const char *end, int minoctets, uint32_t *out)
{
	const char	*dot;
	unsigned int	 octet;
	uint32_t	 addr = 0;
	int		 n = 0;

	for (;;) {
		dot = memchr(s, '.', (size_t)(end - s));
		if (dot == NULL)
			dot = end;
		if (n == 4 ||
		    parse_decimal(s, dot, OCTET_MAX_DIGITS, 255, &octet) == -1)
			return -1;
		addr |= (uint32_t)octet << (8 * (3 - n));
		n++;
		if (dot == end)
			break;
		s = dot + 1;
	}
	if (n < minoctets)
		return -1;
	*out = addr;
	return 0;
}

int
parse_addr(const char *s, uint32_t *out)
{
	if (s == NULL || out == NULL)
		return -1;
	return parse_octets(s, s + strlen(s), 4, out);
}

int
parse_prefix(const char *s, int shortok, struct prefix *out, int *hostbits)
{
	const char	*slash;
	uint32_t	 addr, mask;
	unsigned int	 len;

	if (s == NULL || out == NULL)
		return -1;
	if ((slash = strchr(s, '/')) == NULL)
		return -1;
	if (parse_octets(s, slash, shortok ? 1 : 4, &addr) == -1)
		return -1;
	if (parse_decimal(slash + 1, slash + 1 + strlen(slash + 1),
	    PREFIXLEN_MAX_DIGITS, 32, &len) == -1)
		return -1;

	mask = addr_mask((int)len);
	if ((addr & ~mask) != 0 && hostbits == NULL)
		return -1;
	if (hostbits != NULL)
		*hostbits = (addr & ~mask) != 0;
	out->addr = addr & mask;
	out->len = (int)len;
	return 0;
}

const char *
fmt_addr(uint32_t addr, char *buf)
{
	snprintf(buf, ADDR_STRLEN, "%u.%u.%u.%u", (unsigned int)(addr >> 24),
	    (unsigned int)(addr >> 16) & 0xff,
	    (unsigned int)(addr >> 8) & 0xff, (unsigned int)addr & 0xff);
	return buf;
}

const char *
fmt_prefix(uint32_t addr, int len, char *buf)
{
	char	a[ADDR_STRLEN];

	snprintf(buf, PREFIX_STRLEN, "%s/%d", fmt_addr(addr, a), len);
	return buf;
}

int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	unsigned int digit;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		digit = (unsigned int)(*s - '0');
		if (v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*out = v;
	return 0;
}
