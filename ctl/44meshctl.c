/*
 * 44meshctl: asks a running 44meshd through its control socket and
 * prints the answer.  One request a run; "monitor" prints events until
 * interrupted.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static __attribute__((__noreturn__)) void
usage(const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "44meshctl: %s\n", msg);
	fprintf(stderr, "%s\n", CTL_USAGE);
	exit(1);
}

/*
 * OpenBSD: only what is left to do may be done (pledge(2)): "unix" to
 * connect, then "stdio", under which send and recv on a connected socket
 * are allowed (pledgereq[] in sys/kern/kern_pledge.c: sendto and recvfrom
 * are PLEDGE_STDIO; naming an address needs a network promise).
 */
static void
promise(const char *promises)
{
#ifdef __OpenBSD__
	if (pledge(promises, NULL) == -1) {
		fprintf(stderr, "44meshctl: pledge: %s\n", strerror(errno));
		exit(1);
	}
#else
	(void)promises;
#endif
}

static int
connect_to(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "44meshctl: %s: path too long\n", path);
		exit(1);
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1) {
		fprintf(stderr, "44meshctl: socket: %s\n", strerror(errno));
		exit(1);
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "44meshctl: %s: %s (is 44meshd running?)\n",
		    path, strerror(errno));
		exit(1);
	}
	return fd;
}

/*
 * Reads records until the reply is whole: END for a show, OK for a
 * change; events for ever after a monitor's OK.  The exit status.
 */
static int
run(int fd, const struct ctl_command *cmd, int json)
{
	/* Aligned for any record: the checks read it in place. */
	union {
		struct ctl_summary	s;
		unsigned char		b[CTL_RECORD_MAX];
	}			 buf;
	struct ctl_result	 res;
	struct ctl_error	 err;
	struct ctl_event	 ev;
	char			 why[CTL_TEXT_MAX];
	ssize_t			 n;
	int			 type, monitoring = 0;

	memset(&res, 0, sizeof(res));
	for (;;) {
		n = recv(fd, &buf, sizeof(buf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "44meshctl: %s\n", strerror(errno));
			break;
		}
		if (n == 0) {
			fprintf(stderr, "44meshctl: the daemon closed the "
			    "connection\n");
			break;
		}
		if ((type = ctl_check_reply(&buf, (size_t)n, why,
		    sizeof(why))) == -1) {
			fprintf(stderr, "44meshctl: %s\n", why);
			break;
		}
		switch (type) {
		case CTL_REP_ERROR:
			memcpy(&err, &buf, sizeof(err));
			fprintf(stderr, "44meshctl: %s\n", err.text);
			ctl_result_free(&res);
			return 1;
		case CTL_REP_OK:
			if (cmd->req.type != CTL_REQ_MONITOR)
				return 0;
			monitoring = 1;
			break;
		case CTL_REP_EVENT:
			if (!monitoring)
				break;
			memcpy(&ev, &buf, sizeof(ev));
			ctl_print_event(stdout, &ev);
			fflush(stdout);
			break;
		case CTL_REP_END:
			ctl_print(stdout, cmd->show, &res, json);
			ctl_result_free(&res);
			return fflush(stdout) == 0 ? 0 : 1;
		default:
			if (ctl_result_add(&res, &buf, type) == -1) {
				fprintf(stderr, "44meshctl: out of memory\n");
				ctl_result_free(&res);
				return 1;
			}
			break;
		}
	}
	ctl_result_free(&res);
	return 1;
}

int
main(int argc, char *argv[])
{
	struct ctl_command	 cmd;
	const char		*path = CTL_DEFAULT_SOCKET;
	char			 err[256];
	int			 ch, fd, json = 0, rc;

	promise("stdio unix");
	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 's':
			path = optarg;
			break;
		default:
			usage(NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (ctl_parse(argc, argv, &cmd, err, sizeof(err)) == -1)
		usage(err);
	if (json && cmd.show == CTL_SHOW_NONE)
		usage("-j is for show commands");
	fd = connect_to(path);
	promise("stdio");
	if (send(fd, &cmd.req, sizeof(cmd.req), 0) == -1) {
		fprintf(stderr, "44meshctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	rc = run(fd, &cmd, json);
	close(fd);
	return rc;
}
