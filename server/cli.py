"""The `cairn` command.

`cairn server DIR...` takes MinIO's command shape (ellipsis expansion such as
/mnt/d{1...4}).  The S3 front end is not served yet: for now the command
opens (formatting on first use) the drives, checks them and reports the
deployment, so an operator can already validate a drive layout.
"""

from __future__ import annotations

import argparse
import sys

from cairn.engine.api import ObjectLayer
from cairn.engine.drives import expand_drive_args
from cairn.engine.errors import EngineError


def cmd_server(args: argparse.Namespace) -> int:
    try:
        paths = expand_drive_args(args.drives)
        layer = ObjectLayer.open(paths, parity=args.parity)
    except EngineError as exc:
        print(f"cairn: {exc}", file=sys.stderr)
        return 1
    with layer:
        dep = layer.deployment
        print(f"Cairn deployment {dep.deployment_id}")
        for layout in dep.sets:
            online = sum(d.online for d in layout.drives)
            print(f"  set {layout.index + 1}: {layout.data_shards} data + {layout.parity_shards} parity, "
                  f"{online}/{layout.size} drives online")
            for d in layout.drives:
                state = "online" if d.online else f"OFFLINE ({d.problem})"
                print(f"    {d.path}  {state}{'  needs heal' if d.needs_heal else ''}")
    print("cairn: the S3 API is not served yet (the storage engine is ready); exiting", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cairn", description="S3-compatible object storage")
    sub = parser.add_subparsers(dest="command", required=True)
    server = sub.add_parser("server", help="run a server on one or more drives")
    server.add_argument("drives", nargs="+", help="drive directories; /mnt/d{1...4} expands")
    server.add_argument("--parity", type=int, default=None, help="parity shards per set (default: MinIO's)")
    server.set_defaults(func=cmd_server)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
