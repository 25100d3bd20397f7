"""Lab memblock: hidden tests. They live only in the staff tree (grading/handout
strips them from a student's repository) and run when staff grade, with the
reference solution of the staff tree as the oracle: the same random script
must give the same transcript line for line (both region arrays after every
step, every address, every handoff block, the figures), and the same machine
must give the same buddy free lists."""
import random

from lib import gradelib, bootcheck
import memblock_model

lab = gradelib.current_lab()
PG = 0x1000


def init_script(rng):
    """A memory map through early_init (one to three banks, maybe two nodes,
    a few reservations or well over 128 of them), then early allocations
    and reservations in both directions, and the handoff."""
    base = 0x80000000
    window = rng.choice([0x200000, 0x400000])
    banks, at = [], base
    for _ in range(rng.randrange(1, 4)):
        size = rng.randrange(0x40, 0x180) * PG
        if at + size > base + window:
            break
        banks.append((at, size, min(len(banks), rng.choice([0, 1]))))
        at += size + rng.choice([0, 0, rng.randrange(1, 0x20) * PG, 0x800])
    nodes = sorted({b[2] for b in banks})
    banks = [(b, s, nodes.index(n)) for b, s, n in banks]
    resv = []
    if rng.random() < 0.3:
        # Well over 128 separate pieces: the reserved array doubles first.
        spots = [b + i * PG for b, s, _ in banks for i in range(0, s // PG - 1, 2)]
        for x in rng.sample(spots, min(len(spots), rng.randrange(140, 220))):
            resv.append((x, rng.choice([PG, 0x100]), rng.randrange(1, 6), 0))
    for _ in range(rng.randrange(0, 6)):
        b, s, _ = rng.choice(banks)
        x = b + rng.randrange(0, s // PG - 1) * PG + rng.choice([0, 0, 0x400])
        size = min(rng.choice([PG, 0x100, 3 * PG]), b + s - x)
        resv.append((x, size, rng.randrange(0, 6), rng.choice([0, 0, 0, 1])))
    resv.sort()
    lines = ["arena %#x %#x" % (base, window), "reset"]
    lines += ["bank %#x %#x %d" % b for b in banks]
    lines += ["resv %#x %#x %d %d" % r for r in resv]
    lines += ["init", "regions", "stats"]
    for _ in range(rng.randrange(10, 30)):
        r = rng.random()
        if r < 0.6:
            lines.append("ealloc %d %d %d" % (rng.choice([rng.randrange(1, 400), rng.randrange(1, 6) * PG]),
                                              rng.choice([0, 8, 64, PG]), rng.choice([-1, 0, len(nodes) - 1])))
        elif r < 0.8:
            b, s, _ = rng.choice(banks)
            lines.append("reserve %#x %#x" % (b + rng.randrange(0, s // PG) * PG, rng.randrange(1, 3) * PG))
        else:
            lines.append("bottomup %d" % (rng.random() < 0.5))
        lines.append("regions")
    lines += ["stats", "handoff", "regions", "stats"]
    return "\n".join(lines) + "\n"


bootcheck.reference_tests(lab, 0x3e3b10c, lambda rng: [init_script(rng) if n % 3 == 2 else
                                                        memblock_model.random_script(rng, wide=True)
                                                        for n in range(12)],
                          script_section=3, boot_section=7, script_timeout=120)
