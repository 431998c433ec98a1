/*
 * 44meshctl's command words: show summary | routes [prefix | address] |
 * tunnels [gateway] | refusals | metrics; monitor; reload; log verbose |
 * brief.  Pure: no output, every fault a message.
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "ctl.h"

static int
parse_show(int argc, char *const argv[], struct ctl_command *cmd, char *err,
    size_t errlen)
{
	struct ctl_request	*q = &cmd->req;
	struct prefix		 p;
	const char		*what = argc > 0 ? argv[0] : "summary";
	int			 maxargs = 1;

	if (strcmp(what, "summary") == 0) {
		cmd->show = CTL_SHOW_SUMMARY;
		q->type = CTL_REQ_SUMMARY;
	} else if (strcmp(what, "routes") == 0) {
		cmd->show = CTL_SHOW_ROUTES;
		q->type = CTL_REQ_ROUTES;
		maxargs = 2;
	} else if (strcmp(what, "tunnels") == 0) {
		cmd->show = CTL_SHOW_TUNNELS;
		q->type = CTL_REQ_TUNNELS;
		maxargs = 2;
	} else if (strcmp(what, "refusals") == 0) {
		cmd->show = CTL_SHOW_REFUSALS;
		q->type = CTL_REQ_REFUSALS;
	} else if (strcmp(what, "metrics") == 0) {
		cmd->show = CTL_SHOW_METRICS;
		q->type = CTL_REQ_SUMMARY;
	} else {
		snprintf(err, errlen, "show %s: not summary, routes, tunnels, "
		    "refusals or metrics", what);
		return -1;
	}
	if (argc > maxargs) {
		snprintf(err, errlen, "show %s: too many arguments (%s)",
		    what, argv[maxargs]);
		return -1;
	}
	if (argc < 2)
		return 0;
	if (cmd->show == CTL_SHOW_TUNNELS) {
		if (parse_addr(argv[1], &q->addr) == -1 || q->addr == 0) {
			snprintf(err, errlen, "show tunnels %s: not a gateway "
			    "address", argv[1]);
			return -1;
		}
		q->select = CTL_SEL_GATEWAY;
		return 0;
	}
	if (strchr(argv[1], '/') != NULL) {
		if (parse_prefix(argv[1], 0, &p, NULL) == -1) {
			snprintf(err, errlen, "show routes %s: not a prefix "
			    "(a.b.c.d/n, no host bits)", argv[1]);
			return -1;
		}
		q->select = CTL_SEL_PREFIX;
		q->addr = p.addr;
		q->len = p.len;
		return 0;
	}
	if (parse_addr(argv[1], &q->addr) == -1) {
		snprintf(err, errlen, "show routes %s: not an address or "
		    "prefix", argv[1]);
		return -1;
	}
	q->select = CTL_SEL_ADDRESS;
	q->len = 32;
	return 0;
}

int
ctl_parse(int argc, char *const argv[], struct ctl_command *cmd, char *err,
    size_t errlen)
{
	struct ctl_request	*q = &cmd->req;

	memset(cmd, 0, sizeof(*cmd));
	q->version = CTL_VERSION;
	cmd->show = CTL_SHOW_NONE;
	if (argc < 1) {
		snprintf(err, errlen, "no command given");
		return -1;
	}
	if (strcmp(argv[0], "show") == 0)
		return parse_show(argc - 1, argv + 1, cmd, err, errlen);
	if (strcmp(argv[0], "log") == 0) {
		q->type = CTL_REQ_LOG;
		if (argc == 2 && strcmp(argv[1], "verbose") == 0)
			q->level = CTL_LOG_VERBOSE;
		else if (argc == 2 && strcmp(argv[1], "brief") == 0)
			q->level = CTL_LOG_BRIEF;
		else {
			snprintf(err, errlen, "log: give verbose or brief");
			return -1;
		}
		return 0;
	}
	if (strcmp(argv[0], "monitor") == 0)
		q->type = CTL_REQ_MONITOR;
	else if (strcmp(argv[0], "reload") == 0)
		q->type = CTL_REQ_RELOAD;
	else {
		snprintf(err, errlen, "%s: unknown command", argv[0]);
		return -1;
	}
	if (argc > 1) {
		snprintf(err, errlen, "%s: takes no argument (%s)", argv[0],
		    argv[1]);
		return -1;
	}
	return 0;
}
