#!/bin/sh
# The end-to-end test on a real Linux kernel: boots Debian's kernel under
# QEMU (TCG) with an initramfs holding busybox, iproute2, 44meshd and its
# tools, and runs the scenarios of tests/vm/guest-*.sh in network
# namespaces of the guest.  Echoes the guest's result lines, copies the
# recorded capture and the daemon's log out to the cache, and exits
# non-zero unless every check passed and the guest's last line came.
#
# A missing prerequisite skips the test (loudly, exit 0), except with
# CI=true, where it is a failure.  Prerequisites: qemu-system-x86,
# busybox-static, cpio, iproute2, a C compiler, apt (to fetch the kernel
# package), and optionally tcpdump (for the recorded capture).
#
# Environment: VM_CACHE (default /var/tmp/44meshd-vm) for the kernel, the
# initramfs and the outputs; VM_TIMEOUT (seconds, default 600) for the
# whole boot; MESHD_BUILD, a tree where 44meshd and tools/ were built
# (default: this one).  Another suite of the same image (tests/vm/
# mesh-run.sh) sets VM_SUITE (the guest script /init runs, default
# guest-suite.sh), VM_NAME (prefix of the outputs in the cache),
# VM_MEMORY (MiB, default 512) and VM_APPEND (NAME=VALUE words for the
# kernel command line, which the guest's /init gets as environment).

set -u

prog=tests/vm/run.sh
top=$(cd "$(dirname "$0")/../.." && pwd)
vmdir=$top/tests/vm
cache=${VM_CACHE:-/var/tmp/44meshd-vm}
limit=${VM_TIMEOUT:-600}
suite=${VM_SUITE:-guest-suite.sh}
outname=${VM_NAME:+$VM_NAME-}
memory=${VM_MEMORY:-512}
export VM_CACHE="$cache"

say() {
	echo "$prog: $*" >&2
}

skip() {
	say "*****************************************************************"
	say "SKIPPED: $*"
	say "(make deps installs the prerequisites)"
	say "*****************************************************************"
	if [ "${CI:-}" = true ]; then
		say "CI=true: a missing prerequisite is a failure"
		exit 1
	fi
	exit 0
}

missing=
# Each command with the Debian package that has it.
for c in qemu-system-x86_64:qemu-system-x86 cpio:cpio gzip:gzip \
    timeout:coreutils base64:coreutils ldd:libc-bin "${CC:-cc}:gcc"; do
	command -v "${c%%:*}" >/dev/null 2>&1 ||
	    missing="$missing ${c%%:*} (${c#*:})"
done
if [ ! -x /bin/busybox ] && [ ! -x /usr/bin/busybox ]; then
	missing="$missing busybox (busybox-static)"
else
	for b in /bin/busybox /usr/bin/busybox; do
		[ -x "$b" ] || continue
		# A dynamic busybox would also do, but the Debian one that is
		# meant for this is busybox-static.
		ldd "$b" >/dev/null 2>&1 &&
		    say "note: $b is dynamically linked; its libraries go along"
		break
	done
fi
if ! command -v ip >/dev/null 2>&1 && [ ! -x /sbin/ip ] &&
    [ ! -x /usr/sbin/ip ] && [ ! -x /bin/ip ]; then
	missing="$missing ip (iproute2)"
fi
[ -n "$missing" ] && skip "missing:$missing"

mkdir -p "$cache" || skip "cannot create $cache"
if ! kdir=$(sh "$vmdir/kernel.sh"); then
	skip "no kernel: see tests/vm/kernel.sh's message above"
fi

# Everything of this run in its own folder: several runs may share the
# cache (make test and make vmtest at once).  The last run's outputs are
# copied to the cache at the end.
if ! run=$(mktemp -d "$cache/run.XXXXXX"); then
	say "FAIL: cannot make a folder in $cache"
	exit 1
fi
trap 'rm -rf "$run"' EXIT
trap 'exit 1' HUP INT TERM

wall0=$(date +%s)
if ! sh "$vmdir/mkinitrd.sh" "$kdir" "$run/initrd.gz"; then
	say "FAIL: could not build the initramfs"
	exit 1
fi

console=$run/console.log
say "booting $(basename "$kdir") under qemu (TCG) for $suite, up to" \
    "${limit}s; console copied to $cache/${outname}console.log"

# Live view: the guest's own lines, without the machine-read blocks.
timeout -k 10 "$limit" qemu-system-x86_64 -accel tcg -m "$memory" \
    -nographic -no-reboot -nic none -kernel "$kdir/vmlinuz" \
    -initrd "$run/initrd.gz" \
    -append "console=ttyS0 quiet panic=-1 vmsuite=$suite ${VM_APPEND:-}" \
    </dev/null 2>&1 |
    tr -d '\r' | tee "$console" | awk '
	/# guest up/ { guest = 1; sub(/.*# guest up/, "# guest up") }
	/^@pcap-begin$/ { blob = 1 }
	/^@pcap-end$/ { blob = 0; next }
	blob || /^@/ { next }
	guest || /Kernel panic|BUG:|Oops/ { print; fflush() }'
wall1=$(date +%s)

sed -n '/^@pcap-begin$/,/^@pcap-end$/p' "$console" | sed '1d;$d' |
    base64 -d >"$run/recorded.pcap" 2>/dev/null
sed -n 's/^@log //p' "$console" >"$run/44meshd.log"
# Renamed into place, so a reader never sees half a file.
for f in console.log recorded.pcap 44meshd.log; do
	if [ -s "$run/$f" ]; then
		out=$cache/$outname$f
		cp "$run/$f" "$out.$$" && mv "$out.$$" "$out"
		say "$f: $out"
	else
		rm -f "$cache/$outname$f"
	fi
done

last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$console" | tail -n 1)
if [ -z "$last" ]; then
	say "FAIL: the guest never printed its last line (timed out after" \
	    "${limit}s, or crashed); the console's end:"
	tail -n 20 "$console" >&2
	exit 1
fi
passed=${last%% *}
failed=${last#*, }
failed=${failed%% *}
notok=$(grep -c '^not ok ' "$console")
say "$last in $((wall1 - wall0))s wall time"
if [ "$failed" -ne 0 ] || [ "$notok" -ne 0 ] || [ "$passed" -eq 0 ]; then
	say "FAIL"
	exit 1
fi
exit 0
