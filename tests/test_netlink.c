/*
 * netlink.c: every request is built and decoded again with the project's
 * own parser; canned kernel replies (multi-part dumps, errors with and
 * without extended acks, malformed and truncated datagrams) go through
 * the transaction parser; link notifications through the gif tracker.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <net/if.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netlink.h"

#define SEQ	0x1234
#define PORT	0x4242
#define A(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

/* A datagram of canned messages. */
struct dgram {
	unsigned char	buf[8192];
	size_t		len;
};

static unsigned char	msgbuf[2048];

/* The one message in buf, or a failed test. */
static struct nl_view
only_message(const void *buf, size_t len)
{
	struct nl_iter	 it;
	struct nl_view	 v, extra;
	const char	*why = NULL;

	nl_iter_init(&it, buf, len);
	assert_int_equal(nl_iter_next(&it, &v, &why), 1);
	assert_int_equal(nl_iter_next(&it, &extra, &why), 0);
	return v;
}

static uint32_t
hdr_len(const void *buf)
{
	uint32_t	len;

	memcpy(&len, buf, sizeof(len));
	return len;
}

/* The first attribute of type in attrs, or NULL. */
static int
find_attr(const void *buf, size_t len, uint16_t type, struct nl_attr *out)
{
	struct nl_attrs	 as;
	struct nl_attr	 a;
	const char	*why;
	int		 r;

	nl_attrs_init(&as, buf, len);
	while ((r = nl_attrs_next(&as, &a, &why)) == 1)
		if (a.type == type) {
			*out = a;
			return 1;
		}
	assert_int_equal(r, 0);
	return 0;
}

static int
find_top(const struct nl_view *v, size_t hdrlen, uint16_t type,
    struct nl_attr *out)
{
	size_t	start = NLMSG_ALIGN(hdrlen);

	assert_true(v->len >= start);
	return find_attr(v->data + start, v->len - start, type, out);
}

/* Appends a finished message with port id pid. */
static void
append(struct dgram *d, struct nl_msg *m, uint32_t pid)
{
	assert_int_equal(nl_msg_finish(m), 0);
	memcpy(m->buf + offsetof(struct nlmsghdr, nlmsg_pid), &pid,
	    sizeof(pid));
	assert_true(d->len + m->len <= sizeof(d->buf));
	memcpy(d->buf + d->len, m->buf, m->len);
	d->len += NLMSG_ALIGN(m->len);
}

static void
put_ifinfo(struct nl_msg *m, int index, unsigned int flags)
{
	struct ifinfomsg	ifi;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_index = index;
	ifi.ifi_flags = flags;
	nl_put_family(m, &ifi, sizeof(ifi));
}

/* What the kernel says of an ipip link. */
static void
add_ipip(struct dgram *d, uint16_t type, uint32_t seq, int index,
    const char *name, unsigned int flags, uint32_t local, uint32_t remote,
    int underlay, int master)
{
	unsigned char	buf[512];
	struct nl_msg	m;
	size_t		info, data;

	nl_msg_init(&m, buf, sizeof(buf), type, NLM_F_MULTI, seq);
	put_ifinfo(&m, index, flags);
	nl_put_str(&m, IFLA_IFNAME, name);
	nl_put_u32(&m, IFLA_MTU, 1480);
	if (master > 0)
		nl_put_u32(&m, IFLA_MASTER, (uint32_t)master);
	info = nl_nest_begin(&m, IFLA_LINKINFO);
	nl_put_str(&m, IFLA_INFO_KIND, "ipip");
	data = nl_nest_begin(&m, IFLA_INFO_DATA);
	nl_put_u32(&m, IFLA_IPTUN_LINK, (uint32_t)underlay);
	nl_put_in4(&m, IFLA_IPTUN_LOCAL, local);
	nl_put_in4(&m, IFLA_IPTUN_REMOTE, remote);
	nl_put_u8(&m, IFLA_IPTUN_TTL, 64);
	nl_nest_end(&m, data);
	nl_nest_end(&m, info);
	append(d, &m, PORT);
}

static void
add_vrf(struct dgram *d, uint32_t seq, int index, const char *name,
    uint32_t table)
{
	unsigned char	buf[512];
	struct nl_msg	m;
	size_t		info, data;

	nl_msg_init(&m, buf, sizeof(buf), RTM_NEWLINK, NLM_F_MULTI, seq);
	put_ifinfo(&m, index, IFF_UP);
	nl_put_str(&m, IFLA_IFNAME, name);
	info = nl_nest_begin(&m, IFLA_LINKINFO);
	/* Data before kind: the parser must not depend on the order. */
	data = nl_nest_begin(&m, IFLA_INFO_DATA);
	nl_put_u32(&m, IFLA_VRF_TABLE, table);
	nl_nest_end(&m, data);
	nl_put_str(&m, IFLA_INFO_KIND, "vrf");
	nl_nest_end(&m, info);
	append(d, &m, PORT);
}

static void
add_plain(struct dgram *d, uint32_t seq, uint32_t pid, int index,
    const char *name)
{
	unsigned char	buf[512];
	struct nl_msg	m;

	nl_msg_init(&m, buf, sizeof(buf), RTM_NEWLINK, NLM_F_MULTI, seq);
	put_ifinfo(&m, index, IFF_UP);
	nl_put_str(&m, IFLA_IFNAME, name);
	append(d, &m, pid);
}

static void
add_done(struct dgram *d, uint32_t seq, int32_t error, const char *msg)
{
	unsigned char	buf[512];
	struct nl_msg	m;

	nl_msg_init(&m, buf, sizeof(buf), NLMSG_DONE, NLM_F_MULTI |
	    (msg != NULL ? NLM_F_ACK_TLVS : 0), seq);
	nl_put_family(&m, &error, sizeof(error));
	if (msg != NULL)
		nl_put_str(&m, NLMSGERR_ATTR_MSG, msg);
	append(d, &m, PORT);
}

/*
 * An NLMSG_ERROR: capped (only the request's header echoed) or with the
 * whole request, and with an extended ack message when msg is not NULL.
 */
static void
add_error(struct dgram *d, uint32_t seq, int32_t error, int capped,
    const char *msg)
{
	unsigned char	buf[1024], req[256];
	struct nl_msg	m, r;
	struct nlmsgerr	e;
	uint16_t	flags = 0;

	assert_int_equal(nl_build_link_get(&r, req, sizeof(req), seq, "gif9"),
	    0);
	if (capped)
		flags |= NLM_F_CAPPED;
	if (msg != NULL)
		flags |= NLM_F_ACK_TLVS;
	nl_msg_init(&m, buf, sizeof(buf), NLMSG_ERROR, flags, seq);
	memset(&e, 0, sizeof(e));
	e.error = error;
	memcpy(&e.msg, req, sizeof(e.msg));
	nl_put_family(&m, &e, sizeof(e));
	if (!capped)
		nl_put_family(&m, req + sizeof(e.msg), r.len - sizeof(e.msg));
	if (msg != NULL) {
		nl_put_u32(&m, NLMSGERR_ATTR_OFFS, 20);
		nl_put_str(&m, NLMSGERR_ATTR_MSG, msg);
	}
	append(d, &m, PORT);
}

/* Raw bytes: a header and payload exactly as given. */
static void
add_raw(struct dgram *d, uint32_t nlmsg_len, uint16_t type, uint16_t flags,
    uint32_t seq, const void *payload, size_t paylen)
{
	struct nlmsghdr	h;

	memset(&h, 0, sizeof(h));
	h.nlmsg_len = nlmsg_len;
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	h.nlmsg_pid = PORT;
	memcpy(d->buf + d->len, &h, sizeof(h));
	if (paylen > 0)
		memcpy(d->buf + d->len + sizeof(h), payload, paylen);
	d->len += sizeof(h) + paylen;
}

/* Collects what a transaction passes on. */
struct sink {
	struct nl_link	links[16];
	size_t		n;
	int		fail_at;	/* 1-based call that fails, 0 never */
	size_t		calls;
};

