#!/bin/sh
# Dump QEMU's own device tree (virt's, or --machine NAME's) for the given
# machine options, trimmed to
# the header's totalsize (QEMU writes out its whole 1 MiB buffer). dumpdtb
# makes QEMU exit as soon as the tree is built: well under a second.
# -append needs -kernel, so a small stand-in kernel is always passed (it is
# never run); --initrd adds a 4 KiB stand-in initrd (/chosen/linux,initrd-*).
# Usage: dump-qemu.sh OUT.dtb [--machine NAME] [--initrd] [qemu options...]
set -eu
out=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 4096 /dev/zero > "$tmp/kernel"
machine=virt
if [ "${1:-}" = --machine ]; then
	machine=$2
	shift 2
fi
initrd=
if [ "${1:-}" = --initrd ]; then
	shift
	head -c 4096 /dev/zero > "$tmp/initrd"
	initrd="-initrd $tmp/initrd"
fi
# shellcheck disable=SC2086 # $initrd is empty or two words
qemu-system-riscv64 -machine "$machine,dumpdtb=$tmp/q.dtb" -bios none -nographic \
	-kernel "$tmp/kernel" $initrd "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
# totalsize: big-endian, header bytes 4..7
size=$(od -An -tu1 -j4 -N4 "$tmp/q.dtb" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
mkdir -p "$(dirname "$out")"
head -c "$size" "$tmp/q.dtb" > "$out"
