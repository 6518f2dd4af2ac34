"""Writer process for tests/engine/test_crash.py: overwrites one key in a loop until killed.

    python tests/engine/crash_writer.py --bucket B --key K --start-gen G [--count N]
        [--size BYTES] [--crash POINT] [--sync full|relaxed] [--versioned] [--delete-every N]
        DRIVE...

Prints (flushed) "ready" once the ObjectLayer is open, then for each generation
"begin <gen> put" before its PUT and "ack <gen> <version id>" once put_object returned.
--versioned makes the bucket (when it creates it) versioning Enabled; --delete-every N
makes every generation divisible by N a DELETE instead ("begin <gen> delete", then "ack
<gen> <version id of the delete marker>").  Bodies
are self-verifying (see make_body / parse_body): generation and size are in the
body, the rest is derived from them, so a reader can tell which generation it got
and whether every byte is right.

--crash POINT makes the process die (os._exit, no cleanup, like SIGKILL) inside the
PUT of the last generation (--count is required), at a precise place:
    staging      in the middle of the sixth write into the shard staging files (.cairn/tmp)
    published    after the shard files were moved into .cairn/data, before any metadata
    meta:J       after the metadata record committed on J drives (drive order 0, 1, ...)
                 (meta:all = on every drive, before the replaced data is removed)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys

BLOCK_SIZE = 256 << 10
INLINE_MAX = 16 << 10
MAGIC = b"CAIRNGEN"
HEADER_SIZE = 32 + len(MAGIC) + 16  # sha256(rest) + MAGIC + gen u64 + size u64
CRASH_EXIT = 137


def size_for(gen: int) -> int:
    """A size for generation `gen`: inline, a few blocks, or up to 3 MiB; rarely a block multiple."""
    rng = random.Random(f"size-{gen}")
    kind = rng.random()
    if kind < 0.35:
        return rng.randint(1 << 10, INLINE_MAX)
    if kind < 0.65:
        return rng.randint(INLINE_MAX + 1, 2 * BLOCK_SIZE + 1000)
    return rng.randint(2 * BLOCK_SIZE, 3 << 20)


def make_body(gen: int, size: int | None = None) -> bytes:
    """The body of generation `gen`: sha256(rest) + rest, rest = MAGIC, gen, size, derived bytes."""
    if size is None:
        size = size_for(gen)
    assert size >= HEADER_SIZE
    rest = MAGIC + gen.to_bytes(8, "big") + size.to_bytes(8, "big")
    rest += random.Random(f"body-{gen}-{size}").randbytes(size - HEADER_SIZE)
    return hashlib.sha256(rest).digest() + rest


def parse_body(body: bytes) -> int:
    """The generation of an intact body; ValueError when it is not exactly some make_body output."""
    if len(body) < HEADER_SIZE or body[32:40] != MAGIC:
        raise ValueError(f"not a generation body ({len(body)} bytes, starts {body[:48].hex()})")
    if hashlib.sha256(body[32:]).digest() != body[:32]:
        raise ValueError(f"body of {len(body)} bytes fails its sha256")
    gen = int.from_bytes(body[40:48], "big")
    size = int.from_bytes(body[48:56], "big")
    if size != len(body) or make_body(gen, size) != body:
        raise ValueError(f"body claims generation {gen} of {size} bytes but is {len(body)} other bytes")
    return gen


def arm_crash(point: str) -> dict[str, bool]:
    """Patch the engine so that the PUT running while state["armed"] dies at `point`."""
    from typing_extensions import Buffer

    from cairn.engine import erasure_set, quorum
    from cairn.engine.errors import DriveError

    state = {"armed": False}

    def die() -> None:
        sys.stdout.flush()
        os._exit(CRASH_EXIT)

    if point == "staging":
        real_write = os.write
        writes = {"n": 0}

        def write(fd: int, data: Buffer) -> int:
            if state["armed"]:
                writes["n"] += 1
                if writes["n"] == 6:  # headers and frames written, die halfway through the sixth write
                    view = memoryview(data)
                    real_write(fd, view[: view.nbytes // 2])
                    die()
            return real_write(fd, data)

        os.write = write  # the engine's shard writes go through os.write
    elif point == "published":
        real_commit_object = erasure_set.ErasureSet.commit_object

        def commit_object(self, *args, **kwargs):
            if state["armed"]:
                die()
            return real_commit_object(self, *args, **kwargs)

        erasure_set.ErasureSet.commit_object = commit_object  # type: ignore[method-assign]
    elif point.startswith("meta:"):
        real_submit_each = quorum.SetMeta.submit_each
        arg = point.split(":", 1)[1]

        def submit_each(self, expect, ops, lazy=False):
            if not state["armed"]:
                return real_submit_each(self, expect, ops, lazy)
            limit = self.size if arg == "all" else int(arg)
            done = 0
            for i, drive in enumerate(self.drives):  # one drive after the other, in drive order
                if done >= limit:
                    die()
                if drive.online and expect[i] is not None and ops[i]:
                    try:
                        drive.meta_submit_cas(expect[i], ops[i]).wait()
                    except DriveError:
                        continue
                    done += 1
            die()

        quorum.SetMeta.submit_each = submit_each  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown crash point {point!r}")
    return state


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--start-gen", type=int, required=True)
    parser.add_argument("--count", type=int, default=0, help="generations to write (0: until killed)")
    parser.add_argument("--size", type=int, default=None, help="every body this size (default: varies)")
    parser.add_argument("--crash", default=None)
    parser.add_argument("--sync", default="full", choices=("full", "relaxed"))
    parser.add_argument("--versioned", action="store_true")
    parser.add_argument("--delete-every", type=int, default=0)
    parser.add_argument("drives", nargs="+")
    args = parser.parse_args()
    if args.crash and not args.count:
        parser.error("--crash needs --count")

    from cairn.engine.api import ObjectLayer, VersioningConfig

    state = arm_crash(args.crash) if args.crash else {"armed": False}
    ol = ObjectLayer.open(args.drives, sync=args.sync, block_size=BLOCK_SIZE, inline_max=INLINE_MAX)
    if ol.buckets.lookup(args.bucket) is None:
        ol.create_bucket(args.bucket)
        if args.versioned:
            ol.put_bucket_config(args.bucket, VersioningConfig("Enabled"))
    print("ready", flush=True)
    gen = args.start_gen
    last = args.start_gen + args.count - 1 if args.count else None
    while last is None or gen <= last:
        delete = args.delete_every > 0 and gen % args.delete_every == 0
        body = b"" if delete else make_body(gen, args.size)
        state["armed"] = gen == last and args.crash is not None
        print(f"begin {gen} {'delete' if delete else 'put'}", flush=True)
        if delete:
            version_id = ol.delete_object(args.bucket, args.key).version_id
        else:
            version_id = ol.put_object(args.bucket, args.key, body).version_id
        print(f"ack {gen} {version_id}", flush=True)
        gen += 1
    ol.close()


if __name__ == "__main__":
    main()
