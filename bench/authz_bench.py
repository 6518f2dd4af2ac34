#!/usr/bin/env python3
"""What authorization costs: 4 KiB PUT and GET under warp as an IAM user with three attached
policies and a bucket policy of 20 statements, beside the root user, in one run on one server.

    .venv/bin/python bench/authz_bench.py [--rounds N] [--duration S] [--out FILE]

The bar (issue 11): authorization adds at most 5% to 4 KiB GET and PUT throughput.

One Cairn server (1 drive, 2 workers) is started fresh.  Before the runs, the identities are
written straight into its drives' identity records through the engine (another process on the
same drives, as a second worker would be; the server sees them at its next request):

- user `bench` with three policies attached: object read/write on the benchmark bucket, bucket
  listing with an s3:prefix condition, and a Deny of bucket deletion everywhere;
- the bucket `warp-benchmark-bucket` (warp's default), owned by the root user, with a bucket
  policy of 20 statements: 19 for other principals, prefixes and actions (which the evaluator
  must still look at) and one granting `bench` GetObject on a prefix it does not use.

Then warp's `put` and `get` at 4 KiB, concurrency 8, for the root user and for `bench`
alternately (ABBA over the rounds, so drift favours neither); each figure is the median of the
rounds, and the result is the ratio user/root.  Throughput on this shared machine drifts by
+-15% from round to round, so the run also reports the server's CPU time per request (every
process of its session, from /proc, over the whole warp run including the GET case's upload
phase): the figure authorization adds to.  The root user without a matching Deny skips
policy evaluation except the bucket policy's Deny check; `bench` evaluates four policies per
request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from dataclasses import replace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import servers  # noqa: E402
import warp_cases  # noqa: E402
from servers import Layout  # noqa: E402
from warp_cases import Case, KiB  # noqa: E402

from cairn.engine.api import ObjectLayer, PolicyConfig  # noqa: E402
from cairn.server.iam.store import Identities  # noqa: E402

REPO = os.path.dirname(HERE)
WARP = os.path.join(REPO, "build", "bench-tools", "bin", "warp")
CAIRN = os.path.join(REPO, ".venv", "bin", "cairn")
BUCKET = "warp-benchmark-bucket"
USER, USER_SECRET = "bench", "bench-secret-key"


def policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def identity_policies() -> dict[str, str]:
    return {
        "objects-rw": policy({"Effect": "Allow",
                              "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                              "Resource": f"arn:aws:s3:::{BUCKET}/*"}),
        "list-some": policy({"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                             "Resource": f"arn:aws:s3:::{BUCKET}",
                             "Condition": {"StringLikeIfExists": {"s3:prefix": ["*"]}}}),
        "no-bucket-delete": policy({"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}),
    }


def bucket_policy() -> str:
    statements: list[dict[str, object]] = []
    for i in range(19):
        objects = bool(i % 2)
        statement: dict[str, object] = {
            "Sid": f"other{i}", "Effect": "Allow" if i % 3 else "Deny",
            "Principal": {"AWS": [f"arn:aws:iam:::user/someone{i}"]},
            "Action": ["s3:GetObject", "s3:PutObject"] if objects else "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{BUCKET}/team{i}/*" if objects else f"arn:aws:s3:::{BUCKET}"}
        if i % 4 == 0:
            statement["Condition"] = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
        statements.append(statement)
    statements.append({"Sid": "bench", "Effect": "Allow",
                       "Principal": {"AWS": [f"arn:aws:iam:::user/{USER}"]},
                       "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/shared/*"})
    return policy(*statements)


def server_cpu_seconds(session: int) -> float:
    """CPU time (user + system) of every process of the server's session (supervisor and
    workers; warp runs in another session)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields after "(comm)": state ppid pgrp session ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def prepare(drives: list[str]) -> None:
    with ObjectLayer.open(drives, sweep=False) as layer:
        ids = Identities(layer.iam, servers.ACCESS_KEY, servers.SECRET_KEY)
        ids.add_user(USER, USER_SECRET)
        for name, doc in identity_policies().items():
            ids.add_policy(name, doc)
        ids.attach(list(identity_policies()), user=USER)
        layer.create_bucket(BUCKET)
        layer.put_bucket_config(BUCKET, PolicyConfig(bucket_policy()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "results", "AUTHZ.md"))
    args = parser.parse_args()
    layout = Layout("1 drive", 1, 0)
    results: dict[tuple[str, str], list[float]] = {}
    cpu_us: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as workdir, \
            servers.running("cairn", CAIRN, layout, workdir) as server:
        prepare([os.path.join(workdir, "cairn-1d", "d1")])
        user = replace(server, access_key=USER, secret_key=USER_SECRET)
        for r in range(args.rounds):
            order = [("root", server), ("user", user)]
            if r % 2:
                order.reverse()
            for op, objects in (("put", 0), ("get", 1000)):
                for who, srv in order:
                    case = Case(op, 4 * KiB, objects=objects)
                    cpu_before = server_cpu_seconds(server.pid)
                    out = warp_cases.run(WARP, case, srv, args.duration, os.path.join(workdir, "warp"),
                                         workdir)
                    cpu = server_cpu_seconds(server.pid) - cpu_before
                    if out.error:
                        print(f"{who} {op}: {out.error}", file=sys.stderr)
                        return 1
                    fig = out.figures[""]
                    if fig.errors:
                        print(f"{who} {op}: {fig.errors} errors: {fig.first_errors}", file=sys.stderr)
                        return 1
                    results.setdefault((who, op), []).append(fig.ops_s)
                    # warp's upload phase (get) counts in the CPU but not in the requests: per
                    # request of the whole run, its uploads included
                    requests = fig.requests + objects
                    cpu_us.setdefault((who, op), []).append(1e6 * cpu / requests)
                    print(f"round {r + 1} {op.upper():4} {who:5} {fig.ops_s:8.0f} ops/s "
                          f"{1e6 * cpu / requests:6.0f} us CPU/request", flush=True)
    lines = ["# Authorization overhead (bench/authz_bench.py)", "",
             f"{args.rounds} rounds of {args.duration:g} s per case, warp concurrency 8, 1 drive, 2 workers; "
             "medians of the rounds.", "",
             "| case | root ops/s | user ops/s | user / root | root CPU µs/req | user CPU µs/req | "
             "user / root |", "|---|---:|---:|---:|---:|---:|---:|"]
    for op in ("put", "get"):
        root, usr = statistics.median(results[("root", op)]), statistics.median(results[("user", op)])
        root_cpu, usr_cpu = statistics.median(cpu_us[("root", op)]), statistics.median(cpu_us[("user", op)])
        lines.append(f"| {op.upper()} 4 KiB | {root:.0f} | {usr:.0f} | {usr / root:.3f} | {root_cpu:.0f} | "
                     f"{usr_cpu:.0f} | {usr_cpu / root_cpu:.3f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
