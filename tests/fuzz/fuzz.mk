# libFuzzer target for the device-tree reader: kernel/fdtmap.c + fdtdev.c
# built with clang's fuzzer, ASan and UBSan. The DTB fixtures in build/dtb
# seed it; what it learns stays in build/fuzz/corpus, and an input that
# crashes is written to build/fuzz/crash-*.
# FUZZ_LIBFDT=system (default) links Debian's libfdt (-lfdt); =kernel
# compiles the kernel's own libfdt (.cache/libfdt) in, instrumented too, so
# the sanitizers also watch libfdt as the kernel runs it.
FUZZO       := build/fuzz
FUZZTIME    ?= 3600
FUZZ_LIBFDT ?= system
FUZZCFLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
ifeq ($(FUZZ_LIBFDT),kernel)
# The kernel's libfdt sources; fdt_addresses.c needs fdt_rw.c, and that
# fdt_wip.c, to link (sort also drops duplicates).
FUZZ_FDT := -I$(LIBFDT) $(addprefix $(LIBFDT)/,$(sort $(FDTSRCS) fdt_rw.c fdt_wip.c))
FUZZ_FDT_DEP := $(LIBFDT)/.stamp
else
FUZZ_FDT := -lfdt
FUZZ_FDT_DEP :=
endif
# -timeout=10: one input taking 10 s is a hang (libFuzzer's default, 1200 s,
# would let a short run end without ever reporting one).
FUZZRUN = $(FUZZO)/fuzz_fdtmap-$(FUZZ_LIBFDT) -artifact_prefix=$(FUZZO)/ -timeout=10 \
	-print_final_stats=1 $(FUZZO)/corpus build/dtb

$(FUZZO)/fuzz_fdtmap-$(FUZZ_LIBFDT): tests/fuzz/fuzz_fdtmap.c $(HOST_TEST_SRCS_fdtmap) \
		kernel/fdtmap.h mm/memmap.h $(FUZZ_FDT_DEP) | $(DEPS_STAMP)
	@mkdir -p $(FUZZO)/corpus
	@echo "  CLANG   $@"
	$(Q)clang $(FUZZCFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_FDT)

fuzz: $(FUZZO)/fuzz_fdtmap-$(FUZZ_LIBFDT) $(DTB_FIXTURES)
	$(FUZZRUN) -max_total_time=60

fuzz-long: $(FUZZO)/fuzz_fdtmap-$(FUZZ_LIBFDT) $(DTB_FIXTURES)
	$(FUZZRUN) -max_total_time=$(FUZZTIME)
