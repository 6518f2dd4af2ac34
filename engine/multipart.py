"""Multipart uploads within one erasure set: create, upload parts, complete, abort.

Theory of operation
-------------------
CreateMultipartUpload fixes what the object will be (content type, metadata,
checksum algorithm and type, shard distribution) in an upload record and makes
a data directory on every drive of the set.  Each UploadPart streams through
the same ObjectWriter as a PUT (hash, encode, bitrot frames, early write-back),
into a shard file of its own, `part.<N>.<tag>`, staged and then moved into that
directory; then a part record commits on a write quorum.  A part uploaded again
gets a new file; the old one is removed once the new record is committed.

CompleteMultipartUpload checks the client's list against the part records
(multipart_rules.py) and commits, in one transaction per drive, the object
record (whose data directory is the upload's and whose parts name their files)
and the deletion of the upload and part records.  No byte is copied or
re-encoded: a reader walks the part files in order (ObjectInfo.segments).
Files of parts left out are removed afterwards.  Abort deletes the records,
then the directory.  Upload ids sort by initiation time, so
ListMultipartUploads is a merged index scan like ListObjects (listing.py).
What a process that died or a drive that was away leaves behind (a part file
no record names, the records of an upload aborted or completed without that
drive) goes with the orphan sweep (orphans.py, orphan_uploads.py); the
healer does not copy upload or part records to a drive that lacks them.
"""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from collections.abc import Mapping, Sequence

from .checksums import to_s3
from .erasure_set import ErasureSet
from .errors import (
    ChecksumMismatch,
    ConditionalConflict,
    EngineError,
    InvalidPart,
    InvalidUploadRequest,
    NoSuchUpload,
    ReadQuorumError,
    WriteQuorumError,
)
from .info import CompletePart, ObjectInfo, PartInfo, UploadInfo
from .listing import Lister, prefix_end, stale_completions, stale_uploads
from .multipart_rules import MAX_PART_NUMBER, assemble, check_checksum_type, choose_parts, new_upload_id
from .options import Metadata, ObjectOptions
from .quorum import SKIP, Change, Decision, SetMeta, tombstone
from .records import (
    completion_key,
    decode_completion,
    decode_part,
    decode_upload,
    encode_completion,
    encode_part,
    encode_upload,
    part_key,
    part_prefix,
    upload_key,
)
from .sse import SealedKey
from .writer import ObjectWriter

_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
SETTLE_ATTEMPTS = 200  # 5 ms each: how long a retried Complete waits for a racing one to settle


class PartWriter(ObjectWriter):
    """An UploadPart in progress: an ObjectWriter whose shard file joins the upload's directory."""

    inline_allowed = False

    def __init__(self, uploads: MultipartUploads, bucket: str, key: str, upload: UploadInfo,
                 number: int, opts: ObjectOptions) -> None:
        super().__init__(uploads.eset, bucket, key, opts, upload.distribution)
        self.uploads = uploads
        self.upload = upload
        self.number = number
        self.data_id = upload.data_id
        self.part_name = f"part.{number}.{uuid.uuid4().hex[:12]}"

    def _place(self, drive: int) -> None:
        assert self.stage_id is not None
        self.eset.drives[drive].publish_staged_file(self.stage_id, self.part_name, self.upload.data_id)

    def _discard(self) -> None:
        self.uploads.remove_files(self.upload.data_id, [self.part_name])

    def commit(self, trailing: Mapping[str, bytes] | None = None) -> PartInfo:  # type: ignore[override]
        try:
            digests, drives = self.seal(trailing)
            part = PartInfo(self.number, self.size, self.etag(digests), time.time_ns(), self.part_name,
                            {a: to_s3(digests[a]) for a in self.opts.checksums})
            replaced = self.uploads.commit_part(self.bucket, self.key, self.upload, part, drives)
        except BaseException:
            self.abort()
            raise
        self.done = True  # committed: from here on nothing may remove what was written
        if replaced is not None:
            self.uploads.remove_files(self.upload.data_id, [replaced])
        return part


