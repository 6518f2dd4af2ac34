# cdef extern declarations for Cairn's own C helpers in csrc/; declarations only.
from libc.stdint cimport uint32_t, uint64_t


cdef extern from "crc64nvme.h" nogil:
    uint64_t cairn_crc64nvme(uint64_t crc, const void *buf, size_t len)
    uint32_t cairn_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
    uint32_t cairn_crc32c_combine(uint32_t crc1, uint32_t crc2, uint64_t len2)
    uint64_t cairn_crc64nvme_combine(uint64_t crc1, uint64_t crc2, uint64_t len2)
