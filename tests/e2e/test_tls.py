"""HTTPS with MinIO's certificate layout (server/tls.py), against a throwaway CA made here: boto3
and mc trusting that CA, SNI choosing a subdirectory's certificate, SIGHUP reloading the
certificates while a connection made before goes on, and plain HTTP refused without harm."""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process
from .mcadmin import MC, NEEDS_MC

NOW = datetime.datetime.now(datetime.UTC)
DAY = datetime.timedelta(days=1)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(directory: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("Cairn test CA"))
            .issuer_name(_name("Cairn test CA")).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - DAY).not_valid_after(NOW + 2 * DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (directory / "ca.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def issue(ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate], directory: Path, names: list[str]) -> int:
    """public.crt and private.key for `names` (DNS names or IPs) in `directory`; the serial."""
    ca_key, ca_cert = ca
    key = ec.generate_private_key(ec.SECP256R1())
    sans: list[x509.GeneralName] = []
    for n in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            sans.append(x509.DNSName(n))
    serial = x509.random_serial_number()
    cert = (x509.CertificateBuilder().subject_name(_name(names[0])).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(NOW - DAY).not_valid_after(NOW + 2 * DAY)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .sign(ca_key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "public.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "private.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return serial


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, object]]:
    root = tmp_path_factory.mktemp("pki")
    ca = make_ca(root)
    issue(ca, root / "certs", ["localhost", "127.0.0.1"])
    issue(ca, root / "certs" / "sni.example.test", ["sni.example.test"])
    yield root, ca


@pytest.fixture(scope="module")
def tls_server(pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    root, _ = pki
    srv = start_server(tmp_path_factory.mktemp("tls"), drives=4, workers=2,
                       extra=("--certs-dir", str(root / "certs")), ca=root / "ca.crt")
    yield srv
    stop_server_process(srv.process)


def peer_serial(server: Server, ca: Path, server_name: str | None = None) -> int:
    context = ssl.create_default_context(cafile=str(ca))
    context.check_hostname = server_name is not None
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw, \
            context.wrap_socket(raw, server_hostname=server_name or "127.0.0.1") as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).serial_number


def test_boto3_over_https(tls_server: Server, pki) -> None:  # type: ignore[no-untyped-def]
    import boto3

    root, _ = pki
    assert tls_server.endpoint.startswith("https://")
    s3 = boto3.client("s3", endpoint_url=tls_server.endpoint, aws_access_key_id=ACCESS_KEY,
                      aws_secret_access_key=SECRET_KEY, region_name="us-east-1", verify=str(root / "ca.crt"))
    s3.create_bucket(Bucket="tls-bucket")
    body = os.urandom(3 << 20)
    s3.put_object(Bucket="tls-bucket", Key="k", Body=body)
    assert s3.get_object(Bucket="tls-bucket", Key="k")["Body"].read() == body
    assert s3.get_object(Bucket="tls-bucket", Key="k", Range="bytes=5-9")["Body"].read() == body[5:10]
    upload = tmp = root / "big.bin"
    tmp.write_bytes(os.urandom(11 << 20))
    s3.upload_file(str(upload), "tls-bucket", "big")
    assert s3.head_object(Bucket="tls-bucket", Key="big")["ContentLength"] == 11 << 20
    key = os.urandom(32)  # SSE-C needs a secure connection: HTTPS is one, no override needed
    s3.put_object(Bucket="tls-bucket", Key="sse-c", Body=b"secret", SSECustomerAlgorithm="AES256",
                  SSECustomerKey=key)
    assert s3.get_object(Bucket="tls-bucket", Key="sse-c", SSECustomerAlgorithm="AES256",
                         SSECustomerKey=key)["Body"].read() == b"secret"
    untrusted = boto3.client("s3", endpoint_url=tls_server.endpoint, aws_access_key_id=ACCESS_KEY,
                             aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
    with pytest.raises(Exception, match="certificate verify failed"):
        untrusted.list_buckets()


def test_plain_http_to_the_https_port_is_refused_and_harmless(tls_server: Server, pki) -> None:  # type: ignore[no-untyped-def]
    root, _ = pki
    conn = http.client.HTTPConnection("127.0.0.1", tls_server.port, timeout=5)
    with pytest.raises((http.client.HTTPException, ConnectionError, OSError)):
        conn.request("GET", "/minio/health/live")
        conn.getresponse().read()
    conn.close()
    https = http.client.HTTPSConnection("127.0.0.1", tls_server.port, timeout=5,
                                        context=ssl.create_default_context(cafile=str(root / "ca.crt")))
    https.request("GET", "/minio/health/live")
    assert https.getresponse().status == 200


def test_sni_chooses_a_subdirectory_certificate(tls_server: Server, pki) -> None:  # type: ignore[no-untyped-def]
    root, _ = pki
    ca = root / "ca.crt"
    main = peer_serial(tls_server, ca)
    sni = peer_serial(tls_server, ca, "sni.example.test")
    assert main != sni
    sni_cert = root / "certs" / "sni.example.test" / "public.crt"
    expected = x509.load_pem_x509_certificate(sni_cert.read_bytes())
    assert sni == expected.serial_number
    assert peer_serial(tls_server, ca, "localhost") == main  # a name no subdirectory covers


@NEEDS_MC
def test_mc_trusts_the_ca_from_its_config_directory(tls_server: Server, pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = pki
    config = tmp_path / "mc"
    (config / "certs" / "CAs").mkdir(parents=True)
    shutil.copy(root / "ca.crt", config / "certs" / "CAs" / "ca.crt")
    env = {**os.environ, "MC_CONFIG_DIR": str(config)}

    def mc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(MC), *args], capture_output=True, text=True, env=env, timeout=60)

    assert mc("alias", "set", "t", tls_server.endpoint, ACCESS_KEY, SECRET_KEY).returncode == 0
    assert mc("mb", "t/mc-tls").returncode == 0
    src = tmp_path / "f.txt"
    src.write_text("over TLS\n")
    assert mc("cp", str(src), "t/mc-tls/f.txt").returncode == 0
    assert mc("cat", "t/mc-tls/f.txt").stdout == "over TLS\n"


def test_sighup_reloads_certificates_and_open_connections_go_on(pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, ca = pki
    certs = tmp_path / "certs"
    shutil.copytree(root / "certs", certs)
    server = start_server(tmp_path, drives=1, workers=2, extra=("--certs-dir", str(certs)),
                          ca=root / "ca.crt")
    try:
        before = peer_serial(server, root / "ca.crt")
        context = ssl.create_default_context(cafile=str(root / "ca.crt"))
        kept = http.client.HTTPSConnection("127.0.0.1", server.port, timeout=5, context=context)
        kept.request("GET", "/minio/health/live")
        first = kept.getresponse()
        first.read()
        assert first.status == 200
        renewed = issue(ca, certs, ["localhost", "127.0.0.1"])  # type: ignore[arg-type]
        assert peer_serial(server, root / "ca.crt") == before  # not until SIGHUP
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        # both workers reload: every new connection gets the new certificate
        while [peer_serial(server, root / "ca.crt") for _ in range(6)] != [renewed] * 6:
            assert time.monotonic() < deadline, "the certificate was not reloaded"
            time.sleep(0.1)
        kept.request("GET", "/minio/health/live")  # the connection made before goes on
        assert kept.getresponse().status == 200
        (certs / "private.key").write_text("not a key")
        server.process.send_signal(signal.SIGHUP)  # a broken directory: the last good one stays
        time.sleep(0.5)
        assert server.process.poll() is None
        assert peer_serial(server, root / "ca.crt") == renewed
        assert "certificates not reloaded" in server.log.read_text()
    finally:
        stop_server_process(server.process)


def test_a_certs_dir_without_a_certificate_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(RuntimeError, match=r"no public\.crt and private\.key"):
        start_server(tmp_path, drives=1, extra=("--certs-dir", str(empty)))
