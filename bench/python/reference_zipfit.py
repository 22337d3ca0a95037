"""A plain re-statement of ZIP-FIT scoring in Python (gzip.compress, multiprocessing over examples),
used only to time the reference approach on the same machine as ZipFit. Not the authors' code.

    python3 bench/python/reference_zipfit.py ../shared/data/python-code/source-small.jsonl ../shared/data/python-code/target.jsonl [level] [processes]
"""
import gzip
import json
import sys
import time
from multiprocessing import Pool

TARGETS = []
TARGET_LENGTHS = []
LEVEL = 9


def init(targets, level):
    global TARGETS, TARGET_LENGTHS, LEVEL
    TARGETS = targets
    LEVEL = level
    TARGET_LENGTHS = [len(gzip.compress(t, compresslevel=level)) for t in targets]


def align(x):
    cx = len(gzip.compress(x, compresslevel=LEVEL))
    total = 0.0
    for y, cy in zip(TARGETS, TARGET_LENGTHS):
        cxy = len(gzip.compress(x + y, compresslevel=LEVEL))
        total += 1 - (cxy - min(cx, cy)) / max(cx, cy)
    return total / len(TARGETS)


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"].encode("utf-8") for line in f if line.strip()]


if __name__ == "__main__":
    pool_path, target_path = sys.argv[1], sys.argv[2]
    level = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    processes = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    pool, targets = read(pool_path), read(target_path)
    start = time.perf_counter()
    with Pool(processes, initializer=init, initargs=(targets, level)) as p:
        scores = p.map(align, pool, chunksize=8)
    seconds = time.perf_counter() - start
    pairs = len(pool) * len(targets)
    print(f"{len(pool)} examples x {len(targets)} targets, gzip-{level}, {processes} processes: "
          f"{seconds:.2f} s, {pairs / seconds:,.0f} pairs/s")
