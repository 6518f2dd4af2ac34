"""madmin-go's EncryptData / DecryptData: the encrypted bodies of MinIO's admin API.

Theory of operation
-------------------
`mc admin` encrypts some request bodies (new users, service accounts, config) and
expects some responses encrypted, with the caller's secret key as the password.
The format is madmin-go's (github.com/minio/madmin-go/v3 encrypt.go, read at
v3.0.109; v4.2.4's is the same) over sio-go's DARE stream (github.com/secure-io/
sio-go v0.3.1, sio.go writer.go reader.go):

    salt (32) | id (1) | nonce (8) | sealed fragments

id picks the key derivation and the AEAD; the key is 32 bytes derived from the
password's UTF-8 bytes and the salt:

    0x00  Argon2id (time 1, memory 64 MiB, 4 threads, v1.3) + AES-256-GCM   madmin's default
    0x01  Argon2id (same)                              + ChaCha20-Poly1305  madmin without AES hardware
    0x02  PBKDF2-HMAC-SHA256 (8192 iterations)         + AES-256-GCM        madmin built for FIPS

The plaintext is cut into 16 KiB fragments (sio.BufSize), each sealed with the
AEAD (16-byte tag).  Every fragment but the last is full; the last holds the rest,
1 to 16384 bytes (sio's EncWriter keeps a full last fragment for Close), or 0 bytes
for an empty plaintext, so a stream is never empty.  Fragment i (from 1) uses the
12-byte AEAD nonce `nonce | uint32le(i)`.  Its associated data is 17 bytes:
a flag, 0x80 on the final fragment and 0x00 on the others, then the tag of sealing
nothing under nonce `nonce | uint32le(0)` (sio's per-stream associated data, which
madmin leaves empty).  So a fragment moved, dropped or repeated fails
authentication by its sequence number, and a stream cut at a fragment boundary
by the final flag.

A reader, like sio's DecReader, takes SEALED_FRAGMENT_SIZE bytes as a non-final
fragment while more bytes follow them, and whatever remains as the final one.
`decrypt_data` refuses, before the costly key derivation, an unknown id or a body
whose plaintext would exceed `max_size` (MAX_PLAINTEXT_SIZE, 1 MiB, by default:
admin bodies are KiB), then opens the fragments one at a time from views of the
input and joins the plaintext once, after the whole stream has authenticated.
Every failure (short header, unknown id, wrong password, any changed, missing or
extra byte, over the bound) is one DecryptError.

Cost: an Argon2id derivation takes 64 MiB and about 75 ms (2 cores; Go's takes
60 ms), with the GIL released; PBKDF2 about 1 ms.  Like madmin's (argon2Mu),
derivations take a lock, one at a time.  Both calls block: from trio, run them
with trio.to_thread.run_sync.
"""

from __future__ import annotations

import os
import struct
import threading
from enum import IntEnum
from typing import Final, TypeAlias

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

__all__ = ["MAX_PLAINTEXT_SIZE", "Algorithm", "DecryptError", "decrypt_data", "encrypt_data",
           "is_encrypted"]

BytesLike: TypeAlias = bytes | bytearray | memoryview


class Algorithm(IntEnum):
    """The id byte: key derivation + AEAD (madmin's argon2idAESGCM, argon2idChaCHa20Poly1305,
    pbkdf2AESGCM)."""

    ARGON2ID_AES_GCM = 0x00
    ARGON2ID_CHACHA20_POLY1305 = 0x01
    PBKDF2_AES_GCM = 0x02


SALT_SIZE: Final = 32
NONCE_SIZE: Final = 8  # sio's stream nonce: the AEAD's 12 less the 4-byte sequence number
HEADER_SIZE: Final = SALT_SIZE + 1 + NONCE_SIZE
KEY_SIZE: Final = 32
TAG_SIZE: Final = 16  # AES-GCM's and ChaCha20-Poly1305's overhead
FRAGMENT_SIZE: Final = 1 << 14  # sio.BufSize
SEALED_FRAGMENT_SIZE: Final = FRAGMENT_SIZE + TAG_SIZE

ARGON2_TIME: Final = 1  # madmin's argon2idTime
ARGON2_MEMORY_KIB: Final = 64 * 1024  # argon2idMemory
ARGON2_THREADS: Final = 4  # argon2idThreads (Argon2's lanes: they change the result)
PBKDF2_ITERATIONS: Final = 8192  # pbkdf2Cost

# Default bound on decrypt_data's plaintext; admin request bodies are a few KiB.
MAX_PLAINTEXT_SIZE: Final = 1 << 20

_NOT_FINAL: Final = b"\x00"
_FINAL: Final = b"\x80"
_SEQUENCE = struct.Struct("<I")

_Aead: TypeAlias = AESGCM | ChaCha20Poly1305

# madmin's argon2Mu: one Argon2id derivation (64 MiB, 4 lanes) at a time.
_argon2_lock = threading.Lock()


class DecryptError(ValueError):
    """The data is not madmin-encrypted data for this password (or is over the size bound)."""


