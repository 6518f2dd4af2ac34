"""`mc admin tier add`'s TierConfig as server/admin/tier.py checks it, and what `tier ls` shows of
it (the e2e test, tests/e2e/test_lifecycle_tier.py, drives the real mc)."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.server.admin.common import AdminError
from cairn.server.admin.tier import _config, redacted


def config(**changes: Any) -> dict[str, Any]:
    section = {"Endpoint": "http://127.0.0.1:9000", "AccessKey": "ak", "SecretKey": "sk", "Bucket": "b",
               "Prefix": "p/", "Region": ""}
    doc: dict[str, Any] = {"Version": "v1", "Type": "minio", "Name": "WARM", "MinIO": section}
    for key, value in changes.items():
        if key in section:
            section[key] = value
        else:
            doc[key] = value
    return doc


def refused(doc: dict[str, Any]) -> AdminError:
    with pytest.raises(AdminError) as caught:
        _config(doc)
    return caught.value


def test_a_good_config_is_kept_as_given() -> None:
    assert _config(config()) == config()
    s3 = {"Version": "v1", "Type": "s3", "Name": "COLD", "S3": config()["MinIO"] | {"Region": "eu-west-1"}}
    assert _config(s3) == s3


@pytest.mark.parametrize(("changes", "code"), [
    ({"Name": "warm"}, "XMinioAdminTierNameNotUpperCase"),
    ({"Name": "STANDARD"}, "XMinioAdminTierReserved"),
    ({"Name": ""}, "XMinioAdminTierNameEmpty"),
    ({"Version": "v2"}, "XMinioAdminTierInvalidConfigVersion"),
    ({"Type": "azure"}, "XMinioAdminTierTypeUnsupported"),
    ({"SecretKey": ""}, "XMinioAdminTierMissingCredentials"),
    ({"Bucket": ""}, "XMinioAdminTierBucketNotFound"),
])
def test_refusals(changes: dict[str, Any], code: str) -> None:
    assert refused(config(**changes)).code == code


def test_the_listing_never_shows_the_secret() -> None:
    shown = redacted(config())
    assert shown["MinIO"]["SecretKey"] == "REDACTED" and shown["MinIO"]["AccessKey"] == "ak"
    assert config()["MinIO"]["SecretKey"] == "sk"  # the stored document is untouched
