"""Drives Drain3 (PyPI, default configuration) over one message per line; the peer for bench/templates.ts.

Usage: drain3_run.py INPUT OUTPUT_IDS [MAX_SECONDS] [REPEATS]
Writes one cluster id per processed input line to OUTPUT_IDS and prints one JSON line with the timing
(with REPEATS, the median time of that many runs, each with a fresh miner).
"""
import json
import logging
import sys
import time

from drain3 import TemplateMiner


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = sys.argv[1], sys.argv[2]
    max_seconds = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else float("inf")
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    logging.disable(logging.WARNING)  # Drain3 warns that no drain3.ini is present: defaults are what we want
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    times = []
    for _ in range(repeats):
        miner = TemplateMiner()
        ids = []
        start = time.perf_counter()
        deadline = start + max_seconds
        for i, line in enumerate(lines):
            ids.append(miner.add_log_message(line)["cluster_id"])
            if (i & 4095) == 0 and time.perf_counter() > deadline:
                break
        times.append(time.perf_counter() - start)
    seconds = sorted(times)[len(times) // 2]
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(str(i) for i in ids))
    print(json.dumps({"lines": len(ids), "seconds": seconds, "clusters": len(miner.drain.clusters)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
