"""S3's XML documents (server/xml.py, and each handler family's): golden documents, round trips
through botocore's own parser, hostile input.

Golden strings are the examples of the S3 API reference, adapted to what S3 puts on the wire
(no indentation, empty elements as `<X></X>`, ETag quotes as `&quot;`, the declaration followed
by a newline, Owner before StorageClass as captured S3 listings have it).  Round trips parse
what we build with botocore's RestXMLParser against the S3 service model, and with botocore's
own after-call handlers where S3 needs them (encoding-type=url, GetBucketLocation).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, unquote_plus

import botocore.handlers
import botocore.session
import pytest
from botocore.parsers import RestXMLParser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.engine.api import DeletedObject, ObjectToDelete
from cairn.server import xml
from cairn.server.handlers import bucket, copy, delete, get, listing, multipart, multipart_list, service
from cairn.server.handlers.listing import ListEntry
from cairn.server.handlers.multipart_list import PartEntry, UploadEntry
from cairn.server.xml import XMLError

S3 = botocore.session.get_session().get_service_model("s3")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
T0 = datetime(2009, 10, 12, 17, 50, 30, tzinfo=UTC)

# Names a listing must carry exactly: unicode, XML specials, spaces, tab/newline/CR, URL specials.
TRICKY = [
    "photos/2006/January/sample.jpg",
    "写真/東京 タワー.jpg",
    "ümlaut/ß/😀",
    "&<>\"'",
    " leading and trailing ",
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "a+b c%d~e*f/g?h#i=j&k",
    "\x7f\u0085\u2028\ufffd",
]
# Characters XML 1.0 cannot carry: exact only under encoding-type=url.
UNREPRESENTABLE = ["ctl\x01char", "nul\x00byte", "\x1b[31mred", "bad\ufffe"]


def parse(operation: str, body: bytes, status: int = 200) -> dict[str, Any]:
    shape = S3.operation_model(operation).output_shape
    response = {"body": body, "headers": {}, "status_code": status}
    parsed: dict[str, Any] = RestXMLParser().parse(response, shape)
    return parsed


def url_decoded(operation: str, parsed: dict[str, Any]) -> dict[str, Any]:
    """What boto3 hands its caller: botocore's after-call decoding of encoding-type=url."""
    handler = {"ListObjects": botocore.handlers.decode_list_object,
               "ListObjectsV2": botocore.handlers.decode_list_object_v2}[operation]
    handler(parsed=parsed, context={"encoding_type_auto_set": True})
    return parsed


def ns(when: datetime) -> int:
    return int(when.timestamp()) * 10**9 + when.microsecond * 1000


def entry(key: str, **kw: Any) -> ListEntry:
    fields: dict[str, Any] = {"mtime_ns": ns(T0), "etag": "fba9dede5f27731c9771645a39863328",
                              "size": 434234}
    fields.update(kw)
    return ListEntry(key=key, **fields)


def v2(entries: list[ListEntry], **kw: Any) -> bytes:
    args: dict[str, Any] = {
        "bucket": "bucket", "prefix": "", "delimiter": None, "max_keys": 1000, "encoding_type": None,
        "key_count": len(entries), "continuation_token": None, "next_continuation_token": None,
        "start_after": None, "is_truncated": False, "entries": entries, "common_prefixes": [],
    }
    args.update(kw)
    return listing.list_objects_v2_xml(**args)


def v1(entries: list[ListEntry], **kw: Any) -> bytes:
    args: dict[str, Any] = {
        "bucket": "bucket", "prefix": "", "marker": "", "delimiter": None, "max_keys": 1000,
        "encoding_type": None, "is_truncated": False, "next_marker": None, "entries": entries,
        "common_prefixes": [],
    }
    args.update(kw)
    return listing.list_objects_v1_xml(**args)


# ---------------------------------------------------------------------------------------------
# Golden documents


def test_error_golden_and_botocore():
    # S3 Developer Guide, "The REST Error Response" example, plus HostId.
    body = xml.error_xml("NoSuchKey", "The resource you requested does not exist",
                           resource="/mybucket/myfoto.jpg", request_id="4442587FB7D0A2F9", host_id="h/Id=")
    assert body == (HEAD.encode() + b"<Error><Code>NoSuchKey</Code><Message>The resource you requested "
                    b"does not exist</Message><Resource>/mybucket/myfoto.jpg</Resource><RequestId>"
                    b"4442587FB7D0A2F9</RequestId><HostId>h/Id=</HostId></Error>")
    # botocore recognises the S3 error shape by its RequestId/HostId and takes those two from the
    # x-amz-request-id / x-amz-id-2 headers, dropping the body's copies.
    parsed = parse("GetObject", body, 404)
    assert parsed["Error"] == {"Code": "NoSuchKey", "Message": "The resource you requested does not exist",
                               "Resource": "/mybucket/myfoto.jpg"}


def test_error_extra_fields_sit_between_message_and_resource():
    body = xml.error_xml("NoSuchBucket", "The specified bucket does not exist", resource="",
                           request_id="R", host_id="H", extra={"BucketName": "a&b", "bad name": "x"})
    assert body == (HEAD + "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist"
                    "</Message><BucketName>a&amp;b</BucketName><RequestId>R</RequestId><HostId>H</HostId>"
                    "</Error>").encode()
    assert parse("HeadBucket", body, 404)["Error"]["BucketName"] == "a&b"


def test_error_never_fails_on_unrepresentable_text():
    body = xml.error_xml("NoSuchKey", "m\x00", resource="/b/\x01", request_id="R", host_id="H",
                           extra={"Key": "k\udcff\r"})
    parsed = parse("GetObject", body, 404)
    assert parsed["Error"]["Key"] == "k\ufffd\r"
    assert parsed["Error"]["Message"] == "m\ufffd"


def test_list_buckets_golden_and_botocore():
    # ListBuckets API reference example (the classic one, with Owner first).
    created = [("quotes", datetime(2006, 2, 3, 16, 45, 9, tzinfo=UTC), None),
               ("samples", datetime(2006, 2, 3, 16, 41, 58, 999999, tzinfo=UTC), None)]
    body = service.list_buckets_xml(created, "bcaf1ffd86f461ca5fb16fd081034f", "webfile")
    assert body == (HEAD + f"<ListAllMyBucketsResult {NS}><Owner><ID>bcaf1ffd86f461ca5fb16fd081034f</ID>"
                    "<DisplayName>webfile</DisplayName></Owner><Buckets><Bucket><Name>quotes</Name>"
                    "<CreationDate>2006-02-03T16:45:09.000Z</CreationDate></Bucket><Bucket><Name>samples"
                    "</Name><CreationDate>2006-02-03T16:41:58.000Z</CreationDate></Bucket></Buckets>"
                    "</ListAllMyBucketsResult>").encode()
    parsed = parse("ListBuckets", body)
    assert parsed["Owner"] == {"ID": "bcaf1ffd86f461ca5fb16fd081034f", "DisplayName": "webfile"}
    assert [(b["Name"], b["CreationDate"]) for b in parsed["Buckets"]] == [
        ("quotes", created[0][1]), ("samples", created[1][1].replace(microsecond=0))]


