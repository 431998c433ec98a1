#!/bin/sh
# Builds the VM test's initramfs from this machine's own programs:
#   mkinitrd.sh KERNELDIR OUTPUT.gz
# busybox-static, the real iproute2, tcpdump when present, the freshly
# built 44meshd and its tools (each with the libraries ldd names), the
# kernel's network modules and the guest scripts.  Missing project
# binaries are left out with a warning: the guest then reports the
# scenarios that need them as failed.

set -u

kdir=$1
out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
vmdir=$top/tests/vm
cache=${VM_CACHE:-/var/tmp/44meshd-vm}
stage=

say() {
	echo "tests/vm/mkinitrd.sh: $*" >&2
}

# Libraries a dynamic executable needs, one path a line (none if static).
libs_of() {
	ldd "$1" 2>/dev/null | awk '
	    $2 == "=>" && $3 ~ /^\// { print $3 }
	    $1 ~ /^\// { print $1 }'
}

# Copies an executable to DEST in the image, and its libraries to the
# paths ldd printed (usr/lib is a link to lib in the image).
add_exe() {
	cp -L "$1" "$stage$2" || return 1
	chmod 755 "$stage$2"
	for lib in $(libs_of "$1"); do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib" || return 1
	done
}

# Several runs may build at once: each in its own folder.
mkdir -p "$cache" && stage=$(mktemp -d "$cache/initramfs.XXXXXX") || exit 1
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
for d in bin sbin lib lib64 etc proc sys dev run tmp root vm/bin \
    vm/modules usr; do
	mkdir -p "$stage/$d"
done
ln -s ../lib "$stage/usr/lib"
ln -s ../bin "$stage/usr/bin"
ln -s ../sbin "$stage/usr/sbin"
mkdir -p "$stage/var"
ln -s ../run "$stage/var/run"

bb=
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && { bb=$b; break; }
done
[ -n "$bb" ] || { say "no busybox"; exit 1; }
add_exe "$bb" /bin/busybox || exit 1
for applet in $("$bb" --list); do
	# The real iproute2 lives in /sbin/ip; busybox's lacks netns and vrf.
	case $applet in
	busybox|ip)
		continue ;;
	esac
	ln -s busybox "$stage/bin/$applet"
done

ipbin=$(command -v ip 2>/dev/null)
for b in /sbin/ip /usr/sbin/ip /bin/ip /usr/bin/ip; do
	[ -z "$ipbin" ] && [ -x "$b" ] && ipbin=$b
done
[ -n "$ipbin" ] || { say "no iproute2 ip"; exit 1; }
add_exe "$ipbin" /sbin/ip || exit 1

if [ -x /usr/bin/tcpdump ] || [ -x /usr/sbin/tcpdump ]; then
	td=/usr/bin/tcpdump
	[ -x "$td" ] || td=/usr/sbin/tcpdump
	add_exe "$td" /vm/bin/tcpdump || exit 1
else
	say "warning: no tcpdump: the guest records no capture"
fi

build=${MESHD_BUILD:-$top}
for p in 44meshd 44meshctl tools/ripsend tools/mkpcap; do
	if [ -x "$build/$p" ]; then
		add_exe "$build/$p" "/vm/bin/$(basename "$p")" || exit 1
	else
		say "warning: $build/$p is not built: scenarios will fail"
	fi
done

# The guest's own helpers: mcheck (the daemon-independent multicast
# check), meshping (the mesh suite's pinger).
for c in "$vmdir"/*.c; do
	${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
	    -o "$stage/vm/bin/$(basename "$c" .c)" "$c" || exit 1
done

for m in $(cat "$kdir/modules/order"); do
	cp "$kdir/modules/$m.ko" "$stage/vm/modules/" || exit 1
done
cp "$kdir/modules/order" "$stage/vm/modules/order"

cp "$vmdir/init" "$stage/init" || exit 1
chmod 755 "$stage/init"
for f in "$vmdir"/guest-*.sh "$vmdir"/*.table; do
	[ -f "$f" ] && cp "$f" "$stage/vm/"
done

# tcpdump drops privileges to a named user; let it stay root.  44meshd's
# network engine runs as _44meshd, made as make install says.
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    '_44meshd:x:440:440:44meshd network engine:/run/44meshd/empty:/sbin/nologin' \
    >"$stage/etc/passwd"
printf '%s\n' 'root:x:0:' '_44meshd:x:440:' >"$stage/etc/group"

(cd "$stage" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 \
    >"$out.tmp" || exit 1
mv "$out.tmp" "$out"
