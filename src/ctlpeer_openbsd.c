/*
 * The uid of a control client on OpenBSD: getpeereid(3) (declared in
 * <sys/socket.h>), the credentials the kernel kept when the client
 * connected.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include "control.h"

int
control_peer_uid(int fd, uid_t *uid)
{
	gid_t	gid;

	return getpeereid(fd, uid, &gid);
}
