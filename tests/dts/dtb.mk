# Device-tree fixtures for the host tests and the fuzzer's seed corpus: every
# tests/dts/*.dts compiled with dtc (-q: many are malformed on purpose), and
# QEMU's own trees (virt's, and sifive_u's), dumped by tests/dts/dump-qemu.sh
# for a few machines.

DTS_DTBS := $(patsubst tests/dts/%.dts,build/dtb/%.dtb,$(wildcard tests/dts/*.dts))

# QEMU dumps: build/dtb/qemu-NAME.dtb is dumped with QEMU_DUMP_NAME.
QEMU_DUMP_128m-smp1 := -m 128M -smp 1
QEMU_DUMP_2g-smp4   := -m 2G -smp 4
QEMU_DUMP_numa2     := -m 2G -smp 2 \
	-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G \
	-numa node,memdev=m0,cpus=0,nodeid=0 -numa node,memdev=m1,cpus=1,nodeid=1
QEMU_DUMP_append    := --initrd -m 256M -smp 2 -append "console=ttyS0 loglevel=7 fdtmap=yes"
# The HiFive Unleashed as make qemu BOARD=sifive_u starts it.
QEMU_DUMP_sifive-u  := --machine sifive_u --initrd -m 256M -smp 5
QEMU_DTBS := $(patsubst %,build/dtb/qemu-%.dtb,128m-smp1 2g-smp4 numa2 append sifive-u)

DTB_FIXTURES := $(DTS_DTBS) $(QEMU_DTBS)

build/dtb/%.dtb: tests/dts/%.dts $(wildcard tests/dts/*.dtsi) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  DTC     $@"
	$(Q)dtc -q -I dts -O dtb -o $@ $<

build/dtb/qemu-%.dtb: tests/dts/dump-qemu.sh tests/dts/dtb.mk | $(DEPS_STAMP)
	@echo "  QEMU    $@"
	$(Q)tests/dts/dump-qemu.sh $@ $(QEMU_DUMP_$*)
