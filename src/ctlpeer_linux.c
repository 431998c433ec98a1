/*
 * The uid of a control client on Linux: SO_PEERCRED, the credentials the
 * kernel took when the client connected (struct ucred needs _GNU_SOURCE).
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>

#include "control.h"

int
control_peer_uid(int fd, uid_t *uid)
{
	struct ucred	cred;
	socklen_t	len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return -1;
	*uid = cred.uid;
	return 0;
}
