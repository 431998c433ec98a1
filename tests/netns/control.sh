#!/bin/sh
# The control socket and 44meshctl against real daemons (dry run) in two
# network namespaces joined by a veth pair, as tests/netns/run.sh sets
# them up: the bundled full-table capture's RIP44 datagrams are sent
# over the network by tools/ripsend (as amprgw's 44.0.0.1), and every
# show command's answer is compared with the replay report of the same
# capture (44meshd -n -r).  Then: longest-prefix match inside nested
# prefixes, JSON against the plain output, monitor for a gateway move
# and for an expiry, an unprivileged user and the read-only socket, a
# client that never reads, a malformed request.
#
# Run from the top of the tree after make (tests/netns/run.sh calls
# it): sh tests/netns/control.sh.  Needs root, ip netns, python3 (to
# take the datagrams out of the capture and to play misbehaving
# clients), jq or python3 for JSON, setpriv for the unprivileged user.
# One "ok N - what" / "not ok N - what: why" line per check, then "N
# passed, M failed"; exits non-zero on any failure.

set -u

meshd=${MESHD:-./44meshd}
meshctl=${MESHCTL:-./44meshctl}
ripsend=${RIPSEND:-./tools/ripsend}
capture=pcaps/full-table.pcap
out=tests/out/netns-control
rx=m44crx$$
tx=m44ctx$$
vrx=gif1			# amprgw's side, reserved (-s 1)
vtx=m44ct$$
ours=23.30.150.141		# the capture's own public address
lifetime=300

tpid=
dpid=
netns_made=
sock=
mpid=

. tests/netns/tap.sh
. tests/netns/lib.sh
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null
	netns_cleanup
	[ -n "$sock" ] && rm -rf "$sock"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mkdir -p "$out" || exit 1
