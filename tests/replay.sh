#!/bin/sh
# Replays every capture in pcaps/ with -n and compares stdout with its
# expected report.  NAME.pcap is run with the flags in NAME.args (if any)
# and must print exactly NAME.expected.  A capture made by tools/mkpcap
# from NAME.mkpcap must also be rebuilt byte for byte from its script.
set -u

status=0
count=0
mkdir -p tests/out
for pcap in pcaps/*.pcap; do
	[ -e "$pcap" ] || continue
	name=${pcap%.pcap}
	base=$(basename "$name")
	expected=$name.expected
	args=""
	[ -f "$name.args" ] && args=$(cat "$name.args")
	count=$((count + 1))
	if [ -f "$name.mkpcap" ]; then
		if ! ./tools/mkpcap -o "tests/out/$base.pcap" "$name.mkpcap" ||
		    ! cmp -s "$pcap" "tests/out/$base.pcap"; then
			echo "not ok - $base: not rebuilt identically from" \
			    "$name.mkpcap"
			status=1
			continue
		fi
	fi
	if [ ! -f "$expected" ]; then
		echo "not ok - $base: no $expected"
		status=1
		continue
	fi
	# shellcheck disable=SC2086
	./44meshd -n $args -r "$pcap" >"tests/out/$base.out" \
	    2>"tests/out/$base.log"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "not ok - $base: 44meshd exited $rc"
		cat "tests/out/$base.log"
		status=1
	elif ! diff -u "$expected" "tests/out/$base.out" \
	    >"tests/out/$base.diff"; then
		echo "not ok - $base: report differs from $expected"
		head -40 "tests/out/$base.diff"
		status=1
	else
		echo "ok - $base ($(tail -n 1 "$expected"))"
	fi
done
# -n needs no privilege: the full table replayed by an unprivileged user
# (the engine then keeps that user, confined all the same) gives the same
# report.  Only root can take another user; as one, this is shown above.
full=pcaps/full-table
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
    [ -f "$full.pcap" ]; then
	args=""
	[ -f "$full.args" ] && args=$(cat "$full.args")
	# shellcheck disable=SC2086
	if setpriv --reuid=65534 --regid=65534 --clear-groups \
	    ./44meshd -n $args -r "$full.pcap" >tests/out/unprivileged.out \
	    2>tests/out/unprivileged.log &&
	    cmp -s "$full.expected" tests/out/unprivileged.out; then
		echo "ok - full-table as uid 65534 (-n without root)"
	else
		echo "not ok - full-table as uid 65534 (-n without root)"
		head -20 tests/out/unprivileged.log
		status=1
	fi
fi
if [ $count -eq 0 ]; then
	echo "not ok - no captures in pcaps/"
	status=1
fi
exit $status
