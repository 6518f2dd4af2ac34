# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Reed-Solomon erasure coding over GF(2^8) with ISA-L, and the per-block pipeline.

Theory of operation
-------------------
ReedSolomon(k, m) uses a systematic Cauchy matrix (ISA-L's gf_gen_cauchy1),
whose every k x k submatrix of the (k+m) x k encode matrix is invertible, so
any k surviving shards rebuild the rest.  Decode tables for a pattern of
missing shards are cached: a degraded read meets the same pattern block after
block.

BlockEncoder is what a PUT runs per block, in one call with the GIL released:
feed the block to the Hasher (MD5, requested checksums), split it into k data
shards of ceil(len/k) bytes (the tail zero-padded), compute m parity shards,
and prefix each shard block with its CRC32C bitrot checksum.  The result is
k+m ready-to-write frames `[crc32c:4 big-endian][shard bytes]`.

BlockDecoder is the read side: it verifies each frame it is given, rebuilds
missing or damaged data shards from parity when it has k good frames, and
returns the block's bytes.  It never returns bytes it could not verify.
"""

from cpython.bytearray cimport PyByteArray_AS_STRING
from libc.stdint cimport uint32_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

from ._checksums cimport Hasher
from .libisal cimport crc32_iscsi, ec_encode_data, ec_init_tables, gf_gen_cauchy1_matrix, gf_invert_matrix, gf_mul

cdef enum:
    FRAME_HEADER = 4   # bytes of CRC32C before each shard block

MAX_SHARDS = 255
FRAME_HEADER_SIZE = FRAME_HEADER


cdef inline uint32_t _crc32c(const unsigned char *p, size_t n) noexcept nogil:
    return ~crc32_iscsi(<unsigned char *>p, <int>n, 0xFFFFFFFF)


cdef inline void _put_be32(unsigned char *p, uint32_t v) noexcept nogil:
    p[0] = (v >> 24) & 0xFF
    p[1] = (v >> 16) & 0xFF
    p[2] = (v >> 8) & 0xFF
    p[3] = v & 0xFF


cdef inline uint32_t _get_be32(const unsigned char *p) noexcept nogil:
    return (<uint32_t>p[0] << 24) | (<uint32_t>p[1] << 16) | (<uint32_t>p[2] << 8) | <uint32_t>p[3]


def shard_size(size_t block_len, int k):
    """Bytes per shard for a block of block_len bytes split k ways."""
    return (block_len + k - 1) // k


cdef class ReedSolomon:
    cdef readonly int k
    cdef readonly int m
    cdef unsigned char *matrix      # (k+m) x k encode matrix
    cdef unsigned char *enc_tables  # ISA-L expanded tables for the m parity rows
    cdef dict decode_cache          # (sources, targets) -> bytes of expanded tables

    def __cinit__(self, int k, int m):
        if k < 1 or m < 0 or k + m > MAX_SHARDS:
            raise ValueError(f"need 1 <= k and 0 <= m and k + m <= {MAX_SHARDS}, got k={k} m={m}")
        self.k = k
        self.m = m
        self.matrix = <unsigned char *>malloc((k + m) * k)
        self.enc_tables = <unsigned char *>malloc(max(1, k * m * 32))
        if self.matrix == NULL or self.enc_tables == NULL:
            raise MemoryError()
        gf_gen_cauchy1_matrix(self.matrix, k + m, k)
        if m:
            ec_init_tables(k, m, &self.matrix[k * k], self.enc_tables)
        self.decode_cache = {}

    def __dealloc__(self):
        free(self.matrix)
        free(self.enc_tables)

    cdef void encode_ptrs(self, int length, unsigned char **data, unsigned char **parity) noexcept nogil:
        if self.m and length > 0:
            ec_encode_data(length, self.k, self.m, self.enc_tables, data, parity)

    def encode(self, list data, list parity):
        """Fill the m writable buffers of `parity` from the k equal-length buffers of `data`."""
        cdef int k = self.k, m = self.m, i
        if len(data) != k or len(parity) != m:
            raise ValueError(f"need {k} data and {m} parity buffers")
        views = [memoryview(b).cast("B") for b in data]
        outs = [memoryview(b).cast("B") for b in parity]
        length = views[0].nbytes
        if any(v.nbytes != length for v in views) or any(o.nbytes != length for o in outs):
            raise ValueError("all shards must have the same length")
        if any(o.readonly for o in outs):
            raise ValueError("parity buffers must be writable")
        cdef unsigned char *dp[255]
        cdef unsigned char *pp[255]
        cdef const unsigned char[::1] dv
        cdef unsigned char[::1] pv
        if length == 0:
            return
        for i in range(k):
            dv = views[i]
            dp[i] = <unsigned char *>&dv[0]
        for i in range(m):
            pv = outs[i]
            pp[i] = &pv[0]
        cdef int n = length
        with nogil:
            self.encode_ptrs(n, dp, pp)

    cdef bytes decode_tables(self, tuple sources, tuple targets):
        """Expanded ISA-L tables computing shards `targets` from the k shards `sources`."""
        key = (sources, targets)
        cached = self.decode_cache.get(key)
        if cached is not None:
            return cached
        cdef int k = self.k, i, j, t, r
        cdef unsigned char *sub = <unsigned char *>malloc(k * k)
        cdef unsigned char *inv = <unsigned char *>malloc(k * k)
        cdef unsigned char *rows = <unsigned char *>malloc(max(1, len(targets)) * k)
        cdef unsigned char acc
        try:
            for i in range(k):
                memcpy(&sub[i * k], &self.matrix[<int>sources[i] * k], k)
            if gf_invert_matrix(sub, inv, k) != 0:
                raise ValueError("singular decode matrix")  # cannot happen for a Cauchy matrix
            for r in range(len(targets)):
                t = targets[r]
                if t < k:
                    memcpy(&rows[r * k], &inv[t * k], k)
                else:
                    for j in range(k):
                        acc = 0
                        for i in range(k):
                            acc ^= gf_mul(self.matrix[t * k + i], inv[i * k + j])
                        rows[r * k + j] = acc
            tables = bytes(len(targets) * k * 32)
            ec_init_tables(k, len(targets), rows, <unsigned char *><char *>tables)
        finally:
            free(sub)
            free(inv)
            free(rows)
        if len(self.decode_cache) > 256:
            self.decode_cache.clear()
        self.decode_cache[key] = tables
        return tables

    def reconstruct(self, list shards, list present, bint data_only=False):
        """Rebuild every shard i with present[i] false (only data shards if data_only), in place.

        `shards` holds k+m equal-length writable buffers; at least k must be present.
        """
        cdef int k = self.k, n = self.k + self.m, i
        if len(shards) != n or len(present) != n:
            raise ValueError(f"need {n} shards and flags")
        sources = tuple(i for i in range(n) if present[i])[:k]
        targets = tuple(i for i in range(k if data_only else n) if not present[i])
        if len(sources) < k:
            raise ValueError(f"{len(sources)} shards present, {k} needed")
        if not targets:
            return
        views = [memoryview(b).cast("B") for b in shards]
        length = views[0].nbytes
        if any(v.nbytes != length for v in views):
            raise ValueError("all shards must have the same length")
        if length == 0:
            return
        tables = self.decode_tables(sources, targets)
        cdef unsigned char *src[255]
        cdef unsigned char *dst[255]
        cdef unsigned char[::1] v
        for i in range(k):
            v = views[sources[i]]
            src[i] = &v[0]
        for i in range(len(targets)):
            v = views[targets[i]]
            dst[i] = &v[0]
        cdef int nt = len(targets), ln = length
        cdef unsigned char *tp = <unsigned char *><char *>tables
        with nogil:
            ec_encode_data(ln, k, nt, tp, src, dst)


cdef class BlockEncoder:
    """Per-block PUT pipeline: hash, split, encode, checksum each shard block."""
    cdef readonly ReedSolomon rs
    cdef readonly int block_size
    cdef readonly int shard_capacity
    cdef bytearray out   # k+m frames of `stride` bytes, sized for the largest block seen
    cdef size_t stride
    cdef int shard_len

    def __cinit__(self, int k, int m, int block_size):
        self.rs = ReedSolomon(k, m)
        self.block_size = block_size
        self.shard_capacity = (block_size + k - 1) // k
        self.out = bytearray()
        self.stride = 0
        self.shard_len = 0

    def encode(self, const unsigned char[::1] block not None, Hasher hasher=None):
        """Encode one block (at most block_size bytes); return the shard length.

        frame(i) then gives shard i's bytes to write, valid until the next call.
        """
        cdef size_t n = block.shape[0]
        if n == 0 or n > <size_t>self.block_size:
            raise ValueError(f"block of {n} bytes (1..{self.block_size})")
        cdef int k = self.rs.k, m = self.rs.m, i
        cdef size_t slen = (n + k - 1) // k
        cdef size_t stride = FRAME_HEADER + slen
        if <size_t>len(self.out) < (k + m) * stride:
            # Sized lazily: a 4 KiB object must not pay for zeroing 1 MiB frames.
            self.out = bytearray((k + m) * stride)
        cdef unsigned char *base = <unsigned char *>PyByteArray_AS_STRING(self.out)
        cdef const unsigned char *src = &block[0]
        cdef unsigned char *dp[255]
        cdef unsigned char *pp[255]
        cdef size_t off, take
        for i in range(k + m):
            if i < k:
                dp[i] = base + i * stride + FRAME_HEADER
            else:
                pp[i - k] = base + i * stride + FRAME_HEADER
        with nogil:
            if hasher is not None:
                hasher.feed(src, n)
            for i in range(k):
                off = i * slen
                take = 0 if off >= n else (slen if n - off >= slen else n - off)
                if take:
                    memcpy(dp[i], src + off, take)
                if take < slen:
                    memset(dp[i] + take, 0, slen - take)
            self.rs.encode_ptrs(<int>slen, dp, pp)
            for i in range(k + m):
                _put_be32(base + i * stride, _crc32c(base + i * stride + FRAME_HEADER, slen))
        self.stride = stride
        self.shard_len = <int>slen
        return self.shard_len

    def frame(self, int i):
        if not 0 <= i < self.rs.k + self.rs.m:
            raise IndexError(i)
        return memoryview(self.out)[i * self.stride: (i + 1) * self.stride]


def verify_frame(const unsigned char[::1] frame not None):
    """True when a frame's CRC32C matches its shard bytes."""
    cdef size_t n = frame.shape[0]
    cdef bint ok
    if n < FRAME_HEADER:
        return False
    with nogil:
        ok = _get_be32(&frame[0]) == _crc32c(&frame[FRAME_HEADER], n - FRAME_HEADER)
    return ok


cdef class BlockDecoder:
    """Per-block GET pipeline: verify frames, rebuild what is missing, return the block."""
    cdef readonly ReedSolomon rs
    cdef readonly int block_size
    cdef bytearray work   # k+m shard buffers, for rebuilding (sized lazily, like block)
    cdef bytearray block  # the decoded block

    def __cinit__(self, int k, int m, int block_size):
        self.rs = ReedSolomon(k, m)
        self.block_size = block_size
        self.work = bytearray()
        self.block = bytearray()

    def decode(self, list frames, int block_len):
        """frames[i]: shard i's frame as read, or None if not read or unreadable.

        Returns (memoryview of the block's bytes, list of shard indexes whose frame
        was present but damaged).  The view is valid until the next call.  Raises
        ValueError when fewer than k frames verify.
        """
        cdef int k = self.rs.k, n = self.rs.k + self.rs.m, i
        if len(frames) != n:
            raise ValueError(f"need {n} frame slots")
        if block_len <= 0 or block_len > self.block_size:
            raise ValueError(f"block of {block_len} bytes (1..{self.block_size})")
        cdef size_t slen = (block_len + k - 1) // k
        damaged = []
        present = [False] * n
        good = 0
        for i in range(n):
            f = frames[i]
            if f is None:
                continue
            if len(f) != FRAME_HEADER + slen or not verify_frame(f):
                damaged.append(i)
                continue
            present[i] = True
            good += 1
        if good < k:
            raise ValueError(f"{good} of {n} shards verified, {k} needed")
        if <size_t>len(self.block) < k * slen:
            self.block = bytearray(k * slen)
        cdef unsigned char *out = <unsigned char *>PyByteArray_AS_STRING(self.block)
        cdef unsigned char *work = <unsigned char *>PyByteArray_AS_STRING(self.work)
        cdef const unsigned char[::1] fv
        missing_data = any(not present[i] for i in range(k))
        if not missing_data:
            for i in range(k):
                fv = frames[i]
                memcpy(out + i * slen, &fv[FRAME_HEADER], slen)
            return memoryview(self.block)[:block_len], damaged
        if <size_t>len(self.work) < n * slen:
            self.work = bytearray(n * slen)
            work = <unsigned char *>PyByteArray_AS_STRING(self.work)
        wv = memoryview(self.work)
        shards = []
        for i in range(n):
            shards.append(wv[i * slen: (i + 1) * slen])
            if present[i]:
                fv = frames[i]
                memcpy(work + i * slen, &fv[FRAME_HEADER], slen)
        self.rs.reconstruct(shards, present, True)
        for i in range(k):
            memcpy(out + i * slen, work + i * slen, slen)
        return memoryview(self.block)[:block_len], damaged
