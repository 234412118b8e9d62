#!/bin/sh
# Install the Debian packages every part of the build and the tests needs (scripts/deps/*.list,
# one package per line, # comments). As root: apt-get installs what is missing. Otherwise: print
# the exact command and fail.
set -eu
here=$(dirname "$0")
pkgs=$(sed -e 's/#.*//' "$here"/deps/*.list | tr -s ' \n' '\n' | sort -u | grep -v '^$')
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "vfio-bind: missing build dependencies; run as root:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi
echo "vfio-bind: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null 2>&1 || apt-get update
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
