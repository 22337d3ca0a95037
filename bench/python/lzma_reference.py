"""Reference lzma lengths and ZIP-FIT scores from Python's own lzma.compress (FORMAT_XZ, CRC64),
for ZipFit's lzma parity fixture (tests/fixtures/python-code/lzma-*.tsv).

    python3 bench/python/lzma_reference.py lengths <out.tsv> <source.jsonl> <target.jsonl> [processes]
        C(x) at presets 0, 6, 9 and 6e (6 | PRESET_EXTREME) of every source and target example
    python3 bench/python/lzma_reference.py scores <out.tsv> <source.jsonl> <target.jsonl> <preset> [first-n] [processes]
        align(x) = mean over targets y of 1 - NCD(x, y) for the first n sources (all if 0 or omitted)

NCD(x, y) = (C(x+y) - min(C(x), C(y))) / max(C(x), C(y)), x+y the UTF-8 bytes of source then target;
the mean is math.fsum / len. A fresh encoder per call (lzma.compress): at preset 9 each call allocates and
clears liblzma's 64 MiB hash, and glibc returns it to the kernel between calls unless told to keep it:
    GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4000000000 (230 ms -> 5 ms a call here).
"""
import json
import lzma
import math
import sys
from multiprocessing import Pool

PRESETS = {"0": 0, "6": 6, "9": 9, "6e": 6 | lzma.PRESET_EXTREME}
TARGETS = []
TARGET_LENGTHS = []
PRESET = 6


def c(data, preset):
    return len(lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=preset))


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(r["id"], r["text"].encode("utf-8")) for r in rows]


def lengths_row(item):
    part, ident, data = item
    return part, ident, [c(data, PRESETS[p]) for p in PRESETS]


def init(targets, preset):
    global TARGETS, TARGET_LENGTHS, PRESET
    TARGETS, PRESET = targets, preset
    TARGET_LENGTHS = [c(t, preset) for t in targets]


def align(item):
    ident, x = item
    cx = c(x, PRESET)
    terms = []
    for y, cy in zip(TARGETS, TARGET_LENGTHS):
        terms.append(1 - (c(x + y, PRESET) - min(cx, cy)) / max(cx, cy))
    return ident, math.fsum(terms) / len(terms)


def main(argv):
    mode, out, source_path, target_path = argv[1:5]
    source, target = read(source_path), read(target_path)
    if mode == "lengths":
        processes = int(argv[5]) if len(argv) > 5 else 2
        items = [("target", i, t) for i, t in target] + [("source", i, s) for i, s in source]
        with Pool(processes) as p, open(out, "w", encoding="utf-8") as f:
            f.write("id\tpart\t" + "\t".join("L" + k for k in PRESETS) + "\n")
            for part, ident, ls in p.imap(lengths_row, items, chunksize=4):
                f.write(f"{ident}\t{part}\t" + "\t".join(map(str, ls)) + "\n")
                f.flush()
    else:
        preset = PRESETS[argv[5]]
        first = int(argv[6]) if len(argv) > 6 else 0
        processes = int(argv[7]) if len(argv) > 7 else 2
        if first:
            source = source[:first]
        with Pool(processes, initializer=init, initargs=([t for _, t in target], preset)) as p, \
                open(out, "w", encoding="utf-8") as f:
            f.write("id\tscore\n")
            for ident, score in p.imap(align, source, chunksize=1):
                f.write(f"{ident}\t{score!r}\n")
                f.flush()


if __name__ == "__main__":
    main(sys.argv)
