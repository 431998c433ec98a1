#!/bin/sh
#
# Syntax-checks the OpenBSD-only sources (and the shared headers they
# include) against a folder of OpenBSD's own headers, on a machine that is
# not OpenBSD, with clang's OpenBSD target.  Nothing is built or linked.
#
# usage: tools/obsd-check.sh OBSD_INCLUDE [file.c ...]
#
# OBSD_INCLUDE is laid out as OpenBSD installs /usr/include: <sys/X.h>
# from sys/sys, <net/X.h> from sys/net, <netinet/X.h> from sys/netinet,
# <netinet6/X.h> from sys/netinet6, <uvm/X.h> from sys/uvm, <machine/X.h>
# from sys/arch/amd64/include, the others from include/ (and <event.h>
# from lib/libevent).  It is not part of this repository: make it from an
# OpenBSD source tree or copy it from an OpenBSD system.
#
# With no files, checks src/kern_openbsd.c and src/rtmsg.c, and the
# shared headers they use (src/kern.h, src/log.h, src/addr.h,
# src/rtmsg.h), each header on its own.

set -eu

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 OBSD_INCLUDE [file.c ...]" >&2
	exit 2
fi
OBSD_INCLUDE=$1
shift

TOP=$(cd "$(dirname "$0")/.." && pwd)
CLANG=${CLANG:-clang}
TARGET=${OBSD_TARGET:-x86_64-unknown-openbsd7.6}
RESDIR=$("$CLANG" -print-resource-dir)

# What the Makefile builds with, minus the Linux-only -D_DEFAULT_SOURCE.
FLAGS="--target=$TARGET -fsyntax-only -nostdinc -isystem $OBSD_INCLUDE
    -isystem $RESDIR/include -std=c11 -Wall -Wextra -Werror -Wshadow
    -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith
    -Wno-unused-parameter -I$TOP/src -I$TOP/patricia"

status=0
check() {
	if "$CLANG" $FLAGS "$@"; then
		echo "ok: $*"
	else
		echo "FAILED: $*" >&2
		status=1
	fi
}

if [ $# -gt 0 ]; then
	for f in "$@"; do
		check "$f"
	done
	exit $status
fi

check "$TOP/src/kern_openbsd.c"
check "$TOP/src/rtmsg.c"
for h in kern.h log.h addr.h rtmsg.h; do
	# A header must stand on its own: include it alone.
	check -x c "$TOP/src/$h"
done
exit $status
