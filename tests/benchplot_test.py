#!/usr/bin/python3
"""Checks tests/benchplot.py on a small CSV in make bench's format: each
plot is written as SVG and PNG, the PNG is not blank and shows each
allocator's colour, and the SVG names each allocator in its legend (bump's
zero metadata as "0 at every size"). Ends with "N passed, N failed"."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchplot  # noqa: E402
from checks import Checks  # noqa: E402
import matplotlib.colors  # noqa: E402
import matplotlib.image  # noqa: E402

COLS = ["alloc", "mem", "early_instr", "handoff_instr", "pages", "calls", "per_page",
        "meta", "meta_peak", "nallocs", "requested", "consumed", "free"]


def fixture(path):
    with open(path, "w") as f:
        f.write(",".join(COLS) + "\n")
        for mem, pages in (("128M", 32303), ("1G", 259887), ("16G", 4161327)):
            for alloc, meta in (("bump", 0), ("bootmem", pages // 8), ("memblock", 6144)):
                row = dict(alloc=alloc, mem=mem, early_instr=1000 + pages * (10 if alloc == "bootmem" else 0),
                           handoff_instr=pages * 9, pages=pages, calls=pages // 1024 + 1, per_page=9.0,
                           meta=meta, meta_peak=meta, nallocs=10, requested=pages, consumed=pages,
                           free=pages)
                f.write(",".join(str(row[c]) for c in COLS) + "\n")


def shows_colour(img, name):
    """Some pixel of img is within a small distance of the named colour."""
    r, g, b = matplotlib.colors.to_rgb(name)
    px = img[..., :3]
    d = abs(px[..., 0] - r) + abs(px[..., 1] - g) + abs(px[..., 2] - b)
    return (d < 0.06).sum() > 20


def main():
    check = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "bench.csv")
        fixture(csv_path)
        written = benchplot.plot(csv_path, tmp)
        for name in ("bench-instructions", "bench-metadata", "bench-insertions"):
            svg, png = (os.path.join(tmp, name + ext) for ext in (".svg", ".png"))
            check(svg in written and png in written and os.path.getsize(png) > 1000,
                  "%s: SVG and PNG written" % name)
            img = matplotlib.image.imread(png)
            check(img[..., :3].std() > 0.05, "%s: the PNG is not blank" % name)
            colours = [a for a, (c, _) in benchplot.STYLE.items() if shows_colour(img, c)]
            want = ["bootmem", "memblock"] if name == "bench-metadata" else list(benchplot.STYLE)
            check(all(a in colours for a in want), "%s: lines of %s drawn (saw %s)" % (
                name, ", ".join(want), ", ".join(colours) or "none"))
            text = open(svg).read()
            labels = [a for a in benchplot.STYLE if a in text]
            check(len(labels) == 3, "%s: the legend names all three allocators" % name)
        check("bump: 0 at every size" in open(os.path.join(tmp, "bench-metadata.svg")).read(),
              "bench-metadata: bump's zero metadata is named, not dropped")
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
