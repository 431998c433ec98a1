#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen.h"
#include "options.h"
#include "rtmsg.h"

/*
 * getopt(3)'s letters: "+" stops at the first operand (no GNU
 * permutation), ":" makes a missing value a ':' rather than a message.
 */
#define OPTS_LETTERS	"+:A:a:C:c:D:df:G:g:I:i:K:k:L:l:M:m:N:nP:p:R:r:" \
			"Ss:T:tUu:vw:X:x:"
/* Enough for any real table many times over; the caps say how many. */
#define OPTS_MAX_COUNT	1000000

/* Neither 0/8, 127/8, multicast nor 240/4 (which holds the broadcast). */
static int
unicast(uint32_t a)
{
	uint8_t	first = a >> 24;

	return first != 0 && first != 127 && first < 224;
}

static int
fail(char *err, size_t errlen, char flag, const char *value,
    const char *what)
{
	snprintf(err, errlen, "-%c: %s \"%s\"", flag, what, value);
	return -1;
}

static int
apply(struct options *o, char flag, const char *v, char *err, size_t errlen)
{
	struct prefix p;
	uint32_t a;
	unsigned long n;

	switch (flag) {
	case 'a':
	case 'I':
		if (parse_prefix(v, 0, &p, NULL) == -1)
			return fail(err, errlen, flag, v,
			    "bad prefix (a.b.c.d/n, n 0..32, no host bits)");
		/* Accepting all of a /0../7 would take routes for the world. */
		if (flag == 'a' && p.len < 8)
			return fail(err, errlen, flag, v,
			    "prefix shorter than /8");
		if ((flag == 'a' ? policy_add_accept(&o->policy, p) :
		    policy_add_ignore(&o->policy, p)) == -1)
			return fail(err, errlen, flag, v, "too many prefixes at");
		break;
	case 'D':
	case 'T':
		if (parse_uint(v, 255, &n) == -1)
			return fail(err, errlen, flag, v,
			    "bad routing domain (0..255)");
		if (flag == 'D')
			o->mesh.rdomain = (int)n;
		else
			o->mesh.tunneldomain = (int)n;
		break;
	case 'f':
	case 'r':
		if (*v == '\0')
			return fail(err, errlen, flag, v, "empty file name");
		if (flag == 'f')
			o->encapfile = v;
		else
			o->replayfile = v;
		break;
	case 'A':
	case 'G':
	case 'g':
	case 'i':
	case 'L':
	case 'l':
		if (parse_addr(v, &a) == -1)
			return fail(err, errlen, flag, v,
			    "bad address (dotted quad)");
		/* A tunnel needs a unicast remote, a datagram a source. */
		if ((flag == 'G' || flag == 'g' || flag == 'L') && !unicast(a))
			return fail(err, errlen, flag, v,
			    "not a unicast address");
		if (flag == 'l' && (a >> 24) != 44)
			return fail(err, errlen, flag, v,
			    "not inside 44.0.0.0/8");
		if (flag == 'G')
			o->amprgw = a;
		else if (flag == 'A')
			o->policy.advertised = a;
		else if (flag == 'g')
			o->policy.source = a;
		else if (flag == 'i')
			o->join = a;
		else if (flag == 'L') {
			o->mesh.local = o->policy.ours = a;
			o->local_set = 1;
		} else {
			o->mesh.addr44 = o->policy.addr44 = a;
			o->addr44_set = 1;
		}
		break;
	case 'K':
	case 'k':
	case 'N':
		if (parse_uint(v, OPTS_MAX_COUNT, &n) == -1 || n == 0)
			return fail(err, errlen, flag, v,
			    "bad count (1..1000000)");
		if (flag == 'K')
			o->mesh.maxtunnels = n;
		else if (flag == 'k')
			o->mesh.maxnewtunnels = n;
		else
			o->mesh.maxroutes = n;
		break;
	case 'M':
		if (parse_uint(v, 32, &n) == -1 || n < 8)
			return fail(err, errlen, flag, v,
			    "bad prefix length (8..32)");
		o->policy.minlen = (int)n;
		break;
	case 'm':
		if (parse_uint(v, MESH_MTU_MAX, &n) == -1 ||
		    n < MESH_MTU_MIN)
			return fail(err, errlen, flag, v,
			    "bad tunnel MTU (1280..8192)");
		o->mesh.mtu = (int)n;
		break;
	case 'C':
	case 'c':
		if (*v == '\0')
			return fail(err, errlen, flag, v, "empty socket path");
		/* bind(2) takes no longer name. */
		if (strlen(v) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return fail(err, errlen, flag, v, "socket path too long");
		if (flag == 'c')
			o->ctlsock = v;
		else
			o->ctlsock_ro = v;
		break;
	case 'P':
		if (*v == '\0')
			return fail(err, errlen, flag, v, "empty file name");
		o->pidfile = v;
		o->pidfile_set = 1;
		break;
	case 'u':
	case 'w':
		if (*v == '\0')
			return fail(err, errlen, flag, v, flag == 'u' ?
			    "empty user name" : "empty group name");
		if (flag == 'u')
			o->user = v;
		else
			o->ctlgroup = v;
		break;
	case 'p':
		if (strlen(v) > RIP_PASSWORD_LEN)
			return fail(err, errlen, flag, v,
			    "password longer than 16 characters");
		memset(o->policy.password, 0, sizeof(o->policy.password));
		memcpy(o->policy.password, v, strlen(v));
		break;
	case 'R':
		if (parse_uint(v, RTMSG_RTP_MAX, &n) == -1 ||
		    !rtmsg_priority_ok((int)n))
			return fail(err, errlen, flag, v, "bad route priority "
			    "(2..63, not 4, 8 or 56)");
		o->route_priority = (int)n;
		break;
	case 's':
		if (parse_uint(v, MESH_MAX_UNIT, &n) == -1)
			return fail(err, errlen, flag, v,
			    "bad gif unit (0..65535)");
		if (o->nreserved == OPTIONS_MAX_RESERVED)
			return fail(err, errlen, flag, v, "too many units at");
		o->reserved[o->nreserved++] = (int)n;
		break;
	case 'x':
		if (parse_uint(v, 604800, &n) == -1 || n == 0)
			return fail(err, errlen, flag, v,
			    "bad expiry (1..604800 seconds)");
		o->mesh.expiry = (time_t)n;
		break;
	case 'X':
		if (parse_uint(v, OPTIONS_MAX_HARDEXPIRY, &n) == -1 || n == 0)
			return fail(err, errlen, flag, v,
			    "bad hard expiry (1..315360000 seconds)");
		o->mesh.hardexpiry = (time_t)n;
		break;
	}
	return 0;
}

int
options_parse(int argc, char *const argv[], struct options *o, char *err,
    size_t errlen)
{
	int ch;

	memset(o, 0, sizeof(*o));
	policy_init(&o->policy);
	mesh_config_init(&o->mesh);
	o->pidfile = OPTIONS_DEFAULT_PIDFILE;
	o->ctlsock = OPTIONS_DEFAULT_CTLSOCK;
	o->user = OPTIONS_DEFAULT_USER;
	o->amprgw = LISTEN_DEFAULT_AMPRGW;
	/* Parsing is repeatable (the tests parse many command lines). */
#ifdef __OpenBSD__
	optreset = 1;
	optind = 1;
#else
	optind = 0;	/* glibc: start afresh */
#endif
	opterr = 0;
	while ((ch = getopt(argc, argv, OPTS_LETTERS)) != -1) {
		switch (ch) {
		case 'd':
			o->foreground = 1;
			break;
		case 'n':
			o->dryrun = 1;
			break;
		case 'S':
			o->policy.more_specific_ok = 1;
			break;
		case 't':
			o->in_tunnel = 1;
			break;
		case 'U':
			o->unsafe = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case ':':
			snprintf(err, errlen, "-%c: missing value", optopt);
			return -1;
		case '?':
			snprintf(err, errlen, "-%c: unknown flag",
			    isprint(optopt) ? optopt : '?');
			return -1;
		default:
			if (apply(o, ch, optarg, err, errlen) == -1)
				return -1;
			break;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"",
		    argv[optind]);
		return -1;
	}
	/* Tunnels in the routes' domain: a 44 endpoint recurses. */
	o->policy.one_domain = o->mesh.rdomain == o->mesh.tunneldomain;
	/* Either order on the command line; a shorter -X would hide -x. */
	if (o->mesh.hardexpiry < o->mesh.expiry) {
		snprintf(err, errlen, "-X: %lld seconds is shorter than -x "
		    "(%lld)", (long long)o->mesh.hardexpiry,
		    (long long)o->mesh.expiry);
		return -1;
	}
	return 0;
}
