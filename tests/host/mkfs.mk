# mkfs (tools/mkfs.c), built for the host with the sanitizers. test_mkfs
# runs it on files it writes and reads the images back with its own reader.
HOST_TEST_SRCS_mkfs :=
$(HOSTO)/mkfs: tools/mkfs.c kernel/fs.h kernel/param.h kernel/stat.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -I. -o $@ tools/mkfs.c
$(HOSTO)/test_mkfs: $(HOSTO)/mkfs
