#!/usr/bin/python3
"""Plots of make bench's handoff figures (build/bench.csv), with Debian's
matplotlib: SVG and PNG next to the CSV.

  bench-instructions  early-phase and handoff instructions against RAM
  bench-metadata      the allocator's metadata bytes (peak) against RAM
  bench-insertions    buddy insertions (give() calls) against RAM

All log-log, one line per allocator, so a line's slope says how the cost
grows: slope 1 is O(pages), a flat line is O(regions).

Usage: benchplot.py [CSV [OUTDIR]]"""
import csv
import os
import sys

import matplotlib
matplotlib.use("Agg")                   # files only, no display
import matplotlib.pyplot as plt        # noqa: E402
from matplotlib.ticker import FixedLocator, NullLocator  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STYLE = {"bump": ("tab:blue", "o"), "bootmem": ("tab:orange", "s"), "memblock": ("tab:green", "^")}


def mib(mem):
    """'128M' or '16G' in MiB."""
    return int(mem[:-1]) * (1024 if mem.endswith("G") else 1)


def size_label(m):
    return "%dG" % (m // 1024) if m >= 1024 else "%dM" % m


def read(path):
    """{alloc: [(MiB, row), ...] sorted by size}."""
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            series.setdefault(row["alloc"], []).append((mib(row["mem"]), row))
    for rows in series.values():
        rows.sort(key=lambda r: r[0])
    return series


def ram_axis(ax, sizes):
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(FixedLocator(sizes))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([size_label(s) for s in sizes])
    ax.set_xlabel("RAM")
    ax.grid(True, which="major", alpha=0.3)


def lines(ax, series, column, zero_note=True):
    """One line per allocator of column against RAM. A log axis cannot show
    0, so an allocator whose value is 0 everywhere is named in the legend."""
    for alloc in sorted(series, key=list(STYLE).index):
        colour, marker = STYLE[alloc]
        pts = [(m, float(r[column])) for m, r in series[alloc]]
        shown = [(m, v) for m, v in pts if v > 0]
        if not shown:
            if zero_note:
                ax.plot([], [], color=colour, marker=marker, label="%s: 0 at every size" % alloc)
            continue
        ax.plot([m for m, _ in shown], [v for _, v in shown], color=colour, marker=marker,
                label=alloc)
    ax.legend(fontsize=8)


def save(fig, outdir, name):
    paths = []
    for ext in ("svg", "png"):
        p = os.path.join(outdir, "%s.%s" % (name, ext))
        fig.savefig(p, dpi=110 if ext == "png" else None, bbox_inches="tight")
        paths.append(p)
    plt.close(fig)
    return paths


def plot(csv_path, outdir):
    """Writes the three plots; returns the paths written."""
    series = read(csv_path)
    if not series:
        raise SystemExit("benchplot: %s has no rows" % csv_path)
    sizes = sorted({m for rows in series.values() for m, _ in rows})
    written = []

    fig, (early, hand) = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, col, title in ((early, "early_instr", "early phase"),
                           (hand, "handoff_instr", "handoff to the buddy allocator")):
        ram_axis(ax, sizes)
        lines(ax, series, col)
        ax.set_title(title)
    early.set_ylabel("instructions (-icount, 1 hart)")
    fig.suptitle("Instructions against RAM: a slope of 1 is O(pages)")
    written += save(fig, outdir, "bench-instructions")

    for name, column, ylabel, title in (
            ("bench-metadata", "meta_peak", "bytes", "Allocator metadata (peak) against RAM"),
            ("bench-insertions", "calls", "blocks inserted",
             "Buddy insertions at the handoff against RAM")):
        fig, ax = plt.subplots(figsize=(6, 4))
        ram_axis(ax, sizes)
        lines(ax, series, column)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        written += save(fig, outdir, name)
    return written


def main(argv):
    csv_path = argv[1] if len(argv) > 1 else os.path.join(ROOT, "build", "bench.csv")
    outdir = argv[2] if len(argv) > 2 else os.path.dirname(csv_path)
    for p in plot(csv_path, outdir):
        print("plot: " + os.path.relpath(p, ROOT) if p.startswith(ROOT) else "plot: " + p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
