"""What the background scanner costs the requests it runs beside: warp's 4 KiB GET against a
Cairn whose scanner is idle, and against one whose heal pass runs without pause at the default
--scanner-rate (normal check; and deep, every frame verified), alternating, in one run.

"Idle" is the default setting on a fresh server: cycles every second (--scanner-interval 1s here),
no lifecycle rule and no heal pass due (--heal-interval 24h), so a cycle looks at each bucket's
record and stops.  "Healing" sets CAIRN_HEAL_INTERVAL=1s, so every cycle after the first is a heal
pass over every object at 1,000 objects a second.

    .venv/bin/python bench/scanner_cost.py [--layouts 1,4] [--pairs 2] [--seconds 12] [--objects 20000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

import servers
import warp_cases
from servers import LAYOUTS
from warp_cases import Case

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(HERE), "build", "bench-tools", "bin")
CAIRN = os.path.join(os.path.dirname(HERE), ".venv", "bin", "cairn")
SIDES = {
    "idle": {"CAIRN_SCANNER_INTERVAL": "1s"},
    "healing": {"CAIRN_SCANNER_INTERVAL": "1s", "CAIRN_HEAL_INTERVAL": "1s"},
    "deep": {"CAIRN_SCANNER_INTERVAL": "1s", "CAIRN_HEAL_INTERVAL": "1s", "CAIRN_HEAL_DEEP_INTERVAL": "1s"},
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--layouts", default="1,4")
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--objects", type=int, default=20000)
    ap.add_argument("--size", type=int, default=4096)
    args = ap.parse_args(argv)
    case = Case("get", args.size, objects=args.objects)
    workdir = os.path.join(HERE, "results", "tmp", f"scanner-{os.getpid()}")
    os.makedirs(workdir)
    try:
        for layout in [lay for lay in LAYOUTS if str(lay.drives) in args.layouts.split(",")]:
            sums = dict.fromkeys(SIDES, 0.0)
            for pair in range(args.pairs):
                order = list(SIDES) if pair % 2 == 0 else list(reversed(SIDES))
                got: dict[str, warp_cases.Figures | None] = {}
                for side in order:
                    with servers.running("cairn", CAIRN, layout, workdir, 2, SIDES[side]) as srv:
                        out = warp_cases.run(os.path.join(TOOLS, "warp"), case, srv, args.seconds,
                                             os.path.join(workdir, "warp-data"), workdir, None)
                    got[side] = out.figures.get("")
                    if out.error:
                        print(f"  {side}: {out.error[:300]}", flush=True)
                line = []
                for side in SIDES:
                    fig = got[side]
                    if fig is not None:
                        sums[side] += fig.ops_s
                        line.append(f"{side} {fig.ops_s:8.1f} ops/s p99 {fig.p99_ms or 0:6.1f} ms")
                print(f"{case.name} {layout.name} pair {pair + 1}: " + " | ".join(line), flush=True)
            if sums["idle"]:
                healing, deep = sums["healing"] / sums["idle"], sums["deep"] / sums["idle"]
                print(f"{case.name} {layout.name} all pairs: healing/idle {healing:.2f}, "
                      f"deep/idle {deep:.2f}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
