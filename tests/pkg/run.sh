#!/bin/sh
# The packages (issue 19).  Builds the Debian package from a copy of the
# tree with dpkg-buildpackage, runs lintian on it, checks its contents
# against what `make install` writes plus the systemd files, installs it
# into a throwaway root (maintainer scripts included: the _44meshd user
# must appear there), replays the bundled capture with the installed
# 44meshd, verifies the unit with systemd-analyze, records its security
# score, checks its system call filter and address families against
# what the daemon really does (strace, in a network namespace), and
# compares the OpenBSD port's PLIST with `make install OS=OpenBSD`.
#
# Run from the top of the tree after make: sh tests/pkg/run.sh
# Linux only; a missing tool is a SKIP (a failure when CI=true).  One
# "ok N - what" / "not ok N - what: why" line per check, then "N passed,
# M failed".  Everything it makes goes into a temporary folder.

set -u

port=contrib/openbsd-port/net/44meshd
unit=contrib/systemd/44meshd.service
tmp=

# ok, not_ok, skip, finish: the check lines the netns suites print.
. tests/netns/tap.sh

trap '[ -n "$tmp" ] && rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

[ "$(uname -s)" = Linux ] || { echo "SKIP: Debian packaging is Linux's";
    finish; }
for tool in dpkg-buildpackage dh lintian dpkg-deb git; do
	command -v "$tool" >/dev/null 2>&1 ||
	    skip "no $tool (make deps installs it)"
done
[ -x ./44meshd ] || { not_ok "build" "no ./44meshd (run make)"; finish; }
tmp=$(mktemp -d /tmp/44meshd-pkg.XXXXXX) || exit 1

# 1. Build, from a copy: dpkg-buildpackage writes beside the tree.
mkdir "$tmp/src"
git ls-files -co --exclude-standard -z |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null |
    tar -xf - -C "$tmp/src"
(cd "$tmp/src" && DEB_BUILD_OPTIONS=noddebs dpkg-buildpackage -us -uc -b) \
    >"$tmp/build.log" 2>&1
rc=$?
deb=$(ls "$tmp"/44meshd_*.deb 2>/dev/null | head -n 1)
if [ $rc -ne 0 ] || [ -z "$deb" ]; then
	not_ok "dpkg-buildpackage -us -uc -b" "exit $rc: $(tail -n 5 \
	    "$tmp/build.log" | tr '\n' ' ')"
	finish
fi
ok "dpkg-buildpackage -us -uc -b builds $(basename "$deb")"

# 2. lintian: no error, no warning but those overridden, and every
# override explained by the comment line above it.
lintian --fail-on error,warning --tag-display-limit 0 "$deb" \
    >"$tmp/lintian.txt" 2>&1
rc=$?
grep -v -e '^running with root privileges' "$tmp/lintian.txt" |
    sed 's/^/#   /'
if [ $rc -eq 0 ]; then
	ok "lintian: no errors, no warnings"
else
	not_ok "lintian" "exit $rc: $(grep -e '^[EW]:' "$tmp/lintian.txt" |
	    head -n 3 | tr '\n' ' ')"
