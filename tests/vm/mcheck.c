/*
 * mcheck: the VM test's daemon-independent check that RIP44 multicast
 * reaches a socket in the AMPRNet VRF, made the way the daemon's listener
 * is: UDP port 520 bound to the VRF device, 224.0.0.9 joined on the
 * tunnel's ifindex.
 *
 *	mcheck vrfdev ifname count seconds
 *
 * Prints how many datagrams arrived and from where; exits 0 when count
 * arrived within seconds, 1 otherwise.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RIP_PORT	520
#define RIP_GROUP	"224.0.0.9"

static int
open_listener(const char *vrf, const char *ifname)
{
	struct sockaddr_in	 sin;
	struct ip_mreqn		 mreq;
	int			 s, on = 1;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
		perror("socket");
		return -1;
	}
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, vrf,
	    strlen(vrf)) == -1) {
		perror("setsockopt SO_BINDTODEVICE");
		close(s);
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(RIP_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("bind");
		close(s);
		return -1;
	}
	memset(&mreq, 0, sizeof(mreq));
	inet_pton(AF_INET, RIP_GROUP, &mreq.imr_multiaddr);
	if ((mreq.imr_ifindex = (int)if_nametoindex(ifname)) == 0) {
		fprintf(stderr, "mcheck: no interface %s\n", ifname);
		close(s);
		return -1;
	}
	if (setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
	    sizeof(mreq)) == -1) {
		perror("setsockopt IP_ADD_MEMBERSHIP");
		close(s);
		return -1;
	}
	return s;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 from;
	struct timeval		 tv;
	socklen_t		 fromlen;
	char			 buf[2048], addr[INET_ADDRSTRLEN];
	time_t			 deadline;
	long			 want, seconds, got = 0;
	ssize_t			 n;
	int			 s;

	if (argc != 5) {
		fprintf(stderr, "usage: mcheck vrfdev ifname count seconds\n");
		return 2;
	}
	want = strtol(argv[3], NULL, 10);
	seconds = strtol(argv[4], NULL, 10);
	if ((s = open_listener(argv[1], argv[2])) == -1)
		return 1;
	/* Ready: the sender may start. */
	printf("listening\n");
	fflush(stdout);

	deadline = time(NULL) + seconds;
	while (got < want && time(NULL) < deadline) {
		tv.tv_sec = 1;
		tv.tv_usec = 0;
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		fromlen = sizeof(from);
		n = recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				continue;
			perror("recvfrom");
			break;
		}
		got++;
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		printf("datagram %ld: %zd bytes from %s:%u\n", got, n, addr,
		    ntohs(from.sin_port));
	}
	printf("received %ld of %ld\n", got, want);
	close(s);
	return got >= want ? 0 : 1;
}
