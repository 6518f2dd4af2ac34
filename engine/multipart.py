"""Multipart uploads within one erasure set: create, upload parts, complete, abort, list.

Theory of operation
-------------------
CreateMultipartUpload fixes what the object will be (content type, metadata,
checksum algorithm and type, shard distribution) in an upload record and makes
a data directory `data/<aa>/<data_id>/` on every drive of the set.  Each
UploadPart streams through the same ObjectWriter as a PUT (hash, encode,
bitrot frames, early write-back), into a shard file of its own, `part.<N>.<tag>`,
staged in tmp/ and renamed into that directory; then a part record commits on
a write quorum.  A part uploaded again gets a new file; the old one is removed
once the new record is committed.

CompleteMultipartUpload checks the client's list against the part records
(order, ETags, checksums, sizes) and commits, in one transaction per drive, the
object record (whose data directory is the upload's and whose parts name their
files) and the deletion of the upload and part records.  No byte is copied or
re-encoded: a reader walks the part files in order (ObjectReader.segments).
Files of parts left out are removed afterwards.  Abort deletes the records,
then the directory.  Records and files are keyed by an upload id that sorts by
initiation time, so ListMultipartUploads is a merged index scan like ListObjects.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from .checksums import crc_combine, digest, from_s3, to_s3
from .drives import Drive
from .erasure_set import ErasureSet, ObjectWriter, PutOptions, data_path, fsync_dir
from .errors import (
    ChecksumMismatch,
    EntityTooSmall,
    InvalidPart,
    InvalidPartOrder,
    InvalidUploadRequest,
    NoSuchUpload,
    ReadQuorumError,
    WriteQuorumError,
)
from .listing import Lister, prefix_end
from .quorum import Decision, SetMeta
from .records import (
    ObjectMeta,
    PartMeta,
    UploadMeta,
    part_key,
    part_prefix,
    upload_key,
    upload_prefix,
)

MIN_PART_SIZE = 5 << 20  # every part but the last
MAX_PART_SIZE = 5 << 30
MAX_PART_NUMBER = 10_000
CRC_ALGORITHMS = ("crc32", "crc32c", "crc64nvme")
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


def new_upload_id() -> str:
    """32 hex digits that sort by creation time (ListMultipartUploads' order for one key)."""
    return f"{time.time_ns():016x}{uuid.uuid4().hex[:16]}"


def default_checksum_type(algorithm: str) -> str:
    """S3's type when CreateMultipartUpload names an algorithm but no type."""
    return "FULL_OBJECT" if algorithm == "crc64nvme" else "COMPOSITE"


def check_checksum_type(algorithm: str | None, checksum_type: str | None) -> str | None:
    """The upload's checksum type, or InvalidUploadRequest for a combination S3 refuses."""
    if algorithm is None:
        if checksum_type is not None:
            raise InvalidUploadRequest("The x-amz-checksum-type header can only be used with the "
                                       "x-amz-checksum-algorithm header.")
        return None
    kind = checksum_type or default_checksum_type(algorithm)
    if kind not in ("COMPOSITE", "FULL_OBJECT"):
        raise InvalidUploadRequest(f"Value for x-amz-checksum-type header is invalid: {kind}")
    if kind == "FULL_OBJECT" and algorithm not in CRC_ALGORITHMS:
        raise InvalidUploadRequest(f"The FULL_OBJECT checksum type cannot be used with the {algorithm} "
                                   "checksum algorithm.")
    if kind == "COMPOSITE" and algorithm == "crc64nvme":
        raise InvalidUploadRequest("The COMPOSITE checksum type cannot be used with the crc64nvme "
                                   "checksum algorithm.")
    return kind


@dataclass
class UploadOptions:
    content_type: str = "binary/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    user_meta: dict[str, str] = field(default_factory=dict)
    checksum_algorithm: str | None = None
    checksum_type: str | None = None


@dataclass
class CompletePart:
    """A part as CompleteMultipartUpload's document lists it."""

    number: int
    etag: str
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64, as sent


@dataclass
class PartsPage:
    upload: UploadMeta
    parts: list[PartMeta]
    truncated: bool


@dataclass
class UploadsPage:
    uploads: list[tuple[str, UploadMeta]] = field(default_factory=list)  # (key, upload)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    next_key: str | None = None
    next_upload_id: str | None = None


class PartWriter(ObjectWriter):
    """An UploadPart in progress: an ObjectWriter whose shard file joins the upload's directory."""

    inline_allowed = False

    def __init__(self, uploads: MultipartUploads, bucket: str, key: str, upload: UploadMeta,
                 number: int, opts: PutOptions) -> None:
        super().__init__(uploads.eset, bucket, key, opts, upload.distribution)
        self.uploads = uploads
        self.upload = upload
        self.number = number
        self.data_id = upload.data_id
        self.part_name = f"part.{number}.{uuid.uuid4().hex[:12]}"

    def _place(self, drive: Drive, staging: str) -> None:
        final_dir = data_path(drive, self.upload.data_id)
        os.rename(os.path.join(staging, self.part_name), os.path.join(final_dir, self.part_name))
        if self.eset.sync:
            fsync_dir(final_dir)
        with contextlib.suppress(OSError):
            os.rmdir(staging)

    def _discard(self) -> None:
        self.uploads.remove_files(self.upload.data_id, [self.part_name])

    def commit(self) -> PartMeta:  # type: ignore[override]
        try:
            digests, drives = self.seal()
            part = PartMeta(self.number, self.size, digests["md5"].hex(), time.time_ns(), self.part_name,
                            {a: to_s3(digests[a]) for a in self.opts.checksums})
            self.uploads.commit_part(self.bucket, self.key, self.upload, part, drives)
            self.done = True
            return part
        except BaseException:
            self.abort()
            raise


class MultipartUploads:
    """The uploads whose objects hash to one erasure set."""

    def __init__(self, eset: ErasureSet) -> None:
        self.eset = eset
        self.meta: SetMeta = eset.meta

    # -- records ------------------------------------------------------------------

    def get(self, bucket: str, key: str, upload_id: str) -> UploadMeta:
        if not _UPLOAD_ID.fullmatch(upload_id):
            raise NoSuchUpload(upload_id)
        value = self.meta.get(upload_key(bucket, key, upload_id)).value
        if value is None:
            raise NoSuchUpload(upload_id)
        return UploadMeta.decode(value)

    def parts(self, bucket: str, key: str, upload_id: str, after: int = 0,
              limit: int = MAX_PART_NUMBER) -> tuple[list[PartMeta], bool]:
        """Part records above number `after`, at most `limit`; and whether more follow."""
        prefix = part_prefix(bucket, key, upload_id)
        start = prefix + (after + 1).to_bytes(2, "big") if after < MAX_PART_NUMBER else prefix_end(prefix)
        assert start is not None
        lister = Lister([self.meta], start, prefix_end(prefix), identity=lambda v: (v, 0))
        out: list[PartMeta] = []
        while (item := lister.next()) is not None:
            if len(out) == limit:
                return out, True
            out.append(PartMeta.decode(item[1]))
        return out, False

    def part_keys(self, bucket: str, key: str, upload_id: str) -> list[bytes]:
        """Every part key any reachable drive holds (for deletion: a stale replica's too)."""
        prefix = part_prefix(bucket, key, upload_id)
        keys: set[bytes] = set()
        end = prefix_end(prefix)
        for drive in range(self.meta.size):
            with contextlib.suppress(Exception):
                keys.update(k for k, _ in self.meta.scan(drive, prefix, end, MAX_PART_NUMBER + 1))
        return sorted(keys)

    # -- files ----------------------------------------------------------------------

    def remove_files(self, data_id: str, names: Sequence[str]) -> None:
        for drive in self.eset.drives:
            for name in names:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(data_path(drive, data_id), name))

    def remove_unlisted(self, data_id: str, keep: set[str]) -> None:
        """Delete the files of parts a completed upload left out (and of replaced parts)."""
        for drive in self.eset.drives:
            directory = data_path(drive, data_id)
            with contextlib.suppress(OSError):
                for name in os.listdir(directory):
                    if name not in keep:
                        with contextlib.suppress(OSError):
                            os.unlink(os.path.join(directory, name))

    def _make_dirs(self, data_id: str) -> int:
        made = 0
        for drive in self.eset.drives:
            if not drive.online:
                continue
            path = data_path(drive, data_id)
            try:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(os.path.dirname(path))
                os.mkdir(path)
                if self.eset.sync:
                    fsync_dir(os.path.dirname(path))
                made += 1
            except OSError:
                continue
        return made

    # -- operations -----------------------------------------------------------------

    def create(self, bucket: str, key: str, opts: UploadOptions, distribution: list[int]) -> UploadMeta:
        kind = check_checksum_type(opts.checksum_algorithm, opts.checksum_type)
        eset = self.eset
        upload = UploadMeta(new_upload_id(), time.time_ns(), uuid.uuid4().hex, distribution, eset.k, eset.m,
                            eset.block_size, opts.content_type, opts.headers, opts.user_meta,
                            opts.checksum_algorithm, kind)
        try:
            made = self._make_dirs(upload.data_id)
            if made < self.meta.write_quorum:
                raise WriteQuorumError(f"upload directory made on {made} drives, {self.meta.write_quorum} "
                                       "needed")
            self.meta.commit_all([(upload_key(bucket, key, upload.upload_id), upload.encode())])
        except BaseException:
            self.eset.remove_data(upload.data_id)
            raise
        return upload

    def new_part_writer(self, bucket: str, key: str, upload_id: str, number: int,
                        opts: PutOptions) -> PartWriter:
        upload = self.get(bucket, key, upload_id)
        eset = self.eset
        if (upload.data_shards, upload.parity_shards, upload.block_size) != (eset.k, eset.m, eset.block_size):
            raise InvalidUploadRequest("the upload was created under another erasure layout; start it again")
        return PartWriter(self, bucket, key, upload, number, opts)

    def commit_part(self, bucket: str, key: str, upload: UploadMeta, part: PartMeta,
                    drives: list[int]) -> None:
        pkey = part_key(bucket, key, upload.upload_id, part.number)
        per_drive: list[list[tuple[bytes, bytes | None]]] = [[] for _ in self.eset.drives]
        for i in drives:
            per_drive[i] = [(pkey, part.encode())]
        with self.eset.key_lock(bucket, key):
            self.get(bucket, key, upload.upload_id)  # completed or aborted meanwhile: NoSuchUpload
            try:
                before = self.meta.get(pkey)
            except ReadQuorumError:
                before = Decision(None, [], replies=self.meta.read(pkey))
            self.eset.commit_or_restore(per_drive, before)
        if before.value is not None:
            old = PartMeta.decode(before.value)
            if old.file != part.file:
                self.remove_files(upload.data_id, [old.file])

    def complete(self, bucket: str, key: str, upload_id: str, listed: Sequence[CompletePart],
                 expected: dict[str, str] | None = None, size: int | None = None,
                 opts: PutOptions | None = None) -> ObjectMeta:
        """Make the upload the object `key`: `expected` is a full-object checksum the client sent
        (algorithm -> base64, "-N" allowed on a composite one), `size` the x-amz-mp-object-size,
        `opts` carries If-Match / If-None-Match against the object being replaced."""
        with self.eset.key_lock(bucket, key):
            upload = self.get(bucket, key, upload_id)
            stored, _ = self.parts(bucket, key, upload_id)
            chosen = choose_parts(upload, {p.number: p for p in stored}, listed)
            meta = assemble(upload, chosen)
            if size is not None and size != meta.size:
                raise InvalidUploadRequest(f"The provided x-amz-mp-object-size {size} does not match the "
                                           f"object size {meta.size}")
            for algorithm, value in (expected or {}).items():
                mine = meta.checksums.get(algorithm)
                if mine is None or value not in (mine, mine.split("-")[0]):
                    raise ChecksumMismatch(algorithm, value.encode(), (mine or "").encode())
            # Deleted with the commit; put back as the quorum saw them should the commit fail.
            also: dict[bytes, bytes | None] = {upload_key(bucket, key, upload_id): upload.encode()}
            known = {part_key(bucket, key, upload_id, p.number): p.encode() for p in stored}
            for k in self.part_keys(bucket, key, upload_id):
                also[k] = known.get(k)
            drives = [i for i, store in enumerate(self.meta.stores) if store is not None]
            self.eset.commit_object(bucket, key, meta, {}, drives, opts, also=also)
        self.remove_unlisted(upload.data_id, {p.file for p in meta.parts})
        return meta

    def abort(self, bucket: str, key: str, upload_id: str) -> None:
        with self.eset.key_lock(bucket, key):
            upload = self.get(bucket, key, upload_id)
            ops = [(upload_key(bucket, key, upload_id), None)]
            ops += [(k, None) for k in self.part_keys(bucket, key, upload_id)]
            self.meta.commit_all(ops)
        self.eset.remove_data(upload.data_id)


