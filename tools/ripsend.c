/*
 * ripsend: sends a RIP44 table the way amprgw does (RIPv2 responses of up
 * to 24 routes after the plain-text authentication entry, to 224.0.0.9
 * port 520 from port 520), for the daemon's network tests and the VM
 * suite.  A test tool: it sends whatever the table says, hostile values
 * included, but refuses a table or flag it cannot read.
 *
 * Table file, one item a line; '#' starts a comment, blank lines are
 * skipped, "-" is standard input:
 *	PREFIX GATEWAY [METRIC]	a route; METRIC defaults to 1 and may be
 *				any 32-bit value (0 and 17+ test refusals);
 *				host bits in PREFIX are sent as written
 *	raw HEX ...		one datagram with exactly these payload
 *				bytes (spaces between byte pairs allowed,
 *				none at all sends an empty datagram)
 * Consecutive routes are packed 24 a datagram; a raw line ends the
 * datagram being packed and is sent as its own, so file order is kept.
 *
 * usage: ripsend [-n] [-c count] [-d dest] [-I ifname] [-i ifaddr]
 *	[-P port] [-p password] [-S sport] [-s source] [-t ttl] [-w msec]
 *	tablefile
 *	-n	print each datagram as one line of hex instead of sending
 *		(no socket, so -I is not looked up)
 *	-c	send the whole table count times (default 1)
 *	-d	destination, multicast or unicast (default 224.0.0.9)
 *	-I, -i	multicast out of this interface, by name or by address;
 *		-I may be repeated: each datagram then goes out of every
 *		named interface in turn, as amprgw sends one table
 *		through each of its tunnels
 *	-P	destination port (default 520)
 *	-p	password, at most 16 bytes (default the well-known one)
 *	-S, -s	bind to this source port and address (default 520 and
 *		0.0.0.0; port 520 needs root)
 *	-t	TTL, unicast and multicast (default 1)
 *	-w	pause between datagrams in milliseconds (default 10)
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef __linux__
#include <ifaddrs.h>
#endif

#include "addr.h"
#include "rip.h"

#define RIP44_TAG		4	/* the route tag amprgw sends */
#define UDP_MAX_PAYLOAD		65507	/* IPv4 limit */
#define MAX_COUNT		1000000
#define MAX_WAIT_MSEC		3600000
#define MAX_IFNAMES		1024	/* -I given this many times at most */

struct datagram {
	uint8_t		*buf;
	size_t		 len;
};

struct options {
	int		 dry;		/* -n: print, do not send */
	unsigned long	 count;
	uint32_t	 ifaddr;	/* -i, 0 unset */
	const char	*ifnames[MAX_IFNAMES];	/* -I, in order */
	size_t		 nifnames;
	const char	*password;
	uint32_t	 source;
	unsigned long	 sport;
	unsigned long	 ttl;
	unsigned long	 wait_msec;
	uint32_t	 dest;
	unsigned long	 dport;
};

/* The datagrams read from the table, in file order. */
struct table {
	const char		*file;
	unsigned long		 lineno;
	const char		*password;
	struct rip_entry	 pending[RIP_MAX_ROUTES];
	int			 npending;
	struct datagram		*dg;
	size_t			 ndg;
	size_t			 dgcap;
};

