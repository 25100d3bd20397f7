#!/bin/sh
# Write a bootable tree, QEMU's own for the machine below, broken in one way
# the kernel must name (or cope with) instead of hanging or trapping:
#   nomap-kernel  -m 128M -smp 1  a no-map /reserved-memory child over the kernel image
#   nomap-dtb     -m 128M -smp 1  a no-map /reserved-memory child over the DTB itself
#   cpu-reg8      -m 128M -smp 3  the third cpu node says reg = 8 (>= NCPU)
#   cpu-nommu     -m 128M -smp 2  cpu@1 has no mmu-type (no MMU: the kernel skips it)
#   cpu-isa       -m 128M -smp 2  cpu@1's riscv,isa is rv64imac (no F, D: skipped)
#   ram-beyond    -m 128M -smp 1  the memory node claims 256 MiB
#   ram-1t        -m 128M -smp 1  the memory node claims 1 TiB
#   virtio-in-ram -m 128M -smp 1  a virtio-mmio slot's reg inside RAM (0x80500000)
# Addresses that depend on the machine (the DTB's) are read from the dump.
# Usage: gen-bad-boot.sh KIND OUT.dts
set -eu
kind=$1
out=$2
smp=1
[ "$kind" = cpu-reg8 ] && smp=3
case $kind in cpu-nommu|cpu-isa) smp=2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-riscv64 -machine virt,dumpdtb="$tmp/q.dtb" -m 128M -smp $smp -bios none -nographic >/dev/null 2>&1
# No fixed rng-seed in a committed tree's output (docs/devicetree.md).
fdtput -d "$tmp/q.dtb" /chosen rng-seed
dtc -q -I dtb -O dts -o "$tmp/q.dts" "$tmp/q.dtb"

# Append a /reserved-memory node with one no-map child (name, base, size)
# before the root's closing "};".
nomap() {
	sed '$d' "$tmp/q.dts"
	printf '\treserved-memory {\n\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n'
	printf '\t\tranges;\n\t\t%s@%x {\n' "$1" "$2"
	printf '\t\t\treg = <0x00 0x%x 0x00 0x%x>;\n\t\t\tno-map;\n\t\t};\n\t};\n};\n' "$2" "$3"
}

case $kind in
nomap-kernel)
	# The kernel is linked at 0x80200000, where OpenSBI jumps.
	nomap kernel-overlap 0x80200000 0x10000 > "$out"
	;;
nomap-dtb)
	# QEMU 7.2 puts the DTB 2 MiB-aligned at the top of RAM below 3 GiB.
	reg=$(fdtget -t x "$tmp/q.dtb" /memory@80000000 reg)
	set -- $reg
	end=$(( (0x$1 << 32 | 0x$2) + (0x$3 << 32 | 0x$4) ))
	[ $end -gt $((0xc0000000)) ] && end=$((0xc0000000))
	nomap dtb-overlap $(( (end - 0x200000) & ~0x1fffff )) 0x10000 > "$out"
	;;
cpu-reg8)
	sed '/cpu@2 {/,/};/s/reg = <0x02>;/reg = <0x08>;/; s/cpu@2 {/cpu@8 {/' "$tmp/q.dts" > "$out"
	grep -q 'reg = <0x08>;' "$out"
	;;
cpu-nommu)
	sed '/cpu@1 {/,/};/{/mmu-type = /d}' "$tmp/q.dts" > "$out"
	[ "$(grep -c 'mmu-type = ' "$out")" = 1 ]
	;;
cpu-isa)
	sed '/cpu@1 {/,/};/s/riscv,isa = "[^"]*";/riscv,isa = "rv64imac_zicsr_zifencei";/' \
		"$tmp/q.dts" > "$out"
	grep -q 'riscv,isa = "rv64imac_zicsr_zifencei";' "$out"
	;;
ram-beyond)
	sed 's/reg = <0x00 0x80000000 0x00 0x8000000>;/reg = <0x00 0x80000000 0x00 0x10000000>;/' \
		"$tmp/q.dts" > "$out"
	grep -q '0x80000000 0x00 0x10000000>;' "$out"
	;;
ram-1t)
	sed 's/reg = <0x00 0x80000000 0x00 0x8000000>;/reg = <0x00 0x80000000 0x100 0x00>;/' \
		"$tmp/q.dts" > "$out"
	grep -q '0x80000000 0x100 0x00>;' "$out"
	;;
virtio-in-ram)
	sed '/virtio_mmio@10001000 {/,/};/s/reg = <0x00 0x10001000 0x00 0x1000>;/reg = <0x00 0x80500000 0x00 0x1000>;/' \
		"$tmp/q.dts" > "$out"
	grep -q 'reg = <0x00 0x80500000 0x00 0x1000>;' "$out"
	;;
*)
	echo "gen-bad-boot.sh: unknown kind $kind" >&2
	exit 2
	;;
esac