def choose_parts(upload: UploadMeta, stored: dict[int, PartMeta], listed: Sequence[CompletePart]
                 ) -> list[PartMeta]:
    """The stored parts CompleteMultipartUpload names, checked as S3 checks them."""
    chosen: list[PartMeta] = []
    previous = 0
    algorithm = upload.checksum_algorithm
    for item in listed:
        if item.number <= previous:
            raise InvalidPartOrder("The list of parts was not in ascending order. The parts list must be "
                                   "specified in order by part number.")
        previous = item.number
        part = stored.get(item.number)
        if part is None or part.etag != item.etag.strip('"'):
            raise InvalidPart(item.number, "not uploaded, or its ETag does not match")
        for name, value in item.checksums.items():
            mine = part.checksums.get(name)
            if mine is None or mine != value:
                raise InvalidPart(item.number, f"its {name} checksum does not match")
        if upload.checksum_type == "COMPOSITE" and algorithm and algorithm not in item.checksums:
            raise InvalidUploadRequest(f"The upload was created using a {algorithm} checksum. The complete "
                                       "request must include the checksum for each part. It was missing "
                                       f"for part {item.number} in the request.")
        chosen.append(part)
    for part in chosen[:-1]:
        if part.size < MIN_PART_SIZE:
            raise EntityTooSmall(part.number, part.size, MIN_PART_SIZE)
    return chosen