rm -f "$out"/*
[ -x "$meshd" ] && [ -x "$meshctl" ] && [ -x "$ripsend" ] ||
    { not_ok "build" "run make first"; finish; }
[ "$(id -u)" -eq 0 ] || skip "not root: network namespaces need root"
command -v ip >/dev/null 2>&1 || skip "no ip(8)"
command -v timeout >/dev/null 2>&1 || skip "no timeout(1)"
command -v python3 >/dev/null 2>&1 || skip "no python3"

# The sockets live where the unprivileged user can reach them.
sock=$(mktemp -d /tmp/44meshctl-test.XXXXXX) || exit 1
chmod 755 "$sock"
ctl=$sock/ctl.sock
ro=$sock/ro.sock

# The capture's RIP44 payloads as ripsend's raw lines, in order: Ethernet,
# IPENCAP from amprgw, the inner IPv4 and UDP to port 520.
python3 - "$capture" >"$out/capture.txt" <<'EOF' || { not_ok "capture" "unreadable"; finish; }
import struct, sys
data = open(sys.argv[1], "rb").read()
order = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
pos = 24
while pos + 16 <= len(data):
    caplen = struct.unpack(order + "IIII", data[pos:pos + 16])[2]
    frame = data[pos + 16:pos + 16 + caplen]
    pos += 16 + caplen
    ip = frame[14:]
    if len(ip) < 20 or ip[9] != 4:
        continue
    inner = ip[(ip[0] & 15) * 4:]
    if len(inner) < 20 or inner[9] != 17:
        continue
    udp = inner[(inner[0] & 15) * 4:]
    if struct.unpack(">H", udp[2:4])[0] != 520:
        continue
    print("raw " + udp[8:].hex())
EOF
ndatagrams=$(wc -l <"$out/capture.txt" | tr -d ' ')

# What the replay of the same capture ends with.
"$meshd" -n -s 0 -s 1 -D 44 -T 23 -G 169.228.34.84 -r "$capture" \
    >"$out/replay.out" 2>"$out/replay.err"
grep '^route .* via ' "$out/replay.out" >"$out/replay.routes"
read -r rroutes _ rtunnels _ rops _ _ _ <<EOF
$(tail -n 1 "$out/replay.out")
EOF
if [ "$ndatagrams" -gt 0 ] && [ -s "$out/replay.routes" ]; then
	ok "the capture: $ndatagrams datagrams; replayed, $rroutes routes" \
	    "via $rtunnels tunnels"
else
	not_ok "the capture" "$ndatagrams datagrams, report: $(tail -n 1 \
	    "$out/replay.out")"
	finish
fi

netns_pair
inrx() { in_ns "$rx" "$@"; }
intx() { in_ns "$tx" "$@"; }
setup_ok=1
inrx ip link set lo up || setup_ok=0
inrx ip addr add 198.51.100.1/24 dev "$vrx" || setup_ok=0
inrx ip link set "$vrx" up || setup_ok=0
inrx sysctl -q -w net.ipv4.conf.all.rp_filter=0 >/dev/null 2>&1
inrx sysctl -q -w "net.ipv4.conf.$vrx.rp_filter=0" >/dev/null 2>&1
intx ip link set lo up || setup_ok=0
intx ip addr add 44.0.0.1/24 dev "$vtx" || setup_ok=0
intx ip link set "$vtx" up || setup_ok=0
intx ip route add 224.0.0.0/4 dev "$vtx" || setup_ok=0
[ "$setup_ok" -eq 1 ] || { not_ok "namespaces" "setting up failed"; finish; }
carrier() { inrx ip link show "$1" | grep -q LOWER_UP; }
wait_until 5 carrier "$vrx"

send() {	# ripsend arguments
	intx "$ripsend" -s 44.0.0.1 -I "$vtx" "$@" >>"$out/ripsend.log" 2>&1
}
ctl() {		# 44meshctl arguments, on the daemon's socket
	timeout 10 "$meshctl" -s "$ctl" "$@"
}

# start_daemon NAME FLAGS...: the daemon, dry run, in the foreground.
start_daemon() {
	_name=$1
	shift
	rm -f "$ctl" "$ro"
	timeout -s KILL "$lifetime" ip netns exec "$rx" "$meshd" -d -n -U \
	    -s 0 -s 1 -D 44 -T 23 -L "$ours" -l 44.0.0.1 \
	    -P "$sock/pid" -c "$ctl" -C "$ro" -w nogroup "$@" \
	    >"$out/$_name.out" 2>"$out/$_name.err" &
	tpid=$!
	derr=$out/$_name.err
	if wait_until 10 has "$derr" "listening on port 520"; then
		dpid=$(ip netns pids "$rx" 2>/dev/null | head -n 1)
		return 0
	fi
	not_ok "$_name starts" "$(tail -n 2 "$derr" | tr '\n' ' ')"
	finish
}

stop_daemon() {
	kill -TERM "$dpid" 2>/dev/null
	wait_until 10 eval '! kill -0 "$dpid" 2>/dev/null'
	wait "$tpid" 2>/dev/null
	tpid=
	dpid=
}

# 1. The sockets.
start_daemon daemon1
# ls -l: "srw-rw---- 1 root nogroup" and "srw-rw-rw-".
m1=$(ls -l "$ctl" | awk '{ print $1, $4 }')
m2=$(ls -l "$ro" | awk '{ print $1 }')
if [ "$m1" = "srw-rw---- nogroup" ] && [ "$m2" = "srw-rw-rw-" ]; then
	ok "sockets: -c mode 0660 group nogroup (-w), -C mode 0666"
else
	not_ok "socket modes" "-c: $m1, -C: $m2"
fi

# 2. The full capture over the network, then every show command.
send "$out/capture.txt"
accepted() { [ "$(ctl -j show | jq .datagrams_accepted)" -eq "$ndatagrams" ]; }
if wait_until 20 accepted; then
	ok "the daemon accepted all $ndatagrams datagrams (show -j)"
else
	not_ok "the capture sent" "$(ctl show | grep Datagrams)"
fi
ctl show >"$out/summary.txt"
line() {	# the value of one line of show, by its name
	awk -v k="$1" '{ n = substr($0, 1, 20); sub(/ +$/, "", n) }
	    n == k { print substr($0, 22) }' "$out/summary.txt"
}
want="$rroutes/$rtunnels/$rops ($ndatagrams accepted, 0 refused)"
got="$(line Routes)/$(line Tunnels)/$(line 'Kernel operations' |
    cut -d' ' -f1) ($(line Datagrams))"
if [ "$want" = "$got" ] && [ "$(line Pending)" = 0 ] &&
    [ "$(line 'Public address')" = "$ours" ] &&
    [ "$(line Feed)" = alive ]; then
	ok "show summary: $rroutes routes, $rtunnels tunnels, $rops kernel" \
	    "operations, as replayed"
else
	not_ok "show summary" "want $want, got $got"
fi

# show routes, in the report's words: "route P via G gifN".
ctl show routes >"$out/routes.txt"
awk 'NR > 1 { printf "route %s via %s %s%s\n", $1, $2, $3,
    $4 == "pending" ? " (pending)" : "" }' "$out/routes.txt" \
    >"$out/routes.report"
if [ "$(sed -n 1p "$out/routes.txt" | tr -s ' ')" = \
    "Prefix Gateway Tunnel State Heard" ] &&
    cmp -s "$out/routes.report" "$out/replay.routes"; then
	ok "show routes: header, then the replay report's $rroutes routes" \
	    "in its order"
else
	not_ok "show routes" "differs from the replay: $(diff \
	    "$out/replay.routes" "$out/routes.report" | sed -n 2p)"
fi

# show tunnels: one a gateway of the report, its unit, its route count.
ctl show tunnels >"$out/tunnels.txt"
awk 'NR > 1 { print $1, $2, $3 }' "$out/tunnels.txt" | sort \
    >"$out/tunnels.got"
awk '{ n[$5 " " $4]++ } END { for (k in n) print k, n[k] }' \
    "$out/replay.routes" | sort >"$out/tunnels.want"
if cmp -s "$out/tunnels.got" "$out/tunnels.want" &&
    [ "$(awk 'NR > 1 && $4 != "installed"' "$out/tunnels.txt")" = "" ]
then
	ok "show tunnels: $rtunnels tunnels, units and route counts as" \
	    "replayed, all installed"
else
	not_ok "show tunnels" "$(diff "$out/tunnels.want" \
	    "$out/tunnels.got" | sed -n 2p)"
fi
gw=$(awk 'NR == 2 { print $2 }' "$out/tunnels.txt")
unit=$(awk 'NR == 2 { print $1 }' "$out/tunnels.txt")
if ctl show tunnels "$gw" | awk 'NR == 2 { print $1 }' | grep -qx "$unit"
then
	ok "show tunnels $gw: $unit"
else
	not_ok "show tunnels $gw" "$(ctl show tunnels "$gw" 2>&1 | tail -n 1)"
fi
first=$(awk 'NR == 1 { print $2 }' "$out/replay.routes")
if ctl show routes "$first" | awk 'NR == 2 { print $1 }' | grep -qx "$first"
then
	ok "show routes $first: that route"
else
	not_ok "show routes $first" "$(ctl show routes "$first" 2>&1)"
fi

# 3. Longest-prefix match inside nested prefixes: for each route inside
# a shorter one, an address in the inner prefix is served by the inner
# route's tunnel, and an address of the outer one outside the inner by
# the outer's.
awk '
function num(a,    o) {
	split(a, o, ".")
	return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
}
function dot(n) {
	return sprintf("%d.%d.%d.%d", int(n / 16777216) % 256,
	    int(n / 65536) % 256, int(n / 256) % 256, n % 256)
}
{
	split($2, p, "/")
	start[NR] = num(p[1])
	size[NR] = 2 ^ (32 - p[2])
	name[NR] = $2
	unit[NR] = $5
}
END {
	for (i = 1; i <= NR; i++)
		for (j = 1; j <= NR; j++) {
			if (i == j || size[j] >= size[i] ||
			    start[j] < start[i] ||
			    start[j] + size[j] > start[i] + size[i])
				continue
			# Inner j inside outer i: its last address, and the
			# outer one just past it (or before it) if no other
			# inner route covers that.
			print dot(start[j] + size[j] - 1), name[j], unit[j]
			a = start[j] + size[j]
			if (a >= start[i] + size[i])
				a = start[j] - 1
			covered = 0
			for (k = 1; k <= NR; k++)
				if (k != i && size[k] < size[i] &&
				    a >= start[k] && a < start[k] + size[k])
					covered = 1
			if (!covered && a >= start[i])
				print dot(a), name[i], unit[i]
		}
}' "$out/replay.routes" >"$out/nested.txt"
nnested=$(wc -l <"$out/nested.txt" | tr -d ' ')
bad=
while read -r addr prefix unit; do
	got=$(ctl show routes "$addr" | awk 'NR == 2 { print $1, $3 }')
	[ "$got" = "$prefix $unit" ] || bad="$addr: $got, not $prefix $unit"
done <"$out/nested.txt"
if [ "$nnested" -gt 0 ] && [ -z "$bad" ]; then
	ok "show routes ADDRESS: $nnested addresses in and around nested" \
	    "prefixes, each its longest match's tunnel"
else
	not_ok "show routes ADDRESS in nested prefixes" "${bad:-none found}"
fi
if ! ctl show routes 10.1.2.3 >/dev/null 2>"$out/nomatch.err" &&
    has "$out/nomatch.err" "no route covers this address"; then
	ok "show routes for an address no route covers: an error, status 1"
else
	not_ok "show routes 10.1.2.3" "$(cat "$out/nomatch.err")"
fi

# 4. JSON: parses, and says what the plain output says.
json_ok=1
for c in "show" "show routes" "show tunnels" "show refusals"; do
	# shellcheck disable=SC2086
	ctl -j $c >"$out/json.txt" &&
	    python3 -m json.tool "$out/json.txt" >/dev/null 2>&1 || json_ok=0
done
jq -r '.routes[] | "\(.prefix) \(.gateway) \(.tunnel) \(.state)"' \
    <<EOF >"$out/routes.json.txt"
$(ctl -j show routes)
EOF
awk 'NR > 1 { print $1, $2, $3, $4 }' "$out/routes.txt" \
    >"$out/routes.plain.txt"
jq -r '.tunnels[] | "\(.tunnel) \(.remote) \(.routes)"' <<EOF |
$(ctl -j show tunnels)
EOF
    sort >"$out/tunnels.json.txt"
sj=$(ctl -j show | jq -r '"\(.routes) \(.tunnels) \(.kernel_operations)"')
if [ "$json_ok" -eq 1 ] &&
    cmp -s "$out/routes.json.txt" "$out/routes.plain.txt" &&
    cmp -s "$out/tunnels.json.txt" "$out/tunnels.got" &&
    [ "$sj" = "$rroutes $rtunnels $rops" ]; then
	ok "-j: every show command parses; routes, tunnels and summary" \
	    "match the plain output"
else
	not_ok "-j" "parses: $json_ok, summary $sj"
fi

# show metrics: every sample has its HELP and TYPE lines.
ctl show metrics >"$out/metrics.txt"
if awk '
/^# HELP / { help[$3] = 1; next }
/^# TYPE / { type[$3] = 1; next }
{ n = $1; sub(/\{.*/, "", n); if (!help[n] || !type[n]) bad = n; samples++ }
END { exit bad != "" || samples < 10 }' "$out/metrics.txt" &&
    grep -qx "meshd44_routes $rroutes" "$out/metrics.txt" &&
    grep -qx "meshd44_datagrams_total{result=\"accepted\"} $ndatagrams" \
    "$out/metrics.txt"; then
	ok "show metrics: Prometheus text, HELP and TYPE for every sample"
