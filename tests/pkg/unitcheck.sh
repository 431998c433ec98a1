#!/bin/sh
# Does the unit let the daemon do what it does?  Runs ./44meshd for real
# (not -n) in a network namespace, under strace -f and under the unit's
# capability bounding set and no_new_privs (setpriv), with the unit's
# fixed flags (-d, -f, -P, -c) and a control group (-w): it starts,
# hears a table from tools/ripsend through a veth, tries to make the
# tunnels (this kernel has no ipip: it fails, logs and retries, which
# costs the same system calls), is reloaded (SIGHUP), asked for its
# status (SIGUSR1) and stopped.  It must start and stop cleanly with
# those capabilities; every system call any of its processes made must
# be in the unit's SystemCallFilter, as systemd-analyze expands it;
# every socket's family in RestrictAddressFamilies.  The daemon's own
# filter on its network engine stacks on the unit's, so the unit must
# allow both processes' calls.
#
# usage: sh tests/pkg/unitcheck.sh UNIT OUTDIR
# Exits 0 (all allowed), 1 (something denied: named in OUTDIR/summary)
# or 77 (cannot run here: why in OUTDIR/summary).

set -u
unit=$1
out=$2
ns=m44s$$
nsx=m44x$$
dpid=

mkdir -p "$out" || exit 1
summary() {	# status text...
	_status=$1
	shift
	echo "$*" >"$out/summary"
	exit "$_status"
}
cleanup() {
	[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	ip netns del "$nsx" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

[ "$(id -u)" -eq 0 ] || summary 77 "not root: no network namespace"
for tool in ip setpriv strace systemd-analyze timeout; do
	command -v "$tool" >/dev/null 2>&1 || summary 77 "no $tool"
done
[ -x ./44meshd ] && [ -x ./tools/ripsend ] && [ -x ./tools/mkpcap ] ||
    summary 77 "no ./44meshd, tools/ripsend or tools/mkpcap (run make)"

# The allowed set: the unit's SystemCallFilter lines in order (an allow
# list first, then "~" lines take away), groups expanded recursively.
systemd-analyze syscall-filter --no-pager >"$out/groups.txt" 2>/dev/null
sed -n 's/^SystemCallFilter=//p' "$unit" >"$out/filter.txt"
[ -s "$out/filter.txt" ] || summary 1 "$unit has no SystemCallFilter"
awk '
	FNR == NR {
		if ($1 ~ /^@/ && NF == 1 && $0 !~ /^[[:space:]]/)
			group = $1
		else if (group != "" && NF == 1 && $1 !~ /^#/)
			members[group] = members[group] " " $1
		next
	}
	function expand(name, how,    n, i, list) {
		if (name !~ /^@/) {
			if (how == "allow") allowed[name] = 1
			else delete allowed[name]
			return
		}
		if (seen[how, name]++) return
		n = split(members[name], list, " ")
		for (i = 1; i <= n; i++) expand(list[i], how)
	}
	{
		how = "allow"
		if (sub(/^~/, "")) how = "deny"
		for (i = 1; i <= NF; i++) expand($i, how)
	}
	END { for (s in allowed) print s }
' "$out/groups.txt" "$out/filter.txt" | sort >"$out/allowed.txt"
[ "$(wc -l <"$out/allowed.txt")" -gt 100 ] ||
    summary 1 "the filter expands to $(wc -l <"$out/allowed.txt") calls"
sed -n 's/^RestrictAddressFamilies=//p' "$unit" | tr ' ' '\n' |
    grep -v '^$' | sort >"$out/families.txt"
# CAP_NET_ADMIN CAP_KILL ... as setpriv takes them: +net_admin,+kill
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z ' 'a-z\n' |
    sed -n 's/^cap_\(.*\)/+\1/p' | paste -s -d, -)
[ -n "$caps" ] || summary 1 "$unit has no CapabilityBoundingSet"
grep -q -x 'NoNewPrivileges=yes' "$unit" || summary 1 "no NoNewPrivileges"

# Two namespaces: the router, and amprgw behind gif1 (a veth).
ip netns add "$ns" || summary 77 "cannot make a network namespace"
ip netns add "$nsx" || summary 77 "cannot make a second namespace"
ip -n "$ns" link add gif1 type veth peer name far netns "$nsx" ||
    summary 77 "no veth"
setup=0
ip -n "$ns" link set lo up || setup=1
ip -n "$ns" addr add 198.51.100.1/24 dev gif1 || setup=1
ip -n "$ns" link set gif1 up || setup=1
ip -n "$nsx" link set lo up || setup=1
ip -n "$nsx" addr add 44.0.0.1/24 dev far || setup=1
ip -n "$nsx" link set far up || setup=1
ip -n "$nsx" route add 224.0.0.0/4 dev far || setup=1
[ $setup -eq 0 ] || summary 1 "setting up the namespaces failed"
printf 'generate 1 48 30\n' >"$out/table.script"
./tools/mkpcap -t "$out/table.script" >"$out/table.txt" ||
    summary 1 "mkpcap -t failed"

# -w daemon: a group root is not in, so giving it the control socket
# takes CAP_CHOWN.
timeout -s KILL 60 ip netns exec "$ns" setpriv --bounding-set="-all,$caps" \
    --no-new-privs strace -f -qq -o "$out/trace" \
    ./44meshd -d -v -U -s 1 -D 0 -T 0 -L 198.51.100.1 -l 44.44.107.1 \
    -f "$out/encap.txt" -P "$out/44meshd.pid" -c "$out/44meshd.sock" \
    -w daemon >"$out/daemon.out" 2>"$out/daemon.err" &
tpid=$!
ticks=100
while [ $ticks -gt 0 ] && ! grep -q "listening on port 520" \
    "$out/daemon.err" 2>/dev/null; do
	sleep 0.1
	ticks=$((ticks - 1))
done
dpid=$(cat "$out/44meshd.pid" 2>/dev/null)
[ -n "$dpid" ] && [ $ticks -gt 0 ] || summary 1 "the daemon did not" \
    "start: $(tail -n 2 "$out/daemon.err" | tr '\n' ' ')"
ip netns exec "$nsx" ./tools/ripsend -s 44.0.0.1 -I far "$out/table.txt" \
    >"$out/ripsend.log" 2>&1 || summary 1 "ripsend failed"
sleep 2
kill -HUP "$dpid"
sleep 1
kill -USR1 "$dpid"
sleep 1
kill -TERM "$dpid"
wait "$tpid"
rc=$?
dpid=
[ $rc -eq 0 ] || summary 1 "the daemon exited $rc under strace"
grep -q "routes" "$out/daemon.err" ||
    summary 1 "no status line: $(tail -n 1 "$out/daemon.err")"

sed -n -e 's/^[0-9][0-9]* *\([a-z_0-9]*\)(.*/\1/p' \
    -e 's/^[0-9][0-9]* *<\.\.\. \([a-z_0-9]*\) resumed>.*/\1/p' \
    "$out/trace" | sort -u >"$out/used.txt"
sed -n 's/^[0-9][0-9]* *socket\(pair\)*(\(AF_[A-Z0-9]*\).*/\2/p' \
    "$out/trace" | sort -u >"$out/used-families.txt"
denied=$(comm -23 "$out/used.txt" "$out/allowed.txt" | tr '\n' ' ')
families=$(comm -23 "$out/used-families.txt" "$out/families.txt" |
    tr '\n' ' ')
[ -z "$denied" ] && [ -z "$families" ] ||
    summary 1 "not allowed by the unit: ${denied}${families}"
summary 0 "$(wc -l <"$out/used.txt" | tr -d ' ') calls by" \
    "$(sed -n 's/^\([0-9][0-9]*\) .*/\1/p' "$out/trace" | sort -u |
    wc -l | tr -d ' ') process(es), families" \
    "$(paste -s -d ' ' "$out/used-families.txt")"