static __attribute__((__noreturn__, __format__(__printf__, 1, 2))) void
die(const char *fmt, ...)
{
	va_list	ap;

	fputs("ripsend: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static __attribute__((__noreturn__, __format__(__printf__, 1, 2))) void
die_errno(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	fputs("ripsend: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved));
	exit(1);
}

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr, "usage: ripsend [-n] [-c count] [-d dest] "
	    "[-I ifname] [-i ifaddr] [-P port]\n"
	    "\t[-p password] [-S sport] [-s source] [-t ttl] [-w msec] "
	    "tablefile\n");
	exit(1);
}

static unsigned long
flag_number(int flag, const char *arg, unsigned long min, unsigned long max,
    const char *what)
{
	unsigned long	v;

	if (parse_uint(arg, max, &v) == -1 || v < min)
		die("-%c: bad %s \"%s\" (%lu to %lu)", flag, what, arg, min,
		    max);
	return v;
}

static uint32_t
flag_addr(int flag, const char *arg)
{
	uint32_t	a;

	if (parse_addr(arg, &a) == -1)
		die("-%c: bad address \"%s\"", flag, arg);
	return a;
}

static __attribute__((__noreturn__, __format__(__printf__, 2, 3))) void
bad_line(const struct table *t, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "ripsend: %s:%lu: ", t->file, t->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
add_datagram(struct table *t, const uint8_t *buf, size_t len)
{
	struct datagram	*d;

	if (t->ndg == t->dgcap) {
		t->dgcap = t->dgcap == 0 ? 64 : t->dgcap * 2;
		d = reallocarray(t->dg, t->dgcap, sizeof(*d));
		if (d == NULL)
			die("out of memory");
		t->dg = d;
	}
	d = &t->dg[t->ndg];
	/* One spare byte so that an empty datagram has a buffer too. */
	if ((d->buf = malloc(len + 1)) == NULL)
		die("out of memory");
	memcpy(d->buf, buf, len);
	d->len = len;
	t->ndg++;
}

static void
flush_routes(struct table *t)
{
	uint8_t	buf[RIP_MAX_LEN];
	size_t	len;

	if (t->npending == 0)
		return;
	len = rip_encode(buf, sizeof(buf), t->password, t->pending,
	    t->npending);
	if (len == 0)
		die("cannot encode a datagram with password \"%s\"",
		    t->password);
	add_datagram(t, buf, len);
	t->npending = 0;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The rest of a raw line: hex byte pairs, blanks between pairs. */
static void
parse_raw(struct table *t, char *rest)
{
	static uint8_t	 buf[UDP_MAX_PAYLOAD];
	size_t		 len = 0;
	char		*tok, *save;
	int		 hi, lo;

	for (tok = strtok_r(rest, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (strlen(tok) % 2 != 0)
			bad_line(t, "odd number of hex digits in \"%s\"", tok);
		for (; *tok != '\0'; tok += 2) {
			hi = hex_value(tok[0]);
			lo = hex_value(tok[1]);
			if (hi < 0 || lo < 0)
				bad_line(t, "bad hex byte \"%.2s\"", tok);
			if (len == sizeof(buf))
				bad_line(t, "raw datagram longer than %d "
				    "bytes", UDP_MAX_PAYLOAD);
			buf[len++] = (uint8_t)(hi << 4 | lo);
		}
	}
	flush_routes(t);
	add_datagram(t, buf, len);
}

/* PREFIX with its host bits kept, as a hostile sender would write them. */
static int
parse_route_prefix(const char *s, uint32_t *addr, uint32_t *mask)
{
	char		 a[ADDR_STRLEN];
	struct prefix	 p;
	const char	*slash;
	int		 hostbits;

	if (parse_prefix(s, 0, &p, &hostbits) == -1)
		return -1;
	slash = strchr(s, '/');
	if (slash == NULL || (size_t)(slash - s) >= sizeof(a))
		return -1;
	memcpy(a, s, (size_t)(slash - s));
	a[slash - s] = '\0';
	if (parse_addr(a, addr) == -1)
		return -1;
	*mask = addr_mask(p.len);
	return 0;
}

static void
parse_route(struct table *t, char *first, char *save)
{
	struct rip_entry	 e;
	char			*gw, *metric, *extra;
	unsigned long		 m = 1;

	memset(&e, 0, sizeof(e));
	gw = strtok_r(NULL, " \t", &save);
	metric = gw == NULL ? NULL : strtok_r(NULL, " \t", &save);
	extra = metric == NULL ? NULL : strtok_r(NULL, " \t", &save);
	if (gw == NULL)
		bad_line(t, "route \"%s\" has no gateway", first);
	if (extra != NULL)
		bad_line(t, "trailing \"%s\"", extra);
	if (parse_route_prefix(first, &e.addr, &e.mask) == -1)
		bad_line(t, "bad prefix \"%s\"", first);
	if (parse_addr(gw, &e.nexthop) == -1)
		bad_line(t, "bad gateway \"%s\"", gw);
	if (metric != NULL && parse_uint(metric, UINT32_MAX, &m) == -1)
		bad_line(t, "bad metric \"%s\"", metric);
	e.tag = RIP44_TAG;
	e.metric = (uint32_t)m;
	t->pending[t->npending++] = e;
	if (t->npending == RIP_MAX_ROUTES)
		flush_routes(t);
}

static void
parse_line(struct table *t, char *line)
{
	char	*hash, *first, *save;

	line[strcspn(line, "\r\n")] = '\0';
	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	if ((first = strtok_r(line, " \t", &save)) == NULL)
		return;
	if (strcmp(first, "raw") == 0)
		parse_raw(t, save);
	else
		parse_route(t, first, save);
}

static void
read_table(struct table *t, const char *file)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 linecap = 0;

	t->file = file;
	if (strcmp(file, "-") == 0) {
		f = stdin;
		t->file = "stdin";
	} else if ((f = fopen(file, "r")) == NULL)
		die_errno("%s", file);
	while (getline(&line, &linecap, f) != -1) {
		t->lineno++;
		parse_line(t, line);
	}
	if (ferror(f))
		die_errno("%s", t->file);
	free(line);
	if (f != stdin)
		fclose(f);
	flush_routes(t);
	if (t->ndg == 0)
		die("%s: no routes or raw datagrams to send", t->file);
}

static void
print_hex(const struct datagram *d)
{
	size_t	i;

	for (i = 0; i < d->len; i++)
		printf("%02x", d->buf[i]);
	putchar('\n');
}

#ifdef __linux__
/* Linux takes an interface index, which works on unnumbered tunnels. */
static void
multicast_ifname(int s, const char *ifname)
{
	struct ip_mreqn	mr;

	memset(&mr, 0, sizeof(mr));
	if ((mr.imr_ifindex = (int)if_nametoindex(ifname)) == 0)
		die("-I: no interface \"%s\"", ifname);
	if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) == -1)
		die_errno("-I %s: IP_MULTICAST_IF", ifname);
}
#else
/* Elsewhere IP_MULTICAST_IF takes an address: use the interface's first. */
static void
multicast_ifname(int s, const char *ifname)
{
	struct ifaddrs		*ifa, *i;
	struct in_addr		 in;
	int			 found = 0;

	if (getifaddrs(&ifa) == -1)
		die_errno("getifaddrs");
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		in = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		found = 1;
	}
	freeifaddrs(ifa);
	if (!found)
		die("-I: no interface \"%s\" with an IPv4 address", ifname);
	if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &in, sizeof(in)) == -1)
		die_errno("-I %s: IP_MULTICAST_IF", ifname);
}
#endif

