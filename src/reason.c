/*
 * Names of the refusal reasons, as they appear in logs and the status
 * report.
 */
#include <stddef.h>

#include "reason.h"

/*
 * Indexed by the enum, so a reason added to reason.h without a name here
 * shows up as NULL and the test of every name fails.
 */
static const char *const reason_names[R_NREASONS] = {
	[R_NONE] =		"accepted",
	[R_SOURCE] =		"source address not the RIP source",
	[R_SOURCE_PORT] =	"source port not 520",
	[R_SHORT] =		"shorter than header and one entry",
	[R_LENGTH] =		"length not a whole number of entries",
	[R_TOOMANY] =		"more than 25 entries",
	[R_COMMAND] =		"command not response",
	[R_VERSION] =		"version not 2",
	[R_NOAUTH] =		"no authentication entry",
	[R_AUTHTYPE] =		"authentication not plain text",
	[R_PASSWORD] =		"wrong password",
	[R_FAMILY] =		"address family not inet",
	[R_NETMASK] =		"netmask not contiguous",
	[R_METRIC] =		"metric out of range",
	[R_OUTSIDE] =		"prefix outside accepted space",
	[R_IGNORED] =		"prefix ignored",
	[R_OURS] =		"our own subnet",
	[R_LOOP] =		"next hop inside advertised prefix",
	[R_NEXTHOP] =		"next hop not usable unicast",
	[R_PREFIXLEN] =		"prefix shorter than the minimum",
	[R_AGGREGATE] =		"prefix is a whole accepted aggregate",
	[R_SOURCE_ROUTE] =	"prefix holds the RIP source",
	[R_CONNECTED] =		"prefix holds our own 44 subnet or address",
	[R_MORE_SPECIFIC] =	"prefix inside our own 44 subnet",
	[R_NEXTHOP_PRIVATE] =	"next hop private, CGNAT or link-local",
	[R_NEXTHOP_OURS44] =	"next hop is our own 44 address",
	[R_NEXTHOP_SOURCE] =	"next hop is the RIP source",
	[R_NEXTHOP_RECURSIVE] =	"next hop in 44/8 with one domain",
	[R_ROUTECAP] =		"route table full",
	[R_TUNNELCAP] =		"tunnel table full",
	[R_TUNNELRATE] =	"too many new tunnels at once",
};

const char *
reason_name(enum reason r)
{
	if ((unsigned int)r >= R_NREASONS || reason_names[r] == NULL)
		return "unknown reason";
	return reason_names[r];
}

int
reason_is_datagram(enum reason r)
{
	switch (r) {
	case R_SOURCE:
	case R_SOURCE_PORT:
	case R_SHORT:
	case R_LENGTH:
	case R_TOOMANY:
	case R_COMMAND:
	case R_VERSION:
	case R_NOAUTH:
	case R_AUTHTYPE:
	case R_PASSWORD:
		return 1;
	default:
		return 0;
	}
}