static int
sink_cb(void *arg, const struct nl_view *v)
{
	struct sink	*s = arg;
	const char	*why;

	s->calls++;
	if (s->fail_at != 0 && s->calls == (size_t)s->fail_at)
		return EBADMSG;
	assert_true(s->n < 16);
	assert_int_equal(nl_parse_link(v, &s->links[s->n], &why), 0);
	s->n++;
	return 0;
}

/* Building. */

static void
test_link_create(void **state)
{
	struct nl_msg	 m;
	struct nl_view	 v;
	struct nl_link	 l;
	struct nl_attr	 a, info, data;
	const char	*why;
	uint8_t		 ttl;

	assert_int_equal(nl_build_link_create(&m, msgbuf, sizeof(msgbuf), SEQ,
	    "gif5", A(192, 0, 2, 1), A(198, 51, 100, 7), 0, 0), 0);
	assert_int_equal(hdr_len(msgbuf), m.len);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_NEWLINK);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL);
	assert_int_equal(v.seq, SEQ);
	assert_int_equal(v.pid, 0);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_string_equal(l.name, "gif5");
	assert_true(l.has_kind);
	assert_string_equal(l.kind, "ipip");
	assert_int_equal(l.index, 0);
	assert_int_equal(l.local, A(192, 0, 2, 1));
	assert_int_equal(l.remote, A(198, 51, 100, 7));
	assert_int_equal(l.underlay, 0);
	assert_int_equal(l.master, 0);
	/* Not asked for: the MTU the kernel picks is left as it is. */
	assert_int_equal(l.mtu, 0);
	/* No master, no underlay link; TTL 64; addresses big-endian. */
	assert_false(find_top(&v, sizeof(struct ifinfomsg), IFLA_MASTER, &a));
	assert_true(find_top(&v, sizeof(struct ifinfomsg), IFLA_LINKINFO,
	    &info));
	assert_true(find_attr(info.data, info.len, IFLA_INFO_DATA, &data));
	assert_false(find_attr(data.data, data.len, IFLA_IPTUN_LINK, &a));
	assert_true(find_attr(data.data, data.len, IFLA_IPTUN_TTL, &a));
	assert_int_equal(nl_attr_u8(&a, &ttl), 0);
	assert_int_equal(ttl, 64);
	assert_true(find_attr(data.data, data.len, IFLA_IPTUN_REMOTE, &a));
	assert_int_equal(a.len, 4);
	assert_int_equal(a.data[0], 198);
	assert_int_equal(a.data[3], 7);
}

static void
test_link_create_vrf(void **state)
{
	struct nl_msg	 m;
	struct nl_view	 v;
	struct nl_link	 l;
	const char	*why;

	assert_int_equal(nl_build_link_create(&m, msgbuf, sizeof(msgbuf), 7,
	    "gif65535", A(192, 0, 2, 1), 0, 12, 34), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_string_equal(l.name, "gif65535");
	assert_int_equal(l.underlay, 12);
	assert_int_equal(l.master, 34);
	assert_int_equal(l.remote, 0);
}

static void
test_link_create_bad(void **state)
{
	struct nl_msg	m;

	assert_int_equal(nl_build_link_create(&m, msgbuf, sizeof(msgbuf), 1,
	    "gif1234567890123", 1, 2, 0, 0), EINVAL);
	assert_int_equal(nl_build_link_create(&m, msgbuf, sizeof(msgbuf), 1,
	    "", 1, 2, 0, 0), EINVAL);
	assert_int_equal(nl_build_link_create(&m, msgbuf, sizeof(msgbuf), 1,
	    NULL, 1, 2, 0, 0), EINVAL);
	assert_int_equal(nl_build_link_create(&m, msgbuf, sizeof(msgbuf), 1,
	    "gif1", 1, 2, -1, 0), EINVAL);
	assert_int_equal(nl_build_link_create(&m, msgbuf, 60, 1,
	    "gif1", 1, 2, 3, 4), EMSGSIZE);
	assert_int_equal(nl_build_link_create(&m, msgbuf, 8, 1,
	    "gif1", 1, 2, 3, 4), EMSGSIZE);
}

/* tunnel_modify's request: alias, MTU, endpoints, each only when asked. */
static void
test_link_modify(void **state)
{
	struct nl_msg		 m;
	struct nl_view		 v;
	struct nl_link		 l;
	struct nl_ends		 ends = { A(192, 0, 2, 9),
				    A(198, 51, 100, 7), 12 };
	struct ifinfomsg	 ifi;
	struct nl_attr		 a, info, data;
	const char		*why;
	uint32_t		 mtu;

	/* The mark alone: nothing else of the link is touched. */
	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 6,
	    31, KERN_TUNNEL_MARK, 0, NULL), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_NEWLINK);
	/* No CREATE, no EXCL: it changes an existing link only. */
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK);
	memcpy(&ifi, v.data, sizeof(ifi));
	assert_int_equal(ifi.ifi_index, 31);
	assert_int_equal(ifi.ifi_change, 0);
	assert_true(find_top(&v, sizeof(ifi), IFLA_IFALIAS, &a));
	assert_string_equal((const char *)a.data, "44meshd");
	assert_false(find_top(&v, sizeof(ifi), IFLA_MTU, &a));
	assert_false(find_top(&v, sizeof(ifi), IFLA_LINKINFO, &a));
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_true(l.marked);

	/* MTU and a new local endpoint; remote and underlay go along. */
	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 7,
	    31, NULL, 1480, &ends), 0);
	v = only_message(msgbuf, m.len);
	assert_false(find_top(&v, sizeof(ifi), IFLA_IFALIAS, &a));
	assert_true(find_top(&v, sizeof(ifi), IFLA_MTU, &a));
	assert_int_equal(nl_attr_u32(&a, &mtu), 0);
	assert_int_equal(mtu, 1480);
	assert_true(find_top(&v, sizeof(ifi), IFLA_LINKINFO, &info));
	assert_true(find_attr(info.data, info.len, IFLA_INFO_DATA, &data));
	assert_true(find_attr(data.data, data.len, IFLA_IPTUN_TTL, &a));
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_false(l.marked);
	assert_string_equal(l.kind, "ipip");
	assert_int_equal(l.local, A(192, 0, 2, 9));
	assert_int_equal(l.remote, A(198, 51, 100, 7));
	assert_int_equal(l.underlay, 12);
	assert_int_equal(l.mtu, 1480);

	/* Nothing to change, or nothing valid, is refused. */
	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 8,
	    31, NULL, 0, NULL), EINVAL);
	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 8,
	    0, KERN_TUNNEL_MARK, 0, NULL), EINVAL);
	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 8,
	    31, "", 0, NULL), EINVAL);
	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 8,
	    31, NULL, -1, NULL), EINVAL);
}

