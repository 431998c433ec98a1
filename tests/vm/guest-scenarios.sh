# The scenarios against 44meshd, and a last check of the reserved
# units and SIGTERM (busybox sh), sourced by guest-suite.sh once the
# harness checks have run.  The daemon runs in the router namespace;
# amprgw repeats the current table every FEED_PERIOD seconds, as the real
# one does every five minutes.

# reserved: gif0 and gif1 as made by hand, to prove they are never touched.
reserved_state() {
	"$IP" -n router -d -o link show | grep -E ' gif[01]@' |
	    sed 's/ state [A-Z]*//'
	"$IP" -n router -o -4 addr show | awk '$2 ~ /^gif[01]$/ {
	    print $2, $4 }'
	"$IP" -n router route show table 44 | grep -E ' dev gif[01]( |$)'
}

# Lines of the daemon's log from line $1 on.
log_since() {
	tail -n "+$1" "$DAEMON_LOG"
}

log_lines() {
	wc -l <"$DAEMON_LOG"
}

# Kernel changes logged from line $1 on.
ops_since() {
	log_since "$1" | grep -cE '^44meshd: (tunnel|route) (add|change|delete) '
}

show_ops_since() {
	log_since "$1" | grep -E '^44meshd: (tunnel|route) (add|change|delete) ' |
	    head -n 20 | sed 's/^/#   /'
}

# nothing_changed LINE OPS_BEFORE OPS_AFTER: adds to $why whatever changed
# since log line LINE and $WORK/state.before (router_state, taken again
# into state.after by the caller), and since the status line's count of
# kernel operations was OPS_BEFORE.
nothing_changed() {
	if [ "$2" != "$3" ]; then
		why="${why:+$why; }kernel operations $2 -> $3"
	fi
	if [ "$(ops_since "$1")" -ne 0 ]; then
		why="${why:+$why; }$(ops_since "$1") kernel changes logged"
		show_ops_since "$1"
	fi
	if ! cmp -s "$WORK/state.before" "$WORK/state.after"; then
		why="${why:+$why; }links, addresses or table 44 differ"
		diff "$WORK/state.before" "$WORK/state.after" |
		    sed 's/^/#   /'
	fi
}

# fail_diag: what a failing scenario shows.
fail_diag() {
	diag "router state:"
	router_state | sed 's/^/#   /' | head -n 40
	diag "daemon log, last lines:"
	tail -n 15 "$DAEMON_LOG" | sed 's/^/#   /'
	daemon_alive || diag "the daemon is not running"
}

reserved_state >"$WORK/reserved.before"

# Record scenario 1 as the router's public interface sees it.
recording=
if [ -x "$BIN/tcpdump" ]; then
	"$IP" netns exec router "$BIN/tcpdump" -Z root -n -U -i eth0 \
	    -w "$WORK/recorded.pcap" ip proto 4 2>"$WORK/tcpdump.err" &
	recording=$!
	wait_for 10 grep -q listening "$WORK/tcpdump.err" ||
	    diag "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
fi

daemon_start
sleep 1
if ! daemon_alive; then
	diag "44meshd exited at start:"
	diag_file "$DAEMON_LOG"
fi
feed_start

# --- 1 ---------------------------------------------------------------------
what="scenario 1: one broadcast makes one gif per peer, one route per subnet"
what="$what, none for refused entries; the LAN pings every peer"
want_of "$WORK/t1.table" >"$WORK/want1"
t0=$(now)
feed "$WORK/t1.table"
why=
if [ "$(wc -l <"$WORK/want1")" -ne 4 ]; then
	why="test bug: T1 should want 4 routes, want_of gives"
	why="$why $(wc -l <"$WORK/want1")"
elif ! wait_for 30 state_reached "$WORK/want1"; then
	why="$(cat "$WORK/why")"
elif ! gifs_well_made >"$WORK/why"; then
	why="$(cat "$WORK/why")"
else
	converged=$(since "$t0")
	for dst in 44.2.2.1 44.2.9.1 44.3.3.1 44.4.4.1; do
		ping_ok lan "$dst" 2 || why="${why:+$why, }no reply from $dst"
	done
fi
if [ -z "$why" ]; then
	ok "$what (${converged}s)"
else
	not_ok "$what" "$why"
	fail_diag
fi
if [ -n "$recording" ]; then
	sleep 1
	kill "$recording"
	wait "$recording" 2>/dev/null
fi

