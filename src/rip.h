/*
 * RIP44 (RIPv2 response with plain-text authentication) decoding and
 * encoding.  Pure functions: no I/O, no globals.  Addresses in the decoded
 * form are host order.
 */
#ifndef RIP_H
#define RIP_H

#include <stddef.h>
#include <stdint.h>

#include "reason.h"

#define RIP_PORT		520
#define RIP_GROUP		0xe0000009U	/* 224.0.0.9 */
#define RIP_HEADER_LEN		4
#define RIP_ENTRY_LEN		20
#define RIP_MAX_ENTRIES		25	/* authentication entry included */
#define RIP_MAX_ROUTES		(RIP_MAX_ENTRIES - 1)
#define RIP_MAX_LEN		(RIP_HEADER_LEN + RIP_MAX_ENTRIES * RIP_ENTRY_LEN)
#define RIP_PASSWORD_LEN	16
#define RIP_METRIC_INFINITY	16
#define RIP_DEFAULT_PASSWORD	"pLaInTeXtpAsSwD"

struct rip_entry {
	enum reason	status;		/* R_NONE, or why this entry is refused */
	uint16_t	family;
	uint16_t	tag;
	uint32_t	addr;		/* as sent: host bits not yet masked */
	uint32_t	mask;
	int		len;		/* prefix length; -1 if mask not contiguous */
	uint32_t	nexthop;
	uint32_t	metric;
};

struct rip_packet {
	uint8_t			command;
	uint8_t			version;
	int			nentries;	/* route entries, auth excluded */
	struct rip_entry	entries[RIP_MAX_ROUTES];
};

/*
 * Decodes a UDP payload.  password is the expected one (at most 16 bytes,
 * NUL padded for the comparison).  Returns R_NONE with every route entry in
 * out (each with its own status: a bad entry is refused alone), or a
 * datagram-level reason, in which case out is not to be used.
 */
enum reason	rip_decode(const uint8_t *buf, size_t len, const char *password,
		    struct rip_packet *out);

/*
 * Encodes a response with the authentication entry and n route entries
 * (n <= RIP_MAX_ROUTES) into buf.  Each entry's family, tag, addr, mask,
 * nexthop and metric are written as given (so tests can build bad ones;
 * family 0 means AF_INET).  Returns the length, or 0 if bufsz is too small
 * or n is out of range.
 */
size_t		rip_encode(uint8_t *buf, size_t bufsz, const char *password,
		    const struct rip_entry *entries, int n);

/* Prefix length of a contiguous netmask, or -1. */
int		rip_mask_len(uint32_t mask);

#endif /* RIP_H */
