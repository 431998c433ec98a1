#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen.h"
#include "options.h"

/* Flags that take a value; the others are -d, -n, -t, -U and -v. */
#define OPTS_WITH_VALUE	"AaDfGgIiLlprsTXx"

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
		if (flag == 'G') {
			/* A tunnel needs a unicast remote. */
			if (a == 0 || a == 0xffffffffU ||
			    (a & 0xf0000000U) >= 0xe0000000U)
				return fail(err, errlen, flag, v,
				    "not a unicast address");
			o->amprgw = a;
		} else if (flag == 'A')
			o->policy.advertised = a;
		else if (flag == 'g')
			o->policy.source = a;
		else if (flag == 'i')
			o->join = a;
		else if (flag == 'L') {
			o->mesh.local = o->policy.ours = a;
			o->local_set = 1;
		} else {
			o->mesh.addr44 = a;
			o->addr44_set = 1;
		}
		break;
	case 'p':
		if (strlen(v) > RIP_PASSWORD_LEN)
			return fail(err, errlen, flag, v,
			    "password longer than 16 characters");
		memset(o->policy.password, 0, sizeof(o->policy.password));
		memcpy(o->policy.password, v, strlen(v));
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
	const char *arg, *value;
	int i;

	memset(o, 0, sizeof(*o));
	policy_init(&o->policy);
	mesh_config_init(&o->mesh);
	o->amprgw = LISTEN_DEFAULT_AMPRGW;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		for (arg++; *arg != '\0'; arg++) {
			if (*arg == 'd')
				o->foreground = 1;
			else if (*arg == 'n')
				o->dryrun = 1;
			else if (*arg == 't')
				o->in_tunnel = 1;
			else if (*arg == 'U')
				o->unsafe = 1;
			else if (*arg == 'v')
				o->verbose++;
			else if (strchr(OPTS_WITH_VALUE, *arg) != NULL) {
				/* The value is the rest of this word, or the
				 * next one. */
				if (arg[1] != '\0')
					value = arg + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else {
					snprintf(err, errlen,
					    "-%c: missing value", *arg);
					return -1;
				}
				if (apply(o, *arg, value, err, errlen) == -1)
					return -1;
				break;
			} else {
				snprintf(err, errlen, "-%c: unknown flag",
				    isprint((unsigned char)*arg) ? *arg : '?');
				return -1;
			}
		}
	}
	if (i < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"", argv[i]);
		return -1;
	}
	/* Either order on the command line; a shorter -X would hide -x. */
	if (o->mesh.hardexpiry < o->mesh.expiry) {
		snprintf(err, errlen, "-X: %lld seconds is shorter than -x "
		    "(%lld)", (long long)o->mesh.hardexpiry,
		    (long long)o->mesh.expiry);
		return -1;
	}
	return 0;
}
