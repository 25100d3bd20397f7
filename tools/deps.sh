#!/bin/sh
# Install every Debian package the build, QEMU runs and tests need, if any
# is missing. As root it runs apt-get; otherwise it prints the command.
set -eu
PKGS="make gcc libc6-dev gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
qemu-system-misc opensbi device-tree-compiler gdb-multiarch libfdt-dev
linux-source-6.1 xz-utils libcmocka-dev clang libclang-rt-14-dev python3
python3-pexpect python3-pyelftools python3-rich python3-matplotlib python3-yaml chromium git
unzip zip"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "Missing Debian packages:$missing" >&2
	echo "Run this as root, then try again:" >&2
	echo "  $cmd" >&2
	exit 1
fi
echo "deps: installing$missing"
sh -c "$cmd"
