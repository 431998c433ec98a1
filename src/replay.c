/*
 * Replay (-r): the capture read frame by frame (in the network engine,
 * from a descriptor the parent opened), and the same in one process for
 * the tests; the final report.
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "frame.h"
#include "ingest.h"
#include "log.h"
#include "mesh.h"
#include "msg.h"
#include "policy.h"
#include "replay.h"
#include "rip.h"

/* The most timer runs between two packets before time must have moved. */
#define REPLAY_TIMER_ROUNDS	1000

static int
frame_link(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
		return FRAME_LINK_NULL;
	case DLT_EN10MB:
		return FRAME_LINK_ETHERNET;
	case DLT_RAW:
		return FRAME_LINK_RAW;
#ifdef DLT_LOOP
	case DLT_LOOP:
		return FRAME_LINK_LOOP;
#endif
#ifdef DLT_LINUX_SLL
	case DLT_LINUX_SLL:
		return FRAME_LINK_SLL;
#endif
	}
	return -1;
}

/* What the daemon's timer would have done before this packet arrived. */
void
replay_timer_until(struct mesh *m, time_t now)
{
	time_t when;
	int rounds;

	for (rounds = 0; rounds < REPLAY_TIMER_ROUNDS; rounds++) {
		when = mesh_next_event(m);
		if (when == 0 || when > now)
			break;
		mesh_expire(m, when);
		mesh_reconcile(m, when);
		if (mesh_next_event(m) == when)
			break;
	}
}

/* Why a RIP44 datagram of the capture is not amprgw's, or NULL. */
static const char *
untrusted(const struct replay_trust *trust, const struct frame_udp *u)
{
	if (!u->encapsulated)
		return trust->in_tunnel ? NULL : "not inside IPENCAP (a "
		    "capture taken inside the tunnel needs -t)";
	if (u->outer_src != trust->amprgw)
		return "IPENCAP not from amprgw (-G)";
	return NULL;
}

pcap_t *
replay_open(int fd, const char *name, char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	FILE *f;

	if ((f = fdopen(fd, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		close(fd);
		return NULL;
	}
	/* On success the handle owns f. */
	if ((p = pcap_fopen_offline(f, errbuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", name, errbuf);
		fclose(f);
		return NULL;
	}
	if (frame_link(pcap_datalink(p)) == -1) {
		snprintf(err, errlen, "%s: unsupported link type %s", name,
		    pcap_datalink_val_to_name(pcap_datalink(p)) ?
		    pcap_datalink_val_to_name(pcap_datalink(p)) : "unknown");
		pcap_close(p);
		return NULL;
	}
	return p;
}

int
replay_frames(pcap_t *p, const char *name, const struct replay_trust *trust,
    replay_frame_cb cb, void *arg, char *err, size_t errlen)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct frame_udp u;
	const char *skip;
	unsigned long frames = 0;
	int link, rc;

	link = frame_link(pcap_datalink(p));
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		time_t now = hdr->ts.tv_sec;

		frames++;
		skip = frame_udp(link, data, hdr->caplen, &u);
		if (skip == NULL && u.dport != RIP_PORT)
			skip = "not to the RIP port";
		if (skip != NULL) {
			log_debug("frame %lu skipped: %s", frames, skip);
			cb(arg, now, MSG_FRAME_SKIPPED, NULL);
			continue;
		}
		if ((skip = untrusted(trust, &u)) != NULL) {
			log_debug("frame %lu skipped: %s", frames, skip);
			cb(arg, now, MSG_FRAME_UNTRUSTED, NULL);
			continue;
		}
		cb(arg, now, MSG_FRAME_USED, &u);
	}
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", name, pcap_geterr(p));
		return -1;
	}
	return 0;
}

void
replay_count(struct replay_counts *counts, enum msg_frame kind)
{
	counts->frames++;
	if (kind == MSG_FRAME_SKIPPED)
		counts->skipped++;
	else if (kind == MSG_FRAME_UNTRUSTED)
		counts->untrusted++;
}

/* Our public address, when not known, is where amprgw tunnels to. */
int
replay_learns_local(const struct policy *policy, const struct frame_udp *u)
{
	return u->encapsulated && policy->ours == 0;
}

struct in_process {
	struct ingest		*in;
	struct policy		*policy;
	struct replay_counts	*counts;
};

static void
in_process_frame(void *arg, time_t now, enum msg_frame kind,
    const struct frame_udp *u)
{
	struct in_process *ip = arg;
	char addr[ADDR_STRLEN];

	replay_count(ip->counts, kind);
	replay_timer_until(ip->in->mesh, now);
	if (u == NULL)
		return;
	if (replay_learns_local(ip->policy, u)) {
		ip->policy->ours = u->outer_dst;
		mesh_set_local(ip->in->mesh, u->outer_dst);
		log_info("our public address, from the capture: %s",
		    fmt_addr(u->outer_dst, addr));
	}
	ingest_datagram(ip->in, u->src, u->sport, u->payload, u->len, now,
	    now);
}

int
replay_run(const char *path, const struct replay_trust *trust,
    struct ingest *in, struct policy *policy, struct replay_counts *counts,
    char *err, size_t errlen)
{
	struct in_process ip = { in, policy, counts };
	pcap_t *p;
	int fd, rc;

	memset(counts, 0, sizeof(*counts));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((p = replay_open(fd, path, err, errlen)) == NULL)
		return -1;
	rc = replay_frames(p, path, trust, in_process_frame, &ip, err, errlen);
	pcap_close(p);
	return rc;
}

static void
report_route(void *arg, const struct mesh_route_view *v)
{
	FILE *out = arg;
	char prefix[PREFIX_STRLEN], gw[ADDR_STRLEN];

	fprintf(out, "route %s via %s gif%d%s\n",
	    fmt_prefix(v->addr, v->len, prefix), fmt_addr(v->gateway, gw),
	    v->unit, v->installed ? "" : " (pending)");
}

void
replay_report(FILE *out, const struct ingest *in)
{
	struct mesh_feed_view feed;
	struct mesh_stats st;
	char since[32] = "";
	struct tm tm;

	mesh_foreach(in->mesh, report_route, out);
	mesh_get_stats(in->mesh, &st);
	mesh_get_feed(in->mesh, &feed);
	/* Packet time: the same in any time zone. */
	if (feed.quiet && (gmtime_r(&feed.since, &tm) == NULL ||
	    strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0))
		snprintf(since, sizeof(since), "%lld", (long long)feed.since);
	fprintf(out, "%zu routes, %zu tunnels, %lu kernel operations, "
	    "%lu packets (%lu refused)%s%s\n", st.routes, st.tunnels,
	    st.kernel_ops, in->datagrams, in->refused,
	    feed.quiet ? ", feed quiet since " : "", since);
	fflush(out);
}
