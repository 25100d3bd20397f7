#!/usr/bin/python3
"""make compare's page, checked in a real browser (Debian's headless
Chromium): tools/compare.py boots the three allocators on its default
machine (and again on sifive_u), then the page is rendered and its DOM
read back.

- the screenshot is not blank and shows the free blocks' colours;
- the DOM has three columns, one per allocator, and in each as many
  reservation and early-allocation elements as that boot's @map resv and
  @early alloc lines say (read here from the boots' console logs, not from
  the page's data);
- stepped to the end (#step=end), each column shows the allocator's final
  state: the @trace state accumulated from the log, and for bump a
  memory_start that ends the last early allocation;
- on sifive_u, the same, and each column has the initrd's reservation.
Ends with "N passed, N failed"."""
import html.parser
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import boottest  # noqa: E402
from checks import Checks  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


class Dom(html.parser.HTMLParser):
    """Per column (div.column data-alloc): counts of rect classes, and the
    text of pre.state-text."""

    def __init__(self):
        super().__init__()
        self.cols, self.col, self.in_state = {}, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if tag == "div" and cls == "column":
            self.col = self.cols.setdefault(a.get("data-alloc"), {"rects": {}, "state": ""})
        elif tag == "rect" and self.col is not None:
            self.col["rects"][cls] = self.col["rects"].get(cls, 0) + 1
        elif tag == "pre" and cls == "state-text":
            self.in_state = True

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_state = False

    def handle_data(self, data):
        if self.in_state and self.col is not None:
            self.col["state"] += data


def chromium(args, url):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--window-size=1500,1200"] + args + [url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def final_state(log):
    """The @trace state as the events left it, and the early allocations."""
    recs = boottest.parse(log)
    return (boottest.trace_state(kv for k, s, kv in recs if k == "trace"),
            [(int(kv["base"], 16), int(kv["size"], 16)) for k, s, kv in recs
             if k == "early" and s == "alloc"])


def check_page(check, tmp, board):
    """One make compare run on board (virt: its default machine, with a
    screenshot; sifive_u: whose columns must also draw the initrd)."""
    page, logs = os.path.join(tmp, "compare.html"), os.path.join(tmp, "logs")
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "compare.py"),
                        "--out", page, "--logs", logs, "--board", board],
                       capture_output=True, text=True, timeout=900)
    check(r.returncode == 0 and os.path.exists(page),
          "%s: make compare wrote the page" % board + ("" if r.returncode == 0 else ":\n" + r.stdout + r.stderr))
    if r.returncode:
        return
    url = "file://" + page

    if board == "virt":
        shot = os.path.join(tmp, "shot.png")
        chromium(["--screenshot=" + shot], url + "#step=5")
        import matplotlib.image
        img = matplotlib.image.imread(shot) if os.path.exists(shot) else None
        check(img is not None and img[..., :3].std() > 0.05,
              "the screenshot is not blank%s" % ("" if img is not None else " (none written)"))
        if img is not None:
            # Order-10 blocks (bump, memblock) and order-6 ones (bootmem).
            px = img[..., :3]
            colourful = ((px.max(axis=2) - px.min(axis=2)) > 0.25).mean()
            check(colourful > 0.02, "the screenshot shows coloured blocks (%.1f%% of it)" % (100 * colourful))

    r = chromium(["--dump-dom", "--virtual-time-budget=5000"], url + "#step=end")
    dom = Dom()
    dom.feed(r.stdout)
    check(sorted(dom.cols) == sorted(boottest.ALLOCS),
          "%s: three columns, one per allocator (%s)" % (board, ", ".join(dom.cols) or "none"))
    for a in boottest.ALLOCS:
        col = dom.cols.get(a, {"rects": {}, "state": ""})
        with open(os.path.join(logs, a + ".log")) as f:
            log = f.read()
        recs = boottest.parse(log)
        nresv = sum(1 for k, s, _ in recs if k == "map" and s == "resv")
        nalloc = sum(1 for k, s, _ in recs if k == "early" and s == "alloc")
        nblock = sum(1 for k, s, kv in recs if k == "trace" and kv["ev"] == "block")
        ninitrd = sum(1 for k, s, kv in recs if k == "map" and s == "resv" and kv["origin"] == "initrd")
        got = col["rects"]
        check(got.get("resv-rect") == nresv and got.get("alloc-rect") == nalloc and
              got.get("block-rect") == nblock and (board == "virt" or ninitrd == 1),
              "%s %s: %s reservations (%d of them the initrd), %s early allocations, %s free blocks "
              "drawn; the @ lines say %d, %d, %d"
              % (board, a, got.get("resv-rect"), ninitrd, got.get("alloc-rect"), got.get("block-rect"),
                 nresv, nalloc, nblock))
        want, allocs = final_state(log)
        shown = dict(l.split("=", 1) for l in col["state"].splitlines() if "=" in l)
        check(shown == want and want, "%s %s: stepped to the end, the page shows the final state (%d values)"
              % (board, a, len(want)) if shown == want else "%s %s: the page's final state differs from the "
              "trace's: %d values shown, %d in the trace" % (board, a, len(shown), len(want)))
        if a == "bump" and allocs:
            end = allocs[-1][0] + allocs[-1][1]
            check(int(shown.get("memory_start", "0"), 16) == end,
                  "%s bump: the page's memory_start %s ends the last early allocation (0x%x)"
                  % (board, shown.get("memory_start"), end))


def main():
    check = Checks()

    if not os.path.exists(CHROMIUM):
        check(False, "compare page: %s is missing (tools/deps.sh installs chromium)" % CHROMIUM)
        return check.finish()
    for board in ("virt", "sifive_u"):
        with tempfile.TemporaryDirectory() as tmp:
            check_page(check, tmp, board)
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
