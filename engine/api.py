"""ObjectLayer: the engine's interface, one method per S3 operation it serves.

The server calls these (from worker threads; every method blocks) and maps
the exceptions of engine/errors.py to S3 errors.  Buckets are recorded in
every erasure set, so any set can answer for them; an object lives in the
set its name hashes to.  Metadata lives in one SQLite database per drive,
replicated across the drives of a set (engine/quorum.py); large object data
in bitrot-checked shard files (engine/erasure_set.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from typing_extensions import Buffer

from .drives import Deployment, open_deployment, shard_order
from .erasure_set import ErasureSet, ObjectReader, ObjectWriter, PutOptions
from .errors import BucketExists, BucketNotEmpty, BucketNotFound, DriveError, EngineError, ReadQuorumError
from .heal import HealQueue
from .listing import ListPage, list_objects
from .metastore import MetaStore
from .multipart import (
    CompletePart,
    MultipartUploads,
    PartsPage,
    PartWriter,
    UploadOptions,
    UploadsPage,
    list_uploads,
    stale_uploads,
)
from .names import check_bucket_name, check_object_name
from .quorum import SetMeta
from .records import BucketMeta, ObjectMeta, PartMeta, UploadMeta, bucket_key, bucket_keys_range

DEFAULT_BLOCK_SIZE = 1 << 20
DEFAULT_INLINE_MAX = 128 << 10

SyncMode = Literal["full", "relaxed"]


@dataclass(frozen=True)
class BucketInfo:
    name: str
    created_ns: int
    settings: dict[str, object]


def open_store(path: str, drive: str, sync: SyncMode) -> MetaStore | None:
    """A drive's metadata store, or None (offline) when it cannot be opened: read-only,
    damaged beyond SQLite's repair, I/O errors.  One bad drive must not stop the rest."""
    try:
        return MetaStore(path, drive=drive, sync=sync)
    except DriveError:
        return None