class MultipartUploads:
    """The uploads whose objects hash to one erasure set."""

    def __init__(self, eset: ErasureSet) -> None:
        self.eset = eset
        self.meta: SetMeta = eset.meta

    # -- records ------------------------------------------------------------------

    def get(self, bucket: str, key: str, upload_id: str) -> UploadInfo:
        return decode_upload(self.record(bucket, key, upload_id))

    def record(self, bucket: str, key: str, upload_id: str) -> bytes:
        """The upload's record as the read quorum has it; NoSuchUpload when there is none."""
        if not _UPLOAD_ID.fullmatch(upload_id):
            raise NoSuchUpload(upload_id)
        value = self.meta.get(upload_key(bucket, key, upload_id)).value
        if value is None:
            raise NoSuchUpload(upload_id)
        return value

    def upload_now(self, bucket: str, key: str, upload_id: str) -> tuple[bytes, bytes | None]:
        """(key, record) of the upload as it is now, for a change that needs it still in progress;
        NoSuchUpload once it is not."""
        return upload_key(bucket, key, upload_id), self.record(bucket, key, upload_id)

    def read(self, record_key: bytes) -> Decision:
        """A record as the quorum has it, or, when no version has a read quorum, what each drive
        holds (the change made from it replaces them all)."""
        try:
            return self.meta.get(record_key)
        except ReadQuorumError:
            return Decision(None, [], replies=self.meta.read(record_key))

    def parts(self, bucket: str, key: str, upload_id: str, after: int = 0,
              limit: int = MAX_PART_NUMBER) -> tuple[list[PartInfo], bool]:
        """Part records above number `after`, at most `limit`; and whether more follow."""
        prefix = part_prefix(bucket, key, upload_id)
        start = prefix + (after + 1).to_bytes(2, "big") if after < MAX_PART_NUMBER else prefix_end(prefix)
        assert start is not None
        lister = Lister([self.meta], start, prefix_end(prefix), identity=lambda v: (v, 0))
        out: list[PartInfo] = []
        while (item := lister.next()) is not None:
            if len(out) == limit:
                return out, True
            out.append(decode_part(item[1]))
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
        """Remove files of a data directory from every drive, as far as each allows."""
        for drive in self.eset.drives:
            with contextlib.suppress(OSError):
                drive.remove_data_files(data_id, names)

    def remove_unlisted(self, data_id: str, keep: set[str]) -> None:
        """Delete the files of parts a completed upload left out (and of replaced parts)."""
        for drive in self.eset.drives:
            with contextlib.suppress(OSError):
                drive.remove_data_files(data_id, [n for n in drive.list_data(data_id) if n not in keep])

    def _make_dirs(self, data_id: str) -> int:
        made = 0
        for drive in self.eset.drives:
            if not drive.online:
                continue
            try:
                drive.make_data_dir(data_id)
                made += 1
            except OSError:
                continue
        return made

    # -- operations -----------------------------------------------------------------

    def create(self, bucket: str, key: str, opts: ObjectOptions, distribution: list[int],
               sse: SealedKey | None = None) -> UploadInfo:
        kind = check_checksum_type(opts.checksum_algorithm, opts.checksum_type)
        eset = self.eset
        meta = opts.metadata or Metadata()
        upload = UploadInfo(new_upload_id(), time.time_ns(), uuid.uuid4().hex, distribution, eset.k, eset.m,
                            eset.block_size, meta.content_type, meta.headers, meta.user_meta,
                            opts.checksum_algorithm, kind, dict(opts.tags or {}), opts.lock_mode or "",
                            opts.lock_until_ns or 0, opts.legal_hold, opts.acl, sse)
        try:
            made = self._make_dirs(upload.data_id)
            if made < self.meta.write_quorum:
                raise WriteQuorumError(f"upload directory made on {made} drives, {self.meta.write_quorum} "
                                       "needed")
            self.meta.commit_all([(upload_key(bucket, key, upload.upload_id), encode_upload(upload))])
        except BaseException:
            self.eset.remove_data(upload.data_id)
            raise
        return upload

    def new_part_writer(self, bucket: str, key: str, upload_id: str, number: int,
                        opts: ObjectOptions) -> PartWriter:
        upload = self.get(bucket, key, upload_id)
        eset = self.eset
        if (upload.data_shards, upload.parity_shards, upload.block_size) != (eset.k, eset.m, eset.block_size):
            raise InvalidUploadRequest("the upload was created under another erasure layout; start it again")
        expected = upload.checksum_algorithm
        sent = opts.checksums[0] if opts.checksums else "null"
        if expected is not None and sent != expected:  # each part must carry the upload's algorithm
            raise InvalidUploadRequest("Checksum Type mismatch occurred, expected checksum Type: "
                                       f"{expected}, actual checksum Type: {sent}")
        return PartWriter(self, bucket, key, upload, number, opts)

    def commit_part(self, bucket: str, key: str, upload: UploadInfo, part: PartInfo,
                    drives: list[int]) -> str | None:
        """Make `part` the upload's part of its number (the last one to finish wins), atomically
        with the upload still being in progress; the file of the part it replaced."""
        pkey = part_key(bucket, key, upload.upload_id, part.number)
        record = encode_part(part)
        after = [record if i in drives else SKIP for i in range(len(self.eset.drives))]

        def make(before: Decision) -> Change:
            upload_now = self.upload_now(bucket, key, upload.upload_id)
            return Change(pkey, before.replies, after, requires=[upload_now])

        before = self.eset.swap(bucket, key, lambda: self.read(pkey), make)
        if before.value is not None and len(before.holders) >= self.meta.write_quorum:  # else maybe in flight
            old = decode_part(before.value)
            if old.file != part.file:
                return old.file
        return None  # a file left here goes when the upload completes (remove_unlisted) or is aborted

    def complete(self, bucket: str, key: str, upload_id: str, listed: Sequence[CompletePart],
                 opts: ObjectOptions) -> ObjectInfo:
        """Make the upload the object `key`: `opts` carries the full-object checksums the client
        sent, the x-amz-mp-object-size and If-Match / If-None-Match against the object replaced.
        A Complete repeated after it succeeded (its answer was lost) answers as the first did."""
        with self.eset.key_lock(bucket, key):
            try:
                raw = self.record(bucket, key, upload_id)
                upload = decode_upload(raw)
                stored, _ = self.parts(bucket, key, upload_id)
                try:
                    info = assemble(upload, choose_parts(upload, {p.number: p for p in stored}, listed))
                except InvalidPart:
                    self.record(bucket, key, upload_id)  # parts gone with the upload: NoSuchUpload
                    raise
                check_complete(info, opts)
                drives = [i for i, drive in enumerate(self.eset.drives) if drive.online]
                info, replaced = self.eset.commit_object(
                    bucket, key, info, {}, drives, opts,
                    also=lambda final: self.completion_ops(bucket, key, raw, stored, final),
                    requires=lambda: [self.upload_now(bucket, key, upload_id)])
            except NoSuchUpload:  # completed before (this is a retry), by another worker, or aborted
                return self.completed(bucket, key, upload_id, listed)
        for data_id in replaced:
            self.eset.remove_data(data_id)
        self.remove_unlisted(upload.data_id, {p.file for p in info.parts})
        return info

    def completion_ops(self, bucket: str, key: str, raw: bytes, stored: Sequence[PartInfo], info: ObjectInfo
                       ) -> list[tuple[bytes, bytes | None, bytes | None]]:
        """(key, new, old) of the records a completion changes with the object's: the upload and
        its parts go (a stale replica's parts too), a completion record stays for retries."""
        upload_id = decode_upload(raw).upload_id
        known = {part_key(bucket, key, upload_id, p.number): encode_part(p) for p in stored}
        done = encode_completion(info, [(p.number, p.etag) for p in info.parts], time.time_ns())
        return [(upload_key(bucket, key, upload_id), None, raw),
                *((k, None, known.get(k)) for k in self.part_keys(bucket, key, upload_id)),
                (completion_key(bucket, key, upload_id), done, None)]

    def completed(self, bucket: str, key: str, upload_id: str, listed: Sequence[CompletePart]) -> ObjectInfo:
        """The object an upload became, for a Complete repeated with the same part list; otherwise
        NoSuchUpload (completed with other parts, aborted, or never there).  Only a completion
        held by a write quorum counts: one on fewer drives may be in flight and lose yet."""
        ckey = completion_key(bucket, key, upload_id)
        for _ in range(SETTLE_ATTEMPTS):
            decision = self.meta.get(ckey)
            if len(decision.holders) >= self.meta.write_quorum:
                break
            time.sleep(0.005)
        else:
            raise ConditionalConflict(f"the completion of upload {upload_id} is still being decided")
        if decision.value is None:
            raise NoSuchUpload(upload_id)
        info, parts, _ = decode_completion(decision.value)
        if parts != [(p.number, p.etag.strip('"')) for p in listed]:
            raise NoSuchUpload(upload_id)
        return info

    def abort(self, bucket: str, key: str, upload_id: str) -> None:
        """Drop the upload's records, atomically with it being in progress (a Complete racing
        with it wins on the drives it reaches first), then its files."""
        ukey = upload_key(bucket, key, upload_id)
        self.record(bucket, key, upload_id)  # NoSuchUpload for a malformed id or one not there

        def make(before: Decision) -> Change:
            if before.value is None:
                raise NoSuchUpload(upload_id)
            stored, _ = self.parts(bucket, key, upload_id)
            known = {part_key(bucket, key, upload_id, p.number): encode_part(p) for p in stored}
            also = [(k, None, known.get(k)) for k in self.part_keys(bucket, key, upload_id)]
            return Change(ukey, before.replies, [tombstone()] * len(self.eset.drives), also)

        before = self.eset.swap(bucket, key, lambda: self.read(ukey), make)
        assert before.value is not None
        self.eset.remove_data(decode_upload(before.value).data_id)


