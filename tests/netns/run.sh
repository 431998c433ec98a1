#!/bin/sh
# The daemon on this machine's kernel, in two network namespaces joined
# by a veth pair: 44meshd -n listens in one, tools/ripsend plays amprgw
# (44.0.0.1 port 520 to 224.0.0.9) in the other.  Checks what the daemon
# plans (its dry-run lines on stdout), what it refuses and counts (its
# SIGUSR1 status line), and how it ends (SIGTERM, status 0).
#
# This kernel has no ipip, so veths stand in for the tunnels, named as
# gifs: gif1 plays amprgw's, reserved (-s 1); gif7 plays a tunnel the
# daemon made to a peer, through which a peer forges amprgw's table.  A
# veth is no tunnel to amprgw (-G), so the daemon refuses RIP through
# both unless -U (accept through any interface but a peer's tunnel) is
# given: the feed checks run with -U, the last part without it, where
# RIP from the LAN (to the group and to our address) and through a
# peer's tunnel is refused and nothing changes.  The catch-all, a real
# tunnel, is the VM suite's (tests/vm).
#
# Run from the top of the tree after make: sh tests/netns/run.sh
# Needs root and ip netns; without them it says SKIP and exits 0, or 1
# when CI=true.  One "ok N - what" / "not ok N - what: why" line per
# check, then "N passed, M failed"; exits non-zero on any failure.
# Every wait is bounded; namespaces and processes go on any exit.
#
# Environment: MESHD (default ./44meshd), HOOKD (./tests/44meshd-hook,
# the test build with the engine's hook), RIPSEND (./tools/ripsend),
# MKPCAP (./tools/mkpcap), CC (cc, for tests/vm/mcheck.c).

set -u

meshd=${MESHD:-./44meshd}
ripsend=${RIPSEND:-./tools/ripsend}
mkpcap=${MKPCAP:-./tools/mkpcap}
out=tests/out/netns
rx=m44rx$$			# the router running 44meshd
tx=m44tx$$			# amprgw, and a hostile peer
vrx=gif1			# amprgw's tunnel, reserved (-s 1)
vtx=m44t$$			# its far end (15 characters at most)
vpr=gif7			# a peer's tunnel, made by the daemon
vpt=m44p$$			# its far end, the peer
local=198.51.100.1		# documentation addresses only
peerlocal=203.0.113.1		# ours on gif7
addr44=44.44.107.1
lifetime=300			# seconds the daemon may live at most

tpid=
dpid=
netns_made=

