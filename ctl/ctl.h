/*
 * 44meshctl: the command line (parse.c), the replies gathered and checked
 * (reply.c) and printed as columns, JSON or Prometheus text (output.c).
 * The wire protocol is the daemon's own (src/ctl_proto.h).
 */
#ifndef CTL_H
#define CTL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "ctl_proto.h"

#define CTL_DEFAULT_SOCKET	"/var/run/44meshd.sock"
#define CTL_USAGE	"usage: 44meshctl [-j] [-s socket] command [argument]"

enum ctl_show {
	CTL_SHOW_NONE,		/* not a show command */
	CTL_SHOW_SUMMARY,
	CTL_SHOW_ROUTES,
	CTL_SHOW_TUNNELS,
	CTL_SHOW_REFUSALS,
	CTL_SHOW_METRICS
};

struct ctl_command {
	struct ctl_request	req;
	enum ctl_show		show;
};

/*
 * The words after the flags ("show routes 44.1.2.3") as one request.
 * 0, or -1 with a one-line message in err.
 */
int	ctl_parse(int argc, char *const argv[], struct ctl_command *,
	    char *err, size_t errlen);

/* Everything a show reply held, in the order it came. */
struct ctl_result {
	int			 have_summary;
	struct ctl_summary	 summary;
	struct ctl_counter	*counters;
	size_t			 ncounters;
	struct ctl_route	*routes;
	size_t			 nroutes;
	struct ctl_tunnel	*tunnels;
	size_t			 ntunnels;
	struct ctl_refusal	*refusals;
	size_t			 nrefusals;
};

/*
 * One received record checked: header, size for its type, strings
 * NUL-terminated.  Its type, or -1 with the reason in why.
 */
int	ctl_check_reply(const void *buf, size_t len, char *why,
	    size_t whylen);
/* Keeps a checked data record.  0, or -1 when memory is out. */
int	ctl_result_add(struct ctl_result *, const void *buf, int type);
void	ctl_result_free(struct ctl_result *);

/* A show reply printed: plain columns, or JSON with json set. */
void	ctl_print(FILE *, enum ctl_show, struct ctl_result *, int json);
/* One monitor event as one line; now formats its time (local). */
void	ctl_print_event(FILE *, const struct ctl_event *);
/* A string as a JSON string, quotes included. */
void	ctl_json_string(FILE *, const char *);

#endif /* CTL_H */
