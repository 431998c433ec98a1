/*
 * The command line, 44ripd's letters and ours:
 * 44meshd [-dnStUv] [-A address] [-a cidr] [-C path] [-c path]
 *	[-D rdomain] [-f encapfile] [-G address] [-g address] [-I cidr] [-i address] [-K count]
 *	[-k count] [-L address] [-l address] [-M length] [-m mtu]
 *	[-N count] [-P pidfile] [-p password] [-R priority] [-r pcapfile]
 *	[-s unit] [-T rdomain] [-u user] [-w group] [-X seconds]
 *	[-x seconds]
 * Parsing is pure (no exit, no output) so every fault is tested.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "mesh.h"
#include "policy.h"

#define OPTIONS_MAX_RESERVED	256
#define OPTIONS_MAX_HARDEXPIRY	315360000	/* -X: ten years */
#define OPTIONS_DEFAULT_PIDFILE	"/var/run/44meshd.pid"
#define OPTIONS_DEFAULT_CTLSOCK	"/var/run/44meshd.sock"
#define OPTIONS_DEFAULT_USER	"_44meshd"	/* the network engine's */
#define OPTIONS_USAGE	"usage: 44meshd [-dnStUv] [-A address] [-a cidr] " \
	"[-C path] [-c path]\n" \
	"               [-D rdomain] [-f encapfile] " \
	"[-G address] [-g address]\n" \
	"               [-I cidr] [-i address] [-K count] " \
	"[-k count] [-L address]\n" \
	"               [-l address] [-M length] [-m mtu] [-N count] " \
	"[-P pidfile]\n" \
	"               [-p password] [-R priority] [-r pcapfile] [-s unit]\n" \
	"               [-T rdomain] [-u user] [-w group] [-X seconds] " \
	"[-x seconds]"

struct options {
	int			 foreground;	/* -d */
	int			 dryrun;	/* -n */
	int			 verbose;	/* -v, repeatable */
	const char		*encapfile;	/* -f */
	const char		*replayfile;	/* -r */
	const char		*pidfile;	/* -P, else the default */
	int			 pidfile_set;	/* -P given */
	const char		*ctlsock;	/* -c, else the default */
	const char		*ctlsock_ro;	/* -C: read-only; NULL none */
	const char		*ctlgroup;	/* -w; NULL: the platform's */
	const char		*user;		/* -u: the engine's user */
	uint32_t		 join;		/* -i; 0: every interface */
	uint32_t		 amprgw;	/* -G: amprgw's tunnel address */
	int			 unsafe;	/* -U: RIP from any interface */
	int			 in_tunnel;	/* -t: capture from the tunnel */
	int			 local_set;	/* -L given */
	int			 addr44_set;	/* -l given */
	int			 reserved[OPTIONS_MAX_RESERVED];	/* -s */
	int			 nreserved;
	int			 route_priority;	/* -R; 0: default */
	struct policy		 policy;	/* -a -I -g -p, -L -A as ours */
	struct mesh_config	 mesh;		/* -D -T -L -l -m -x -X */
};

/*
 * Fills opts from argv (argv[0] is the program), then checks the flags
 * against each other and against what can never be right (-L, -g not
 * unicast, -l outside 44/8).  Returns 0, or -1 with a one-line message
 * naming the flag and the value in err.
 */
int	options_parse(int argc, char *const argv[], struct options *opts,
	    char *err, size_t errlen);

#endif /* OPTIONS_H */
