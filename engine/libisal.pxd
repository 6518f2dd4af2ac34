# cdef extern declarations for the system ISA-L (libisal-dev); declarations only.
from libc.stdint cimport uint32_t, uint64_t


cdef extern from "isa-l/erasure_code.h" nogil:
    void ec_init_tables(int k, int rows, unsigned char *a, unsigned char *gftbls)
    void ec_encode_data(int len, int k, int rows, unsigned char *gftbls,
                        unsigned char **data, unsigned char **coding)
    void gf_gen_cauchy1_matrix(unsigned char *a, int m, int k)
    int gf_invert_matrix(unsigned char *in_mat, unsigned char *out_mat, const int n)


cdef extern from "isa-l/crc.h" nogil:
    uint32_t crc32_gzip_refl(uint32_t init_crc, const unsigned char *buf, uint64_t len)
    unsigned int crc32_iscsi(unsigned char *buffer, int len, unsigned int init_crc)


cdef extern from "isa-l/erasure_code.h" nogil:
    unsigned char gf_mul(unsigned char a, unsigned char b)
