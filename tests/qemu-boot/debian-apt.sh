#!/bin/sh
# Run an apt command against Debian's archive with an apt configuration of its own: nothing of
# the host's /etc/apt (sources, apt.conf.d, preferences, keys, status) is read, and everything
# apt writes stays under STATE. Used for Debian 13's suites (K4, the trixie lane).
#
#   debian-apt.sh STATE "SUITE..." COMMAND [ARGS...]
#     STATE    private apt directory (created): apt.conf, sources.list, lists, cache
#     SUITE    trixie, trixie-updates, trixie-backports ... (component main, amd64)
#     COMMAND  apt-get, apt-cache ... run with APT_CONFIG pointing at STATE/apt.conf
#   environment: VFIO_BIND_DEBIAN_MIRROR (default http://deb.debian.org/debian)
#
# The lists are fetched when missing or older than a day; a failed update with lists present
# keeps the old ones (an offline rerun still resolves what it resolved before).
set -eu
[ $# -ge 3 ] || { echo "usage: $0 STATE \"SUITE...\" COMMAND [ARGS...]" >&2; exit 2; }
state=$1 suites=$2
shift 2
mirror=${VFIO_BIND_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$state/etc/apt.conf.d" "$state/etc/sources.list.d" "$state/etc/preferences.d" \
	"$state/etc/trusted.gpg.d" "$state/lists/partial" "$state/cache/archives/partial"
state=$(cd "$state" && pwd)
[ -f "$state/status" ] || : >"$state/status"
want=$(for s in $suites; do
	echo "deb [signed-by=$keyring] $mirror $s main"
done)
[ "$(cat "$state/sources.list" 2>/dev/null)" = "$want" ] || {
	printf '%s\n' "$want" >"$state/sources.list"
	rm -f "$state/updated"
}
cat >"$state/apt.conf" <<EOF
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$state/etc/apt.conf.d";
Dir::Etc::sourcelist "$state/sources.list";
Dir::Etc::sourceparts "$state/etc/sources.list.d";
Dir::Etc::preferences "$state/etc/preferences";
Dir::Etc::preferencesparts "$state/etc/preferences.d";
Dir::Etc::trusted "$state/etc/trusted.gpg";
Dir::Etc::trustedparts "$state/etc/trusted.gpg.d";
Dir::State::Lists "$state/lists";
Dir::State::status "$state/status";
Dir::Cache "$state/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
export APT_CONFIG=$state/apt.conf
if [ -z "$(find "$state/updated" -mmin -1440 2>/dev/null)" ]; then
	if apt-get -q update >"$state/update.log" 2>&1; then
		touch "$state/updated"
	elif ! ls "$state"/lists/*_Packages >/dev/null 2>&1; then
		tail -n 5 "$state/update.log" >&2
		echo "debian-apt: apt-get update failed ($mirror: $suites)" >&2
		exit 1
	fi
fi
exec "$@"