def test_list_buckets_empty():
    body = service.list_buckets_xml([], "id", "")
    assert b"<Owner><ID>id</ID></Owner><Buckets></Buckets>" in body
    assert parse("ListBuckets", body)["Buckets"] == []


def test_list_buckets_paginated_golden_and_botocore():
    # A paginated ListBuckets (max-buckets, continuation-token, prefix or bucket-region given):
    # each bucket names its region, then the next page's ContinuationToken and the Prefix asked for.
    page = [("amzn-s3-demo-bucket1", T0, "us-east-1"), ("amzn-s3-demo-bucket2", T0, "us-east-1")]
    body = service.list_buckets_xml(page, "id", "", continuation_token="YW16bi1zMy1kZW1vLWJ1Y2tldDI=",
                                    prefix="amzn-s3-demo")
    bucket_xml = ("<Bucket><Name>amzn-s3-demo-bucket{}</Name><CreationDate>2009-10-12T17:50:30.000Z"
                  "</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>")
    assert body == (HEAD + f"<ListAllMyBucketsResult {NS}><Owner><ID>id</ID></Owner><Buckets>"
                    f"{bucket_xml.format(1)}{bucket_xml.format(2)}</Buckets><ContinuationToken>"
                    "YW16bi1zMy1kZW1vLWJ1Y2tldDI=</ContinuationToken><Prefix>amzn-s3-demo</Prefix>"
                    "</ListAllMyBucketsResult>").encode()
    parsed = parse("ListBuckets", body)
    assert (parsed["ContinuationToken"], parsed["Prefix"]) == ("YW16bi1zMy1kZW1vLWJ1Y2tldDI=", "amzn-s3-demo")
    assert [(b["Name"], b["BucketRegion"]) for b in parsed["Buckets"]] == [
        ("amzn-s3-demo-bucket1", "us-east-1"), ("amzn-s3-demo-bucket2", "us-east-1")]
    last = parse("ListBuckets", service.list_buckets_xml(page[:1], "id", "", prefix=""))
    assert "ContinuationToken" not in last and "Prefix" not in last


def bucket_location(body: bytes) -> str | None:
    parsed = parse("GetBucketLocation", body)
    botocore.handlers.parse_get_bucket_location(parsed, SimpleNamespace(raw=b"", content=body))
    location: str | None = parsed["LocationConstraint"]
    return location


def test_location():
    assert bucket.location_xml("us-east-1") == f"{HEAD}<LocationConstraint {NS}/>".encode()
    assert bucket_location(bucket.location_xml("us-east-1")) is None
    body = bucket.location_xml("eu-west-1")
    assert body == f"{HEAD}<LocationConstraint {NS}>eu-west-1</LocationConstraint>".encode()
    assert bucket_location(body) == "eu-west-1"


def test_list_objects_v2_golden():
    # ListObjectsV2 API reference, "Listing keys" example.
    body = v2([entry("my-image.jpg"), entry("my-third-image.jpg", etag='"1b2cf535f27731c974343645a3985328"',
                                            size=64994, storage_class="STANDARD_IA")], key_count=205)
    assert body == (HEAD + f"<ListBucketResult {NS}><Name>bucket</Name><Prefix></Prefix>"
                    "<KeyCount>205</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>my-image.jpg</Key>"
                    "<LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>&quot;fba9dede5f27731c977164"
                    "5a39863328&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>"
                    "<Contents><Key>my-third-image.jpg</Key><LastModified>2009-10-12T17:50:30.000Z"
                    "</LastModified><ETag>&quot;1b2cf535f27731c974343645a3985328&quot;</ETag><Size>64994"
                    "</Size><StorageClass>STANDARD_IA</StorageClass></Contents></ListBucketResult>").encode()


def test_list_objects_v2_golden_tokens_delimiter_checksum_owner():
    # Element order of captured S3 responses: StartAfter, tokens, KeyCount, MaxKeys, Delimiter,
    # EncodingType, IsTruncated; in Contents ChecksumAlgorithm/ChecksumType before Size, Owner
    # before StorageClass.
    body = v2([entry("a", checksum_algorithm="crc64nvme", owner=("75aa57f0", ""))],
              prefix="p", delimiter="/", encoding_type="url", key_count=2, continuation_token="tok&1",
              next_continuation_token="tok2", start_after="s", is_truncated=True, max_keys=2,
              common_prefixes=["p/"])
    assert body == (HEAD + f"<ListBucketResult {NS}><Name>bucket</Name><Prefix>p</Prefix><StartAfter>s"
                    "</StartAfter><ContinuationToken>tok&amp;1</ContinuationToken><NextContinuationToken>"
                    "tok2</NextContinuationToken><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/"
                    "</Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><Contents>"
                    "<Key>a</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>&quot;"
                    "fba9dede5f27731c9771645a39863328&quot;</ETag><ChecksumAlgorithm>CRC64NVME"
                    "</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>434234</Size><Owner>"
                    "<ID>75aa57f0</ID></Owner><StorageClass>STANDARD</StorageClass></Contents><CommonPrefixes>"
                    "<Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>").encode()


