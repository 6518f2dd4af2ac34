"""ListObjects against a model of S3's semantics, and at scale (work done, not time)."""

from __future__ import annotations

import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.engine.info import ObjectInfo
from cairn.engine.records import encode_object, object_json, object_key

from .helpers import bucket_exists


def model_list(keys, prefix="", delimiter="", start_after="", max_keys=1000):
    """S3's ListObjects rules over a plain sorted list of keys (UTF-8 byte order)."""
    entries: list[tuple[str, bool]] = []  # (key or common prefix, is_prefix)
    seen_prefixes = set()
    for key in sorted(keys, key=lambda k: k.encode()):
        if not key.startswith(prefix) or key.encode() <= start_after.encode():
            continue
        if delimiter:
            at = key.find(delimiter, len(prefix))
            if at >= 0:
                common = key[: at + len(delimiter)]
                if common.encode() <= start_after.encode() or common in seen_prefixes:
                    continue
                seen_prefixes.add(common)
                entries.append((common, True))
                continue
        entries.append((key, False))
    page = entries[:max_keys] if max_keys > 0 else []
    truncated = max_keys > 0 and len(entries) > max_keys
    return [e for e, p in page if not p], [e for e, p in page if p], truncated


def listing(layer, **kw):
    page = layer.list_objects("bkt", **kw)
    return [o.key for o in page.objects], page.prefixes, page.truncated


def list_all(layer, page_size, **kw):
    """Follow next_marker through every page, as a V1 client does."""
    keys, prefixes, marker = [], [], ""
    for _ in range(10_000):
        page = layer.list_objects("bkt", start_after=marker, max_keys=page_size, **kw)
        keys += [o.key for o in page.objects]
        prefixes += page.prefixes
        if not page.truncated:
            return keys, prefixes
        marker = page.next_marker
    raise AssertionError("listing did not end")


KEY_ALPHABET = st.sampled_from(["a", "b", "/", "-", "é", "z", "0", "~", "日"])
KEYS = st.lists(st.text(KEY_ALPHABET, min_size=1, max_size=6), min_size=0, max_size=40, unique=True)


@pytest.fixture(scope="module")
def shared_layers(tmp_path_factory):
    from cairn.engine.api import ObjectLayer

    layers = {}
    for drives in (1, 4):
        root = tmp_path_factory.mktemp(f"list{drives}")
        layers[drives] = ObjectLayer.open([str(root / f"d{i}") for i in range(drives)], sync="relaxed")
    yield layers
    for layer in layers.values():
        layer.close()


@pytest.mark.parametrize("drives", [1, 4])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keys=KEYS,
    prefix=st.sampled_from(["", "a", "a/", "é", "b/a"]),
    delimiter=st.sampled_from(["", "/", "a", "/a"]),
    start_after=st.sampled_from(["", "a", "a/", "b", "a/b"]),
    max_keys=st.sampled_from([0, 1, 2, 3, 1000]),
)
def test_listing_matches_model(shared_layers, drives, keys, prefix, delimiter, start_after, max_keys):
    layer = shared_layers[drives]
    bucket = "bkt"
    if bucket_exists(layer, bucket):
        for o in layer.list_objects(bucket, max_keys=100_000).objects:
            layer.delete_object(bucket, o.key)
    else:
        layer.create_bucket(bucket)
    for k in keys:
        layer.put_object(bucket, k, k.encode())
    got = listing(layer, prefix=prefix, delimiter=delimiter, start_after=start_after, max_keys=max_keys)
    assert got == model_list(keys, prefix, delimiter, start_after, max_keys)
    # Paging through with next_marker yields the same as one big page.
    model_keys, model_prefixes, _ = model_list(keys, prefix, delimiter, "", 100_000)
    assert list_all(layer, 2, prefix=prefix, delimiter=delimiter) == (model_keys, model_prefixes)


def test_listing_shows_sizes_and_etags(make_layer):
    layer = make_layer(4)
    layer.create_bucket("bkt")
    layer.put_object("bkt", "x/1", b"abc")
    (obj,) = layer.list_objects("bkt", prefix="x/").objects
    assert (obj.key, obj.size, obj.etag) == ("x/1", 3, "900150983cd24fb0d6963f7d28e17f72")


@pytest.mark.slow
def test_listing_one_million_keys_reads_little(make_layer):
    """1,000,000 keys in 1,000 "directories": pages and delimiter listings come from seeks."""
    layer = make_layer(1, sync="relaxed")
    layer.create_bucket("bkt")
    meta = ObjectInfo(size=1, etag="0" * 32, mtime_ns=time.time_ns(), version_id=uuid.uuid4().hex,
                      distribution=[0])
    template = object_json(meta)
    drive = layer.sets[0].drives[0]
    batch = []
    for d in range(1000):
        for f in range(1000):
            batch.append((object_key("bkt", f"dir{d:04d}/file{f:04d}"), encode_object(template, b"")))
        if len(batch) >= 100_000:
            drive.meta_submit(batch).wait()
            batch = []
    drive.meta_submit(batch).wait()

    before = layer.rows_read()
    page = layer.list_objects("bkt", max_keys=1000)
    first_page_rows = layer.rows_read() - before
    assert len(page.objects) == 1000 and page.truncated
    assert page.objects[-1].key == "dir0000/file0999"
    assert first_page_rows <= 2100  # the page plus the look-ahead, nowhere near a million

    before = layer.rows_read()
    page = layer.list_objects("bkt", delimiter="/", max_keys=1000)
    delimiter_rows = layer.rows_read() - before
    assert page.prefixes == [f"dir{d:04d}/" for d in range(1000)] and not page.truncated
    assert page.objects == []
    assert delimiter_rows <= 3 * 1000  # a couple of rows per directory, not 1,000

    before = layer.rows_read()
    page = layer.list_objects("bkt", prefix="dir0500/", start_after="dir0500/file0900", max_keys=50)
    deep_rows = layer.rows_read() - before
    assert [o.key for o in page.objects] == [f"dir0500/file{f:04d}" for f in range(901, 951)]
    assert deep_rows <= 200


def test_listing_skips_stale_replica(make_layer, tmp_path):
    """A record left on one drive (it missed the delete) is outvoted in listings."""
    layer = make_layer(4)
    layer.create_bucket("bkt")
    layer.put_object("bkt", "gone", b"x")
    layer.put_object("bkt", "kept", b"y")
    stale = layer.sets[0].drives[2]
    record = stale.meta_get(object_key("bkt", "gone"))
    layer.delete_object("bkt", "gone")
    stale.meta_submit([(object_key("bkt", "gone"), record)]).wait()
    assert [o.key for o in layer.list_objects("bkt").objects] == ["kept"]
