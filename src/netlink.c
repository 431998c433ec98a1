/*
 * rtnetlink message building and parsing; no sockets (see netlink.h).
 * Message and attribute headers are copied in and out with memcpy, so
 * neither the builder nor the parser cares how its buffer is aligned.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"

#define NL_ALIGN(n)	(((size_t)(n) + 3) & ~(size_t)3)
#define NL_HDRLEN	sizeof(struct nlmsghdr)
#define NL_ATTRLEN	sizeof(struct nlattr)
#define NL_ATTRMAX	0xffff

static int	nl_extack(const unsigned char *, size_t, char *, size_t,
		    const char **);
static void	nl_gifs_touch(struct nl_gifs *, int, enum nl_gif_state);

/* Building. */

void
nl_msg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t type,
    uint16_t flags, uint32_t seq)
{
	struct nlmsghdr	h;

	m->buf = buf;
	m->cap = cap;
	m->len = 0;
	m->overflow = 0;
	if (buf == NULL || cap < NL_HDRLEN) {
		m->overflow = 1;
		return;
	}
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = NL_HDRLEN;
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	memcpy(m->buf, &h, sizeof(h));
	m->len = NL_HDRLEN;
}

/* n bytes, zeroed and padded to alignment, or NULL on overflow. */
static unsigned char *
nl_grow(struct nl_msg *m, size_t n)
{
	unsigned char	*p;
	size_t		 need = NL_ALIGN(n);

	if (m->overflow || need < n || m->cap - m->len < need) {
		m->overflow = 1;
		return NULL;
	}
	p = m->buf + m->len;
	memset(p, 0, need);
	m->len += need;
	return p;
}

void
nl_put_family(struct nl_msg *m, const void *hdr, size_t len)
{
	unsigned char	*p;

	if ((p = nl_grow(m, len)) != NULL && len > 0)
		memcpy(p, hdr, len);
}

void
nl_put_attr(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr	 a;
	unsigned char	*p;

	if (len > NL_ATTRMAX - NL_ATTRLEN) {
		m->overflow = 1;
		return;
	}
	if ((p = nl_grow(m, NL_ATTRLEN + len)) == NULL)
		return;
	a.nla_len = (uint16_t)(NL_ATTRLEN + len);
	a.nla_type = type;
	memcpy(p, &a, sizeof(a));
	if (len > 0)
		memcpy(p + NL_ATTRLEN, data, len);
}

void
nl_put_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	nl_put_attr(m, type, &v, sizeof(v));
}

void
nl_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	nl_put_attr(m, type, &v, sizeof(v));
}

void
nl_put_in4(struct nl_msg *m, uint16_t type, uint32_t addr)
{
	uint32_t	net = htonl(addr);

	nl_put_attr(m, type, &net, sizeof(net));
}

void
nl_put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	nl_put_attr(m, type, s, strlen(s) + 1);
}

size_t
nl_nest_begin(struct nl_msg *m, uint16_t type)
{
	size_t	off = m->len;

	nl_put_attr(m, type, NULL, 0);
	return off;
}

void
nl_nest_end(struct nl_msg *m, size_t off)
{
	uint16_t	len;

	if (m->overflow || off < NL_HDRLEN || off + NL_ATTRLEN > m->len)
		return;
	if (m->len - off > NL_ATTRMAX) {
		m->overflow = 1;
		return;
	}
	len = (uint16_t)(m->len - off);
	memcpy(m->buf + off + offsetof(struct nlattr, nla_len), &len,
	    sizeof(len));
}

int
nl_msg_finish(struct nl_msg *m)
{
	uint32_t	len;

	if (m->overflow)
		return EMSGSIZE;
	len = (uint32_t)m->len;
	memcpy(m->buf + offsetof(struct nlmsghdr, nlmsg_len), &len,
	    sizeof(len));
	return 0;
}

static int
nl_name_ok(const char *name)
{
	size_t	n;

	if (name == NULL)
		return 0;
	n = strnlen(name, NL_NAMELEN);
	return n > 0 && n < NL_NAMELEN;
}

static void
nl_put_ifinfo(struct nl_msg *m, int ifindex, unsigned int flags,
    unsigned int change)
{
	struct ifinfomsg	ifi;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = ifindex;
	ifi.ifi_flags = flags;
	ifi.ifi_change = change;
	nl_put_family(m, &ifi, sizeof(ifi));
}

int
nl_build_link_create(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    const char *name, uint32_t local, uint32_t remote, int underlay,
    int master)
{
	size_t	info, data;

	if (!nl_name_ok(name) || underlay < 0 || master < 0)
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK |
	    NLM_F_CREATE | NLM_F_EXCL, seq);
	nl_put_ifinfo(m, 0, 0, 0);
	nl_put_str(m, IFLA_IFNAME, name);
	if (master > 0)
		nl_put_u32(m, IFLA_MASTER, (uint32_t)master);
	info = nl_nest_begin(m, IFLA_LINKINFO);
	nl_put_str(m, IFLA_INFO_KIND, "ipip");
	data = nl_nest_begin(m, IFLA_INFO_DATA);
	if (underlay > 0)
		nl_put_u32(m, IFLA_IPTUN_LINK, (uint32_t)underlay);
	nl_put_in4(m, IFLA_IPTUN_LOCAL, local);
	nl_put_in4(m, IFLA_IPTUN_REMOTE, remote);
	nl_put_u8(m, IFLA_IPTUN_TTL, NL_TUNNEL_TTL);
	nl_nest_end(m, data);
	nl_nest_end(m, info);
	return nl_msg_finish(m);
}

