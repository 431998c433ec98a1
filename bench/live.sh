#!/bin/sh
# make bench's live figure on Linux (issue 17): 44meshd -n in a network
# namespace hears a full table from tools/ripsend three times; strace -c
# counts its system calls during the second and third bursts (nothing
# changes then), printed as "bench steady_syscalls_per_datagram X calls".
# Same set-up as tests/netns/run.sh, reduced to one veth (this kernel may
# lack ipip, hence -U).  Prints one "bench ... skipped: why" line and
# exits 0 when root, ip netns, strace or the binaries are missing.
#
# Environment: MESHD (default ./44meshd), RIPSEND (./tools/ripsend),
# MKPCAP (./tools/mkpcap).

set -u

meshd=${MESHD:-./44meshd}
ripsend=${RIPSEND:-./tools/ripsend}
mkpcap=${MKPCAP:-./tools/mkpcap}
out=bench/out
rx=m44brx$$
tx=m44btx$$
vrx=gif1			# amprgw's tunnel, reserved (-s 1)
vtx=m44bt$$
local=198.51.100.1		# documentation addresses only
addr44=44.44.107.1
dpid=
tpid=
netns_made=

skip() {
	echo "bench steady_syscalls_per_datagram skipped: $*"
	exit 0
}

. tests/netns/lib.sh
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP

[ "$(uname -s)" = Linux ] || skip "not Linux"
[ -x "$meshd" ] || skip "no $meshd (run make)"
[ -x "$ripsend" ] || skip "no $ripsend (run make)"
[ "$(id -u)" -eq 0 ] || skip "not root: network namespaces need root"
command -v ip >/dev/null 2>&1 || skip "no ip(8)"
command -v timeout >/dev/null 2>&1 || skip "no timeout(1)"
command -v strace >/dev/null 2>&1 || skip "no strace (tools/deps.sh)"
mkdir -p "$out" || skip "cannot make $out"
rm -f "$out"/*
netns_pair

inrx() { in_ns "$rx" "$@"; }
intx() { in_ns "$tx" "$@"; }
if ! { inrx ip link set lo up &&
    inrx ip addr add "$local/24" dev "$vrx" &&
    inrx ip link set "$vrx" up &&
    intx ip link set lo up &&
    intx ip addr add 44.0.0.1/24 dev "$vtx" &&
    intx ip link set "$vtx" up &&
    intx ip route add 224.0.0.0/4 dev "$vtx"; }; then
	skip "setting up the namespaces failed"
fi
inrx sysctl -q -w net.ipv4.conf.all.rp_filter=0 >/dev/null 2>&1
inrx sysctl -q -w "net.ipv4.conf.$vrx.rp_filter=0" >/dev/null 2>&1
carrier() { inrx ip link show "$vrx" | grep -q LOWER_UP; }
wait_until 5 carrier

# The same full table as tests/netns/run.sh: 531 routes, 353 gateways.
table=$out/table.txt
printf 'generate 1 531 353\n' >"$out/table.script"
if ! "$mkpcap" -t "$out/table.script" >"$table" 2>"$out/mkpcap.err" ||
    ! [ -s "$table" ]; then
	skip "no table from $mkpcap"
fi
ntotal=$(grep -c -v -e '^#' -e '^[[:space:]]*$' "$table")
ndatagrams=$(((ntotal + 23) / 24))	# ripsend packs 24 routes a datagram

timeout -s KILL 120 ip netns exec "$rx" "$meshd" -d -n -U -s 1 \
    -L "$local" -l "$addr44" >"$out/daemon.out" 2>"$out/daemon.err" &
tpid=$!
wait_until 10 has "$out/daemon.err" "listening on port 520" ||
    skip "the daemon did not start: $(tail -n 1 "$out/daemon.err")"
# The parent (the first) and the network engine: both are counted.
dpid=$(ip netns pids "$rx" 2>/dev/null | head -n 1)
epid=$(ip netns pids "$rx" 2>/dev/null | sed -n 2p)
{ [ -n "$dpid" ] && [ -n "$epid" ]; } || skip "the daemon's pids not found"

send() { intx "$ripsend" "$@" >>"$out/ripsend.log" 2>&1; }
# status STRING: the daemon's SIGUSR1 line holds STRING.
status_has() {
	kill -USR1 "$dpid" 2>/dev/null
	sleep 0.3
	grep -e 'status: ' "$out/daemon.err" | tail -n 1 | grep -q -F -e "$1"
}

# Burst 1 plans the table; bursts 2 and 3 change nothing and are counted.
send -s 44.0.0.1 -I "$vtx" "$table" || skip "ripsend failed"
wait_until 10 status_has "datagrams $ndatagrams accepted" ||
    skip "burst 1 not accepted: $(grep 'status: ' "$out/daemon.err" |
    tail -n 1)"
# both_attached FILE: strace says it has attached to both processes.
both_attached() { [ "$(grep -c attached "$1")" -ge 2 ]; }
# count NAME BURST-FLAGS: strace -c over two more bursts of the table,
# nothing changing; prints the figure NAME.
sent=$ndatagrams
count() {
	_name=$1
	_pace=$2
	shift 2
	strace -c -f -p "$dpid" -p "$epid" -o "$out/$_name.strace" \
	    2>"$out/$_name.err" &
	_spid=$!
	if ! wait_until 5 both_attached "$out/$_name.err"; then
		echo "bench $_name skipped: strace could not attach:" \
		    "$(head -n 1 "$out/$_name.err")"
		kill -KILL "$_spid" 2>/dev/null
		return
	fi
	send -c 2 "$@" -s 44.0.0.1 -I "$vtx" "$table"
	sleep 1
	kill -INT "$_spid"
	wait "$_spid"
	sent=$((sent + 2 * ndatagrams))
	_calls=$(awk '$NF == "total" { print $4 }' "$out/$_name.strace")
	if [ -z "$_calls" ]; then
		echo "bench $_name skipped: no strace summary"
	elif ! wait_until 10 status_has "datagrams $sent accepted"; then
		echo "bench $_name skipped: the bursts were not all accepted"
	else
		awk -v c="$_calls" -v d="$((2 * ndatagrams))" -v n="$ntotal" \
		    -v name="$_name" -v pace="$_pace" 'BEGIN {
			printf "bench %s %.2f calls (%d calls, %d datagrams:" \
			    " bursts 2 and 3 of a %d-route table, %s)\n",
			    name, c / d, c, d, n, pace
		}'
	fi
}
# Back to back, as the netns suite sends them; then 10 ms apart
# (ripsend's default), so that the daemon wakes for nearly every one.
count steady_syscalls_per_datagram "back to back" -w 0
count steady_syscalls_per_datagram_paced "10 ms apart"