class ObjectLayer:
    def __init__(
        self,
        deployment: Deployment,
        *,
        sync: SyncMode = "full",
        block_size: int = DEFAULT_BLOCK_SIZE,
        inline_max: int = DEFAULT_INLINE_MAX,
    ) -> None:
        self.deployment = deployment
        self.heal = HealQueue()
        drives = deployment.drives
        self.pool = ThreadPoolExecutor(max_workers=max(2, 2 * len(drives)), thread_name_prefix="cairn-io")
        self.metas: list[SetMeta] = []
        self.sets: list[ErasureSet] = []
        for layout in deployment.sets:
            stores = [open_store(d.meta_db_path, d.path, sync) if d.online else None
                      for d in layout.drives]
            meta = SetMeta(stores, layout.data_shards, layout.parity_shards)
            self.metas.append(meta)
            self.sets.append(ErasureSet(layout, meta, block_size=block_size, inline_max=inline_max,
                                        sync=sync == "full", pool=self.pool, heal=self.heal))
        self.uploads = [MultipartUploads(s) for s in self.sets]

    @classmethod
    def open(cls, paths: Sequence[str], *, parity: int | None = None, sync: SyncMode = "full",
             block_size: int = DEFAULT_BLOCK_SIZE, inline_max: int = DEFAULT_INLINE_MAX,
             sweep: bool = True) -> ObjectLayer:
        """Open (formatting fresh drives) a deployment; sweep=False spares the staging areas."""
        deployment = open_deployment([os.path.abspath(p) for p in paths], parity=parity, sweep=sweep)
        return cls(deployment, sync=sync, block_size=block_size, inline_max=inline_max)

    def close(self) -> None:
        for meta in self.metas:
            meta.close()
        self.pool.shutdown(wait=True)

    def __enter__(self) -> ObjectLayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- buckets ------------------------------------------------------------

    def _bucket_record(self, bucket: str) -> BucketMeta | None:
        last: ReadQuorumError | None = None
        for meta in self.metas:
            try:
                value = meta.get(bucket_key(bucket)).value
            except ReadQuorumError as exc:
                last = exc
                continue
            return BucketMeta.decode(value) if value is not None else None
        assert last is not None
        raise last

    def head_bucket(self, bucket: str) -> BucketInfo:
        record = self._bucket_record(bucket)
        if record is None:
            raise BucketNotFound(bucket)
        return BucketInfo(bucket, record.created_ns, record.settings)

    def bucket_exists(self, bucket: str) -> bool:
        return self._bucket_record(bucket) is not None

    def create_bucket(self, bucket: str) -> BucketInfo:
        check_bucket_name(bucket)
        if self._bucket_record(bucket) is not None:
            raise BucketExists(bucket)
        record = BucketMeta(created_ns=time.time_ns())
        for meta in self.metas:
            meta.commit_all([(bucket_key(bucket), record.encode())])
        return BucketInfo(bucket, record.created_ns, record.settings)

    def put_bucket_settings(self, bucket: str, settings: dict[str, object]) -> None:
        record = self._bucket_record(bucket)
        if record is None:
            raise BucketNotFound(bucket)
        record.settings = dict(settings)
        for meta in self.metas:
            meta.commit_all([(bucket_key(bucket), record.encode())])

    def delete_bucket(self, bucket: str) -> None:
        if self.list_objects(bucket, max_keys=1).objects:
            raise BucketNotEmpty(bucket)
        while page := self.list_multipart_uploads(bucket).uploads:  # S3 drops them with the bucket
            for key, upload in page:
                self.abort_multipart_upload(bucket, key, upload.upload_id)
        for meta in self.metas:
            meta.commit_all([(bucket_key(bucket), None)])

    def list_buckets(self) -> list[BucketInfo]:
        start, end = bucket_keys_range()
        out: list[BucketInfo] = []
        meta = self.metas[0]
        for drive in range(meta.size):
            try:
                rows = meta.scan(drive, start, end, 1_000_000)
            except Exception:
                continue
            names = [k[1:].decode() for k, _ in rows]
            for name in names:
                record = self._bucket_record(name)
                if record is not None:
                    out.append(BucketInfo(name, record.created_ns, record.settings))
            return out
        raise ReadQuorumError("no drive could list the buckets")

    # -- objects --------------------------------------------------------------

    def _set_for(self, bucket: str, key: str) -> ErasureSet:
        check_object_name(key)
        return self.sets[self.deployment.set_for(bucket, key).index]

    def new_object_writer(self, bucket: str, key: str, opts: PutOptions | None = None) -> ObjectWriter:
        """Start a streamed PutObject: write() the body in pieces of any size, then commit()."""
        eset = self._set_for(bucket, key)
        self.head_bucket(bucket)
        order = shard_order(self.deployment.deployment_id, len(eset.drives), bucket, key)
        return eset.new_writer(bucket, key, opts or PutOptions(), order)

    def put_object(self, bucket: str, key: str, body: Buffer | Iterable[Buffer],
                   opts: PutOptions | None = None) -> ObjectMeta:
        writer = self.new_object_writer(bucket, key, opts)
        try:
            if isinstance(body, (bytes, bytearray, memoryview)):
                writer.write(body)
            else:
                for piece in body:  # type: ignore[union-attr]
                    writer.write(piece)
        except BaseException:
            writer.abort()
            raise
        return writer.commit()

    def head_object(self, bucket: str, key: str) -> ObjectMeta:
        eset = self._set_for(bucket, key)
        self.head_bucket(bucket)
        return eset.head_object(bucket, key)

    def open_object(self, bucket: str, key: str, start: int = 0, length: int | None = None) -> ObjectReader:
        """Start a GetObject of bytes [start, start+length); iterate .blocks() for the data."""
        eset = self._set_for(bucket, key)
        self.head_bucket(bucket)
        return eset.open_object(bucket, key, start, length)

    def get_object(self, bucket: str, key: str, start: int = 0, length: int | None = None) -> bytes:
        return self.open_object(bucket, key, start, length).read_all()

    def delete_object(self, bucket: str, key: str) -> bool:
        eset = self._set_for(bucket, key)
        self.head_bucket(bucket)
        return eset.delete_object(bucket, key)

    def list_objects(self, bucket: str, prefix: str = "", delimiter: str = "", start_after: str = "",
                     max_keys: int = 1000) -> ListPage:
        self.head_bucket(bucket)
        return list_objects(self.metas, bucket, prefix, delimiter, start_after, max_keys)

    def rows_read(self) -> int:
        """Metadata rows fetched so far, over every drive (how much work listings do)."""
        return sum(m.rows_read() for m in self.metas)

    # -- multipart uploads ------------------------------------------------------------

    def _uploads_for(self, bucket: str, key: str) -> MultipartUploads:
        check_object_name(key)
        return self.uploads[self.deployment.set_for(bucket, key).index]

    def create_multipart_upload(self, bucket: str, key: str, opts: UploadOptions | None = None) -> UploadMeta:
        uploads = self._uploads_for(bucket, key)
        self.head_bucket(bucket)
        order = shard_order(self.deployment.deployment_id, len(uploads.eset.drives), bucket, key)
        return uploads.create(bucket, key, opts or UploadOptions(), order)

    def get_multipart_upload(self, bucket: str, key: str, upload_id: str) -> UploadMeta:
        uploads = self._uploads_for(bucket, key)
        self.head_bucket(bucket)
        return uploads.get(bucket, key, upload_id)

    def new_part_writer(self, bucket: str, key: str, upload_id: str, part_number: int,
                        opts: PutOptions | None = None) -> PartWriter:
        """Start a streamed UploadPart: write() the body, then commit() for the part's record."""
        uploads = self._uploads_for(bucket, key)
        self.head_bucket(bucket)
        return uploads.new_part_writer(bucket, key, upload_id, part_number, opts or PutOptions())

    def upload_part(self, bucket: str, key: str, upload_id: str, part_number: int, body: Buffer,
                    opts: PutOptions | None = None) -> PartMeta:
        writer = self.new_part_writer(bucket, key, upload_id, part_number, opts)
        try:
            writer.write(body)
        except BaseException:
            writer.abort()
            raise
        return writer.commit()

    def list_parts(self, bucket: str, key: str, upload_id: str, part_number_marker: int = 0,
                   max_parts: int = 1000) -> PartsPage:
        uploads = self._uploads_for(bucket, key)
        self.head_bucket(bucket)
        upload = uploads.get(bucket, key, upload_id)
        parts, truncated = uploads.parts(bucket, key, upload_id, part_number_marker, max_parts)
        return PartsPage(upload, parts, truncated)

    def complete_multipart_upload(self, bucket: str, key: str, upload_id: str, parts: Sequence[CompletePart],
                                  expected: dict[str, str] | None = None, size: int | None = None,
                                  opts: PutOptions | None = None) -> ObjectMeta:
        uploads = self._uploads_for(bucket, key)
        self.head_bucket(bucket)
        return uploads.complete(bucket, key, upload_id, parts, expected, size, opts)

    def abort_multipart_upload(self, bucket: str, key: str, upload_id: str) -> None:
        uploads = self._uploads_for(bucket, key)
        self.head_bucket(bucket)
        uploads.abort(bucket, key, upload_id)

    def list_multipart_uploads(self, bucket: str, prefix: str = "", delimiter: str = "", key_marker: str = "",
                               upload_id_marker: str = "", max_uploads: int = 1000) -> UploadsPage:
        self.head_bucket(bucket)
        return list_uploads(self.metas, bucket, prefix, delimiter, key_marker, upload_id_marker, max_uploads)

    def abort_stale_uploads(self, older_than_s: float) -> int:
        """Abort every upload initiated more than `older_than_s` seconds ago; how many were."""
        cutoff = time.time_ns() - int(older_than_s * 1e9)
        aborted = 0
        for meta, uploads in zip(self.metas, self.uploads, strict=True):
            for bucket, key, upload_id in stale_uploads(meta, cutoff):
                try:
                    uploads.abort(bucket, key, upload_id)
                    aborted += 1
                except EngineError:
                    continue  # gone meanwhile, or drives missing: the next round tries again
        return aborted
