/* CRC-64/NVME (S3's x-amz-checksum-crc64nvme) and CRC combine helpers.
 *
 * CRC-64/NVME: poly 0xad93d23594c93659 (reflected 0x9a6c9329ac4bc9b5),
 * init 0xffffffffffffffff, refin/refout true, xorout 0xffffffffffffffff,
 * check("123456789") = 0xae8b14860a799888.
 *
 * Chaining follows zlib's convention: start from 0, feed the previous result
 * back in: crc = cairn_crc64nvme(0, a, la); crc = cairn_crc64nvme(crc, b, lb);
 * equals cairn_crc64nvme(0, a||b, la+lb).
 */
#ifndef CAIRN_CRC64NVME_H
#define CAIRN_CRC64NVME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint64_t cairn_crc64nvme(uint64_t crc, const void *buf, size_t len);

/* crc(A||B) from crc(A), crc(B) and len(B), for each CRC S3 uses
 * (CRC32 = zlib/gzip, CRC32C = Castagnoli, CRC64/NVME), zlib's convention. */
uint32_t cairn_crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);
uint32_t cairn_crc32c_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);
uint64_t cairn_crc64nvme_combine(uint64_t crc1, uint64_t crc2, uint64_t len2);

#ifdef __cplusplus
}
#endif
#endif
