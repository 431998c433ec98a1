#!/bin/sh
# Installs what 44meshd's build and tests need with the platform's package
# manager; does nothing when everything is present.
set -eu

# libseccomp-dev and libcap-ng-dev: the network engine's sandbox.
debian_packages="make gcc clang libclang-rt-dev libevent-dev libpcap-dev \
libcmocka-dev mandoc iproute2 qemu-system-x86 busybox-static cpio tcpdump \
strace libseccomp-dev libcap-ng-dev python3 jq"

# Packaging (tests/pkg): the Debian package's build, lintian, and
# systemd-analyze for its unit.
debian_packages="$debian_packages build-essential dpkg-dev debhelper \
lintian systemd procps"

debian() {
	missing=""
	for p in $debian_packages; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$'; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	echo "deps: installing$missing"
	as_root=""
	[ "$(id -u)" -eq 0 ] || as_root=sudo
	$as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq \
	    --no-install-recommends $missing
}

openbsd() {
	pkg_info -e 'cmocka-*' >/dev/null 2>&1 && return 0
	echo "deps: installing cmocka"
	if [ "$(id -u)" -eq 0 ]; then
		pkg_add cmocka
	else
		doas pkg_add cmocka
	fi
}

case "$(uname -s)" in
Linux)
	if command -v dpkg-query >/dev/null 2>&1; then
		debian
	else
		echo "deps: not a Debian system; install by hand:" \
		    "$debian_packages" >&2
		exit 1
	fi
	;;
OpenBSD)
	openbsd
	;;
*)
	echo "deps: $(uname -s) is not supported" >&2
	exit 1
	;;
esac