/* Only our exact mark is ours: another alias, or a longer one, is not. */
static void
test_link_alias_parsed(void **state)
{
	struct nl_msg	 m;
	struct nl_view	 v;
	struct nl_link	 l;
	const char	*why;
	char		 alias[300];

	assert_int_equal(nl_build_link_modify(&m, msgbuf, sizeof(msgbuf), 6,
	    31, "44meshd-not", 0, NULL), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_false(l.marked);
	/* An alias longer than we keep (IFALIASZ is 256) parses, unmarked. */
	memset(alias, 'x', 255);
	alias[255] = '\0';
	nl_msg_init(&m, msgbuf, sizeof(msgbuf), RTM_NEWLINK, 0, 1);
	put_ifinfo(&m, 31, 0);
	nl_put_str(&m, IFLA_IFALIAS, alias);
	nl_put_str(&m, IFLA_IFNAME, "gif3");
	assert_int_equal(nl_msg_finish(&m), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_false(l.marked);
	assert_string_equal(l.name, "gif3");
}

static void
test_link_get_up_delete(void **state)
{
	struct nl_msg		 m;
	struct nl_view		 v;
	struct nl_link		 l;
	struct ifinfomsg	 ifi;
	struct nl_attr		 a;
	const char		*why;

	assert_int_equal(nl_build_link_get(&m, msgbuf, sizeof(msgbuf), 3,
	    "gif7"), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_GETLINK);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_true(find_top(&v, sizeof(ifi), IFLA_IFNAME, &a));
	assert_string_equal((const char *)a.data, "gif7");

	assert_int_equal(nl_build_link_set_up(&m, msgbuf, sizeof(msgbuf), 4,
	    17, 1), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_NEWLINK);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(v.len, sizeof(ifi));
	memcpy(&ifi, v.data, sizeof(ifi));
	assert_int_equal(ifi.ifi_index, 17);
	assert_int_equal(ifi.ifi_flags, IFF_UP);
	assert_int_equal(ifi.ifi_change, IFF_UP);
	assert_int_equal(nl_build_link_set_up(&m, msgbuf, sizeof(msgbuf), 4,
	    17, 0), 0);
	v = only_message(msgbuf, m.len);
	memcpy(&ifi, v.data, sizeof(ifi));
	assert_int_equal(ifi.ifi_flags, 0);
	assert_int_equal(ifi.ifi_change, IFF_UP);
	assert_int_equal(nl_build_link_set_up(&m, msgbuf, sizeof(msgbuf), 4,
	    0, 1), EINVAL);

	assert_int_equal(nl_build_link_delete(&m, msgbuf, sizeof(msgbuf), 5,
	    23, NULL), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_DELLINK);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_int_equal(l.index, 23);
	assert_string_equal(l.name, "");
	assert_int_equal(nl_build_link_delete(&m, msgbuf, sizeof(msgbuf), 5,
	    0, "gif8"), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_int_equal(l.index, 0);
	assert_string_equal(l.name, "gif8");
	assert_int_equal(nl_build_link_delete(&m, msgbuf, sizeof(msgbuf), 5,
	    0, NULL), EINVAL);
}

static void
test_addr_add(void **state)
{
	struct nl_msg	 m;
	struct nl_view	 v;
	struct nl_addr	 ad;
	struct nl_attr	 a;
	const char	*why;
	uint32_t	 net;

	assert_int_equal(nl_build_addr_add(&m, msgbuf, sizeof(msgbuf), 9, 31,
	    A(44, 1, 2, 3)), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_NEWADDR);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_REPLACE);
	assert_int_equal(nl_parse_addr(&v, &ad, &why), 0);
	assert_int_equal(ad.family, AF_INET);
	assert_int_equal(ad.prefixlen, 32);
	assert_int_equal(ad.index, 31);
	assert_true(ad.has_local);
	assert_int_equal(ad.local, A(44, 1, 2, 3));
	assert_true(find_top(&v, sizeof(struct ifaddrmsg), IFA_ADDRESS, &a));
	assert_int_equal(nl_attr_in4(&a, &net), 0);
	assert_int_equal(net, A(44, 1, 2, 3));
	assert_int_equal(nl_build_addr_add(&m, msgbuf, sizeof(msgbuf), 9, 0,
	    A(44, 1, 2, 3)), EINVAL);
}

static void
test_route_build(void **state)
{
	struct nl_msg	 m;
	struct nl_view	 v;
	struct nl_route	 rt;
	struct rtmsg	 rtm;
	struct nl_attr	 a;
	const char	*why;

	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 11,
	    NL_ROUTE_ADD, A(44, 128, 0, 0), 24, 44, 17), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_NEWROUTE);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL);
	assert_int_equal(v.seq, 11);
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_int_equal(rt.family, AF_INET);
	assert_int_equal(rt.dst, A(44, 128, 0, 0));
	assert_int_equal(rt.dst_len, 24);
	assert_int_equal(rt.table, 44);
	assert_int_equal(rt.protocol, 44);
	assert_int_equal(rt.scope, RT_SCOPE_LINK);
	assert_int_equal(rt.type, RTN_UNICAST);
	assert_int_equal(rt.oif, 17);
	assert_false(rt.has_gateway);
	memcpy(&rtm, v.data, sizeof(rtm));
	assert_int_equal(rtm.rtm_table, 44);

	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 12,
	    NL_ROUTE_CHANGE, A(44, 128, 0, 0), 24, 44, 18), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_NEWROUTE);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_REPLACE);
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_int_equal(rt.oif, 18);

	/* A table past 255 only in RTA_TABLE; a delete of any scope. */
	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 13,
	    NL_ROUTE_DELETE, A(44, 130, 0, 0), 16, 1000, 19), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_DELROUTE);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK);
	memcpy(&rtm, v.data, sizeof(rtm));
	assert_int_equal(rtm.rtm_table, RT_TABLE_UNSPEC);
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_int_equal(rt.table, 1000);
	assert_int_equal(rt.protocol, 44);
	assert_int_equal(rt.scope, RT_SCOPE_NOWHERE);
	assert_int_equal(rt.oif, 19);

	/* The default route has no RTA_DST. */
	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 14,
	    NL_ROUTE_ADD, 0, 0, 254, 3), 0);
	v = only_message(msgbuf, m.len);
	assert_false(find_top(&v, sizeof(rtm), RTA_DST, &a));
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_int_equal(rt.dst_len, 0);

	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 1,
	    NL_ROUTE_ADD, A(44, 128, 0, 1), 24, 44, 17), EINVAL);
	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 1,
	    NL_ROUTE_ADD, A(44, 128, 0, 0), 33, 44, 17), EINVAL);
	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 1,
	    NL_ROUTE_ADD, A(44, 128, 0, 0), 24, 44, 0), EINVAL);
	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 1,
	    NL_ROUTE_ADD, A(44, 128, 0, 0), 24, 0, 17), EINVAL);
	assert_int_equal(nl_build_route(&m, msgbuf, sizeof(msgbuf), 1,
	    (enum nl_route_op)7, A(44, 128, 0, 0), 24, 44, 17), EINVAL);
}

