/*
 * The acceptance policy: which datagram sources and which route entries
 * are used.
 *
 * An entry is checked in this order, the first fault found being its
 * reason:
 *   R_OUTSIDE	the prefix is not wholly inside one accepted prefix (-a);
 *		first because it says the route is none of our business.
 *   R_IGNORED	the prefix is inside or equal to an ignored prefix (-I).
 *		A prefix that merely covers an ignored one is kept: the
 *		operator routes the ignored part, and longest-prefix match
 *		lets that more specific route win.
 *   R_OURS	the next hop is our own address (-L), or the public one
 *		amprgw advertises for us behind NAT (-A): our own subnet,
 *		seen every cycle, so it is named before the noisy faults.
 *   R_NEXTHOP	the next hop is not a usable unicast address: 0/8, 127/8,
 *		224/4 (multicast), 240/4 (which holds 255.255.255.255).
 *   R_LOOP	the next hop lies inside the advertised prefix, so the
 *		tunnel endpoint would be routed through its own tunnel.  After
 *		R_NEXTHOP: only a usable next hop can make a loop.
 * Host bits set in the address are masked off before any of these and
 * reported through *hostbits; they are not a refusal.  The metric is not
 * looked at: the decoder refused bad ones and 16 is a withdrawal.
 */
#include <string.h>

#include "policy.h"

#define DEFAULT_SOURCE		0x2c000001U	/* 44.0.0.1 */

static const struct prefix default_accept[] = {
	{ 0x2c000000U, 9 },	/* 44.0.0.0/9 */
	{ 0x2c800000U, 10 },	/* 44.128.0.0/10; 44.192/10 was sold */
};

_Static_assert(sizeof(RIP_DEFAULT_PASSWORD) <= RIP_PASSWORD_LEN + 1,
    "default password longer than 16 bytes");

#define NDEFAULT_ACCEPT	\
	((int)(sizeof(default_accept) / sizeof(default_accept[0])))

/* Address blocks that cannot be a tunnel endpoint. */
static const struct prefix unusable_nexthop[] = {
	{ 0x00000000U, 8 },	/* "this" network */
	{ 0x7f000000U, 8 },	/* loopback */
	{ 0xe0000000U, 4 },	/* multicast */
	{ 0xf0000000U, 4 },	/* reserved and limited broadcast */
};

#define NUNUSABLE_NEXTHOP \
	((int)(sizeof(unusable_nexthop) / sizeof(unusable_nexthop[0])))

void
policy_init(struct policy *policy)
{
	memset(policy, 0, sizeof(*policy));
	memcpy(policy->accept, default_accept, sizeof(default_accept));
	policy->naccept = NDEFAULT_ACCEPT;
	policy->accept_defaults = 1;
	policy->source = DEFAULT_SOURCE;
	memcpy(policy->password, RIP_DEFAULT_PASSWORD,
	    sizeof(RIP_DEFAULT_PASSWORD));
}

static int
add_prefix(struct prefix *list, int *n, struct prefix p)
{
	if (p.len < 0 || p.len > 32 || *n < 0 || *n >= POLICY_MAX_PREFIXES)
		return -1;
	p.addr &= addr_mask(p.len);
	list[(*n)++] = p;
	return 0;
}

int
policy_add_accept(struct policy *policy, struct prefix p)
{
	if (policy->accept_defaults) {
		policy->accept_defaults = 0;
		policy->naccept = 0;
	}
	return add_prefix(policy->accept, &policy->naccept, p);
}

int
policy_add_ignore(struct policy *policy, struct prefix p)
{
	return add_prefix(policy->ignore, &policy->nignore, p);
}

enum reason
policy_source(const struct policy *policy, uint32_t src, uint16_t sport)
{
	if (src != policy->source)
		return R_SOURCE;
	if (sport != RIP_PORT)
		return R_SOURCE_PORT;
	return R_NONE;
}

/* 1 when addr/len lies wholly inside (or equals) one prefix of list. */
static int
inside_any(const struct prefix *list, int n, uint32_t addr, int len)
{
	int	i;

	for (i = 0; i < n; i++)
		if (list[i].len <= len && prefix_contains(list[i], addr))
			return 1;
	return 0;
}

static int
nexthop_usable(uint32_t nexthop)
{
	int	i;

	for (i = 0; i < NUNUSABLE_NEXTHOP; i++)
		if (prefix_contains(unusable_nexthop[i], nexthop))
			return 0;
	return 1;
}

enum reason
policy_entry(const struct policy *policy, const struct rip_entry *e,
    uint32_t *addr, int *len, int *hostbits)
{
	struct prefix	p;

	/* Outputs are always set, so a caller can log any refusal. */
	p.addr = e->addr;
	p.len = e->len;
	if (e->status == R_NONE && e->len >= 0 && e->len <= 32)
		p.addr &= addr_mask(p.len);
	if (addr != NULL)
		*addr = p.addr;
	if (len != NULL)
		*len = p.len;
	if (hostbits != NULL)
		*hostbits = p.addr != e->addr;

	/*
	 * The decoder's verdict stands.  The prefix is addr/len: mask is not
	 * read, so a caller may fill len alone; a bad len is no prefix.
	 */
	if (e->status != R_NONE)
		return e->status;
	if (e->len < 0 || e->len > 32)
		return R_NETMASK;

	if (!inside_any(policy->accept, policy->naccept, p.addr, p.len))
		return R_OUTSIDE;
	if (inside_any(policy->ignore, policy->nignore, p.addr, p.len))
		return R_IGNORED;
	if ((policy->ours != 0 && e->nexthop == policy->ours) ||
	    (policy->advertised != 0 && e->nexthop == policy->advertised))
		return R_OURS;
	if (!nexthop_usable(e->nexthop))
		return R_NEXTHOP;
	if (prefix_contains(p, e->nexthop))
		return R_LOOP;
	return R_NONE;
}