else
	not_ok "show metrics" "$(head -n 3 "$out/metrics.txt" | tr '\n' ' ')"
fi

# 5. Who may do what.
asnobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
if command -v setpriv >/dev/null 2>&1; then
	if asnobody "$meshctl" -s "$ctl" show >/dev/null 2>"$out/nobody.err"
	then
		ok "an unprivileged user of the socket's group can show"
	else
		not_ok "unprivileged show" "$(cat "$out/nobody.err")"
	fi
	if ! asnobody "$meshctl" -s "$ctl" reload 2>"$out/nobody.err" &&
	    has "$out/nobody.err" "only root may change the daemon" &&
	    ! has "$derr" "reload asked"; then
		ok "an unprivileged user cannot reload, and is told why"
	else
		not_ok "unprivileged reload" "$(cat "$out/nobody.err")"
	fi
else
	not_ok "unprivileged user" "no setpriv(1)"
fi
if ! timeout 10 "$meshctl" -s "$ro" log verbose 2>"$out/ro.err" &&
    has "$out/ro.err" "read-only" &&
    timeout 10 "$meshctl" -s "$ro" show routes >/dev/null; then
	ok "the read-only socket shows, and refuses even root a change"
else
	not_ok "read-only socket" "$(cat "$out/ro.err")"