static void
test_dump_build(void **state)
{
	struct nl_msg		 m;
	struct nl_view		 v;
	struct nl_link		 l;
	struct rtmsg		 rtm;
	struct ifaddrmsg	 ifa;
	struct nl_attr		 a;
	const char		*why;
	uint32_t		 table;

	assert_int_equal(nl_build_link_dump(&m, msgbuf, sizeof(msgbuf), 21,
	    NULL), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_GETLINK);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	assert_int_equal(v.len, sizeof(struct ifinfomsg));

	assert_int_equal(nl_build_link_dump(&m, msgbuf, sizeof(msgbuf), 22,
	    "vrf"), 0);
	v = only_message(msgbuf, m.len);
	v.type = RTM_NEWLINK;	/* same layout: let the link parser read it */
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_string_equal(l.kind, "vrf");
	assert_int_equal(nl_build_link_dump(&m, msgbuf, sizeof(msgbuf), 22,
	    "an-overlong-kind-name"), EINVAL);

	assert_int_equal(nl_build_addr_dump(&m, msgbuf, sizeof(msgbuf), 23),
	    0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_GETADDR);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	memcpy(&ifa, v.data, sizeof(ifa));
	assert_int_equal(ifa.ifa_family, AF_INET);
	assert_int_equal(ifa.ifa_index, 0);

	assert_int_equal(nl_build_route_dump(&m, msgbuf, sizeof(msgbuf), 24,
	    44, 44), 0);
	v = only_message(msgbuf, m.len);
	assert_int_equal(v.type, RTM_GETROUTE);
	assert_int_equal(v.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	memcpy(&rtm, v.data, sizeof(rtm));
	assert_int_equal(rtm.rtm_family, AF_INET);
	assert_int_equal(rtm.rtm_table, 44);
	assert_int_equal(rtm.rtm_protocol, 44);
	assert_int_equal(rtm.rtm_dst_len, 0);
	assert_int_equal(rtm.rtm_scope, 0);
	assert_int_equal(rtm.rtm_flags, 0);
	assert_false(find_top(&v, sizeof(rtm), RTA_TABLE, &a));

	assert_int_equal(nl_build_route_dump(&m, msgbuf, sizeof(msgbuf), 25,
	    70000, 0), 0);
	v = only_message(msgbuf, m.len);
	memcpy(&rtm, v.data, sizeof(rtm));
	assert_int_equal(rtm.rtm_table, RT_TABLE_UNSPEC);
	assert_true(find_top(&v, sizeof(rtm), RTA_TABLE, &a));
	assert_int_equal(nl_attr_u32(&a, &table), 0);
	assert_int_equal(table, 70000);
	assert_int_equal(nl_build_route_dump(&m, msgbuf, sizeof(msgbuf), 25,
	    44, 256), EINVAL);
}

static void
test_builder_overflow(void **state)
{
	unsigned char	small[24];
	struct nl_msg	m;
	char		big[300];

	nl_msg_init(&m, small, sizeof(small), RTM_NEWLINK, 0, 1);
	nl_put_u32(&m, 1, 2);
	assert_int_equal(nl_msg_finish(&m), 0);
	assert_int_equal(m.len, 24);
	nl_put_u8(&m, 1, 2);
	assert_int_equal(nl_msg_finish(&m), EMSGSIZE);
	/* Sticky: a later small attribute does not hide it. */
	nl_msg_init(&m, msgbuf, 64, RTM_NEWLINK, 0, 1);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nl_put_str(&m, 3, big);
	nl_put_u8(&m, 1, 2);
	assert_int_equal(nl_msg_finish(&m), EMSGSIZE);
}

static void
test_names(void **state)
{
	char	name[NL_NAMELEN];

	assert_int_equal(nl_gif_unit("gif0"), 0);
	assert_int_equal(nl_gif_unit("gif44"), 44);
	assert_int_equal(nl_gif_unit("gif65535"), 65535);
	assert_int_equal(nl_gif_unit("gif65536"), -1);
	assert_int_equal(nl_gif_unit("gif99999999999999"), -1);
	assert_int_equal(nl_gif_unit("gif01"), -1);
	assert_int_equal(nl_gif_unit("gif"), -1);
	assert_int_equal(nl_gif_unit("gif-1"), -1);
	assert_int_equal(nl_gif_unit("gif1x"), -1);
	assert_int_equal(nl_gif_unit("gif 1"), -1);
	assert_int_equal(nl_gif_unit("tunl0"), -1);
	assert_int_equal(nl_gif_unit(NULL), -1);
	assert_int_equal(nl_gif_name(123, name), 0);
	assert_string_equal(name, "gif123");
	assert_int_equal(nl_gif_unit(name), 123);
	assert_int_equal(nl_gif_name(65536, name), -1);
	assert_int_equal(nl_gif_name(-1, name), -1);
	assert_int_equal(nl_domain_table(0), RT_TABLE_MAIN);
	assert_int_equal(nl_domain_table(44), 44);
	assert_int_equal(nl_domain_table(70000), 70000);
}

/* Replies. */

static void
test_dump_two_datagrams(void **state)
{
	struct dgram	d1, d2;
	struct nl_txn	t;
	struct sink	s;
	const char	*why = NULL;

	memset(&d1, 0, sizeof(d1));
	memset(&d2, 0, sizeof(d2));
	memset(&s, 0, sizeof(s));
	add_ipip(&d1, RTM_NEWLINK, SEQ, 5, "gif3", IFF_UP | IFF_RUNNING,
	    A(192, 0, 2, 1), A(203, 0, 113, 9), 4, 6);
	add_vrf(&d1, SEQ, 6, "vrf44", 44);
	add_plain(&d2, SEQ, PORT, 1, "lo");
	add_done(&d2, SEQ, 0, NULL);

	nl_txn_init(&t, SEQ, PORT, 1, sink_cb, &s);
	assert_int_equal(nl_txn_feed(&t, d1.buf, d1.len, &why), 0);
	assert_false(t.done);
	assert_int_equal(s.n, 2);
	assert_int_equal(nl_txn_feed(&t, d2.buf, d2.len, &why), 1);
	assert_true(t.done);
	assert_int_equal(t.error, 0);
	assert_int_equal(t.cb_error, 0);
	assert_false(t.interrupted);
	assert_string_equal(t.extack, "");
	assert_int_equal(s.n, 3);

	assert_string_equal(s.links[0].name, "gif3");
	assert_string_equal(s.links[0].kind, "ipip");
	assert_int_equal(s.links[0].index, 5);
	assert_true(s.links[0].flags & IFF_UP);
	assert_int_equal(s.links[0].local, A(192, 0, 2, 1));
	assert_int_equal(s.links[0].remote, A(203, 0, 113, 9));
	assert_int_equal(s.links[0].underlay, 4);
	assert_int_equal(s.links[0].master, 6);
	assert_string_equal(s.links[1].kind, "vrf");
	assert_true(s.links[1].has_table);
	assert_int_equal(s.links[1].table, 44);
	assert_string_equal(s.links[2].name, "lo");
	assert_false(s.links[2].has_kind);

	/* After the end, more datagrams change nothing. */
	assert_int_equal(nl_txn_feed(&t, d1.buf, d1.len, &why), 1);
	assert_int_equal(s.n, 3);
}

static void
test_other_requests_skipped(void **state)
{
	struct dgram	d;
	struct nl_txn	t;
	struct sink	s;
	const char	*why = NULL;

	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	add_plain(&d, SEQ - 1, PORT, 1, "stale");	/* an older request */
	add_plain(&d, SEQ, PORT + 1, 2, "other");	/* another port */
	add_done(&d, SEQ - 1, -EIO, NULL);		/* not ours either */
	add_plain(&d, SEQ, PORT, 3, "ours");
	add_done(&d, SEQ, 0, NULL);
	nl_txn_init(&t, SEQ, PORT, 1, sink_cb, &s);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, 0);
	assert_int_equal(t.skipped, 3);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.links[0].name, "ours");
}

static void
test_error_extack(void **state)
{
	struct dgram	d;
	struct nl_txn	t;
	struct nlmsgerr	e;
	const char	*why = NULL;

	/* Capped, with the kernel's message. */
	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, -EOPNOTSUPP, 1, "Unknown device type");
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, EOPNOTSUPP);
	assert_string_equal(t.extack, "Unknown device type");

	/* The whole request echoed before the attributes. */
	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, -EEXIST, 0, "File exists here");
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, EEXIST);
	assert_string_equal(t.extack, "File exists here");

	/* Without extended ack. */
	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, -ENODEV, 0, NULL);
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, ENODEV);
	assert_string_equal(t.extack, "");

	/* A plain acknowledgement. */
	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, 0, 1, NULL);
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, 0);

	/*
	 * An older kernel's acknowledgement: only the request's header is
	 * echoed, with neither NLM_F_CAPPED nor attributes.
	 */
	memset(&d, 0, sizeof(d));
	memset(&e, 0, sizeof(e));
	e.msg.nlmsg_len = 40;
	add_raw(&d, 16 + sizeof(e), NLMSG_ERROR, 0, SEQ, &e, sizeof(e));
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, 0);

	/* A dump that could not start ends at its NLMSG_ERROR. */
	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, -EPERM, 1, "nope");
	nl_txn_init(&t, SEQ, PORT, 1, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, EPERM);
	assert_string_equal(t.extack, "nope");
}

static void
test_extack_sanitized(void **state)
{
	struct dgram	d;
	struct nl_txn	t;
	const char	*why = NULL;
	char		msg[NL_EXTACK_LEN + 50];

	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, -EINVAL, 1, "bad\nline\x7f");
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_string_equal(t.extack, "bad?line?");

	/* Too long for the buffer: cut, still terminated. */
	memset(msg, 'm', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memset(&d, 0, sizeof(d));
	add_error(&d, SEQ, -EINVAL, 1, msg);
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(strlen(t.extack), NL_EXTACK_LEN - 1);
}

static void
test_done_with_error(void **state)
{
	struct dgram	d;
	struct nl_txn	t;
	struct sink	s;
	const char	*why = NULL;

	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	add_plain(&d, SEQ, PORT, 1, "lo");
	add_done(&d, SEQ, -ENOENT, "ipv4: FIB table does not exist");
	nl_txn_init(&t, SEQ, PORT, 1, sink_cb, &s);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_int_equal(t.error, ENOENT);
	assert_string_equal(t.extack, "ipv4: FIB table does not exist");
	assert_int_equal(s.n, 1);

	/* NLMSG_DONE answers only dumps. */
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why,
	    "NLMSG_DONE for a request that is not a dump");
}