int
nl_build_link_get(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    const char *name)
{
	if (!nl_name_ok(name))
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
	nl_put_ifinfo(m, 0, 0, 0);
	nl_put_str(m, IFLA_IFNAME, name);
	return nl_msg_finish(m);
}

int
nl_build_link_set_up(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    int ifindex, int up)
{
	if (ifindex <= 0)
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
	nl_put_ifinfo(m, ifindex, up ? IFF_UP : 0, IFF_UP);
	return nl_msg_finish(m);
}

int
nl_build_link_modify(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    int ifindex, const char *alias, int mtu, const struct nl_ends *ends)
{
	size_t	info, data;

	if (ifindex <= 0 || mtu < 0 || (alias == NULL && mtu == 0 &&
	    ends == NULL) || (alias != NULL && (alias[0] == '\0' ||
	    strlen(alias) >= NL_ALIASLEN)) || (ends != NULL &&
	    ends->underlay < 0))
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
	nl_put_ifinfo(m, ifindex, 0, 0);
	if (alias != NULL)
		nl_put_str(m, IFLA_IFALIAS, alias);
	if (mtu > 0)
		nl_put_u32(m, IFLA_MTU, (uint32_t)mtu);
	if (ends != NULL) {
		info = nl_nest_begin(m, IFLA_LINKINFO);
		nl_put_str(m, IFLA_INFO_KIND, "ipip");
		data = nl_nest_begin(m, IFLA_INFO_DATA);
		if (ends->underlay > 0)
			nl_put_u32(m, IFLA_IPTUN_LINK,
			    (uint32_t)ends->underlay);
		nl_put_in4(m, IFLA_IPTUN_LOCAL, ends->local);
		nl_put_in4(m, IFLA_IPTUN_REMOTE, ends->remote);
		nl_put_u8(m, IFLA_IPTUN_TTL, NL_TUNNEL_TTL);
		nl_nest_end(m, data);
		nl_nest_end(m, info);
	}
	return nl_msg_finish(m);
}

int
nl_build_link_delete(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    int ifindex, const char *name)
{
	if (ifindex < 0 || (ifindex == 0 && !nl_name_ok(name)))
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
	nl_put_ifinfo(m, ifindex, 0, 0);
	if (ifindex == 0)
		nl_put_str(m, IFLA_IFNAME, name);
	return nl_msg_finish(m);
}

int
nl_build_addr_add(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    int ifindex, uint32_t addr)
{
	struct ifaddrmsg	ifa;

	if (ifindex <= 0)
		return EINVAL;
	/* REPLACE: adding the address a second time is not an error. */
	nl_msg_init(m, buf, cap, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK |
	    NLM_F_CREATE | NLM_F_REPLACE, seq);
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	ifa.ifa_prefixlen = 32;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = (uint32_t)ifindex;
	nl_put_family(m, &ifa, sizeof(ifa));
	nl_put_in4(m, IFA_LOCAL, addr);
	nl_put_in4(m, IFA_ADDRESS, addr);
	return nl_msg_finish(m);
}

static uint32_t
nl_mask(int len)
{
	return len <= 0 ? 0 : len >= 32 ? 0xffffffffU :
	    ~(0xffffffffU >> len);
}

static void
nl_put_rtmsg(struct nl_msg *m, int dst_len, uint32_t table, int protocol,
    int scope, int type)
{
	struct rtmsg	rtm;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = (unsigned char)dst_len;
	/* Tables past 255 only fit RTA_TABLE, which the kernel prefers. */
	rtm.rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = (unsigned char)protocol;
	rtm.rtm_scope = (unsigned char)scope;
	rtm.rtm_type = (unsigned char)type;
	nl_put_family(m, &rtm, sizeof(rtm));
}

int
nl_build_route(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    enum nl_route_op op, uint32_t addr, int len, uint32_t table, int oif)
{
	uint16_t	type, flags = NLM_F_REQUEST | NLM_F_ACK;
	int		scope = RT_SCOPE_LINK;

	if (len < 0 || len > 32 || (addr & ~nl_mask(len)) != 0 ||
	    table == RT_TABLE_UNSPEC || oif <= 0)
		return EINVAL;
	switch (op) {
	case NL_ROUTE_ADD:
		type = RTM_NEWROUTE;
		flags |= NLM_F_CREATE | NLM_F_EXCL;
		break;
	case NL_ROUTE_CHANGE:
		type = RTM_NEWROUTE;
		flags |= NLM_F_CREATE | NLM_F_REPLACE;
		break;
	case NL_ROUTE_DELETE:
		type = RTM_DELROUTE;
		/* Ours whatever scope it was given, by protocol and oif. */
		scope = RT_SCOPE_NOWHERE;
		break;
	default:
		return EINVAL;
	}
	nl_msg_init(m, buf, cap, type, flags, seq);
	nl_put_rtmsg(m, len, table, NL_PROTO, scope, RTN_UNICAST);
	if (len > 0)
		nl_put_in4(m, RTA_DST, addr);
	nl_put_u32(m, RTA_OIF, (uint32_t)oif);
	nl_put_u32(m, RTA_TABLE, table);
	return nl_msg_finish(m);
}

