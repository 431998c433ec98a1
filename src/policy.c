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
 * Then the prefixes that would hurt the router itself:
 *   R_AGGREGATE	a whole accepted prefix (44.0.0.0/9): the space
 *		itself is never one gateway's.
 *   R_PREFIXLEN	shorter than the minimum length (-M).
 *   R_SOURCE_ROUTE	holds the RIP source (-g, 44.0.0.1): routed into
 *		a peer's tunnel, amprgw's own broadcasts would fail the
 *		kernel's reverse-path check and stop reaching us.
 *   R_CONNECTED	equals one of our connected 44 subnets, is a part
 *		of one holding our own address on it, or (unless -S) holds
 *		one or our -l address: our own LAN routed away.
 *   R_MORE_SPECIFIC	inside one of our connected 44 subnets (unless
 *		-S): the LAN reaches those addresses on-link, so such a
 *		route only ever serves a hijack.  -S is for the site whose
 *		subnet is nested with another site's, either way.
 * Then the next hops that can never be a gateway's public endpoint:
 *   R_NEXTHOP	not a usable unicast address: 0/8, 127/8, 224/4
 *		(multicast), 240/4 (which holds 255.255.255.255).
 *   R_NEXTHOP_PRIVATE	RFC 1918, 100.64/10 (CGNAT), 169.254/16: not
 *		reachable across the Internet.
 *   R_NEXTHOP_OURS44	one of our own 44 addresses (-l, connected).
 *   R_NEXTHOP_SOURCE	the RIP source (-g).
 *   R_NEXTHOP_RECURSIVE	inside 44/8 when the tunnels live in the
 *		interface domain (-D equals -T): the tunnel would be routed
 *		through the mesh.  With separate domains such endpoints are
 *		legal: real gateways have them.
 *   R_LOOP	the next hop lies inside the advertised prefix, so the
 *		tunnel endpoint would be routed through its own tunnel.  After
 *		the next-hop classes: only a usable next hop can make a loop.
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

/* Blocks that are not reachable across the Internet. */
static const struct prefix private_nexthop[] = {
	{ 0x0a000000U, 8 },	/* RFC 1918 */
	{ 0xac100000U, 12 },	/* RFC 1918 */
	{ 0xc0a80000U, 16 },	/* RFC 1918 */
	{ 0x64400000U, 10 },	/* RFC 6598 shared space (CGNAT) */
	{ 0xa9fe0000U, 16 },	/* link-local */
};

#define NPRIVATE_NEXTHOP \
	((int)(sizeof(private_nexthop) / sizeof(private_nexthop[0])))

static const struct prefix net44 = { 0x2c000000U, 8 };

