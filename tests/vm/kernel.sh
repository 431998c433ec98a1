#!/bin/sh
# Fetches Debian's current kernel package (only that .deb), unpacks it in
# the cache and keeps what the VM test boots: vmlinuz and the few network
# modules.  Never installs anything.  Prints the kernel directory on
# stdout; exits 1 (with the reason on stderr) when no kernel can be had.
# make deps may run it once to prefetch.

set -u

cache=${VM_CACHE:-/var/tmp/44meshd-vm}
# Load order matters: insmod resolves nothing by itself.
modules="llc stp bridge tunnel4 ip_tunnel ipip vrf veth dummy"

say() {
	echo "tests/vm/kernel.sh: $*" >&2
}

# The newest kernel already unpacked, for when apt cannot be asked.
cached_kernel() {
	ls -d "$cache"/linux-image-*/ 2>/dev/null | sed 's,/$,,' |
	    while read -r d; do
		[ -f "$d/.complete" ] && echo "$d"
	    done | sort -V | tail -n 1
}

mkdir -p "$cache" || exit 1

kernel_name() {
	apt-cache depends linux-image-amd64 2>/dev/null |
	    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {
		print $2; exit }'
}

name=
if command -v apt-cache >/dev/null 2>&1; then
	name=$(kernel_name)
	# A fresh machine may have no package lists yet.
	if [ -z "$name" ] && [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq >&2 && name=$(kernel_name)
	fi
fi
if [ -z "$name" ]; then
	dir=$(cached_kernel)
	if [ -n "$dir" ]; then
		say "apt-cache names no linux-image-amd64 kernel;" \
		    "using cached $dir"
		echo "$dir"
		exit 0
	fi
	say "cannot find the kernel: apt-cache depends linux-image-amd64" \
	    "names none (run apt-get update) and nothing is cached"
	exit 1
fi

dir=$cache/$name
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi
# Left half made by a run that died (the window in which a live run has
# it so is a few milliseconds).
rm -rf "$dir"

work=$cache/unpack.$$
rm -rf "$work"
mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT

# A .deb fetched beforehand into the cache is used as it is; else
# apt-get download writes into the current directory, this run's own.
deb=$(ls "$cache"/"$name"_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	say "fetching $name (about 70 MB)"
	if ! (cd "$work" && apt-get download "$name" >&2); then
		dir=$(cached_kernel)
		if [ -n "$dir" ]; then
			say "apt-get download $name failed; using cached $dir"
			echo "$dir"
			exit 0
		fi
		say "apt-get download $name failed"
		exit 1
	fi
	deb=$(ls "$work"/"$name"_*.deb 2>/dev/null | head -n 1)
fi
if [ -z "$deb" ] || ! dpkg -x "$deb" "$work/x"; then
	say "cannot unpack ${deb:-the $name package} with dpkg -x"
	exit 1
fi

new=$work/kernel
mkdir -p "$new/modules" || exit 1
vmlinuz=$(ls "$work"/x/boot/vmlinuz-* 2>/dev/null | head -n 1)
if [ -z "$vmlinuz" ]; then
	say "$deb holds no boot/vmlinuz-*"
	exit 1
fi
cp "$vmlinuz" "$new/vmlinuz" || exit 1
for m in $modules; do
	ko=$(find "$work"/x/lib/modules -name "$m.ko" | head -n 1)
	if [ -z "$ko" ]; then
		say "$deb holds no $m.ko (compressed modules are not handled)"
		exit 1
	fi
	cp "$ko" "$new/modules/" || exit 1
done
echo "$modules" >"$new/modules/order"
# mkdir claims the name atomically; a run that loses waits for the winner.
if mkdir "$dir" 2>/dev/null; then
	mv "$new/vmlinuz" "$new/modules" "$dir/" && touch "$dir/.complete"
else
	i=0
	while [ ! -f "$dir/.complete" ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
fi
if [ ! -f "$dir/.complete" ]; then
	say "$dir is incomplete; remove it and try again"
	exit 1
fi
# The kernel directory is all we need; the .deb is fetched again if lost.
case $deb in
"$cache"/*)
	rm -f "$deb" ;;
esac
echo "$dir"