/*
 * Dump requests are kept valid for the kernel's strict checking
 * (NETLINK_GET_STRICT_CHK): zero header fields but for the filters.
 */
int
nl_build_link_dump(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    const char *kind)
{
	size_t	info;

	if (kind != NULL && (*kind == '\0' || strlen(kind) >= NL_KINDLEN))
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK |
	    NLM_F_DUMP, seq);
	nl_put_ifinfo(m, 0, 0, 0);
	if (kind != NULL) {
		info = nl_nest_begin(m, IFLA_LINKINFO);
		nl_put_str(m, IFLA_INFO_KIND, kind);
		nl_nest_end(m, info);
	}
	return nl_msg_finish(m);
}

int
nl_build_addr_dump(struct nl_msg *m, void *buf, size_t cap, uint32_t seq)
{
	struct ifaddrmsg	ifa;

	nl_msg_init(m, buf, cap, RTM_GETADDR, NLM_F_REQUEST | NLM_F_ACK |
	    NLM_F_DUMP, seq);
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	nl_put_family(m, &ifa, sizeof(ifa));
	return nl_msg_finish(m);
}

int
nl_build_route_dump(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
    uint32_t table, int protocol)
{
	if (protocol < 0 || protocol > 255)
		return EINVAL;
	nl_msg_init(m, buf, cap, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_ACK |
	    NLM_F_DUMP, seq);
	nl_put_rtmsg(m, 0, table, protocol, 0, 0);
	if (table >= 256)
		nl_put_u32(m, RTA_TABLE, table);
	return nl_msg_finish(m);
}

uint32_t
nl_domain_table(int domain)
{
	return domain <= 0 ? RT_TABLE_MAIN : (uint32_t)domain;
}

int
nl_gif_unit(const char *name)
{
	const char	*p;
	long		 unit = 0;

	if (name == NULL || strncmp(name, "gif", 3) != 0)
		return -1;
	p = name + 3;
	if (*p == '\0' || (*p == '0' && p[1] != '\0'))
		return -1;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unit = unit * 10 + (*p - '0');
		if (unit > NL_UNIT_MAX)
			return -1;
	}
	return (int)unit;
}

int
nl_gif_name(int unit, char *buf)
{
	if (unit < 0 || unit > NL_UNIT_MAX)
		return -1;
	snprintf(buf, NL_NAMELEN, "gif%d", unit);
	return 0;
}

/* Parsing. */

void
nl_iter_init(struct nl_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = buf == NULL ? 0 : len;
	it->off = 0;
}

int
nl_iter_next(struct nl_iter *it, struct nl_view *v, const char **why)
{
	struct nlmsghdr	h;
	size_t		rem = it->len - it->off, step;

	if (rem == 0)
		return 0;
	if (rem < NL_HDRLEN) {
		*why = "truncated message header";
		return -1;
	}
	memcpy(&h, it->buf + it->off, sizeof(h));
	if (h.nlmsg_len < NL_HDRLEN) {
		*why = "message length shorter than its header";
		return -1;
	}
	if (h.nlmsg_len > rem) {
		*why = "message length beyond the datagram";
		return -1;
	}
	v->type = h.nlmsg_type;
	v->flags = h.nlmsg_flags;
	v->seq = h.nlmsg_seq;
	v->pid = h.nlmsg_pid;
	v->data = it->buf + it->off + NL_HDRLEN;
	v->len = h.nlmsg_len - NL_HDRLEN;
	/* The last message may come without its padding. */
	step = NL_ALIGN(h.nlmsg_len);
	it->off += step < rem ? step : rem;
	return 1;
}

void
nl_attrs_init(struct nl_attrs *a, const void *buf, size_t len)
{
	a->buf = buf;
	a->len = buf == NULL ? 0 : len;
	a->off = 0;
}

int
nl_attrs_of(struct nl_attrs *a, const struct nl_view *v, size_t hdrlen)
{
	size_t	start = NL_ALIGN(hdrlen);

	if (v->len < hdrlen)
		return -1;
	if (start > v->len)
		start = v->len;
	nl_attrs_init(a, v->data + start, v->len - start);
	return 0;
}

int
nl_attrs_next(struct nl_attrs *a, struct nl_attr *attr, const char **why)
{
	struct nlattr	h;
	size_t		rem = a->len - a->off, step;

	if (rem == 0)
		return 0;
	if (rem < NL_ATTRLEN) {
		*why = "truncated attribute header";
		return -1;
	}
	memcpy(&h, a->buf + a->off, sizeof(h));
	if (h.nla_len < NL_ATTRLEN) {
		*why = "attribute length shorter than its header";
		return -1;
	}
	if (h.nla_len > rem) {
		*why = "attribute overruns its message";
		return -1;
	}
	attr->type = h.nla_type & NLA_TYPE_MASK;
	attr->data = a->buf + a->off + NL_ATTRLEN;
	attr->len = h.nla_len - NL_ATTRLEN;
	step = NL_ALIGN(h.nla_len);
	a->off += step < rem ? step : rem;
	return 1;
}

int
nl_attr_u8(const struct nl_attr *a, uint8_t *v)
{
	if (a->len != sizeof(*v))
		return -1;
	*v = a->data[0];
	return 0;
}

int
nl_attr_u32(const struct nl_attr *a, uint32_t *v)
{
	if (a->len != sizeof(*v))
		return -1;
	memcpy(v, a->data, sizeof(*v));
	return 0;
}

