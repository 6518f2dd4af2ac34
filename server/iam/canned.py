"""MinIO's canned policies, as `mc admin policy info` shows them from a MinIO server (RELEASE
of 2025, minio/pkg policy DefaultPolicies): the same JSON, compact, in the same order.  Action
lists are Go sets, so MinIO prints them in varying order; these keep the order of the Go
source.  Each is an identity policy (parse_policy(..., "identity"))."""

from __future__ import annotations

CANNED: dict[str, str] = {
    "readwrite": (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],'
        '"Resource":["arn:aws:s3:::*"]}]}'),
    "readonly": (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Action":["s3:GetBucketLocation","s3:GetObject"],"Resource":["arn:aws:s3:::*"]}]}'),
    "writeonly": (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],'
        '"Resource":["arn:aws:s3:::*"]}]}'),
    "diagnostics": (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":['
        '"admin:Profiling","admin:ServerTrace","admin:ConsoleLog","admin:ServerInfo",'
        '"admin:TopLocksInfo","admin:OBDInfo","admin:BandwidthMonitor","admin:Prometheus"],'
        '"Resource":["arn:aws:s3:::*"]}]}'),
    "consoleAdmin": (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["admin:*"]},'
        '{"Effect":"Allow","Action":["kms:*"]},'
        '{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}'),
}
"""Canned policy name -> its document."""
