# The teaching kernel's build. `make help` lists every target and variable.
# Build output goes to build/ (kernel) and build/host/ (host tests); the
# upstream libfdt sources are extracted into .cache/libfdt by tools/libfdt.sh.

MAKEFLAGS += -r
# Builds use every core unless the command line says otherwise (make -j1
# for a serial build whose output reads in order). Only builds: a target
# that runs a script which calls make itself (test, grade, bench, ...)
# would hand that make a job server it cannot use.
BUILD_GOALS := all qemu qemu-gdb host-tests
ifeq ($(filter -j%,$(MAKEFLAGS)),)
ifeq ($(filter-out $(BUILD_GOALS) %.elf %.img %.o,$(or $(MAKECMDGOALS),all)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif
endif
ALLOCATORS := bump bootmem memblock
ALLOC  ?= memblock
# BOARD changes only how QEMU is started, never the kernel (which reads
# the machine from the device tree): virt, or sifive_u, the HiFive
# Unleashed, whose five harts include hart 0, the E51 monitor core that
# cannot run the kernel, and which has no virtio: fs.img is an initrd.
BOARDS := virt sifive_u
BOARD  ?= virt
CPUS   ?= $(if $(filter sifive_u,$(BOARD)),5,3)
MEM    ?= 128M
DTB    ?=
APPEND ?=
AT     ?= 0
NUMA   ?=
# One port a user, as in the MIT labs, so that students sharing a machine do
# not meet on one stub; tools/gdbinit works out the same number.
GDBPORT ?= $(shell expr $$(id -u) % 5000 + 25000)
V      ?= 0

ifeq ($(filter $(ALLOC),$(ALLOCATORS)),)
$(error ALLOC=$(ALLOC) is not an allocator; choose one of: $(ALLOCATORS))
endif
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error BOARD=$(BOARD) is not a board; choose one of: $(BOARDS))
endif
ifeq ($(BOARD),sifive_u)
ifneq ($(NUMA),)
$(error NUMA=$(NUMA) needs BOARD=virt: sifive_u has one memory node)
endif
ifeq ($(filter 2 3 4 5,$(CPUS)),)
$(error CPUS=$(CPUS): sifive_u has 2 to 5 harts, hart 0 the E51 monitor core)
endif
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

O      ?= build
HOSTO  := build/host
LIBFDT := .cache/libfdt

# ---- the tools (all from Debian; tools/deps.sh installs them) -------------
CROSS   := riscv64-unknown-elf-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJDUMP := $(CROSS)objdump
QEMU    := qemu-system-riscv64
HOSTCC  ?= cc
FIRMWARE := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

# Install what is missing before anything else is parsed (the compiler's
# include folder is read below). A stamp remembers that the check passed;
# editing tools/deps.sh makes it run again.
DEPS_STAMP := build/.deps-ok
ifeq ($(filter help clean deps,$(MAKECMDGOALS)),)
ifneq ($(shell test $(DEPS_STAMP) -nt tools/deps.sh && echo fresh),fresh)
DEPS_RESULT := $(shell tools/deps.sh >&2 && mkdir -p build && touch $(DEPS_STAMP) && echo ok)
ifneq ($(DEPS_RESULT),ok)
$(error Debian packages are missing; see the message above)
endif
endif
endif

# ---- kernel ---------------------------------------------------------------
ALLOC_SRCS_bump     := mm/bump.c
ALLOC_SRCS_bootmem  := mm/bootmem.c
ALLOC_SRCS_memblock := $(sort $(wildcard mm/memblock*.c))

KSRCS := $(sort $(wildcard kernel/*.c)) mm/buddy.c mm/account.c $(ALLOC_SRCS_$(ALLOC))
KASMS := $(sort $(wildcard kernel/*.S))
FDTSRCS := fdt.c fdt_ro.c fdt_rw.c fdt_wip.c fdt_strerror.c fdt_addresses.c

KOBJS := $(patsubst %.c,$(O)/%.o,$(KSRCS)) \
         $(patsubst %.S,$(O)/%.o,$(KASMS)) \
         $(patsubst %.c,$(O)/libfdt/%.o,$(FDTSRCS))

GCC_INC := $(shell $(CC) -print-file-name=include 2>/dev/null)
# No F or D: the kernel never touches floating-point registers, which hold
# the running process's values (kernel/fpu.S saves and restores them).
# -nostdinc: kernel and mm/ code can include only our own headers and gcc's
# freestanding ones (stdint.h, stddef.h, stdarg.h, stdbool.h, limits.h).
KCFLAGS := -Wall -Werror -Wextra -Wno-unused-parameter -O2 -g -std=gnu11 \
	-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-ffreestanding -fno-common -nostdlib -nostdinc -isystem $(GCC_INC) \
	-fno-omit-frame-pointer -fno-stack-protector -fno-pie -no-pie \
	-Ikernel -I$(LIBFDT) -MD -DALLOC_NAME='"$(ALLOC)"'
ifeq ($(DEBUG),1)
KCFLAGS += -DMM_DEBUG
endif

# Every variable that changes the binary is recorded; a change rebuilds.
FLAGS_FILE := $(O)/flags
FLAGS_NOW  := ALLOC=$(ALLOC) DEBUG=$(DEBUG) CFLAGS=$(KCFLAGS)
$(shell mkdir -p $(O); [ "`cat $(FLAGS_FILE) 2>/dev/null`" = "$(FLAGS_NOW)" ] || echo "$(FLAGS_NOW)" > $(FLAGS_FILE))

$(LIBFDT)/.stamp: tools/libfdt.sh tools/libfdt.sha256
	$(Q)tools/libfdt.sh $(LIBFDT)

$(O)/%.o: %.c $(FLAGS_FILE) $(LIBFDT)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c -o $@ $<

$(O)/%.o: %.S $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -c -o $@ $<

# libfdt is upstream code: build it with its own warnings relaxed.
$(LIBFDT)/%.c: $(LIBFDT)/.stamp ;
# Files made by pattern rules (the extracted libfdt sources, user objects)
# are kept: make would otherwise delete them as intermediates.
.SECONDARY:

$(O)/libfdt/%.o: $(LIBFDT)/%.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@echo "  CC      libfdt/$*.c"
	$(Q)$(CC) $(filter-out -Wextra -Werror,$(KCFLAGS)) -Wno-sign-compare -c -o $@ $(LIBFDT)/$*.c

# $(call LINK_KERNEL,extra flags): the flags come before the script, which
# reads what they define.
LINK_KERNEL = $(LD) $(1) -z max-page-size=4096 --no-warn-rwx-segments -T kernel/kernel.ld -o $@ $(KOBJS) \
	$(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)

$(O)/kernel.elf: $(KOBJS) kernel/kernel.ld
	@echo "  LD      $@ (ALLOC=$(ALLOC))"
	$(Q)$(call LINK_KERNEL)
	$(Q)$(OBJDUMP) -S $@ > $(O)/kernel.asm

# The same objects, with the image's end rounded up to END_ALIGN. The
# grader compares a submission's free lists with the reference's on these:
# a few more bytes of a student's code can move _end by a page, and with it
# the free lists, though the allocator is right.
END_ALIGN ?= 0x100000
$(O)/kernel-end-aligned.elf: $(KOBJS) kernel/kernel.ld
	@echo "  LD      $@ (ALLOC=$(ALLOC), end aligned to $(END_ALIGN))"
	$(Q)$(call LINK_KERNEL,--defsym=KERNEL_END_ALIGN=$(END_ALIGN))

-include $(KOBJS:.o=.d)

# ---- user programs and the file system image --------------------------------
# Every user/NAME.c that is not part of the library is a program, installed
# in the image as /NAME. User code includes "kernel/types.h" etc. as in xv6.
ULIB_SRCS := user/ulib.c user/printf.c user/umalloc.c
ULIB   := $(patsubst user/%.c,$(O)/user/%.o,$(ULIB_SRCS)) $(O)/user/usys.o
# usertests first: the largest file, started first in a parallel build.
UPROGS := $(O)/user/_usertests $(filter-out $(O)/user/_usertests,\
	$(patsubst user/%.c,$(O)/user/_%,$(filter-out $(ULIB_SRCS),$(wildcard user/*.c))))
UCFLAGS := -Wall -Werror -O2 -g -std=gnu11 -march=rv64gc -mabi=lp64d -mcmodel=medany \
	-mno-relax -ffreestanding -fno-common -nostdlib -nostdinc -isystem $(GCC_INC) \
	-fno-omit-frame-pointer -fno-stack-protector -fno-pie -no-pie -fno-builtin -I. -MD

$(O)/user/%.o: user/%.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	$(Q)$(CC) $(UCFLAGS) -c -o $@ $<

$(O)/user/%.o: user/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -c -o $@ $<

$(O)/user/_%: $(O)/user/%.o $(ULIB) user/user.ld
	$(Q)$(LD) -z max-page-size=4096 --no-warn-rwx-segments -T user/user.ld -o $@ $< $(ULIB) \
		$(shell $(CC) -march=rv64gc -mabi=lp64d -print-libgcc-file-name)

$(O)/mkfs: tools/mkfs.c kernel/fs.h kernel/param.h kernel/stat.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -Wall -Werror -O2 -I. -o $@ tools/mkfs.c

$(O)/fs.img: $(O)/mkfs README.md $(UPROGS)
	@echo "  MKFS    $@"
	$(Q)$(O)/mkfs $@ README.md $(UPROGS)

-include $(wildcard $(O)/user/*.d)

ifneq ($(wildcard tools/mkfs.c),)
FSIMG := $(O)/fs.img
ifeq ($(BOARD),sifive_u)
# A RAM disk (kernel/ramdisk.c): QEMU reads fs.img once, at start, and
# what the guest writes is lost at power-off.
QEMU_DISK = -initrd $(FSIMG)
else
QEMU_DISK = -global virtio-mmio.force-legacy=false \
	-drive file=$(FSIMG),if=none,format=raw,id=x0 \
	-device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
endif
endif

.DEFAULT_GOAL := all
.PHONY: all qemu qemu-gdb test test-host host-tests fuzz fuzz-long bench compare grade handout gradescope clean help deps

all: $(FSIMG) $(O)/kernel.elf

# ---- running under QEMU ---------------------------------------------------
ifeq ($(NUMA),2)
QEMU_MEM := -object memory-backend-ram,id=m0,size=$(MEM) \
            -object memory-backend-ram,id=m1,size=$(MEM) \
            -numa node,memdev=m0,nodeid=0 -numa node,memdev=m1,nodeid=1
QEMU_M   := $(shell echo $(MEM) | awk '/G$$/{print 2*$$1 "G"} /M$$/{print 2*$$1 "M"}')
else
QEMU_MEM :=
QEMU_M   := $(MEM)
endif
# People get the tables; "quiet" drops the "@" lines, which are for tools
# (tests and the grader start QEMU themselves, without it). AT=1 keeps them.
QEMU_APPEND = $(strip $(if $(filter 1,$(AT)),,quiet) $(APPEND))
QEMUOPTS = -machine $(BOARD) -bios $(FIRMWARE) -kernel $(O)/kernel.elf \
	-m $(QEMU_M) -smp $(CPUS) $(QEMU_MEM) -nographic -no-reboot \
	$(if $(DTB),-dtb $(DTB)) $(if $(QEMU_APPEND),-append "$(QEMU_APPEND)") $(QEMU_DISK) $(QEMUEXTRA)

qemu: $(O)/kernel.elf $(FSIMG)
	$(QEMU) $(QEMUOPTS)

# sifive_u's stub shows two processes (tools/gdbinit.sifive_u attaches to both).
GDBINIT_sifive_u := .sifive_u
qemu-gdb: $(O)/kernel.elf $(FSIMG)
	@echo "*** QEMU is halted with a gdb stub on tcp::$(GDBPORT). In another terminal:"
	@echo "***   $(if $(filter command line environment,$(origin GDBPORT)),GDBPORT=$(GDBPORT) )gdb-multiarch -x tools/gdbinit$(GDBINIT_$(BOARD))"
	$(QEMU) $(QEMUOPTS) -S -gdb tcp::$(GDBPORT)

# ---- host tests -----------------------------------------------------------
# Each tests/host/NAME.mk sets HOST_TEST_SRCS_NAME: the mm/ (or kernel/)
# sources that tests/host/test_NAME.c is built against.
include $(wildcard tests/host/*.mk)
HOST_TESTS := $(patsubst tests/host/%.mk,%,$(wildcard tests/host/*.mk))
HOSTCFLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -Itests/host -MD
HOSTLIBS := -lcmocka -lfdt

.SECONDEXPANSION:
$(HOSTO)/test_%: tests/host/test_%.c tests/host/arena.c $$(HOST_TEST_SRCS_$$*)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $(filter %.c,$^) $(HOSTLIBS)

-include $(wildcard $(HOSTO)/*.d)

host-tests: $(addprefix $(HOSTO)/test_,$(HOST_TESTS))
	@echo "host tests: $(words $^) programs in $(HOSTO)/ (tests/host/run.sh runs them)"

test-host: host-tests
	$(Q)tests/host/run.sh

test:
	$(Q)tests/run.sh

bench:
	$(Q)BOARD=$(BOARD) $(PY) tests/bench.py

# The three allocators side by side in build/compare.html. MEM, CPUS, NUMA
# and DTB are honoured; left unset, the machine is 256M with 2 harts.
compare:
	$(Q)$(PY) tools/compare.py --mem $(if $(filter file,$(origin MEM)),256M,$(MEM)) \
		--cpus $(if $(filter file,$(origin CPUS)),2,$(CPUS)) $(if $(NUMA),--numa $(NUMA)) \
		$(if $(DTB),--dtb $(DTB)) --board $(BOARD)

# ---- labs and grading (grading/, lab/) ----------------------------------
# The grader runs on Debian's python3 (/usr/bin/python3), which has the
# Debian packages it uses (pexpect, pyelftools, rich).
PY    := /usr/bin/python3
LAB   ?=
SEED  ?=
OUT   ?=
LABS  := $(patsubst lab/%/lab.json,%,$(wildcard lab/*/lab.json))
need_lab = $(if $(LAB),,$(error LAB= is missing; the labs are: $(LABS:%=%) (name or folder)))

grade:
	$(need_lab)
	$(Q)$(PY) grading/grade --lab $(LAB) $(if $(SEED),--seed $(SEED)) --log $(O)/grade-$(notdir $(LAB)).log

handout:
	$(need_lab)
	$(if $(OUT),,$(error OUT= is missing: the folder to write the starter into))
	$(Q)$(PY) grading/handout --lab $(LAB) --out $(OUT)

gradescope:
	$(need_lab)
	$(Q)$(PY) grading/gradescope --lab $(LAB) --out $(O)/gradescope-$(LAB).zip

clean:
	rm -rf $(O)

help:
	@echo "Targets:"
	@echo "  make              build build/kernel.elf for ALLOC"
	@echo "  make qemu         build and boot under QEMU (BOARD) + OpenSBI (Ctrl-a x quits)"
	@echo "  make qemu-gdb     the same, halted, with a gdb stub on tcp::GDBPORT"
	@echo "  make test         install what is missing, then run every test"
	@echo "  make test-host    build and run the host unit tests only"
	@echo "  make fuzz         short fuzz run of the device-tree reader"
	@echo "  make fuzz-long    long fuzz run (FUZZTIME seconds, default 3600)"
	@echo "  make bench        figures for every allocator: early phase and handoff"
	@echo "                    (instructions, 128M-16G), boot to the prompt, usertests -q"
	@echo "                    (BENCH_PARTS, BENCH_ALLOC, BENCH_MEM, BENCH_RUNS narrow it;"
	@echo "                    BOARD=sifive_u: the same on the HiFive Unleashed)"
	@echo "  make compare      boot all three allocators on one machine (MEM, CPUS, NUMA, DTB,"
	@echo "                    BOARD; default 256M, 2 harts) and write build/compare.html"
	@echo "  make grade LAB=bootmem        grade a lab in this tree (SEED=N repeats a run)"
	@echo "  make handout LAB=bootmem OUT=DIR   cut a lab's starter repository (LAB=all: every lab)"
	@echo "  make gradescope LAB=bootmem   build the Gradescope autograder zip in O/"
	@echo "  make deps         install the Debian packages (as root)"
	@echo "  make clean        remove build/"
	@echo "Variables:"
	@echo "  ALLOC=$(ALLOC)    early allocator: $(ALLOCATORS)"
	@echo "  BOARD=$(BOARD)        QEMU machine for qemu, qemu-gdb, bench, compare: $(BOARDS)"
	@echo "                    (sifive_u: fs.img as a RAM disk, writes lost at power-off)"
	@echo "  CPUS=3            harts, 1..8 (sifive_u: 2..5, default 5, hart 0 unused)"
	@echo "  MEM=128M          RAM (per node when NUMA=2)"
	@echo "  NUMA=2            two NUMA nodes of MEM each"
	@echo "  DTB=file.dtb      boot a custom device tree (QEMU -dtb)"
	@echo "  APPEND=\"...\"      boot arguments (/chosen/bootargs)"
	@echo "  AT=1              make qemu also prints the @ lines (for tools; quiet by default)"
	@echo "  DEBUG=1           poison freed pages (buddy)"
	@echo "  GDBPORT=$(GDBPORT)     gdb stub port for qemu-gdb"
	@echo "  O=build           output folder"
	@echo "  V=1               show full commands"
	@echo "  LAB=name          a lab: $(LABS)"
	@echo "  SEED=N            the grader's random seed (its machines and scripts)"
	@echo "  OUT=DIR           where make handout writes"

deps:
	tools/deps.sh