def test_list_objects_v1_golden():
    # ListObjects API reference, the example with a delimiter and a prefix.
    body = v1([], bucket="example-bucket", prefix="photos/2006/", delimiter="/",
              common_prefixes=["photos/2006/February/", "photos/2006/January/"])
    assert body == (HEAD + f"<ListBucketResult {NS}><Name>example-bucket</Name><Prefix>photos/2006/</Prefix>"
                    "<Marker></Marker><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false"
                    "</IsTruncated><CommonPrefixes><Prefix>photos/2006/February/</Prefix></CommonPrefixes>"
                    "<CommonPrefixes><Prefix>photos/2006/January/</Prefix></CommonPrefixes>"
                    "</ListBucketResult>").encode()
    body = v1([entry("my-image.jpg", owner=("75aa57f09aa0c8ca", "mtd@amazon.com"))], marker="a",
              next_marker="my-image.jpg", is_truncated=True, delimiter="")
    assert body == (HEAD + f"<ListBucketResult {NS}><Name>bucket</Name><Prefix></Prefix><Marker>a</Marker>"
                    "<NextMarker>my-image.jpg</NextMarker><MaxKeys>1000</MaxKeys><IsTruncated>true"
                    "</IsTruncated><Contents><Key>my-image.jpg</Key><LastModified>2009-10-12T17:50:30.000Z"
                    "</LastModified><ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234"
                    "</Size><Owner><ID>75aa57f09aa0c8ca</ID><DisplayName>mtd@amazon.com</DisplayName></Owner>"
                    "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>").encode()


def test_copy_results_golden_and_botocore():
    # CopyObject / UploadPartCopy API reference examples.
    when = datetime(2009, 10, 28, 22, 32, tzinfo=UTC)
    body = copy.copy_object_result_xml('"9b2cf535f27731c974343645a3985328"', when)
    assert body == (HEAD + f"<CopyObjectResult {NS}><LastModified>2009-10-28T22:32:00.000Z</LastModified>"
                    "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag></CopyObjectResult>").encode()
    assert copy.copy_object_result_xml("9b2cf535f27731c974343645a3985328", when) == body
    parsed = parse("CopyObject", copy.copy_object_result_xml("e", when, checksums={"crc32c": "AAAAAA=="}))
    assert parsed["CopyObjectResult"] == {"ETag": '"e"', "LastModified": when, "ChecksumCRC32C": "AAAAAA=="}
    parsed = parse("UploadPartCopy", copy.copy_part_result_xml("e", when))
    assert parsed["CopyPartResult"] == {"ETag": '"e"', "LastModified": when}


def deleted(key: str, version_id: str | None = None, marker: str | None = None
            ) -> tuple[ObjectToDelete, DeletedObject]:
    """A DeleteObjects entry asked for (of version_id) and its outcome (marker: a delete marker)."""
    return (ObjectToDelete(key, version_id),
            DeletedObject(key, marker or version_id, existed=True, delete_marker=marker is not None))