static void
test_dump_interrupted_and_cb_error(void **state)
{
	struct dgram	d;
	struct nl_txn	t;
	struct sink	s;
	struct nl_msg	m;
	const char	*why = NULL;
	unsigned char	buf[256];

	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	s.fail_at = 1;
	nl_msg_init(&m, buf, sizeof(buf), RTM_NEWLINK,
	    NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ);
	put_ifinfo(&m, 9, 0);
	append(&d, &m, PORT);
	add_plain(&d, SEQ, PORT, 10, "eth0");
	add_done(&d, SEQ, 0, NULL);
	nl_txn_init(&t, SEQ, PORT, 1, sink_cb, &s);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);
	assert_true(t.interrupted);
	assert_int_equal(t.cb_error, EBADMSG);
	/* cb is not called after its error, the dump is read to its end. */
	assert_int_equal(s.calls, 1);
	assert_int_equal(t.error, 0);
}

static void
test_truncated_datagrams(void **state)
{
	struct dgram	d, cut;
	struct nl_txn	t;
	struct sink	s;
	const char	*why;
	size_t		len, boundary1;
	int		r;

	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, SEQ, 5, "gif3", IFF_UP, 1, 2, 0, 0);
	boundary1 = d.len;
	add_done(&d, SEQ, 0, NULL);

	/*
	 * Every cut of the datagram is refused, but the one at the message
	 * boundary, and nothing of a refused one reaches the callback.
	 */
	for (len = 1; len < d.len; len++) {
		memset(&cut, 0, sizeof(cut));
		memcpy(cut.buf, d.buf, len);
		memset(&s, 0, sizeof(s));
		why = NULL;
		nl_txn_init(&t, SEQ, PORT, 1, sink_cb, &s);
		r = nl_txn_feed(&t, cut.buf, len, &why);
		if (len == boundary1) {
			assert_int_equal(r, 0);
			assert_int_equal(s.n, 1);
			continue;
		}
		assert_int_equal(r, -1);
		assert_non_null(why);
		assert_int_equal(s.calls, 0);
	}
}

static void
test_malformed_headers(void **state)
{
	struct dgram	 d;
	struct nl_iter	 it;
	struct nl_view	 v;
	struct nl_txn	 t;
	const char	*why = NULL;
	int32_t		 error = 0;
	unsigned char	 pad[8] = { 0 };

	memset(&d, 0, sizeof(d));
	add_raw(&d, 10, NLMSG_DONE, 0, SEQ, NULL, 0);
	nl_iter_init(&it, d.buf, d.len);
	assert_int_equal(nl_iter_next(&it, &v, &why), -1);
	assert_string_equal(why, "message length shorter than its header");
	/* Refusals are sticky. */
	assert_int_equal(nl_iter_next(&it, &v, &why), -1);

	memset(&d, 0, sizeof(d));
	add_raw(&d, 100, NLMSG_DONE, 0, SEQ, &error, sizeof(error));
	nl_iter_init(&it, d.buf, d.len);
	assert_int_equal(nl_iter_next(&it, &v, &why), -1);
	assert_string_equal(why, "message length beyond the datagram");

	nl_iter_init(&it, d.buf, 7);
	assert_int_equal(nl_iter_next(&it, &v, &why), -1);
	assert_string_equal(why, "truncated message header");

	/* An empty datagram is simply empty. */
	nl_iter_init(&it, d.buf, 0);
	assert_int_equal(nl_iter_next(&it, &v, &why), 0);

	/* Control messages. */
	memset(&d, 0, sizeof(d));
	add_raw(&d, 16, NLMSG_OVERRUN, 0, SEQ, NULL, 0);
	nl_txn_init(&t, SEQ, PORT, 1, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "NLMSG_OVERRUN");

	memset(&d, 0, sizeof(d));
	add_raw(&d, 16, 7, 0, SEQ, NULL, 0);
	nl_txn_init(&t, SEQ, PORT, 1, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "unknown control message");

	memset(&d, 0, sizeof(d));
	add_raw(&d, 16, NLMSG_NOOP, 0, SEQ, NULL, 0);
	add_done(&d, SEQ, 0, NULL);
	nl_txn_init(&t, SEQ, PORT, 1, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 1);

	memset(&d, 0, sizeof(d));
	add_raw(&d, 18, NLMSG_DONE, NLM_F_MULTI, SEQ, pad, 2);
	nl_txn_init(&t, SEQ, PORT, 1, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "truncated NLMSG_DONE");

	error = 5;
	memset(&d, 0, sizeof(d));
	add_raw(&d, 20, NLMSG_DONE, NLM_F_MULTI, SEQ, &error, sizeof(error));
	nl_txn_init(&t, SEQ, PORT, 1, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "error code out of range");
}

static void
test_malformed_errors(void **state)
{
	struct dgram	 d;
	struct nl_txn	 t;
	struct nlmsgerr	 e;
	const char	*why = NULL;
	unsigned char	 body[64];

	memset(&d, 0, sizeof(d));
	memset(&e, 0, sizeof(e));
	e.error = -EINVAL;
	add_raw(&d, 16 + 8, NLMSG_ERROR, 0, SEQ, &e, 8);
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "truncated NLMSG_ERROR");

	memset(&d, 0, sizeof(d));
	e.error = 3;
	add_raw(&d, 16 + sizeof(e), NLMSG_ERROR, 0, SEQ, &e, sizeof(e));
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "error code out of range");

	/* Attributes announced, echoed request claims more than there is. */
	memset(&d, 0, sizeof(d));
	e.error = -EINVAL;
	e.msg.nlmsg_len = 400;
	add_raw(&d, 16 + sizeof(e), NLMSG_ERROR, NLM_F_ACK_TLVS, SEQ, &e,
	    sizeof(e));
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "echoed request overruns NLMSG_ERROR");

	memset(&d, 0, sizeof(d));
	e.msg.nlmsg_len = 4;
	add_raw(&d, 16 + sizeof(e), NLMSG_ERROR, NLM_F_ACK_TLVS, SEQ, &e,
	    sizeof(e));
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "echoed request shorter than its header");

	/* The message attribute without its terminating NUL. */
	memset(&d, 0, sizeof(d));
	memcpy(body, &e, sizeof(e));
	body[sizeof(e) + 0] = 8;		/* nla_len: 4 + "abcd" */
	body[sizeof(e) + 1] = 0;
	body[sizeof(e) + 2] = NLMSGERR_ATTR_MSG;
	body[sizeof(e) + 3] = 0;
	memcpy(body + sizeof(e) + 4, "abcd", 4);
	add_raw(&d, 16 + sizeof(e) + 8, NLMSG_ERROR,
	    NLM_F_ACK_TLVS | NLM_F_CAPPED, SEQ, body, sizeof(e) + 8);
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "extended ack message not terminated");

	/* The attribute overruns the error message. */
	body[sizeof(e) + 0] = 40;
	memset(&d, 0, sizeof(d));
	add_raw(&d, 16 + sizeof(e) + 8, NLMSG_ERROR,
	    NLM_F_ACK_TLVS | NLM_F_CAPPED, SEQ, body, sizeof(e) + 8);
	nl_txn_init(&t, SEQ, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), -1);
	assert_string_equal(why, "attribute overruns its message");

	/* A malformed error of another request is skipped, not read. */
	memset(&d, 0, sizeof(d));
	add_raw(&d, 16 + 8, NLMSG_ERROR, 0, SEQ, &e, 8);
	nl_txn_init(&t, SEQ + 1, PORT, 0, NULL, NULL);
	assert_int_equal(nl_txn_feed(&t, d.buf, d.len, &why), 0);
}

/* A link message whose attributes are given raw. */
static void
raw_link(struct nl_view *v, unsigned char *buf, const void *attrs,
    size_t attrlen)
{
	struct ifinfomsg	ifi;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_index = 3;
	memcpy(buf, &ifi, sizeof(ifi));
	if (attrlen > 0)
		memcpy(buf + sizeof(ifi), attrs, attrlen);
	memset(v, 0, sizeof(*v));
	v->type = RTM_NEWLINK;
	v->data = buf;
	v->len = sizeof(ifi) + attrlen;
}