int
nl_attr_in4(const struct nl_attr *a, uint32_t *v)
{
	uint32_t	net;

	if (a->len != sizeof(net))
		return -1;
	memcpy(&net, a->data, sizeof(net));
	*v = ntohl(net);
	return 0;
}

int
nl_attr_str(const struct nl_attr *a, char *buf, size_t buflen)
{
	size_t	n = strnlen((const char *)a->data, a->len);

	if (n == a->len || n >= buflen)
		return -1;
	memcpy(buf, a->data, n + 1);
	return 0;
}

/* An attribute holding an interface index, which must fit an int. */
static int
nl_attr_index(const struct nl_attr *a, int *index)
{
	uint32_t	v;

	if (nl_attr_u32(a, &v) == -1 || v > INT_MAX)
		return -1;
	*index = (int)v;
	return 0;
}

/* IFLA_INFO_DATA of the two kinds we read. */
static int
nl_parse_linkdata(const struct nl_attr *data, struct nl_link *l,
    const char **why)
{
	struct nl_attrs	as;
	struct nl_attr	a;
	int		r;
	int		ipip = strcmp(l->kind, "ipip") == 0;
	int		vrf = strcmp(l->kind, "vrf") == 0;

	nl_attrs_init(&as, data->data, data->len);
	while ((r = nl_attrs_next(&as, &a, why)) == 1) {
		if (ipip && a.type == IFLA_IPTUN_LINK) {
			if (nl_attr_index(&a, &l->underlay) == -1) {
				*why = "bad IFLA_IPTUN_LINK";
				return -1;
			}
		} else if (ipip && a.type == IFLA_IPTUN_LOCAL) {
			if (nl_attr_in4(&a, &l->local) == -1) {
				*why = "bad IFLA_IPTUN_LOCAL";
				return -1;
			}
		} else if (ipip && a.type == IFLA_IPTUN_REMOTE) {
			if (nl_attr_in4(&a, &l->remote) == -1) {
				*why = "bad IFLA_IPTUN_REMOTE";
				return -1;
			}
		} else if (vrf && a.type == IFLA_VRF_TABLE) {
			if (nl_attr_u32(&a, &l->table) == -1) {
				*why = "bad IFLA_VRF_TABLE";
				return -1;
			}
			l->has_table = 1;
		}
	}
	return r;
}

static int
nl_parse_linkinfo(const struct nl_attr *info, struct nl_link *l,
    const char **why)
{
	struct nl_attrs	as;
	struct nl_attr	a, data;
	size_t		n;
	int		r, has_data = 0;

	memset(&data, 0, sizeof(data));
	nl_attrs_init(&as, info->data, info->len);
	while ((r = nl_attrs_next(&as, &a, why)) == 1) {
		if (a.type == IFLA_INFO_KIND) {
			n = strnlen((const char *)a.data, a.len);
			if (n == a.len) {
				*why = "IFLA_INFO_KIND not terminated";
				return -1;
			}
			/* A long kind is somebody else's: keep a prefix. */
			if (n >= sizeof(l->kind))
				n = sizeof(l->kind) - 1;
			memcpy(l->kind, a.data, n);
			l->kind[n] = '\0';
			l->has_kind = 1;
		} else if (a.type == IFLA_INFO_DATA) {
			data = a;
			has_data = 1;
		}
	}
	if (r == -1)
		return -1;
	/* The kind decides how the data reads, whichever came first. */
	if (has_data && l->has_kind)
		return nl_parse_linkdata(&data, l, why);
	return 0;
}

int
nl_parse_link(const struct nl_view *v, struct nl_link *l, const char **why)
{
	struct ifinfomsg	ifi;
	struct nl_attrs		as;
	struct nl_attr		a, info;
	char			alias[NL_ALIASLEN];
	uint32_t		mtu;
	int			r, has_info = 0;

	memset(l, 0, sizeof(*l));
	memset(&info, 0, sizeof(info));
	if (v->type != RTM_NEWLINK && v->type != RTM_DELLINK) {
		*why = "not a link message";
		return -1;
	}
	if (nl_attrs_of(&as, v, sizeof(ifi)) == -1) {
		*why = "truncated ifinfomsg";
		return -1;
	}
	memcpy(&ifi, v->data, sizeof(ifi));
	if (ifi.ifi_index < 0) {
		*why = "negative interface index";
		return -1;
	}
	l->index = ifi.ifi_index;
	l->flags = ifi.ifi_flags;
	while ((r = nl_attrs_next(&as, &a, why)) == 1) {
		switch (a.type) {
		case IFLA_IFNAME:
			if (nl_attr_str(&a, l->name, sizeof(l->name)) == -1) {
				*why = "bad IFLA_IFNAME";
				return -1;
			}
			break;
		case IFLA_MASTER:
			if (nl_attr_index(&a, &l->master) == -1) {
				*why = "bad IFLA_MASTER";
				return -1;
			}
			break;
		case IFLA_MTU:
			if (nl_attr_u32(&a, &mtu) == -1 || mtu > INT_MAX) {
				*why = "bad IFLA_MTU";
				return -1;
			}
			l->mtu = (int)mtu;
			break;
		case IFLA_LINKINFO:
			info = a;
			has_info = 1;
			break;
		case IFLA_IFALIAS:
			/* Any other alias, however long, just is not ours. */
			l->marked = nl_attr_str(&a, alias,
			    sizeof(alias)) == 0 &&
			    strcmp(alias, KERN_TUNNEL_MARK) == 0;
			break;
		}
	}
	if (r == -1)
		return -1;
	if (has_info)
		return nl_parse_linkinfo(&info, l, why);
	return 0;
}

