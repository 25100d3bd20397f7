#!/bin/sh
# Extract upstream libfdt from Debian's linux-source-6.1 into an ignored cache
# folder and check every file against tools/libfdt.sha256. Never committed.
set -eu
dest=${1:-.cache/libfdt}
tarball=/usr/src/linux-source-6.1.tar.xz
sums=$(dirname "$0")/libfdt.sha256
if [ ! -f "$tarball" ]; then
	echo "libfdt: $tarball is missing; run: tools/deps.sh" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" linux-source-6.1/scripts/dtc/libfdt
src=$tmp/linux-source-6.1/scripts/dtc/libfdt
( cd "$src" && sha256sum -c --quiet "$OLDPWD/$sums" ) || {
	echo "libfdt: sources in $tarball do not match $sums" >&2
	exit 1
}
mkdir -p "$dest"
# Our own libfdt_env.h (kernel/) replaces upstream's, which needs libc.
for f in $(cut -d' ' -f3 "$sums"); do cp "$src/$f" "$dest/$f"; done
touch "$dest/.stamp"
echo "libfdt: extracted $(wc -l < "$sums") checked files into $dest"
