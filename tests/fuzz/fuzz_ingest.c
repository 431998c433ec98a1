/*
 * libFuzzer target: arbitrary bytes through every untrusted-input path of
 * the daemon.  The first byte picks the path:
 *   0: a UDP payload from the RIP source (header and auth checks);
 *   1: route entries behind a valid header and authentication, so the
 *      fuzzer reaches policy and the tables past the password;
 *   2: a captured frame (link type from the second byte), then ingest;
 *   3: a line of an encap file.
 * Each input gets fresh tables, with small caps, and a reconcile pass
 * against the dry-run backend's kernel model.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "encap.h"
#include "frame.h"
#include "ingest.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "policy.h"
#include "rip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int links[] = {
	FRAME_LINK_NULL, FRAME_LINK_ETHERNET, FRAME_LINK_RAW, FRAME_LINK_LOOP,
	FRAME_LINK_SLL
};

static void
with_auth(struct ingest *in, const uint8_t *data, size_t size)
{
	uint8_t buf[RIP_MAX_LEN];
	size_t len;

	/* A valid header and auth entry, then the fuzzer's entries. */
	len = rip_encode(buf, sizeof(buf), RIP_DEFAULT_PASSWORD, NULL, 0);
	if (size > sizeof(buf) - len)
		size = sizeof(buf) - len;
	memcpy(buf + len, data, size);
	ingest_datagram(in, 0x2c000001, RIP_PORT, buf, len + size, 1000, 1000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kern_config kc = { .rdomain = 44, .tunneldomain = 0 };
	struct mesh_config cfg;
	struct frame_udp u;
	struct policy pol;
	struct ingest in;
	struct mesh *m;
	struct prefix p;
	uint32_t gw;
	const char *why;
	char line[600], err[64];
	void *kctx;

	if (size < 1)
		return 0;
	log_init(1, 0, "fuzz");
	kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	kern_dry_set_output(kctx, NULL);
	mesh_config_init(&cfg);
	cfg.local = 0x171e968d;
	cfg.maxroutes = 256;
	cfg.maxtunnels = 64;
	m = mesh_new(&cfg, &kern_dry_ops, kctx);
	policy_init(&pol);
	pol.ours = cfg.local;
	ingest_init(&in, &pol, m);

	switch (data[0] % 4) {
	case 0:
		ingest_datagram(&in, 0x2c000001, RIP_PORT, data + 1, size - 1,
		    1000, 1000);
		break;
	case 1:
		with_auth(&in, data + 1, size - 1);
		/* Expire everything and reconcile the withdrawal too. */
		mesh_expire(m, 1000 + 100000);
		mesh_reconcile(m, 1000 + 100000);
		break;
	case 2:
		if (size < 2)
			break;
		if (frame_udp(links[data[1] % 5], data + 2, size - 2, &u) ==
		    NULL)
			ingest_datagram(&in, u.src, u.sport, u.payload, u.len,
			    1000, 1000);
		break;
	case 3:
		if (size - 1 >= sizeof(line))
			break;
		memcpy(line, data + 1, size - 1);
		line[size - 1] = '\0';
		if (encap_parse_line(line, &p, &gw, &why) == 1)
			ingest_route(&in, p.addr, p.len, gw, 1000);
		break;
	}
	mesh_free(m);
	kern_dry_ops.close(kctx);
	return 0;
}