static void
test_malformed_links(void **state)
{
	struct nl_view	 v;
	struct nl_link	 l;
	const char	*why = NULL;
	unsigned char	 buf[128];
	/* IFLA_IFNAME (3), "gif1" without NUL */
	const unsigned char unterminated[] = {
		8, 0, 3, 0, 'g', 'i', 'f', '1' };
	/* IFLA_MASTER (10) of 2 bytes */
	const unsigned char shortmaster[] = { 6, 0, 10, 0, 1, 0, 0, 0 };
	/* IFLA_MTU (4) of 2^31, which no int holds */
	const unsigned char hugemtu[] = { 8, 0, 4, 0, 0, 0, 0, 0x80 };
	/* nla_len 2 */
	const unsigned char tiny[] = { 2, 0, 3, 0 };
	/* nla_len 12, only 8 there */
	const unsigned char overrun[] = { 12, 0, 3, 0, 'a', 0, 0, 0 };
	/* two stray bytes after a good attribute */
	const unsigned char stray[] = { 4, 0, 99, 0, 1, 2 };
	/* IFLA_LINKINFO (18) holding KIND "ipip", then DATA (2) overrunning */
	const unsigned char nested[] = {
		24, 0, 18, 0,
		9, 0, 1, 0, 'i', 'p', 'i', 'p', 0, 0, 0, 0,
		12, 0, 2, 0, 0, 0, 0, 0 };
	/* LINKINFO with KIND ipip and DATA holding a 3-byte LOCAL (2) */
	const unsigned char badlocal[] = {
		28, 0, 18, 0,
		9, 0, 1, 0, 'i', 'p', 'i', 'p', 0, 0, 0, 0,
		12, 0, 2, 0, 7, 0, 2, 0, 1, 2, 3, 0 };

	raw_link(&v, buf, unterminated, sizeof(unterminated));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "bad IFLA_IFNAME");
	raw_link(&v, buf, shortmaster, sizeof(shortmaster));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "bad IFLA_MASTER");
	raw_link(&v, buf, hugemtu, sizeof(hugemtu));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "bad IFLA_MTU");
	raw_link(&v, buf, tiny, sizeof(tiny));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "attribute length shorter than its header");
	raw_link(&v, buf, overrun, sizeof(overrun));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "attribute overruns its message");
	raw_link(&v, buf, stray, sizeof(stray));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "truncated attribute header");
	raw_link(&v, buf, nested, sizeof(nested));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "attribute overruns its message");
	raw_link(&v, buf, badlocal, sizeof(badlocal));
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "bad IFLA_IPTUN_LOCAL");

	raw_link(&v, buf, NULL, 0);
	v.len = 8;
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "truncated ifinfomsg");
	raw_link(&v, buf, NULL, 0);
	v.type = RTM_NEWROUTE;
	assert_int_equal(nl_parse_link(&v, &l, &why), -1);
	assert_string_equal(why, "not a link message");
	/* Without attributes: a valid, nameless link. */
	raw_link(&v, buf, NULL, 0);
	assert_int_equal(nl_parse_link(&v, &l, &why), 0);
	assert_int_equal(l.index, 3);
}

static void
test_unaligned(void **state)
{
	struct dgram	 d;
	struct nl_txn	 t;
	struct sink	 s;
	const char	*why = NULL;
	unsigned char	*odd;

	/* The parser copies everything out: any alignment will do. */
	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	add_ipip(&d, RTM_NEWLINK, SEQ, 5, "gif3", IFF_UP, 1, 2, 0, 0);
	add_done(&d, SEQ, 0, NULL);
	assert_non_null(odd = malloc(d.len + 1));
	memcpy(odd + 1, d.buf, d.len);
	nl_txn_init(&t, SEQ, PORT, 1, sink_cb, &s);
	assert_int_equal(nl_txn_feed(&t, odd + 1, d.len, &why), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.links[0].local, 1);
	free(odd);
}

/* A route message: rtmsg fields and raw attributes. */
static void
raw_route(struct nl_view *v, unsigned char *buf, int family, int dst_len,
    int table, const void *attrs, size_t attrlen)
{
	struct rtmsg	rtm;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (unsigned char)family;
	rtm.rtm_dst_len = (unsigned char)dst_len;
	rtm.rtm_table = (unsigned char)table;
	rtm.rtm_protocol = 44;
	rtm.rtm_type = RTN_UNICAST;
	memcpy(buf, &rtm, sizeof(rtm));
	if (attrlen > 0)
		memcpy(buf + sizeof(rtm), attrs, attrlen);
	memset(v, 0, sizeof(*v));
	v->type = RTM_NEWROUTE;
	v->data = buf;
	v->len = sizeof(rtm) + attrlen;
}

static void
test_routes_parse(void **state)
{
	struct nl_view	 v;
	struct nl_route	 rt;
	const char	*why = NULL;
	unsigned char	 buf[256];
	/* RTA_DST (1) 44.128.0.0, RTA_TABLE (15) 1000, RTA_OIF (4) 7 */
	const unsigned char good[] = {
		8, 0, 1, 0, 44, 128, 0, 0,
		8, 0, 15, 0, 0xe8, 0x03, 0, 0,
		8, 0, 4, 0, 7, 0, 0, 0 };
	const unsigned char hostbits[] = { 8, 0, 1, 0, 44, 128, 0, 1 };
	const unsigned char shortdst[] = { 7, 0, 1, 0, 44, 128, 0, 0 };
	/* RTA_MULTIPATH (9): hop ifindex 7 via 192.0.2.1, hop ifindex 8 */
	const unsigned char mp[] = {
		36, 0, 9, 0,
		16, 0, 0, 0, 7, 0, 0, 0,
		8, 0, 5, 0, 192, 0, 2, 1,
		16, 0, 0, 0, 8, 0, 0, 0,
		8, 0, 6, 0, 0, 0, 0, 1 };
	const unsigned char mpshort[] = {
		10, 0, 9, 0, 16, 0, 0, 0, 7, 0, 0, 0 };
	const unsigned char mpover[] = {
		12, 0, 9, 0, 40, 0, 0, 0, 7, 0, 0, 0 };
	/* IPv6: a 16-byte RTA_DST is not read as IPv4 */
	unsigned char v6[20] = { 20, 0, 1, 0, 0x20, 0x01, 0x0d, 0xb8 };

	raw_route(&v, buf, AF_INET, 16, 0, good, sizeof(good));
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_int_equal(rt.dst, 0x2c800000);
	assert_int_equal(rt.dst_len, 16);
	assert_int_equal(rt.table, 1000);
	assert_int_equal(rt.oif, 7);
	assert_int_equal(rt.protocol, 44);
	assert_false(rt.multipath);

	raw_route(&v, buf, AF_INET, 24, 44, hostbits, sizeof(hostbits));
	assert_int_equal(nl_parse_route(&v, &rt, &why), -1);
	assert_string_equal(why, "route destination has host bits set");
	raw_route(&v, buf, AF_INET, 24, 44, shortdst, sizeof(shortdst));
	assert_int_equal(nl_parse_route(&v, &rt, &why), -1);
	assert_string_equal(why, "bad RTA_DST");
	raw_route(&v, buf, AF_INET, 33, 44, NULL, 0);
	assert_int_equal(nl_parse_route(&v, &rt, &why), -1);
	assert_string_equal(why, "IPv4 prefix length above 32");
	raw_route(&v, buf, AF_INET, 0, 254, NULL, 0);
	v.len = 10;
	assert_int_equal(nl_parse_route(&v, &rt, &why), -1);
	assert_string_equal(why, "truncated rtmsg");

	raw_route(&v, buf, AF_INET, 0, 254, mp, sizeof(mp));
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_true(rt.multipath);
	assert_int_equal(rt.oif, 7);
	assert_true(rt.has_gateway);
	assert_int_equal(rt.gateway, A(192, 0, 2, 1));
	assert_int_equal(rt.table, 254);
	raw_route(&v, buf, AF_INET, 0, 254, mpshort, sizeof(mpshort) - 2);
	assert_int_equal(nl_parse_route(&v, &rt, &why), -1);
	assert_string_equal(why, "truncated rtnexthop");
	raw_route(&v, buf, AF_INET, 0, 254, mpover, sizeof(mpover));
	assert_int_equal(nl_parse_route(&v, &rt, &why), -1);
	assert_string_equal(why, "rtnexthop length out of bounds");

	raw_route(&v, buf, AF_INET6, 64, 254, v6, sizeof(v6));
	assert_int_equal(nl_parse_route(&v, &rt, &why), 0);
	assert_int_equal(rt.family, AF_INET6);
	assert_int_equal(rt.dst, 0);
}