def check_complete(info: ObjectInfo, opts: ObjectOptions) -> None:
    """The object size and full-object checksums a Complete announced must be the assembled ones."""
    if opts.object_size is not None and opts.object_size != info.size:
        raise InvalidUploadRequest(f"The provided x-amz-mp-object-size {opts.object_size} does not match "
                                   f"the object size {info.size}")
    for algorithm, value in opts.expected_checksums.items():
        mine = info.checksums.get(algorithm)
        if mine is None or value not in (mine, mine.split("-")[0]):
            raise ChecksumMismatch(algorithm, value.encode(), (mine or "").encode())


def abort_stale(uploads: MultipartUploads, cutoff_ns: int) -> int:
    """Abort the set's uploads initiated before `cutoff_ns`, and forget the completions kept since
    before it; how many uploads were aborted."""
    aborted = 0
    for bucket, key, upload_id in stale_uploads(uploads.eset.meta, cutoff_ns):
        try:
            uploads.abort(bucket, key, upload_id)
            aborted += 1
        except EngineError:
            continue  # gone meanwhile, or drives missing: the next round tries again
    forget_completions(uploads, cutoff_ns)
    return aborted


def forget_completions(uploads: MultipartUploads, cutoff_ns: int) -> None:
    """Forget the set's completions kept (for retried Completes) since before `cutoff_ns`."""
    done = stale_completions(uploads.eset.meta, cutoff_ns)
    with contextlib.suppress(EngineError):
        uploads.eset.meta.commit_all([(completion_key(*c), None) for c in done])