. tests/netns/tap.sh
. tests/netns/lib.sh
trap netns_cleanup EXIT
trap 'exit 1' INT TERM HUP
lines() {	# file [pattern]: how many lines (match)
	if [ $# -eq 1 ]; then
		wc -l <"$1" | tr -d ' '
	else
		grep -c -e "$2" "$1" 2>/dev/null
	fi
}

mkdir -p "$out" || exit 1
rm -f "$out"/*

# 1. A bad flag: no root, no namespace needed.
"$meshd" -D 300 >"$out/flag.out" 2>"$out/flag.err"
rc=$?
first=$(sed -n 1p "$out/flag.err")
second=$(sed -n 2p "$out/flag.err")
if [ "$rc" -ne 1 ]; then
	not_ok "-D 300 is refused" "exit status $rc, not 1"
elif [ -s "$out/flag.out" ]; then
	not_ok "-D 300 is refused" "wrote to stdout"
elif ! echo "$first" | grep -q -e '-D' || ! echo "$first" | grep -q 300
then
	not_ok "-D 300 is refused" "first line does not name -D 300: $first"
elif ! echo "$second" | grep -q '^usage: 44meshd'; then
	not_ok "-D 300 is refused" "second line is not the usage: $second"
else
	ok "-D 300 is refused: one line naming it, the usage, exit 1"
fi

# Prerequisites for the rest.
[ -x "$meshd" ] || { not_ok "build" "no $meshd (run make)"; finish; }
[ -x "$ripsend" ] || { not_ok "build" "no $ripsend (run make)"; finish; }
[ "$(id -u)" -eq 0 ] || skip "not root: network namespaces need root"
command -v ip >/dev/null 2>&1 || skip "no ip(8) (iproute2)"
command -v timeout >/dev/null 2>&1 || skip "no timeout(1)"
netns_pair
ip -n "$rx" link add "$vpr" type veth peer name "$vpt" netns "$tx" \
    2>"$out/veth.err" || skip "no second veth: $(cat "$out/veth.err")"

inrx() { in_ns "$rx" "$@"; }
intx() { in_ns "$tx" "$@"; }

setup_ok=1
inrx ip link set lo up || setup_ok=0
inrx ip addr add "$local/24" dev "$vrx" || setup_ok=0
inrx ip link set "$vrx" up || setup_ok=0
# amprgw's source is not routable here, as on a real router.
inrx sysctl -q -w net.ipv4.conf.all.rp_filter=0 >/dev/null 2>&1
inrx sysctl -q -w "net.ipv4.conf.$vrx.rp_filter=0" >/dev/null 2>&1
inrx ip addr add "$peerlocal/24" dev "$vpr" || setup_ok=0
inrx ip link set "$vpr" up || setup_ok=0
inrx sysctl -q -w "net.ipv4.conf.$vpr.rp_filter=0" >/dev/null 2>&1
intx ip link set lo up || setup_ok=0
for a in 44.0.0.1/24 44.0.0.2/24 198.51.100.2/24; do
	intx ip addr add "$a" dev "$vtx" || setup_ok=0
done
intx ip link set "$vtx" up || setup_ok=0
intx ip route add 224.0.0.0/4 dev "$vtx" || setup_ok=0
intx ip addr add 203.0.113.2/24 dev "$vpt" || setup_ok=0
intx ip link set "$vpt" up || setup_ok=0
[ "$setup_ok" -eq 1 ] || { not_ok "namespaces" "setting up failed"; finish; }
# The veth carrier comes up shortly after.
carrier() { inrx ip link show "$1" | grep -q LOWER_UP; }
wait_until 5 carrier "$vrx"
wait_until 5 carrier "$vpr"

# The full table: mkpcap's generator, else a table of the same shape.
table=$out/table.txt
printf 'generate 1 531 353\n' >"$out/table.script"
if [ -x "$mkpcap" ] && "$mkpcap" -t "$out/table.script" >"$table" \
    2>"$out/mkpcap.err" && [ -s "$table" ]; then
	echo "# table: $mkpcap, generate 1 531 353"
else
	echo "# table: awk (mkpcap unavailable)"
	awk 'BEGIN {
		for (i = 0; i < 531; i++) {
			g = i < 353 ? i : (i - 353) * 2 % 353
			printf "44.%d.%d.0/24 198.%d.%d.1\n", int(i / 256) + 1,
			    i % 256, 18 + int(g / 250), g % 250 + 1
		}
	}' >"$table"
fi
# What the policy keeps of it: not shorter than /16 (-M), not holding our
# 44 address (-l).
grep -v -e '^#' -e '^[[:space:]]*$' "$table" | awk -v ours="$addr44" '
function num(a,    o) {
	split(a, o, ".")
	return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
}
{
	split($1, p, "/")
	size = 1
	for (l = p[2] + 0; l < 32; l++)
		size *= 2
	if (p[2] + 0 < 16 || (num(ours) >= num(p[1]) &&
	    num(ours) < num(p[1]) + size))
		next
	print
}' >"$out/kept.txt"
nroutes=$(wc -l <"$out/kept.txt" | tr -d ' ')
ntotal=$(grep -c -v -e '^#' -e '^[[:space:]]*$' "$table")
ngateways=$(awk '{ print $2 }' "$out/kept.txt" | sort -u | wc -l |
    tr -d ' ')
ndatagrams=$(((ntotal + 23) / 24))	# ripsend packs 24 routes a datagram

# The daemon, in the foreground, dry run; killed whatever happens.
# start_daemon NAME FLAGS...: NAME.out, NAME.err and its control socket
# NAME.sock in $out (never the host's /var/run/44meshd.sock).
start_daemon() {
	_name=$1
	shift
	timeout -s KILL "$lifetime" ip netns exec "$rx" "$meshd" -d -n -v \
	    -L "$local" -l "$addr44" -c "$out/$_name.sock" "$@" \
	    >"$out/$_name.out" 2>"$out/$_name.err" &
	tpid=$!
}
# The parent: the one of the namespace's processes whose parent is not.
find_daemon() {
	dpid=
	for _p in $(ip netns pids "$rx" 2>/dev/null); do
		_pp=$(status_field "$_p" PPid)
		ip netns pids "$rx" 2>/dev/null | grep -qx "$_pp" && continue
		dpid=$_p
		break
	done
	[ -n "$dpid" ]
}
# both_attached: strace (3b) has attached to both processes.
both_attached() { [ "$(lines "$out/strace.err" attached)" -ge 2 ]; }
# status_field PID NAME: the value of NAME in /proc/PID/status.
status_field() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
# find_engine: the parent's child, the network engine, in $epid.
find_engine() {
	epid=
	for _p in $(ip netns pids "$rx" 2>/dev/null); do
		if [ "$(status_field "$_p" PPid)" = "$dpid" ]; then
			epid=$_p
			return 0
		fi
	done
	return 1
}
start_daemon daemon -U -s 1 -P "$out/daemon.pid"
if wait_until 10 has "$out/daemon.err" "listening on port 520" &&
    find_daemon; then
	ok "44meshd -d -n starts in the namespace"
else
	not_ok "44meshd -d -n starts in the namespace" \
	    "$(tail -n 3 "$out/daemon.err" | tr '\n' ' ')"
	finish
fi

# One instance only: a second one on the same pidfile exits 1 at once,
# naming the first one's pid, before touching anything.
what="a second instance on the same pidfile exits 1 naming pid $dpid"
timeout -s KILL 10 ip netns exec "$rx" "$meshd" -d -n -L "$local" \
    -l "$addr44" -s 1 -P "$out/daemon.pid" >"$out/second.out" \
    2>"$out/second.err"
rc=$?
if [ "$rc" -eq 1 ] &&
    has "$out/second.err" "$out/daemon.pid: already running as pid $dpid"
then
	ok "$what"
else
	not_ok "$what" "exit $rc: $(tail -n 1 "$out/second.err")"
fi
if has "$out/daemon.err" "224.0.0.9 joined on 1 interface"; then
	ok "joins 224.0.0.9 on reserved gif1 only, not on the peer's gif7"
else
	not_ok "joins 224.0.0.9 on reserved gif1 only" \
	    "$(grep -e 'joined on' "$out/daemon.err" | tail -n 1)"
fi

# status: asks for a status line (SIGUSR1), leaves it in $status.
derr=$out/daemon.err
nstatus=0
status=
ask_status() {
	nstatus=$((nstatus + 1))
	kill -USR1 "$dpid" 2>/dev/null || return 1
	wait_until 5 test "$(lines "$derr" 'status: ')" -ge \
	    "$nstatus" || return 1
	status=$(grep -e 'status: ' "$derr" | tail -n 1)
}

# wait_status STRING...: until the status line holds every STRING.
wait_status() {
	_tries=30
	while [ "$_tries" -gt 0 ]; do
		nstatus=$(lines "$derr" 'status: ')
		if ask_status; then
			_all=1
			for _s in "$@"; do
				case $status in
				*"$_s"*) ;;
				*) _all=0 ;;
				esac
			done
			[ "$_all" -eq 1 ] && return 0
		fi
		sleep 0.3
		_tries=$((_tries - 1))
	done
	return 1
}

send() {	# ripsend arguments
	intx "$ripsend" "$@" >>"$out/ripsend.log" 2>&1
}

# group_reaches NAME RXIF TXIF TABLE: a socket of another program joined
# to the group on RXIF (tests/vm/mcheck.c, built as $mcheck) hears TABLE
# sent out of TXIF; its output in NAME.out.
group_reaches() {
	inrx "$mcheck" "" "$2" 1 10 >"$out/$1.out" 2>&1 &
	_mpid=$!
	wait_until 5 has "$out/$1.out" listening
	send -s 44.0.0.1 -I "$3" "$4"
	wait "$_mpid"
}

accepted=0
refused=0

# 2. The full table, as amprgw sends it.
if ! send -s 44.0.0.1 -I "$vtx" "$table"; then
	not_ok "full table sent" "ripsend failed: $(tail -n 1 \
	    "$out/ripsend.log")"
	finish
fi
accepted=$((accepted + ndatagrams))
if wait_status "datagrams $accepted accepted 0 refused"; then
	ok "status counts the table's $ndatagrams datagrams as accepted"
else
	not_ok "status counts the table's $ndatagrams datagrams" \
	    "last status: $status"
fi
tadd=$(lines "$out/daemon.out" '^tunnel add gif')
radd=$(lines "$out/daemon.out" '^route add 44\.')
total=$(lines "$out/daemon.out")
if [ "$tadd" -eq "$ngateways" ] && [ "$radd" -eq "$nroutes" ] &&
    [ "$total" -eq $((ngateways + nroutes)) ]; then
	ok "plans $ngateways tunnel adds and $nroutes route adds, nothing else"
else
	not_ok "plans the full table" "expected $ngateways tunnel adds and" \
	    "$nroutes route adds, got $tadd and $radd ($total lines)"
fi
summary="status: $nroutes routes, $ngateways tunnels,"
summary="$summary $((nroutes + ngateways)) kernel operations (0 failed),"
summary="$summary 0 pending"
case $status in
*"$summary"*)
	ok "SIGUSR1 logs the summary: $nroutes routes, $ngateways tunnels" ;;
*)
	not_ok "SIGUSR1 logs the summary" "got: $status" ;;
esac

# no_new_ops WHAT: stdout ($dout) has not grown since the full table.
dout=$out/daemon.out
no_new_ops() {
	_now=$(lines "$dout")
	if [ "$_now" -eq "$total" ]; then
		ok "$1"
	else
		not_ok "$1" "$((_now - total)) new operations:" \
		    "$(tail -n 1 "$dout")"
	fi
}

# 3. The same table again changes nothing.
send -s 44.0.0.1 -I "$vtx" "$table"
accepted=$((accepted + ndatagrams))
if wait_status "datagrams $accepted accepted 0 refused"; then
	no_new_ops "the same table again plans no operation"
else
	not_ok "the same table again" "not counted: $status"
fi

# 3b. A steady burst costs at most 2 system calls a datagram, in both
# processes together: the arrival interface comes from what the daemon
# tracks, not from a lookup per datagram (issue 17), and the records go
# to the parent in batches.  amprgw sends a burst; strace counts every
# call of the parent and the engine while two pass (no SIGUSR1
# meanwhile: its line is a write).
what="a steady burst costs at most 2 system calls a datagram"
if ! command -v strace >/dev/null 2>&1; then
	not_ok "$what" "no strace (tools/deps.sh installs it)"
elif ! find_engine; then
	not_ok "$what" "no network engine"
else
	strace -c -f -p "$dpid" -p "$epid" -o "$out/strace.txt" \
	    2>"$out/strace.err" &
	spid=$!
	wait_until 5 both_attached
	send -w 0 -c 2 -s 44.0.0.1 -I "$vtx" "$table"
	sleep 1
	kill -INT "$spid"
	wait "$spid"
	accepted=$((accepted + 2 * ndatagrams))
	calls=$(awk '$NF == "total" { print $4 }' "$out/strace.txt")
	if ! wait_status "datagrams $accepted accepted 0 refused"; then
		not_ok "$what" "the bursts were not all accepted: $status"
	elif [ -z "$calls" ]; then
		not_ok "$what" "no strace summary: $(head -n 3 \
		    "$out/strace.err" | tr '\n' ' ')"
	elif [ "$calls" -gt $((2 * 2 * ndatagrams)) ]; then
		not_ok "$what" "$calls calls for $((2 * ndatagrams)) datagrams"
		sed 's/^/#   /' "$out/strace.txt"
	else
		no_new_ops "$what ($calls for $((2 * ndatagrams)))"
	fi
fi

# Routes the refused datagrams carry: new, so any leak would show.
fresh=$out/fresh.txt
printf '44.30.0.0/24 192.0.2.30\n44.31.0.0/24 192.0.2.31\n' >"$fresh"

# refusal WHAT REASON ripsend-arguments...: one datagram, refused whole.
refusal() {
	_what=$1
	_reason=$2
	shift 2
	send "$@"
	refused=$((refused + 1))
	if ! wait_status "datagrams $accepted accepted $refused refused" \
	    "$_reason 1"; then
		not_ok "$_what is refused and counted" "status: $status"
		return
	fi
	no_new_ops "$_what is refused, counted as \"$_reason\", plans nothing"
}

# 4. Refused datagrams.
refusal "a datagram from 44.0.0.2" "source address not the RIP source" \
    -s 44.0.0.2 -I "$vtx" "$fresh"
refusal "a datagram from port 521" "source port not 520" \
    -s 44.0.0.1 -S 521 -I "$vtx" "$fresh"
refusal "a datagram with a wrong password" "wrong password" \
    -s 44.0.0.1 -p NotThePassword -I "$vtx" "$fresh"
# Header, authentication entry, then half a route entry.
{
	printf 'raw 02020000 ffff0002 704c61496e546558 7470417353774400'
	printf ' 00020004 2c1e0000 ffff\n'
} >"$out/truncated.txt"
refusal "a truncated datagram" "length not a whole number of entries" \
    -s 44.0.0.1 -I "$vtx" "$out/truncated.txt"

# 5. An accepted datagram whose every route is refused (the four full
# tables so far count their entries as used).
cat >"$out/badroutes.txt" <<EOF
44.208.0.0/16 192.0.2.40
44.41.0.0/24 $local
44.42.0.0/24 127.0.0.1
44.43.0.0/24 44.43.0.5
44.44.0.0/24 192.0.2.44 0
EOF
send -s 44.0.0.1 -I "$vtx" "$out/badroutes.txt"
accepted=$((accepted + 1))
if wait_status "datagrams $accepted accepted $refused refused" \
    "prefix outside accepted space 1" "our own subnet 1" \
    "next hop not usable unicast 1" "next hop inside advertised prefix 1" \
    "metric out of range 1" \
    "entries $((4 * nroutes)) used $((5 + 4 * (ntotal - nroutes))) refused"
then
	no_new_ops "refused routes are counted by reason and plan nothing"
else
	not_ok "refused routes are counted by reason" "status: $status"
fi

# 6. Not for us: a broadcast on the veth's subnet.
send -s 44.0.0.1 -d 198.51.100.255 "$fresh"
if wait_status "datagrams $accepted accepted $refused refused" \
    "1 ignored as not for us"; then
	no_new_ops "a broadcast is ignored and counted as not for us"
else
	not_ok "a broadcast is ignored" "status: $status"
fi

# 7. Unicast to our own address is a broadcast like any other.
head -n 5 "$table" >"$out/unicast.txt"
send -s 44.0.0.1 -d "$local" "$out/unicast.txt"
accepted=$((accepted + 1))
if wait_status "datagrams $accepted accepted $refused refused"; then
	no_new_ops "unicast to our address is accepted, plans nothing new"
else
	not_ok "unicast to our address is accepted" "status: $status"
fi

# 8. A peer forges amprgw's table (44.0.0.1 port 520, the password)
# through its own tunnel, gif7.  Another program joined on gif7 shows
# the group does reach the host there; the daemon, not joined on gif7
# and deaf to other sockets' memberships, must not hear it.  Unicast to
# our address on gif7 does reach its socket: refused for the interface
# it came through, before it is read.  One refusal counted, not two.
what="a forged table through a peer's tunnel (gif7)"
mcheck=$out/mcheck
if ! ${CC:-cc} -o "$mcheck" tests/vm/mcheck.c 2>"$out/mcheck.cc.err"; then
	not_ok "$what" "cannot build tests/vm/mcheck.c: $(head -n 1 \
	    "$out/mcheck.cc.err")"
else
	group_reaches mcheck "$vpr" "$vpt" "$fresh"
	mrc=$?
	send -s 44.0.0.1 -d "$peerlocal" "$fresh"
	if [ "$mrc" -ne 0 ]; then
		not_ok "$what" "the group did not reach a socket joined on" \
		    "gif7: $(tail -n 1 "$out/mcheck.out")"
	elif ! wait_status "datagrams $accepted accepted $refused refused" \
	    ", 1 refused as through a peer's tunnel"; then
		not_ok "$what" "not refused as such: $status"
	elif ! has "$derr" "RIP from 44.0.0.1 arrived through gif7, a peer's \
tunnel: refused"; then
		not_ok "$what" "the refusal is not logged"
	elif has "$derr" "joined on 2 interfaces"; then
		not_ok "$what" "224.0.0.9 was joined on gif7 meanwhile"
	else
		no_new_ops "$what: the group is not heard, unicast is refused"
	fi
fi

# 9. A withdrawal (metric 16) of the only route of one gateway.
only=$(grep -v -e '^#' -e '^[[:space:]]*$' "$table" |
    awk '{ n[$2]++; p[$2] = $1 } END { for (g in n) if (n[g] == 1) {
	print p[g], g; exit } }')
if [ -z "$only" ]; then
	not_ok "a withdrawal" "no gateway with a single route in the table"
else
	echo "$only 16" >"$out/withdraw.txt"
	send -s 44.0.0.1 -I "$vtx" "$out/withdraw.txt"
	accepted=$((accepted + 1))
	prefix=${only%% *}
	if wait_until 10 has "$out/daemon.out" "route delete $prefix " &&
	    wait_until 5 test "$(lines "$out/daemon.out" '^tunnel delete')" \
	    -ge 1; then
		sleep 0.5
		new=$(($(lines "$out/daemon.out") - total))
		if [ "$new" -eq 2 ]; then
			ok "metric 16 withdraws $prefix and its tunnel"
		else
			not_ok "a withdrawal" "$new new operations, not 2"
		fi
	else
		not_ok "a withdrawal" "no route and tunnel delete for $prefix"
	fi
	total=$(lines "$out/daemon.out")
fi

# 9b. Our own 44 subnet, learnt from the kernel when its address appears:
# a route inside it (half our LAN to a stranger) or over it is refused.
what="routes inside and over our own 44 subnet, learnt when its address"
what="$what appears, are refused and plan nothing"
inrx ip addr add 44.77.1.1/24 dev "$vrx"
cat >"$out/lan.txt" <<EOF
44.77.1.128/25 192.0.2.77
44.77.1.0/24 192.0.2.78
EOF
if ! wait_until 10 has "$derr" "our 44 subnet: 44.77.1.1/24"; then
	not_ok "$what" "44.77.1.1/24 was not learnt"
else
	send -s 44.0.0.1 -I "$vtx" "$out/lan.txt"
	accepted=$((accepted + 1))
	if wait_status "datagrams $accepted accepted" \
	    "prefix inside our own 44 subnet 1"; then
		no_new_ops "$what"
	else
		not_ok "$what" "status: $status"
	fi
fi
inrx ip addr del 44.77.1.1/24 dev "$vrx"

# 10. SIGHUP: the model matches, so the re-scan repairs nothing.
kill -HUP "$dpid"
if wait_until 5 has "$out/daemon.err" "SIGHUP" &&
    wait_status "datagrams $accepted accepted"; then
	no_new_ops "SIGHUP re-checks and plans nothing"
else
	not_ok "SIGHUP" "not logged"
fi

# 10b. Two processes: the parent, privileged, and the network engine,
# sandboxed (src/sandbox_linux.c): another user, no capability, no new
# privileges, a seccomp filter, an empty root.  The parent keeps
# CAP_NET_ADMIN and CAP_NET_RAW only.
if find_engine; then
	ok "two processes: parent $dpid, network engine $epid"
else
	not_ok "two processes" "no child of $dpid in the namespace"
fi
# sandboxed PARENT ENGINE WHAT: the /proc checks of issue 14.
sandboxed() {
	_why=
	[ "$(status_field "$2" Uid)" != 0 ] ||
	    _why="$_why engine uid 0;"
	[ "$(status_field "$2" CapEff)" = 0000000000000000 ] ||
	    _why="$_why engine CapEff $(status_field "$2" CapEff);"
	[ "$(status_field "$2" NoNewPrivs)" = 1 ] ||
	    _why="$_why engine NoNewPrivs not 1;"
	[ "$(status_field "$2" Seccomp)" = 2 ] ||
	    _why="$_why engine Seccomp $(status_field "$2" Seccomp);"
	[ "$(readlink "/proc/$2/root")" = /run/44meshd/empty ] ||
	    _why="$_why engine root $(readlink "/proc/$2/root");"
	[ -z "$(ls -A /run/44meshd/empty 2>/dev/null)" ] ||
	    _why="$_why the engine's root is not empty;"
	[ "$(status_field "$1" CapEff)" = 0000000000003000 ] ||
	    _why="$_why parent CapEff $(status_field "$1" CapEff);"
	if [ -z "$_why" ]; then
		ok "$3: engine uid $(status_field "$2" Uid), CapEff 0,\
 NoNewPrivs 1, Seccomp 2, root the empty folder; parent CapEff\
 NET_ADMIN|NET_RAW"
	else
		not_ok "$3" "$_why"
	fi
}
sandboxed "$dpid" "$epid" "the sandboxes"

# 10c. The engine killed (SIGKILL) in the middle of a broadcast: the
# parent says so, keeps every route, starts a new engine, and hears the
# next broadcast.
what="the engine killed during a broadcast"
old=$epid
before=$(lines "$dout")
send -w 40 -s 44.0.0.1 -I "$vtx" "$table" &
spid=$!
sleep 0.3
kill -KILL "$old"
wait "$spid"
if ! wait_until 5 has "$derr" "network engine (pid $old) was killed by \
signal 9"; then
	not_ok "$what" "not logged: $(tail -n 1 "$derr")"
elif ! wait_until 5 find_engine || [ "$epid" = "$old" ]; then
	not_ok "$what" "no new engine"
else
	ok "$what: the parent logs it and starts engine $epid"
	sleep 1
	n=$(tail -n "+$((before + 1))" "$dout" | grep -c -e delete)
	if [ "$n" -eq 0 ]; then
		ok "$what: no route or tunnel is removed"
	else
		not_ok "$what" "$n deletes planned"
	fi
	printf '44.32.0.0/24 192.0.2.32\n' >"$out/after-kill.txt"
	send -s 44.0.0.1 -I "$vtx" "$out/after-kill.txt"
	if wait_until 10 has "$dout" "route add 44.32.0.0/24 "; then
		ok "$what: the next broadcast is heard and installed"
	else
		not_ok "$what" "the next broadcast was not installed"
	fi
	total=$(lines "$dout")
	sandboxed "$dpid" "$epid" "the new engine's sandbox"
	# What the parent tells 44meshctl of it: the new pid, one restart,
	# and how the old one ended.
	eline=$(./44meshctl -s "$out/daemon.sock" show summary 2>&1 |
	    grep -e "^Network engine")
	case $eline in
	*"pid $epid,"*" 1 restarts, last exit: was killed by signal 9"*)
		ok "$what: 44meshctl shows the new engine and the restart" ;;
	*)
		not_ok "$what" "44meshctl show summary: $eline" ;;
	esac
fi
# 11. SIGTERM: status 0, promptly.
kill -TERM "$dpid"
gone() { ! kill -0 "$dpid" 2>/dev/null; }
# stop_daemon: SIGTERM to the daemon, reaped once it has gone.
stop_daemon() {
	[ -n "$dpid" ] || return 0
	kill -TERM "$dpid"
	if wait_until 10 gone; then
		wait "$tpid"
		tpid=
		dpid=
	fi
}
if wait_until 10 gone; then
	wait "$tpid"
	rc=$?
	tpid=
	dpid=
	if [ "$rc" -eq 0 ] && has "$out/daemon.err" "exiting"; then
		ok "SIGTERM ends it with status 0"
	else
		not_ok "SIGTERM ends it with status 0" "exit status $rc"
	fi
else
	not_ok "SIGTERM ends it" "still running after 10 s"
fi

# 12. Once gif7 is reserved (-s 7), the same datagrams are amprgw's like
# any others: the group is joined there and both are accepted.
derr=$out/daemon2.err
nstatus=0
start_daemon daemon2 -U -s 1 -s 7
what="with -s 7, the table through gif7 is joined and accepted"
if ! wait_until 10 has "$derr" "listening on port 520" || ! find_daemon
then
	not_ok "$what" "did not start: $(tail -n 1 "$derr")"
elif ! has "$derr" "224.0.0.9 joined on 2 interfaces"; then
	not_ok "$what" "$(grep -e 'joined on' "$derr" | tail -n 1)"
else
	send -s 44.0.0.1 -I "$vpt" "$fresh"
	send -s 44.0.0.1 -d "$peerlocal" "$fresh"
	if ! wait_status "datagrams 2 accepted 0 refused"; then
		not_ok "$what" "status: $status"
	else
		case $status in
		*"peer's tunnel"*)
			not_ok "$what" "refused as a peer's: $status" ;;
		*)
			tadd=$(lines "$out/daemon2.out" '^tunnel add gif')
			radd=$(lines "$out/daemon2.out" '^route add 44\.')
			total=$(lines "$out/daemon2.out")
			if [ "$tadd" -eq 2 ] && [ "$radd" -eq 2 ] &&
			    [ "$total" -eq 4 ]; then
				ok "$what: 2 tunnel and 2 route adds planned"
			else
				not_ok "$what" "planned $tadd tunnel and" \
				    "$radd route adds ($total lines)"
			fi ;;
		esac
	fi
fi
stop_daemon

# 13. Without -U: RIP only through a tunnel to amprgw (-G), and there is
# none here.  The daemon plans its own (and nothing else); the full table
# from the LAN, to the group and to our address, and through a peer's
# tunnel is refused before it is read.
derr=$out/daemon3.err
dout=$out/daemon3.out
nstatus=0
start_daemon daemon3 -s 1
what="without -U, with no tunnel to amprgw"
if ! wait_until 10 has "$derr" "listening on port 520" || ! find_daemon
then
	not_ok "$what: starts" "did not start: $(tail -n 1 "$derr")"
else
	if has "$derr" "no tunnel to amprgw (169.228.34.84, -G)" &&
	    [ "$(lines "$out/daemon3.out")" -eq 1 ] &&
	    has "$out/daemon3.out" "remote 169.228.34.84 "; then
		ok "$what, it plans its own to 169.228.34.84, and nothing else"
	else
		not_ok "$what, it plans its own tunnel" \
		    "$(head -n 2 "$out/daemon3.out" | tr '\n' ' ')"
	fi
	if has "$derr" "224.0.0.9 joined on"; then
		not_ok "$what, the group is joined nowhere" \
		    "$(grep -e 'joined on' "$derr" | tail -n 1)"
	else
		ok "$what, the group is joined nowhere (not on the LAN's gif1)"
	fi
	total=$(lines "$out/daemon3.out")
	# The group does reach the host on gif1: a socket joined there
	# hears it; the daemon must not.
	group_reaches mcheck3 "$vrx" "$vtx" "$table"
	mrc=$?
	if [ "$mrc" -ne 0 ]; then
		not_ok "RIP to the group from the LAN" "the group did not" \
		    "reach a socket joined on gif1: $(tail -n 1 \
		    "$out/mcheck3.out")"
	elif wait_status "datagrams 0 accepted 0 refused" &&
	    [ "$(lines "$out/daemon3.out")" -eq "$total" ]; then
		ok "RIP to the group from the LAN is not heard, plans nothing"
	else
		not_ok "RIP to the group from the LAN" "status: $status"
	fi
	send -s 44.0.0.1 -d "$local" "$table"
	if wait_status "datagrams 0 accepted 0 refused" \
	    ", $ndatagrams refused as through an interface other than" &&
	    has "$derr" "RIP from 44.0.0.1 arrived through gif1, not \
amprgw's tunnel (-G): refused"; then
		no_new_ops "RIP unicast to our address from the LAN is refused \
before it is read, counted and logged"
	else
		not_ok "RIP unicast from the LAN is refused" "status: $status"
	fi
	send -s 44.0.0.1 -d "$peerlocal" "$fresh"
	if wait_status "datagrams 0 accepted 0 refused" \
	    ", 1 refused as through a peer's tunnel" &&
	    has "$derr" "arrived through gif7, a peer's tunnel: refused"; then
		no_new_ops "RIP through a peer's tunnel is refused, counted"
	else
		not_ok "RIP through a peer's tunnel is refused" \
		    "status: $status"
	fi
	stop_daemon
fi

# 14. The encap file is read at start-up only: after amprgw withdraws a
# route the file held, SIGHUP must not bring it back as just heard.
derr=$out/daemon4.err
nstatus=0
printf 'route addprivate 44.66.1.0/24 encap 192.0.2.66\n' >"$out/encap.txt"
start_daemon daemon4 -U -s 1 -f "$out/encap.txt"
what="SIGHUP does not reload the encap file: a withdrawn route stays gone"
if ! wait_until 10 has "$derr" "listening on port 520" || ! find_daemon
then
	not_ok "$what" "did not start: $(tail -n 1 "$derr")"
elif ! has "$out/daemon4.out" "route add 44.66.1.0/24 "; then
	not_ok "$what" "the file's route was not loaded at start-up"
else
	echo "44.66.1.0/24 192.0.2.66 16" >"$out/withdraw3.txt"
	send -s 44.0.0.1 -I "$vtx" "$out/withdraw3.txt"
	if ! wait_until 10 has "$out/daemon4.out" "route delete 44.66.1.0/24 "
	then
		not_ok "$what" "the withdrawal was not planned"
	else
		kill -HUP "$dpid"
		wait_until 5 has "$derr" "SIGHUP"
		sleep 1
		n=$(lines "$out/daemon4.out" '^route add 44\.66\.1\.0/24 ')
		if [ "$n" -eq 1 ]; then
			ok "$what"
		else
			not_ok "$what" "route add planned $n times"
		fi
	fi
fi
stop_daemon

# 15. The engine tries a call outside its seccomp filter (the test build
# tests/44meshd-hook: SIGUSR2 makes the engine open "/"): it is killed by
# SIGSYS, the parent says so and starts another, and the next broadcast
# is installed.
hook=${HOOKD:-./tests/44meshd-hook}
derr=$out/hook.err
dout=$out/hook.out
nstatus=0
what="an engine's forbidden system call"
if [ ! -x "$hook" ]; then
	not_ok "$what" "no $hook (make tests/44meshd-hook)"
else
	saved=$meshd
	meshd=$hook
	start_daemon hook -U -s 1
	meshd=$saved
	if ! wait_until 10 has "$derr" "listening on port 520" ||
	    ! find_daemon || ! wait_until 5 find_engine; then
		not_ok "$what" "did not start: $(tail -n 1 "$derr")"
	else
		old=$epid
		kill -USR2 "$old"
		if ! wait_until 5 has "$derr" "network engine (pid $old) was \
killed by signal"; then
			not_ok "$what" "not logged: $(tail -n 1 "$derr")"
		elif has "$derr" "not stopped" ||
		    ! has "$derr" "system call outside its seccomp filter"; then
			not_ok "$what" "$(grep -e "pid $old" "$derr")"
		elif ! wait_until 5 find_engine || [ "$epid" = "$old" ]; then
			not_ok "$what" "no new engine"
		else
			ok "$what: killed by SIGSYS, reported, engine $epid \
started"
			printf '44.33.0.0/24 192.0.2.33\n' >"$out/sigsys.txt"
			send -s 44.0.0.1 -I "$vtx" "$out/sigsys.txt"
			if wait_until 10 has "$dout" "route add 44.33.0.0/24 "
			then
				ok "$what: the next broadcast is installed"
			else
				not_ok "$what" "the next broadcast was not" \
				    "installed"
			fi
		fi
	fi
	stop_daemon
fi

# The daemon's own diagnostics must not include sanitizer or libevent
# complaints.
if grep -q -i -e 'sanitizer' -e '\[warn\]' -e '\[err\]' \
    "$out/daemon.err" "$out/daemon2.err" "$out/daemon3.err" \
    "$out/daemon4.err" "$out/hook.err"; then
	not_ok "clean log" "$(grep -h -i -m 1 -e sanitizer -e warn \
	    "$out/daemon.err" "$out/daemon2.err" "$out/daemon3.err" \
	    "$out/daemon4.err")"
else
	ok "no sanitizer or libevent complaint in the logs"
fi

# The control socket and 44meshctl: their own namespaces and daemons
# (tests/netns/control.sh), its lines indented here.
{ sh tests/netns/control.sh; echo $? >"$out/control.rc"; } 2>&1 |
    sed 's/^/    /'
if [ "$(cat "$out/control.rc")" -eq 0 ]; then
	ok "control socket and 44meshctl (tests/netns/control.sh)"
else
	not_ok "control socket and 44meshctl" "tests/netns/control.sh failed"
fi
finish