static void
test_addrs_parse(void **state)
{
	struct nl_view		 v;
	struct nl_addr		 ad;
	struct ifaddrmsg	 ifa;
	const char		*why = NULL;
	unsigned char		 buf[128];
	/* IFA_ADDRESS (1) only, IFA_FLAGS (8) secondary */
	const unsigned char attrs[] = {
		8, 0, 1, 0, 44, 2, 3, 4,
		8, 0, 8, 0, IFA_F_SECONDARY, 0, 0, 0 };

	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	ifa.ifa_prefixlen = 24;
	ifa.ifa_index = 4;
	memcpy(buf, &ifa, sizeof(ifa));
	memcpy(buf + sizeof(ifa), attrs, sizeof(attrs));
	memset(&v, 0, sizeof(v));
	v.type = RTM_NEWADDR;
	v.data = buf;
	v.len = sizeof(ifa) + sizeof(attrs);
	assert_int_equal(nl_parse_addr(&v, &ad, &why), 0);
	assert_true(ad.has_local);
	assert_int_equal(ad.local, A(44, 2, 3, 4));
	assert_int_equal(ad.index, 4);
	assert_int_equal(ad.prefixlen, 24);
	assert_true(ad.flags & IFA_F_SECONDARY);

	ifa.ifa_prefixlen = 33;
	memcpy(buf, &ifa, sizeof(ifa));
	assert_int_equal(nl_parse_addr(&v, &ad, &why), -1);
	assert_string_equal(why, "IPv4 prefix length above 32");
	v.len = 6;
	assert_int_equal(nl_parse_addr(&v, &ad, &why), -1);
	assert_string_equal(why, "truncated ifaddrmsg");
}

/* Link notifications. */

struct evlog {
	struct kern_event	ev[64];
	size_t			n;
};

static void
evlog_cb(void *arg, const struct kern_event *ev)
{
	struct evlog	*e = arg;

	assert_true(e->n < 64);
	e->ev[e->n++] = *ev;
}

/* Feeds every message of d to the tracker; returns how many were gifs. */
static int
note_all(struct nl_gifs *g, const struct dgram *d)
{
	struct nl_iter	 it;
	struct nl_view	 v;
	const char	*why;
	int		 r, n = 0;

	nl_iter_init(&it, d->buf, d->len);
	while (nl_iter_next(&it, &v, &why) == 1) {
		assert_int_not_equal(r = nl_gifs_note(g, &v, NULL, &why), -1);
		n += r;
	}
	return n;
}

static void
test_gif_events(void **state)
{
	struct nl_gifs	*g;
	struct dgram	 d;
	struct evlog	 e;

	assert_non_null(g = malloc(sizeof(*g)));
	nl_gifs_init(g);

	/* Our own create: down, then up; nothing to report. */
	nl_gifs_set(g, 5, NL_GIF_UP);
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", 0, 1, 2, 0, 0);
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", IFF_UP, 1, 2, 0, 0);
	assert_int_equal(note_all(g, &d), 2);
	memset(&e, 0, sizeof(e));
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 0);

	/* Somebody else's that appears up: nothing either. */
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 11, "gif6", IFF_UP, 1, 3, 0, 0);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 0);

	/* Brought down, then several changes that leave it down. */
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", 0, 1, 2, 0, 0);
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", 0, 1, 2, 0, 0);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 1);
	assert_int_equal(e.ev[0].type, KERN_EV_DOWN);
	assert_int_equal(e.ev[0].unit, 5);
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", 0, 1, 2, 0, 0);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 0);

	/* Back up; an mtu change of an up link reports nothing. */
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", IFF_UP, 1, 2, 0, 0);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 1);
	assert_int_equal(e.ev[1].type, KERN_EV_UP);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 0);

	/* Destroyed: the kernel downs it first, one GONE in the end. */
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 10, "gif5", 0, 1, 2, 0, 0);
	add_ipip(&d, RTM_DELLINK, 0, 10, "gif5", 0, 1, 2, 0, 0);
	add_ipip(&d, RTM_DELLINK, 0, 11, "gif6", 0, 1, 3, 0, 0);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 2);
	assert_int_equal(e.ev[2].type, KERN_EV_GONE);
	assert_int_equal(e.ev[2].unit, 5);
	assert_int_equal(e.ev[3].type, KERN_EV_GONE);
	assert_int_equal(e.ev[3].unit, 6);

	/* Deleted by us and made again at once: nothing. */
	nl_gifs_set(g, 7, NL_GIF_UP);
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_DELLINK, 0, 12, "gif7", IFF_UP, 1, 2, 0, 0);
	add_ipip(&d, RTM_NEWLINK, 0, 13, "gif7", 0, 1, 4, 0, 0);
	add_ipip(&d, RTM_NEWLINK, 0, 13, "gif7", IFF_UP, 1, 4, 0, 0);
	note_all(g, &d);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 0);

	/* Not ours to report: other names, other kinds, no kind. */
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_DELLINK, 0, 14, "tunl0", 0, 0, 0, 0, 0);
	add_ipip(&d, RTM_DELLINK, 0, 15, "gif07", 0, 0, 0, 0, 0);
	add_vrf(&d, 0, 16, "gif8", 44);
	add_plain(&d, 0, 0, 17, "gif9");
	assert_int_equal(note_all(g, &d), 0);
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 0);
	assert_int_equal(e.n, 4);
	free(g);
}

static void
test_gif_resync(void **state)
{
	struct nl_gifs	*g;
	struct dgram	 d;
	struct evlog	 e;

	assert_non_null(g = malloc(sizeof(*g)));
	nl_gifs_init(g);
	nl_gifs_set_all(g, NL_GIF_GONE);
	nl_gifs_set(g, 3, NL_GIF_UP);
	nl_gifs_set(g, 4, NL_GIF_UP);
	nl_gifs_set(g, 5, NL_GIF_DOWN);
	/* A notification seen before the loss: gif9 appeared, down. */
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, 0, 19, "gif9", 0, 1, 2, 0, 0);
	note_all(g, &d);

	/* The dump: gif4 went down, gif5 came up, gif3 and gif9 are gone. */
	nl_gifs_resync(g);
	memset(&d, 0, sizeof(d));
	add_ipip(&d, RTM_NEWLINK, SEQ, 14, "gif4", 0, 1, 2, 0, 0);
	add_ipip(&d, RTM_NEWLINK, SEQ, 15, "gif5", IFF_UP, 1, 2, 0, 0);
	add_ipip(&d, RTM_NEWLINK, SEQ, 16, "gif6", IFF_UP, 1, 2, 0, 0);
	note_all(g, &d);
	memset(&e, 0, sizeof(e));
	assert_int_equal(nl_gifs_flush(g, evlog_cb, &e), 4);
	/* In the order first touched: 9 (noted), 3, 4, 5 (resync), 6. */
	assert_int_equal(e.ev[0].unit, 3);
	assert_int_equal(e.ev[0].type, KERN_EV_GONE);
	assert_int_equal(e.ev[1].unit, 4);
	assert_int_equal(e.ev[1].type, KERN_EV_DOWN);
	assert_int_equal(e.ev[2].unit, 5);
	assert_int_equal(e.ev[2].type, KERN_EV_UP);
	/* gif6 was gone and is there: a new gif (a reserved unit back). */
	assert_int_equal(e.ev[3].unit, 6);
	assert_int_equal(e.ev[3].type, KERN_EV_NEW);
	assert_int_equal(e.ev[3].ifindex, 0);
	free(g);
}

