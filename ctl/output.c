/*
 * 44meshctl's output: aligned columns under a header line (as bgpctl
 * prints), JSON (-j: one object, the fields 44meshctl(8) lists), the
 * Prometheus text exposition format (show metrics), monitor lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "ctl.h"

#define AGE_STRLEN	32
#define TIME_STRLEN	32
#define TUNNEL_STRLEN	16
#define STATE_STRLEN	48
#define METRIC		"meshd44_"

/* "00:05:12", "3d04h05m", or "never" for -1. */
static const char *
fmt_age(int64_t s, char *buf)
{
	if (s < 0)
		snprintf(buf, AGE_STRLEN, "never");
	else if (s < 86400)
		snprintf(buf, AGE_STRLEN, "%02d:%02d:%02d", (int)(s / 3600),
		    (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(buf, AGE_STRLEN, "%" PRId64 "d%02dh%02dm", s / 86400,
		    (int)(s / 3600 % 24), (int)(s / 60 % 60));
	return buf;
}

/* Local time, "2026-12-07 22:55:01"; "never" for 0. */
static const char *
fmt_time(int64_t when, char *buf)
{
	struct tm	tm;
	time_t		t = (time_t)when;

	if (when == 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, TIME_STRLEN, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, TIME_STRLEN, "%s", when == 0 ? "never" : "?");
	return buf;
}

static const char *
fmt_unit(int32_t unit, char *buf)
{
	if (unit < 0)
		snprintf(buf, TUNNEL_STRLEN, "-");
	else
		snprintf(buf, TUNNEL_STRLEN, "gif%d", (int)unit);
	return buf;
}

/* A refusal's or event's prefix: a prefix, a bad netmask, or "-". */
static const char *
fmt_refused(uint32_t addr, int32_t len, uint32_t mask, char *buf,
    size_t size)
{
	char	a[ADDR_STRLEN], m[ADDR_STRLEN];

	if (len >= 0 && len <= 32)
		fmt_prefix(addr, len, buf);
	else if (len == CTL_LEN_NOMASK)
		snprintf(buf, size, "%s mask %s", fmt_addr(addr, a),
		    fmt_addr(mask, m));
	else
		snprintf(buf, size, "-");
	return buf;
}

static const char *
route_state(const struct ctl_route *r)
{
	return (r->flags & CTL_ROUTE_INSTALLED) ? "installed" : "pending";
}

/* "installed", "pending", "broken", and ",reserved" or ",pinned". */
static const char *
tunnel_state(const struct ctl_tunnel *t, char *buf)
{
	const char	*s;

	if (t->flags & CTL_TUN_BROKEN)
		s = "broken";
	else if ((t->flags & CTL_TUN_INSTALLED) &&
	    !(t->flags & CTL_TUN_PENDING))
		s = "installed";
	else
		s = "pending";
	snprintf(buf, STATE_STRLEN, "%s%s%s", s,
	    (t->flags & CTL_TUN_RESERVED) ? ",reserved" : "",
	    (t->flags & CTL_TUN_PINNED) ? ",pinned" : "");
	return buf;
}

static const char *
counter_kind(uint32_t kind)
{
	switch (kind) {
	case CTL_COUNT_DATAGRAM:
		return "datagram";
	case CTL_COUNT_ENTRY:
		return "entry";
	case CTL_COUNT_LISTENER:
		return "listener";
	}
	return "unknown";
}

void
ctl_json_string(FILE *f, const char *s)
{
	const unsigned char	*p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
json_addr(FILE *f, uint32_t a)
{
	char	buf[ADDR_STRLEN];

	ctl_json_string(f, fmt_addr(a, buf));
}

/* A number, or null for -1 (never, none). */
static void
json_age(FILE *f, int64_t v)
{
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%" PRId64, v);
}

static void
json_bool(FILE *f, int v)
{
	fputs(v ? "true" : "false", f);
}

static void
plain_summary(FILE *f, const struct ctl_summary *s)
{
	char	a[ADDR_STRLEN], t[TIME_STRLEN], age[AGE_STRLEN];

	fprintf(f, "%-20s %s\n", "Public address", fmt_addr(s->local, a));
	fprintf(f, "%-20s %s\n", "44 address", fmt_addr(s->addr44, a));
	fprintf(f, "%-20s %s\n", "amprgw", fmt_addr(s->amprgw, a));
	fprintf(f, "%-20s %d\n", "Interface domain", (int)s->rdomain);
	fprintf(f, "%-20s %d\n", "Tunnel domain", (int)s->tunneldomain);
	fprintf(f, "%-20s %s%s\n", "Kernel backend", s->backend,
	    s->dryrun ? " (dry run)" : "");
	fprintf(f, "%-20s %" PRIu64 "\n", "Routes", s->routes);
	fprintf(f, "%-20s %" PRIu64 "\n", "Tunnels", s->tunnels);
	fprintf(f, "%-20s %" PRIu64 "\n", "Pending", s->pending);
	fprintf(f, "%-20s %" PRIu64 " (%" PRIu64 " failed)\n",
	    "Kernel operations", s->kernel_ops, s->kernel_errors);
	fprintf(f, "%-20s %" PRIu64 "\n", "Routes held", s->routes_held);
	fprintf(f, "%-20s %" PRIu64 " accepted, %" PRIu64 " refused\n",
	    "Datagrams", s->accepted, s->refused);
	fprintf(f, "%-20s %" PRIu64 " used, %" PRIu64 " refused\n",
	    "Entries", s->entries, s->entries_refused);
	if (s->last_accepted_age < 0)
		fprintf(f, "%-20s never\n", "Last datagram");
	else
		fprintf(f, "%-20s %s (%s ago)\n", "Last datagram",
		    fmt_time(s->last_accepted, t),
		    fmt_age(s->last_accepted_age, age));
	if (s->broadcast_age < 0)
		fprintf(f, "%-20s none yet\n", "Last broadcast");
	else
		fprintf(f, "%-20s %s ago, %" PRIu64 " datagrams, %" PRIu64
		    " entries\n", "Last broadcast",
		    fmt_age(s->broadcast_age, age), s->broadcast_datagrams,
		    s->broadcast_entries);
	fprintf(f, "%-20s %" PRIu64 " complete, %" PRIu64 " partial\n",
	    "Broadcasts", s->broadcasts, s->partial);
	if (s->feed_alive)
		fprintf(f, "%-20s alive\n", "Feed");
	else
		fprintf(f, "%-20s quiet for %s\n", "Feed",
		    fmt_age(s->feed_quiet_age, age));
	fprintf(f, "%-20s pid %" PRId64 ", up %s, %" PRIu64 " restarts%s%s\n",
	    "Network engine", s->engine_pid, fmt_age(s->engine_age, age),
	    s->engine_restarts, s->engine_exit[0] != '\0' ?
	    ", last exit: " : "", s->engine_exit);
	fprintf(f, "%-20s %s\n", "Uptime", fmt_age(s->uptime, age));
	fprintf(f, "%-20s %s\n", "Log", s->verbose > 0 ? "verbose" : "brief");
}

static void
json_summary(FILE *f, const struct ctl_summary *s)
{
	fputs("{\"public_address\":", f);
	json_addr(f, s->local);
	fputs(",\"address44\":", f);
	json_addr(f, s->addr44);
	fputs(",\"amprgw\":", f);
	json_addr(f, s->amprgw);
	fprintf(f, ",\"rdomain\":%d,\"tunnel_domain\":%d,\"backend\":",
	    (int)s->rdomain, (int)s->tunneldomain);
	ctl_json_string(f, s->backend);
	fputs(",\"dry_run\":", f);
	json_bool(f, s->dryrun);
	fprintf(f, ",\"routes\":%" PRIu64 ",\"tunnels\":%" PRIu64
	    ",\"pending\":%" PRIu64 ",\"kernel_operations\":%" PRIu64
	    ",\"kernel_errors\":%" PRIu64 ",\"routes_held\":%" PRIu64
	    ",\"datagrams\":%" PRIu64 ",\"datagrams_accepted\":%" PRIu64
	    ",\"datagrams_refused\":%" PRIu64 ",\"entries_used\":%" PRIu64
	    ",\"entries_refused\":%" PRIu64 ",\"last_datagram\":",
	    s->routes, s->tunnels, s->pending, s->kernel_ops,
	    s->kernel_errors, s->routes_held, s->datagrams, s->accepted,
	    s->refused, s->entries, s->entries_refused);
	json_age(f, s->last_accepted == 0 ? -1 : s->last_accepted);
	fputs(",\"last_datagram_age\":", f);
	json_age(f, s->last_accepted_age);
	fputs(",\"feed_alive\":", f);
	json_bool(f, s->feed_alive);
	fputs(",\"feed_quiet_age\":", f);
	json_age(f, s->feed_quiet_age);
	fprintf(f, ",\"broadcasts_complete\":%" PRIu64
	    ",\"broadcasts_partial\":%" PRIu64 ",\"last_broadcast_age\":",
	    s->broadcasts, s->partial);
	json_age(f, s->broadcast_age);
	fprintf(f, ",\"last_broadcast_datagrams\":%" PRIu64
	    ",\"last_broadcast_entries\":%" PRIu64 ",\"engine\":{\"pid\":%"
	    PRId64 ",\"age\":", s->broadcast_datagrams, s->broadcast_entries,
	    s->engine_pid);
	json_age(f, s->engine_age);
	fprintf(f, ",\"restarts\":%" PRIu64 ",\"last_exit\":",
	    s->engine_restarts);
	ctl_json_string(f, s->engine_exit);
	fputs("},\"uptime\":", f);
	json_age(f, s->uptime);
	fprintf(f, ",\"log\":\"%s\"}\n", s->verbose > 0 ? "verbose" : "brief");
}

static void
plain_routes(FILE *f, const struct ctl_result *r)
{
	char	p[PREFIX_STRLEN], g[ADDR_STRLEN], u[TUNNEL_STRLEN];
	char	age[AGE_STRLEN];
	size_t	i;

	fprintf(f, "%-18s %-15s %-8s %-9s %s\n", "Prefix", "Gateway",
	    "Tunnel", "State", "Heard");
	for (i = 0; i < r->nroutes; i++) {
		const struct ctl_route *rt = &r->routes[i];

		fprintf(f, "%-18s %-15s %-8s %-9s %s\n",
		    fmt_prefix(rt->addr, rt->len, p),
		    fmt_addr(rt->gateway, g), fmt_unit(rt->unit, u),
		    route_state(rt), fmt_age(rt->heard_age, age));
	}
}

static void
json_routes(FILE *f, const struct ctl_result *r)
{
	char	p[PREFIX_STRLEN], u[TUNNEL_STRLEN];
	size_t	i;

	fputs("{\"routes\":[", f);
	for (i = 0; i < r->nroutes; i++) {
		const struct ctl_route *rt = &r->routes[i];

		fprintf(f, "%s{\"prefix\":", i > 0 ? "," : "");
		ctl_json_string(f, fmt_prefix(rt->addr, rt->len, p));
		fputs(",\"gateway\":", f);
		json_addr(f, rt->gateway);
		fputs(",\"tunnel\":", f);
		if (rt->unit < 0)
			fputs("null", f);
		else
			ctl_json_string(f, fmt_unit(rt->unit, u));
		fprintf(f, ",\"unit\":%d,\"state\":\"%s\",\"heard_age\":",
		    (int)rt->unit, route_state(rt));
		json_age(f, rt->heard_age);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

/* By unit; tunnels without one last, by remote. */
static int
tunnel_order(const void *a, const void *b)
{
	const struct ctl_tunnel	*x = a, *y = b;

	if ((x->unit < 0) != (y->unit < 0))
		return x->unit < 0 ? 1 : -1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->remote != y->remote)
		return x->remote < y->remote ? -1 : 1;
	return 0;
}

static void
plain_tunnels(FILE *f, const struct ctl_result *r)
{
	char	g[ADDR_STRLEN], u[TUNNEL_STRLEN], st[STATE_STRLEN];
	char	retry[AGE_STRLEN];
	size_t	i;

	fprintf(f, "%-8s %-15s %6s %-18s %8s %s\n", "Tunnel", "Remote",
	    "Routes", "State", "Failures", "Retry");
	for (i = 0; i < r->ntunnels; i++) {
		const struct ctl_tunnel *t = &r->tunnels[i];

		if (t->retry_in < 0)
			snprintf(retry, sizeof(retry), "-");
		else
			snprintf(retry, sizeof(retry), "in %" PRId64 "s",
			    t->retry_in);
		fprintf(f, "%-8s %-15s %6" PRIu64 " %-18s %8u %s\n",
		    fmt_unit(t->unit, u), fmt_addr(t->remote, g), t->routes,
		    tunnel_state(t, st), (unsigned int)t->failures, retry);
	}
}

static void
json_tunnels(FILE *f, const struct ctl_result *r)
{
	char	u[TUNNEL_STRLEN];
	size_t	i;

	fputs("{\"tunnels\":[", f);
	for (i = 0; i < r->ntunnels; i++) {
		const struct ctl_tunnel *t = &r->tunnels[i];
		const char *state;

		state = (t->flags & CTL_TUN_BROKEN) ? "broken" :
		    ((t->flags & CTL_TUN_INSTALLED) &&
		    !(t->flags & CTL_TUN_PENDING)) ? "installed" : "pending";
		fprintf(f, "%s{\"tunnel\":", i > 0 ? "," : "");
		if (t->unit < 0)
			fputs("null", f);
		else
			ctl_json_string(f, fmt_unit(t->unit, u));
		fprintf(f, ",\"unit\":%d,\"remote\":", (int)t->unit);
		json_addr(f, t->remote);
		fprintf(f, ",\"routes\":%" PRIu64 ",\"state\":\"%s\","
		    "\"reserved\":", t->routes, state);
		json_bool(f, (t->flags & CTL_TUN_RESERVED) != 0);
		fputs(",\"pinned\":", f);
		json_bool(f, (t->flags & CTL_TUN_PINNED) != 0);
		fprintf(f, ",\"failures\":%u,\"retry_in\":",
		    (unsigned int)t->failures);
		json_age(f, t->retry_in);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

static void
plain_refusals(FILE *f, const struct ctl_result *r)
{
	char	t[TIME_STRLEN], src[ADDR_STRLEN], g[ADDR_STRLEN];
	char	p[PREFIX_STRLEN + ADDR_STRLEN + 8];
	size_t	i;

	fprintf(f, "%-36s %-8s %10s\n", "Reason", "Kind", "Count");
	for (i = 0; i < r->ncounters; i++)
		if (r->counters[i].count > 0)
			fprintf(f, "%-36s %-8s %10" PRIu64 "\n",
			    r->counters[i].name,
			    counter_kind(r->counters[i].kind),
			    r->counters[i].count);
	fprintf(f, "\n%-19s %-15s %-34s %-15s %s\n", "Time", "Source",
	    "Prefix", "Next hop", "Reason");
	for (i = 0; i < r->nrefusals; i++) {
		const struct ctl_refusal *rf = &r->refusals[i];

		fprintf(f, "%-19s %-15s %-34s %-15s %s\n",
		    fmt_time(rf->when, t), fmt_addr(rf->source, src),
		    fmt_refused(rf->addr, rf->len, rf->mask, p, sizeof(p)),
		    rf->len == CTL_LEN_DATAGRAM ? "-" :
		    fmt_addr(rf->gateway, g), rf->reason);
	}
}

static void
json_refusals(FILE *f, const struct ctl_result *r)
{
	char	p[PREFIX_STRLEN + ADDR_STRLEN + 8];
	size_t	i;

	fputs("{\"counters\":[", f);
	for (i = 0; i < r->ncounters; i++) {
		fprintf(f, "%s{\"reason\":", i > 0 ? "," : "");
		ctl_json_string(f, r->counters[i].name);
		fprintf(f, ",\"kind\":\"%s\",\"count\":%" PRIu64 "}",
		    counter_kind(r->counters[i].kind), r->counters[i].count);
	}
	fputs("],\"refusals\":[", f);
	for (i = 0; i < r->nrefusals; i++) {
		const struct ctl_refusal *rf = &r->refusals[i];

		fprintf(f, "%s{\"time\":%" PRId64 ",\"source\":",
		    i > 0 ? "," : "", rf->when);
		json_addr(f, rf->source);
		fputs(",\"prefix\":", f);
		if (rf->len == CTL_LEN_DATAGRAM)
			fputs("null,\"next_hop\":null", f);
		else {
			ctl_json_string(f, fmt_refused(rf->addr, rf->len,
			    rf->mask, p, sizeof(p)));
			fputs(",\"next_hop\":", f);
			json_addr(f, rf->gateway);
		}
		fputs(",\"reason\":", f);
		ctl_json_string(f, rf->reason);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static void
prom_label(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
prom_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP " METRIC "%s %s\n# TYPE " METRIC "%s %s\n", name,
	    help, name, type);
}

static void
prom_one(FILE *f, const char *name, const char *type, const char *help,
    int64_t value)
{
	prom_head(f, name, type, help);
	fprintf(f, METRIC "%s %" PRId64 "\n", name, value);
}

static void
metrics(FILE *f, const struct ctl_result *r)
{
	const struct ctl_summary	*s = &r->summary;
	size_t				 i;

	prom_one(f, "routes", "gauge", "Wanted routes.", (int64_t)s->routes);
	prom_one(f, "tunnels", "gauge", "Tunnels in use or being made.",
	    (int64_t)s->tunnels);
	prom_one(f, "pending", "gauge", "Routes and tunnels waiting for "
	    "kernel work.", (int64_t)s->pending);
	prom_one(f, "kernel_operations_total", "counter", "Kernel operations "
	    "that succeeded.", (int64_t)s->kernel_ops);
	prom_one(f, "kernel_errors_total", "counter", "Kernel operations "
	    "that failed.", (int64_t)s->kernel_errors);
	prom_one(f, "routes_held_total", "counter", "Prefixes left to a "
	    "route of another owner.", (int64_t)s->routes_held);
	prom_head(f, "datagrams_total", "counter", "RIP44 datagrams read, by "
	    "result.");
	fprintf(f, METRIC "datagrams_total{result=\"accepted\"} %" PRIu64
	    "\n" METRIC "datagrams_total{result=\"refused\"} %" PRIu64 "\n",
	    s->accepted, s->refused);
	prom_head(f, "entries_total", "counter", "Route entries in accepted "
	    "datagrams, by result.");
	fprintf(f, METRIC "entries_total{result=\"used\"} %" PRIu64 "\n"
	    METRIC "entries_total{result=\"refused\"} %" PRIu64 "\n",
	    s->entries, s->entries_refused);
	prom_head(f, "refusals_total", "counter", "Datagrams and entries "
	    "refused, by reason.");
	for (i = 0; i < r->ncounters; i++) {
		fprintf(f, METRIC "refusals_total{kind=\"%s\",reason=\"",
		    counter_kind(r->counters[i].kind));
		prom_label(f, r->counters[i].name);
		fprintf(f, "\"} %" PRIu64 "\n", r->counters[i].count);
	}
	prom_head(f, "broadcasts_total", "counter", "Broadcasts of amprgw "
	    "heard, by kind.");
	fprintf(f, METRIC "broadcasts_total{kind=\"complete\"} %" PRIu64 "\n"
	    METRIC "broadcasts_total{kind=\"partial\"} %" PRIu64 "\n",
	    s->broadcasts, s->partial);
	prom_one(f, "feed_alive", "gauge", "1 while amprgw's feed is heard, "
	    "0 once quiet for two cycles.", s->feed_alive ? 1 : 0);
	if (s->last_accepted_age >= 0)
		prom_one(f, "last_datagram_age_seconds", "gauge", "Seconds "
		    "since the last accepted datagram.",
		    s->last_accepted_age);
	if (s->broadcast_age >= 0) {
		prom_one(f, "last_broadcast_age_seconds", "gauge", "Seconds "
		    "since the last complete broadcast began.",
		    s->broadcast_age);
		prom_one(f, "last_broadcast_datagrams", "gauge", "Datagrams "
		    "of the last complete broadcast.",
		    (int64_t)s->broadcast_datagrams);
		prom_one(f, "last_broadcast_entries", "gauge", "Route entries "
		    "of the last complete broadcast.",
		    (int64_t)s->broadcast_entries);
	}
	prom_one(f, "engine_restarts_total", "counter", "Restarts of the "
	    "process reading the network.", (int64_t)s->engine_restarts);
	prom_one(f, "uptime_seconds", "gauge", "Seconds since the daemon "
	    "started.", s->uptime);
}

void
ctl_print(FILE *f, enum ctl_show show, struct ctl_result *r, int json)
{
	switch (show) {
	case CTL_SHOW_SUMMARY:
		if (!r->have_summary)
			return;
		if (json)
			json_summary(f, &r->summary);
		else
			plain_summary(f, &r->summary);
		break;
	case CTL_SHOW_ROUTES:
		if (json)
			json_routes(f, r);
		else
			plain_routes(f, r);
		break;
	case CTL_SHOW_TUNNELS:
		if (r->ntunnels > 1)
			qsort(r->tunnels, r->ntunnels, sizeof(*r->tunnels),
			    tunnel_order);
		if (json)
			json_tunnels(f, r);
		else
			plain_tunnels(f, r);
		break;
	case CTL_SHOW_REFUSALS:
		if (json)
			json_refusals(f, r);
		else
			plain_refusals(f, r);
		break;
	case CTL_SHOW_METRICS:
		/* The exposition format is the machine format here. */
		if (r->have_summary)
			metrics(f, r);
		break;
	case CTL_SHOW_NONE:
		break;
	}
}

void
ctl_print_event(FILE *f, const struct ctl_event *e)
{
	char	t[TIME_STRLEN], p[PREFIX_STRLEN + ADDR_STRLEN + 8];
	char	g[ADDR_STRLEN], o[ADDR_STRLEN], u[TUNNEL_STRLEN];

	fmt_time(e->when, t);
	fmt_addr(e->gateway, g);
	fmt_unit(e->unit, u);
	if (e->len >= 0 && e->len <= 32)
		fmt_prefix(e->addr, e->len, p);
	else if (e->len == CTL_LEN_NOMASK)
		snprintf(p, sizeof(p), "%s (bad netmask)",
		    fmt_addr(e->addr, o));
	else
		snprintf(p, sizeof(p), "-");
	switch (e->what) {
	case CTL_EV_ROUTE_ADDED:
		fprintf(f, "%s route added %s via %s\n", t, p, g);
		break;
	case CTL_EV_ROUTE_MOVED:
		fprintf(f, "%s route moved %s from %s to %s\n", t, p,
		    fmt_addr(e->old_gateway, o), g);
		break;
	case CTL_EV_ROUTE_EXPIRED:
		fprintf(f, "%s route expired %s via %s\n", t, p, g);
		break;
	case CTL_EV_ROUTE_WITHDRAWN:
		fprintf(f, "%s route withdrawn %s via %s\n", t, p, g);
		break;
	case CTL_EV_TUNNEL_MADE:
		fprintf(f, "%s tunnel made %s to %s\n", t, u, g);
		break;
	case CTL_EV_TUNNEL_REMOVED:
		fprintf(f, "%s tunnel removed %s to %s\n", t, u, g);
		break;
	case CTL_EV_REFUSALS:
		if (e->len == CTL_LEN_DATAGRAM)
			fprintf(f, "%s refused %" PRIu64 " datagram%s from %s: "
			    "%s\n", t, e->count, e->count == 1 ? "" : "s",
			    fmt_addr(e->source, o), e->reason);
		else
			fprintf(f, "%s refused %" PRIu64 " entr%s from %s, "
			    "first %s via %s: %s\n", t, e->count,
			    e->count == 1 ? "y" : "ies", fmt_addr(e->source, o),
			    p, g, e->reason);
		break;
	default:
		fprintf(f, "%s event %u\n", t, (unsigned int)e->what);
		break;
	}
}
