/*
 * meshping: the pinger of the VM mesh test (Linux only).  Run inside a
 * site's namespace, it sends ICMP echo requests out of a VRF and reports
 * when the replies come, on the clock of /proc/uptime (CLOCK_BOOTTIME),
 * so that the figures of all sites share one time base.  One process a
 * site replaces hundreds of ping processes, which the emulated CPU could
 * not start fast enough to time anything.
 *
 * usage: meshping -B ifname [-c count] [-i msec] [-w msec] dest ...
 *   Without -c: probes each destination every -i milliseconds (default
 *	200) until it has answered once, for at most -w milliseconds
 *	(default 60000); prints "DEST SECONDS" at each first reply and
 *	"DEST -" for each that never answered; exits 0 if all answered.
 *   With -c: a stream of count requests to the one destination, one
 *	every -i milliseconds, then waits -w milliseconds (default 2000
 *	here) for late replies; prints "sent N received M lost L" and exits
 *	0.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_DESTS	1024
#define MAX_COUNT	100000

static double
uptime(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned short
checksum(const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	unsigned long		 sum = 0;

	for (; len > 1; len -= 2, p += 2)
		sum += (unsigned long)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (unsigned long)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((unsigned short)~sum);
}

static void
send_echo(int s, struct in_addr dst, unsigned short id, unsigned short seq)
{
	struct icmphdr		h;
	struct sockaddr_in	to;

	memset(&h, 0, sizeof(h));
	h.type = ICMP_ECHO;
	h.un.echo.id = htons(id);
	h.un.echo.sequence = htons(seq);
	h.checksum = checksum(&h, sizeof(h));
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = dst;
	/* No route yet is the normal state before the mesh converges. */
	(void)sendto(s, &h, sizeof(h), 0, (struct sockaddr *)&to, sizeof(to));
}

/*
 * Reads one datagram; returns 1 with the source and sequence number if it
 * is an echo reply of ours.
 */
static int
read_reply(int s, unsigned short id, struct in_addr *from,
    unsigned short *seq)
{
	unsigned char		 buf[1500];
	const struct iphdr	*ip = (const struct iphdr *)buf;
	struct icmphdr		 h;
	ssize_t			 n;
	size_t			 hl;

	if ((n = recv(s, buf, sizeof(buf), 0)) < (ssize_t)sizeof(*ip))
		return 0;
	hl = (size_t)ip->ihl * 4;
	if ((size_t)n < hl + sizeof(h))
		return 0;
	memcpy(&h, buf + hl, sizeof(h));
	if (h.type != ICMP_ECHOREPLY || ntohs(h.un.echo.id) != id)
		return 0;
	from->s_addr = ip->saddr;
	*seq = ntohs(h.un.echo.sequence);
	return 1;
}

static __attribute__((__noreturn__)) void
usage(void)
{
	fprintf(stderr, "usage: meshping -B ifname [-c count] [-i msec] "
	    "[-w msec] dest ...\n");
	exit(2);
}

static long
number(const char *s, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0 || v > max)
		usage();
	return v;
}

int
main(int argc, char *argv[])
{
	static struct in_addr	dests[MAX_DESTS];
	static double		answered[MAX_DESTS];
	static unsigned char	got[MAX_COUNT];
	struct pollfd		pfd;
	struct in_addr		from;
	const char		*ifname = NULL;
	unsigned short		id, seq;
	long			count = 0, interval = 200, wait_ms = -1;
	double			start, next, end, t;
	int			s, ch, ndest, i, left, sent = 0, received = 0;

	while ((ch = getopt(argc, argv, "B:c:i:w:")) != -1) {
		switch (ch) {
		case 'B':
			ifname = optarg;
			break;
		case 'c':
			count = number(optarg, MAX_COUNT);
			break;
		case 'i':
			interval = number(optarg, 60000);
			break;
		case 'w':
			wait_ms = number(optarg, 3600000);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (ifname == NULL || argc < 1 || argc > MAX_DESTS ||
	    (count > 0 && argc != 1) || interval == 0)
		usage();
	ndest = argc;
	for (i = 0; i < ndest; i++)
		if (inet_pton(AF_INET, argv[i], &dests[i]) != 1)
			usage();
	if (wait_ms < 0)
		wait_ms = count > 0 ? 2000 : 60000;

	if ((s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1) {
		perror("meshping: socket");
		return 2;
	}
	/* Bound to the VRF device, lookups and replies use its table. */
	if (setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    (socklen_t)strlen(ifname)) == -1) {
		perror("meshping: SO_BINDTODEVICE");
		return 2;
	}
	id = (unsigned short)getpid();
	pfd.fd = s;
	pfd.events = POLLIN;

	start = next = uptime();
	end = count > 0 ? start + (double)(count * interval + wait_ms) / 1e3 :
	    start + (double)wait_ms / 1e3;
	left = ndest;
	while (left > 0 && (t = uptime()) < end) {
		if (t >= next) {
			if (count == 0) {
				for (i = 0; i < ndest; i++)
					if (answered[i] == 0)
						send_echo(s, dests[i], id,
						    (unsigned short)i);
			} else if (sent < count)
				send_echo(s, dests[0], id,
				    (unsigned short)sent++);
			next += (double)interval / 1e3;
		}
		t = (next < end ? next : end) - uptime();
		if (poll(&pfd, 1, t > 0 ? (int)(t * 1e3) + 1 : 0) <= 0)
			continue;
		if (!read_reply(s, id, &from, &seq))
			continue;
		if (count > 0) {
			if (seq < sent && !got[seq]) {
				got[seq] = 1;
				received++;
			}
			continue;
		}
		if (seq < ndest && answered[seq] == 0 &&
		    from.s_addr == dests[seq].s_addr) {
			answered[seq] = uptime();
			printf("%s %.3f\n", inet_ntoa(from), answered[seq]);
			fflush(stdout);
			left--;
		}
	}
	if (count > 0) {
		printf("sent %d received %d lost %d\n", sent, received,
		    sent - received);
		return 0;
	}
	for (i = 0; i < ndest; i++)
		if (answered[i] == 0)
			printf("%s -\n", inet_ntoa(dests[i]));
	return left == 0 ? 0 : 1;
}
