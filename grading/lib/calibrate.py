"""Timeouts that follow the machine: one short QEMU run of a fixed payload
(calib.S), timed, against the time it took where the timeouts were set.
A slow or loaded machine gets longer timeouts; a fast one never shorter."""
import os
import subprocess
import time

BASELINE_SECONDS = float(os.environ.get("GRADE_CALIBRATION_BASELINE", "0.80"))
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
HERE = os.path.dirname(os.path.abspath(__file__))


def measure(workdir):
    """Seconds for the payload under QEMU, or None if it could not run."""
    elf = os.path.join(workdir, "calib.elf")
    # -N: one segment that starts at the entry point. QEMU hands OpenSBI
    # the lowest loaded address as the next stage, and a default link
    # loads the ELF headers a page below _start.
    r = subprocess.run(["riscv64-unknown-elf-gcc", "-nostdlib", "-march=rv64imac", "-mabi=lp64",
                        "-Wl,-Ttext=0x80200000", "-Wl,-N", "-Wl,--no-warn-rwx-segments", "-o", elf, os.path.join(HERE, "calib.S")],
                       capture_output=True)
    if r.returncode:
        return None
    start = time.monotonic()
    try:
        r = subprocess.run(["qemu-system-riscv64", "-machine", "virt", "-bios", FIRMWARE, "-kernel", elf,
                            "-m", "64M", "-smp", "1", "-nographic", "-no-reboot"],
                           capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None
    return time.monotonic() - start if r.returncode == 0 else None


def scale(workdir):
    """(factor, seconds): how much longer than the baseline QEMU takes here
    now, at least 1.0 (4.0 when the payload would not run)."""
    t = measure(workdir)
    if t is None:
        return 4.0, None
    return max(1.0, t / BASELINE_SECONDS), t