int
nl_parse_addr(const struct nl_view *v, struct nl_addr *ad, const char **why)
{
	struct ifaddrmsg	ifa;
	struct nl_attrs		as;
	struct nl_attr		a;
	uint32_t		address = 0;
	int			r, inet, has_address = 0;

	memset(ad, 0, sizeof(*ad));
	if (v->type != RTM_NEWADDR && v->type != RTM_DELADDR) {
		*why = "not an address message";
		return -1;
	}
	if (nl_attrs_of(&as, v, sizeof(ifa)) == -1) {
		*why = "truncated ifaddrmsg";
		return -1;
	}
	memcpy(&ifa, v->data, sizeof(ifa));
	inet = ifa.ifa_family == AF_INET;
	if (inet && ifa.ifa_prefixlen > 32) {
		*why = "IPv4 prefix length above 32";
		return -1;
	}
	if (ifa.ifa_index > INT_MAX) {
		*why = "interface index out of range";
		return -1;
	}
	ad->family = ifa.ifa_family;
	ad->index = (int)ifa.ifa_index;
	ad->prefixlen = ifa.ifa_prefixlen;
	ad->flags = ifa.ifa_flags;
	while ((r = nl_attrs_next(&as, &a, why)) == 1) {
		if (a.type == IFA_FLAGS) {
			if (nl_attr_u32(&a, &ad->flags) == -1) {
				*why = "bad IFA_FLAGS";
				return -1;
			}
		} else if (inet && a.type == IFA_LOCAL) {
			if (nl_attr_in4(&a, &ad->local) == -1) {
				*why = "bad IFA_LOCAL";
				return -1;
			}
			ad->has_local = 1;
		} else if (inet && a.type == IFA_ADDRESS) {
			if (nl_attr_in4(&a, &address) == -1) {
				*why = "bad IFA_ADDRESS";
				return -1;
			}
			has_address = 1;
		}
	}
	if (r == -1)
		return -1;
	if (!ad->has_local && has_address) {
		ad->local = address;
		ad->has_local = 1;
	}
	return 0;
}

/* RTA_MULTIPATH: every hop is checked, the first one is kept. */
static int
nl_parse_multipath(const struct nl_attr *mp, struct nl_route *rt,
    const char **why)
{
	struct rtnexthop	nh;
	struct nl_attrs		as;
	struct nl_attr		a;
	size_t			off = 0, step;
	int			r, first = 1;

	while (off < mp->len) {
		if (mp->len - off < sizeof(nh)) {
			*why = "truncated rtnexthop";
			return -1;
		}
		memcpy(&nh, mp->data + off, sizeof(nh));
		if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > mp->len - off) {
			*why = "rtnexthop length out of bounds";
			return -1;
		}
		if (nh.rtnh_ifindex < 0) {
			*why = "negative rtnexthop interface index";
			return -1;
		}
		nl_attrs_init(&as, mp->data + off + sizeof(nh),
		    nh.rtnh_len - sizeof(nh));
		while ((r = nl_attrs_next(&as, &a, why)) == 1) {
			if (!first || rt->family != AF_INET ||
			    a.type != RTA_GATEWAY)
				continue;
			if (nl_attr_in4(&a, &rt->gateway) == -1) {
				*why = "bad RTA_GATEWAY in rtnexthop";
				return -1;
			}
			rt->has_gateway = 1;
		}
		if (r == -1)
			return -1;
		if (first && rt->oif == 0)
			rt->oif = nh.rtnh_ifindex;
		first = 0;
		step = NL_ALIGN(nh.rtnh_len);
		off += step < mp->len - off ? step : mp->len - off;
	}
	rt->multipath = 1;
	return 0;
}