def assemble(upload: UploadMeta, parts: list[PartMeta]) -> ObjectMeta:
    """The object a completed upload becomes: its data is the parts' files, as they are."""
    etag = digest("md5", b"".join(bytes.fromhex(p.etag) for p in parts))
    checksums: dict[str, str] = {}
    algorithm = upload.checksum_algorithm
    if algorithm and all(algorithm in p.checksums for p in parts):
        digests = [from_s3(algorithm, p.checksums[algorithm]) for p in parts]
        if upload.checksum_type == "FULL_OBJECT":
            checksums[algorithm] = to_s3(combine_crcs(algorithm, digests, [p.size for p in parts]))
        else:
            composite = digest(algorithm, b"".join(digests))
            checksums[algorithm] = f"{to_s3(composite)}-{len(parts)}"
    return ObjectMeta(
        size=sum(p.size for p in parts),
        etag=f"{etag.hex()}-{len(parts)}",
        mtime_ns=time.time_ns(),
        version_id=uuid.uuid4().hex,
        content_type=upload.content_type,
        headers=upload.headers,
        user_meta=upload.user_meta,
        checksums=checksums,
        data_shards=upload.data_shards,
        parity_shards=upload.parity_shards,
        block_size=upload.block_size,
        distribution=upload.distribution,
        data_id=upload.data_id,
        parts=[p.as_object_part() for p in parts],
        checksum_type=upload.checksum_type or "FULL_OBJECT",
    )