fi
if ctl reload && wait_until 5 has "$derr" "SIGHUP: checking the kernel"
then
	ok "root reloads: what SIGHUP does"
else
	not_ok "root reload" "$(tail -n 1 "$derr")"
fi

# 6. A malformed request: an error, then the connection is closed.
python3 - "$ctl" >"$out/malformed.txt" 2>&1 <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(sys.argv[1])
s.send(b"\x01\x00\x00\x00\x01")
rec = s.recv(1024)
version, rtype, code = struct.unpack("=III", rec[:12])
text = rec[12:].split(b"\0")[0].decode()
print(rtype, code, text)
print("closed" if s.recv(1024) == b"" else "open")
EOF
# CTL_REP_ERROR 3, CTL_ERR_MALFORMED 1.
if [ "$(sed -n 1p "$out/malformed.txt")" = \
    "3 1 request of 5 bytes, not 32" ] &&
    [ "$(sed -n 2p "$out/malformed.txt")" = closed ] &&
    has "$derr" "malformed request: request of 5 bytes"; then
	ok "a malformed request: error reply, connection closed, logged"
else
	not_ok "malformed request" "$(tr '\n' ' ' <"$out/malformed.txt")"
fi

# 7. A client that never reads: it asks for the routes again and again
# and is dropped once its queue is full, while a broadcast sent
# meanwhile is installed on time.
python3 - "$ctl" >"$out/stuck.txt" 2>&1 <<'EOF' &
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
req = struct.pack("=IIIIiiII", 1, 2, 0, 0, 0, 0, 0, 0)
sent = 0
try:
    for i in range(2000):
        s.send(req)
        sent += 1
        time.sleep(0.002)
