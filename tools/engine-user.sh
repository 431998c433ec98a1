#!/bin/sh
# Makes the network engine's user, _44meshd, for `make install`: when it
# is missing, as root, into the running system (empty DESTDIR).  A staged
# install (DESTDIR, a package) leaves it to the package (Debian's
# sysusers.d entry, the OpenBSD port's user) and prints the command.
set -eu

user=_44meshd

case "$(uname -s)" in
OpenBSD)
	# As the ports tree makes daemon users: no shell, home /var/empty.
	make_it="useradd -s /sbin/nologin -d /var/empty $user"
	;;
*)
	make_it="useradd --system --no-create-home --shell /usr/sbin/nologin \
--home-dir /nonexistent $user"
	;;
esac

if id "$user" >/dev/null 2>&1; then
	exit 0
fi
if [ -n "${DESTDIR:-}" ] || [ "$(id -u)" -ne 0 ]; then
	echo "install: the network engine's user $user does not exist;" \
	    "make it as root with: $make_it"
	exit 0
fi
echo "install: making the network engine's user: $make_it"
$make_it
