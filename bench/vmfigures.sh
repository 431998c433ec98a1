#!/bin/sh
# make bench's real-kernel figures (issue 17): the "bench" lines the VM
# suite's scale scenario (tests/vm/guest-scenarios.sh, scenario 8) and the
# mesh suite (tests/vm/guest-mesh.sh) printed in their last run, with the
# file and its date, or one line saying no VM run was found.
#
# Environment: VM_CACHE (default /var/tmp/44meshd-vm), as tests/vm/run.sh.

cache=${VM_CACHE:-/var/tmp/44meshd-vm}
found=0
for f in "$cache/console.log" "$cache/mesh-console.log"; do
	[ -r "$f" ] || continue
	grep -q '^bench ' "$f" || continue
	when=$(date -u -r "$f" '+%Y-%m-%d %H:%M UTC' 2>/dev/null)
	echo "# from $f (${when:-date unknown})"
	grep '^bench ' "$f"
	found=1
done
[ "$found" -eq 1 ] ||
    echo "bench vm figures skipped: no VM run with bench lines in $cache" \
    "(make vmtest or make meshtest writes them)"
exit 0
