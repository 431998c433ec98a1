/*
 * IPv4 addresses and prefixes as text: parsing flags and files, formatting
 * logs and reports.  Host byte order throughout.
 */
#ifndef ADDR_H
#define ADDR_H

#include <stdint.h>

#define ADDR_STRLEN	16	/* "255.255.255.255" and NUL */
#define PREFIX_STRLEN	19	/* "255.255.255.255/32" and NUL */

struct prefix {
	uint32_t	addr;		/* masked */
	int		len;		/* 0..32 */
};

/* Mask of a prefix length: 0 for /0, 0xffffffff for /32. */
uint32_t	addr_mask(int len);
/* 1 when addr lies inside p. */
int		prefix_contains(struct prefix p, uint32_t addr);

/*
 * Unsigned decimal for flags and files: digits only (no sign, space or
 * hex), at most max.  0, or -1 on error.
 */
int		parse_uint(const char *, unsigned long max, unsigned long *);
/* Strict dotted quad: four decimal octets 0..255.  0, or -1 on error. */
int		parse_addr(const char *, uint32_t *);
/*
 * a.b.c.d/n with n 0..32.  With shortok, fewer octets are accepted and the
 * missing ones are 0 (encap.txt writes 44.182.20/24).  Host bits set are
 * an error when hostbits is NULL; otherwise they are masked off and
 * *hostbits is set to 1.  0, or -1 on error.
 */
int		parse_prefix(const char *, int shortok, struct prefix *,
		    int *hostbits);
/* Format into buf, which must hold ADDR_STRLEN / PREFIX_STRLEN; return buf. */
const char	*fmt_addr(uint32_t, char *buf);
const char	*fmt_prefix(uint32_t addr, int len, char *buf);

#endif /* ADDR_H */
