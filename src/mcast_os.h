/*
 * What the shared part of the listener's platform layer (mcast.c) needs
 * of each platform (mcast_linux.c, mcast_openbsd.c): only what differs
 * between them, the system calls, option names and message formats.
 * The socket's common set-up, the lists, draining the change descriptor
 * and walking control messages live once, in mcast.c.
 */
#ifndef MCAST_OS_H
#define MCAST_OS_H

#include <stddef.h>
#include <stdint.h>

struct mcast_list;
struct mcast_os;

/*
 * The platform's own state and descriptors for routing domain rdomain,
 * in *osp.  0, or -1 with errno and *what naming the step that failed;
 * *osp then holds what was made (or NULL), for mcast_os_close().
 */
int		 mcast_os_open(struct mcast_os **osp, int rdomain,
		    const char **what);
void		 mcast_os_close(struct mcast_os *);

/*
 * A non-blocking descriptor, readable when interfaces or addresses
 * change, in any routing domain (what is listed is filtered later).  -1
 * with errno and *what when it cannot be had.
 */
int		 mcast_os_change_socket(const char **what);

/*
 * The platform's options on the UDP socket fd, before it is bound: the
 * routing domain, and the arrival interface and destination of each
 * datagram in its control messages.  0, or -1 with errno and *what.
 */
int		 mcast_os_socket(int fd, int rdomain, const char **what);

/*
 * Adds the domain's interfaces, then their IPv4 addresses, to out (empty
 * on entry); fd is the UDP socket.  0, or -1 with errno.
 */
int		 mcast_os_list(struct mcast_os *, int fd,
		    struct mcast_list *out);

/*
 * One IPPROTO_IP control message of type type with len bytes of data:
 * sets *dst (host order) or *ifindex when it names one.
 */
void		 mcast_os_control(int type, const unsigned char *data,
		    size_t len, uint32_t *dst, int *ifindex);

#endif /* MCAST_OS_H */