# --- privilege separation ------------------------------------------------
what="privilege separation: the network engine runs as _44meshd with no"
what="$what capability, no new privileges, a seccomp filter and the empty"
what="$what root; the parent keeps CAP_NET_ADMIN and CAP_NET_RAW only"
status_of() {	# PID FIELD
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
why=
engine=
for p in /proc/[0-9]*; do
	[ "$(status_of "${p#/proc/}" PPid)" = "$daemon_pid" ] &&
	    engine=${p#/proc/}
done
user=$(awk -F: '$1 == "_44meshd" { print $3 }' /etc/passwd)
if [ -z "$engine" ]; then
	why="no child of $daemon_pid"
else
	[ "$(status_of "$engine" Uid)" = "$user" ] ||
	    why="${why:+$why; }engine uid $(status_of "$engine" Uid)"
	[ "$user" != 0 ] && [ -n "$user" ] ||
	    why="${why:+$why; }no _44meshd in /etc/passwd"
	[ "$(status_of "$engine" CapEff)" = 0000000000000000 ] ||
	    why="${why:+$why; }engine CapEff $(status_of "$engine" CapEff)"
	[ "$(status_of "$engine" NoNewPrivs)" = 1 ] ||
	    why="${why:+$why; }engine NoNewPrivs not 1"
	[ "$(status_of "$engine" Seccomp)" = 2 ] ||
	    why="${why:+$why; }engine Seccomp $(status_of "$engine" Seccomp)"
	[ "$(readlink "/proc/$engine/root")" = /run/44meshd/empty ] ||
	    why="${why:+$why; }engine root $(readlink "/proc/$engine/root")"
	[ "$(status_of "$daemon_pid" CapEff)" = 0000000000003000 ] ||
	    why="${why:+$why; }parent CapEff $(status_of "$daemon_pid" CapEff)"
fi
if [ -z "$why" ]; then
	ok "$what (engine $engine)"
else
	not_ok "$what" "$why"
fi

# --- 2 ---------------------------------------------------------------------
what="scenario 2: the same table again changes nothing"
router_state >"$WORK/state.before"
line=$(($(log_lines) + 1))
ops_before=$(daemon_status_ops)
"$IP" -n router monitor link route >"$WORK/monitor" 2>&1 &
monitor=$!
feed_wait 2
sleep 1
kill "$monitor"
wait "$monitor" 2>/dev/null
router_state >"$WORK/state.after"
ops_after=$(daemon_status_ops)
why=
if [ -z "$ops_before" ] || [ -z "$ops_after" ]; then
	why="no \"N kernel operations\" in the status line after SIGUSR1"
elif [ "$ops_before" != "$ops_after" ]; then
	why="kernel operations went from $ops_before to $ops_after"
fi
if [ "$(ops_since "$line")" -ne 0 ]; then
	why="${why:+$why; }$(ops_since "$line") kernel changes logged"
	show_ops_since "$line"
fi
if [ -s "$WORK/monitor" ]; then
	why="${why:+$why; }ip monitor saw $(wc -l <"$WORK/monitor") lines"
	sed 's/^/#   /' "$WORK/monitor" | head -n 10
fi
if ! cmp -s "$WORK/state.before" "$WORK/state.after"; then
	why="${why:+$why; }links, addresses or table 44 differ"
	diff "$WORK/state.before" "$WORK/state.after" | sed 's/^/#   /'
fi
if [ -z "$why" ]; then
	ok "$what ($ops_after kernel operations before and after)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 3 ---------------------------------------------------------------------
what="scenario 3: 44.3.3.0/24 moves from peer2 to peer3: the route follows,"
what="$what the unused gif goes, traffic reaches peer3"
want_of "$WORK/t3.table" >"$WORK/want3"
line=$(($(log_lines) + 1))
t0=$(now)
feed "$WORK/t3.table"
why=
if ! wait_for 30 state_reached "$WORK/want3"; then
	why="$(cat "$WORK/why")"
else
	converged=$(since "$t0")
	rx3=$(rx_packets peer3 tun0)
	rx2=$(rx_packets peer2 tun0)
	if ! ping_ok lan 44.3.3.1 2; then
		why="no reply from 44.3.3.1"
	elif [ "$(rx_packets peer3 tun0)" -le "$rx3" ]; then
		why="the replies did not come from peer3"
	elif [ "$(rx_packets peer2 tun0)" -ne "$rx2" ]; then
		why="peer2 still gets traffic"
	fi
fi
diag "scenario 3 changes:"
show_ops_since "$line"
if [ -z "$why" ]; then
	ok "$what (${converged}s)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 4 ---------------------------------------------------------------------
what="scenario 4: peer3 no longer advertised: after -x $EXPIRY its routes"
what="$what and gif are gone"
want_of "$WORK/t4.table" >"$WORK/want4"
t0=$(now)
feed "$WORK/t4.table"
why=
# Not advertised is not withdrawn: nothing may go before the expiry.
if state_is "$WORK/want4"; then
	why="peer3's routes went at once, before -x $EXPIRY"
elif ! wait_for $((EXPIRY + 30)) state_reached "$WORK/want4"; then
	why="$(cat "$WORK/why") after $(since "$t0")s"
else
	gone=$(since "$t0")
	ping_ok lan 44.2.2.1 2 || why="peer1 unreachable afterwards"
fi
if [ -z "$why" ]; then
	ok "$what (gone ${gone}s after the switch)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 5 ---------------------------------------------------------------------
what="scenario 5: kill -9 and restart: everything adopted, nothing deleted"
what="$what or re-added, at most one ping lost"
# Two peers and four routes to adopt: peer3 is advertised again.
feed "$WORK/t3.table"
wait_for 30 state_reached "$WORK/want3" ||
    diag "before the restart: $(cat "$WORK/why")"
router_state >"$WORK/state.before"
"$IP" netns exec lan ping -i 0.2 -c 60 -W 1 44.2.2.1 >"$WORK/ping5" 2>&1 &
pinger=$!
sleep 2
was_running=yes
daemon_alive || was_running=
kill -9 "$daemon_pid" 2>/dev/null
wait "$daemon_pid" 2>/dev/null
left=$(pidof 44meshd)
[ -z "$left" ] || diag "44meshd still running after kill -9: $left"
line=$(($(log_lines) + 1))
daemon_start
feed_wait 2
wait "$pinger"
router_state >"$WORK/state.after"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$WORK/ping5")
got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$WORK/ping5")
why=
if [ -z "$was_running" ]; then
	why="44meshd was not running before the kill"
elif ! daemon_alive; then
	why="the restarted daemon is not running"
elif [ -z "$sent" ] || [ -z "$got" ]; then
	why="no ping summary: $(tail -n 1 "$WORK/ping5")"
elif [ $((sent - got)) -gt 1 ]; then
	why="$((sent - got)) of $sent pings lost"
fi
if [ "$(ops_since "$line")" -ne 0 ]; then
	why="${why:+$why; }$(ops_since "$line") kernel changes after restart"
	show_ops_since "$line"
fi
if ! cmp -s "$WORK/state.before" "$WORK/state.after"; then
	why="${why:+$why; }links, addresses or table 44 differ"
	diff "$WORK/state.before" "$WORK/state.after" | sed 's/^/#   /'
fi
for pub in $PEER1_PUB $PEER3_PUB $AMPRGW_PUB; do
	n=$(gif_count_to "$pub")
	[ "$n" -le 1 ] || why="${why:+$why; }$n gifs to $pub"
done
state_is "$WORK/want3" || why="${why:+$why; }$(cat "$WORK/why")"
log_since "$line" | grep -i adopt | head -n 3 | sed 's/^/#   /'
if [ -z "$why" ]; then
	ok "$what ($((sent - got)) of $sent lost)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 5b --------------------------------------------------------------------
what="scenario 5b: restart with a gif as versions before the mark made it"
what="$what (adopted and marked, not re-made) and a hand-made one (left"
what="$what alone)"
g=$(gif_to "$PEER1_PUB")
why=
if [ -z "$g" ]; then
	why="no gif to $PEER1_PUB"
else
	kill "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	# Our mark taken off: what a 44meshd before marks left behind.
	"$IP" -n router link set dev "$g" alias ""
	# By hand, our local address, the same domains, no route uses it.
	"$IP" -n router link add gif9 type ipip local "$ROUTER_PUB" \
	    remote 198.18.0.9 ttl 64 &&
	"$IP" -n router link set gif9 master vrf44 &&
	"$IP" -n router link set gif9 up ||
	    why="cannot make gif9 by hand"
	before=$("$IP" -n router -o link show dev "$g" | cut -d: -f1)
	line=$(($(log_lines) + 1))
	daemon_start
	feed_wait 2
	after=$("$IP" -n router -o link show dev "$g" | cut -d: -f1)
	if ! daemon_alive; then
		why="${why:+$why; }the restarted daemon is not running"
	elif [ "$before" != "$after" ]; then
		why="${why:+$why; }$g was made again ($before, now $after)"
	elif ! "$IP" -n router -d -o link show dev "$g" |
	    grep -q ' alias 44meshd'; then
		why="${why:+$why; }$g was not marked"
	fi
	if ! "$IP" -n router -d -o link show dev gif9 >"$WORK/gif9" 2>&1; then
		why="${why:+$why; }the hand-made gif9 was deleted"
	elif grep -q ' alias ' "$WORK/gif9"; then
		why="${why:+$why; }the hand-made gif9 was changed"
	fi
	if [ "$(ops_since "$line")" -ne 0 ]; then
		why="${why:+$why; }$(ops_since "$line") kernel changes"
		show_ops_since "$line"
	fi
	# gif9 is not the daemon's: take it away before comparing.
	"$IP" -n router link del gif9 2>/dev/null
	wait_for 5 state_is "$WORK/want3" ||
	    why="${why:+$why; }$(cat "$WORK/why")"
fi
if [ -z "$why" ]; then
	ok "$what"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 6 ---------------------------------------------------------------------
what="scenario 6: a daemon-made gif deleted by hand is restored with its"
what="$what routes"
# Silence the feed: the restoration must come from the link notification,
# not from the next broadcast.
feed_stop
g=$(gif_to "$PEER1_PUB")
why=
if [ -z "$g" ]; then
	why="no gif to $PEER1_PUB to delete"
else
	t0=$(now)
	"$IP" -n router link del "$g"
	if ! wait_for 15 state_reached "$WORK/want3"; then
		why="not restored after 15s: $(cat "$WORK/why")"
	else
		restored=$(since "$t0")
		gifs_well_made >"$WORK/why" || why="$(cat "$WORK/why")"
		ping_ok lan 44.2.2.1 2 || why="${why:+$why; }no reply from 44.2.2.1"
		ping_ok lan 44.2.9.1 2 || why="${why:+$why; }no reply from 44.2.9.1"
	fi
fi
feed_start
if [ -z "$why" ]; then
	ok "$what (deleted $g, back in ${restored}s)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 7 ---------------------------------------------------------------------
what="scenario 7: datagrams from another source, with a wrong password, a"
what="$what wrong port or malformed change nothing"
# What a hostile table would do if it were believed: move, add, withdraw.
cat >"$WORK/hostile.table" <<EOF
44.2.2.0/24 $PEER2_PUB
44.8.8.0/24 203.0.113.99
44.2.9.0/28 $PEER1_PUB 16
EOF
pw=704c61496e54655874704173537744
pw="${pw}00"
e1="00020004 2c080800 ffffff00 cb007163 00000001"
cat >"$WORK/malformed.table" <<EOF
raw 02010000 ffff0002 $pw $e1
raw 01020000 ffff0002 $pw $e1
raw 02020000 00020004 2c080800 ffffff00 cb007163 00000001
raw 02020000 ffff0001 $pw $e1
raw 02020000 ffff0002 $pw 00020004 2c0808
raw 0202
EOF
router_state >"$WORK/state.before"
line=$(($(log_lines) + 1))
ops_before=$(daemon_status_ops)
hs="inns amprgw $BIN/ripsend -I tun0"
$hs -s "$HOSTILE_44" "$WORK/hostile.table" >"$WORK/hostile.out" 2>&1 &&
$hs -s "$AMPRGW_44" -p wRoNgPaSsWoRd "$WORK/hostile.table" \
    >>"$WORK/hostile.out" 2>&1 &&
$hs -s "$AMPRGW_44" -S 521 "$WORK/hostile.table" >>"$WORK/hostile.out" 2>&1 &&
$hs -s "$AMPRGW_44" "$WORK/malformed.table" >>"$WORK/hostile.out" 2>&1
sent_rc=$?
feed_wait 2
sleep 1
router_state >"$WORK/state.after"
ops_after=$(daemon_status_ops)
why=
if [ "$sent_rc" -ne 0 ]; then
	why="ripsend failed: $(tail -n 1 "$WORK/hostile.out")"
elif ! daemon_alive; then
	why="the daemon died"
fi
nothing_changed "$line" "$ops_before" "$ops_after"
refusals=$(log_since "$line" | grep -ciE 'refus|wrong|source|password')
if [ -z "$why" ]; then
	ok "$what ($refusals refusal lines logged)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 7b --------------------------------------------------------------------
what="scenario 7b: a peer forges amprgw's table (from $AMPRGW_44, the right"
what="$what password) through its own tunnel, to the group and to our"
what="$what address: refused, nothing changes"
# The daemon never joins the group on a tunnel it made, and refuses what
# arrives through one; a peer can still send both ways.
g=$(gif_to "$PEER1_PUB")
router_state >"$WORK/state.before"
line=$(($(log_lines) + 1))
ops_before=$(daemon_status_ops)
fs="inns peer1 $BIN/ripsend -s $AMPRGW_44"
"$IP" -n peer1 addr add "$AMPRGW_44/32" dev dummy0 &&
$fs -I tun0 "$WORK/hostile.table" >"$WORK/forged.out" 2>&1 &&
$fs -d "$ROUTER_44" "$WORK/hostile.table" >>"$WORK/forged.out" 2>&1
sent_rc=$?
feed_wait 2
sleep 1
router_state >"$WORK/state.after"
ops_after=$(daemon_status_ops)
"$IP" -n peer1 addr del "$AMPRGW_44/32" dev dummy0 2>/dev/null
why=
if [ -z "$g" ]; then
	why="no gif to $PEER1_PUB to send through"
elif [ "$sent_rc" -ne 0 ]; then
	why="ripsend failed: $(tail -n 1 "$WORK/forged.out")"
elif ! daemon_alive; then
	why="the daemon died"
elif ! log_since "$line" |
    grep -q "arrived through $g, a peer's tunnel: refused"; then
	why="no refusal naming $g logged"
fi
nothing_changed "$line" "$ops_before" "$ops_after"
if [ -z "$why" ]; then
	ok "$what (through $g)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 7c --------------------------------------------------------------------
what="scenario 7c: forged table through the catch-all: a host with no tunnel"
what="$what of ours (peer2) sends amprgw's table (from $AMPRGW_44, the right"
what="$what password) over IPIP into gif0, to the group and to our address:"
what="$what refused, nothing changes; amprgw's next broadcast is fully"
what="$what installed"
# What the attack would do if believed: move, add, withdraw, and lock out
# amprgw's own broadcasts with a route to its source.
cat "$WORK/hostile.table" >"$WORK/catchall.table"
echo "$AMPRGW_44/32 $PEER2_PUB" >>"$WORK/catchall.table"
# amprgw's next broadcast: T3 and one new route, which must get in.
cp "$WORK/t3.table" "$WORK/t7c.table"
echo "44.9.9.0/24 $PEER1_PUB" >>"$WORK/t7c.table"
want_of "$WORK/t7c.table" >"$WORK/want7c"
router_state >"$WORK/state.before"
line=$(($(log_lines) + 1))
ops_before=$(daemon_status_ops)
fs="inns peer2 $BIN/ripsend -s $AMPRGW_44"
why=
if [ -n "$(gif_to "$PEER2_PUB")" ]; then
	why="test bug: the router has a tunnel to peer2, gif0 is not in play"
elif ! "$IP" -n peer2 addr add "$AMPRGW_44/32" dev dummy0; then
	why="cannot give peer2 $AMPRGW_44"
elif ! $fs -I tun0 "$WORK/catchall.table" >"$WORK/catchall.out" 2>&1 ||
    ! $fs -d "$ROUTER_44" "$WORK/catchall.table" >>"$WORK/catchall.out" 2>&1
then
	why="ripsend failed: $(tail -n 1 "$WORK/catchall.out")"
fi
feed_wait 2
sleep 1
router_state >"$WORK/state.after"
ops_after=$(daemon_status_ops)
"$IP" -n peer2 addr del "$AMPRGW_44/32" dev dummy0 2>/dev/null
if [ -z "$why" ]; then
	if ! daemon_alive; then
		why="the daemon died"
	elif ! log_since "$line" | grep -q "arrived through gif0, the \
catch-all tunnel, open to anyone: refused"; then
		why="no refusal through gif0 logged"
	elif ! grep '44meshd: status:' "$DAEMON_LOG" | tail -n 1 |
	    grep -q "refused as through the catch-all tunnel"; then
		why="the status line does not count it"
	fi
fi
nothing_changed "$line" "$ops_before" "$ops_after"
if [ -z "$why" ]; then
	t0=$(now)
	feed "$WORK/t7c.table"
	if ! wait_for 30 state_reached "$WORK/want7c"; then
		why="amprgw's next broadcast not installed: $(cat "$WORK/why")"
	else
		installed=$(since "$t0")
	fi
fi
# Back to T3: the new route withdrawn, as amprgw would.
sed 's|^\(44.9.9.0/24 .*\)$|\1 16|' "$WORK/t7c.table" >"$WORK/t7c.withdraw"
feed "$WORK/t7c.withdraw"
wait_for 30 state_reached "$WORK/want3" ||
    diag "after 7c, T3 not restored: $(cat "$WORK/why")"
feed "$WORK/t3.table"
if [ -z "$why" ]; then
	ok "$what (next broadcast in ${installed}s)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 8 ---------------------------------------------------------------------
what="scenario 8: 1000 routes via 400 gateways installed completely"
echo "generate 7 1000 400" >"$WORK/scale.script"
why=
if ! "$BIN/mkpcap" -t "$WORK/scale.script" >"$WORK/scale.gen" \
    2>"$WORK/mkpcap.err"; then
	why="mkpcap -t failed: $(tail -n 1 "$WORK/mkpcap.err")"
else
	cat "$WORK/t3.table" "$WORK/scale.gen" >"$WORK/scale.table"
	want_of "$WORK/scale.table" >"$WORK/want8"
	nroutes=$(wc -l <"$WORK/want8")
	ngw=$(awk '{ print $2 }' "$WORK/want8" | sort -u | wc -l)
	diag "scale table: $(grep -c . "$WORK/scale.gen") lines," \
	    "$nroutes routes to install via $ngw gateways"
	# The clock starts at the table's first datagram: sent here at
	# once, not at the feed's next turn (up to FEED_PERIOD later).
	line=$(($(log_lines) + 1))
	cp "$WORK/scale.table" "$WORK/scale.first"
	t0=$(now)
	inns amprgw "$BIN/ripsend" -I tun0 -s "$AMPRGW_44" \
	    "$WORK/scale.first" >>"$WORK/feed/log" 2>&1 &
	feed "$WORK/scale.table"
	if ! wait_for 120 state_reached "$WORK/want8"; then
		why="not converged after $(since "$t0")s: $(cat "$WORK/why")"
	else
		converged=$(since "$t0")
		scale_ops=$(ops_since "$line")
	fi
fi
if [ -z "$why" ]; then
	ok "$what ($nroutes routes, $ngw gifs, converged in ${converged}s)"
	# /proc/uptime counts hundredths and wait_for polls every 0.5 s;
	# the guest has no strace (tests/vm/mkinitrd.sh), so kernel
	# operations are counted and timed rather than their system calls.
	awk -v s="$converged" -v r="$nroutes" -v g="$ngw" -v o="$scale_ops" \
	    'BEGIN {
		printf "bench vm_full_table_to_kernel_ms %d ms (%d routes via" \
		    " %d tunnels, first datagram to all in the kernel;" \
		    " polled every 0.5 s)\n", s * 1000, r, g
		if (o > 0)
			printf "bench vm_ms_per_kernel_operation %.2f ms" \
			    " (%d operations logged; no strace in the" \
			    " guest)\n", s * 1000 / o, o
	}'
else
	not_ok "$what" "$why"
	fail_diag
fi

# 8-ctl: 44meshctl against the real kernel: the summary counts what the
# kernel holds, and a longest-prefix look-up of an address inside each of
# the first 40 prefixes names the gif the kernel itself routes it by.
what="scenario 8-ctl: 44meshctl show summary and show routes ADDRESS agree"
what="$what with the kernel"
why=
n=$("$BIN/44meshctl" show summary 2>"$WORK/ctl.err" |
    awk '$1 == "Routes" { print $2 }')
if [ -z "$n" ]; then
	why="no summary: $(tail -n 1 "$WORK/ctl.err")"
elif [ "$n" -ne "$(our_routes | wc -l)" ]; then
	why="summary says $n routes, the kernel has $(our_routes | wc -l)"
fi
checked=0
for p in $(awk 'NR <= 40 { print $1 }' "$WORK/want8"); do
	[ -z "$why" ] || break
	addr=${p%/*}
	kdev=$("$IP" -n router route get "$addr" vrf vrf44 2>/dev/null |
	    awk '{ for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1) }')
	cdev=$("$BIN/44meshctl" show routes "$addr" 2>>"$WORK/ctl.err" |
	    awk 'NR == 2 { print $3 }')
	[ -n "$kdev" ] && [ "$kdev" = "$cdev" ] ||
	    why="$addr: the kernel routes it by ${kdev:-nothing},"
	[ -z "$why" ] || why="$why 44meshctl says ${cdev:-nothing}"
	checked=$((checked + 1))
done
if [ -z "$why" ]; then
	ok "$what ($n routes; $checked look-ups)"
else
	not_ok "$what" "$why"
fi

# 8b: kill -9 and restart at full scale: the milliseconds to adopt it all.
what="scenario 8b: after kill -9, the 1000-route table adopted whole"
why=
kill -9 "$daemon_pid" 2>/dev/null
wait "$daemon_pid" 2>/dev/null
line=$(($(log_lines) + 1))
t0=$(now)
daemon_start
adopted() { log_since "$line" | grep -q '^44meshd: adopted '; }
while ! adopted && awk -v a="$t0" -v b="$(now)" 'BEGIN { exit !(b - a < 60) }'
do
	sleep 0.05
done
adopt_s=$(since "$t0")
adopt_line=$(log_since "$line" | grep '^44meshd: adopted ' | head -n 1)
if [ -z "$adopt_line" ]; then
	why="no adoption logged after ${adopt_s}s"
elif ! daemon_alive; then
	why="the restarted daemon is not running"
else
	feed_wait 2
	state_is "$WORK/want8" || why="$(cat "$WORK/why")"
	[ "$(ops_since "$line")" -eq 0 ] ||
	    why="${why:+$why; }$(ops_since "$line") kernel changes after restart"
fi
if [ -z "$why" ]; then
	ok "$what (${adopt_s}s: ${adopt_line#44meshd: })"
	awk -v s="$adopt_s" -v l="${adopt_line#44meshd: }" 'BEGIN {
		printf "bench vm_restart_adopt_ms %d ms (start to \"%s\";" \
		    " polled every 0.05 s)\n", s * 1000, l
	}'
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- operator route at another metric ---------------------------------------
what="scenario op-metric: an operator route at metric 100 for an advertised"
what="$what prefix: 44meshd adds nothing over it and leaves it alone"
# Without the check, our metric-0 route would shadow it: NLM_F_EXCL only
# conflicts at an equal metric.  44.9.10.0/24, advertised beside it, shows
# the broadcast was heard and used.
"$IP" -n router route add 44.9.9.0/24 dev lan0 table 44 metric 100
"$IP" -n router route show table 44 44.9.9.0/24 >"$WORK/opm.before"
cp "$(cat "$WORK/feed/table")" "$WORK/opm.prev"
{
	grep -v -e '^44\.9\.9\.0/24 ' -e '^44\.9\.10\.0/24 ' "$WORK/opm.prev"
	echo "44.9.9.0/24 $PEER1_PUB"
	echo "44.9.10.0/24 $PEER1_PUB"
} >"$WORK/opm.table"
feed "$WORK/opm.table"
why=
if ! wait_for 30 eval '[ -n "$(route_dev 44.9.10.0/24)" ]'; then
	why="44.9.10.0/24, advertised beside it, was not installed"
fi
feed_wait 1
"$IP" -n router route show table 44 44.9.9.0/24 >"$WORK/opm.after"
if [ -n "$(route_dev 44.9.9.0/24)" ]; then
	why="${why:+$why; }44meshd added 44.9.9.0/24 via"
	why="$why $(route_dev 44.9.9.0/24) over the operator's route"
fi
if ! cmp -s "$WORK/opm.before" "$WORK/opm.after"; then
	why="${why:+$why; }the operator's route changed"
	diff "$WORK/opm.before" "$WORK/opm.after" | sed 's/^/#   /'
fi
daemon_alive || why="${why:+$why; }the daemon died"
"$IP" -n router route del 44.9.9.0/24 dev lan0 table 44 metric 100
feed "$WORK/opm.prev"
if [ -z "$why" ]; then
	ok "$what"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- the reserved units and the end -----------------------------------------
what="reserved gif0 and gif1 and the hand-made route untouched; SIGTERM"
what="$what leaves the mesh in place"
feed_stop
router_state >"$WORK/state.before"
reserved_state >"$WORK/reserved.after"
why=
if ! daemon_alive; then
	why="44meshd was not running"
elif ! kill -TERM "$daemon_pid" || ! wait_for 20 eval '! daemon_alive'; then
	why="44meshd still running 20s after SIGTERM"
fi
router_state >"$WORK/state.after"
if ! cmp -s "$WORK/reserved.before" "$WORK/reserved.after"; then
	why="${why:+$why; }gif0/gif1 changed"
	diff "$WORK/reserved.before" "$WORK/reserved.after" | sed 's/^/#   /'
fi
if ! cmp -s "$WORK/state.before" "$WORK/state.after"; then
	why="${why:+$why; }the mesh changed on SIGTERM"
	diff "$WORK/state.before" "$WORK/state.after" | head -n 10 |
	    sed 's/^/#   /'
fi
if [ -z "$why" ]; then
	ok "$what"
else
	not_ok "$what" "$why"
fi

# --- 9 ---------------------------------------------------------------------
what="scenario 9: with no tunnel to amprgw, 44meshd makes its own and hears"
what="$what amprgw through it; once the operator makes one, it moves there"
what="$what and deletes its own"
own_to_amprgw() {
	own=$(gif_to "$AMPRGW_PUB")
	[ -n "$own" ]
}
no_own_to_amprgw() {
	[ -z "$(gif_to "$AMPRGW_PUB")" ]
}
has_route() {
	[ -n "$(route_dev "$1")" ]
}
no_route() {
	[ -z "$(route_dev "$1")" ]
}
cp "$WORK/t3.table" "$WORK/t9.table"
echo "44.9.9.0/24 $PEER1_PUB" >>"$WORK/t9.table"
sed 's|^\(44.9.9.0/24 .*\)$|\1 16|' "$WORK/t9.table" >"$WORK/t9.withdraw"
"$IP" -n router link del gif1
line=$(($(log_lines) + 1))
own=
why=
daemon_start
feed_start
cp "$WORK/t9.table" "$WORK/feed/table.file"
echo "$WORK/feed/table.file" >"$WORK/feed/table"
if ! wait_for 15 own_to_amprgw; then
	why="no tunnel of its own to $AMPRGW_PUB after 15s"
elif ! log_since "$line" |
    grep -q "no tunnel to amprgw ($AMPRGW_PUB, -G) in rdomain 44"; then
	why="making $own not logged"
elif ! wait_for 30 has_route 44.9.9.0/24; then
	why="amprgw's table not heard through $own"
else
	made=$own
	"$IP" -n router link add amprgw0 type ipip local any \
	    remote "$AMPRGW_PUB" &&
	"$IP" -n router link set amprgw0 master vrf44 &&
	"$IP" -n router link set amprgw0 up
	if ! wait_for 15 no_own_to_amprgw; then
		why="$made still there 15s after the operator's amprgw0"
	elif ! log_since "$line" | grep -q "of the operator's is there"; then
		why="the move to amprgw0 not logged"
	else
		feed "$WORK/t9.withdraw"
		wait_for 30 no_route 44.9.9.0/24 ||
		    why="amprgw's table not heard through amprgw0"
	fi
fi
feed_stop
if daemon_alive; then
	kill -TERM "$daemon_pid"
	wait_for 20 eval '! daemon_alive' || diag "44meshd still running"
fi
if [ -z "$why" ]; then
	ok "$what (made $made, then moved to amprgw0)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 10 (issue 16, tunnel MTU) ---------------------------------------------
what="scenario 10: -m 1400: a restart sets the gifs of ours to MTU 1400 in"
what="$what place (same index), a new gif is made with it, gif0 keeps its own"
# daemon_stop: SIGTERM, and the daemon gone.
daemon_stop() {
	daemon_alive || return 0
	kill -TERM "$daemon_pid"
	wait_for 20 eval '! daemon_alive' || diag "44meshd still running"
}
# "INDEX NAME MTU" of the daemon-made gifs (not gif0 or gif1).
gif_mtus() {
	"$IP" -n router -o link show type ipip | awk '$2 ~ /^gif[0-9]+@/ &&
	    $2 !~ /^gif[01]@/ { for (i = 1; i < NF; i++) if ($i == "mtu")
	    print $1, $2, $(i + 1) }'
}
# all_mtu MTU N: at least N daemon-made gifs, every one with MTU.
all_mtu() {
	gif_mtus >"$WORK/mtus"
	[ "$(wc -l <"$WORK/mtus")" -ge "$2" ] &&
	    awk -v m="$1" '$3 != m { exit 1 }' "$WORK/mtus"
}
mtu_of() {
	"$IP" -n router -o link show dev "$1" | awk '{ for (i = 1; i < NF;
	    i++) if ($i == "mtu") print $(i + 1) }'
}
gif_mtus | awk '{ print $1, $2 }' >"$WORK/mtu.before"
gif0_mtu=$(mtu_of gif0)
line=$(($(log_lines) + 1))
why=
if [ ! -s "$WORK/mtu.before" ]; then
	why="test bug: no gif of ours left by scenario 9"
else
	# Adoption alone, before any broadcast: only the MTUs may change.
	daemon_start -m 1400
	if ! wait_for 15 all_mtu 1400 "$(wc -l <"$WORK/mtu.before")"; then
		why="MTUs after 15s: $(tr '\n' ' ' <"$WORK/mtus")"
	elif ! gif_mtus | awk '{ print $1, $2 }' | cmp -s - "$WORK/mtu.before"
	then
		why="the gifs were made again (indexes differ)"
	elif [ "$(ops_since "$line")" -ne 0 ]; then
		why="$(ops_since "$line") tunnels or routes added or deleted"
		show_ops_since "$line"
	elif [ "$(log_since "$line" | grep -c 'tunnel modify gif[0-9]* mtu 1400$')" \
	    -ne "$(wc -l <"$WORK/mtu.before")" ]; then
		why="not one logged change per gif"
	else
		# 44.3.3.0/24 back to peer2: a gif made now.
		feed_start
		feed "$WORK/t1.table"
		if ! wait_for 15 eval '[ -n "$(gif_to "$PEER2_PUB")" ]'; then
			why="no gif to peer2"
		elif [ "$(mtu_of "$(gif_to "$PEER2_PUB")")" != 1400 ]; then
			why="the new gif's MTU is"
			why="$why $(mtu_of "$(gif_to "$PEER2_PUB")")"
		elif ! ping_ok lan 44.3.3.1 2; then
			why="no reply from 44.3.3.1 through the new gif"
		fi
	fi
	[ "$(mtu_of gif0)" = "$gif0_mtu" ] ||
	    why="${why:+$why; }gif0's MTU went from $gif0_mtu to $(mtu_of gif0)"
	feed_stop
	daemon_stop
fi
if [ -z "$why" ]; then
	ok "$what ($(wc -l <"$WORK/mtu.before") changed in place)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# --- 11 (issue 16, a changing public address) -----------------------------
what="scenario 11: without -L the router's public address changes: every gif"
what="$what of ours takes the new local end in place (same index, no tunnel"
what="$what or route added or deleted), traffic flows again; an address gone"
what="$what with none in its place changes nothing"
ROUTER_MOVED=23.30.150.142
# repoint ADDRESS: the peers' and amprgw's tunnels to the router go there.
repoint() {
	"$IP" -n peer1 link set tun0 type ipip local "$PEER1_PUB" remote "$1" &&
	"$IP" -n peer2 link set tun0 type ipip local "$PEER2_PUB" remote "$1" &&
	"$IP" -n peer3 link set tun0 type ipip local "$PEER3_PUB" remote "$1" &&
	"$IP" -n amprgw link set tun0 type ipip local "$AMPRGW_PUB" \
	    remote "$1"
}
# "INDEX NAME LOCAL" of the daemon-made gifs (not gif0 or gif1).
gif_locals() {
	"$IP" -n router -d -o link show type ipip | awk '$2 ~ /^gif[0-9]+@/ &&
	    $2 !~ /^gif[01]@/ { for (i = 1; i < NF; i++) if ($i == "link/ipip")
	    print $1, $2, $(i + 1) }'
}
# Every daemon-made gif has local end $1.
locals_all() {
	gif_locals >"$WORK/locals"
	[ -s "$WORK/locals" ] &&
	    awk -v l="$1" '$3 != l { exit 1 }' "$WORK/locals"
}
pings_ok() {
	for dst in 44.2.2.1 44.3.3.1 44.4.4.1; do
		ping_ok lan "$dst" 2 || { echo "no reply from $dst"; return 1; }
	done
}
line=$(($(log_lines) + 1))
why=
"$IP" netns exec router "$BIN/44meshd" -d -v -D 44 -T 0 -l "$ROUTER_44" \
    -s 0 -s 1 -x "$EXPIRY" 2>>"$DAEMON_LOG" &
daemon_pid=$!
feed_start
feed "$WORK/t1.table"
# Scenario 8's gateways expire first.
if ! wait_for $((EXPIRY + 40)) state_reached "$WORK/want1"; then
	why="before the change: $(cat "$WORK/why")"
elif ! log_since "$line" | grep -q "public address $ROUTER_PUB (found"; then
	why="$ROUTER_PUB not found as the public address"
else
	# The feed waits while the address changes: sent meanwhile, T1's
	# entry via our old address would be a gateway's like any other.
	feed_stop
	gif_locals | awk '{ print $1, $2 }' >"$WORK/locals.before"
	line=$(($(log_lines) + 1))
	"$IP" -n router addr add "$ROUTER_MOVED/32" dev eth0
	"$IP" -n router addr del "$ROUTER_PUB/32" dev eth0
	repoint "$ROUTER_MOVED"
	t0=$(now)
	if ! wait_for 15 locals_all "$ROUTER_MOVED"; then
		why="local ends 15s after the change:"
		why="$why $(awk '{ print $2, $3 }' "$WORK/locals" | tr '\n' ' ')"
	elif ! gif_locals | awk '{ print $1, $2 }' |
	    cmp -s - "$WORK/locals.before"; then
		why="the gifs were made again (indexes differ)"
	fi
	# amprgw's table names our new address now.
	sed "s| $ROUTER_PUB\$| $ROUTER_MOVED|" "$WORK/t1.table" \
	    >"$WORK/feed/table.file"
	feed_start
	feed_wait 2
	if [ -n "$why" ]; then
		:
	elif ! wait_for 20 pings_ok >"$WORK/why"; then
		why="after the change: $(cat "$WORK/why")"
	else
		followed=$(since "$t0")
		n=$(log_since "$line" | grep -c "public address changed from \
$ROUTER_PUB to $ROUTER_MOVED: $(wc -l <"$WORK/locals.before") tunnels")
		[ "$n" -eq 1 ] || why="the change logged $n times, not once"
		if [ "$(ops_since "$line")" -ne 0 ]; then
			why="${why:+$why; }$(ops_since "$line") tunnels or"
			why="$why routes added, changed or deleted"
			show_ops_since "$line"
		fi
	fi
	# Gone with none in its place: everything stays, said once.
	feed_stop
	if [ -z "$why" ]; then
		line=$(($(log_lines) + 1))
		router_state >"$WORK/state.before"
		"$IP" -n router addr del "$ROUTER_MOVED/32" dev eth0
		wait_for 10 eval 'log_since "$line" | grep -q "is gone and none"'
		sleep 2
		router_state >"$WORK/state.after"
		if ! log_since "$line" | grep -q "public address $ROUTER_MOVED is \
gone and none has taken its place"; then
			why="the loss of $ROUTER_MOVED not logged"
		elif [ "$(log_since "$line" | grep -c "is gone and none")" -ne 1 ]
		then
			why="the loss logged more than once"
		else
			nothing_changed "$line" 0 0
		fi
	fi
fi
# Back to the first address, which the daemon follows too.  The last
# address of eth0 took the default route with it (Linux flushes a
# device's routes when its last IPv4 address goes).
feed_stop
"$IP" -n router addr add "$ROUTER_PUB/32" dev eth0 2>/dev/null
"$IP" -n router addr del "$ROUTER_MOVED/32" dev eth0 2>/dev/null
"$IP" -n router route replace default dev eth0
repoint "$ROUTER_PUB"
if [ -z "$why" ] && ! wait_for 15 locals_all "$ROUTER_PUB"; then
	why="not back to $ROUTER_PUB after 15s"
fi
cp "$WORK/t1.table" "$WORK/feed/table.file"
feed_start
feed_wait 1
if [ -z "$why" ] && ! wait_for 20 pings_ok >"$WORK/why"; then
	why="back at $ROUTER_PUB: $(cat "$WORK/why")"
fi
feed_stop
daemon_stop
if [ -z "$why" ]; then
	ok "$what ($(wc -l <"$WORK/locals.before") gifs followed, traffic" \
	    "again ${followed}s after the change)"
else
	not_ok "$what" "$why"
	fail_diag
fi

# Machine-read blocks for the host: the capture, the daemon's log.
if [ -s "$WORK/recorded.pcap" ]; then
	echo "@pcap-begin"
	base64 "$WORK/recorded.pcap"
	echo "@pcap-end"
fi
sed 's/^/@log /' "$DAEMON_LOG"
