#!/bin/sh
# harm_setup.sh — installs, with apt-get, the Debian packages whose files
# bench/harm_gen.py turns into a harm corpus: man pages in every locale Debian
# translates them into (manpages-* and their -dev sections), the tools that
# render them (man-db, groff-base, col from bsdextrautils), packages with many
# sibling reference pages (git-man, cmake-data, openssl: templated families that
# dedup must keep), C headers (libc6-dev, linux-libc-dev, zlib1g-dev,
# libssl-dev), tzdata (zone tables) and apt's English package descriptions.
# Idempotent: only what is missing is installed or fetched, and a package this
# release does not have is skipped.
# usage: sh bench/harm_setup.sh        (as root, or with sudo available)
set -eu
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
BASE="man-db groff-base bsdextrautils git-man cmake-data openssl libssl-dev
      zlib1g-dev libc6-dev linux-libc-dev tzdata manpages manpages-dev"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# The locale packages are found by name so that a release with more or fewer
# translations needs no change here.
[ -n "$(apt-cache search --names-only '^manpages-de$' 2>/dev/null)" ] || $SUDO apt-get update -q
LOCALES=$(apt-cache search --names-only '^manpages-' | awk '{print $1}' | sort)
want=""
for p in $BASE $LOCALES; do
    installed "$p" && continue
    apt-cache show "$p" >/dev/null 2>&1 || { echo "harm_setup: no package $p, skipped" >&2; continue; }
    want="$want $p"
done
# Long package descriptions live in apt's Translation-en lists, which Debian's
# container images do not fetch (Acquire::Languages "none"): fetch them once.
if ! ls /var/lib/apt/lists/*_i18n_Translation-en* >/dev/null 2>&1; then
    $SUDO apt-get update -q -o Acquire::Languages=en
fi
if [ -z "$want" ]; then
    echo "harm_setup: everything is installed"
    exit 0
fi
echo "harm_setup: installing$want"
# man-db's trigger rebuilds its index after every package; it is not needed
# to render a page by path, so it is turned off for the install.
echo "man-db man-db/auto-update boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $want