def combine_crcs(algorithm: str, digests: Sequence[bytes], sizes: Sequence[int]) -> bytes:
    """The CRC of the concatenated parts from each part's CRC and length."""
    crc = 0
    for part_crc, size in zip(digests, sizes, strict=True):
        crc = crc_combine(algorithm, crc, int.from_bytes(part_crc, "big"), size)
    return crc.to_bytes(len(digests[0]) if digests else 4, "big")


def list_uploads(metas: list[SetMeta], bucket: str, prefix: str = "", delimiter: str = "",
                 key_marker: str = "", upload_id_marker: str = "", max_uploads: int = 1000) -> UploadsPage:
    """ListMultipartUploads: by key, then initiation; common prefixes count toward the page."""
    base = upload_prefix(bucket)
    lo = base + prefix.encode()
    hi = prefix_end(lo)
    if key_marker:
        after = (key_marker.encode() + b"\x00" + upload_id_marker.encode() + b"\x00" if upload_id_marker
                 else key_marker.encode() + b"\x01")  # every upload of key_marker itself sorts below
        lo = max(lo, base + after)
    page = UploadsPage()
    if max_uploads <= 0:
        return page
    lister = Lister(metas, lo, hi, identity=lambda v: (v, 0))
    delim = delimiter.encode()
    cut = len(base) + len(prefix.encode())
    count = 0
    while (item := lister.next()) is not None:
        ukey, value = item
        name, _, upload_id = ukey[len(base):].partition(b"\x00")
        common = None
        if delim:
            at = name.find(delim, cut - len(base))
            if at >= 0:
                common = name[: at + len(delim)]
        if count == max_uploads:
            page.truncated = True
            return page
        if common is not None:
            lister.seek(prefix_end(base + common) or b"\xff" * 8)
            if key_marker and common.decode() <= key_marker:
                continue
            page.prefixes.append(common.decode())
            page.next_key, page.next_upload_id = common.decode(), None
        else:
            page.uploads.append((name.decode(), UploadMeta.decode(value)))
            page.next_key, page.next_upload_id = name.decode(), upload_id.decode()
        count += 1
    return page


def stale_uploads(meta: SetMeta, cutoff_ns: int, limit: int = 10_000) -> list[tuple[str, str, str]]:
    """(bucket, key, upload id) of uploads initiated before `cutoff_ns`, as a quorum sees them."""
    out: list[tuple[str, str, str]] = []
    lister = Lister([meta], b"U", b"V", identity=lambda v: (v, 0))
    while (item := lister.next()) is not None and len(out) < limit:
        ukey, value = item
        try:
            upload = UploadMeta.decode(value)
        except ValueError:
            continue
        if upload.initiated_ns < cutoff_ns:
            bucket, key, upload_id = ukey[1:].split(b"\x00")
            out.append((bucket.decode(), key.decode(), upload_id.decode()))
    return out