fi
unexplained=$(awk '
	/^#/ { commented = 1; next }
	/^[[:space:]]*$/ { commented = 0; next }
	{ if (!commented) print FILENAME ": " $0; commented = 0 }
' debian/*lintian-overrides 2>/dev/null)
if ! ls debian/*lintian-overrides >/dev/null 2>&1; then
	ok "no lintian overrides"
elif [ -z "$unexplained" ]; then
	ok "every lintian override has a comment saying why"
else
	not_ok "lintian overrides explained" "$unexplained"
fi

# 3. Contents: exactly what make install writes (with Debian's paths,
# manuals compressed), the systemd files, and dpkg's documentation.
(cd "$tmp/src" && make -s PREFIX=/usr MANDIR=/usr/share/man/man8 \
    DESTDIR="$tmp/stage" install) >"$tmp/stage.log" 2>&1 ||
    not_ok "make install into a stage" "$(tail -n 3 "$tmp/stage.log")"
{
	(cd "$tmp/stage" && find . ! -type d) | sed -e 's|^\./||' \
	    -e 's|^\(usr/share/man/.*\)$|\1.gz|'
	cat <<-EOF
	etc/default/44meshd
	lib/systemd/system/44meshd.service
	usr/lib/sysusers.d/44meshd.conf
	usr/lib/tmpfiles.d/44meshd.conf
	usr/share/doc/44meshd/changelog.gz
	usr/share/doc/44meshd/copyright
	EOF
} | sort >"$tmp/contents.want"
dpkg-deb --fsys-tarfile "$deb" | tar -tf - | grep -v '/$' |
    sed 's|^\./||' | sort >"$tmp/contents.have"
if cmp -s "$tmp/contents.want" "$tmp/contents.have"; then
	ok "contents: $(tr '\n' ' ' <"$tmp/contents.have")"
else
	not_ok "contents" "$(diff "$tmp/contents.want" "$tmp/contents.have" |
	    grep '^[<>]' | tr '\n' ' ')"
fi
nobin=""
for b in $(grep -e '^usr/sbin/' "$tmp/contents.have"); do
	grep -q -x -e "usr/share/man/man8/${b##*/}.8.gz" \
	    "$tmp/contents.have" || nobin="$nobin ${b##*/}"
done
if grep -q -x usr/sbin/44meshd "$tmp/contents.have" && [ -z "$nobin" ]
then
	ok "usr/sbin has 44meshd, and every program its manual page"
else
	not_ok "programs and manual pages" "without a page:${nobin:- none}"
fi
if dpkg-deb -I "$deb" conffiles 2>/dev/null |
    grep -q -x /etc/default/44meshd; then
	ok "/etc/default/44meshd is a conffile"
else
	not_ok "/etc/default/44meshd is a conffile" "not in conffiles"
fi

# 4. Install into a throwaway root, maintainer scripts run against it
# (DPKG_ROOT): systemd-sysusers makes the user, the unit gets enabled.
# Without root dpkg cannot own the files: unpack only.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" \
    "$root/etc"
: >"$root/var/lib/dpkg/status"
if [ "$(id -u)" -eq 0 ]; then
	dpkg --root="$root" --force-script-chrootless --force-depends \
	    --log=/dev/null -i "$deb" >"$tmp/dpkg.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "dpkg --root installs it, maintainer scripts included"
	else
		not_ok "dpkg --root -i" "exit $rc: $(tail -n 3 \
		    "$tmp/dpkg.log" | tr '\n' ' ')"
	fi
	user=$(grep -e '^_44meshd:' "$root/etc/passwd" 2>/dev/null)
	uid=$(echo "$user" | cut -d: -f3)
	gid=$(grep -e '^_44meshd:' "$root/etc/group" 2>/dev/null |
	    cut -d: -f3)
	shell=$(echo "$user" | cut -d: -f7)
	if [ -n "$uid" ] && [ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] &&
	    [ "$(echo "$user" | cut -d: -f4)" = "$gid" ] &&
	    [ "$shell" = /usr/sbin/nologin ]; then
		ok "postinst made system user _44meshd ($uid, group $gid, no login)"
	else
		not_ok "the _44meshd user" "passwd: '$user', group: '$gid'"
	fi
	if [ -L "$root/etc/systemd/system/multi-user.target.wants/44meshd.service" ]
	then
		ok "the unit is enabled"
	else
		not_ok "the unit is enabled" "no multi-user.target.wants link"
	fi
else
	echo "# not root: unpacked only, maintainer scripts not run"
	dpkg-deb -x "$deb" "$root"
fi

# 5. The installed daemon replays the bundled capture exactly as the
# tree's own does, and as the expected report says.
args=$(cat pcaps/full-table.args)
# shellcheck disable=SC2086
"$root/usr/sbin/44meshd" -n $args -r pcaps/full-table.pcap \
    >"$tmp/replay.pkg" 2>"$tmp/replay.err"
rc=$?
# shellcheck disable=SC2086
./44meshd -n $args -r pcaps/full-table.pcap >"$tmp/replay.tree" \
    2>/dev/null
if [ $rc -eq 0 ] && cmp -s "$tmp/replay.pkg" "$tmp/replay.tree" &&
    cmp -s "$tmp/replay.pkg" pcaps/full-table.expected; then
	ok "installed 44meshd -n -r: $(tail -n 1 "$tmp/replay.pkg")"
else
	not_ok "installed 44meshd -n -r" "exit $rc, $(tail -n 1 \
	    "$tmp/replay.pkg"; head -n 2 "$tmp/replay.err")"
fi

# 6. The unit as installed, its programs pointed into the root.
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "# SKIP: no systemd-analyze: the unit is not verified"
	[ "${CI:-}" = true ] && not_ok "systemd-analyze" "absent (CI=true)"
else
	mkdir "$tmp/unit"
	sed "s|/usr/sbin/44meshd|$root/usr/sbin/44meshd|g" \
	    "$root/lib/systemd/system/44meshd.service" \
	    >"$tmp/unit/44meshd.service"
	MANPATH=$root/usr/share/man systemd-analyze verify \
	    "$tmp/unit/44meshd.service" >"$tmp/verify.txt" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$tmp/verify.txt" ]; then
		ok "systemd-analyze verify: clean"
	else
		not_ok "systemd-analyze verify" "exit $rc: $(head -n 3 \
		    "$tmp/verify.txt" | tr '\n' ' ')"
	fi
	# The score README.md records must be the unit's.
	score=$(systemd-analyze security --offline=yes \
	    "$tmp/unit/44meshd.service" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	recorded=$(sed -n \
	    's/.*systemd-analyze security.* scores it \([0-9.]*\).*/\1/p' \
	    README.md | head -n 1)
	if [ -n "$score" ] && [ "$score" = "$recorded" ]; then
		ok "systemd-analyze security: exposure $score, as README.md says"
	else
		not_ok "systemd-analyze security" \
		    "exposure '$score', README.md records '$recorded'"
	fi
fi

# 7. What the daemon does, under strace in a network namespace, against
# the unit's capabilities, SystemCallFilter and RestrictAddressFamilies.
sh tests/pkg/unitcheck.sh "$unit" "$tmp/sys"
rc=$?
case $rc in
0)	ok "the daemon runs with the unit's capabilities, and the unit\
 allows every system call and address family it used\
 ($(cat "$tmp/sys/summary"))" ;;
77)	echo "# SKIP: $(cat "$tmp/sys/summary")"
	[ "${CI:-}" = true ] && not_ok "system calls" "skipped (CI=true)" ;;
