/*
 * Routing-socket message bytes: padding, walking buffers of messages,
 * splitting sockaddrs and reading them, and refusing malformed input.
 * Messages are laid out by hand here as OpenBSD's kernel writes them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmsg.h"

#define AF_INET_BSD	2
#define AF_LINK_BSD	18
#define RTA_DST_BIT	0x1
#define RTA_GATEWAY_BIT	0x2
#define RTA_NETMASK_BIT	0x4
#define RTA_IFP_BIT	0x10

/* A BSD sockaddr_in: len, family, port, address, zero. */
static void
make_sin(uint8_t sin[RTMSG_SIN_LEN], uint32_t addr)
{
	memset(sin, 0, RTMSG_SIN_LEN);
	sin[0] = RTMSG_SIN_LEN;
	sin[1] = AF_INET_BSD;
	sin[4] = addr >> 24;
	sin[5] = addr >> 16;
	sin[6] = addr >> 8;
	sin[7] = addr;
}

/* A BSD sockaddr_dl naming name, with a 24-byte data area. */
static size_t
make_sdl(uint8_t *sdl, const char *name, uint16_t index)
{
	size_t	nlen = strlen(name);

	memset(sdl, 0, 32);
	sdl[0] = 32;
	sdl[1] = AF_LINK_BSD;
	memcpy(sdl + RTMSG_SDL_INDEX_OFF, &index, sizeof(index));
	sdl[RTMSG_SDL_NLEN_OFF] = nlen;
	memcpy(sdl + RTMSG_SDL_DATA_OFF, name, nlen);
	return 32;
}

static void
put_msglen(uint8_t *msg, uint16_t len)
{
	memcpy(msg, &len, sizeof(len));
}

static void
test_roundup(void **state)
{
	assert_int_equal(rtmsg_roundup(0, 8), 8);
	assert_int_equal(rtmsg_roundup(1, 8), 8);
	assert_int_equal(rtmsg_roundup(8, 8), 8);
	assert_int_equal(rtmsg_roundup(9, 8), 16);
	assert_int_equal(rtmsg_roundup(16, 8), 16);
	assert_int_equal(rtmsg_roundup(5, 4), 8);
	assert_int_equal(rtmsg_roundup(0, 4), 4);
	assert_int_equal(rtmsg_roundup(32, 8), 32);
}

static void
test_next_walks_buffer(void **state)
{
	uint8_t		 buf[64];
	const uint8_t	*msg;
	const char	*why = NULL;
	size_t		 off = 0, len;

	memset(buf, 0, sizeof(buf));
	put_msglen(buf, 24);
	buf[3] = 0xe;
	put_msglen(buf + 24, 40);
	buf[24 + 3] = 0xf;
	assert_int_equal(rtmsg_next(buf, 64, &off, &msg, &len, &why), 0);
	assert_ptr_equal(msg, buf);
	assert_int_equal(len, 24);
	assert_int_equal(off, 24);
	assert_int_equal(rtmsg_next(buf, 64, &off, &msg, &len, &why), 0);
	assert_ptr_equal(msg, buf + 24);
	assert_int_equal(msg[3], 0xf);
	assert_int_equal(len, 40);
	assert_int_equal(rtmsg_next(buf, 64, &off, &msg, &len, &why), 1);
	assert_null(why);
}

static void
test_next_refuses(void **state)
{
	uint8_t		 buf[32];
	const uint8_t	*msg = NULL;
	const char	*why;
	size_t		 off, len = 0;

	memset(buf, 0, sizeof(buf));
	/* A length past the end of what was read. */
	put_msglen(buf, 33);
	off = 0;
	why = NULL;
	assert_int_equal(rtmsg_next(buf, 32, &off, &msg, &len, &why), -1);
	assert_non_null(why);
	assert_int_equal(off, 0);
	/* A length that would not even cover its own header: no progress. */
	put_msglen(buf, 2);
	why = NULL;
	assert_int_equal(rtmsg_next(buf, 32, &off, &msg, &len, &why), -1);
	assert_non_null(why);
	put_msglen(buf, 0);
	why = NULL;
	assert_int_equal(rtmsg_next(buf, 32, &off, &msg, &len, &why), -1);
	assert_non_null(why);
	/* Three stray bytes after a good message. */
	put_msglen(buf, 29);
	why = NULL;
	assert_int_equal(rtmsg_next(buf, 32, &off, &msg, &len, &why), 0);
	assert_int_equal(rtmsg_next(buf, 32, &off, &msg, &len, &why), -1);
	assert_non_null(why);
}