def test_delete_result_golden_and_botocore():
    # DeleteObjects API reference example: one deleted, one refused.
    refused = [(ObjectToDelete("sample2.txt"), "AccessDenied", "Access Denied")]
    body = delete.delete_result_xml([deleted("sample1.txt")], refused, False)
    assert body == (HEAD + f"<DeleteResult {NS}><Deleted><Key>sample1.txt</Key></Deleted><Error><Key>"
                    "sample2.txt</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                    "</DeleteResult>").encode()
    parsed = parse("DeleteObjects", body)
    assert parsed["Deleted"] == [{"Key": "sample1.txt"}]
    assert parsed["Errors"] == [{"Key": "sample2.txt", "Code": "AccessDenied", "Message": "Access Denied"}]
    quiet = delete.delete_result_xml([deleted(k) for k in TRICKY], [], True)
    assert quiet == f"{HEAD}<DeleteResult {NS}></DeleteResult>".encode()
    assert "Deleted" not in parse("DeleteObjects", quiet)
    parsed = parse("DeleteObjects", delete.delete_result_xml([deleted(k) for k in TRICKY], [], False))
    assert [d["Key"] for d in parsed["Deleted"]] == TRICKY


def test_delete_result_of_versions_golden_and_botocore():
    # The API reference's versioned examples: a version deleted by id, a delete marker written.
    done = [deleted("SampleDocument.txt", "OYcLXagmS.WaD..oyH4KRguB95_YhLs7"),
            deleted("SampleDocument.txt", marker="NeQt5xeFTfgPJD8B4CGWnkSLtluMr11s")]
    refused = [(ObjectToDelete("x", "bad"), "InvalidArgument", "Invalid version id specified")]
    body = delete.delete_result_xml(done, refused, False)
    assert body == (HEAD + f"<DeleteResult {NS}><Deleted><Key>SampleDocument.txt</Key><VersionId>"
                    "OYcLXagmS.WaD..oyH4KRguB95_YhLs7</VersionId></Deleted><Deleted><Key>SampleDocument.txt"
                    "</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>NeQt5xeFTfgPJD8B4CGWnkSLt"
                    "luMr11s</DeleteMarkerVersionId></Deleted><Error><Key>x</Key><VersionId>bad</VersionId>"
                    "<Code>InvalidArgument</Code><Message>Invalid version id specified</Message></Error>"
                    "</DeleteResult>").encode()
    parsed = parse("DeleteObjects", body)
    assert parsed["Deleted"][1] == {"Key": "SampleDocument.txt", "DeleteMarker": True,
                                    "DeleteMarkerVersionId": "NeQt5xeFTfgPJD8B4CGWnkSLtluMr11s"}
    assert parsed["Errors"][0]["VersionId"] == "bad"


def test_initiate_and_complete_golden_and_botocore():
    # CreateMultipartUpload / CompleteMultipartUpload API reference examples.
    body = multipart.initiate_multipart_upload_xml("example-bucket", "example-object", "VXBsb2FkIElE")
    assert body == (HEAD + f"<InitiateMultipartUploadResult {NS}><Bucket>example-bucket</Bucket><Key>"
                    "example-object</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>"
                    ).encode()
    assert parse("CreateMultipartUpload", body) | {"ResponseMetadata": None} == {
        "Bucket": "example-bucket", "Key": "example-object", "UploadId": "VXBsb2FkIElE",
        "ResponseMetadata": None}
    body = multipart.complete_multipart_upload_xml(
        "http://Example-Bucket.s3.region.amazonaws.com/Example-Object", "Example-Bucket", "Example-Object",
        "3858f62230ac3c915f300c664312c11f-9")
    assert body == (HEAD + f"<CompleteMultipartUploadResult {NS}><Location>http://Example-Bucket.s3.region."
                    "amazonaws.com/Example-Object</Location><Bucket>Example-Bucket</Bucket><Key>"
                    "Example-Object</Key><ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;</ETag>"
                    "</CompleteMultipartUploadResult>").encode()
    body = multipart.complete_multipart_upload_xml("/b/k", "b", TRICKY[3], '"e-2"',
                                               checksums={"SHA256": "x=", "crc32": "y="},
                                               checksum_type="COMPOSITE")
    assert b"<ChecksumCRC32>y=</ChecksumCRC32><ChecksumSHA256>x=</ChecksumSHA256><ChecksumType>" in body
    parsed = parse("CompleteMultipartUpload", body)
    assert {k: parsed[k] for k in ("Location", "Bucket", "Key", "ETag", "ChecksumCRC32", "ChecksumSHA256",
                                   "ChecksumType")} == {
        "Location": "/b/k", "Bucket": "b", "Key": TRICKY[3], "ETag": '"e-2"', "ChecksumCRC32": "y=",
        "ChecksumSHA256": "x=", "ChecksumType": "COMPOSITE"}


def test_list_parts_golden_and_botocore():
    # ListParts API reference example.
    parts = [PartEntry(2, datetime(2010, 11, 10, 20, 48, 34, tzinfo=UTC),
                       "7778aef83f66abc1fa1e8477f296d394", 10485760),
             PartEntry(3, datetime(2010, 11, 10, 20, 48, 33, tzinfo=UTC),
                       '"aaaa18db4cc2f85cedef654fccc4a4x8"', 10485760, {"crc32": "AAAAAA=="})]
    body = multipart_list.list_parts_xml(
        bucket="example-bucket", key="example-object", upload_id="XXBsb2FkIElE",
        initiator=("arn:aws:iam::111122223333:user/some-user", "umat-user"), owner=("75aa57f0", "someName"),
        part_number_marker=1, next_part_number_marker=3, max_parts=2, is_truncated=True, parts=parts)
    assert body == (HEAD + f"<ListPartsResult {NS}><Bucket>example-bucket</Bucket><Key>example-object</Key>"
                    "<UploadId>XXBsb2FkIElE</UploadId><Initiator><ID>arn:aws:iam::111122223333:user/some-user"
                    "</ID><DisplayName>umat-user</DisplayName></Initiator><Owner><ID>75aa57f0</ID><DisplayName>"
                    "someName</DisplayName></Owner><StorageClass>STANDARD</StorageClass><PartNumberMarker>1"
                    "</PartNumberMarker><NextPartNumberMarker>3</NextPartNumberMarker><MaxParts>2</MaxParts>"
                    "<IsTruncated>true</IsTruncated><Part><PartNumber>2</PartNumber><LastModified>"
                    "2010-11-10T20:48:34.000Z</LastModified><ETag>&quot;7778aef83f66abc1fa1e8477f296d394&quot;"
                    "</ETag><Size>10485760</Size></Part><Part><PartNumber>3</PartNumber><LastModified>"
                    "2010-11-10T20:48:33.000Z</LastModified><ETag>&quot;aaaa18db4cc2f85cedef654fccc4a4x8&quot;"
                    "</ETag><Size>10485760</Size><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>"
                    "</ListPartsResult>").encode()
    parsed = parse("ListParts", body)
    assert {k: parsed[k] for k in ("Bucket", "Key", "UploadId", "PartNumberMarker", "NextPartNumberMarker",
                                   "MaxParts", "IsTruncated", "StorageClass", "Initiator", "Owner")} == {
        "Bucket": "example-bucket", "Key": "example-object", "UploadId": "XXBsb2FkIElE",
        "PartNumberMarker": 1, "NextPartNumberMarker": 3, "MaxParts": 2, "IsTruncated": True,
        "StorageClass": "STANDARD",
        "Initiator": {"ID": "arn:aws:iam::111122223333:user/some-user", "DisplayName": "umat-user"},
        "Owner": {"ID": "75aa57f0", "DisplayName": "someName"}}
    assert parsed["Parts"] == [
        {"PartNumber": 2, "LastModified": parts[0].last_modified,
         "ETag": '"7778aef83f66abc1fa1e8477f296d394"', "Size": 10485760},
        {"PartNumber": 3, "LastModified": parts[1].last_modified,
         "ETag": '"aaaa18db4cc2f85cedef654fccc4a4x8"', "Size": 10485760, "ChecksumCRC32": "AAAAAA=="}]
    body = multipart_list.list_parts_xml(bucket="b", key="k", upload_id="u", initiator=None, owner=None,
                                part_number_marker=0, next_part_number_marker=0, max_parts=1000,
                                is_truncated=False, parts=[], checksum_algorithm="sha256",
                                checksum_type="COMPOSITE")
    parsed = parse("ListParts", body)
    assert (parsed["ChecksumAlgorithm"], parsed["ChecksumType"], parsed.get("Parts")) == \
        ("SHA256", "COMPOSITE", None)


def test_list_multipart_uploads_golden_and_botocore():
    # ListMultipartUploads API reference example with a delimiter.
    upload = UploadEntry("sample.jpg", "Agw4MJT6ZPAVxpY0SAuGN7q4",
                         datetime(2010, 11, 26, 19, 24, 17, tzinfo=UTC), owner=("314133b6", "s3-nickname"),
                         initiator=("314133b6", "s3-nickname"))
    body = multipart_list.list_multipart_uploads_xml(
        bucket="example-bucket", key_marker="", upload_id_marker="", next_key_marker="sample.jpg",
        next_upload_id_marker="Xgw4MJT6ZPAVxpY0SAuGN7q4", delimiter="/", prefix="", max_uploads=1000,
        encoding_type=None, is_truncated=False, uploads=[upload], common_prefixes=["photos/", "videos/"])
    assert body == (HEAD + f"<ListMultipartUploadsResult {NS}><Bucket>example-bucket</Bucket><KeyMarker>"
                    "</KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker>sample.jpg</NextKeyMarker>"
                    "<NextUploadIdMarker>Xgw4MJT6ZPAVxpY0SAuGN7q4</NextUploadIdMarker><Delimiter>/"
                    "</Delimiter><Prefix></Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false"
                    "</IsTruncated><Upload><Key>sample.jpg</Key><UploadId>Agw4MJT6ZPAVxpY0SAuGN7q4</UploadId>"
                    "<Initiator><ID>314133b6</ID><DisplayName>s3-nickname</DisplayName></Initiator><Owner>"
                    "<ID>314133b6</ID><DisplayName>s3-nickname</DisplayName></Owner><StorageClass>STANDARD"
                    "</StorageClass><Initiated>2010-11-26T19:24:17.000Z</Initiated></Upload><CommonPrefixes>"
                    "<Prefix>photos/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>videos/</Prefix>"
                    "</CommonPrefixes></ListMultipartUploadsResult>").encode()
    parsed = parse("ListMultipartUploads", body)
    assert parsed["Uploads"] == [{
        "Key": "sample.jpg", "UploadId": "Agw4MJT6ZPAVxpY0SAuGN7q4", "Initiated": upload.initiated,
        "StorageClass": "STANDARD", "Owner": {"ID": "314133b6", "DisplayName": "s3-nickname"},
        "Initiator": {"ID": "314133b6", "DisplayName": "s3-nickname"}}]
    assert [p["Prefix"] for p in parsed["CommonPrefixes"]] == ["photos/", "videos/"]
    assert (parsed["NextKeyMarker"], parsed["Delimiter"], parsed["Prefix"]) == ("sample.jpg", "/", "")


def test_list_multipart_uploads_url_encoding():
    uploads = [UploadEntry(key, f"u{i}", T0, checksum_algorithm="crc32") for i, key in enumerate(TRICKY)]
    body = multipart_list.list_multipart_uploads_xml(
        bucket="b", key_marker="k m", upload_id_marker="", next_key_marker="n+m", next_upload_id_marker=None,
        delimiter="|", prefix="a b", max_uploads=10, encoding_type="url", is_truncated=True,
        uploads=uploads, common_prefixes=["c d|"])
    assert (b"<KeyMarker>k%20m</KeyMarker><UploadIdMarker></UploadIdMarker>"
            b"<NextKeyMarker>n%2Bm</NextKeyMarker><Delimiter>%7C</Delimiter><Prefix>a%20b</Prefix>"
            b"<EncodingType>url</EncodingType>") in body
    parsed = parse("ListMultipartUploads", body)
    assert [unquote_plus(u["Key"]) for u in parsed["Uploads"]] == TRICKY
    assert {u["ChecksumAlgorithm"] for u in parsed["Uploads"]} == {"CRC32"}
    assert unquote_plus(parsed["CommonPrefixes"][0]["Prefix"]) == "c d|"


# ---------------------------------------------------------------------------------------------
# Listings through botocore


def assert_listed(parsed: dict[str, Any], entries: list[ListEntry]) -> None:
    assert len(parsed["Contents"]) == len(entries)
    for got, want in zip(parsed["Contents"], entries, strict=True):
        assert got["Key"] == want.key
        assert got["LastModified"] == datetime.fromtimestamp(want.mtime_ns // 10**9, UTC)
        assert got["ETag"] == f'"{want.etag.strip(chr(34))}"'
        assert got["Size"] == want.size
        assert got["StorageClass"] == want.storage_class
        assert got.get("Owner") == (None if want.owner is None else
                                    {"ID": want.owner[0], "DisplayName": want.owner[1]})
        assert got.get("ChecksumAlgorithm") == (None if want.checksum_algorithm is None
                                                else [want.checksum_algorithm.upper()])


def tricky_entries() -> list[ListEntry]:
    return [entry(key, size=i, mtime_ns=ns(T0 + timedelta(seconds=i, microseconds=999)),
                  owner=("id&1", "name<1>") if i % 2 else None,
                  checksum_algorithm="crc32c" if i % 3 else None,
                  storage_class="STANDARD" if i % 4 else "REDUCED_REDUNDANCY")
            for i, key in enumerate(TRICKY)]


@pytest.mark.parametrize("encoding_type", [None, "url"])
def test_list_objects_v2_round_trip(encoding_type):
    entries = tricky_entries()
    body = v2(entries, prefix=TRICKY[1], delimiter=TRICKY[8], start_after=TRICKY[3],
              continuation_token="c/+=", next_continuation_token="n/+=", is_truncated=True,
              key_count=len(entries) + 2, max_keys=77,
              encoding_type=encoding_type, common_prefixes=TRICKY[:2])
    parsed = parse("ListObjectsV2", body)
    if encoding_type:
        assert parsed["EncodingType"] == "url"
        url_decoded("ListObjectsV2", parsed)
    assert_listed(parsed, entries)
    assert (parsed["Name"], parsed["Prefix"], parsed["Delimiter"], parsed["StartAfter"]) == \
        ("bucket", TRICKY[1], TRICKY[8], TRICKY[3])
    assert (parsed["ContinuationToken"], parsed["NextContinuationToken"]) == ("c/+=", "n/+=")
    assert (parsed["KeyCount"], parsed["MaxKeys"], parsed["IsTruncated"]) == (len(entries) + 2, 77, True)
    assert [p["Prefix"] for p in parsed["CommonPrefixes"]] == TRICKY[:2]


@pytest.mark.parametrize("encoding_type", [None, "url"])
def test_list_objects_v1_round_trip(encoding_type):
    entries = tricky_entries()
    body = v1(entries, prefix=TRICKY[1], marker=TRICKY[2], delimiter=TRICKY[3], next_marker=TRICKY[4],
              is_truncated=True, max_keys=5, encoding_type=encoding_type, common_prefixes=TRICKY[5:])
    parsed = parse("ListObjects", body)
    if encoding_type:
        url_decoded("ListObjects", parsed)
        # S3 encodes Prefix too; botocore leaves it encoded (boto/boto3#3534), so a client sees it raw.
        assert parsed["Prefix"] == xml.s3_url_encode(TRICKY[1])
    else:
        assert parsed["Prefix"] == TRICKY[1]
    assert_listed(parsed, entries)
    assert (parsed["Marker"], parsed["Delimiter"], parsed["NextMarker"]) == (TRICKY[2], TRICKY[3], TRICKY[4])
    assert (parsed["MaxKeys"], parsed["IsTruncated"]) == (5, True)
    assert [p["Prefix"] for p in parsed["CommonPrefixes"]] == TRICKY[5:]


def test_unrepresentable_names_are_exact_under_url_encoding():
    entries = [entry(key) for key in UNREPRESENTABLE]
    parsed = url_decoded("ListObjectsV2", parse("ListObjectsV2", v2(entries, encoding_type="url",
                                                                    common_prefixes=UNREPRESENTABLE)))
    assert [c["Key"] for c in parsed["Contents"]] == UNREPRESENTABLE
    assert [p["Prefix"] for p in parsed["CommonPrefixes"]] == UNREPRESENTABLE


def test_unrepresentable_names_stay_well_formed_without_encoding():
    # Documented choice: U+FFFD in place of what XML 1.0 cannot carry (S3 sends invalid XML).
    entries = [entry(key) for key in UNREPRESENTABLE]
    parsed = parse("ListObjectsV2", v2(entries))
    assert [c["Key"] for c in parsed["Contents"]] == ["ctl\ufffdchar", "nul\ufffdbyte", "\ufffd[31mred",
                                                      "bad\ufffd"]
    assert not any(xml.is_xml_safe(key) for key in UNREPRESENTABLE)
    assert all(xml.is_xml_safe(key) for key in TRICKY)


def test_empty_listing_and_optional_elements():
    body = v2([], delimiter="")
    assert b"Delimiter" not in body and b"StartAfter" not in body and b"ContinuationToken" not in body
    parsed = parse("ListObjectsV2", body)
    assert "Contents" not in parsed and "CommonPrefixes" not in parsed
    assert (parsed["Prefix"], parsed["KeyCount"]) == ("", 0)


def test_url_encoding_rule():
    # S3's rule (MinIO's s3URLEncode): '/' and '*' stay, '~' is encoded -- but a space is %20, not
    # S3's '+', which only a form decoder reads back as a space.
    assert xml.s3_url_encode("a b.txt") == "a%20b.txt"
    assert xml.s3_url_encode("a+b.txt") == "a%2Bb.txt"
    assert xml.s3_url_encode("100%.csv") == "100%25.csv"
    assert xml.s3_url_encode("한글/x.txt") == "%ED%95%9C%EA%B8%80/x.txt"
    assert xml.s3_url_encode("~a*b-c_d.e") == "%7Ea*b-c_d.e"
    assert xml.s3_url_encode("\x01") == "%01"


@pytest.mark.parametrize("name", [*TRICKY, "a b+c", "+", " "])
def test_url_encoded_names_decode_with_any_decoder(name):
    """A plain percent-decoder and a form decoder (botocore's unquote_plus) both get the name back."""
    encoded = xml.s3_url_encode(name)
    assert unquote(encoded) == name
    assert unquote_plus(encoded) == name


def test_timestamps_are_utc_seconds():
    east = timezone(timedelta(hours=9))
    body = v2([entry("a", mtime_ns=ns(datetime(2024, 1, 1, 9, 0, 5, 999000, tzinfo=east))),
               entry("b", mtime_ns=ns(datetime(2024, 1, 1, 0, 0, 5, tzinfo=UTC)))])
    assert body.count(b"<LastModified>2024-01-01T00:00:05.000Z</LastModified>") == 2


@pytest.mark.parametrize("second", [0, 951782400, 1234567890, 1709208000, 2**31 + 12345, 4102444799])
def test_timestamp_of_second_is_timestamp(second):
    assert xml.timestamp_of_second(second) == xml.timestamp(datetime.fromtimestamp(second, UTC))


def test_checksum_algorithm_is_validated():
    with pytest.raises(ValueError):
        v2([entry("a", checksum_algorithm="adler32")])
    with pytest.raises(ValueError):
        v2([], encoding_type="base64")


def test_list_objects_v2_builds_fast():
    now = time.time_ns()
    entries = [entry(f"photos/2024/{i:06d} some file name.jpg", mtime_ns=now, size=i,
                     checksum_algorithm="crc32c") for i in range(1000)]
    best = min(timed(lambda: v2(entries, key_count=1000, encoding_type="url")) for _ in range(20))
    # About 1-4 ms on a shared 2-core CI machine; the bound only catches an order-of-magnitude slip.
    assert best < 0.025


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ---------------------------------------------------------------------------------------------
# Parsing client documents


def delete_body(keys: list[str], quiet: str | None = None, ns: bool = True) -> bytes:
    objects = "".join(f"<Object><Key>{key}</Key></Object>" for key in keys)
    q = "" if quiet is None else f"<Quiet>{quiet}</Quiet>"
    root = f"Delete {NS}" if ns else "Delete"
    return f'<?xml version="1.0" encoding="UTF-8"?><{root}>{q}{objects}</Delete>'.encode()


@pytest.mark.parametrize("ns", [True, False])
def test_parse_delete_objects(ns):
    body = delete_body(["a", "b&amp;c"], "true", ns)
    assert delete.parse_delete_objects(body) == (True, [ObjectToDelete("a"), ObjectToDelete("b&c")])
    body = (b"<Delete>\n  <Object>\n    <Key>k</Key>\n    <VersionId>v1</VersionId>\n    <ETag>e</ETag>\n"
            b"  </Object>\n  <Quiet>false</Quiet>\n</Delete>")
    assert delete.parse_delete_objects(body) == (False, [ObjectToDelete("k", "v1", "e")])
    assert delete.parse_delete_objects(b"<s3:Delete xmlns:s3='urn:x'><s3:Object><s3:Key>k</s3:Key>"
                                      b"</s3:Object></s3:Delete>") == (False, [ObjectToDelete("k")])
    quoted_etag = b'<Delete><Object><Key>k</Key><ETag>"0c78aef8"</ETag></Object></Delete>'
    assert delete.parse_delete_objects(quoted_etag) == (False, [ObjectToDelete("k", None, "0c78aef8")])


def test_parse_delete_objects_as_botocore_serializes_it():
    from botocore.serialize import create_serializer
    request = create_serializer("rest-xml").serialize_to_request(
        {"Bucket": "b", "Delete": {"Objects": [{"Key": k} for k in TRICKY] + [{"Key": "v", "VersionId": "1"}],
                                   "Quiet": True}},
        S3.operation_model("DeleteObjects"))
    botocore.handlers.escape_xml_payload(request)  # boto3's before-call step for DeleteObjects
    assert delete.parse_delete_objects(request["body"]) == (
        True, [ObjectToDelete(k) for k in TRICKY] + [ObjectToDelete("v", "1")])


def test_raw_carriage_return_is_normalized_as_xml_requires():
    # XML end-of-line handling (S3's parser does the same): a client must send &#13; for CR.
    assert delete.parse_delete_objects(b"<Delete><Object><Key>a\rb\r\nc</Key></Object></Delete>") == \
        (False, [ObjectToDelete("a\nb\nc")])
    assert delete.parse_delete_objects(b"<Delete><Object><Key>a&#13;b</Key></Object></Delete>") == \
        (False, [ObjectToDelete("a\rb")])


@pytest.mark.parametrize(("body", "code"), [
    (delete_body([]), "MalformedXML"),
    (delete_body(["k"] * 1001), "MalformedXML"),
    (delete_body(["k"], "maybe"), "MalformedXML"),
    (b"<Delete><Object><VersionId>v</VersionId></Object></Delete>", "MalformedXML"),
    (b"<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>", "MalformedXML"),
    (b"<Delete><Quiet>true</Quiet><Quiet>true</Quiet><Object><Key>a</Key></Object></Delete>", "MalformedXML"),
    (b"<Remove><Object><Key>a</Key></Object></Remove>", "MalformedXML"),
    (delete_body(["k" * 1025]), "KeyTooLongError"),
    (delete_body(["é" * 513]), "KeyTooLongError"),
])
def test_parse_delete_objects_refusals(body, code):
    with pytest.raises(XMLError) as info:
        delete.parse_delete_objects(body)
    assert info.value.code == code


def test_parse_delete_objects_limits_are_inclusive():
    assert len(delete.parse_delete_objects(delete_body(["k"] * 1000))[1]) == 1000
    assert delete.parse_delete_objects(delete_body(["k" * 1024]))[1] == [ObjectToDelete("k" * 1024)]


def test_parse_create_bucket():
    assert bucket.parse_create_bucket(b"") is None
    assert bucket.parse_create_bucket(b"  \n") is None
    assert bucket.parse_create_bucket(b"<CreateBucketConfiguration/>") is None
    body = (f"<CreateBucketConfiguration {NS}><LocationConstraint> eu-west-1 </LocationConstraint>"
            "</CreateBucketConfiguration>").encode()
    assert bucket.parse_create_bucket(body) == "eu-west-1"
    assert bucket.parse_create_bucket(b"<CreateBucketConfiguration><LocationConstraint>EU"
                                     b"</LocationConstraint></CreateBucketConfiguration>") == "EU"
    for bad in (b"<LocationConstraint>EU</LocationConstraint>", b"<CreateBucketConfiguration>"):
        with pytest.raises(XMLError, match="MalformedXML"):
            bucket.parse_create_bucket(bad)


def test_parse_complete_multipart_upload():
    body = (f"<CompleteMultipartUpload {NS}><Part><PartNumber>1</PartNumber>"
            '<ETag>"a54357aff0632cce46d942af68356b38"</ETag>'
            "<ChecksumCRC32>AAAAAA==</ChecksumCRC32><ChecksumSHA256>x=</ChecksumSHA256></Part>"
            "<Part><ETag>&quot;0c78aef83f66abc1fa1e8477f296d394&quot;</ETag><PartNumber> 2 </PartNumber>"
            "</Part><Part><PartNumber>10000</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>").encode()
    assert multipart.parse_complete_multipart_upload(body) == [
        (1, "a54357aff0632cce46d942af68356b38", {"crc32": "AAAAAA==", "sha256": "x="}),
        (2, "0c78aef83f66abc1fa1e8477f296d394", {}),
        (10000, "e", {}),
    ]


def test_parse_complete_multipart_upload_as_botocore_serializes_it():
    from botocore.serialize import create_serializer
    parts = [{"PartNumber": i, "ETag": f'"{i:032x}"', "ChecksumCRC64NVME": "AAAAAAAAAAA="}
             for i in range(1, 101)]
    request = create_serializer("rest-xml").serialize_to_request(
        {"Bucket": "b", "Key": "k", "UploadId": "u", "MultipartUpload": {"Parts": parts}},
        S3.operation_model("CompleteMultipartUpload"))
    assert multipart.parse_complete_multipart_upload(request["body"]) == [
        (i, f"{i:032x}", {"crc64nvme": "AAAAAAAAAAA="}) for i in range(1, 101)]


@pytest.mark.parametrize(("parts", "code"), [
    ("", "MalformedXML"),
    ("<Part><ETag>e</ETag></Part>", "MalformedXML"),
    ("<Part><PartNumber>1</PartNumber></Part>", "MalformedXML"),
    ("<Part><PartNumber>one</PartNumber><ETag>e</ETag></Part>", "MalformedXML"),
    ("<Part><PartNumber>1_0</PartNumber><ETag>e</ETag></Part>", "MalformedXML"),
    ("<Part><PartNumber>0</PartNumber><ETag>e</ETag></Part>", "InvalidArgument"),
    ("<Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part>", "InvalidArgument"),
    ("<Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>e</ETag></Part>", "MalformedXML"),
    ("<Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>" * 10001, "MalformedXML"),
])
def test_parse_complete_multipart_upload_refusals(parts, code):
    with pytest.raises(XMLError) as info:
        multipart.parse_complete_multipart_upload(f"<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>".encode())
    assert info.value.code == code


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Delete><Object><Key>&lol9;</Key></Object></Delete>"""

HOSTILE = {
    "billion laughs": BILLION_LAUGHS,
    "external entity": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                       b"<Delete><Object><Key>&x;</Key></Object></Delete>",
    "external DTD": b'<!DOCTYPE Delete SYSTEM "http://127.0.0.1:1/x.dtd"><Delete><Object><Key>k</Key>'
                    b"</Object></Delete>",
    "parameter entity": b'<!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><Delete/>',
    "empty doctype": b"<!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>",
    "undeclared entity": b"<Delete><Object><Key>&x;</Key></Object></Delete>",
    "invalid char reference": b"<Delete><Object><Key>&#1;</Key></Object></Delete>",
    "raw control char": b"<Delete><Object><Key>\x01</Key></Object></Delete>",
    "truncated": delete_body(["k"])[:-5],
    "not xml": b"Quiet=true&Key=k",
    "empty": b"",
    "two roots": b"<Delete><Object><Key>k</Key></Object></Delete><Delete/>",
    "invalid utf-8": b"<Delete><Object><Key>\xff\xfe</Key></Object></Delete>",
    "unknown encoding": b'<?xml version="1.0" encoding="x-nonsense"?><Delete/>',
    "unbound prefix": b"<s3:Delete><Object><Key>k</Key></Object></s3:Delete>",
    "too deep": b"<Delete>" + b"<a>" * 40 + b"</a>" * 40 + b"</Delete>",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_documents_are_malformed(name):
    with pytest.raises(XMLError) as info:
        delete.parse_delete_objects(HOSTILE[name])
    assert info.value.code == "MalformedXML"


def test_oversized_and_element_flood():
    with pytest.raises(XMLError) as info:
        xml.parse_xml(b"<a>" + b" " * (1 << 20) + b"</a>")
    assert info.value.code == "MaxMessageLengthExceeded"
    with pytest.raises(XMLError) as info:
        delete.parse_delete_objects(b"<Delete>" + b"<x/>" * 70000 + b"</Delete>")
    assert info.value.code == "MalformedXML"
    assert xml.parse_xml(b"<a>" + b" " * 100 + b"</a>", max_size=107).tag == "a"


def test_parse_xml_strips_namespaces_and_keeps_text():
    root = xml.parse_xml(f"<Delete {NS}><Object><Key>a<!-- c -->b<![CDATA[<&>]]></Key></Object>"
                           "<?pi x?></Delete>".encode())
    assert root.tag == "Delete"
    assert [c.tag for c in root] == ["Object"]
    assert root[0][0].tag == "Key" and root[0][0].text == "ab<&>"


def test_xml_error_messages():
    assert XMLError("MalformedXML").message.startswith("The XML you provided was not well-formed")
    assert XMLError("InvalidArgument", "why").message == "why"
    assert str(XMLError("KeyTooLongError")) == "KeyTooLongError: Your key is too long"


# ---------------------------------------------------------------------------------------------
# Fuzz: whatever arrives, the parse functions return or raise XMLError, nothing else.

PARSERS = [delete.parse_delete_objects, bucket.parse_create_bucket, multipart.parse_complete_multipart_upload]
SEEDS = [delete_body(["a", "b"], "true"), BILLION_LAUGHS,
         b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
         b"</CompleteMultipartUpload>",
         b"<CreateBucketConfiguration><LocationConstraint>EU</LocationConstraint></CreateBucketConfiguration>"]
TOKENS = [b"<", b">", b"</", b"/>", b"&", b";", b"&amp;", b"&#", b"<!DOCTYPE", b"<!ENTITY", b"<![CDATA[",
          b"]]>", b"<?xml", b"?>", b"'", b'"', b"=", b"xmlns", b":", b"Delete", b"Object", b"Key", b"Quiet",
          b"Part", b"PartNumber", b"ETag", b"\x00", b"\xff", b"\xef\xbb\xbf", b"1", b"-1", b"10001", b" "]


def mutate(seed: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(seed)
    for position, length, insert in edits:
        at = position % (len(data) + 1)
        data[at:at + length] = insert
    return bytes(data)


PARSE_CODES = {"MalformedXML", "InvalidArgument", "KeyTooLongError", "MaxMessageLengthExceeded"}


def assert_only_xml_error(body: bytes) -> None:
    for parser in PARSERS:
        try:
            parser(body)
        except XMLError as exc:
            assert exc.code in PARSE_CODES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=512))
def test_fuzz_random_bytes(body):
    assert_only_xml_error(body)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS),
       st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 8),
                          st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8))), max_size=6))
def test_fuzz_mutated_documents(seed, edits):
    assert_only_xml_error(mutate(seed, edits))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5), st.sampled_from([None, "url"]))
def test_fuzz_listing_round_trip(keys, encoding_type):
    entries = [entry(key) for key in keys]
    parsed = parse("ListObjectsV2", v2(entries, encoding_type=encoding_type, prefix=keys[0]))
    if encoding_type:
        url_decoded("ListObjectsV2", parsed)
        assert [c["Key"] for c in parsed["Contents"]] == keys
        assert parsed["Prefix"] == keys[0]
    else:
        expected = [xml._ILLEGAL_RE.sub("\ufffd", key) for key in keys]
        assert [c["Key"] for c in parsed["Contents"]] == expected


def test_get_object_attributes_golden_and_botocore():
    parts = get.ObjectPartsEntry(total=3, listed=True, part_number_marker=1, next_part_number_marker=2,
                                   max_parts=1, is_truncated=True,
                                   parts=[(2, 5242880, {"crc32": "AAAAAA=="})])
    body = get.get_object_attributes_xml(etag='"abc-3"', checksums={"crc32": "h0mWVw=="},
                                           checksum_type="COMPOSITE", parts=parts, storage_class="STANDARD",
                                           size=12345)
    assert body == (HEAD + f"<GetObjectAttributesResponse {NS}><ETag>abc-3</ETag><Checksum>"
                    "<ChecksumCRC32>h0mWVw==</ChecksumCRC32><ChecksumType>COMPOSITE</ChecksumType></Checksum>"
                    "<ObjectParts><PartsCount>3</PartsCount><PartNumberMarker>1</PartNumberMarker>"
                    "<NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1</MaxParts>"
                    "<IsTruncated>true</IsTruncated><Part><PartNumber>2</PartNumber><Size>5242880</Size>"
                    "<ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></ObjectParts>"
                    "<StorageClass>STANDARD</StorageClass><ObjectSize>12345</ObjectSize>"
                    "</GetObjectAttributesResponse>").encode()
    parsed = parse("GetObjectAttributes", body)
    assert parsed["ETag"] == "abc-3" and parsed["ObjectSize"] == 12345
    assert parsed["Checksum"] == {"ChecksumCRC32": "h0mWVw==", "ChecksumType": "COMPOSITE"}
    assert parsed["ObjectParts"]["TotalPartsCount"] == 3
    assert parsed["ObjectParts"]["Parts"] == [{"PartNumber": 2, "Size": 5242880, "ChecksumCRC32": "AAAAAA=="}]
    count_only = get.get_object_attributes_xml(
        etag=None, checksums={}, checksum_type=None, storage_class=None, size=None,
        parts=get.ObjectPartsEntry(total=7, listed=False))
    assert parse("GetObjectAttributes", count_only)["ObjectParts"] == {"TotalPartsCount": 7}


def test_get_object_attributes_full_object_parts_and_botocore():
    # A FULL_OBJECT CRC upload lists its parts too, each with the CRC it was uploaded with.
    parts = [(1, 5242880, {"crc64nvme": "AAAAAAAAAAA="}), (2, 13, {"crc64nvme": "BBBBBBBBBBA="})]
    entry = get.ObjectPartsEntry(total=2, listed=True, next_part_number_marker=2, parts=parts)
    body = get.get_object_attributes_xml(etag=None, checksums={"crc64nvme": "CCCCCCCCCCA="},
                                           checksum_type="FULL_OBJECT", parts=entry, storage_class=None,
                                           size=None)
    parsed = parse("GetObjectAttributes", body)
    assert parsed["Checksum"] == {"ChecksumCRC64NVME": "CCCCCCCCCCA=", "ChecksumType": "FULL_OBJECT"}
    assert parsed["ObjectParts"] == {
        "TotalPartsCount": 2, "PartNumberMarker": 0, "NextPartNumberMarker": 2, "MaxParts": 1000,
        "IsTruncated": False,
        "Parts": [{"PartNumber": 1, "Size": 5242880, "ChecksumCRC64NVME": "AAAAAAAAAAA="},
                  {"PartNumber": 2, "Size": 13, "ChecksumCRC64NVME": "BBBBBBBBBBA="}]}
