/*
 * 44meshd: keeps an AMPRNet IPENCAP mesh in step with the RIP44
 * broadcasts.  main() parses the command line and hands over to replay
 * (-r: the parent here, the capture read by a network engine) or to the
 * daemon.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "ingest.h"
#include "kern.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "msg.h"
#include "options.h"
#include "parent.h"
#include "replay.h"
#include "sandbox.h"

static __attribute__((__noreturn__)) void
usage_error(const char *msg)
{
	fprintf(stderr, "44meshd: %s\n%s\n", msg, OPTIONS_USAGE);
	exit(1);
}

struct replay_parent {
	struct mesh		*mesh;
	struct replay_counts	 counts;
};

static void
replay_frame(void *arg, time_t now, enum msg_frame kind)
{
	struct replay_parent	*rp = arg;

	replay_count(&rp->counts, kind);
	replay_timer_until(rp->mesh, now);
}

/*
 * The engine reads the capture the parent opened and tells each frame;
 * the parent decides again, as live.  0 when the whole capture was read
 * and every record was good.
 */
static int
replay_records(struct options *o, struct ingest *in, const char *path)
{
	struct replay_trust	 trust = { o->amprgw, o->in_tunnel };
	struct replay_parent	 rp;
	struct engine_config	 ec;
	struct msg_parent	 mp;
	struct sandbox		 sb;
	struct pollfd		 pfd;
	char			 err[256], how[128];
	pid_t			 pid;
	int			 capture, fd, more, rc = 0, status;

	memset(&sb, 0, sizeof(sb));
	sb.user = o->user;
	if (sandbox_prepare(&sb, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	if ((capture = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("%s", path);
		return -1;
	}
	/* Opened first: the parent names no file after this. */
	if (sandbox_parent(&sb, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		close(capture);
		return -1;
	}
	memset(&ec, 0, sizeof(ec));
	ec.sandbox = &sb;
	ec.policy = &o->policy;
	ec.foreground = 1;
	ec.verbose = o->verbose;
	ec.capture = capture;
	ec.capture_name = path;
	ec.trust = &trust;
	pid = engine_start(&ec, &fd);
	close(capture);
	if (pid == -1) {
		log_warn("starting the network engine");
		return -1;
	}
	memset(&rp, 0, sizeof(rp));
	rp.mesh = in->mesh;
	memset(&mp, 0, sizeof(mp));
	mp.in = in;
	mp.policy = &o->policy;
	mp.trust = &trust;
	mp.frame = replay_frame;
	mp.frame_arg = &rp;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		rc = msg_parent_read(&mp, fd, MSG_DRAIN_MAX, 0, 0, &more);
		if (rc >= 0)
			continue;
		if (rc == MSG_READ_BAD) {
			log_warnx("network engine sent a bad record: %s",
			    mp.why);
			sandbox_signal(&sb, pid, SIGKILL);
		} else if (rc == MSG_READ_ERROR)
			log_warn("reading the network engine");
		break;
	}
	close(fd);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			fatal("waitpid");
	if (rc == MSG_READ_END && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0) {
		log_info("%lu frames, %lu skipped as not RIP44, %lu as not "
		    "from amprgw", rp.counts.frames, rp.counts.skipped,
		    rp.counts.untrusted);
		return 0;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
		log_warnx("network engine %s",
		    engine_ended(status, how, sizeof(how)));
	return -1;
}

/*
 * Replay a capture: into the dry-run backend with -n, else into the
 * kernel (as the daemon would have done, adopting what exists first).
 */
static int
replay(struct options *o)
{
	const struct kern_ops *kern = o->dryrun ? &kern_dry_ops : &kern_sys_ops;
	struct kern_config kc = { .rdomain = o->mesh.rdomain,
	    .tunneldomain = o->mesh.tunneldomain };
	struct ingest in;
	struct mesh *m;
	char err[256];
	void *kctx;
	int i, rc;

	if ((kctx = kern->open(&kc, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	o->mesh.log_ops = !o->dryrun;
	if ((m = mesh_new(&o->mesh, kern, kctx)) == NULL)
		fatal("mesh");
	for (i = 0; i < o->nreserved; i++)
		mesh_reserve(m, o->reserved[i]);
	if (!o->dryrun)
		mesh_adopt(m, 0);
	ingest_init(&in, &o->policy, m);
	rc = replay_records(o, &in, o->replayfile);
	replay_report(stdout, &in);
	mesh_free(m);
	kern->close(kctx);
	return rc == -1 ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	struct options o;
	char err[256];

	if (options_parse(argc, argv, &o, err, sizeof(err)) == -1)
		usage_error(err);
	if (!o.dryrun && geteuid() != 0) {
		fprintf(stderr, "44meshd: must run as root to change tunnels "
		    "and routes (or use -n)\n");
		return 1;
	}
	if (o.replayfile != NULL) {
		log_init(1, o.verbose, "44meshd");
		return replay(&o);
	}
	return parent_run(&o);
}
