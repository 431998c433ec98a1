/*
 * 44meshd: keeps an AMPRNet IPENCAP mesh in step with the RIP44
 * broadcasts.  main() parses the command line and hands over to replay
 * (-r) or to the daemon.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "parent.h"
#include "ingest.h"
#include "kern.h"
#include "kern_dry.h"
#include "log.h"
#include "mesh.h"
#include "options.h"
#include "replay.h"

static __attribute__((__noreturn__)) void
usage_error(const char *msg)
{
	fprintf(stderr, "44meshd: %s\n%s\n", msg, OPTIONS_USAGE);
	exit(1);
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
	struct replay_trust trust = { o->amprgw, o->in_tunnel };
	struct replay_counts counts;
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
	rc = replay_run(o->replayfile, &trust, &in, &o->policy, &counts, err,
	    sizeof(err));
	if (rc == -1)
		log_warnx("%s", err);
	else
		log_info("%lu frames, %lu skipped as not RIP44, %lu as not "
		    "from amprgw", counts.frames, counts.skipped,
		    counts.untrusted);
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