static int
open_socket(const struct options *o)
{
	struct sockaddr_in	sin;
	struct in_addr		in;
	unsigned char		mttl, loop = 1;
	int			s, on = 1, ttl;
	char			a[ADDR_STRLEN];

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		die_errno("socket");
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		die_errno("SO_REUSEADDR");
	/* Tests may also aim at a broadcast address. */
	if (setsockopt(s, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) == -1)
		die_errno("SO_BROADCAST");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(o->source);
	sin.sin_port = htons((uint16_t)o->sport);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die_errno("bind %s port %lu", fmt_addr(o->source, a),
		    o->sport);

	/* BSDs want an unsigned char for the multicast options. */
	ttl = (int)o->ttl;
	mttl = (unsigned char)o->ttl;
	if (setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1)
		die_errno("IP_TTL");
	if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &mttl,
	    sizeof(mttl)) == -1)
		die_errno("IP_MULTICAST_TTL");
	if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &loop,
	    sizeof(loop)) == -1)
		die_errno("IP_MULTICAST_LOOP");

	if (o->nifnames == 1)
		multicast_ifname(s, o->ifnames[0]);
	else if (o->ifaddr != 0) {
		in.s_addr = htonl(o->ifaddr);
		if (setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &in,
		    sizeof(in)) == -1)
			die_errno("-i %s: IP_MULTICAST_IF",
			    fmt_addr(o->ifaddr, a));
	}
	return s;
}

