"""A model test of versioning: random sequences of PUT, DELETE, versioned DELETE, Enable and
Suspend against a small in-memory model of S3's version semantics, on 1 drive and on 4 drives
(2+2) with drives going offline and coming back; after every step the engine and the model
agree on every version of every key, on GET and on ListObjects."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cairn.engine.api import ObjectLayer, ObjectOptions, VersioningConfig
from cairn.engine.errors import ObjectNotFound, VersionIsDeleteMarker

from .faulty import FaultyDrive

BUCKET = "model"
KEYS = ("a", "a/b", "b")
# Small bodies live inline in the records; 140 kB ones in shard files (made from a seed: cheap to draw).
BODIES = st.sampled_from([b"", b"small", b"x" * 1000]) | st.integers(0, 1 << 16).map(
    lambda seed: random.Random(seed).randbytes(140_000))


@dataclass
class Version:
    version_id: str
    body: bytes | None  # None: a delete marker


class VersioningMachine(RuleBasedStateMachine):
    drives = 1

    def __init__(self) -> None:
        super().__init__()
        self.root = tempfile.mkdtemp(prefix="cairn-model-")
        paths = [os.path.join(self.root, f"d{i}") for i in range(self.drives)]
        self.layer = ObjectLayer.open(paths, storage=FaultyDrive)
        self.layer.create_bucket(BUCKET)
        self.status = ""
        self.model: dict[str, list[Version]] = {k: [] for k in KEYS}  # newest first
        self.offline: int | None = None

    def teardown(self) -> None:
        self.layer.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- steps ------------------------------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), body=BODIES)
    def put(self, key: str, body: bytes) -> None:
        vid = self.layer.put_object(BUCKET, key, body).version_id
        self._push(key, Version(vid, body))

    @rule(key=st.sampled_from(KEYS))
    def delete(self, key: str) -> None:
        deleted = self.layer.delete_object(BUCKET, key)
        if not self.status:
            self.model[key] = []
            return
        assert deleted.delete_marker and deleted.version_id is not None
        self._push(key, Version(deleted.version_id, None))

    @rule(key=st.sampled_from(KEYS), pick=st.integers(0, 5))
    def delete_version(self, key: str, pick: int) -> None:
        versions = self.model[key]
        if not versions:
            return
        target = versions[pick % len(versions)]
        deleted = self.layer.delete_object(BUCKET, key, ObjectOptions(version_id=target.version_id))
        assert deleted.existed and deleted.delete_marker == (target.body is None)
        versions.remove(target)

    @rule(status=st.sampled_from(["Enabled", "Suspended"]))
    def set_versioning(self, status: str) -> None:
        self.layer.put_bucket_config(BUCKET, VersioningConfig(status))
        self.status = status

    def _push(self, key: str, version: Version) -> None:
        versions = self.model[key]
        if self.status == "Enabled":
            assert version.version_id != "null"
            assert version.version_id not in {v.version_id for v in versions}
        else:
            assert version.version_id == "null"
            versions[:] = [v for v in versions if v.version_id != "null"]
        versions.insert(0, version)

    # -- faults (4 drives: one at a time may be offline, and comes back having missed writes) --

    @precondition(lambda self: self.drives > 1 and self.offline is None)
    @rule(drive=st.integers(0, 3))
    def drive_offline(self, drive: int) -> None:
        faulty = self.layer.drives[drive]
        assert isinstance(faulty, FaultyDrive)
        faulty.go_offline()
        self.offline = drive

    @precondition(lambda self: self.offline is not None)
    @rule()
    def drive_back(self) -> None:
        assert self.offline is not None
        faulty = self.layer.drives[self.offline]
        assert isinstance(faulty, FaultyDrive)
        faulty.clear()
        faulty.check()
        self.offline = None

    # -- what must hold after every step ----------------------------------------------------

    @invariant()
    def versions_agree(self) -> None:
        page = self.layer.list_object_versions(BUCKET, max_keys=1000)
        listed = [(v.key, v.info.version_id, v.info.delete_marker, v.is_latest) for v in page.versions]
        expected = [(key, v.version_id, v.body is None, i == 0)
                    for key in sorted(KEYS) for i, v in enumerate(self.model[key])]
        assert listed == expected

    @invariant()
    def reads_agree(self) -> None:
        live = []
        for key, versions in self.model.items():
            if versions and versions[0].body is not None:
                live.append(key)
                assert self.layer.get_object(BUCKET, key).read_all() == versions[0].body
            else:
                with pytest.raises(ObjectNotFound):
                    self.layer.head_object(BUCKET, key)
            for v in versions:  # every version, by id (the null one too, wherever it is)
                opts = ObjectOptions(version_id=v.version_id)
                if v.body is None:
                    with pytest.raises(VersionIsDeleteMarker):
                        self.layer.head_object(BUCKET, key, opts)
                else:
                    assert self.layer.get_object(BUCKET, key, opts).read_all() == v.body
        assert [o.key for o in self.layer.list_objects(BUCKET).objects] == sorted(live)


class FourDriveMachine(VersioningMachine):
    drives = 4


MODEL_SETTINGS = settings(max_examples=25, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
TestVersioningOneDrive = VersioningMachine.TestCase
TestVersioningOneDrive.settings = MODEL_SETTINGS
TestVersioningFourDrives = FourDriveMachine.TestCase
TestVersioningFourDrives.settings = MODEL_SETTINGS
