/*
 * Routing-socket message bytes: see rtmsg.h.  Everything read here comes
 * from the kernel, and is still checked: a bad length must not walk us
 * off the end of a buffer.
 */
#include <limits.h>
#include <string.h>

#include "rtmsg.h"

size_t
rtmsg_roundup(size_t len, size_t align)
{
	/* rtsock.c's ROUNDUP: an empty sockaddr still takes one word. */
	if (len == 0)
		return align;
	return 1 + ((len - 1) | (align - 1));
}

int
rtmsg_next(const uint8_t *buf, size_t buflen, size_t *off,
    const uint8_t **msg, size_t *msglen, const char **reason)
{
	size_t		left;
	uint16_t	len;

	if (*off >= buflen)
		return 1;
	left = buflen - *off;
	if (left < RTMSG_MIN_HDR) {
		*reason = "truncated message header";
		return -1;
	}
	memcpy(&len, buf + *off, sizeof(len));
	if (len < RTMSG_MIN_HDR) {
		*reason = "message length shorter than its header";
		return -1;
	}
	if (len > left) {
		*reason = "message runs past the end of the buffer";
		return -1;
	}
	*msg = buf + *off;
	*msglen = len;
	*off += len;
	return 0;
}

int
rtmsg_split(const uint8_t *p, size_t len, int addrs, size_t align,
    struct rtmsg_sa sa[RTMSG_AX_MAX], const char **reason)
{
	unsigned int	bits = (unsigned int)addrs;
	size_t		off = 0, salen;
	int		i;

	memset(sa, 0, RTMSG_AX_MAX * sizeof(sa[0]));
	for (i = 0; i < (int)(sizeof(bits) * CHAR_BIT); i++) {
		if ((bits & (1U << i)) == 0)
			continue;
		if (i >= RTMSG_AX_MAX) {
			*reason = "address bit beyond RTAX_MAX";
			return -1;
		}
		if (off >= len) {
			*reason = "sockaddr missing from the message";
			return -1;
		}
		salen = p[off];
		if (salen > len - off) {
			*reason = "sockaddr runs past the end of the message";
			return -1;
		}
		sa[i].p = p + off;
		sa[i].len = salen;
		sa[i].family = salen >= 2 ? p[off + 1] : 0;
		/* The padding of the last one may be cut off: harmless. */
		if (rtmsg_roundup(salen, align) >= len - off)
			off = len;
		else
			off += rtmsg_roundup(salen, align);
	}
	return 0;
}

int
rtmsg_put(uint8_t *buf, size_t bufsize, size_t *off, const void *sa,
    size_t salen, size_t align)
{
	size_t	step = rtmsg_roundup(salen, align);

	if (salen == 0 || salen > UINT8_MAX || *off > bufsize ||
	    bufsize - *off < step)
		return -1;
	memcpy(buf + *off, sa, salen);
	memset(buf + *off + salen, 0, step - salen);
	*off += step;
	return 0;
}

static uint32_t
sa_addr_bytes(const struct rtmsg_sa *sa)
{
	uint32_t	addr = 0;
	size_t		i;

	for (i = 0; i < 4; i++) {
		addr <<= 8;
		if (RTMSG_SIN_ADDR_OFF + i < sa->len)
			addr |= sa->p[RTMSG_SIN_ADDR_OFF + i];
	}
	return addr;
}

int
rtmsg_sin_addr(const struct rtmsg_sa *sa, int af_inet, uint32_t *addr)
{
	if (sa->p == NULL || sa->len < RTMSG_SIN_ADDR_OFF + 4 ||
	    sa->family != af_inet)
		return -1;
	*addr = sa_addr_bytes(sa);
	return 0;
}

int
rtmsg_mask_addr(const struct rtmsg_sa *sa, uint32_t *mask)
{
	/* Netmask sockaddrs may be short and need not carry a family. */
	if (sa->p == NULL)
		return -1;
	*mask = sa_addr_bytes(sa);
	return 0;
}

int
rtmsg_mask_len(uint32_t mask)
{
	int	len = 0;

	while (len < 32 && (mask & (0x80000000U >> len)) != 0)
		len++;
	if (len < 32 && (mask & (0xffffffffU >> len)) != 0)
		return -1;
	return len;
}

int
rtmsg_sdl_name(const struct rtmsg_sa *sa, int af_link, char *buf,
    size_t bufsize)
{
	size_t	nlen;

	if (sa->p == NULL || sa->len < RTMSG_SDL_DATA_OFF ||
	    sa->family != af_link)
		return -1;
	nlen = sa->p[RTMSG_SDL_NLEN_OFF];
	if (nlen == 0 || nlen > sa->len - RTMSG_SDL_DATA_OFF ||
	    nlen >= bufsize)
		return -1;
	if (memchr(sa->p + RTMSG_SDL_DATA_OFF, '\0', nlen) != NULL)
		return -1;
	memcpy(buf, sa->p + RTMSG_SDL_DATA_OFF, nlen);
	buf[nlen] = '\0';
	return 0;
}

int
rtmsg_priority_ok(int priority)
{
	return priority > RTMSG_RTP_LOCAL && priority <= RTMSG_RTP_MAX &&
	    priority != RTMSG_RTP_CONNECTED && priority != RTMSG_RTP_STATIC &&
	    priority != RTMSG_RTP_DEFAULT;
}

enum rtmsg_owner
rtmsg_route_owner(int flags, int priority, int ours)
{
	const int	kernels = RTMSG_RTF_LOCAL | RTMSG_RTF_BROADCAST |
			    RTMSG_RTF_CONNECTED | RTMSG_RTF_CLONED |
			    RTMSG_RTF_CACHED | RTMSG_RTF_GATEWAY;

	if ((flags & kernels) != 0)
		return RTMSG_FOREIGN;
	if (priority == ours && (flags & RTMSG_RTF_STATIC))
		return RTMSG_OURS;
	if (priority == RTMSG_RTP_DEFAULT && (flags & RTMSG_RTF_CLONING) &&
	    !(flags & RTMSG_RTF_STATIC))
		return RTMSG_LEGACY;
	return RTMSG_FOREIGN;
}

int
rtmsg_gif_unit(const char *name)
{
	const char	*p;
	int		 unit = 0;

	if (strncmp(name, "gif", 3) != 0)
		return -1;
	p = name + 3;
	if (*p == '\0' || (*p == '0' && p[1] != '\0'))
		return -1;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || unit > (INT_MAX - (*p - '0')) / 10)
			return -1;
		unit = unit * 10 + (*p - '0');
	}
	return unit;
}

int
rtmsg_gif_is_peer(const char *name, const int *reserved, int nreserved)
{
	int	i, unit;

	if ((unit = rtmsg_gif_unit(name)) == -1)
		return 0;
	for (i = 0; i < nreserved; i++)
		if (reserved[i] == unit)
			return 0;
	return 1;
}
