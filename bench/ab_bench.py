#!/usr/bin/env python3
"""Cairn at another commit against the working tree, under warp, in alternating pairs.

    .venv/bin/python bench/ab_bench.py --base REV [--only REGEX] [--layouts 1] [--pairs 2]
        [--seconds 12] [--concurrency N] [--workers 2] [--tree-workers N]

What a speed change moved, measured the way the issue asks (one run, one machine, ratios):
for each pair and each case, the base commit's server and the working tree's server each run
the warp case (warp_cases.py) on a freshly started server, one right after the other, with
the order swapped from pair to pair so that drift of a shared machine does not always favour
one side.  It prints ops/s and p99 of both and the ratio tree/base per pair, then the ratio of
the summed ops/s over all pairs.

The base is a `git worktree` of REV under bench/results/tmp/ (removed at the end), served
through the same virtualenv with PYTHONPATH pointing at its own `cairn` package tree, so the
two sides differ in Cairn's code only.  The compiled extensions are built in the worktree
(`setup.py build_ext --inplace`), or copied from the working tree when no Cython or C source
differs between the two.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

import servers
import warp_cases
from servers import LAYOUTS
from warp_cases import Case, case_list

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TOOLS = os.path.join(REPO, "build", "bench-tools", "bin")
VENV_PY = os.path.join(REPO, ".venv", "bin", "python")
CAIRN = os.path.join(REPO, ".venv", "bin", "cairn")
COMPILED = ("engine/*.pyx", "engine/*.pxd", "server/**/*.pyx", "csrc", "setup.py")


def git(*args: str) -> str:
    done = subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def prepare_base(rev: str, workdir: str) -> str:
    """A worktree of `rev` with its compiled extensions and a `cairn` package tree; its path."""
    tree = os.path.join(workdir, "base")
    git("worktree", "add", "--detach", tree, rev)
    if git("diff", "--name-only", rev, "--", *COMPILED):
        subprocess.run([VENV_PY, "setup.py", "-q", "build_ext", "--inplace"], cwd=tree, check=True,
                       capture_output=True)
    else:
        for top in ("engine", "server"):
            for where, _, names in os.walk(os.path.join(REPO, top)):
                for name in names:
                    if name.endswith(".so"):
                        rel = os.path.relpath(os.path.join(where, name), REPO)
                        shutil.copy2(os.path.join(REPO, rel), os.path.join(tree, rel))
    pkg = os.path.join(tree, "build", "abpkg", "cairn")
    os.makedirs(pkg)
    for sub in ("engine", "server"):
        os.symlink(os.path.join(tree, sub), os.path.join(pkg, sub))
    return os.path.dirname(pkg)


def run_side(pkg: str | None, case: Case, layout: servers.Layout, args: argparse.Namespace,
             workdir: str) -> warp_cases.Figures | None:
    env = {"PYTHONPATH": pkg} if pkg else {}
    workers = args.workers if pkg or args.tree_workers is None else args.tree_workers
    with servers.running("cairn", CAIRN, layout, workdir, workers, env) as srv:
        out = warp_cases.run(os.path.join(TOOLS, "warp"), case, srv, args.seconds,
                             os.path.join(workdir, "warp-data"), workdir, args.concurrency)
    if out.error:
        print(f"    error: {out.error[:300]}", flush=True)
    return out.figures.get("")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the commit to compare the working tree with")
    ap.add_argument("--only", metavar="REGEX", help="only the cases whose name matches")
    ap.add_argument("--layouts", default="1", help="drive counts, e.g. '1' or '1,4'")
    ap.add_argument("--pairs", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--concurrency", type=int, help="warp's clients (default: each case's own)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tree-workers", type=int, help="the working tree's --workers (default: --workers); "
                    "with --base HEAD this compares worker counts of the same code")
    args = ap.parse_args(argv)
    cases = [c for c in case_list(quick=False) if not args.only or re.search(args.only, c.name)]
    layouts = [lay for lay in LAYOUTS if str(lay.drives) in args.layouts.split(",")]
    workdir = os.path.join(HERE, "results", "tmp", f"ab-{os.getpid()}")
    os.makedirs(workdir)
    try:
        pkg = prepare_base(args.base, workdir)
        dirty = "+" if git("status", "--porcelain", "--", "engine", "server") else ""
        print(f"base {git('rev-parse', '--short', args.base)} vs working tree "
              f"{git('rev-parse', '--short', 'HEAD')}{dirty}", flush=True)
        for layout in layouts:
            for case in cases:
                sums = {"base": 0.0, "tree": 0.0}
                for pair in range(args.pairs):
                    order = ["base", "tree"] if pair % 2 == 0 else ["tree", "base"]
                    got: dict[str, warp_cases.Figures | None] = {}
                    for side in order:
                        got[side] = run_side(pkg if side == "base" else None, case, layout, args, workdir)
                    b, t = got["base"], got["tree"]
                    if b is None or t is None:
                        continue
                    sums["base"] += b.ops_s
                    sums["tree"] += t.ops_s
                    print(f"{case.name:<22} {layout.name:<13} pair {pair + 1}: "
                          f"base {b.ops_s:8.1f} ops/s p99 {b.p99_ms or 0:6.1f} ms | "
                          f"tree {t.ops_s:8.1f} ops/s p99 {t.p99_ms or 0:6.1f} ms | "
                          f"tree/base {t.ops_s / b.ops_s if b.ops_s else 0:.2f}", flush=True)
                if sums["base"]:
                    print(f"{case.name:<22} {layout.name:<13} all pairs: tree/base "
                          f"{sums['tree'] / sums['base']:.2f}", flush=True)
    finally:
        subprocess.run(["git", "-C", REPO, "worktree", "remove", "--force", os.path.join(workdir, "base")],
                       capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
