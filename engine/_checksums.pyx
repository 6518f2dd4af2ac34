# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Streaming digests in compiled code, the GIL released over every bulk update.

One Hasher computes several algorithms in one call per block (MD5 for the
ETag, the S3 checksum the client asked for, SHA256 for a signed payload), so
a PUT makes a single pass per block from Python's point of view.  MD5/SHA come
from OpenSSL's EVP interface, CRC32 and CRC32C from ISA-L, CRC64/NVME from
csrc/.  CRC digests are big-endian bytes, as S3 transmits them (base64 of
the big-endian value).
"""

from libc.stdint cimport uint32_t, uint64_t

from .libcairn cimport (cairn_crc32_combine, cairn_crc32c_combine, cairn_crc64nvme,
                        cairn_crc64nvme_combine)
from .libcrypto cimport (EVP_DigestFinal_ex, EVP_DigestInit_ex, EVP_DigestUpdate, EVP_MD,
                         EVP_MD_CTX, EVP_MD_CTX_copy_ex, EVP_MD_CTX_free, EVP_MD_CTX_new,
                         EVP_md5, EVP_sha1, EVP_sha256)
from .libisal cimport crc32_gzip_refl, crc32_iscsi

cdef enum Kind:
    K_MD5 = 0
    K_SHA1 = 1
    K_SHA256 = 2
    K_CRC32 = 3
    K_CRC32C = 4
    K_CRC64NVME = 5

ALGORITHMS = ("md5", "sha1", "sha256", "crc32", "crc32c", "crc64nvme")
DIGEST_SIZES = {"md5": 16, "sha1": 20, "sha256": 32, "crc32": 4, "crc32c": 4, "crc64nvme": 8}

# Below this many bytes the cost of releasing and retaking the GIL outweighs it.
cdef size_t NOGIL_THRESHOLD = 4096
# The one-shot CRC functions run on records (a few KiB) on the event loop's thread too: a
# thread that lets the GIL go may wait a whole switch interval to get it back from a busy worker
# thread, so they keep it unless the buffer is large (64 KiB: ~6 us of ISA-L's CRC).
cdef size_t ONESHOT_NOGIL_THRESHOLD = 65536


cdef inline uint32_t _crc32c(uint32_t crc, const unsigned char *p, size_t n) noexcept nogil:
    # ISA-L's crc32_iscsi is the raw register form; this gives zlib-style chaining.
    cdef int chunk
    crc = ~crc
    while n > 0:
        chunk = <int>(n if n < 0x40000000 else 0x40000000)
        crc = crc32_iscsi(<unsigned char *>p, chunk, crc)
        p += chunk
        n -= chunk
    return ~crc


cdef const EVP_MD *_md_for(int kind):
    if kind == K_MD5:
        return EVP_md5()
    if kind == K_SHA1:
        return EVP_sha1()
    return EVP_sha256()


cdef class Hasher:
    """Hasher(("md5", "crc32c")): update(buf) many times, then digests()."""

    def __cinit__(self, algorithms):
        names = tuple(algorithms)
        if not names or len(names) > 6 or len(set(names)) != len(names):
            raise ValueError(f"between 1 and 6 distinct algorithms, got {names!r}")
        self.count = 0
        for name in names:
            if name not in ALGORITHMS:
                raise ValueError(f"unknown algorithm {name!r}")
            kind = ALGORITHMS.index(name)
            self.kinds[self.count] = kind
            self.crcs[self.count] = 0
            self.ctxs[self.count] = NULL
            if kind <= K_SHA256:
                self.ctxs[self.count] = EVP_MD_CTX_new()
                if self.ctxs[self.count] == NULL or \
                        EVP_DigestInit_ex(self.ctxs[self.count], _md_for(kind), NULL) != 1:
                    self.count += 1
                    raise MemoryError("OpenSSL digest init failed")
            self.count += 1
        self.names = names

    def __dealloc__(self):
        cdef int i
        for i in range(self.count):
            if self.ctxs[i] != NULL:
                EVP_MD_CTX_free(self.ctxs[i])

    @property
    def algorithms(self):
        return self.names

    cdef void feed(self, const unsigned char *p, size_t n) noexcept nogil:
        cdef int i
        for i in range(self.count):
            if self.kinds[i] <= K_SHA256:
                EVP_DigestUpdate(self.ctxs[i], p, n)
            elif self.kinds[i] == K_CRC32:
                self.crcs[i] = crc32_gzip_refl(<uint32_t>self.crcs[i], p, n)
            elif self.kinds[i] == K_CRC32C:
                self.crcs[i] = _crc32c(<uint32_t>self.crcs[i], p, n)
            else:
                self.crcs[i] = cairn_crc64nvme(self.crcs[i], p, n)

    def update(self, const unsigned char[::1] data not None):
        cdef size_t n = data.shape[0]
        if n == 0:
            return
        if n < NOGIL_THRESHOLD:
            self.feed(&data[0], n)
        else:
            with nogil:
                self.feed(&data[0], n)

    def digests(self):
        """The digest of everything fed so far, by algorithm; the Hasher stays usable."""
        cdef unsigned char md[64]
        cdef unsigned int mdlen = 0
        cdef EVP_MD_CTX *tmp
        cdef int i
        out = {}
        for i in range(self.count):
            kind = self.kinds[i]
            if kind <= K_SHA256:
                tmp = EVP_MD_CTX_new()
                if tmp == NULL:
                    raise MemoryError()
                try:
                    if EVP_MD_CTX_copy_ex(tmp, self.ctxs[i]) != 1 or EVP_DigestFinal_ex(tmp, md, &mdlen) != 1:
                        raise RuntimeError("OpenSSL digest failed")
                finally:
                    EVP_MD_CTX_free(tmp)
                out[self.names[i]] = md[:mdlen]
            elif kind == K_CRC64NVME:
                out[self.names[i]] = int(self.crcs[i]).to_bytes(8, "big")
            else:
                out[self.names[i]] = int(self.crcs[i]).to_bytes(4, "big")
        return out

    def copy(self):
        cdef Hasher other = Hasher(self.names)
        cdef int i
        for i in range(self.count):
            other.crcs[i] = self.crcs[i]
            if self.ctxs[i] != NULL and EVP_MD_CTX_copy_ex(other.ctxs[i], self.ctxs[i]) != 1:
                raise RuntimeError("OpenSSL digest copy failed")
        return other


def crc32(const unsigned char[::1] data not None, unsigned long crc=0):
    cdef size_t n = data.shape[0]
    cdef uint32_t c = <uint32_t>crc
    if n >= ONESHOT_NOGIL_THRESHOLD:
        with nogil:
            c = crc32_gzip_refl(c, &data[0], n)
    elif n:
        c = crc32_gzip_refl(c, &data[0], n)
    return c


def crc32c(const unsigned char[::1] data not None, unsigned long crc=0):
    cdef size_t n = data.shape[0]
    cdef uint32_t c = <uint32_t>crc
    if n >= ONESHOT_NOGIL_THRESHOLD:
        with nogil:
            c = _crc32c(c, &data[0], n)
    elif n:
        c = _crc32c(c, &data[0], n)
    return c


def crc64nvme(const unsigned char[::1] data not None, unsigned long long crc=0):
    cdef size_t n = data.shape[0]
    cdef uint64_t c = crc
    if n >= ONESHOT_NOGIL_THRESHOLD:
        with nogil:
            c = cairn_crc64nvme(c, &data[0], n)
    elif n:
        c = cairn_crc64nvme(c, &data[0], n)
    return c


def crc_combine(str algorithm, unsigned long long crc1, unsigned long long crc2, unsigned long long len2):
    """crc(A||B) from crc(A), crc(B) and len(B): for S3's FULL_OBJECT checksums over parts."""
    if algorithm == "crc32":
        return cairn_crc32_combine(<uint32_t>crc1, <uint32_t>crc2, len2)
    if algorithm == "crc32c":
        return cairn_crc32c_combine(<uint32_t>crc1, <uint32_t>crc2, len2)
    if algorithm == "crc64nvme":
        return cairn_crc64nvme_combine(crc1, crc2, len2)
    raise ValueError(f"not a CRC algorithm: {algorithm!r}")
