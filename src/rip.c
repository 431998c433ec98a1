/*
 * RIP44 datagrams: RIPv2 responses whose first entry is plain-text
 * authentication (RFC 2453 section 4.1).
 *
 * Decisions, so that every refusal has exactly one name:
 * - Faults are checked in the order length, header, authentication, and
 *   the first one found is returned.  Length faults are checked short,
 *   then ragged, then too many.
 * - The two "must be zero" header bytes are ignored, as RFC 2453 says a
 *   receiver should.
 * - Header and authentication faults drop the datagram; an entry fault
 *   marks that entry alone.  Within an entry, family is checked before
 *   netmask before metric.
 * - All 16 password bytes are compared against the expected password NUL
 *   padded to 16, so bytes after a NUL in the datagram count.  An expected
 *   password longer than 16 bytes (or NULL) never matches.
 * - addr keeps the host bits as sent; the policy masks and reports them.
 */
#include <string.h>

#include "rip.h"
#include "wire.h"

#define RIP_CMD_RESPONSE	2
#define RIP_VERSION_2		2
#define RIP_AF_INET		2
#define RIP_AF_AUTH		0xffff
#define RIP_AUTH_PLAIN		2

/* Offsets inside one 20-byte entry. */
#define ENT_FAMILY		0
#define ENT_TAG			2
#define ENT_ADDR		4
#define ENT_MASK		8
#define ENT_NEXTHOP		12
#define ENT_METRIC		16
#define ENT_AUTHTYPE		2
#define ENT_PASSWORD		4





/* Expected password NUL padded to 16 bytes; -1 when it cannot be. */
static int
pad_password(const char *password, uint8_t padded[RIP_PASSWORD_LEN])
{
	size_t	plen;

	if (password == NULL)
		return -1;
	plen = strnlen(password, RIP_PASSWORD_LEN + 1);
	if (plen > RIP_PASSWORD_LEN)
		return -1;
	memset(padded, 0, RIP_PASSWORD_LEN);
	memcpy(padded, password, plen);
	return 0;
}

int
rip_mask_len(uint32_t mask)
{
	uint32_t	inverse = ~mask;
	int		len = 0;

	/* Contiguous when the host part is a run of low ones. */
	if ((inverse & (inverse + 1)) != 0)
		return -1;
	while (mask != 0) {
		len++;
		mask <<= 1;
	}
	return len;
}

static enum reason
check_auth(const uint8_t *auth, const char *password)
{
	uint8_t		expected[RIP_PASSWORD_LEN];
	unsigned int	diff = 0;
	int		i;

	if (get16(auth + ENT_FAMILY) != RIP_AF_AUTH)
		return R_NOAUTH;
	if (get16(auth + ENT_AUTHTYPE) != RIP_AUTH_PLAIN)
		return R_AUTHTYPE;
	if (pad_password(password, expected) == -1)
		return R_PASSWORD;
	for (i = 0; i < RIP_PASSWORD_LEN; i++)
		diff |= expected[i] ^ auth[ENT_PASSWORD + i];
	return diff == 0 ? R_NONE : R_PASSWORD;
}

static void
decode_entry(const uint8_t *p, struct rip_entry *e)
{
	e->family = get16(p + ENT_FAMILY);
	e->tag = get16(p + ENT_TAG);
	e->addr = get32(p + ENT_ADDR);
	e->mask = get32(p + ENT_MASK);
	e->len = rip_mask_len(e->mask);
	e->nexthop = get32(p + ENT_NEXTHOP);
	e->metric = get32(p + ENT_METRIC);

	if (e->family != RIP_AF_INET)
		e->status = R_FAMILY;
	else if (e->len < 0)
		e->status = R_NETMASK;
	else if (e->metric == 0 || e->metric > RIP_METRIC_INFINITY)
		e->status = R_METRIC;
	else
		e->status = R_NONE;
}

enum reason
rip_decode(const uint8_t *buf, size_t len, const char *password,
    struct rip_packet *out)
{
	const uint8_t	*entry;
	size_t		 nentries;
	enum reason	 r;
	int		 i;

	if (buf == NULL || len < RIP_HEADER_LEN + RIP_ENTRY_LEN)
		return R_SHORT;
	if ((len - RIP_HEADER_LEN) % RIP_ENTRY_LEN != 0)
		return R_LENGTH;
	nentries = (len - RIP_HEADER_LEN) / RIP_ENTRY_LEN;
	if (nentries > RIP_MAX_ENTRIES)
		return R_TOOMANY;

	if (buf[0] != RIP_CMD_RESPONSE)
		return R_COMMAND;
	if (buf[1] != RIP_VERSION_2)
		return R_VERSION;
	/* buf[2] and buf[3] "must be zero": ignored, as RFC 2453 says. */

	entry = buf + RIP_HEADER_LEN;
	if ((r = check_auth(entry, password)) != R_NONE)
		return r;

	memset(out, 0, sizeof(*out));
	out->command = buf[0];
	out->version = buf[1];
	out->nentries = (int)nentries - 1;
	for (i = 0; i < out->nentries; i++) {
		entry += RIP_ENTRY_LEN;
		decode_entry(entry, &out->entries[i]);
	}
	return R_NONE;
}

size_t
rip_encode(uint8_t *buf, size_t bufsz, const char *password,
    const struct rip_entry *entries, int n)
{
	uint8_t			 padded[RIP_PASSWORD_LEN];
	const struct rip_entry	*e;
	uint8_t			*p;
	size_t			 total;
	int			 i;

	if (n < 0 || n > RIP_MAX_ROUTES || (n > 0 && entries == NULL))
		return 0;
	total = RIP_HEADER_LEN + (size_t)(n + 1) * RIP_ENTRY_LEN;
	if (buf == NULL || bufsz < total)
		return 0;
	/* A password that cannot be sent is an error, not truncated. */
	if (pad_password(password, padded) == -1)
		return 0;

	memset(buf, 0, total);
	buf[0] = RIP_CMD_RESPONSE;
	buf[1] = RIP_VERSION_2;
	p = buf + RIP_HEADER_LEN;
	put16(p + ENT_FAMILY, RIP_AF_AUTH);
	put16(p + ENT_AUTHTYPE, RIP_AUTH_PLAIN);
	memcpy(p + ENT_PASSWORD, padded, RIP_PASSWORD_LEN);

	for (i = 0; i < n; i++) {
		e = &entries[i];
		p += RIP_ENTRY_LEN;
		put16(p + ENT_FAMILY, e->family == 0 ? RIP_AF_INET :
		    e->family);
		put16(p + ENT_TAG, e->tag);
		put32(p + ENT_ADDR, e->addr);
		put32(p + ENT_MASK, e->mask);
		put32(p + ENT_NEXTHOP, e->nexthop);
		put32(p + ENT_METRIC, e->metric);
	}
	return total;
}