int
nl_parse_route(const struct nl_view *v, struct nl_route *rt,
    const char **why)
{
	struct rtmsg	rtm;
	struct nl_attrs	as;
	struct nl_attr	a;
	int		r, inet;

	memset(rt, 0, sizeof(*rt));
	if (v->type != RTM_NEWROUTE && v->type != RTM_DELROUTE) {
		*why = "not a route message";
		return -1;
	}
	if (nl_attrs_of(&as, v, sizeof(rtm)) == -1) {
		*why = "truncated rtmsg";
		return -1;
	}
	memcpy(&rtm, v->data, sizeof(rtm));
	inet = rtm.rtm_family == AF_INET;
	if (inet && rtm.rtm_dst_len > 32) {
		*why = "IPv4 prefix length above 32";
		return -1;
	}
	rt->family = rtm.rtm_family;
	rt->dst_len = rtm.rtm_dst_len;
	rt->table = rtm.rtm_table;
	rt->protocol = rtm.rtm_protocol;
	rt->scope = rtm.rtm_scope;
	rt->type = rtm.rtm_type;
	while ((r = nl_attrs_next(&as, &a, why)) == 1) {
		switch (a.type) {
		case RTA_TABLE:
			if (nl_attr_u32(&a, &rt->table) == -1) {
				*why = "bad RTA_TABLE";
				return -1;
			}
			break;
		case RTA_OIF:
			if (nl_attr_index(&a, &rt->oif) == -1) {
				*why = "bad RTA_OIF";
				return -1;
			}
			break;
		case RTA_PRIORITY:
			if (nl_attr_u32(&a, &rt->priority) == -1) {
				*why = "bad RTA_PRIORITY";
				return -1;
			}
			break;
		case RTA_MULTIPATH:
			if (nl_parse_multipath(&a, rt, why) == -1)
				return -1;
			break;
		case RTA_DST:
			if (inet && nl_attr_in4(&a, &rt->dst) == -1) {
				*why = "bad RTA_DST";
				return -1;
			}
			break;
		case RTA_GATEWAY:
			if (!inet)
				break;
			if (nl_attr_in4(&a, &rt->gateway) == -1) {
				*why = "bad RTA_GATEWAY";
				return -1;
			}
			rt->has_gateway = 1;
			break;
		case RTA_PREFSRC:
			if (!inet)
				break;
			if (nl_attr_in4(&a, &rt->prefsrc) == -1) {
				*why = "bad RTA_PREFSRC";
				return -1;
			}
			rt->has_prefsrc = 1;
			break;
		}
	}
	if (r == -1)
		return -1;
	if (inet && (rt->dst & ~nl_mask(rt->dst_len)) != 0) {
		*why = "route destination has host bits set";
		return -1;
	}
	return 0;
}

/* The errno of an NLMSG_ERROR or NLMSG_DONE: 0 or a negated errno. */
static int
nl_errno(int32_t error, int *errnum, const char **why)
{
	if (error > 0 || error < -4095) {
		*why = "error code out of range";
		return -1;
	}
	*errnum = -error;
	return 0;
}

/* The extended ack attributes; only the message is kept. */
static int
nl_extack(const unsigned char *buf, size_t len, char *msg, size_t msglen,
    const char **why)
{
	struct nl_attrs	as;
	struct nl_attr	a;
	size_t		i, n;
	int		r;

	nl_attrs_init(&as, buf, len);
	while ((r = nl_attrs_next(&as, &a, why)) == 1) {
		if (a.type != NLMSGERR_ATTR_MSG)
			continue;
		n = strnlen((const char *)a.data, a.len);
		if (n == a.len) {
			*why = "extended ack message not terminated";
			return -1;
		}
		if (msglen == 0)
			continue;
		if (n >= msglen)
			n = msglen - 1;
		for (i = 0; i < n; i++)
			msg[i] = a.data[i] < 0x20 || a.data[i] > 0x7e ? '?' :
			    (char)a.data[i];
		msg[n] = '\0';
	}
	return r;
}

int
nl_parse_error(const struct nl_view *v, int *errnum, char *msg,
    size_t msglen, const char **why)
{
	struct nlmsgerr	e;
	size_t		off;

	if (msglen > 0)
		msg[0] = '\0';
	if (v->type != NLMSG_ERROR) {
		*why = "not an NLMSG_ERROR";
		return -1;
	}
	if (v->len < sizeof(e)) {
		*why = "truncated NLMSG_ERROR";
		return -1;
	}
	memcpy(&e, v->data, sizeof(e));
	if (nl_errno(e.error, errnum, why) == -1)
		return -1;
	if (!(v->flags & NLM_F_ACK_TLVS))
		return 0;
	/* The attributes follow the request, echoed unless capped. */
	if (v->flags & NLM_F_CAPPED)
		off = sizeof(e);
	else {
		if (e.msg.nlmsg_len < NL_HDRLEN) {
			*why = "echoed request shorter than its header";
			return -1;
		}
		if (e.msg.nlmsg_len > v->len - sizeof(e.error)) {
			*why = "echoed request overruns NLMSG_ERROR";
			return -1;
		}
		off = sizeof(e.error) + NL_ALIGN(e.msg.nlmsg_len);
		if (off > v->len)
			off = v->len;
	}
	return nl_extack(v->data + off, v->len - off, msg, msglen, why);
}

int
nl_parse_done(const struct nl_view *v, int *errnum, char *msg,
    size_t msglen, const char **why)
{
	int32_t	error;

	if (msglen > 0)
		msg[0] = '\0';
	if (v->type != NLMSG_DONE) {
		*why = "not an NLMSG_DONE";
		return -1;
	}
	if (v->len < sizeof(error)) {
		*why = "truncated NLMSG_DONE";
		return -1;
	}
	memcpy(&error, v->data, sizeof(error));
	if (nl_errno(error, errnum, why) == -1)
		return -1;
	if (!(v->flags & NLM_F_ACK_TLVS))
		return 0;
	return nl_extack(v->data + sizeof(error), v->len - sizeof(error),
	    msg, msglen, why);
}

void
nl_txn_init(struct nl_txn *t, uint32_t seq, uint32_t portid, int dump,
    nl_msg_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->seq = seq;
	t->portid = portid;
	t->dump = dump;
	t->cb = cb;
	t->arg = arg;
}

static int
nl_txn_ours(const struct nl_txn *t, const struct nl_view *v)
{
	return v->seq == t->seq && v->pid == t->portid;
}

/*
 * The terminating message of a transaction: 1 when v is one (errnum and
 * msg filled), 0 when it is not, -1 when it is malformed.
 */
