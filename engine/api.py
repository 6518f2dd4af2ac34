"""ObjectLayer: the engine's interface, one method per S3 operation it serves.

The server talks to the engine through this module and errors.py only.  Every
method blocks (the server calls them from worker threads), takes one
ObjectOptions value for what varies per request (version, conditions,
checksums, metadata), and raises the exceptions of errors.py, which one table
in the server maps to S3 errors.  Bodies stream: a PUT's body is any iterable
of buffers (pulled by the engine as it encodes), a GET's is an ObjectReader's
blocks().

Buckets are recorded in their home erasure set and cached per process
(buckets.py); an object lives in the set its name hashes to.  Each drive is a
StorageAPI (storage.py): metadata in one SQLite database per drive, replicated
across the drives of a set (quorum.py); large object data in bitrot-checked
shard files (writer.py, reader.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Literal, TypeVar

from . import kms, sse
from .bucket_config import (
    AclConfig,
    BucketConfig,
    CorsConfig,
    CorsRule,
    LifecycleConfig,
    LifecycleFilter,
    LifecycleRule,
    NotificationConfig,
    NotificationRule,
    ObjectLockConfig,
    OwnershipControlsConfig,
    PolicyConfig,
    PublicAccessBlockConfig,
    TaggingConfig,
    VersioningConfig,
    WebsiteConfig,
    WebsiteRedirect,
    WebsiteRoutingRule,
)
from .buckets import BucketInfo, Buckets, bucket_identity
from .checksums import S3_CHECKSUM_ALGORITHMS, digest, from_s3, to_s3
from .drive_args import expand_drive_args
from .drives import open_deployment
from .erasure_set import ErasureSet
from .errors import BucketNotEmpty, DriveError, EngineError, ObjectLocked
from .event_queue import SLOT_NAME as EVENTS_SLOT_NAME
from .event_queue import EventQueue
from .generations import GenerationTable, table_path
from .heal import HealItem, HealQueue, heal_record_key, parse_heal_record_key
from .healer import HealResult, ObjectHealer, heal_range, heal_record
from .iam_records import SLOT_NAME as IAM_SLOT_NAME
from .iam_records import IAMRecords, record_identity
from .info import (
    CompletePart,
    DeletedObject,
    ListedVersion,
    ListPage,
    ObjectInfo,
    ObjectToDelete,
    PartInfo,
    PartsPage,
    TierRef,
    UploadInfo,
    UploadsPage,
    VersionsPage,
)
from .layout import Deployment, shard_order
from .listing import list_objects, list_uploads
from .localdrive import LocalDrive
from .multipart import MultipartUploads, abort_stale, forget_completions
from .multipart_rules import MAX_PART_NUMBER, MAX_PART_SIZE
from .names import MAX_KEY_BYTES, check_object_name
from .object_lock import check_retention_change
from .options import Metadata, ObjectOptions
from .quorum import SetMeta
from .reader import ObjectReader
from .records import bucket_key
from .storage import StorageAPI
from .tiers import SLOT_NAME as TIERS_SLOT_NAME
from .tiers import TierJournal, TierReader, Tiers, commit_stub, names_of
from .version_listing import list_object_versions
from .versions import check_version_id
from .write_options import lock_of, write_options
from .writer import ObjectWriter, PutBody, TrailingDigests, stream

__all__ = [
    "MAX_KEY_BYTES",
    "MAX_PART_NUMBER",
    "MAX_PART_SIZE",
    "S3_CHECKSUM_ALGORITHMS",
    "AclConfig",
    "BucketConfig",
    "BucketInfo",
    "CompletePart",
    "CorsConfig",
    "CorsRule",
    "DeletedObject",
    "EventQueue",
    "GenerationTable",
    "IAMRecords",
    "LifecycleConfig",
    "LifecycleFilter",
    "LifecycleRule",
    "ListPage",
    "ListedVersion",
    "Metadata",
    "NotificationConfig",
    "NotificationRule",
    "ObjectInfo",
    "ObjectLayer",
    "ObjectLockConfig",
    "ObjectOptions",
    "ObjectReader",
    "ObjectToDelete",
    "OwnershipControlsConfig",
    "PartInfo",
    "PartsPage",
    "PolicyConfig",
    "PublicAccessBlockConfig",
    "TaggingConfig",
    "TrailingDigests",
    "UploadInfo",
    "UploadsPage",
    "VersioningConfig",
    "VersionsPage",
    "WebsiteConfig",
    "WebsiteRedirect",
    "WebsiteRoutingRule",
    "check_version_id",
    "digest",
    "expand_drive_args",
    "from_s3",
    "to_s3",
]

DEFAULT_BLOCK_SIZE = 1 << 20
DEFAULT_INLINE_MAX = 128 << 10
log = logging.getLogger("cairn.engine")

SyncMode = Literal["full", "relaxed"]
R = TypeVar("R")
StorageWrapper = Callable[[LocalDrive], StorageAPI]  # tests wrap drives in faulty ones


class ObjectLayer:
    def __init__(self, deployment: Deployment, *, sync: SyncMode = "full",
                 block_size: int = DEFAULT_BLOCK_SIZE, inline_max: int = DEFAULT_INLINE_MAX,
                 storage: StorageWrapper | None = None, table: GenerationTable | None = None) -> None:
        self.deployment = deployment
        self.heal = HealQueue()
        self.heal.persist = self._persist_damage
        self.kms = kms.KeyRing()  # master keys of SSE-S3/SSE-KMS (the server sets the operator's)
        self.report_drives = False  # log drive state changes (one process of a server does)
        self.pool = ThreadPoolExecutor(max_workers=max(2, 2 * len(deployment.drives)),
                                       thread_name_prefix="cairn-io")
        self.drives: list[StorageAPI] = []
        self.sets: list[ErasureSet] = []
        for layout in deployment.sets:
            drives = [LocalDrive(d, sync) for d in layout.drives]
            wrapped = [storage(d) for d in drives] if storage else list(drives)
            self.drives += wrapped
            self.sets.append(ErasureSet(layout, wrapped, block_size=block_size, inline_max=inline_max,
                                        sync=sync == "full", pool=self.pool, heal=self.heal))
        self.uploads = [MultipartUploads(s) for s in self.sets]
        self.own_table = table is None
        self.buckets = Buckets([s.meta for s in self.sets], self._home, table or self.bucket_table())
        self.iam = IAMRecords(self._home(IAM_SLOT_NAME), self.buckets.table)
        self.events = EventQueue(self._home(EVENTS_SLOT_NAME))  # bucket notifications to deliver
        self.tiers = Tiers(self.iam, deployment.deployment_id)  # remote tiers of transitions (tiers.py)
        self.tier_journal = TierJournal(self._home(TIERS_SLOT_NAME), self.tiers, names_of(self))
        for eset in self.sets:
            eset.on_tier_gone = self.tier_journal.dropped

    @classmethod
    def open(cls, paths: Sequence[str], *, parity: int | None = None, sync: SyncMode = "full",
             block_size: int = DEFAULT_BLOCK_SIZE, inline_max: int = DEFAULT_INLINE_MAX,
             sweep: bool = True, storage: StorageWrapper | None = None,
             table: GenerationTable | None = None) -> ObjectLayer:
        """Open (formatting fresh drives) a deployment; sweep=False spares the staging areas;
        `table`: a bucket change table to share (bucket_table() of a parent process)."""
        deployment = open_deployment([os.path.abspath(p) for p in paths], parity=parity, sweep=sweep)
        return cls(deployment, sync=sync, block_size=block_size, inline_max=inline_max, storage=storage,
                   table=table)

    def bucket_table(self) -> GenerationTable:
        """A mapping of this deployment's bucket change table (generations.py), for the caller to
        hand to the layers of processes it forks: they share it even if its file goes away."""
        return GenerationTable(table_path(self.deployment.deployment_id))

    def close(self) -> None:
        for drive in self.drives:
            drive.close()
        self.pool.shutdown(wait=True)
        if self.own_table:
            self.buckets.table.close()

    def __enter__(self) -> ObjectLayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- drives ---------------------------------------------------------------------------------

    def check_drives(self) -> list[StorageAPI]:
        """Look at every drive again; the drives whose state changed (logged when report_drives)."""
        changed = [d for d in self.drives if d.check()]
        for d in changed if self.report_drives else ():
            if d.online:
                log.warning("drive %s is back online", d.name)
            else:
                log.error("drive %s is offline: %s", d.name, d.problem)
        return changed

    def geometry(self) -> list[tuple[int, int]]:
        """(data shards, parity shards) of each erasure set."""
        return [(s.k, s.m) for s in self.sets]

    def set_health(self) -> list[tuple[int, int, int]]:
        """(drives online, read quorum, write quorum) of each erasure set."""
        return [(sum(d.online for d in s.drives), s.meta.read_quorum, s.meta.write_quorum) for s in self.sets]

    # -- buckets --------------------------------------------------------------------------------

    def _home(self, bucket: str) -> SetMeta:
        return self.sets[self.deployment.set_for(bucket, "").index].meta

    def create_bucket(self, bucket: str, region: str = "", object_lock: bool = False, owner: str = "",
                      configs: Sequence[BucketConfig] = ()) -> BucketInfo:
        """CreateBucket, owned by `owner` (an account name, "" for the root user), with these
        configurations from the start; with object lock, versioning is Enabled from the start
        (and for good)."""
        docs = {c.KIND: c.to_doc() for c in configs}
        if object_lock:
            docs |= {VersioningConfig.KIND: VersioningConfig("Enabled").to_doc(),
                     ObjectLockConfig.KIND: ObjectLockConfig().to_doc()}
        return self.buckets.create(bucket, region, docs, owner)

    def head_bucket(self, bucket: str) -> BucketInfo:
        return self.buckets.get(bucket)

    def lookup_bucket(self, bucket: str) -> BucketInfo | None:
        """The bucket, or None when there is none (no exception: authorization asks first)."""
        return self.buckets.lookup(bucket)

    def cached_bucket(self, bucket: str) -> BucketInfo | None:
        """The bucket if this process's cache holds it fresh (a memory load: safe on the event
        loop), else None: then ask lookup_bucket."""
        return self.buckets.cached(bucket)

    def delete_bucket(self, bucket: str, force: bool = False) -> None:
        """DeleteBucket: an empty one (BucketNotEmpty while any version is left); `force` (MinIO's
        `mc rb --force`) deletes every version first, never on a bucket with object lock: no
        shortcut may remove a locked version before its time (ObjectLocked)."""
        info = self.head_bucket(bucket)
        if force:
            if info.config(ObjectLockConfig) is not None:
                raise ObjectLocked(f"bucket {bucket!r} has object lock: its versions cannot be force-deleted")
            while versions := self.list_object_versions(bucket).versions:
                for v in versions:
                    self.delete_object(bucket, v.key, ObjectOptions(version_id=v.info.version_id))
        if self.list_object_versions(bucket, max_keys=1).versions:
            raise BucketNotEmpty(bucket)
        while page := self.list_multipart_uploads(bucket).uploads:  # S3 drops them with the bucket
            for key, upload in page:
                self.abort_multipart_upload(bucket, key, upload.upload_id)
        self.buckets.delete(bucket)

    def list_buckets(self, prefix: str = "", start_after: str = "", max_buckets: int | None = None
                     ) -> tuple[list[BucketInfo], bool]:
        """ListBuckets: buckets in name order (a page of them), and whether more follow."""
        return self.buckets.list(prefix, start_after, max_buckets)

    def put_bucket_config(self, bucket: str, config: BucketConfig) -> BucketInfo:
        """Set one configuration of the bucket (the others are kept, whoever writes them)."""
        return self.buckets.set_config(bucket, config.KIND, config.to_doc())

    def delete_bucket_config(self, bucket: str, kind: type[BucketConfig]) -> BucketInfo:
        return self.buckets.set_config(bucket, kind.KIND, None)

    # -- objects --------------------------------------------------------------------------------

    def _object_set(self, bucket: str, key: str) -> tuple[ErasureSet, BucketInfo]:
        """The set an object lives in, and its bucket (BucketNotFound when there is none)."""
        check_object_name(key)
        eset = self.sets[self.deployment.set_for(bucket, key).index]
        return eset, self.head_bucket(bucket)

    def _set_for(self, bucket: str, key: str) -> ErasureSet:
        return self._object_set(bucket, key)[0]

    def _writer(self, bucket: str, key: str, opts: ObjectOptions) -> ObjectWriter:
        eset, info = self._object_set(bucket, key)
        order = shard_order(self.deployment.deployment_id, len(eset.drives), bucket, key)
        opts = write_options(info, opts)
        writer = eset.new_writer(bucket, key, opts, order)
        if opts.encryption is not None:  # SSE: a new object key, sealed as asked (sse.py)
            writer.encrypt(*sse.new_object_key(opts.encryption, self.kms, bucket, key))
        return writer

    def put_object(self, bucket: str, key: str, body: PutBody,
                   opts: ObjectOptions | None = None) -> ObjectInfo:
        """PutObject: `body` is the whole body or an iterable of its pieces, streamed through."""
        writer = self._writer(bucket, key, opts or ObjectOptions())
        try:
            return stream(writer, body, writer.commit)
        finally:
            self._tier_objects_dropped()

    def get_object(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> ObjectReader:
        """GetObject: a reader of the object (opts.range restricts it); iterate .blocks()."""
        opts = opts or ObjectOptions()
        eset, info = self._object_set(bucket, key)
        reader = eset.open_object(bucket, key, opts.version_id)
        reader.info.versioned = info.config(VersioningConfig) is not None
        if reader.info.tier is not None:  # transitioned: the data is read through from its tier
            reader = TierReader(self.tiers, bucket, key, reader.info)
        if reader.info.sse is not None or opts.encryption is not None:  # SSE-C: the key must be the one
            sealed = reader.info.sse
            sse.check_key(sealed, opts.encryption)
            if sealed is not None:
                reader.cipher = sse.ObjectCipher(sse.open_key(sealed, opts.encryption, self.kms, bucket, key))
        if opts.precondition is not None:
            opts.precondition(reader.info)
        if opts.range is not None:
            reader.restrict(*opts.range)
        return reader

    def head_object(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> ObjectInfo:
        """HeadObject: the latest version, or opts.version_id."""
        eset, bucket_info = self._object_set(bucket, key)
        info = eset.head_object(bucket, key, (opts or ObjectOptions()).version_id)
        info.versioned = bucket_info.config(VersioningConfig) is not None
        return info

    def delete_object(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> DeletedObject:
        """DeleteObject: a version (opts.version_id), or the object: on a versioned bucket a delete
        marker is written over it.  opts.if_match: only over the version with that ETag."""
        eset, info = self._object_set(bucket, key)
        try:
            return eset.delete_object(bucket, key, write_options(info, opts, new_version=False))
        finally:
            self._tier_objects_dropped()

    def _tier_objects_dropped(self) -> None:
        """Delete from their tier the remote objects of the stubs a call dropped (best effort:
        the scanner retries what is left, tiers.TierJournal)."""
        if self.tier_journal.recent:
            with contextlib.suppress(EngineError):
                self.tier_journal.flush()

    def commit_transition(self, bucket: str, key: str, seen: ObjectInfo, ref: TierRef) -> None:
        """Replace version `seen` (as read) by a stub naming its copy in a remote tier, and remove
        its local data (tiers.py); VersionChanged when it is no longer that version."""
        commit_stub(self._set_for(bucket, key), bucket, key, seen, ref)

    def delete_objects(self, bucket: str, objects: Sequence[ObjectToDelete],
                       opts: ObjectOptions | None = None) -> list[DeletedObject]:
        """DeleteObjects: each key's outcome, its error kept (not raised) so the others go on."""
        self.head_bucket(bucket)
        out: list[DeletedObject] = []
        for target in objects:
            try:
                out.append(self.delete_object(bucket, target.key, replace(
                    opts or ObjectOptions(), if_match=target.etag, version_id=target.version_id)))
            except EngineError as exc:
                out.append(DeletedObject(target.key, target.version_id, error=exc))
        return out

    def copy_object(self, src_bucket: str, src_key: str, bucket: str, key: str,
                    src_opts: ObjectOptions | None = None, opts: ObjectOptions | None = None) -> ObjectInfo:
        """CopyObject: the source read block by block into a new object.  Metadata and checksum
        algorithms not given in `opts` are the source's (S3's COPY directive)."""
        reader = self.get_object(src_bucket, src_key, src_opts)
        source = reader.info
        opts = opts or ObjectOptions()
        opts = replace(opts, size=reader.length,
                       metadata=opts.metadata or Metadata(source.content_type, dict(source.headers),
                                                          dict(source.user_meta)),
                       checksums=opts.checksums or tuple(source.checksums),
                       tags=dict(source.tags) if opts.tags is None else opts.tags)
        return self.put_object(bucket, key, reader.blocks(), opts)

    def list_objects(self, bucket: str, prefix: str = "", delimiter: str = "", start_after: str = "",
                     max_keys: int = 1000) -> ListPage:
        """ListObjects and ListObjectsV2 (the server turns markers and tokens into start_after)."""
        self.head_bucket(bucket)
        return list_objects([s.meta for s in self.sets], bucket, prefix, delimiter, start_after, max_keys)

    def list_object_versions(self, bucket: str, prefix: str = "", delimiter: str = "", key_marker: str = "",
                             version_id_marker: str = "", max_keys: int = 1000) -> VersionsPage:
        """ListObjectVersions: versions and delete markers by key, newest first."""
        self.head_bucket(bucket)
        return list_object_versions([s.meta for s in self.sets], lambda k: self._set_for(bucket, k).versions,
                                    bucket, prefix, delimiter, key_marker, version_id_marker, max_keys)

    # -- a version's tags, retention and legal hold ----------------------------------------------

    def put_object_tagging(self, bucket: str, key: str, tags: Mapping[str, str],
                           opts: ObjectOptions | None = None) -> ObjectInfo:
        """PutObjectTagging (of opts.version_id, or the latest): the tag set replaced."""
        return self._update(bucket, key, opts, lambda info: replace(info, tags=dict(tags)))

    def delete_object_tagging(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> ObjectInfo:
        return self.put_object_tagging(bucket, key, {}, opts)

    def put_object_acl(self, bucket: str, key: str, acl: Any, opts: ObjectOptions | None = None
                       ) -> ObjectInfo:
        """PutObjectAcl (of opts.version_id, or the latest): the version's ACL replaced (the
        document is the server's; the engine keeps it in the version's record)."""
        return self._update(bucket, key, opts, lambda info: replace(info, acl=acl))

    def put_object_retention(self, bucket: str, key: str, mode: str, until_ns: int,
                             opts: ObjectOptions | None = None) -> ObjectInfo:
        """PutObjectRetention: mode "" removes it (GOVERNANCE only, with opts.bypass_governance)."""
        opts = opts or ObjectOptions()
        self._lock_of(bucket)

        def edit(info: ObjectInfo) -> ObjectInfo:
            check_retention_change(info, mode, until_ns, opts.bypass_governance)
            return replace(info, lock_mode=mode, lock_until_ns=until_ns if mode else 0)

        return self._update(bucket, key, opts, edit)

    def put_object_legal_hold(self, bucket: str, key: str, on: bool, opts: ObjectOptions | None = None
                              ) -> ObjectInfo:
        self._lock_of(bucket)
        return self._update(bucket, key, opts, lambda info: replace(info, legal_hold=on))

    def _lock_of(self, bucket: str) -> ObjectLockConfig:
        return lock_of(self.head_bucket(bucket))

    def _update(self, bucket: str, key: str, opts: ObjectOptions | None,
                edit: Callable[[ObjectInfo], ObjectInfo]) -> ObjectInfo:
        return self._set_for(bucket, key).versions.update(bucket, key, opts or ObjectOptions(), edit)

    def rows_read(self) -> int:
        """Metadata rows fetched so far, over every drive (how much work listings do)."""
        return sum(s.meta.rows_read() for s in self.sets)

    # -- multipart uploads ----------------------------------------------------------------------

    def _uploads_for(self, bucket: str, key: str) -> MultipartUploads:
        return self.uploads[self._set_for(bucket, key).layout.index]

    def create_multipart_upload(self, bucket: str, key: str, opts: ObjectOptions | None = None) -> UploadInfo:
        eset, info = self._object_set(bucket, key)
        order = shard_order(self.deployment.deployment_id, len(eset.drives), bucket, key)
        opts = write_options(info, opts)
        sealed = sse.new_object_key(opts.encryption, self.kms, bucket, key)[0] if opts.encryption else None
        return self.uploads[eset.layout.index].create(bucket, key, opts, order, sealed)

    def upload_part(self, bucket: str, key: str, upload_id: str, part_number: int, body: PutBody,
                    opts: ObjectOptions | None = None) -> PartInfo:
        """UploadPart: the body streamed into a part of its own (see put_object)."""
        opts = opts or ObjectOptions()
        writer = self._uploads_for(bucket, key).new_part_writer(bucket, key, upload_id, part_number, opts)
        sealed = writer.upload.sse
        sse.check_key(sealed, opts.encryption, upload=True)  # SSE-C: every part with the upload's key
        if sealed is not None:
            writer.encrypt(sealed, sse.open_key(sealed, opts.encryption, self.kms, bucket, key, upload=True))
        part = stream(writer, body, writer.commit)
        part.sse = sealed  # for the answer's SSE headers
        return part

    def upload_part_copy(self, src_bucket: str, src_key: str, bucket: str, key: str, upload_id: str,
                         part_number: int, src_opts: ObjectOptions | None = None,
                         opts: ObjectOptions | None = None) -> PartInfo:
        """UploadPartCopy: the source (src_opts.range of it) becomes a part, with the upload's
        checksum algorithm computed on the way (opts.encryption: the upload's SSE-C key)."""
        reader = self.get_object(src_bucket, src_key, src_opts)
        upload = self._uploads_for(bucket, key).get(bucket, key, upload_id)
        algorithms = (upload.checksum_algorithm,) if upload.checksum_algorithm else ()
        opts = ObjectOptions(size=reader.length, checksums=algorithms,
                             encryption=opts.encryption if opts else None)
        return self.upload_part(bucket, key, upload_id, part_number, reader.blocks(), opts)

    def list_parts(self, bucket: str, key: str, upload_id: str, part_number_marker: int = 0,
                   max_parts: int = 1000) -> PartsPage:
        uploads = self._uploads_for(bucket, key)
        upload = uploads.get(bucket, key, upload_id)
        parts, truncated = uploads.parts(bucket, key, upload_id, part_number_marker, max_parts)
        return PartsPage(upload, parts, truncated)

    def complete_multipart_upload(self, bucket: str, key: str, upload_id: str, parts: Sequence[CompletePart],
                                  opts: ObjectOptions | None = None) -> ObjectInfo:
        eset, info = self._object_set(bucket, key)
        opts = write_options(info, opts, new_version=False)
        try:
            return self.uploads[eset.layout.index].complete(bucket, key, upload_id, parts, opts)
        finally:
            self._tier_objects_dropped()

    def abort_multipart_upload(self, bucket: str, key: str, upload_id: str) -> None:
        self._uploads_for(bucket, key).abort(bucket, key, upload_id)

    def list_multipart_uploads(self, bucket: str, prefix: str = "", delimiter: str = "", key_marker: str = "",
                               upload_id_marker: str = "", max_uploads: int = 1000) -> UploadsPage:
        self.head_bucket(bucket)
        return list_uploads([s.meta for s in self.sets], bucket, prefix, delimiter, key_marker,
                            upload_id_marker, max_uploads)

    def abort_stale_uploads(self, older_than_s: float) -> int:
        """Abort every upload initiated more than `older_than_s` seconds ago; how many were.
        Completed uploads kept for retried Completes are forgotten after the same time."""
        return sum(abort_stale(uploads, time.time_ns() - int(older_than_s * 1e9)) for uploads in self.uploads)

    def forget_completions(self, older_than_s: float) -> None:
        """Forget the completed uploads kept for retried Completes for more than `older_than_s`
        seconds (the lifecycle job's end of cycle: it aborts uploads itself)."""
        for uploads in self.uploads:
            forget_completions(uploads, time.time_ns() - int(older_than_s * 1e9))

    # -- healing (healer.py) ----------------------------------------------------------------------

    def heal_object(self, bucket: str, key: str, *, deep: bool = False, dry_run: bool = False
                    ) -> list[HealResult]:
        """Heal every version of one key on its set (deep: verify every shard frame)."""
        eset = self.sets[self.deployment.set_for(bucket, key).index]
        return ObjectHealer(eset, deep=deep, dry_run=dry_run).heal_key(bucket, key)

    def heal_bucket(self, bucket: str, *, dry_run: bool = False) -> HealResult:
        """Heal a bucket's record on its home set."""
        return heal_record(self._home(bucket), bucket_key(bucket), bucket_identity, dry_run=dry_run,
                           name=bucket)

    def heal_identities(self, *, dry_run: bool = False) -> list[HealResult]:
        """Heal the records of users, groups, policies and access keys."""
        return heal_range(self._home(IAM_SLOT_NAME), b"I", b"J", record_identity, dry_run=dry_run)

    def heal_events(self, *, dry_run: bool = False) -> list[HealResult]:
        """Heal the bucket notification events waiting for delivery (event_queue.py)."""
        return heal_range(self._home(EVENTS_SLOT_NAME), b"E", b"F", lambda v: (v, 0), dry_run=dry_run)

    def heal_tier_journal(self, *, dry_run: bool = False) -> list[HealResult]:
        """Heal the journal of objects put in remote tiers (tiers.TierJournal)."""
        return heal_range(self._home(TIERS_SLOT_NAME), b"T", b"U", lambda v: (v, 0), dry_run=dry_run)

    def _persist_damage(self, item: HealItem) -> None:
        """Keep a read's damage report in its set's index for the heal job (heal.py)."""
        eset = self.sets[item.set_index]
        if not any(eset.drives[d].online for d in item.drives):
            return
        ops = [(heal_record_key(item.bucket, item.key), item.reason.encode())]
        for drive in eset.drives:
            if drive.online:
                with contextlib.suppress(DriveError):
                    drive.meta_submit(ops)  # not waited for: the next group commit takes it

    def heal_reported(self, limit: int = 100) -> list[HealResult]:
        """Heal up to `limit` keys that reads reported damaged (heal.py); a key's report goes once
        nothing of it is left that could be healed later (unhealable now, or a write in flight)."""
        results: list[HealResult] = []
        for eset in self.sets:
            keys: set[bytes] = set()
            for drive in range(eset.meta.size):
                with contextlib.suppress(EngineError):
                    keys.update(k for k, _ in eset.meta.scan(drive, b"H", b"I", limit))
            for rkey in sorted(keys)[:limit]:
                bucket, key = parse_heal_record_key(rkey)
                done = ObjectHealer(eset).heal_key(bucket, key)
                results += done
                if all(r.state not in ("in flight", "unhealable") for r in done):
                    with contextlib.suppress(EngineError):
                        eset.meta.commit_all([(rkey, None)], required=1)
        return results

    # -- server-side encryption: master key rotation ---------------------------------------------

    def rotate_keys(self, bucket: str) -> int:
        """Reseal every SSE-S3/SSE-KMS version of the bucket whose object key a master key other
        than the current one sealed, under the current one (metadata only: no data is rewritten,
        sse.py); how many were.  Afterwards the old master keys can be dropped."""
        done = 0
        key_marker = version_marker = ""
        while True:
            page = self.list_object_versions(bucket, key_marker=key_marker, version_id_marker=version_marker)
            for v in page.versions:
                sealed = v.info.sse
                if sealed is None or sse.reseal(sealed, self.kms, bucket, v.key) is None:
                    continue

                def edit(info: ObjectInfo, key: str = v.key) -> ObjectInfo:
                    new = sse.reseal(info.sse, self.kms, bucket, key) if info.sse is not None else None
                    return replace(info, sse=new) if new is not None else info

                self._update(bucket, v.key, ObjectOptions(version_id=v.info.version_id), edit)
                done += 1
            if not page.truncated:
                return done
            key_marker, version_marker = page.next_key_marker or "", page.next_version_id_marker or ""