void
policy_init(struct policy *policy)
{
	memset(policy, 0, sizeof(*policy));
	memcpy(policy->accept, default_accept, sizeof(default_accept));
	policy->naccept = NDEFAULT_ACCEPT;
	policy->accept_defaults = 1;
	policy->source = DEFAULT_SOURCE;
	policy->minlen = POLICY_DEFAULT_MINLEN;
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

void
policy_clear_connected(struct policy *policy)
{
	policy->nconnected = 0;
}

int
policy_add_connected(struct policy *policy, struct prefix a)
{
	int	i;

	if (a.len < 0 || a.len > 32 || !prefix_contains(net44, a.addr))
		return 0;
	for (i = 0; i < policy->nconnected; i++)
		if (policy->connected[i].addr == a.addr &&
		    policy->connected[i].len == a.len)
			return 0;
	if (policy->nconnected == POLICY_MAX_CONNECTED)
		return -1;
	policy->connected[policy->nconnected++] = a;
	return 1;
}

int
policy_set_connected(struct policy *policy, const struct prefix *addrs,
    int n)
{
	int	i, full = 0;

	policy_clear_connected(policy);
	for (i = 0; i < n; i++)
		if (policy_add_connected(policy, addrs[i]) == -1)
			full = 1;
	return full ? -1 : policy->nconnected;
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
in_list(const struct prefix *list, int n, uint32_t addr)
{
	int	i;

	for (i = 0; i < n; i++)
		if (prefix_contains(list[i], addr))
			return 1;
	return 0;
}

/* Whether a connected subnet longer than p holds addr. */
static int
shielded(const struct policy *policy, struct prefix p, uint32_t addr)
{
	struct prefix	subnet;
	int		i;

	for (i = 0; i < policy->nconnected; i++) {
		subnet.len = policy->connected[i].len;
		subnet.addr = policy->connected[i].addr & addr_mask(subnet.len);
		if (subnet.len > p.len && prefix_contains(subnet, addr))
			return 1;
	}
	return 0;
}

/* Why p would hurt the router, or R_NONE. */
static enum reason
prefix_harmful(const struct policy *policy, struct prefix p)
{
	struct prefix	subnet;
	int		i;

	for (i = 0; i < policy->naccept; i++)
		if (policy->accept[i].len == p.len &&
		    policy->accept[i].addr == p.addr)
			return R_AGGREGATE;
	if (p.len < policy->minlen)
		return R_PREFIXLEN;
	if (prefix_contains(p, policy->source))
		return R_SOURCE_ROUTE;
	/*
	 * With -S a prefix nested with one of our subnets either way is
	 * allowed, as longest-prefix match keeps ours ours: a wider route
	 * leaves the subnet's own (longer) route in charge, a narrower one
	 * is another site's part of it.  Never the subnet itself, a part of
	 * it holding our own address, or our -l address unless a longer
	 * subnet of ours holds it.
	 */
	if (policy->addr44 != 0 && prefix_contains(p, policy->addr44) &&
	    (!policy->more_specific_ok || !shielded(policy, p,
	    policy->addr44)))
		return R_CONNECTED;
	for (i = 0; i < policy->nconnected; i++) {
		subnet.len = policy->connected[i].len;
		subnet.addr = policy->connected[i].addr & addr_mask(subnet.len);
		if (p.len == subnet.len && p.addr == subnet.addr)
			return R_CONNECTED;
		if (p.len < subnet.len) {
			if (prefix_contains(p, subnet.addr) &&
			    !policy->more_specific_ok)
				return R_CONNECTED;
			continue;
		}
		if (!prefix_contains(subnet, p.addr))
			continue;
		if (prefix_contains(p, policy->connected[i].addr))
			return R_CONNECTED;
		if (!policy->more_specific_ok)
			return R_MORE_SPECIFIC;
	}
	return R_NONE;
}

/* Why nexthop can never be a gateway's public endpoint, or R_NONE. */
static enum reason
nexthop_bad(const struct policy *policy, uint32_t nexthop)
{
	int	i;

	if (in_list(unusable_nexthop, NUNUSABLE_NEXTHOP, nexthop))
		return R_NEXTHOP;
	if (in_list(private_nexthop, NPRIVATE_NEXTHOP, nexthop))
		return R_NEXTHOP_PRIVATE;
	if (policy->addr44 != 0 && nexthop == policy->addr44)
		return R_NEXTHOP_OURS44;
	for (i = 0; i < policy->nconnected; i++)
		if (nexthop == policy->connected[i].addr)
			return R_NEXTHOP_OURS44;
	if (nexthop == policy->source)
		return R_NEXTHOP_SOURCE;
	if (policy->one_domain && prefix_contains(net44, nexthop))
		return R_NEXTHOP_RECURSIVE;
	return R_NONE;
}

enum reason
policy_entry(const struct policy *policy, const struct rip_entry *e,
    uint32_t *addr, int *len, int *hostbits)
{
	struct prefix	p;
	enum reason	why;

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
	if ((why = prefix_harmful(policy, p)) != R_NONE)
		return why;
	if ((why = nexthop_bad(policy, e->nexthop)) != R_NONE)
		return why;
	if (prefix_contains(p, e->nexthop))
		return R_LOOP;
	return R_NONE;
}