static int
nl_txn_end(const struct nl_txn *t, const struct nl_view *v, int *errnum,
    char *msg, size_t msglen, const char **why)
{
	switch (v->type) {
	case NLMSG_ERROR:
		if (nl_parse_error(v, errnum, msg, msglen, why) == -1)
			return -1;
		return 1;
	case NLMSG_DONE:
		if (!t->dump) {
			*why = "NLMSG_DONE for a request that is not a dump";
			return -1;
		}
		if (nl_parse_done(v, errnum, msg, msglen, why) == -1)
			return -1;
		return 1;
	case NLMSG_OVERRUN:
		*why = "NLMSG_OVERRUN";
		return -1;
	case NLMSG_NOOP:
		return 0;
	default:
		if (v->type < NLMSG_MIN_TYPE) {
			*why = "unknown control message";
			return -1;
		}
		return 0;
	}
}

int
nl_txn_feed(struct nl_txn *t, const void *buf, size_t len, const char **why)
{
	struct nl_iter	it;
	struct nl_view	v;
	char		msg[NL_EXTACK_LEN];
	int		r, errnum, done = t->done;

	/* Check the whole datagram before anything of it is used. */
	nl_iter_init(&it, buf, len);
	while ((r = nl_iter_next(&it, &v, why)) == 1) {
		if (done || !nl_txn_ours(t, &v))
			continue;
		if ((r = nl_txn_end(t, &v, &errnum, msg, sizeof(msg),
		    why)) == -1)
			return -1;
		if (r == 1)
			done = 1;
	}
	if (r == -1)
		return -1;

	nl_iter_init(&it, buf, len);
	while (!t->done && nl_iter_next(&it, &v, why) == 1) {
		if (!nl_txn_ours(t, &v)) {
			t->skipped++;
			continue;
		}
		if (v.flags & NLM_F_DUMP_INTR)
			t->interrupted = 1;
		if (nl_txn_end(t, &v, &t->error, t->extack,
		    sizeof(t->extack), why) == 1) {
			t->done = 1;
			break;
		}
		if (v.type < NLMSG_MIN_TYPE)
			continue;
		if (t->cb != NULL && t->cb_error == 0)
			t->cb_error = t->cb(t->arg, &v);
	}
	return t->done;
}

/* Link notifications. */

void
nl_gifs_init(struct nl_gifs *g)
{
	memset(g, 0, sizeof(*g));
}

void
nl_gifs_set(struct nl_gifs *g, int unit, enum nl_gif_state st)
{
	if (unit >= 0 && unit <= NL_UNIT_MAX)
		g->state[unit] = (unsigned char)st;
}

void
nl_gifs_set_all(struct nl_gifs *g, enum nl_gif_state st)
{
	memset(g->state, (int)st, sizeof(g->state));
}

static void
nl_gifs_touch(struct nl_gifs *g, int unit, enum nl_gif_state st)
{
	if (g->pending[unit] == NL_GIF_UNKNOWN)
		g->touched[g->ntouched++] = (uint16_t)unit;
	g->pending[unit] = (unsigned char)st;
}

int
nl_gifs_link(struct nl_gifs *g, const struct nl_link *l, int deleted)
{
	int	unit;

	if ((unit = nl_gif_unit(l->name)) == -1 || !l->has_kind ||
	    strcmp(l->kind, "ipip") != 0)
		return 0;
	if (deleted)
		nl_gifs_touch(g, unit, NL_GIF_GONE);
	else
		nl_gifs_touch(g, unit,
		    (l->flags & IFF_UP) ? NL_GIF_UP : NL_GIF_DOWN);
	return 1;
}

int
nl_gifs_note(struct nl_gifs *g, const struct nl_view *v,
    struct nl_link *link, const char **why)
{
	struct nl_link	l;

	if (v->type != RTM_NEWLINK && v->type != RTM_DELLINK)
		return 0;
	if (nl_parse_link(v, &l, why) == -1)
		return -1;
	if (nl_gifs_link(g, &l, v->type == RTM_DELLINK) == 0)
		return 0;
	if (link != NULL)
		*link = l;
	return 1;
}

void
nl_gifs_resync(struct nl_gifs *g)
{
	int	unit;

	for (unit = 0; unit <= NL_UNIT_MAX; unit++)
		if (g->state[unit] == NL_GIF_UP ||
		    g->state[unit] == NL_GIF_DOWN ||
		    g->pending[unit] != NL_GIF_UNKNOWN)
			nl_gifs_touch(g, unit, NL_GIF_GONE);
}

size_t
nl_gifs_flush(struct nl_gifs *g, kern_event_cb cb, void *arg)
{
	struct kern_event	ev;
	size_t			i, n = 0;
	int			unit, report;
	unsigned char		now, before;

	for (i = 0; i < g->ntouched; i++) {
		unit = g->touched[i];
		now = g->pending[unit];
		before = g->state[unit];
		g->state[unit] = now;
		g->pending[unit] = NL_GIF_UNKNOWN;
		report = 1;
		/* One that was gone is back (a reserved unit made again). */
		if ((now == NL_GIF_UP || now == NL_GIF_DOWN) &&
		    before == NL_GIF_GONE)
			ev.type = KERN_EV_NEW;
		else if (now == NL_GIF_GONE && before != NL_GIF_GONE)
			ev.type = KERN_EV_GONE;
		else if (now == NL_GIF_DOWN && before != NL_GIF_DOWN)
			ev.type = KERN_EV_DOWN;
		else if (now == NL_GIF_UP && before == NL_GIF_DOWN)
			ev.type = KERN_EV_UP;
		else
			report = 0;
		if (report && cb != NULL) {
			/* Coalesced per unit: the index is not known here. */
			ev.unit = unit;
			ev.ifindex = 0;
			cb(arg, &ev);
			n++;
		}
	}
	g->ntouched = 0;
	return n;
}