static void
test_put_and_split(void **state)
{
	uint8_t		 buf[128], sin[RTMSG_SIN_LEN], mask[RTMSG_SIN_LEN];
	uint8_t		 sdl[32];
	struct rtmsg_sa	 sa[RTMSG_AX_MAX];
	const char	*why = NULL;
	size_t		 off = 0, sdllen;
	uint32_t	 a;
	char		 name[16];

	make_sin(sin, 0x2c010200U);
	make_sin(mask, 0xffffff00U);
	sdllen = make_sdl(sdl, "gif12", 7);
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sin, 16, 8), 0);
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sin, 16, 8), 0);
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, mask, 16, 8), 0);
	/* A 5-byte sockaddr is padded with zeros to 8. */
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sdl, 5, 8), 0);
	assert_int_equal(off, 56);
	assert_int_equal(buf[53], 0);
	assert_int_equal(buf[55], 0);
	assert_int_equal(buf[56], 0xaa);
	off = 32;
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sdl, sdllen, 8), 0);
	assert_int_equal(off, 64);

	assert_int_equal(rtmsg_split(buf, 64,
	    RTA_DST_BIT | RTA_GATEWAY_BIT | RTA_IFP_BIT, 8, sa, &why), 0);
	assert_ptr_equal(sa[0].p, buf);
	assert_ptr_equal(sa[1].p, buf + 16);
	assert_null(sa[2].p);
	assert_ptr_equal(sa[4].p, buf + 32);
	assert_int_equal(sa[4].len, 32);
	assert_int_equal(sa[4].family, AF_LINK_BSD);
	assert_int_equal(rtmsg_sin_addr(&sa[0], AF_INET_BSD, &a), 0);
	assert_int_equal(a, 0x2c010200U);
	assert_int_equal(rtmsg_sdl_name(&sa[4], AF_LINK_BSD, name,
	    sizeof(name)), 0);
	assert_string_equal(name, "gif12");
	/* The wrong family is refused. */
	assert_int_equal(rtmsg_sin_addr(&sa[4], AF_INET_BSD, &a), -1);
	assert_int_equal(rtmsg_sdl_name(&sa[0], AF_LINK_BSD, name,
	    sizeof(name)), -1);
}

static void
test_put_refuses(void **state)
{
	uint8_t	buf[24], sin[RTMSG_SIN_LEN];
	size_t	off = 16;

	make_sin(sin, 1);
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sin, 16, 8), -1);
	assert_int_equal(off, 16);
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sin, 0, 8), -1);
	off = 8;
	assert_int_equal(rtmsg_put(buf, sizeof(buf), &off, sin, 16, 8), 0);
	assert_int_equal(off, 24);
}

