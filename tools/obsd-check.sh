#!/bin/sh
#
# Syntax-checks the sources the OpenBSD build compiles (and the shared
# headers they include) against OpenBSD's own headers, on a machine that
# is not OpenBSD, with clang's OpenBSD target.  Nothing is built or linked.
#
# usage: tools/obsd-check.sh [-p] SYSROOT [file.c ...]
#
# SYSROOT holds usr/include laid out as OpenBSD installs it (or is that
# include folder itself): <sys/X.h> from sys/sys, <net/X.h> from sys/net,
# <netinet/X.h> from sys/netinet, <machine/X.h> from the architecture's
# include folder, <event.h> from lib/libevent, the others from include/.
# The architecture follows the headers: an arm64/ folder means aarch64,
# else amd64.  It is not part of this repository: make it from an OpenBSD
# source tree or copy it from an OpenBSD system.
#
# -p: when SYSROOT is missing, say so plainly and succeed (make test).
#
# The environment may give OBSD_WARN (the warning flags; make obsdcheck
# passes the Makefile's) and OBSD_SKIP (files to leave out: the Linux
# backend, which the Makefile's source list names for the build host).
# With no files, checks src/kern_openbsd.c, src/mcast_openbsd.c and
# src/rtmsg.c.  The shared headers of the kernel layer are always checked
# each on its own.

set -eu

present_only=0
if [ $# -ge 1 ] && [ "$1" = "-p" ]; then
	present_only=1
	shift
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [-p] SYSROOT [file.c ...]" >&2
	exit 2
fi
ROOT=$1
shift
if [ -d "$ROOT/usr/include" ]; then
	INC=$ROOT/usr/include
elif [ -d "$ROOT/sys" ] && [ -f "$ROOT/stdio.h" ]; then
	INC=$ROOT
elif [ $present_only -eq 1 ]; then
	echo "obsdcheck: skipped, no OpenBSD headers at $ROOT"
	exit 0
else
	echo "$0: no OpenBSD headers at $ROOT" >&2
	exit 2
fi

TOP=$(cd "$(dirname "$0")/.." && pwd)
CLANG=${CLANG:-clang}
if [ -d "$INC/arm64" ]; then
	TARGET=${OBSD_TARGET:-aarch64-unknown-openbsd7.6}
else
	TARGET=${OBSD_TARGET:-x86_64-unknown-openbsd7.6}
fi
RESDIR=$("$CLANG" -print-resource-dir)
# The Makefile's flags, less the Linux-only -D_DEFAULT_SOURCE.
WARN=${OBSD_WARN:-"-Wall -Wextra -Werror -Wshadow -Wmissing-prototypes
    -Wstrict-prototypes -Wpointer-arith"}
SKIP=${OBSD_SKIP:-}

# tools/obsd-include: OpenBSD headers the sysroot lacks (its MANIFEST.txt).
FLAGS="--target=$TARGET -fsyntax-only -nostdinc -isystem $INC
    -isystem $TOP/tools/obsd-include -isystem $RESDIR/include -std=c11 $WARN -I$TOP/src -I$TOP/ctl -I$TOP/patricia"

status=0
n=0
check() {
	n=$((n + 1))
	if ! "$CLANG" $FLAGS "$@"; then
		echo "FAILED ($TARGET): $*" >&2
		status=1
	fi
}

if [ $# -eq 0 ]; then
	set -- src/kern_openbsd.c src/mcast_openbsd.c src/rtmsg.c
fi
seen=
for f in "$@"; do
	# Left out, or named twice (the backend on an OpenBSD host).
	case " $SKIP $seen " in
	*" $f "*)
		continue ;;
	esac
	seen="$seen $f"
	case $f in
	/*)	check "$f" ;;
	*)	check "$TOP/$f" ;;
	esac
done
for h in kern.h log.h addr.h rtmsg.h; do
	# A header must stand on its own: include it alone.
	check -x c "$TOP/src/$h"
done
if [ $status -eq 0 ]; then
	echo "obsdcheck: $n files clean for $TARGET against $INC"
fi
exit $status