except OSError as e:
    print("dropped after", sent, "requests:", e.errno)
time.sleep(3)
EOF
spid=$!
printf '44.61.0.0/24 198.18.2.1\n' >"$out/late.txt"
sleep 0.5
t0=$(date +%s)
send "$out/late.txt"
served() { ctl show routes 44.61.0.9 | grep -q '^44.61.0.0/24 '; }
if wait_until 3 served; then
	ok "while a client does not read, a broadcast is heard within" \
	    "$(($(date +%s) - t0)) s"
else
	not_ok "a stalled client stalls the daemon" "route not there in 3 s"
fi
wait "$spid"
if has "$out/stuck.txt" "dropped after" &&
    has "$derr" "dropped: reply queue full"; then
	ok "the client that never reads is dropped: $(cat "$out/stuck.txt")"
else
	not_ok "stuck client dropped" "$(cat "$out/stuck.txt")"
fi

# monitor_start NAME: 44meshctl monitor into NAME.txt, in the background.
monitor_start() {
	timeout 60 "$meshctl" -s "$ctl" monitor >"$out/$1.txt" 2>&1 &
	mpid=$!
	sleep 0.5
}

# monitor_stop NAME: ends it; NAME.lines holds its lines without times.
monitor_stop() {
	sleep 0.5
	kill "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	mpid=
	cut -d' ' -f3- "$out/$1.txt" >"$out/$1.lines"
}