static void
test_split_empty_and_short(void **state)
{
	uint8_t		 buf[40];
	struct rtmsg_sa	 sa[RTMSG_AX_MAX];
	const char	*why = NULL;
	uint32_t	 m = 1;

	/* An empty netmask takes a word, a short one holds only its bytes. */
	memset(buf, 0, sizeof(buf));
	make_sin(buf, 0x2c000000U);
	buf[16] = 0;			/* netmask: sa_len 0 */
	buf[24] = 6;			/* netmask 255.255.0.0, 6 bytes */
	buf[25] = 0;
	buf[28] = 0xff;
	buf[29] = 0xff;
	assert_int_equal(rtmsg_split(buf, 40, RTA_DST_BIT | RTA_NETMASK_BIT,
	    8, sa, &why), 0);
	assert_int_equal(sa[2].len, 0);
	assert_int_equal(rtmsg_mask_addr(&sa[2], &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(rtmsg_mask_len(m), 0);
	assert_int_equal(rtmsg_split(buf + 16, 24, RTA_NETMASK_BIT | 0x8,
	    8, sa, &why), 0);
	assert_int_equal(sa[3].len, 6);
	assert_int_equal(rtmsg_mask_addr(&sa[3], &m), 0);
	assert_int_equal(m, 0xffff0000U);
	assert_int_equal(rtmsg_mask_len(m), 16);
	/* A short sockaddr is not an address. */
	assert_int_equal(rtmsg_sin_addr(&sa[3], AF_INET_BSD, &m), -1);
}

static void
test_split_refuses(void **state)
{
	uint8_t		 buf[32];
	struct rtmsg_sa	 sa[RTMSG_AX_MAX];
	const char	*why;

	memset(buf, 0, sizeof(buf));
	make_sin(buf, 1);
	buf[16] = 17;			/* runs one past the end */
	why = NULL;
	assert_int_equal(rtmsg_split(buf, 32, RTA_DST_BIT | RTA_GATEWAY_BIT,
	    8, sa, &why), -1);
	assert_non_null(why);
	/* More sockaddrs announced than there are bytes. */
	buf[16] = 16;
	why = NULL;
	assert_int_equal(rtmsg_split(buf, 32, RTA_DST_BIT | RTA_GATEWAY_BIT |
	    RTA_NETMASK_BIT, 8, sa, &why), -1);
	assert_non_null(why);
	/* A bit past RTAX_MAX. */
	why = NULL;
	assert_int_equal(rtmsg_split(buf, 32, RTA_DST_BIT | (1 << 15), 8, sa,
	    &why), -1);
	assert_non_null(why);
	why = NULL;
	assert_int_equal(rtmsg_split(buf, 32, (int)0x80000000U, 8, sa, &why),
	    -1);
	assert_non_null(why);
}

static void
test_mask_len(void **state)
{
	assert_int_equal(rtmsg_mask_len(0xffffffffU), 32);
	assert_int_equal(rtmsg_mask_len(0xfffffff8U), 29);
	assert_int_equal(rtmsg_mask_len(0x80000000U), 1);
	assert_int_equal(rtmsg_mask_len(0), 0);
	assert_int_equal(rtmsg_mask_len(0xff00ff00U), -1);
	assert_int_equal(rtmsg_mask_len(0x7fffffffU), -1);
	assert_int_equal(rtmsg_mask_len(0x00000001U), -1);
}

static void
test_sdl_name_refuses(void **state)
{
	uint8_t		sdl[32];
	struct rtmsg_sa	sa;
	char		name[16], tiny[5];

	make_sdl(sdl, "gif3", 1);
	sa.p = sdl;
	sa.len = 32;
	sa.family = AF_LINK_BSD;
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, name,
	    sizeof(name)), 0);
	assert_string_equal(name, "gif3");
	/* No room for the name and its NUL. */
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, tiny,
	    sizeof(tiny) - 1), -1);
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, tiny,
	    sizeof(tiny)), 0);
	/* Name length past the sockaddr. */
	sa.len = 11;
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, name,
	    sizeof(name)), -1);
	sa.len = 32;
	sdl[RTMSG_SDL_NLEN_OFF] = 0;
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, name,
	    sizeof(name)), -1);
	sdl[RTMSG_SDL_NLEN_OFF] = 4;
	sdl[RTMSG_SDL_DATA_OFF + 1] = '\0';
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, name,
	    sizeof(name)), -1);
	sa.p = NULL;
	assert_int_equal(rtmsg_sdl_name(&sa, AF_LINK_BSD, name,
	    sizeof(name)), -1);
}

