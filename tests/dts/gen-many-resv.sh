#!/bin/sh
# Write a bootable device tree (for -m 256M -smp 2) whose /reserved-memory
# has 200 static children: more than memblock's 128 static entries, so its
# reserved array must double, and a fragmented RAM for the demonstrations.
# Usage: gen-many-resv.sh OUT.dts
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-riscv64 -machine virt,dumpdtb="$tmp/q.dtb" -m 256M -smp 2 -bios none -nographic >/dev/null
dtc -q -I dtb -O dts -o "$tmp/q.dts" "$tmp/q.dtb"
# Drop the final "};" of the root node, append our node, close the root.
sed '$d' "$tmp/q.dts" > "$out"
{
	echo "	reserved-memory {"
	echo "		#address-cells = <0x02>;"
	echo "		#size-cells = <0x02>;"
	echo "		ranges;"
	i=0
	while [ $i -lt 200 ]; do
		# 4 KiB holes every 68 KiB from 0x84000000: 200 islands over ~13.3 MiB
		addr=$(printf '%x' $((0x84000000 + i * 0x11000)))
		echo "		demo$i@$addr {"
		echo "			reg = <0x00 0x$addr 0x00 0x1000>;"
		echo "		};"
		i=$((i + 1))
	done
	echo "	};"
	echo "};"
} >> "$out"
