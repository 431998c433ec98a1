/*
 * libFuzzer target: the parent's reading of the network engine's records
 * (msg_parent_record()), the one place a taken-over engine can reach.
 * The first byte picks live (even) or replay (odd); the rest is cut into
 * records of struct msg_record's size, the last one short.  Each input
 * gets fresh tables on the dry-run backend's kernel model, and a record
 * that asks for a restart must not have changed them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "kern_dry.h"
#include "listen.h"
#include "log.h"
#include "mcast.h"
#include "mesh.h"
#include "msg.h"
#include "policy.h"
#include "replay.h"

#define NOW		5000
#define AMPRGW		0xa9e42254U	/* 169.228.34.84 */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
frame(void *arg, time_t now, enum msg_frame kind)
{
	(void)kind;
	replay_timer_until(arg, now);
}

static void
add_iface(struct mcast_list *l, int index, int tunnel, uint32_t remote)
{
	struct mcast_iface	i;

	memset(&i, 0, sizeof(i));
	i.index = index;
	i.tunnel = tunnel;
	i.remote = remote;
	if (mcast_list_add_iface(l, &i) == -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kern_config	 kc = { .rdomain = 44, .tunneldomain = 0 };
	struct replay_trust	 trust = { AMPRGW, 0 };
	struct mesh_config	 cfg;
	struct listen_config	 lc;
	struct mcast_list	 ifaces;
	struct mesh_stats	 before, after;
	struct msg_parent	 p;
	struct policy		 pol;
	struct ingest		 in;
	struct mesh		*m;
	char			 err[64];
	void			*kctx;
	size_t			 off, n;

	if (size < 1)
		return 0;
	log_init(1, 0, "fuzz_records");
	kctx = kern_dry_ops.open(&kc, err, sizeof(err));
	kern_dry_set_output(kctx, NULL);
	kern_dry_set_model(kctx, 1);
	mesh_config_init(&cfg);
	cfg.local = 0x171e968dU;
	cfg.maxroutes = 64;
	cfg.maxtunnels = 16;
	m = mesh_new(&cfg, &kern_dry_ops, kctx);
	policy_init(&pol);
	pol.ours = cfg.local;
	ingest_init(&in, &pol, m);
	memset(&lc, 0, sizeof(lc));
	lc.amprgw = AMPRGW;
	memset(&ifaces, 0, sizeof(ifaces));
	add_iface(&ifaces, 1, 1, AMPRGW);
	add_iface(&ifaces, 2, 1, 0);
	add_iface(&ifaces, 3, 0, 0);
	listen_sort_list(&ifaces);
	memset(&p, 0, sizeof(p));
	p.in = &in;
	p.policy = &pol;
	p.gen = 3;
	if (data[0] & 1) {
		p.trust = &trust;
		p.frame = frame;
		p.frame_arg = m;
	} else {
		p.arrival = &lc;
		p.ifaces = &ifaces;
	}
	for (off = 1; off < size; off += n) {
		n = size - off < sizeof(struct msg_record) ? size - off :
		    sizeof(struct msg_record);
		mesh_get_stats(m, &before);
		if (msg_parent_record(&p, data + off, n, NOW, NOW) ==
		    MSG_OK)
			continue;
		/* Refused: nothing may have reached the kernel. */
		mesh_get_stats(m, &after);
		if (after.kernel_ops != before.kernel_ops ||
		    after.routes != before.routes)
			abort();
	}
	mcast_list_free(&ifaces);
	mesh_free(m);
	kern_dry_ops.close(kctx);
	return 0;
}