def is_encrypted(data: BytesLike) -> bool:
    """madmin.IsEncrypted: longer than the salt, with a known id byte after it."""
    return len(data) > SALT_SIZE and data[SALT_SIZE] in tuple(Algorithm)


def encrypt_data(password: str, data: BytesLike, *,
                 algorithm: Algorithm = Algorithm.ARGON2ID_AES_GCM) -> bytes:
    """madmin.EncryptData: `data` sealed under a key derived from `password` and a fresh salt.

    The default, Argon2id + AES-256-GCM (id 0x00), is what madmin itself picks on hardware with
    AES instructions and without FIPS; every madmin decrypts all three.
    """
    algorithm = Algorithm(algorithm)
    salt, nonce = os.urandom(SALT_SIZE), os.urandom(NONCE_SIZE)
    aead = _aead(algorithm, _derive_key(algorithm, password.encode(), salt))
    not_final, final = _associated_data(aead, nonce)
    view = memoryview(data).cast("B")
    last = max(0, (len(view) - 1) // FRAGMENT_SIZE)  # index of the final fragment
    parts = [salt, bytes((algorithm,)), nonce]
    for index in range(last):
        fragment = view[index * FRAGMENT_SIZE:(index + 1) * FRAGMENT_SIZE]
        parts.append(aead.encrypt(nonce + _SEQUENCE.pack(index + 1), fragment, not_final))
    parts.append(aead.encrypt(nonce + _SEQUENCE.pack(last + 1), view[last * FRAGMENT_SIZE:], final))
    return b"".join(parts)


def decrypt_data(password: str, data: BytesLike, *, max_size: int = MAX_PLAINTEXT_SIZE) -> bytes:
    """madmin.DecryptData: the plaintext, or DecryptError.

    Any id madmin writes is accepted.  A body whose plaintext would be over `max_size` bytes is
    refused before any key derivation.
    """
    view = memoryview(data).cast("B")
    if len(view) < HEADER_SIZE:
        raise DecryptError("encrypted data: header truncated")
    if view[SALT_SIZE] not in tuple(Algorithm):
        raise DecryptError(f"encrypted data: unknown algorithm id {view[SALT_SIZE]:#04x}")
    algorithm = Algorithm(view[SALT_SIZE])
    salt, nonce, body = bytes(view[:SALT_SIZE]), bytes(view[SALT_SIZE + 1:HEADER_SIZE]), view[HEADER_SIZE:]
    # Fragments 0..last-1 are full; the final one is what follows them (sio's DecReader).
    last = max(0, (len(body) - 1) // SEALED_FRAGMENT_SIZE)
    final_size = len(body) - last * SEALED_FRAGMENT_SIZE
    if final_size < TAG_SIZE:
        raise DecryptError("encrypted data: truncated")
    if len(body) - (last + 1) * TAG_SIZE > max_size:
        raise DecryptError(f"encrypted data: plaintext over {max_size} bytes")
    try:
        secret = password.encode()
    except UnicodeEncodeError as exc:
        raise DecryptError("encrypted data: password is not UTF-8") from exc
    aead = _aead(algorithm, _derive_key(algorithm, secret, salt))
    not_final, final = _associated_data(aead, nonce)
    parts = []
    try:
        for index in range(last + 1):
            start = index * SEALED_FRAGMENT_SIZE
            end = start + SEALED_FRAGMENT_SIZE if index < last else len(body)
            parts.append(aead.decrypt(nonce + _SEQUENCE.pack(index + 1), body[start:end],
                                      not_final if index < last else final))
    except InvalidTag:
        raise DecryptError("encrypted data: not authentic (wrong password or modified)") from None
    return b"".join(parts)


def _derive_key(algorithm: Algorithm, secret: bytes, salt: bytes) -> bytes:
    if algorithm is Algorithm.PBKDF2_AES_GCM:
        kdf = PBKDF2HMAC(algorithm=SHA256(), length=KEY_SIZE, salt=salt, iterations=PBKDF2_ITERATIONS)
        return kdf.derive(secret)
    with _argon2_lock:  # Argon2 v1.3 (0x13), as golang.org/x/crypto/argon2
        return hash_secret_raw(secret, salt, time_cost=ARGON2_TIME, memory_cost=ARGON2_MEMORY_KIB,
                               parallelism=ARGON2_THREADS, hash_len=KEY_SIZE, type=Type.ID, version=0x13)


def _aead(algorithm: Algorithm, key: bytes) -> _Aead:
    if algorithm is Algorithm.ARGON2ID_CHACHA20_POLY1305:
        return ChaCha20Poly1305(key)
    return AESGCM(key)


def _associated_data(aead: _Aead, nonce: bytes) -> tuple[bytes, bytes]:
    """The associated data of (non-final, final) fragments: flag | the tag of sealing nothing
    under sequence number 0 (sio's stream associated data, nil in madmin)."""
    tag = aead.encrypt(nonce + _SEQUENCE.pack(0), b"", None)
    return _NOT_FINAL + tag, _FINAL + tag