/* Other owners' routes. */

#define NL_FOREIGN_MIN_BITS	6

struct nl_foreign_route {
	uint32_t		 dst;
	uint32_t		 priority;
	uint8_t			 len;
	uint8_t			 protocol;
	struct nl_foreign_route	*next;
};

void
nl_foreign_init(struct nl_foreign *f, uint32_t table)
{
	memset(f, 0, sizeof(*f));
	f->table = table;
	f->mul = ((uint64_t)arc4random() << 32 | arc4random()) | 1;
	f->add = (uint64_t)arc4random() << 32 | arc4random();
}

void
nl_foreign_clear(struct nl_foreign *f)
{
	struct nl_foreign_route	*r, *next;
	size_t			 i;

	for (i = 0; f->bits > 0 && i < (size_t)1 << f->bits; i++)
		for (r = f->buckets[i]; r != NULL; r = next) {
			next = r->next;
			free(r);
		}
	free(f->buckets);
	f->buckets = NULL;
	f->bits = 0;
	f->count = 0;
}

/* By prefix alone: held() looks for every metric of one prefix at once. */
static size_t
nl_foreign_hash(const struct nl_foreign *f, uint32_t dst, int len, int bits)
{
	return (size_t)((f->mul * ((uint64_t)dst << 6 | (uint64_t)len) +
	    f->add) >> (64 - bits));
}

static int
nl_foreign_grow(struct nl_foreign *f)
{
	struct nl_foreign_route	**nb, *r, *next;
	size_t			  i, h;
	int			  bits;

	bits = f->bits ? f->bits + 1 : NL_FOREIGN_MIN_BITS;
	if ((nb = calloc((size_t)1 << bits, sizeof(*nb))) == NULL)
		return ENOMEM;
	for (i = 0; f->bits > 0 && i < (size_t)1 << f->bits; i++)
		for (r = f->buckets[i]; r != NULL; r = next) {
			next = r->next;
			h = nl_foreign_hash(f, r->dst, r->len, bits);
			r->next = nb[h];
			nb[h] = r;
		}
	free(f->buckets);
	f->buckets = nb;
	f->bits = bits;
	return 0;
}

int
nl_foreign_route(struct nl_foreign *f, const struct nl_route *rt,
    int deleted)
{
	struct nl_foreign_route	**pp = NULL, *r = NULL;

	if (rt->family != AF_INET || rt->table != f->table ||
	    rt->dst_len < 0 || rt->dst_len > 32)
		return 0;
	if (f->bits > 0) {
		for (pp = &f->buckets[nl_foreign_hash(f, rt->dst, rt->dst_len,
		    f->bits)]; (r = *pp) != NULL; pp = &r->next)
			if (r->dst == rt->dst && r->len == rt->dst_len &&
			    r->priority == rt->priority)
				break;
	}
	/*
	 * Theirs is gone when it is deleted, or when ours took its prefix
	 * and metric (a replace); the deletion of ours leaves theirs.
	 */
	if (deleted ? rt->protocol != NL_PROTO : rt->protocol == NL_PROTO) {
		if (r != NULL && (!deleted || r->protocol == rt->protocol)) {
			*pp = r->next;
			free(r);
			f->count--;
		}
		return 0;
	}
	if (deleted)
		return 0;
	if (r != NULL) {
		r->protocol = (uint8_t)rt->protocol;
		return 0;
	}
	if ((f->bits == 0 || f->count >= (size_t)1 << f->bits) &&
	    nl_foreign_grow(f) != 0)
		return ENOMEM;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ENOMEM;
	r->dst = rt->dst;
	r->len = (uint8_t)rt->dst_len;
	r->priority = rt->priority;
	r->protocol = (uint8_t)rt->protocol;
	pp = &f->buckets[nl_foreign_hash(f, r->dst, r->len, f->bits)];
	r->next = *pp;
	*pp = r;
	f->count++;
	return 0;
}

int
nl_foreign_note(struct nl_foreign *f, const struct nl_view *v,
    const char **why)
{
	struct nl_route	rt;

	if (v->type != RTM_NEWROUTE && v->type != RTM_DELROUTE)
		return 0;
	if (nl_parse_route(v, &rt, why) == -1)
		return -1;
	if (nl_foreign_route(f, &rt, v->type == RTM_DELROUTE) != 0) {
		*why = "out of memory for the route";
		return -1;
	}
	return 1;
}

int
nl_foreign_held(const struct nl_foreign *f, uint32_t dst, int len,
    int *protocol)
{
	const struct nl_foreign_route	*r;

	if (f->bits == 0 || len < 0 || len > 32)
		return 0;
	for (r = f->buckets[nl_foreign_hash(f, dst, len, f->bits)]; r != NULL;
	    r = r->next)
		if (r->dst == dst && r->len == len) {
			if (protocol != NULL)
				*protocol = r->protocol;
			return 1;
		}
	return 0;
}
