"""The pass/fail tally of the small test scripts: one "ok   ..." or
"FAIL ..." line per check, and the closing "N passed, N failed"."""


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, what):
        """Count one check and print its line; returns ok."""
        print(("ok   " if ok else "FAIL ") + what)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def finish(self):
        """Print the tally; the script's exit status."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0
