from libc.stdint cimport uint64_t

from .libcrypto cimport EVP_MD_CTX




cdef class Hasher:
    cdef int count
    cdef int kinds[6]
    cdef EVP_MD_CTX *ctxs[6]
    cdef uint64_t crcs[6]
    cdef tuple names
    cdef void feed(self, const unsigned char *p, size_t n) noexcept nogil