static void
test_gif_unit(void **state)
{
	assert_int_equal(rtmsg_gif_unit("gif0"), 0);
	assert_int_equal(rtmsg_gif_unit("gif7"), 7);
	assert_int_equal(rtmsg_gif_unit("gif1234"), 1234);
	assert_int_equal(rtmsg_gif_unit("gif2147483647"), 2147483647);
	assert_int_equal(rtmsg_gif_unit("gif2147483648"), -1);
	assert_int_equal(rtmsg_gif_unit("gif"), -1);
	assert_int_equal(rtmsg_gif_unit("gif01"), -1);
	assert_int_equal(rtmsg_gif_unit("gif-1"), -1);
	assert_int_equal(rtmsg_gif_unit("gif1a"), -1);
	assert_int_equal(rtmsg_gif_unit("gre1"), -1);
	assert_int_equal(rtmsg_gif_unit("gifx"), -1);
	assert_int_equal(rtmsg_gif_unit("em0"), -1);
}

/* Whatever the bytes, everything handed back lies inside the buffer. */
static void
test_random_bytes_stay_inside(void **state)
{
	uint8_t		 buf[96];
	struct rtmsg_sa	 sa[RTMSG_AX_MAX];
	const uint8_t	*msg;
	const char	*why;
	uint32_t	 seed = 44, a;
	size_t		 off, len, i, n;
	int		 round, r, addrs, accepted = 0, refused = 0;

	for (round = 0; round < 20000; round++) {
		n = 1 + round % sizeof(buf);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245U + 12345U;
			buf[i] = seed >> 16;
		}
		/* Small lengths, so that real walks happen too. */
		buf[0] %= 64;
		buf[1] = 0;
		off = 0;
		why = NULL;
		while ((r = rtmsg_next(buf, n, &off, &msg, &len, &why)) == 0) {
			assert_true(msg >= buf && len >= RTMSG_MIN_HDR);
			assert_true(msg + len <= buf + n);
		}
		assert_true(r == 1 || why != NULL);
		addrs = (int)(seed & 0x7fff);
		why = NULL;
		if (rtmsg_split(buf, n, addrs, 8, sa, &why) == -1) {
			assert_non_null(why);
			refused++;
			continue;
		}
		accepted++;
		for (i = 0; i < RTMSG_AX_MAX; i++) {
			if (sa[i].p == NULL) {
				assert_false(addrs & (1 << i));
				continue;
			}
			assert_true(sa[i].p >= buf);
			assert_true(sa[i].p + sa[i].len <= buf + n);
			(void)rtmsg_sin_addr(&sa[i], AF_INET_BSD, &a);
			(void)rtmsg_mask_addr(&sa[i], &a);
		}
	}
	/* Both outcomes were exercised. */
	assert_true(accepted > 0 && refused > 0);
}

static void
test_gif_is_peer(void **state)
{
	const int reserved[] = { 0, 1 };

	/* Ours to peers: any gif not reserved. */
	assert_true(rtmsg_gif_is_peer("gif2", reserved, 2));
	assert_true(rtmsg_gif_is_peer("gif65535", reserved, 2));
	assert_true(rtmsg_gif_is_peer("gif0", NULL, 0));
	/* The operator's reserved tunnels, and anything not a gif. */
	assert_false(rtmsg_gif_is_peer("gif0", reserved, 2));
	assert_false(rtmsg_gif_is_peer("gif1", reserved, 2));
	assert_false(rtmsg_gif_is_peer("em0", reserved, 2));
	assert_false(rtmsg_gif_is_peer("gif", reserved, 2));
	assert_false(rtmsg_gif_is_peer("gif01", reserved, 2));
	assert_false(rtmsg_gif_is_peer("vrf44", reserved, 2));
}

/*
 * Whose route: ours by priority and RTF_STATIC only; the kernel's own
 * (a gif's destination host route from in_addhost(), connected, local,
 * cloned, cached) and routes through a next hop never; 44ripd's by its
 * shape.  Today's code took every route through a gif as ours.
 */
