"""The console driver that every QEMU run talking to the kernel's shell
uses: the shell tests (tests/boot/shelltest.py), make bench and the grader.

pexpect runs QEMU on a pseudo-terminal. Everything the console prints is
kept (carriage returns removed, at most a cap), a "panic:" line ends the
run at once, and every wait has a deadline: nothing sleeps blindly.
"""
import re
import time

import pexpect

PROMPT = "$ "
OUTPUT_CAP = 8 << 20          # characters kept; a flood beyond it fails the run


class ConsoleError(Exception):
    """The machine did not do what was expected: the message says what, with
    the last lines of output."""


def tail(text, n=25):
    return "\n".join(text.rstrip("\n").splitlines()[-n:])


class Console:
    """cmd runs on a pseudo-terminal in a session of its own. panic_stops:
    a "panic:" line raises ConsoleError at once (a caller that reads the
    machine's state after a panic, as the grader does, says False)."""

    def __init__(self, cmd, cap=OUTPUT_CAP, panic_stops=True):
        self.child = pexpect.spawn(cmd[0], list(cmd[1:]), encoding="utf-8", codec_errors="replace",
                                   echo=False, timeout=None, maxread=65536)
        self.cap, self.panic_stops = cap, panic_stops
        self.out = ""           # everything the console printed, \r removed
        self.mark = 0           # where the current command's output starts
        self.flooded = False    # more than cap came; out keeps the first cap
        self.eof = False

    def _read_some(self, until):
        """Reads what is there, waiting at most until the deadline; False
        when nothing came."""
        left = until - time.monotonic()
        if left <= 0:
            return False
        try:
            data = self.child.read_nonblocking(65536, timeout=left)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            self.eof = True
            raise ConsoleError("QEMU exited (status %s)" % self.exit_status())
        seen = max(0, len(self.out) - 100)     # a panic line may span two reads
        self.out += data.replace("\r", "")
        panic = re.compile(r"panic: .*").search(self.out, seen) if self.panic_stops else None
        if panic:
            raise ConsoleError("kernel " + panic.group(0))
        if len(self.out) > self.cap:
            self.out, self.flooded = self.out[:self.cap], True
            raise ConsoleError("more than %d characters of output" % self.cap)
        return True

    def read_for(self, seconds):
        """Keeps what comes for up to seconds (less once something came);
        ConsoleError at a flood or when the console has closed."""
        self._read_some(time.monotonic() + seconds)

    def wait_for(self, pattern, seconds, start=None, unprompted=False):
        """Waits until the output since start (default: the mark) matches
        pattern (a regex, multiline); returns the match. unprompted: match
        against the output with every prompt taken out, for output of
        background jobs, which may come before or after a prompt."""
        until = time.monotonic() + seconds
        start = self.mark if start is None else start
        rx = re.compile(pattern, re.M)
        while True:
            text = self.out[start:].replace(PROMPT, "") if unprompted else self.out
            m = rx.search(text, 0 if unprompted else start)
            if m:
                return m
            if not self._read_some(until) and time.monotonic() >= until:
                raise ConsoleError("no %r within %ds; last output:\n%s" %
                                   (pattern, seconds, tail(self.out[start:])))

    def send(self, text):
        self.child.send(text)

    def boot(self, seconds):
        """Waits for the shell's first prompt."""
        self.wait_for(r"^\$ ", seconds, start=0)
        self.mark = len(self.out)

    def type_line(self, command, seconds):
        """Types command; returns the match of the console's echo of it."""
        self.mark = len(self.out)
        self.send(command + "\n")
        return self.wait_for(re.escape(command) + r"\n", seconds)

    def run(self, command, seconds):
        """Types command and returns what it printed before the next prompt
        (without the echoed command line)."""
        echo = self.type_line(command, seconds)
        m = self.wait_for(r"\$ \Z", seconds, start=echo.end())
        result = self.out[echo.end():m.start()]
        self.mark = len(self.out)
        return result

    def exited(self):
        return not self.child.isalive()

    def exit_status(self):
        if self.child.isalive():
            return None
        return self.child.exitstatus if self.child.exitstatus is not None else -(self.child.signalstatus or 0)

    def close(self):
        """Ends QEMU (if it still runs) and reaps it."""
        self.child.close(force=True)