*)	not_ok "system call filter" "$(cat "$tmp/sys/summary")" ;;
esac

# 8. The OpenBSD port: PLIST against make install with OS=OpenBSD (the
# binaries already built stand in: only names count), the rc script
# against upstream's, the user entries against each other.
(cd "$tmp/src" && make -s -o 44meshd -o 44meshctl OS=OpenBSD \
    DESTDIR="$tmp/obsd" install) >"$tmp/obsd.log" 2>&1 ||
    not_ok "make install OS=OpenBSD" "$(tail -n 3 "$tmp/obsd.log")"
(cd "$tmp/obsd" && find . ! -type d) | sed -e 's|^\./usr/local/||' \
    -e 's|^\./etc/rc\.d/|${RCDIR}/|' | sort >"$tmp/plist.want"
grep -v -e '^@newuser ' -e '^@newgroup ' -e '^@comment ' \
    -e '^share/doc/pkg-readmes/\${PKGSTEM}$' "$port/pkg/PLIST" |
    sed 's/^@[a-z]* //' | sort >"$tmp/plist.have"
if cmp -s "$tmp/plist.want" "$tmp/plist.have"; then
	ok "pkg/PLIST lists what make install OS=OpenBSD writes"
else
	not_ok "pkg/PLIST" "$(diff "$tmp/plist.want" "$tmp/plist.have" |
	    grep '^[<>]' | tr '\n' ' ')"
fi
rcname=$(sed -n 's|^@rcscript \${RCDIR}/||p' "$port/pkg/PLIST")
code() {	# the lines of an rc script that do something
	grep -v -e '^#' -e '^[[:space:]]*$' "$1" |
	    sed 's|\${TRUEPREFIX}|/usr/local|'
}
if [ -f "$port/pkg/$rcname.rc" ] && [ -f "rc.d/$rcname" ] &&
    [ "$(code "$port/pkg/$rcname.rc")" = "$(code "rc.d/$rcname")" ] &&
    [ "$(sed -n 1p "$port/pkg/$rcname.rc")" = '#!/bin/ksh' ]; then
	ok "pkg/$rcname.rc does what rc.d/$rcname does"
else
	not_ok "pkg/$rcname.rc" "differs from rc.d/$rcname or missing"
fi
gid=$(sed -n 's/^@newgroup _44meshd:\([0-9]*\)$/\1/p' "$port/pkg/PLIST")
if grep -q -x -e "@newuser _44meshd:$gid:_44meshd::[^:]*:/var/empty:/sbin/nologin" \
    "$port/pkg/PLIST" && [ -n "$gid" ] && [ -s "$port/pkg/README" ] &&
    [ -s "$port/pkg/DESCR" ]; then
	ok "PLIST makes _44meshd ($gid), group alike, /var/empty, nologin"
else
	not_ok "PLIST user" "@newuser/@newgroup for _44meshd do not match"
fi

finish
