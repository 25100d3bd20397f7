# The kernel's gdb commands: memmap, early, memblock, bootmem, buddy and
# pagetable (`help NAME` for each). tools/gdbinit sources this file; it can
# also be sourced by hand: (gdb) source tools/gdb/kernel.py
# Sourcing it again reloads the modules, so edits take effect at once.
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import kgdb_core     # noqa: E402
import kgdb_mem      # noqa: E402
import kgdb_early    # noqa: E402
import kgdb_vm       # noqa: E402

for _m in (kgdb_core, kgdb_mem, kgdb_early, kgdb_vm):
    importlib.reload(_m)

for _cls in (kgdb_mem.MemmapCmd, kgdb_mem.EarlyCmd, kgdb_early.MemblockCmd,
             kgdb_early.BootmemCmd, kgdb_mem.BuddyCmd, kgdb_vm.PagetableCmd):
    _cls()