static void
pause_msec(unsigned long msec)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)(msec / 1000);
	ts.tv_nsec = (long)(msec % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

static void
send_all(const struct options *o, const struct table *t)
{
	struct sockaddr_in	to;
	unsigned long		c;
	size_t			i, j, nout;
	ssize_t			n;
	int			s = -1, first = 1;
	char			a[ADDR_STRLEN];

	/* One pass per datagram with no -I or one -I, else one per -I. */
	nout = o->nifnames > 1 ? o->nifnames : 1;
	if (!o->dry)
		s = open_socket(o);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(o->dest);
	to.sin_port = htons((uint16_t)o->dport);

	for (c = 0; c < o->count; c++) {
		for (i = 0; i < t->ndg; i++) {
			if (o->dry) {
				print_hex(&t->dg[i]);
				continue;
			}
			if (!first && o->wait_msec > 0)
				pause_msec(o->wait_msec);
			first = 0;
			for (j = 0; j < nout; j++) {
				if (o->nifnames > 1)
					multicast_ifname(s, o->ifnames[j]);
				n = sendto(s, t->dg[i].buf, t->dg[i].len, 0,
				    (struct sockaddr *)&to, sizeof(to));
				if (n == -1)
					die_errno("send datagram %zu to %s "
					    "port %lu", i + 1,
					    fmt_addr(o->dest, a), o->dport);
				if ((size_t)n != t->dg[i].len)
					die("short send of datagram %zu",
					    i + 1);
			}
		}
	}
	if (o->dry && (fflush(stdout) == EOF || ferror(stdout)))
		die_errno("stdout");
	if (s != -1)
		close(s);
}

int
main(int argc, char *argv[])
{
	struct options	o;
	struct table	t;
	size_t		i;
	int		ch;

	memset(&o, 0, sizeof(o));
	o.count = 1;
	o.password = RIP_DEFAULT_PASSWORD;
	o.sport = RIP_PORT;
	o.ttl = 1;
	o.wait_msec = 10;
	o.dest = RIP_GROUP;
	o.dport = RIP_PORT;

	while ((ch = getopt(argc, argv, "c:d:I:i:nP:p:S:s:t:w:")) != -1) {
		switch (ch) {
		case 'c':
			o.count = flag_number(ch, optarg, 1, MAX_COUNT,
			    "count");
			break;
		case 'd':
			o.dest = flag_addr(ch, optarg);
			if (o.dest == 0)
				die("-d: bad destination \"%s\"", optarg);
			break;
		case 'I':
			if (*optarg == '\0' || strlen(optarg) >= IFNAMSIZ)
				die("-I: bad interface name \"%s\"", optarg);
			if (o.nifnames == MAX_IFNAMES)
				die("-I: more than %d interfaces",
				    MAX_IFNAMES);
			o.ifnames[o.nifnames++] = optarg;
			break;
		case 'i':
			o.ifaddr = flag_addr(ch, optarg);
			if (o.ifaddr == 0)
				die("-i: bad interface address \"%s\"",
				    optarg);
			break;
		case 'n':
			o.dry = 1;
			break;
		case 'P':
			o.dport = flag_number(ch, optarg, 1, 65535, "port");
			break;
		case 'p':
			if (strlen(optarg) > RIP_PASSWORD_LEN)
				die("-p: password \"%s\" longer than %d "
				    "bytes", optarg, RIP_PASSWORD_LEN);
			o.password = optarg;
			break;
		case 'S':
			o.sport = flag_number(ch, optarg, 0, 65535, "port");
			break;
		case 's':
			o.source = flag_addr(ch, optarg);
			break;
		case 't':
			o.ttl = flag_number(ch, optarg, 1, 255, "TTL");
			break;
		case 'w':
			o.wait_msec = flag_number(ch, optarg, 0,
			    MAX_WAIT_MSEC, "pause");
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	if (o.nifnames > 0 && o.ifaddr != 0)
		die("-i and -I cannot both be given");

	memset(&t, 0, sizeof(t));
	t.password = o.password;
	read_table(&t, argv[0]);
	send_all(&o, &t);

	for (i = 0; i < t.ndg; i++)
		free(t.dg[i].buf);
	free(t.dg);
	return 0;
}
