"""HTTPS: certificates in MinIO's layout, SNI, and reloading them without dropping a connection.

Theory of operation
-------------------
A certificates directory (`--certs-dir`, default `~/.cairn/certs`, else `~/.minio/certs`, as
MinIO's `~/.minio/certs`) holds `public.crt` (the certificate, then its chain) and `private.key`;
each subdirectory holding the same two files is one more certificate, for SNI (MinIO's layout:
`certs/example.com/public.crt`).  With none there, the server speaks plain HTTP.

One `ssl.SSLContext` per certificate.  The default one answers every connection; its SNI
callback moves a handshake whose server name a subdirectory's certificate covers (its subject
alternative names, wildcards as TLS matches them) onto that certificate's context.  `reload`
(SIGHUP) reads the directory again and swaps the contexts in: handshakes from then on use the new
certificates, connections already open keep theirs; a directory that no longer loads is refused
with the old certificates kept and the error logged.

Every accepted connection is wrapped in a trio.SSLStream (`wrap`) by the worker; the handshake
runs on the first read, inside the connection's own task, so a slow or hostile client holds up
nobody else.
"""

from __future__ import annotations

import logging
import os
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING

import trio

if TYPE_CHECKING:
    from cryptography import x509

log = logging.getLogger("cairn.server.tls")
CERT_FILE = "public.crt"
KEY_FILE = "private.key"


class TLSError(Exception):
    pass


def default_certs_dir() -> str:
    """~/.cairn/certs, or ~/.minio/certs when only that one exists."""
    home = os.path.expanduser("~")
    ours, minio = os.path.join(home, ".cairn", "certs"), os.path.join(home, ".minio", "certs")
    return minio if not os.path.isdir(ours) and os.path.isdir(minio) else ours


def has_certificate(directory: str) -> bool:
    files = (os.path.join(directory, CERT_FILE), os.path.join(directory, KEY_FILE))
    return all(os.path.isfile(f) for f in files)


@dataclass(frozen=True)
class Certificate:
    directory: str
    names: tuple[str, ...]  # DNS names and IP addresses it is for (SAN, else the subject's CN)
    context: ssl.SSLContext


def load_certificate(directory: str) -> Certificate:
    from cryptography import x509  # only with certificates: most servers never need it

    cert, key = os.path.join(directory, CERT_FILE), os.path.join(directory, KEY_FILE)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    try:
        context.load_cert_chain(cert, key)
        with open(cert, "rb") as f:
            parsed = x509.load_pem_x509_certificate(f.read())
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise TLSError(f"{directory}: cannot load {CERT_FILE} and {KEY_FILE}: {exc}") from None
    return Certificate(directory, names_of(parsed), context)


def names_of(cert: x509.Certificate) -> tuple[str, ...]:
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [*san.get_values_for_type(x509.DNSName),
                 *(str(ip) for ip in san.get_values_for_type(x509.IPAddress))]
    except x509.ExtensionNotFound:
        names = [str(a.value) for a in cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)]
    return tuple(n.lower() for n in names)


def covers(pattern: str, name: str) -> bool:
    """Whether a certificate name covers a server name (one leading `*.` label, as TLS matches)."""
    name = name.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == name


class CertStore:
    """The certificates of one directory, reloadable (see the module docstring)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.default, self.others = self._load()
        self.context = self._main_context()

    def _load(self) -> tuple[Certificate, list[Certificate]]:
        if not has_certificate(self.directory):
            raise TLSError(f"{self.directory}: no {CERT_FILE} and {KEY_FILE}")
        default = load_certificate(self.directory)
        others = []
        for entry in sorted(os.scandir(self.directory), key=lambda e: e.name):
            if entry.is_dir() and has_certificate(entry.path):
                others.append(load_certificate(entry.path))
        return default, others

    def _main_context(self) -> ssl.SSLContext:
        context = self.default.context
        others = self.others

        def choose(sock: ssl.SSLObject | ssl.SSLSocket, server_name: str | None, _: ssl.SSLContext) -> None:
            if not server_name:
                return
            for cert in others:
                if any(covers(pattern, server_name) for pattern in cert.names):
                    sock.context = cert.context
                    return

        if others:
            context.sni_callback = choose
        return context

    def reload(self) -> bool:
        """Read the directory again; False (the old certificates kept) when it does not load."""
        try:
            self.default, self.others = self._load()
        except TLSError as exc:
            log.error("certificates not reloaded, the previous ones stay: %s", exc)
            return False
        self.context = self._main_context()
        log.info("certificates reloaded from %s (%d for SNI)", self.directory, len(self.others))
        return True

    def wrap(self, stream: trio.abc.Stream) -> trio.SSLStream[trio.abc.Stream]:
        return trio.SSLStream(stream, self.context, server_side=True, https_compatible=True)

    def describe(self) -> str:
        names = ", ".join(self.default.names) or "no names"
        extra = f"; SNI: {', '.join(c.names[0] for c in self.others if c.names)}" if self.others else ""
        return f"{os.path.join(self.directory, CERT_FILE)} ({names}){extra}"


def open_store(certs_dir: str | None) -> CertStore | None:
    """The store of `--certs-dir` (must hold a certificate), or of the default directory when it
    holds one, or None: plain HTTP."""
    if certs_dir is not None:
        return CertStore(certs_dir)
    default = default_certs_dir()
    return CertStore(default) if has_certificate(default) else None