static void
test_route_owner(void **state)
{
	const int	ours = RTMSG_OUR_PRIORITY;
	const int	up = 0x1, host = 0x4, mpath = 0x40000;

	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC, ours, ours),
	    RTMSG_OURS);
	assert_int_equal(rtmsg_route_owner(up | host | RTMSG_RTF_STATIC, ours,
	    ours), RTMSG_OURS);
	/* The same route at another priority: an operator's "route add". */
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC,
	    RTMSG_RTP_STATIC, ours), RTMSG_FOREIGN);
	/* Our priority without RTF_STATIC: not made by us. */
	assert_int_equal(rtmsg_route_owner(up, ours, ours), RTMSG_FOREIGN);
	/* in_addhost(): RTF_HOST | RTF_MPATH, connected priority. */
	assert_int_equal(rtmsg_route_owner(up | host | mpath |
	    RTMSG_RTF_CONNECTED, RTMSG_RTP_CONNECTED, ours), RTMSG_FOREIGN);
	/* Kernel flags win even at our priority. */
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC |
	    RTMSG_RTF_LOCAL, ours, ours), RTMSG_FOREIGN);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC |
	    RTMSG_RTF_CLONED, ours, ours), RTMSG_FOREIGN);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC |
	    RTMSG_RTF_CACHED, ours, ours), RTMSG_FOREIGN);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC |
	    RTMSG_RTF_GATEWAY, ours, ours), RTMSG_FOREIGN);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC |
	    RTMSG_RTF_BROADCAST, ours, ours), RTMSG_FOREIGN);
	/* 44ripd: RTF_CLONING, not static, RTP_DEFAULT. */
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_CLONING,
	    RTMSG_RTP_DEFAULT, ours), RTMSG_LEGACY);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_CLONING |
	    RTMSG_RTF_STATIC, RTMSG_RTP_DEFAULT, ours), RTMSG_FOREIGN);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_CLONING,
	    RTMSG_RTP_STATIC, ours), RTMSG_FOREIGN);
	/* Another -R. */
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC, 44, 44),
	    RTMSG_OURS);
	assert_int_equal(rtmsg_route_owner(up | RTMSG_RTF_STATIC, ours, 44),
	    RTMSG_FOREIGN);
}

static void
test_priority_ok(void **state)
{
	int	p, n = 0;

	assert_true(rtmsg_priority_ok(RTMSG_OUR_PRIORITY));
	for (p = -1; p <= 300; p++)
		n += rtmsg_priority_ok(p);
	/* 2..63 less connected, static and default. */
	assert_int_equal(n, 62 - 3);
	assert_false(rtmsg_priority_ok(0));
	assert_false(rtmsg_priority_ok(RTMSG_RTP_LOCAL));
	assert_false(rtmsg_priority_ok(RTMSG_RTP_CONNECTED));
	assert_false(rtmsg_priority_ok(RTMSG_RTP_STATIC));
	assert_false(rtmsg_priority_ok(RTMSG_RTP_DEFAULT));
	assert_false(rtmsg_priority_ok(RTMSG_RTP_MAX + 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gif_is_peer),
		cmocka_unit_test(test_route_owner),
		cmocka_unit_test(test_priority_ok),
		cmocka_unit_test(test_roundup),
		cmocka_unit_test(test_next_walks_buffer),
		cmocka_unit_test(test_next_refuses),
		cmocka_unit_test(test_put_and_split),
		cmocka_unit_test(test_put_refuses),
		cmocka_unit_test(test_split_empty_and_short),
		cmocka_unit_test(test_split_refuses),
		cmocka_unit_test(test_mask_len),
		cmocka_unit_test(test_sdl_name_refuses),
		cmocka_unit_test(test_gif_unit),
		cmocka_unit_test(test_random_bytes_stay_inside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
