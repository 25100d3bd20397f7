#!/bin/sh
# Write QEMU's own tree for -m 128M -smp 1 with the memory node's reg cut to
# three cells (not a whole (address, size) pair): the kernel must stop with
# a panic that names /memory@80000000, and QEMU must exit non-zero.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-riscv64 -machine virt,dumpdtb="$tmp/q.dtb" -m 128M -smp 1 -bios none -nographic >/dev/null
dtc -q -I dtb -O dts -o "$tmp/q.dts" "$tmp/q.dtb"
sed '/memory@80000000 {/,/};/s/reg = <0x00 0x80000000 0x00 0x8000000>;/reg = <0x00 0x80000000 0x00>;/' "$tmp/q.dts" > "$1"
grep -q 'reg = <0x00 0x80000000 0x00>;' "$1"