# 8. monitor: a gateway move, exactly.  A route whose gateway serves it
# alone moves to a new gateway: the route moves, a tunnel is made to
# the new one and the old one's goes.
mv=$(awk '{ n[$4]++; r[$4] = $2 } END { for (g in n) if (n[g] == 1)
    print r[g], g }' "$out/replay.routes" | sort | head -n 1)
mprefix=${mv% *}
mold=${mv#* }
oldunit=$(awk -v g="$mold" '$4 == g { print $5 }' "$out/replay.routes")
newunit=gif$((rtunnels + 3))	# past the units in use (and 0, 1, late)
monitor_start monitor
printf '%s 198.18.3.1\n' "$mprefix" >"$out/move.txt"
send "$out/move.txt"
wait_until 5 test "$(wc -l <"$out/monitor.txt")" -ge 3
monitor_stop monitor
printf '%s\n' "route moved $mprefix from $mold to 198.18.3.1" \
    "tunnel made $newunit to 198.18.3.1" \
    "tunnel removed $oldunit to $mold" >"$out/monitor.want"
if cmp -s "$out/monitor.lines" "$out/monitor.want"; then
	ok "monitor: a gateway move is exactly 3 lines (moved, made, removed)"
else
	not_ok "monitor of a gateway move" "$(tr '\n' '|' \
	    <"$out/monitor.lines")"
fi
stop_daemon
if grep -q -i -e sanitizer -e '\[warn\]' -e '\[err\]' "$out/daemon1.err"
then
	not_ok "clean log" "$(grep -i -m 1 -e sanitizer -e warn \
	    "$out/daemon1.err")"
else
	ok "no sanitizer or libevent complaint in the log"
fi
if [ ! -e "$ctl" ] && [ ! -e "$ro" ]; then
	ok "the sockets are removed at exit"
else
	not_ok "sockets at exit" "still there"
fi

# 9. monitor: an expiry, exactly.  With -x 6 (a 2 s cycle), a table of
# two routes, then tables without the first: it expires and its tunnel
# goes.
start_daemon daemon2 -x 6
printf '44.60.1.0/24 198.18.1.1\n44.60.2.0/24 198.18.1.2\n' \
    >"$out/two.txt"
printf '44.60.2.0/24 198.18.1.2\n' >"$out/one.txt"
send "$out/two.txt"
two() { [ "$(ctl -j show | jq .routes)" -eq 2 ]; }
wait_until 5 two
monitor_start monitor2
i=0
while [ "$i" -lt 10 ] && ! has "$out/monitor2.txt" "route expired"; do
	send "$out/one.txt"
	sleep 3
	i=$((i + 1))
done
wait_until 3 has "$out/monitor2.txt" "tunnel removed"
monitor_stop monitor2
printf '%s\n' "route expired 44.60.1.0/24 via 198.18.1.1" \
    "tunnel removed gif2 to 198.18.1.1" >"$out/monitor2.want"
if cmp -s "$out/monitor2.lines" "$out/monitor2.want"; then
	ok "monitor: an expiry is exactly 2 lines (expired, tunnel removed)"
else
	not_ok "monitor of an expiry" "$(tr '\n' '|' <"$out/monitor2.lines")"
fi
stop_daemon
finish