static struct nl_route
route_of(uint32_t dst, int len, uint32_t table, int protocol,
    uint32_t priority)
{
	struct nl_route	rt;

	memset(&rt, 0, sizeof(rt));
	rt.family = AF_INET;
	rt.dst = dst;
	rt.dst_len = len;
	rt.table = table;
	rt.protocol = protocol;
	rt.priority = priority;
	rt.type = RTN_UNICAST;
	return rt;
}

/*
 * The operator's route at metric 100 holds its prefix at any metric, so
 * ours (metric 0) is not added over it; ours elsewhere are not theirs.
 */
static void
test_foreign_routes(void **state)
{
	struct nl_foreign	f;
	struct nl_route		rt;
	int			protocol = -1;

	nl_foreign_init(&f, 44);
	assert_false(nl_foreign_held(&f, A(44, 1, 2, 0), 24, NULL));
	rt = route_of(A(44, 1, 2, 0), 24, 44, RTPROT_BOOT, 100);
	assert_int_equal(nl_foreign_route(&f, &rt, 0), 0);
	assert_true(nl_foreign_held(&f, A(44, 1, 2, 0), 24, &protocol));
	assert_int_equal(protocol, RTPROT_BOOT);
	/* Exactly that prefix. */
	assert_false(nl_foreign_held(&f, A(44, 1, 2, 0), 25, NULL));
	assert_false(nl_foreign_held(&f, A(44, 1, 2, 0), 23, NULL));
	assert_false(nl_foreign_held(&f, A(44, 1, 3, 0), 24, NULL));

	/* Other tables, other families and our own routes are not kept. */
	rt = route_of(A(44, 5, 0, 0), 16, 254, RTPROT_BOOT, 0);
	nl_foreign_route(&f, &rt, 0);
	rt = route_of(A(44, 6, 0, 0), 16, 44, RTPROT_BOOT, 0);
	rt.family = AF_INET6;
	nl_foreign_route(&f, &rt, 0);
	rt = route_of(A(44, 7, 0, 0), 16, 44, 44, 0);
	nl_foreign_route(&f, &rt, 0);
	assert_false(nl_foreign_held(&f, A(44, 5, 0, 0), 16, NULL));
	assert_false(nl_foreign_held(&f, A(44, 6, 0, 0), 16, NULL));
	assert_false(nl_foreign_held(&f, A(44, 7, 0, 0), 16, NULL));
	assert_int_equal(f.count, 1);

	/* A second one at metric 200; ours at metric 0 beside them. */
	rt = route_of(A(44, 1, 2, 0), 24, 44, RTPROT_STATIC, 200);
	nl_foreign_route(&f, &rt, 0);
	rt = route_of(A(44, 1, 2, 0), 24, 44, 44, 0);
	nl_foreign_route(&f, &rt, 0);
	rt = route_of(A(44, 1, 2, 0), 24, 44, 44, 0);
	nl_foreign_route(&f, &rt, 1);
	assert_int_equal(f.count, 2);
	/* One goes, the prefix is still held; then the other. */
	rt = route_of(A(44, 1, 2, 0), 24, 44, RTPROT_BOOT, 100);
	nl_foreign_route(&f, &rt, 1);
	assert_true(nl_foreign_held(&f, A(44, 1, 2, 0), 24, &protocol));
	assert_int_equal(protocol, RTPROT_STATIC);
	rt = route_of(A(44, 1, 2, 0), 24, 44, RTPROT_STATIC, 200);
	nl_foreign_route(&f, &rt, 1);
	assert_false(nl_foreign_held(&f, A(44, 1, 2, 0), 24, NULL));
	assert_int_equal(f.count, 0);

	/* Ours replacing theirs at its metric: the prefix is ours now. */
	rt = route_of(A(44, 9, 0, 0), 24, 44, RTPROT_BOOT, 0);
	nl_foreign_route(&f, &rt, 0);
	rt = route_of(A(44, 9, 0, 0), 24, 44, 44, 0);
	nl_foreign_route(&f, &rt, 0);
	assert_false(nl_foreign_held(&f, A(44, 9, 0, 0), 24, NULL));
	/* And theirs replacing ours: theirs. */
	rt = route_of(A(44, 9, 0, 0), 24, 44, RTPROT_BOOT, 0);
	nl_foreign_route(&f, &rt, 0);
	assert_true(nl_foreign_held(&f, A(44, 9, 0, 0), 24, NULL));
	nl_foreign_clear(&f);
	assert_false(nl_foreign_held(&f, A(44, 9, 0, 0), 24, NULL));
}

/* A big table grows the index; every route stays found, each in O(1). */
static void
test_foreign_many(void **state)
{
	struct nl_foreign	f;
	struct nl_route		rt;
	uint32_t		i;

	nl_foreign_init(&f, 44);
	for (i = 0; i < 20000; i++) {
		rt = route_of(A(44, 10, 0, 0) + i, 32, 44, RTPROT_BOOT, 0);
		assert_int_equal(nl_foreign_route(&f, &rt, 0), 0);
	}
	assert_int_equal(f.count, 20000);
	for (i = 0; i < 20000; i++)
		assert_true(nl_foreign_held(&f, A(44, 10, 0, 0) + i, 32,
		    NULL));
	assert_false(nl_foreign_held(&f, A(44, 10, 0, 0) + i, 32, NULL));
	nl_foreign_clear(&f);
	assert_int_equal(f.count, 0);
}

/* Notifications: new and deleted routes; others ignored; bad refused. */
static void
test_foreign_notes(void **state)
{
	struct nl_foreign	 f;
	struct nl_view		 v;
	const char		*why = NULL;
	unsigned char		 buf[256];
	/* RTA_DST (1) 44.1.2.0, RTA_PRIORITY (6) 100 */
	const unsigned char	 attrs[] = {
		8, 0, 1, 0, 44, 1, 2, 0,
		8, 0, 6, 0, 100, 0, 0, 0 };

	nl_foreign_init(&f, 44);
	raw_route(&v, buf, AF_INET, 24, 44, attrs, sizeof(attrs));
	buf[offsetof(struct rtmsg, rtm_protocol)] = RTPROT_BOOT;
	assert_int_equal(nl_foreign_note(&f, &v, &why), 1);
	assert_true(nl_foreign_held(&f, A(44, 1, 2, 0), 24, NULL));
	v.type = RTM_DELROUTE;
	assert_int_equal(nl_foreign_note(&f, &v, &why), 1);
	assert_false(nl_foreign_held(&f, A(44, 1, 2, 0), 24, NULL));
	v.type = RTM_NEWLINK;
	assert_int_equal(nl_foreign_note(&f, &v, &why), 0);
	raw_route(&v, buf, AF_INET, 33, 44, NULL, 0);
	assert_int_equal(nl_foreign_note(&f, &v, &why), -1);
	assert_string_equal(why, "IPv4 prefix length above 32");
	assert_int_equal(f.count, 0);
	nl_foreign_clear(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_create),
		cmocka_unit_test(test_link_create_vrf),
		cmocka_unit_test(test_link_create_bad),
		cmocka_unit_test(test_link_get_up_delete),
		cmocka_unit_test(test_link_modify),
		cmocka_unit_test(test_link_alias_parsed),
		cmocka_unit_test(test_addr_add),
		cmocka_unit_test(test_route_build),
		cmocka_unit_test(test_dump_build),
		cmocka_unit_test(test_builder_overflow),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dump_two_datagrams),
		cmocka_unit_test(test_other_requests_skipped),
		cmocka_unit_test(test_error_extack),
		cmocka_unit_test(test_extack_sanitized),
		cmocka_unit_test(test_done_with_error),
		cmocka_unit_test(test_dump_interrupted_and_cb_error),
		cmocka_unit_test(test_truncated_datagrams),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_malformed_errors),
		cmocka_unit_test(test_malformed_links),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_routes_parse),
		cmocka_unit_test(test_foreign_routes),
		cmocka_unit_test(test_foreign_many),
		cmocka_unit_test(test_foreign_notes),
		cmocka_unit_test(test_addrs_parse),
		cmocka_unit_test(test_gif_events),
		cmocka_unit_test(test_gif_resync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
