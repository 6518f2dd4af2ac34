"""server/admin/crypto.py: madmin-go's EncryptData/DecryptData format, and vectors from the real Go.

The Go vectors at the bottom were made once by madmin-go v3.0.109's own madmin.EncryptData (sio-go
v0.3.1, Go 1.26) from a throwaway program outside the repository; the suite does not need Go.
The other direction was checked by hand the same way: madmin.DecryptData read encrypt_data's output
for all three ids and sizes 0 to 100000.

Argon2id with madmin's parameters costs about 0.1 s a derivation here, so tests that are about the
stream (fragments, tags, flags), not the key derivation, either use the cheap PBKDF2 id (the stream
is the same for every id) or remember derived keys (`cached_kdf`): the derivation is deterministic,
and a changed salt or id still derives afresh.
"""

from __future__ import annotations

import base64
import functools
import math
from collections.abc import Iterator

import pytest

from cairn.server.admin import crypto
from cairn.server.admin.crypto import (
    MAX_PLAINTEXT_SIZE,
    Algorithm,
    DecryptError,
    decrypt_data,
    encrypt_data,
    is_encrypted,
)

PASSWORD = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HEADER = 41  # salt 32 | id 1 | nonce 8
SEALED = 16384 + 16  # a full fragment and its tag
_derive_once = functools.cache(crypto._derive_key)


def plaintext(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


def sealed_size(size: int) -> int:
    """sio: every fragment but the last full, the last 1..16384 bytes (0 only when empty)."""
    return HEADER + size + 16 * max(1, math.ceil(size / 16384))


def go_vectors() -> dict[tuple[int, int], bytes]:
    """{(id, plaintext size): ciphertext} from GO_VECTORS; every ciphertext is of plaintext(size)."""
    vectors = {}
    for block in GO_VECTORS.strip().split("\n\n"):
        head, _, b64 = block.partition("\n")
        algorithm, size = map(int, head.split())
        vectors[algorithm, size] = base64.b64decode("".join(b64.split()), validate=True)
    return vectors


@pytest.fixture
def cached_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "_derive_key", _derive_once)


@pytest.fixture
def no_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> bytes:
        raise AssertionError("the key was derived for data that could be refused without it")
    monkeypatch.setattr(crypto, "_derive_key", refuse)


# --- the real Go's output -------------------------------------------------------------------------

GO_CASES = [(0, 0), (0, 100), (0, 16384), (0, 40000), (1, 0), (1, 100), (2, 0), (2, 100)]


def test_go_vectors_are_all_there() -> None:
    vectors = go_vectors()
    assert sorted(vectors) == sorted(GO_CASES)
    for (algorithm, size), ciphertext in vectors.items():
        assert ciphertext[32] == algorithm and is_encrypted(ciphertext)
        assert len(ciphertext) == sealed_size(size)  # 16384 bytes: one (final) fragment, not two


@pytest.mark.parametrize(("algorithm", "size"), GO_CASES)
def test_decrypts_go(algorithm: int, size: int) -> None:
    assert decrypt_data(PASSWORD, go_vectors()[algorithm, size]) == plaintext(size)


def test_decrypts_go_with_non_ascii_password() -> None:
    # madmin: []byte(password), the string's UTF-8
    ciphertext = base64.b64decode(GO_NON_ASCII_PASSWORD)
    assert decrypt_data("pässwörd ✓", ciphertext) == plaintext(10)
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD, ciphertext)


def test_go_vector_wrong_password() -> None:
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD + "x", go_vectors()[0, 100])


def test_go_vector_accepts_buffers() -> None:
    ciphertext = go_vectors()[2, 100]
    assert decrypt_data(PASSWORD, bytearray(ciphertext)) == plaintext(100)
    assert decrypt_data(PASSWORD, memoryview(b"junk" + ciphertext)[4:]) == plaintext(100)


# --- round trips ----------------------------------------------------------------------------------

SIZES = [0, 1, 100, 16383, 16384, 16385, 32767, 32768, 32769, 40000, 3 * 16384]


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_sizes(size: int) -> None:
    data = plaintext(size)
    ciphertext = encrypt_data(PASSWORD, data, algorithm=Algorithm.PBKDF2_AES_GCM)
    assert len(ciphertext) == sealed_size(size)
    assert ciphertext[32] == Algorithm.PBKDF2_AES_GCM
    assert decrypt_data(PASSWORD, ciphertext) == data


@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_round_trip_algorithms(algorithm: Algorithm) -> None:
    data = plaintext(40000)
    ciphertext = encrypt_data(PASSWORD, data, algorithm=algorithm)
    assert ciphertext[32] == algorithm and len(ciphertext) == sealed_size(40000)
    assert decrypt_data(PASSWORD, ciphertext) == data


def test_default_is_argon2id_aes_gcm(cached_kdf: None) -> None:
    ciphertext = encrypt_data(PASSWORD, b"x")
    assert ciphertext[32] == 0x00  # madmin's argon2idAESGCM
    assert decrypt_data(PASSWORD, ciphertext) == b"x"


def test_fresh_salt_and_nonce() -> None:
    one, two = (encrypt_data(PASSWORD, b"same", algorithm=Algorithm.PBKDF2_AES_GCM) for _ in range(2))
    assert one[:32] != two[:32] and one[33:41] != two[33:41] and one[41:] != two[41:]


def test_unknown_algorithm_refused_by_encrypt() -> None:
    with pytest.raises(ValueError):
        encrypt_data(PASSWORD, b"", algorithm=3)  # type: ignore[arg-type]


def test_is_encrypted() -> None:
    assert not is_encrypted(b"") and not is_encrypted(bytes(32))
    assert is_encrypted(bytes(33)) and is_encrypted(bytes(32) + b"\x02")
    assert not is_encrypted(bytes(32) + b"\x03" + bytes(8))
    assert not is_encrypted(b'{"accessKey": "x"}' * 3)


# --- tampering ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def three_fragments() -> bytes:
    """Argon2id + AES-GCM: fragments of 16384, 16384 and 7232 bytes."""
    return encrypt_data(PASSWORD, plaintext(40000))


def flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def fragments(ciphertext: bytes) -> list[bytes]:
    body = ciphertext[HEADER:]
    return [body[i:i + SEALED] for i in range(0, len(body), SEALED)]


TAMPERED_BYTES = {
    "salt first": 0,
    "salt last": 31,
    "nonce first": 33,
    "nonce last": 40,
    "fragment 1 body first": HEADER,
    "fragment 1 body middle": HEADER + 8000,
    "fragment 1 tag": HEADER + SEALED - 1,
    "fragment 2 body": HEADER + SEALED,
    "fragment 2 tag first": HEADER + 2 * SEALED - 16,
    "final fragment body": HEADER + 2 * SEALED + 10,
    "final fragment tag last": -1,
}


def test_untampered_control(cached_kdf: None, three_fragments: bytes) -> None:
    assert decrypt_data(PASSWORD, three_fragments) == plaintext(40000)
    assert len(fragments(three_fragments)) == 3


@pytest.mark.parametrize("offset", TAMPERED_BYTES.values(), ids=TAMPERED_BYTES.keys())
def test_tampered_byte(cached_kdf: None, three_fragments: bytes, offset: int) -> None:
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD, flip(three_fragments, offset))


@pytest.mark.parametrize("new_id", [0x01, 0x02])
def test_other_known_id(cached_kdf: None, three_fragments: bytes, new_id: int) -> None:
    changed = bytearray(three_fragments)
    changed[32] = new_id
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD, bytes(changed))


@pytest.mark.parametrize("new_id", [0x03, 0x80, 0xFF])
def test_unknown_id(no_kdf: None, three_fragments: bytes, new_id: int) -> None:
    changed = bytearray(three_fragments)
    changed[32] = new_id
    with pytest.raises(DecryptError, match="unknown algorithm"):
        decrypt_data(PASSWORD, bytes(changed))


def restream(ciphertext: bytes, parts: list[bytes]) -> bytes:
    return ciphertext[:HEADER] + b"".join(parts)


def cuts(ciphertext: bytes) -> Iterator[tuple[str, bytes]]:
    one, two, three = fragments(ciphertext)
    yield "cut after fragment 1", restream(ciphertext, [one])
    yield "cut after fragment 2", restream(ciphertext, [one, two])
    yield "cut inside fragment 2", restream(ciphertext, [one, two[:100]])
    yield "cut inside the final tag", ciphertext[:-1]
    yield "header only", ciphertext[:HEADER]
    yield "final shorter than a tag", ciphertext[:HEADER + 15]
    yield "fragment 1 dropped", restream(ciphertext, [two, three])
    yield "fragment 2 dropped", restream(ciphertext, [one, three])
    yield "fragments 1 and 2 swapped", restream(ciphertext, [two, one, three])
    yield "fragment 1 repeated", restream(ciphertext, [one, one, two, three])
    yield "a byte appended", ciphertext + b"\x00"
    yield "the final fragment repeated", ciphertext + three
    yield "a full fragment appended", ciphertext + one
    yield "an empty final appended", ciphertext + three[-16:]


@pytest.mark.parametrize("name", [name for name, _ in cuts(bytes(HEADER + 3 * SEALED))])
def test_truncated_or_spliced(cached_kdf: None, three_fragments: bytes, name: str) -> None:
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD, dict(cuts(three_fragments))[name])


def test_a_fragment_from_another_stream(cached_kdf: None, three_fragments: bytes) -> None:
    other = encrypt_data(PASSWORD, plaintext(40000))
    one, _, three = fragments(three_fragments)
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD, restream(three_fragments, [one, fragments(other)[1], three]))


@pytest.mark.parametrize("size", [0, 1, 16384])
def test_single_fragment_cuts(cached_kdf: None, size: int) -> None:
    ciphertext = encrypt_data(PASSWORD, plaintext(size), algorithm=Algorithm.PBKDF2_AES_GCM)
    for end in (0, 1, 32, 33, HEADER - 1, HEADER, HEADER + 15, len(ciphertext) - 1):
        with pytest.raises(DecryptError):
            decrypt_data(PASSWORD, ciphertext[:end])
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD, ciphertext + b"\x00")


def test_wrong_password(three_fragments: bytes) -> None:
    with pytest.raises(DecryptError):
        decrypt_data(PASSWORD[:-1], three_fragments)


def test_decrypt_error_is_a_value_error() -> None:
    assert issubclass(DecryptError, ValueError)
    with pytest.raises(ValueError):
        decrypt_data(PASSWORD, b"not encrypted at all, not even 41 bytes")


def test_unencodable_password(three_fragments: bytes) -> None:
    with pytest.raises(DecryptError):
        decrypt_data("\ud800", three_fragments)


# --- the size bound -------------------------------------------------------------------------------

def test_size_bound(cached_kdf: None, three_fragments: bytes) -> None:
    assert decrypt_data(PASSWORD, three_fragments, max_size=40000) == plaintext(40000)


def test_over_the_size_bound_refused_without_kdf(no_kdf: None, three_fragments: bytes) -> None:
    with pytest.raises(DecryptError, match="over 39999 bytes"):
        decrypt_data(PASSWORD, three_fragments, max_size=39999)
    huge = three_fragments[:HEADER] + bytes(sealed_size(MAX_PLAINTEXT_SIZE + 1) - HEADER)
    with pytest.raises(DecryptError, match="over 1048576 bytes"):
        decrypt_data(PASSWORD, huge)


def test_default_bound_admits_one_mib() -> None:
    data = plaintext(MAX_PLAINTEXT_SIZE)
    ciphertext = encrypt_data(PASSWORD, data, algorithm=Algorithm.PBKDF2_AES_GCM)
    assert decrypt_data(PASSWORD, ciphertext) == data


# --- vectors --------------------------------------------------------------------------------------

# madmin.EncryptData("pässwörd ✓", plaintext(10)), id 0x00.
GO_NON_ASCII_PASSWORD = (
    "SFD3OGpwArgUc0Kz1qC7CDbJ3LpvZp/XSqpfN1v6uvYA++ZV1VWgG46w8Mg6pplM3+vhbUsclJsSsPSRyyDZqtDwtw=="
)

# madmin.EncryptData(PASSWORD, plaintext(size)): blocks of "id size" then the base64 ciphertext
# (random, so zlib would not shrink it).  id 0x00 is madmin's default build on a CPU with AES
# instructions; 0x01 the same program under GODEBUG=cpu.aes=off (sioutil.NativeAES() false);
# 0x02 the program built with -tags fips (PBKDF2).
GO_VECTORS = """
0 0
X0vG0SFPpvy7x0aMbBKhx4dyTKceiChdXvr56BCow7kA1hRTmPKkGczH2VAYEc4uC0WC/8qfqUan

0 100
ybNWHqNPzlRN/aY+LzExfZ3vQWqVTmqZcu0hqT4tIMYAX88eAOCHtQ8vmg5VRjrDBjw60EvPMZSjjfZLpZaTml1tfs7X+hiNYHUb
F2rL+NPakJwWUqefdOk+YzjSufV/z+M840bsqH+xvcXf12dqeR0AXF2TRZ47yrdP2/OGjiKept6VNr+zh7V5Pp7S2SH4l0wmVW3x
FdZFYx0Nmg==

0 16384
eO67kxd34Z4j7uCLSoyHuDZC/1zZkg5oHKXSF0sKdcEA7XVufoxhVy/TBfqJAhALdh2zMszszIccpLf3tLBf9ihYR012OVuicU+1
9VY3JqIJiNywhJs9dzbHdBOPjhM30SQrtB+iyard9nLM4d6VvI+7B+oYO6p6sZgfe6DdiLTC4JVPIBguRI/Kf8q+whm2HzGZUxyw
GFRq54/PkFYWjEYgcXGaAcYWixJkkcJaWiFYNd4bcQMePx1x9Tev8tu9sFLcb1t7gInR4dQhnMltW5N0WSFhgVilIb/NKzWcyylC
EVO0DJ/WD1czbEByT/4/GCGWZo/XRky/z5S7hd0My6WL+5rfhdCg3hwQ4fKGgw9UhMjDlwGgLd3ZcTyD1IBozxJQpbgtslGzotOr
wlNSn5GgaGpWoZ01izLt24zYapZ7HtQvqNKoNt5tCRKVU/oIVuIqa5BwWLyait/nr5wp1tGtZrGb3a7NVwuF8VrCEf2Kp38Lzgcv
d0LZXPkEwUowNK+brulpZvKzHEWuqHpD8oGITXat7UlheBYS0DU2Q7IzhXhnw6lGaxZ2y/Cq8sSsfRi3Cn67vtdSa+4bsf7XIvnw
Szs/9ivvwHri5EFaxIOCEccsooIn7af/6/esvuUCS53bxwBh33Y46rmu6Rv+3LD6gXowYEeyrBL7I0yjaoS8hQTSuly3foYksq9U
3RnFzruNX5hZDdDQ3rlfs+2J24U/zxCe8oYmM6gnnwyqn+ILRKKLJ8/lgWWIkoEeUlhp60IISYVVQrDhuITJ0w101Oo47bAV4NQd
pYjH4nrNVGV4lU47O9OqzTTkoogTTlSPnOaSqRVskpG0OVIWcGjNx71mIaf1BKGSEEb94P37x1pd+HRJzFSX/Y6Fg6VazQyVCNe2
WQ+6QrQrWvgMD8z4g6wgLimVmJvqhhWa0Evhmza5YlkX0kX09qK4t9k3ozSfM7aJ6Tv8XFrXnJpH0VGitV6eapiI6fU26wLvkdyb
5HlK3ILV3CpAGPt2P/M8oFykqZMykW4Hi+EXlKymJQeyDXmQhX6sDOwWpNBlsNtBbtW8+k9QUK/UU2mXvP6m8JqZ1icDbiPyCVRT
8Mgqzpg5JYSEdu+S082gSs1kkeiAwU8aVg5pOOLDxD9+oXGUUep9WMBJJOTY89zFHeu5RSSxapMug7abW1JF6vehQ0GEh/icX/T+
JxoQ7CoBAkYnFZ+rCiuv3/bkk2sJYIyzpieU/giSBFkjn9NsNoxXhQm3Kp+2hWaBWJZwGVj49h5G39+SK15zm0un8htBdj0WU8wx
v40lI4QrQHb6IAKlONIi/EaU4lH/pOgmT5IgfghfsBQhGBOUN4m63Gd9u53Lr0L2uOzraIOsQ7JmO+SQjKbDmr1O2KxE+LNgscEe
8/0t92tVJOPLp5O+SiRrmYdN2f1s9EXrK1rFBRKNdFay/7MVi8cFiAtcR7nJR1OXb+1bgwbyn1b5STBKgUUV66vjTVF+iuyoH3rx
AZ3+6gMwDaq2cCUUgnfKPuTlsalO/3Z9i8rzzTwDqKRvGN8h0C5CR6Bs0LbiEL2DuG2zLf3YqQ+zr2JNHgG0DSrD25EoCwALSVqD
cS2JowfwlabQZ1daDd4Sq5Iiw7xhqT5heIPXGe2I6HrCEJW/raOzS8tCUIl2iHAbrY7byXmVotRgaxXuSMAgqlcI9dZs6iMrxuxF
I3Z7GvcjtWvJqxKHmt9SjOMxxd1j7hPQjXOWDl65F5/TEGHa9E/5TMckLJ0kEcfNzfkn03+iY0vFYliv5n+BuZJyl+n2YyWgUXUp
DsHpf561xmbxjkzNF+A4Ek+5mxD1nQbSyYzzgFHTo/POdu+MYybsNhvI/29AuKCqVRx4CdkPv11OdWXuTQFcWyjiBBc/gt3HtK9n
OwhDuk3R34CP3LCYKM7EgTPD19OdJDGwKnxWUTSZVG1U69BMRPK6643+PjqlWGxTDqTKENoP/kAP4WH49M+t8vFioSmHV28EPFd5
gGJJDPkc5+p1W4a0vcKF7C0VwK8Vuc9dVuUITCxD/JJk+2XVh0s7H90BKLPUYUpf3tq5eeHQrg141LRdCNuf/YUHKWpOfjRyltBa
Bfdrm89ca6FTaRLWdFqcq2oNbz3/4amIm942QNo+fYcIat3THNh9dt6q1E5D6/jS4xNULq51fDFGYily3ZCu9MYI7Kl8Wx1AOqad
t0doi1OXSCqu8eXld6q4qHDRSYKI7+4lL+1xp7pLs/K047RWj3DG4nI0S5+PCAewoKIvT1fPCl+OTa5yUBDVLvGDZ1uj8maU5xYG
43dNr2gwUIKSX2jbtzfwDUMMMsVAKl8SAPSB6nkyDLgFY0UCPG6PDJZyM/Nmbcz96u3fB8uoi22BVH4YMSy2GCyXsNarRG4CE/Ua
oWIB+D0wQWk2RgE6717ZicR7HgNHgA0SIy7I99Sa/ICZI81vHjAMxW2oos04qyBTUvCsTxAowTEMRBJFqFyOjNYlTbvENxyZIwWz
mrJfb9STSz8j2n4Wb7fBYvCTO9y2BHh3XiOaipFkhGje4aNl3M3YrXFDINCSszjNYbHA/BAWlCofpCfHlkIQd9abPkNL+CwIa33l
Af3DL/t4+duFCsBppYtAhR04j+E30w857L+YFLKvuEwIxFOWBO4axrOpBJtm8FqyHQId8qbgW1JQVZNPBrsPt5I50hY1Rcu6vlAr
sns2abbCSYnmn0hBbdiehAGEK9h5tPEitO24EdzdGQTdlkJJnswkTlX5O0xPh5AANV9W54Z3Q/ZYzRbijETKJsVNc1yWcKTYKRBo
A0WojMw6gEricr5e9UQURLbS1HZpFj9h/W0Vh2tsUwm1z1bP/xO6AsR20VXzEoeHrh3Ltp+LQtpaJMU9UUn+ik/5bqYtf37HGVrP
r+JHUK8zlsGZ7W2hI7GII/bh6b1us4WeHCZl4fkgEbKI4zgMU7dqVWt8FIF5TQqXtAnhtpGj/TIiYbCIYJDfoFBsum8k3hSia79C
3ZJM/sZJ0dfgjnUvNsSJcWWpuOHppBjUL+v+/3c3EXuASqVhMsGQljAnP0hyVtGpCABU2Ax7D8qTH5G1iSuZ6htudBMDfxsNHcZh
rWRlNafbUmaYyGudIR98JdPACXBX80A3MuY9M4A4BC19oKVgtFbaf/5avwYlESFMrMgd/pHQse0xEO1MV6q9BdGEcR5Fxqx107Hl
GX03HJy26wr/9Gs/BKMAF2uEMRXMt4mrRr4RHRXC99ZySdufAbw3Whb3o6jF3wQ7La22hQSnPF7rH1cQp0T1FX0y7bXFyGQjk9hz
/ahC7gYptBDeTgyvwyN+bDs9FFQsTT7heujfuItFUQEpws3bZpbxawtKVHOwmDv5s1r+yWAOpIvKRx4jeehHqIxVCY/OH9VW9Ya5
T4sWlAqvMeF3jhr+CFs85TQPIOjnfvy/3OD38ivG/0SZFLaiY1cYMbDk9jCE2xEiYyXnh11GykB+rybF/vVRcQs0S2AmhYnJCfLJ
mHvNkjjhyrSgY5s8dWah/9Z+vFo/frzUXBAsmcVYhIC8AM75tc0u2lZwyDi5idTaoGU52VGhkpZ0lXtYD5sElT40WjzniFQNchKU
c42o4+ohc4o/cxOc/Xg+EyIQvJbjN5Ij2yfo8gyPtNzUU5USB7xqsuC73jr2x2yf8h/QMvOAt4XpSemD9qfEzNzsSN7TEFO8CREn
H5pbK51folPyWwlyCaCKhxZ24dkasAxR6IhuGLeXugbhrOTMi1GwqDZo8BTyuHFzXMe/P9e0QUDaeInl4yN3Tq911/Ia2LDKiPqC
7Yu2TUi9syWNro2qpCXK1xy7t5pQ1stI/xaH6k9zjVyAcltBJryKNNoFrS56rV5K1SzUnbjfeb4Md0pQyfmzdYWWKzO4tj9kCtKt
KqvViPC72+ETFJ89bE9D6jqsLGUqRW5CIcy33v4NtAE1p0tjv0npwiDp3hZ/bIplhWPX+BmyHVUxU2z06NLQiLu/g0GdvCggYUiq
AeOgqJUj9nCtZfPsnr0pxzLPyJpehlGljBwp3/N6+8McNdSdPza1EjNpKnS4+TBn2NUapA2XSyxr9y9ZKDuimC2rZwC69+NPTTaY
iMxq0Sj8Bxx0rqp3ad/G8rLB0/FUmBpxAYL9fIcTw7IW4XFryrlooCmLh7xipWO1pqI/mpQSS6lrLxfzxzJNE6QRuba2faNvAYHy
fpNrJKnpiWNUFcZzJh9RJqqIGrmF3DQSAW2DPZWUh27ekocrsDig6p5bMhPAR60JVxvLIhRSuAWfd9Lfg146vBPRWO26Ss3O2QLQ
lqdUyqzNGd47IWp9Aq9NnjxaHFyHs6cJ1pd3sIL52PV78QukRdbe1Lv+c7Et5LJEX5t8dpnW7x7VaZPTPpZ138qa7qf6aTjrjKXq
/h+ui7kGE/ZKgT3iAA/6AjXGoBs8rAEZaQ2g4dApLtbjK2lmAFD2tj5nx9vSHONz7EnEJiEfHHjhEe5eJlZRBSPNPqHPKYc+T5w7
BS4nxBVnRVLqPr8ALZkX/cUCczpEpIiSKU4pbeslEV2Xp2D2GreQmdHcbGqf6LeKfCFGsxxDJMVCW7LA7EhBjOEwwjozpF3EUCs4
wjNLBsUxKpmqIa33usK+YlzsPjSFF3YtluXYlxeX3dTbIYH7ga/9baSEHNZHg+pXR0e0xb18JLqHGmWV5+KAyg6zmzOA/EBORDIx
JxBgp1Z7NLxLIj9qAzCflpTGxKjkGwftBJhjnYYzbliQmybJ5mmnXcob9RZ5GC1Q4P7pn7yNf+TulAApJ8v1BPTi9/49b1BghbX1
KY52o7YBcTMoav8601QQPKDPnL9czLa43BY43mj1YjxT5pJIAQ/WfAwFY8YeEm9JrzHwR/3EQeB9LGY/Vafr8g0FAViSt87n4U9e
p16D4aRhDz2DlPaHssdsmERVJZkYFDqoZXgk6V0XDlAGDzeqx9M3INQs64z0g7tKilwLwUmP7SbZe9tLGQxp+S53pWSAGA19O9xu
j5jg2lK6lDAESyaBB2LuwSstwu+eyoPZQ/8pCUriCvsC60q2mtkyWCsG3ShQsnEVYLfQJCywZCDkCrWzz0jp8wiMK2VXOVlDgtfc
w9IDBqHTuwVHsHZ0QUc6tzJvNnCuzOV+tp7bIL8O5XGpU7Y904I5Nd3RZVb4GeKWs9+9XfXOS3BeLvsWQk8wGdYVSypj5GMaa+Np
0KHyEydAFtRHYrAtvTPzLzBahNIV6RpiUhoEW0uWl43qLH22wtuCTX1rRXMHYNUGvu6pTd68WOx4RB5rjoB9PhYSokU2wq1SDlY8
dAGBB9QTcuV2uMWDU0z59UiCviCq5QWagNW7gsE3giJrMpx66aYFz2lCi4u5RNJ3a2vgweDu8kKB+a0/CzAEPqPKzGsY2t3WSog9
U5PFbLIuiAFWfLDuoE74lDq9X0rHM9Y3fj7U/DNtYW0vaULtar8ODkk+BXOoiFf/UXjBlZOUvH+mAaikdvU8oBLcSTesbzGUz01j
aJnJ798LY1bGbeDdiFLvY97iZCjwGcOASwW+bIKJYwvyFy7QFC4KTi9x+K9vcOFHq5cQly3KDO8GYNNJn2nvtK95OjnP2EIbVnPu
0CZrQ0l9Zr+MMPZIGOZmSnWWsBX+B3ys77f41Axi4242fUcCDsr9Ub85DCklAcKIiYSqScAYduYmsX8qcw2broaQV0ks2v1TOpqr
ft9VxoinmtsE2SBSofJDCESBhZwU7GE9O+QNNdEPZATZtlF68wWnBNK09oqFgos07TTxYKNmPhzXJnNatnQeWEXZslJTxZfe1nz0
rdEaRZbjcYv/HUGmPGH0RGntVBXS2fA4YY12qwqKcJDFwISQGEB15sPcs4TxDhDV0r1a4KSxP51NwoszE6knCrHrrz24qOuEkGQ1
nT8OLqwgQiKC1uGYhgwSqUxp62/lSZI9kZdlBZ1ckrF5t+280+0BJd5TNUOCc3eHmnxZw+8TUDnpjEn9PXzLcIUR0q8urbCuPiwY
8wouiL8bU6dyix0psSAcN7oTQ1TGJg2FpHj+o1g5tOyVCupw08cnFyjyOIbEPWHWAoqGqIlLOr0UVR/D5P/NqCEmc+2njK46tAwL
0zgvu61frqg4Ls/TEHBoveoDp6BobOhfFJiO4LBdpmCMHA1CykaINh1wcReY2DaIukRqp49zeKJieVct6PeNhiI9g6D3qu6Ns500
19nRslHWWpRdV7t3O4nC06vaPDZq7oRsUAJaPmZ3zFm4s8l/JDdshhnp77P57GPiaIvmGgDiZcTR37i7PWI9rG5Y3ufWXaQ6Xs97
PMHf4RD+d7By+huMhrJlE4vAobUjbAXKJ/G6TxuGrqcIGDAy+Jl0oQpjzsYslnB/QYKDrp8S9eWn798CpgahM9B24dTA3xLtWRT9
DXpmxDqAOYbPRnFKdEqTeRdakpDlJd1h1+e8PdAPKp3vVDNl+kMK7huTxMfCA0abPmjhdVpMJkYIpfGjwgxM7p8h+rBSS8mwUjE/
rq1MnGC82kITcFRh0ewdZtOYeWpjai3//wkkOZLSze5QZHMc0kWVjGHzbpbU2SFm5wjUp2gz/xMWeJiX9p/0T3aDl7eMYoflU/pJ
MERgqBWzrN+oAAtwMo5S/bNr9e71WgX4hvCHNVmH8JBwBewj8KFrrqZAmi8eKQgeLSZ/nJg8fWJlLikqCaa3Tln8tH/7SCZNzpp+
01I/zRoX7D0iXoRJwpyCb411jDQexFo5gitBgFAf3njRZwXd8Ynmnzc7MrVjbCJeV035evtxy5k9GrGhU8ETJ6p5RyznwVq6XGnz
PaxAc5mzjlBpkUmUocM59k3KqNZ4kQ2JdVLDnKqTCrGJJOnIAbfoFhnYLuc51VP+9eKpox4c+PJEI22NuO8yMyNpAvw5lnaG7BrG
CovoUe+HvDDx0K6+1Q0Xjmhr4apLqIgJhCc9VAanwj5i0fS11v/8yiA2wbI0uVaoaudDyE7h01TfEZk7N8tutJrfrt/8KySl0EwJ
2cfGuPEXZd9duMjVPFvzW70kkGbNm9FRbCOtfL9eqB9uf2X+Secb15nLcS221JUeIkJ7pVaKdkQimT6TtySvAIsLU6MkNefCwTvS
62ZNSHt17jtanAmRRlD7l0dLszn3csTcDvPQ7l0s0W7SImtY9dbfa0oqFmxGM1M1D646sxV88AgqPsF+9I2Qb9PVdqCavEOhnoCT
Elg/vJT2RnRJEC+gzGPtg6swDFcG08aeGsZs9/r2QHOSBVR3IEudk0+v4avDqlhes6GFEHo3Yb56+qoN/9585rg9d2cuEJh14PIi
wJ2eJmImA0TXwgrLteaX5EPQ62EaNjLvwlkTfoj69N9TI1cO/wmvkLuakZci00yQt3Hr2P40F+NAvPOLmclyXiGPvH9S+Scsg1Bv
qC9uDgPcm3hE8v0qFsCA5Cxn20JtxmwkObAOe4Gq8cllLhGSB0cnPdzsq59jLSiscu7mK6OAKA5WdtgdfXMycSeeNKDM4T9rZgM9
5/uyua2lCULemKjBm87xI7ODv3fxN04UQSwu80aSbj25Tze/LJbFU6Mi1jNWp3qWRdtdPFEd+UhAmEQF2QeSvaw9UuxDTXEABk+c
G8Fzw/vNXVCG8YNZJeASmrYL/BB+YRTeuBQOfrgEUWewtAhSELpzaghVcj9UBBvOVeBEMPtogGGfxxpiCABdqb1o5R1GHb0xVGAv
BEoNEyneQ7PErZJ3IaZ0kzPlo5pzdFSq5Tvw20fl39whI0TmGomty8K6XGALdDPK1X7fRzWo1WYvMDRHrxW0s4wvH43QmryxvyJD
uafPa91eUXYz2CcIrBAFTiKwFM2gnyIZS/VveQgGff/AK4syWzbeERCyZb8K0GhGEEvVpkFbUAVHeqpYmuNzYCaYdXG/rknyS/td
au6ogW4ubvWig+SZr7QnbbmFDEX8fz2OxqjtdPD1WVl34JO2MiqafQifHNxrBAVdVsUg31LBwFCdW4ddsk5C6yGjFX2YfsOiX7c/
lckiiuQ6qRv+7g7CpJn5/Z9i7I1DPaiAGsbrC6Ayx/syGz6pHGP/rAHQVBufx7l6Z/0MzTDcjf3hyYE36aj0o/lRgi8zS17RR1jL
RexvaqHoH7PxVeCYN+d3++Up3GKqQr4i7DxCA89cAsgIVv21fOA7kcxFYC6C7c2VcZZAbFW2x4e3GaOzfjuYT6EEY4mJZ25h3Fuo
FeBGtYTZY3b/2FBzGA1B6nD9KHWG6yQZRxKLz39I33zL+2v+h2psaJwY8M/Pw9rUXEnotuJeAkuK309rE+ujt0Xat+oFFXpacQKS
Lg2F2+H+vT3QLT0IWlkw1aHHa4qFKODGhuamvZ3kYrW+9zAWNZMs2qw1O4XnUq9K+mo8UUEz0Z+uG0YM/scyKnP3krv8kEH/ZyfO
pWgXhxt6yZbI7BxafXvFjGlNToLixqV26ph6M7m8xfm7/F6jGwQorIiiztGolhIR2I4SwabX9HYTIlo5apz8izZMcftwIS3hfoTZ
hFWuwLG6uTJuPTsk6VCrt+u737pbofEcRjNA2Ml92+H6ZSyRdVZC0qR6v9M0k14RVvqyiiITMwYPIQOJslgH14NuW00zcXpyaayD
Ki2VWAI54hpbbQ3o+CtX1MDvAXXz7Ia2Rf9zFvnDp4wi8F0bc/4zMjBWuMFRvtgLLnDZz442unaV+25ISHxvb6F8gFk3a5Myyr3k
tBCQXF5mgEkVrIkNswCOpwF3YZVg/BoTAiSuT5g3kY4mPWLyqf558Fe6jCkE6iQhJpTBhj6ZM4uNiK2ApvIXHwCSU8hQ4U9k3tQX
ZwU2s/abU2oGpESgHnp1VtcUBBC2bV+dzAlrkQSFIgXgtVTIfNzqmpncTh+w+yfddW1CS6PLKHzZNnhNN6IWxdbBNtmk/rAiOLI0
LyRovV/dg6sFKTSJKFPVqIDrMhW9/sFp/B8MlOg953wK+k8YiJPYN+mv32MSGDkljOJtL/8rJUFy5zEdScwla8IoSARj+L3sobjV
NaDQqG01WbZTvpV+qOTNirhIDuiZJQJ/7ocu2+h76H3Xdkr8xMI1/No11ktEJSS8PMoXUFdt+ezuZmGc/4vB7pNYRCQW8li2lByh
+m9VT5d9MUd/j2B4fQuj4WKs4X3x83z5vNkTiuzQKLg1T4zQK6qgWCPazENw5DxXuKRWjjhnsoSX/Ti26z3LAHVl0s+bWYIRIBU0
t3/fr2NaC1ymnsFi3rdGaWHmi52CzKolYrC0AcHFitZc/q/27GA2i6lvkBXih+jfE3cP9wHgH1smZSyiZZmty5p6dsEZPYCu175L
q+N/T4ZJUBXdK19WDU61rBXvqKycS5qD3C7Viwi6GhR4Yi27zaqxJRu7ryR8d+6VhwkoFzZQetZyFc00wmDiQAjQmgc5BeMeUxz1
3oBzCEx04kX9WFCRwmneITgnJgl2lRPWeXiANb5iXfwVQgEYOmNFBClCwy3H0Q5PDOwLlmtd+ZxFcToTxW33pwlypQYrsgtu4rS8
ToJ8PjeQm1ciazArZeWkj4dpixMKoecwm4wslcNIjWi08v6a9ZGs9Su94WpfUsZ0CndY1ZqmYdM3rnG0sPs1592s/26tbMW5LeSW
aa3lxo+qLqA2UyGQVf+M98+1ahuzhyBiBkG/6vGnlZ/zgNV6w0iV0hTtXqc3u+/Dy0ayTlcJ9iVrD4NIghz1yXk2pPr5McAhCLyC
LsgULo3b//5od1RTAOTcEQMD0yLkWSCq+ezjE1o0MojO3mgJzSwVD4QmRWbnNMFbyUvRTtDrZfEFuXFnxvKoOhCm+uqmLFPD9MEx
+rOR7p/eNRSg4eaVaBgOop/11IRC6HY3jcgnOK/808SUGDgc5kPCngG66aiWFPBrX1d/CAJ/mNP5Eb0pBLSzr1wpU0zVOTOrJELH
hm/alDJ3lOCpu2/YetXRGgd8YSDr78GSLc09zFDihdTlAJ1SsuWOpiAUcPFW874Clzl+EmBQ8+/s8jyYvdQdAQudPsmX5B7JYN20
geSWKW8B8x3S16kmLQBBa3ILNNl7fwi6k+MuDqmeQoAGNV4oZnPFlLJJdOkWTNH3vXexdNX8aHvXe8v9CUjwgvlZOZSyTfRY+ZC6
HLFycivUEUlvSG/mx65ngZbniUSHSDeL8/fmOaMHgZcshi+La4LkyEJSlPJDjvXb2P0qx94Yb85GKAuKRaX0vy/2t/my6cLYMeMC
nKnrNPugw+8entD90oFS8xqm/Erdk1IXftMNDITzOJNFVpCqGpmXlv6NpNvdm8XKW+aRtDfIYe8eyh6lncNfL3Z6RLDp7JKfDPwh
CkmMjQrq4QCQ/xtWynUtggPEly7ecvVQuW7lkTX+ljQ1zBHve3vjtIbSUTkSeuBvblHxvAGYE2nFg8h7tMwIqqYuNs5vD6MWhfOO
FcCVuH4AXW9hvtd7nzi/Br+0LzwYjEVkZDwwOiTO1sSekeMmAxjE+5u7hof5z6A4RK9xS7e5qhVOFL7Z4JwZrR+yji4iv3ygIOD0
eQhYSngs4u0sUNEYkUPBawG+IL6R/AKLtv38Ae+upsyloD16mBM2/S/QyrBeBszEXLr2KO6YDqqqFzOCnll1FyBOfiIb/NJn9RT3
Ng0pKG302OdzRwznrNbxtYDW9i5dEx/Zok3yO4zhNVDMYtwwI4jWJiQPbs+yz5/KWJx/arF+sT/fsVCxs6ih7p/l7SYVtz1WUoE1
INZ7joRJ1ye2wdbpQpsOv6e8ZabV4eNFtQVqa8yHXj7V2eYaCCHAYpSl2rKsKMLQdZVfp/OHHimq8EQEcY2Sai5Gbw7z3Ml/AXS0
n09jDMkeM6Qr5lQl407pPTDWcSs5muA2qLWuOeS77MYRbIhwfxlbJuHxLhEJFNfNG/02p700D/KU3FSQGOtaxV4B1FcIhjgqN3FV
NPxtnEosmS+SmcRIl+EAD4BKSOP3MKWg1NiOE1rFO2epi7Zxxz44GPC0kmb3bh+SAPW6HaxwG4Ew3fCp4ad8aR66N5jaoc7O3dfz
G1vFmV3okjw9dtVGwN7F1ipN3Kb61FWzOSemer9GabsnUSpdnq6uNZmyuS5LR9qjhiguYrh4q/+3MvhC7oZzGrpYYRip/LoU6+ce
KurUX9ATscrcZ3J41CXI8cM27gqEeyGor8Xyd9uFFc3B2VSSHX95NgOl3zYnh5ARgJpZ7y4U+J+RqV+soypPQNPWy+J8n10COsl4
BuhLXJvL9FN7kD6SXBnHs5Ol879M+C/Aq0/uf+6JWwjc6VjC2K/A8ZKRkrFmBFJeAzCV8maPzJvyqhSOQyk7ZFZoFmEgTUSzpB25
/LHFq9Ybo7+eTh+KqABKSs18GxCTCgCltcUj3oj2qk3yrYaqbwZXaVPJZFq/HF7FispAlJ7u+Ng0GC5UZkVrQi0I+K8+JWcc0Sw7
TrH3+GQaXeBoDCflX5AMTGGmvVtEwZwCTA36h83nhBImlA195d9sDWhgSqbWPw8+xoYoRpaAmz/uTzF2oiG+R5BeLW0zbBzHNabX
nu4SA7He9YQhMYsNlq49aCr+ki2Uzsfb1nOcOzYApd8SOSd4c7ePL5Fz3+ecwVP9P9vniScO6FU/g6sYt7+ow6nTV4S7ELImBxOu
wo/1giiFwwD83GQVavyP6MMl3AbVLR/5STM+MkHtGsM8GqHgSBWfQWGDdRLlwRjEtxkkICrkxSeFZGpQUEDdikEVqTGv4och1TAR
1EMwgT7ACIQzRyeLcK/xT+1DIiOz7svfdWbu0T61j9kIpzgfCLz9oLMikztzAjPDdbsvcQd28gws5qXzWe1Q6mttPL0KACcMATIW
TOGMc4g0WMrrlHm4c/HwrZjwzHA9sNwvqYjXIKopEDThuJfTq2EYKZklEy9rFb7u/JYDqLpnMs3VxB2U9IiMa/wR/NL0SBtigOi3
oDWrpmW99fVAD5B9LljRBZTNVztcbiATF1/s+zQKkX4ObRb+KEuH2Zn39LpwR9XrO1msjj8O0+1zVPb4QFEQv5HT5kJpiDtp4eiY
zIPDL4RbPwSpE3MdcaYg4N8uzCN6QCMYT9MoDBXkBMSM3Tjop6Yk9exNWpQvlp0oOk6MLtVn9LBFE33dKohGl/gKH6FWHG+ew6qZ
yvoN/JukY6ckObKpanXXLX+IRrGv0+5ZkEcPrSsxMHzUN9r4dvqmQAOdBcijM+Sv8AwLBrCYcHsHESR5c8UQIShvXS31z98XUqyj
5G8zKEgpAwTTYldSCu7qxeNLUxuyngjVM7c9eaXrWBKsJOqjwrPI1/zceHkkvWYf+h02a3HEHKVebAqyX7n5QosYTMVMAndLhFJD
QMUQyFd/WJHefIY0MtTwDwWlsztZUwD9jlfnYoVyZw2QRT2qqaPxCYgo0KoADvHgMWyunIejRhHZmScyGEIwjR7xjVU7KzVneVA6
isQe980I32O9OyOdI0Qh6JzG9n7g+X0TJyFqQYl8t6Wa6Ol28OL24IcCC96O3VQ8SNMvm5GLRI7KimnoVic0x5g4o4Q+hbOKUg1B
wjfOsoen93JaKvKfaV35DvI65Tgxk+Zu8JhV4DsbQ83QEvO4qp3/ZKqGrrCItUOdTXZxAfXuhgwD8SWJZ7mgFOSkkrAoMYLOmek3
ZTXN1qSBvf7dLTEk8/hIRL4jlLBIeprucIffPKiEQkwPtuHmmQQau/hVS0gyI3zqXppxNd2HE6l2CNl2ZmVctXLdDuwK8ht5EgSt
LjCrRIFFxtFKWzY27pQfANvCQ3RUabyFscNMuPXEhJf8NbnApB8L/UG8aLtoufHDelH1gstOavFqy12QbfLmNbc5QymgNKzNlkum
Wtej+1L6oJRCCrwz52r+OTO7GdOOoH9IKosa6GMaOiTXd8Rd4zlO7l1sG3TxsuoD4AmlenNgFPq3WUOKQ8qscQD6ts4GzDLHF0qc
PpsffTDiFlxTHFkNM+pOf0YjtYdD0+VxK4+gZ4Bk8pxaCo8k5Rco8CEAshMaCwRYfo1QvlDHQVN27db5wEwAeceNwjow+y88IzSY
f/NYTOkLRR9aAzgxmJCV6RoUL+m1sRuGpSUPjyy478jDm5DATMfB+enOZR5c/3lYUEcmXIE1NN0PyAiMm/oXWQ4RjPoaqPitX6q2
z5L5qZUy10qrCUrWpEbQDrdS9nJvxVx9aWN1ouAnNOB3IIHQWVrzy6n8TgZnPLnCrSkjh6t26q2fZDhF8PUjra5WgyXyllcpbjZ+
igR5g877QNPROfOzVv2GvoCi32xQvX9nzYwQBkOha2kLciEv/KCi4B9jxovTRLr1yzFsQ0BAbEgy/MR5bA84mITJKc7vltYoyoOO
yZSFtE7oGg7n3+t+OqcJUyoRXX4TP+HFutJ7/ofKTqNz5eCJTiMeFA9/bAK4slQndfBCeho62W28dpCYdJ8phTUPiGPNBX5QYo8n
y/1ibnsbml8lKt0qqD748md0gEidYvNt1d/tBEbeA06/nhF6GKgxGAmUHw7LWSbWy1TccD16zGveLnDSAShebn/r2As3p9hEOaxh
dQfoQSRxy6Qd4uqKgtrDlursXiAhWqD4lSWwWdaQO+wTWgTyzKhFPnM1vv2pWrtbjao29qsvzrrRJiR+7hQD7469OZsQyrGN2EoC
Xff8Sagfy1kxRU46fRAlDDzxn5WrPJ0bamluLtT6orR6d07kTs1p8GBM82VFUfSLZuG6xn1FkCA1cfd9cTFwzLtNFncWLxzl5PV5
ODSlXaEEYLTaXUxZ2DYEvFqeCRmeo/Eok37jpB755qfPWQNIBtaOE1J5xRRp2iZF9vFQFvkX9Y96MnGztqMGa/YS1eJgHZlaMRRp
P+VMZsE+tJztENnad6CIzkZTjPXNps0n4z5YreJt9BZhJVnadJEUrIfBPnBhBBfGTzUQrjWl7Uiths8I7sPGUiv/s0Na4uDIxQlw
Xwc8K0r0MassW+2N7bsBCLe5ETD0EAc2UwYadpEjbNL9mPRkVvLOfKZY0iwumUYb+k5BOJtBRXt2GOew/ELDeS4a9358lqTKlg2X
5Ekadl80oq2Fmc7B/4OLyw70Qt0WjhcWk3AsAdMMItJHAOR1s390NKpjkV++yo//oNX5VA3/4voL94Tosa2DDjr87220k/5LNb7k
/RGQKZKAdIzUaTmKD7sRlDmaQzpI9MIOKuw0sGlOUUx7BfXig177LVz+WWhyAteFpGbxuMqbw3SaETmTIl59KqSqzSJmLw7MSWaB
/+iouP4MBPmNy4x7QSkQjmX/tLyrWtOyTt/inKl4oQ00qhCDbxR/Nd6Gt3fxZLy88n5eD/6Bk2A+S/zpvyq80fyTu/G+/PasSV6E
L8QyEd98LvqCTA+hc7vmNAlUxkR8qJklpJVxxh1E8kVkqbXfdlSh98VQ6ISwS9vr5hyaudJe7NEPHHGH8w/anxz22WdgFVB81dvS
kH+2shAfZGutY6kD72n9ovcgHQ4xVG1nqYSlO6Tl9fRiwKc12dBiPKFzOrryCNusiZvnrwwHuBUzO3V0jQbcKadh9qfJ0Dk1/exW
hSHfvQJNYRhuW3KIZGvectjLHnYdM+Sjs96K7oAg6NMEmN4OLp7PQFxcJ7rAy5Cpy0GXeVknESPVvuGTB9GIKYJbZo79bmumcM8V
/t7uZQW7+V7nY07ZbbqzqprZL/RjwKhDQI2zOnWMe+j5IOcAXpc+VQSvFEZWJ6mYI+hOKp4qDwOMDez5BDq9L4kA0/mPXiu7mla5
n+UFM+VluS1QO8+LDnp4AzTWPlylWOnebwgSqQ1Yt2JShY62JNQ7UibcSLY44+0myFWlC8u4b7OwA6zkNYjptGvyLOjrd4zXMzAf
d+/xuKAvMTqqmhcevXao4Uh8b3IlvgNMewNSAtWvLwW1ZxTRYE6BUTOzUn3NCATIs7cGu6R4Occ4XEkU8qRxhOLQ3yQPyvOf9Q3e
malJcdVW1fG6VcosIbE4+Cd1Q9zBizdV/rbu0RzHdfZTItfGUsoRzcLAFaEKC8ptijyYSW009DghwPe9s945Fp/7YEJeV5ssgMfk
j6DSSk2l9qnznWXqja7uGqpEp8dgJCAewaCxvZaSM1IiAAm8LYRvKLMnYO3kKxyjAEjjZwCBXyRVM93tx25LZtca/N1lXX2a+OA7
SpG5Egji8TU6M1GQkGwu1C9OBC76PX9c+MwYnMCIeroBGr1WZpNfKvIai/Ks8cnwflS6sxXDP1fzcpB2XCBCJGbh3eMi+R5jRudV
NBbaQ6IHzUfLm4oY5S61SKT8f07AtRmG+kxQGFHDSzoOoykPWfAi3+AwVqRXS+CbY5ZynzkgTc97vWG5zuhUdHM9upYd3q8Z1E2F
TmT++xMk3I72qK4ZMXBR//5/AfH/Yo52pB7MamVwRG0/GzuKJwDr/styfFXsFuMNgeSzc/YN+cKqItr+3SFcGTYaUlSVnFBTeh2c
8P0Jetr2GezgugPvOcoRqWKQ+Y1HlF+hfmSuqPAxbFD+ww9vpcPKa74X3wauf/ICqMeKlOkFJOXNJtWuCl7AHeRSM/xv2x0U57m/
0GKoVbWqm0KpCO3uITa7CyMzoKrjX5u4UKnZVIBb9GhH2eBw38F7+6m0Y6syoaWDyy3YwfeCiJGmDBQndwHWeGzYZeDEXGrLgg4Q
MIVU7N/ZaN4a4+gbsxTJHHtoK4IydmiPuv+kKqsbcT+ZjORQD8zAb5DpTMA5Q+UAREEty/aforJJBtAeJRV7wvGMLmxeG+dyBsi0
1QdZHDcrpBNYHbS2V9FJMA6EHICVCqYvAupmip0H+q6af6EvLixetj99Du7rfdmEhdFjY//3Yrs79qoAiVk9/iO2DGhL1qsY7RlJ
ta8r64Up/n/I+frhdFTe9ecPAcR+0jUjHQR7/YBr+HAOLwucP7cycWIqo6f1htOlAHy+BSIzDtcrtr51maaGvRR9MaDE+87h4Od+
1K/xZjMRUTX47gcGcXw8MghZNIaEyF5LTK10IrPMUPAw8xm28wynfliYzlQAe3/HlFnX9p0WexMQL3whWr06bV3Dx8pibUW+3GrG
A2s//EQ4FFdYErRBleHw2E1t+Qxk4QtkTHi/Lny5PnVtXPj2OmW3krilGsEv6LR5e1C/ZWGfFC9hcR1kSFwCZDlC5gtDxPVTXTQa
DO8GLa/K5gv8gnbmvgRoT0PrVQSy9NpKj9p395GLV/OIRkxtCqSW+MAlSonf6lFCDSOg4fmUti/zwAQFe4NCb5WCRKQIC9DB/lai
UrLnOM5S6DIPlrTujFvOi2gHURgcv4OSbLAFqXI+63yidvd+tV//+PvTR1C+Y+Kh08xS9eQIlDOhxB3cDDi4jI8KAfle02PqJgXM
MASYWRyqYi1pJyn6Qro4zpkDv20Vzizq4ryKinXuFf2KgMJmHJdfiTreyq1i+Zp28miPjKCWcnCBI25seHwKFNXsyA/JtKDhUsgT
gLNJoNKj61v/tDd+WSQeXihKrg0Be9DY9sKS+4ASGWFMtpB8euaTKdv7sqHBAiHO+boulu0ZsUSjg2Etr80RyUrg0MlJH3oRY0/C
isdvQYSBXMNRKCo1h0c0dDn5bre2GTmdp5KNxVkD/X9SrDZriHu1WOpbC11jF8o6LPqw7cP21sZ7S1W26DMBE7LRax1P3shDvRw1
tSwhjhnFkj6CrJIfEyIi/T1NA1Jrwld7nw4yxgNm+IpZLEsk1TgDW0j88evhjQVdqPbF7kkRagxqrm+BYdXBSvbdU8M8GnQS9Laa
8Z4Ay8N8JsgEYPDUqz8zmH8DMeNfLtvlrFUyUz4FQg5fZMaF/aDyXcN3hXNBDjuEXfV7ONgt55q2aZXUWHDs9J3xvfz5OIW3LoBN
kNOCkoJBkij/ks1THroQx1F9wpdQ64Ksru594OCNv4hetENDTF+ZHi2JEmmuBuVWCJKwVQlCIGLl98+7c6+WphiizufoaaA6AzBU
0W3FKi288uF1UxAqSBobyryDxtetO6QzYeQb6anVNQNKNAph4VyiYwqo9YaWaew1/RzDEnR/tFbrG+TjN3lqZEraq9g8t9/uzfGS
/OEpgvhPQfPxeB4u2beS0CCqWqaa2tTjAnBQR+z/VV6o/in6GFFfXPv7Me7GJsUE5TQJj22osufiNbff6ubQSvTtR2E0YjfiNx73
LTbhUve2ZM2U1qUCB76wPro2yKEhbVQyTK82NFOm/TGkEfC0yO/4dyfTSlLGQP5h3YG1x5qteinhZw8ahemy8+6gy5e1e4PR/ZgU
S3pGsuk9G4MJeO5nlV4gGSEtKlCQw3N8EJ5yVrB4NEngHbn99pjyJEclRczCRqbx/KIr+jwotweOC/9P/HLDPT0tuxJ4xWwqFl1f
AXaHLPQuC62o9Oh0FXiQ+f65MSmEBrqM5wPKuVu+5FyJlR1XPbMquDJY3rV8YG2lV4xi7+XJOpdtYtfzxASzWN25TR3+tvyz6K1V
jKqwfeUFF55MKFQXUey36alIoLE8b0dknlrVaaf9Ux33ouotARug9CDru5SpGPWNnjgBbWBhvfBAQpT68dWCqQlJe6BTHcnprlsZ
gwpdtVRNpnmIQB7OA1pE73BBKwxxEI8ssJm0oeW/25VZ0NYbdtwf09xGUxE2JkImHxxUNNf4Zl6RmwnEEAPyFMMWB0VV0iIXj3BZ
JE5shNXhQh2J6qpQeutwOR3f4am+KaHxColTN7T8/TW1gHpKHoJCwtG9KQOa0GI8xwDw1/ey+FWe1/Fn7Se0vYEmFY4vSilEJozz
Vm3lkzGmrazVOnluHQNmqYeFGb6fb4QW1kydM1OuAKMHw6SlZGLjTO/5/8A8NFlgr07eO6gPoO1wWxpUHHlmSFCOSFUw+8Wc+8v9
blQsURtQLec3e3Fydeh+XeIzr1baYs3XE0eabdB9PqYGdTqMzBEAMrBWR4yS7jvh0k1ANr98FqhHGyXSb5W3/rThFsPtBW4aBSjc
+sFagOUCYmmcrOEGsa1SWaWGoQn8FNmeM/P31WGrqgSwjWD91ZYtlw1hf5/xyr+TIa+ZDMjOlvpJ1s8UXmxiGZVi3cg7zT2CNCxW
f+dVmwuAc3Ht+Reu5xusXTlECSRyTlP87/uDTdOooBtRFQkQejJgYNyUbwIDBjFl+r8wSpM0rAGeteyNUUFWVcdGgEDP0oE4xrPS
gdjfpunxyq4xCthgCrXhChcbkW8h6bMFPqBK2W1uib03wfqzW4+SQVmnDCy8VgwUOoMS6bMk6tWqF01F3h3C86IsEFzB+xFhDFsi
0LTQrHXHEJ98ZYLEaE8l1oDS2fJhUbQMt448UIEj7ZRzBRxlqA1P4qGNMsBKSdK6sJGlPvcggg93EKMC4RbvAVMj99972SywIXkJ
YUxwTKkMGGcRXGIxG7i5LSv9+UgCxgcW5Z/WfvOyStwc2m2GZ/rTw2Uryf2VpfdIpMMVc/P3EGxl75yv4sBVhKy4tD6H8lq3/eM2
PealZYSGWSdYM9CiaEDgHkQ21cCm3M2HtAYoIP2wzjZoWLiCLeg8tTXalzk/vc/u2pF9MYenl8VhgQkDX2l28Dbcxrbnrp41S+9B
I1cpbnw0HKraqBhisHzgxEdK1Y5fbhsKsmZzJ67ugW8I1YgX3Mumy28huGIO/rPxdB6WbUoCVTYeoFNXBFEumXl/C8xVPDr6+txu
nQOjDfgWnAuXOI0hOQh1qHy7dUFH/5pHfHjT5S6Vmdq8ocPVEe2pEju1rAvN3PXYd3ZttFU6pm92z74RCXunMD/d5GeRlKYyfg3d
WZwa/4OHdiAKp+RHuuJhlsF8FI2a1MGR0/XeBCZKZoncfmEzID/G9pAktnzmcMc966WDdXhSvn3UJAvIyCMimn63nCc/p8Qcp0e/
BD1fSk4sZuWMHL6Y15+DW3iHkrtfhskMvbtVlZzGKRIsDJU7/ay35rb+gNqxllU3druFrbSx15m0hifG4VSy7WcgzFiFUIZy58bQ
TeQMXINoT8FzoZxZ5upaFd4rUhFUnZ0kOZ62cUs6fk04CuE7z1uzjHiabxpVlEOE+fD6SzUAa/L5vBTWAoaUMr7yBIU9CDGxFho9
IbWuzGKxRxPVxAVZ7goILohQtrcgGQPFIFyptEjXl/lw4GrzahWWzf5KCqMqaIIoEARJUVH4ndkXgJ5jtu2nzNYthTuauBX2nmVz
MVMoGCKu9C/pp0mGfo7Lz7XccJtPFdrTk9dviMLZB45muqH4eKsY/zGWWb+6ohd1yJsDBk1ly6O91QMJ2Cw/kJLPG9OlSgd+SHre
zS2H4qe/tWKRcQBaqo4CgvbEe7LLpy4niRcYG+ekpf1+KTuMguthwYqzsTGstSyPODs9JNL7o2WpC3zxy1VrSCjLsoxF3HKHDzhA
CMqeA1mTiPr9oPqIf70WC9i1/9UyLBD915viy5jUDM0nsLgnLTqhwqAesK5j8nWTd9kL7ZA+mLMQSQ9jotHyf+pAs1U8M2Etciru
o/qxGuQ0emFmiLtcCgwr0y+R0LWXwhuJ4sXAE9R6fdbJnxQVWIhfBajOmdapw6vUekOikjDtKbT3A/Ng4HkpUqfy8twB/8aNc9g9
fv1Uu3xIyUeugib1FUY84w4LCQx6trdln4dcjgh0V9DZ6mqZpaGym/+wwxVbIeaNo5hI9Z0lXV5Rfq6a2hK+KdZi1+48uR7+x74Q
MBpp+IL2Lsnbh8EzcoAWKkQz2sPX5i6EDZXFEBiIEKyIdrDerI5D5LeYtePjs6W7E8VoUUcerbalJVDtTV0Y6OC9tjIQWdMWbZYf
S/sBEOo6yFxSvyJxjkcxuN28F6snuFG5Yrhw5FUmABouFy0xmldHLyMPu+yZFOPUBJOmHtombDkObCIEill6NuSIvMunKbzRf6XJ
k+yHAsnIbJJIfIjWMAB5jFJjsX6zhKJLXdeKlsfaq3+UFBlWaoERJG0BpiDGkhygQ637cGL+QSTaOBTqSDkUUHJMcegJ8uSQC3sA
stYkSkslxFxCqbND41NBSXH7IIiXyeqfkYdbNEKtRpO5ydm3HKU0B/NpQzjnkpmcJsdCMQWkUvjpCSCwuZO8OXHE81ezuKHyQEfM
DgQaVDvPli8fCfakrPVRHs8OrSlKZFSV8rvKuRuc2PyqL5VpbZ2QF3eUUovkOIxbChlWJEPq+xIX38m9ZHlSEztLYhRWz0FMvWB4
7v3jNxVast99EqXyU8mjjR/PJS6WIzyZlglBsFIgX2CGQWgD2WVIeWbidOIg08kQMmZxT1hUNaWHUn2pT0TeV1Cjz9ak5bV6QtUu
6UmewbpoUBQI2qJKNfmhfhFmkGZkhJjrig4k0tCYLjgyioPGZlw+Mni5mFBO+GNNBYN+VREsocgU9jJWL/j49RyShUXgcHZyPJqe
meJSpmCCVhOLWQD2lZb5aeOnIpgyffAJXCEBwppGLBqtKuXLeyqAEKSpfOepvvQveoe32dg5M1cmXXEthOfgjmgfBbrahKtR6FFb
6RjRK+WFDr6kUKXl/n8Bgaf0HYc7sKdh74EeGfCNkO9xd1MXUcnQRc6DLufw/mv1OUYnhs/eqeUTM51+NiT28o/qreA+I/ZDkDsP
ToAivyCqIuaEdG1Vrc/lMkeqRztM7Okvegox3wM48suFEZD5NGU/Q/Oh09S/DoKfDjVmbDshhUBDizwhkua5B+4PQu6//0I/BH8O
Q9hQBjLCPgggHeGM94RebQgczEfdL7C3hrT0AhYCdNpDwVo8TK0aImUSiJJRqE/uMAKzfOxgDOZbk3j9tBdaoFYs8Ftip3AoQ1IX
ayYqVKk6aqswAPh6xF/7ZK/QBPnzxZyDaMBCuzD4rq+Ow9UuH3iXRs/+c8BfAZL+AkRH0Nt8DJTyi4rKgGos6DuVB4AkMjHfFs2X
aZUgwbaOQqqkTBTBIauYRn2e+tz08LhP5n+e78hKBnW5CT0mmmoHxHpPcIz7D/McgM+APMsOTpuNFDvg9yL54By/Qm/x/JV2Et+9
FttYpnXJk0z8H0UY3Qyv+2nfqoOclfLgSmZkIbebAvL8ddRqeC8O14dRpKLllPKG/Znv33ZBy3Sos4vi8gd5fSDmMafG62aENcm5
VBw9oA4DdxbcN3ZdQ4NOYjEBTPq19ywHFXOA8aqPWlkH5/rHok2l9WESdLwthyNs2dkE9cWuEnF1aDikcPyM2F4ROO+er6kk1WBh
CGDJSUWQMGDw7aunsIAQ35KqoCC1paD9zXEjt4zVP2RmCLVvafo4z6WOr/nIdyZyL+eteztxWpOBCVZ7jCRuCyjqxvu5WgqW1QCL
WK9D9CbjNLirkxwVncDB1Qw/IAX/eufWWJ8KXLWK0JVRV6nAz+ojPoRz1eg7e5MAxPhFg2sgqtOkMCK4G6CP7B0074yo2Oa+T8RU
0wAdbJcVCjBAFeQck7SOZUwMyo7mp3E+Y+Txp78o590ESh77A5a+zcdc9BxVYlqghfFwTqUg2a4QZNxKY7kzw0E3KhNdLUyX/wS2
vD519l5RSIwu6I+BiI26t7Uk2NeF1/MeJlFiDPCg31EPHAkyGRc+owMCRWQlNZoUIa5K3GkSLbuGxyPq7docltjsxjCJCTEbyhlL
tdfK9eCrWqBNcsDN854UjED597ZY++TWF2HNKsuOOrRD58BqlG2c2WQoM3xUeyDOPZYlGDZ7+IBMpP+J9gJubog9ir5dEitmxgTU
sSjebqCK0cpaV3JCr0nRAHHTldMwra9czW6JdOXkd4VGFYs7mGFVQ9zBPH4eqBxsHZdaWshxtmUGIXasYnq/V9kRX/VpisNIc9vS
apMnx+vGG3u+43AI9uv+CVIREskUpPcGwfOHZC9jNOc7onWUUueSq6yJBGmgFvSZy1tIGBuGC114yX82SJCI7jfIHMltPmkdciY0
ZsYV2NQG0V+pgmOAKSgoNX975V6w7Ug+SqkaB6w8qQnGgvlFkU4yp2NriwnLlpOWHywv8G6UmP57cIXmqIe+lhfPYGCeK4nfd0xO
XICY41nxdN/NECqkSlJvCQ==

0 40000
Fkpi9jMTrgwE2gz/Do68o2m0pYRx4e7uAHoa01b4H/8Av/lkqGcEi0jjOo+D43YpihajWF8ZRs/6Hb11wTVJ+7CNvjSeGjISpBRj
ogJvH5aMicnInnZGQxoqH+0GBWt3SH+AipHzyKXpbEExW0Nbp3vKdGTT1c56SU9STKDZB1eUa1w9VMFWrvsMTFosHmx6f4LEZKtS
v/cI+OVjYnuj7DhFMDmga3bRQGNl3thbMV4UNaZsQ028gvjG+FgKIU2iDZOMDeE1W7FI9AHUbrLwevsnMvyX6Fuva3meOPY8OVSV
VVdly8GVEcFalA18VoGeWuqy1PBeCALLYFr/UxSBwTboZ08umugCeufc6WsSMQMlVjQp3hQQ1RLD3GcBya6X1ZgFV1aIT/zTCzVM
VCrg3fgrcNWqRKx7WfLddjzMmkLIujjYb8myuWIKyXwHiQVvLqm1jkuuNMLgybQOGWkJ7EE4giFgGhVtaDudkhy5MfgUe3Bc60u9
bcPLbl2Pl4+Nx2xX14NdwG3zxs6o+W7bOCF3yT9DGBnBaIzeLUnb0rLaJj45L2mWzJ4GKYq14UvGh2bs41Jf4cEEJb6Y/nP/7zpH
mcteiI7Yabgo02tqDY0IbgAxf4W1ar9Xoedw1DJmB+6DTQ3eHWFPtwjhpVJ7GJPUxBatIzBo972AhW9Ns1SmETEtdcqq/CLZWVyw
9UMUoYKhGzgsUaI2UnVf2ys8iiA/ub2H893K5XpbN3wNL9sJ99nYeg4uVvOfy+qipxiSvtLjBeYGjkKxjn4U++zzU8PeZkXGW/VB
c+q3rcAl71ZRozL52wleVDFTif5lsIgipN534Gp4xqAydUjK4dKaMcOpw10vbyHgqQb7JsBDEkhIbQhBL90JvvW7FS94YOcgn9Tt
Po4TPWnh0/YzY3LiUrYbW5Di35ramiLXqlCm25a8jtoWkgzn3BvkRoVYbe8IDdyFhd9gO0gKNIe4KXoQGErxGRhyLQna+vEgBLEb
QjkSg1G3CbGOIGzYpy03ij7JwtKdKxkl4LcQ+07uUKM75Fe4tv1A6FjUjbcEQP+PkVkrrtDxV4X7DmxJLt356WhfNIufof0veIDj
oXekb9oeEsupMJkNKCDeKqz19KaVOcBaeGmT2oAvCwEULbf9fGne+/yyDbUeLfiAznOssrwvKsebrqZ/vaQJkrI00zvCrLG5pvbP
/rGEL8u8EL9Wf/U1HwEiZ/LQzwEpq6trbWHTAWVyVNgLgGT6gMjNu/K/Q6ft5CLKmlLycjuCU/4uokisY9xESPVSefpv2gwXc6RC
8MRPLkW6KVvX/OoinqQ/UfG652ZjXoVWem1iwnqtlALlaXdTNaAZrpPvIcdU1qYWH+kKyQ0PCXVGO8w22IPMYFNXvoWMZNn4/UYP
Y9v7lAudeuzkP/Fw+fMYGLn14/BrI0ua+OaNQedl2A4IamOW1beSRFOMmI1YSWtFrka/PYIZ4EQvq6lIbznCOnJ7eh2dmCLbUuP6
ag2RZ3Lls8Kr1uy6rXBFWGT2XcEAbCsaDSdF0SafAcQwvoORAbMOWRKmaqO9css8ALYLXsR0doQ/Ybcv11CehW93hEyfSywoM8pj
Vq28BPl6NPDJ03XqMzerP9VwirfZ4iPU07xn+YsyTCGlGFL6q9SHDuoWYlr3yaZFHWJKBt8bpjEoWIkp7u3mOb0JMsQAkwBP8SJ3
EqsE/8byG710ky/NDpOQ/ug1eWZu0ImahfeRsy8AyYnklO32JgrpOhu/F2iUpzWgNQlTa0tnYA3v5SnVq5k/TTlF+a0PIRGaHm0Z
g6FxOfMuVmmzFMXsGiNRrbgYTCAMaIddklkLLVMYrGOxoI2O800Ua+hDtQv1AcSctCVasH2kmbcemXiUrTVSkPQEsnopV6OHWkAc
jPzDIOccyxkBRlWdBQnqGRGCJdHZeu50RRCKlHAZvW3pL1EqGcxhNS//OmUSXY61cljS5jwMIa9HJEHBRIHnGn6yk1Y5nXeWqb/U
KMW+FZbKQVTC/QuDwkummZr7fk7pXz/CJG0uHIazhtWqF3TXedIAn7gincyNArlmEA0G5f4vJuFuYRsN06aRJBY6oAjY3nQP1hW2
eOoNSsT2vQDkkXsAxHpmuRYB+/nOirOXXGVJXs8/vYan4UFJrgBZ0wDNgHaD5sG2l71E5F18o2obMFm1hvw5fgStxB3aK8DXHFwL
qch/Zfgq72UqflVfy64tCeSpXQsmEH0fv3vnpHUgT8hHfGXyJvBIvYCX4zONNpsnPizZPvShLuJ9rCadMPhqIU3FyuRjF0Q/yGuU
85gBDnL8UvnDYk3Umw4WBuoZYGU/8hV81sa+DDwNoxHCx44y4o11IO4QTW3VhR5/FcdzrTdi2jeOMnHpwUdLQv4n7XUsN+ju/cld
t+6bt0V3xxJZNfya9ePN+gDnSF53o5DTYo1SygNvDXK7zBBqpA9vefKaeBu4DnITFH+8uhjjnjFaZkgeM0AjdYSJiS3s4YsWjKEq
2gN8iPdEo4U4brgKBUF4RKGnJyW3xebxPVJROF+4oa7GzA908zJgP2kR6XfS6n/PvVdlswnF8vrAVcsEiwZ+/8bj3iN7XwoQuIah
bFIN8vYZxPpJpDQ1SEMS55FDCx5uSCAbA+UA1bmXbx8s1UTyYE5AkW+WKjePODLGm2oR58L9hO9vvpIVf+YgkIL2f7OyjyZZEiLk
94l2Wxq+EehpToqgv1WEAGRz6h6Kn08fGRLp+/iPJyGsOuNoC0iij/eVuYRzSU4KSfgRrdjHyutuHbo8SYO912L5EcxF0bn8t9w/
PF8dGOzitE8iTa5goUkyg2m+LhTkBkJ5bElsBB+x1Ai2QZWXc4oDlsO+AtiTshSsCu8hITJyzJP8nTnNwVLLb1F84w9tYvk4l5zx
gdts87a5rnAp9N7LIxjXBNBfbvsNsz6Mt/i9b+XtaWFXKw+XDZhnrBFu9OcPPDFIFzTUOdya3UCTyAjUXh+VEGw03Ra9NiPsHzyY
YX/q1bfZFi0mxL/ajb/m5S7zMFVC9WmcZyh8iBdq0erELgpyZeFklG/lKjdKslJFOGd9nchj2fSK0jXuDe+eKfIp9RJih+/DNuk6
3Nc5RR56DBAKPwWt7VV6TYlut7oGrKe56QtCaAxMhktUx9wR0PZAZ0mwMdrhUpJgZkvJYdxK7uXmTgWvavmjou935c3B9HRIutD2
LCjpyVnQMSG4s5VL7HZ4rqMXzbd3Dl+wuDLEQMMmiyhtvE69/RF4N110ffxe2bFqfCtJ0W5p1BamMfCT2/Ow313i4rv2D7ptCuQf
9s/UiC2y+j68NPHlC9w2G4JTiSVISwQR7k/PGc2SBnC5BrTaeTUyhBmIgHpJFegtdAXQISqFKMjkPvRBZYisedNl1PGAoSf0Hz4P
GJzUY2kc8aU1OVlZqlTtZEwu1PxIEXeY4t7I95BB9Yjr8l/Gv4/0krHbRmyK0QKFUYg8PpV33ICH4qvxPskuLbgDmyJnTKLFsGSs
PPX2gH6F4JjYlQhbe7ZgadrMrt2xgxccvBPClhKBWp/84I4o5f8i06HPSfeNBKasnFqCOuD8PQdPWsa2SYCQVEAvzbraijwgaRYF
7mWBTuqtZXJsMPxxdK6cO4kVLlYyUO2l5UuIX6uYlA0JnR/BCF4FFpFqtr/QNuJJ+m+ZYvjvJn6hsMQ5DgDkxLc3rEbjNpKQnYBk
Q/YXqZLt14OZteLcgpfXuFyB3s0yNQfEAgleFPEXXqZQunzToRuY4gV3KTjbM+Gbf+VkeJEppxGZmz6ncxg8FeT0qUpXK6vEeDEj
NBavPz3oAZPahxyAY5CPYLfeSZyR8NADDp0J6DgB7jtizTxMOAb1esTcE5JeCt1o5x70sYM/v33z+WtBwdzJiNYabvi77Xl/nAra
hEUFPumxzelDNGUcu5moIJWoqInq8wyTrvJgZI0Ozu1/SpmXdcawrVK+NprSKKWrHDZIze7k5asxhWqImAMrRlDlxVm7w9XBJCA0
6N6Aa5lGQd1b5Z1bTgcrCfPorp+aEtumBbRarJb+LzEEu5d5ZiyDG/pOCAJFsrxbSZzqk6DFCqqO/jN847iokSN4VNmstpR6dXgL
m+cwVXi4SI/ljE/Q093LEhgdxorEG1VRZ9LDkB+q12Kz59IPzmNIRKRYs6R2Sjk6WN6ZdpmrQhQhc7fxpD/VFpAH57epjhKcaR08
K/mIgEvbXfZYToliFAVjYm8RROQPHxddWYxyfDmAxrv0ewvM3p4bGwrQZh5qIs1ZH1QteqUrxJOjnKkQ/vHHypxp4hRso4i5FJ3h
CWeaQsOYkAz9OjuCEh0t55SLBMuUO2YKD3jpFgafn/6DLVS4R0/SAVBBn4VGLPiHzwflifVm2C8LLRjseEOgTgt0XqQtYMT3j4Ko
gayl6y8fKsxv1LGKhdR/OTkCmOPG7Zcq/UZghz0uZUk+TfXEeBWWkrKvbbMDHdLPxorHoneTH4KTFUg6I5FGDj2uhRNB+EsbHcNM
ocDuSH9/TOd/GHn1peKzZ4A6SE66wO/+YYr374036PFhAbymrazDmrJF9qHSlsUbb7qO+7RF7cJoYtAduAovFJZsIPBXLfO1JXGL
5M39uOaE5QR2Up/dUPTd/NRzBeSfN1VgaKPs2Daxy76CF7rJgNSgasxI3K35U4OGQf7Qskq3A3a01uy6uge1UF+QkqDbXEg4zh7N
lGgy4il3TUiuwI9IN1A+C0xtYDdQQW4jc/+ky4WSjiPLvWFhx3nl/785Uqk6GLNMViuK3AHeevgJhXfh1YEZnW4Ddp8Q48AKJ/Ez
sqi4YZCBa/kItC6bv2bXEGO8/bUReOPSdkx6ITN3SiQJ7KrrbjK/p1Z6vmHzZxgQRXkvJWqRt/3AJKZXrtrZZDE7p8oeb1R811Pa
ESjnuiUm5O4bDGl6VT/QiscCqY9UoDdr476vNZoR/IHQyOFMn0Dt1M6CgreKlD4V4/6eA/ozWj3zoxb9LP+cQ9X/Xc+w0kxQUglM
XPPWnDuZO0V0D16UfqJ5WvPt8042jwumPETBcXXIknUdF53bsyWF1UHFNnXi3KG9WGikHy1g4Uf1k76pH34As1J5lNbw1gKzBkoj
npHwONIsLbTBNhRkk8R3rchzKurLfaa3+OhqVvedD24vCpjpGvbgrhcWmSz2D0LUgFN5ufUk4k40ivZB/yMdMVqy8V079c4rVswL
kVqd9D6XqNHWWR02kPIOie4xzl9c8mLvZ9pwzvApPx5nwh1Tl411mk+dNZJtomoRu+lOMCEUbq5b+8yfND/Zuy0bMlADC9ivxKg8
k7Np8/mPhsZypAZr2YnYyh7zaPNB0HcpaPEURiZdkbnnmKTvhHHflkxXgt+rm+GHxJzxH+9fxhHDrTykW7Nnq9tlPf4SJmkGGsBN
W/hqxP5s0EAEO5ijYDHgBH0Knv/Xhv14cqPLJ0DIbfGyb5tTvokl5emKUmDyf6frnhHhCudUoj57D8NqBKc63GPBq3rFozQHPxva
GqPUIwCAhi4yTuxhcXf/Mzgt9eiiC6b9Q5lPQI82NrtCpo2SzpMPZ3dV6RUB8ve8A/Q+a7IfWVEy0f1lrDFJd9WWNDzVcr5a9f51
jeTUn2YoxmN1TrUEwoPHmwwJkiEiaXe7Yop31TunjvYrnSAK1oXGjy9zcavsAXj3zl/DUETks9Lo+42BKC81e8hWW257ahKATCML
MXYcOFHdpvAyzMRsJj4tNJmGD/dUDCiPHg6hKtkqekRw6MbGYLoN3gm2VQ8cMm7EzA0OmzwE/5sdCayjWTT4tbTKN+UHqWvrpCAC
wGcIM1tYDct8wzq6Co+FpO6Aq2n4yC3W+4U6taoa/XgQSWvT7TKQk/uVj/GIx6CG3jiwkul9i7e2iDb+v+o4UeIFiV5hrGgXIAwU
C+yyrmfBXqoSvajU1wW5R0RYJ/rR8bS0adaYNLr5ir6qspxu1VsZb/Ex9QOt8PmTwaIZbBS3SVrc/jDIEoAk04deSVyanaETc6Sd
zM81jXBXvzmajYvMCjn7ygLwnJApSfTa0V6PWhsyob+fY6ekcbPJ8olMNyJrrLIwAVWKzbC+5IIv0Y4NNS5Pw8PEWlFTdRqZrrPZ
cCcD8IBvZ+/Uw/oXLYY0wI86Ah7bswLHNEoKtzQUTPoeIyBtCoRAfln2ZmFgoKAxuCmaoTVVcc4D3o1/4s+hPztJZqAHxuG9dSVD
nHjuaQ0bDmm6E2WVT0IIab6XUzzldHKG+T84goWkkn5Vr7GUrzehy9cat1Eh6IHWkFq8FYoo+EB/kNGLEhEaqpyd3TN7f6mRjXEb
RMTE0gRx0mq2PbLXsrespZ6r1FeT4yNlksSVVsc2AHvmhv4pHTRzNqtd7P+qybbw2PYiY27Gc0vRqeaZ7OSlKF+Ol6P/fPWbNp7C
8kZzuxHkzigdMwoW28Bo2EuaJV9zbZjW4ulrkN5SirCd5Bu6koT2e2gBmTd40HSjwqnSvBuP/WwGDfWyhVy1LPO22pZyHK1PMPis
VWyagslTSGlo7xHLlHob+pKm31u8fj0QUcIJcyf7P3jbq8fgj//zbYE70dJCU1wOUMnTR2/RWm10aD/nSsBR3s+y20I6iqIwa3zJ
QuKbWAAnsahIV7kdFYLvfInR85zGFouUyyhUwHitVO2S7Mw0UNlwEZTuhRhglz5rqhZ4Bllom0qQ9SI5s5y5bn2/ZtD69IWz83WT
CQBCmRtOlpKjxSlm/Iq3SLnuRfrahHrjPvC4Dy/j/1h+nTvYne6KbXFqvDibR7LvjKaDmAhXWq2R1M0HZVlWIRHJRIcMQ/JxYzZa
WQOg5zq5z41xJo1nCykqFF7vKK42HTS2xQ+Cr7w8kAXaacdEzf4UGAXWM2y+MmVR8nOjOvwkZDAZKO+kFJ88y5lCXJBUfWFaU4S7
FSjWeDkEi4ambsAfAiru6703c/nJk6rqniNaBB/Qi18O2LDB8zinj/k22L2wH5K0u2lpQmZkZ7jWMzum7w6AU167n9JboDrsoVpT
+ZzoKSwhBUMJBoVF4w9db04rQ+WOY4bFUguZmZ6XD9WmwMBIVwVQ9hTE2dWNahernyD46rchqWaOYaiOdCCehnzmIZ8JS/rhoVIy
qX9T3KYl8a+dY5EQA7KWJ2Rksfkmwysa3um4SBz8dAPUfMOG+8hpiO4YgwIMiaM1Kzib8MpgNySTB4Mq2xjb7LI8YvmpduBqjDSd
qgAjawNdPA3dyzXFTtxSs+ziEGMau/soRT1+Pu+FMqNeK/34CQvo1toY0CyVv3MEfb1NiTYvi7mCK5AyqygkzXQaPAJxTBgtaCpc
SWELpr87YlXuy9Mkqdt7TmVykpFJ3YokByWjOgmlNXQ+S67CBkgZ4o9AR7F3gyXNif49+vUJzYg9yWvsDpPipOcnRTL2veuFYS9r
MW06mBNBsZauGkSoE9zXnNrjWptW+zgqqXnLAjA2WxsKUhjV+v8OjrBlDDl5OlHKFbBx0kRIrbSArnL2+wZEijkLdyvk4WU4dZlB
kGhLGb9MOB2pqe4WGjtreYT5sgiqSBAKAMOmKA63ViXEHvlAIQkOFxKLbO6GddkX+J1z8o/Hii6xt76eLJIHGo+O+7Ae5azoKCe2
gL2q+ixBHWzrol0PZGzGC/MmfnJYIXm6HUY1pTumFFwpjOtu7hhOTW20lMRchvEbaGLPgrXbkdI4tu/dz7RMOq3r0Ia5l0th4Kta
UNs11ZPViVLuJbyRxfidI9YxYxuD61W9Lq0Uye30uh/L06Q9HNrENcbNXsvyRxRCleVQVjwG4rxTn8NwL/gZ/BpIniRHP0McaAJU
oY1iiPo47cww/2VLrXDWGJ5eiU1/1PHk6q7/lVCP0EKvlmzE2M6U56krOJcG9YdKkUaU49TRDOz78ElhDDbHasByyqyZ2UeZ2Tph
iMWnCxJAXX7UVxxAq/VxcbpazK6QM8IlSU7wIiPlpIl9mgc4+GteeLPk9mefqJYOF3p+yWecf+lKo6X6rfv5dDPaRAdQpBQEUPID
i/8MUdefubQwOtqBhqaMe1EK738HlEqNCsIVnEjKvjHs57xEzFh4CS54RzmOHF2r4Kp8M7Nni5I0a6KLu2sy9JMuE3mZQD1q/KtT
aZuG3Fb+X6EFP29FBWNgMUZh8Y2pEXrY0upj9TsViRxi5Jgi5pg+FYuMoaJxy2uxxS5FA/9oOram7bXxTN8FHmOKfykjW3nh9FlW
FCmzwX8zQ9Ps9FtxiSHEE2iYFfUsQnzwE54YOtGelQ6APsukIm4OqHVjh7sy2itYs/yMHaZOQDSR7ydzIN6cgLExadIRk6x3CMtk
G0CPuRDlfzlDrkXiTxox6mRwF56BauYlcmoOwbGyZYZELFxV4DfAyN4Wo34Ich0HegH89lJAn4FMA7bZcsykFt9slobD/CB3wBqt
eW0YmGesGENBmNanarUstwECz/ikhKercOXn+YSo+CvgQ8jXfA67g74UzQA0uv44LXhq/JvbZ13AWGn9bblU+r1tJ1EO9EIp88la
CRQQ9QXqd15FL4PGeYzkP1h2tBsdCW1GvmN9bcFz7KfLQ6tyNTiaiuXT48N6FfCAZyLy+YUgkRMeVwubhdF2o+t3K99tzoVXOvIl
gtQQWuOcW+1W4rVp93/3xh4LmAoYbgGxaAMmBrh90hEiBU9dck+lcCeIqs5j+VoeIZN3imqfhEk3rb8F2mAosEkRsmrgEI03NY/z
iPIqXghdHmOg43UegwSy8UDAsNpK64o9DZRmgn4xOIhWBtyNss7KYvJ3f3PRzmTdBGaVp67xeFHDUvSFxh6E98DM7kLq0GNvDefn
ivDfz5pyvgIop63Vc2SGbaSVJ6EXsTpSfsPZaN+2euybVvYa5dTkTbuDQZ6AWAmRGgWNZtmuC6+tv4KSgmCWf3PN77AOkMnAUfdK
Pn5jnPZ3lPKqoyH0NKvnNdVNU/r/n7dzCXEFLoMAX9NTs+33HiCI8iK+YQfVrI/OoRhr2SpmZcKbZ0C0IYWq2YB2tBMfIFLMOYTv
mMvRooARx/FyjMH9Q3slXV7UoYZjoubyIxg5a7o7eIl+kr3DlXGOJHeuCbgpVnAr2M8pNjU4n4QM3uHfW1HO3zZxxdVCw+KhP7cE
6TPAgpyspIRfcRWkeWZ2WU/FYqVIJ1zWcoOTiLu98sGrI6hjfoWbwjx6iOg1saLzvYlOIzF8bbEDk/qv51DNO+WaeiLsOvsZklqN
Ft7mZfYrXduD+ut2hJrZLcKPlXADjK2f9zyj8/IXHoSgae6c4xbWa50o6JwczY9wr6CFmtfhQkDlHO+024/qhr19lmeTLqzaKZT6
xmlvRnxxpCLA5wK6ajKBHgCQuqzINBy4m0D5Y1YEV8CyceQ0enrCz1QGuw8Nz3Bit1XQ+pEh3rxrNEq0Hqv97s+4/h6sywk0lpCf
XpNHKdnpUzQb+xSLTw9XQyZ3eEWFNyhRiuEDXA9ndvdDYz+2sfoRApOagPvNsHRxeO65/ofkmVv9ma+xjv2uLaRZY0XgNYMlnNwH
zAxSi3n80m8MplkTK0NNYcePrZiWG0kCOd6EQpg+/ZApS8JTiJay7tXgLBV6dEZrHUNfIbGDD3uNtfXti56CgH5c0/YVhqhYl0S2
OBZsDjh6S6y6Ut0bUH39yJwtXSqxRajU11zsw/d+io/hnzhqQQI/mLCcUeyu2O7MBE2UddbQu+r+vC618PdspfLxECXPnPh/6lF8
QKle7sXfcGKaLM//YV03Ondy6CB9/xf1F1y3kliotALXpoHjOBu9Z3d4kLJWugRcr0k3uJenzbfpIphSv4GhgBDoKmhGQB4QG8Da
4EVPU/8/JIfT2uLaadsihBHV+D2KVy+dPtx/waYAhxDlfuibeT7U+nkavswlLquEDswHVeeMIIoh0MoWrCh2fiMLVYCc1qPUKLKT
e+/m1NwCq3288WkWramoIsG+CLwj+U3LaazvbMmbQL9DheOhoQCZ4AUHe3f1T11Rg1ApV69WLd8P/3lo0tgwYc7U0LOAHbisyUiD
0+RVaS6bsx3J2C6jC/Fff0/YEtvABQ+U2SJ9fnHa1x+rQ7KrXzZYnYTbxbmnLShIyurrgN2U+yxIf76WVgJlfKoh50TZbIAEU227
1OS9lAf3q3i/ECk8tTeTlJ+PyqaQWPgWgOEu4APGEhW2dnlsQidDWLAM++rDWwzZMZNT67DUVmzjAxcN/eJDd0PvNbkl+wEH9L5i
Zbi9BMaow3bJtQnElEx7QR24lmAYhjEv8AIo1cAfcuZ00W8RLYFqfaOwOH9sFj0T18GUlts9lnaGJIdy2r6LI1b1UPWSP7WlDjPw
4kwMhEq10r5P8lRpEcmEfqPVEzyuLuEWjT9kFaO9IiITCNCtkRfYLLQiFOenX97tqAmmC5vsbIJvc5mR7tcG5wRvZtPAebIiRmBd
jF27WpHc/Q7CdJUEX6XSbhCCcGGkWQMBxM1e9k2y07cy2ZEWIp9nFVFimLJ2sdN+vISd3xKxqX/fU3VYmjR+9D9JWbhzdxbLPAUf
APe3zj616YJD59ZvEgCtxMBaDHe64SEranKEXB89QlWm+3UHmzzo4Rh4LG5MANSuHcYQsF767gMX9ZfK+mZejeE779ZhBTjLW8lF
ytbriQeHG7R8NMHjKpQTiG4ThhVxAnUgisFo8vBmUEPyzy4ywBdLWTyYO5rxPXA+F4j57tEMRM3t9GM0sjuPnC8Or+bpIxYwKg7Q
0zyfEVJh7n2S9U9X6HaJAMMEPq/k1ONUpDBDnWUrpYhWV/Hj1Tnu0MqrRm8XYLJf0xYcCrQ19pjYG2UNqPNdm1TYL1RH8ZCVU9Qz
I/sCpdVPeVqOoQu0ajqz9OHUdctsaE5lMKjrQlLqoIa6+xvvA3vvPRCPebvg3Mcj/eGgVL4u0ARohSw13+85D3UDY7PeywXpw3x8
mebY0KfZhNH8rX46VgDpltQdlW5D/LPhXNHMBgRnBiECOXvsdBinSOdBNLIbxdV2B9LBUYU/isSHJPEd6cBx1Xu6ro9yhskmDt3h
sNkXujwDSJ1f7mtaQTjaVym5gF+ApdvyyvPwVgqO4Lg5vBrkGGexpwRzDmQZkmitwyw1ybP/moHs6X6LyssUeuKpVvfZQLL6A6SF
jF0VFtORRc+fhMFlkg9TLfJWBjnMwEeoscpkijJjV8LW8F+v3SxaBrVNNseVwnBtZg/nvO7DKLq+0BiopcSWLDRvfv6ViurP1Jom
8gdCLtVeVAgObq9OsD0zPxdJ/DHnIwxpHKFhdPDjqnTxMNkV/AP8ykNu4SK/5jbMAz8VW8sF6V+yQH3Qv7pq0wlq4QH+7UmuTGw3
sv2oII0xVSO6sI4tS4WurQWWb6medAu4Jip13GPTqq6vzM3Sbbz1PBevjkX+bjuW7xHH+498zrNW2QsngfxvEcVNxJ8iMUXCsQ5E
gQzKWwRb3oK80GKwV735BQqyeKizIGuu7yqTUZ3L7dVgostMeE3mE8gJZ/8665cibK/hzCSk0MHuTrnJGFQ1vzgqeKS7BNfq6RpW
WOnBwqs8JK0PtG6SryhDCp8cIdcc+nqjefLZB9cwG9TJ50NVYvNNh4vG4ECAPjsDhU1FE0P1B4xJt0fhXTfNd9ZGSxKK0k9Ez+9h
lkaF2vPa8vgjW1nF1aQlsvqUxUHOD03Ca9WlCD+U1Kzp+pITITBrizgBRxQ/vMg7+U2cQcPt9KgtbomDg+ZA4fHPNRbZgFfg8Llm
0WVkSRzZmqVUK7GlQ3xbQtVmul6XZBlZ17xOeIMdlGSYMxX/pokgrcGWhwsTEgDCZ2tVMOmVS+O/2mQ+JHluJAmoF0JacWaooU5q
xIRFB3SqCIPI2ckw7/2IlWbUMjn/hlH77t+dFJO4X+ZfKHHJmV4phImCkDkF+zHKuvcoExSPEtdsyzIPWCrcbXzmQuek1OyZJnCb
66jJeWne2ir+ipQnNSvC7w31+oIKUXOz2F5AiRxu0Ob9nMhQkhyW0/pcpJJfZaBte7dsnXijNIREWmdjZF9IYBb+Ii4LUGklmcpA
9kM3FPXWw0/nnDNltu36SIYs404fYiaBsbX97gXeNMT9vZJRgwhY47d9iSyY5qXSFeFp5RMYbBxid6xBAcVQUAZbGlhiQrmavZsY
BNEf7/hoSsOEfKLtCLTkWwpfG8UU6vTrb/4/WlK+ASeuLE/WON9oDKnWMyYJJAT1T/nycRclbLZB41C2fI08zJqxFGhyVGdsufJP
uQC7MSmGXc1z9Om4U3jsDCywy4b/cm0i1H9cc9EY5blh5vPw42zInsMIBvo9Ybl7TfaT0VRgrPO82HeioTIk3ihhX7sicqp/J1bQ
iH3YbNquy4SztBS/9FToOzZePlSUAu/qx4BwlAjSvUKUOKii4No1Vwgi7Q0W35tcJjKq5Iovpc/LSqZH6rrsFjc8/sKN5LviPr3t
ZXr6Ltrbzvb8dsjwVEyOLNIePPbvTCsGWegrIPDovcuMXTSrJerVRFtO27z1phF9ELq+9PzmUwrOMu6K7jj5KMysRfVXfeqkfZs9
b319+Rr7xJJVUmI361sZU8WQdkD0AgnIUJst/HE5JRbjJz9HFmLBNlAsEd3wuy1mtNutPUTYfsPhgMfscu85wWWDLDNKZn5j/9ae
FOJIEo4L3pDF/xYDxvSvVCrRhqEmJMeR6QdIrycLrDhLEGMtxAeWOoUXsOtprdmQ93VzCd+xTwgCZK+Z45RYaKKyJJ9BWhMaWLgI
qU9SbzH7FmnOFppuk6stAbbpSrFoQFZjj9ZR4AB7dfjBtzlnsxmF3aqXz1xXNgeDc8R6BNPQCcrgh1Ihvozj80kUDlN+eoTHr6IC
Q5XlKA3fmCTtwjEZJjANJDDQiCrdUmZAut8YMFv6bSAnRndKTqItuKhMpSDnjeZQ+4tRjTrsqJlrb3tJlyYWhih9DXEma6ILxD7T
y7+jA2hOpVSg/6a1R3LqVC0By6VJD6r47W+Xsr1WhGZKDNXoYF07yr2jIZy4jj2XyABJPJ6q5I/AMja9UYAi9GnT7lXNqwTr5QPj
jpZcifkC7lH6EvGbzK0UM6WSY1RwfbLbPRCQs/F6zQucqmnbxS8chucMyemjWfR2F19RM5bHR0evlj73JGDb2soBwMUMq0LOvNjt
SfgrMCUs47jEKZ1bduADSA7hstiHiRguPUru2SopyQSujCxumj4ysZzrAzUU1Ky3JU+/SvzuRg3YrIjlY+ZI2jLZIDx+cx7AMpz5
Owr3fAmYDU84slqaQqqYdfupuE40G2AzD/G7cerpMJa66AK8b3zGJ9xipUEyzUc8TWvgcZZyTxwkmfJ7XFjs3k0GECU5tZpe3z4q
sUHnT/OCNsJKTC/jmppLJ/SbGxg9787W/8ykILcNK3rZ8BVJhf2pev3odDh3ytI3v7ZtTtWDpFk8hjm+bWpE9Nq9GNSdaJ0hSzPK
rD3oLld3/auq29evLSJRE//KDpM3yV6pICKdHit32rWkQ+zpxfrbt87vhBVKH6R2DVSsYW/x8fzuaTV0+Xwk3p/InDLmIC6wlH2x
0vhQxzU314PW//bUc+F1s3cnA/0MPAIZJjFSdyL3p0xDAYZbHm3cZUpdoqiGrN2opw3g4dg63oTPuLjO5536FUNK03LNHL4oX8J4
6G//fpYn/O7pC5pBby/i3G7p19I4ll5h+BMoTI0FjiqGusC9s+7V5XBKWbL+BHcyfsLYaowClAnbYv7mFInVMd2VHdmZI1nZxjbp
NDv23NE4fhioFyZr2llvkhp8tIp5HWygIBufVtyGOnUY6+N3SBZ+CpUY2HvQ5T/Ev6gHXtDgzxt8JcErot7/VaNBw+HnE49B8XXm
jVF13FsnmtWhYNk6TOQsAryRnJOAU/lpyo/Durz3o+VXJp7UwItt5Zoa+kgBLY/072XAEfAvcU1bOBd9LAMpTMwy84JdKdfsOMwB
49d8ZhjiU16DJt262kP4LOvRclCQm8/FNbQu04vIlyqtIORQOmz6QU4wjhu6+wTZ0VSEhZBCkG8FidJ+eqNdDTekCClyP6B7j2tT
Rd7x1UMsZnAn5B8quEDrrqnm3QGHVUiXuKlB1iO0JiOXp4Cf4Dpq1R+8k9Iz/DSZ3zZ5X7i96Lx9jSN4NdLmftYPIqzYJ5cRYeWY
dza7985qK5oZAm0vWUDeczBIPQMXZzSFNSOIPdcjhR4PgwUhaEqXG1mXhUAGGpbyCzjmutBVqPz+TFJTry+W9OPPspI++B4YZbsi
hC18SOECLZWHYMhLPbTPz2EwGilIJQoIp/5q06UkOARvdYF2edmnzOGZQbrJQv3Jz0dKlNGmAPXm+jjFlMLlw5mNVRVGKZ2y8VPH
Wrf/DtFwfe/j4bKAgzbxr3dVl859iza4/T4/bRw2IIVFMjDgR1hMi/6ZAer9P9e4+mxRhfciynmCMQ3s3AIKnSzZoLO4GMoi0wTS
SNL+yWTSdNGi63iZhJTtb6XMtbSYSddMNaREQBQWaEKANJrJwjvX7nfVM1sNuLsuxMhoSj5naD9ZmC8syxy5eaCCCTvIz6n8MAiv
kWBVqh7nDKmZhjWu8S2W8xFBsBV5cBVFokiqniz6mHqYDHeDh4XUbBCYdYog/D86Plv3b9N0G7a0pkGJ4t5w+FWIEy68oRgT0fPQ
UMN1N3SzIOe3sawXp1IsPK+KYS9WKtA0GitX2m0Rp5OzMeEd1SyY7XiF8OaYBsFYHyQIxScv87NJcNw/g8PlMx3Oi3SegmLIU0Hc
tFUp3xbrGjqJWnYqwwIur5MZ365oZuixP89yfISGxmuN10m8jSNfDSktFiyzXWnKzgvnKfSJ3Vr9XSy2tgPD/OwOeqHn5s9PAlZT
KBJ9pv+heU+YG1Z4eBU0MEmlP7cdJvORu57H44NEkQLgcW1iMbkoCLJUeJulMHqxn++eV/rJb5NYMz+MgSHPFePDkKlXvoaigGm4
sq5sV22bqM5tVDPcrycXPTP/cAOHDOTVjep8w8kXtXJn7gJ20pda4hPGG/PvYtMKiWiK48J9yPS1M7enMehap5YmlCiTBy/pDkHO
rGKauV4yEkHo2U19p1PmNVH8J3YrHlbJtq0wtJPYA20LG6TECOgiZLrHuv8oAl8jH3QtCWjQL5O519fqfRgyjQjjQt4yI25bOrOM
EdeU68N6xHjqDAV7LsWL0vzmU1xpJZkh+hYsw6UwEXiMeM0S4E6kpkBtAarA87aQ/lFAjA5W72rzH6ZU6PN5k+TRvbsZ3jd0jrvJ
N8P1uihSnSiKMdpVI+plX0XGGv6Pv9tlVwf7VSlVGRrRI2SdJx7RF5hpoorZfLSy662dZAvlltNmlxiGBlkx39cZ98EXr4IvvDIh
uriTrcfO5SzNg2rA/FEvQCpAnaUHyk6v8el9OI2ieN2QeUw7G7X0Kal5q3sKLPFwarhDGJjfQRewf1sbz4crjoJ4bSPyUWg25dVX
r1j9NpEv1R9VBuSoOIwLNL5JUdcsWnDrdpWGNfuKjtcE289TPxWinU8iFWKjJFktwF1ymWYzAc9YKI0KeCKK2VrJygmzN+8L0BUB
gPqvc3062034qmO1vk3rjIqC1xiANORG2dqFnlvPBUbAPIPPXC3od8ExBaKHVVdWq7CBB8O1FRxnE+5DuY3s+JIkNJKpzxNcMgLl
9vI+r0f5ME+SJnIAphjCWautHuAK1j1H/XjbnK1hkjXUcBqIQOAHjn/0XpDvzmaCi1FoX9JcRLTc6xtINhOtzW5eSKKOdk0/bJ0j
+O3U/SXLm5G7Qnlx99+Q7fNviaZZtap9+UtVpNPsP+UK6jdCowlcI0DJD5MF9A4L7hRS40KsPq3JEJtn1rBwtwJDbLUTYMskuNUY
sLc8Uzea5R3MgEzJlsBKGABJDs3bhiVpnAaC6DQu/0bFzmyT8FlxBUtk+DxqZp6xSOGv65OpYYsXVpCs/f4BSSa3hWChhO9ZNOIl
T1ZR5/HAWZfBoHcHC/JoxAAzPiXjAPraMALik3cPZhJzd/8/zE77lWLQSvCzHur5N0xyk5s8RYjqcZQvsDZPTXndppa4NfrmVKI7
hAOutgCxDklLDDmyfrn6f2MoOeKnreijD4JCTukeTG4M/H7i7Y00I3+O6T702g/iKDrh7L2NBURHFJajZtvR6V7/wBFJFuX83X3k
gtG3ki42RRM1sjQi8ThuxOGkZ99WGxjAPbz5u6+EFHBiIE7CMrAt8AcAADok3mwlO/Na6hQToR/UGy8BetAK8nf6Bcy/i714QTEf
64E0rSUBRsS61LER6puwE+pGmWb7YVUjxnpnmmsKPvt/cO38ORa2/gzM6xoypPHYwHEH+a9sjdplh1rnUvW1B1h+LzDG8/qy3nel
BY1AX/QZEPgA4l+4YSi9KV31ES27xVAKDEOB8CISWDnyGVGEm4VN9kzK7ZVAsTHjD8OPhSNrL7HdyLwyZcKGhXkDW9qxrQWDrXPY
ezIf5tMLuPZbJu5QQdf1Lki3S4PP3Xmq6TE2f9eANqiM0oZffU5w8+s2yYxnK9lOiasSpiRqm1JfevIJh+Ys0ARiY0EBrMkiyDSU
zluhTQA3mgaoY+BMGLgqqJFpEbc6CoBb6L8ZHXnvlFDNnOkotGHfVjXsSvX+X10LGyM+DC+WrVGgwUoaDYXqpihXF4WTjH96nDl/
eoX2uA0UpNuAncG+PVvrr81QlutK/yr3yrafsqYMNDRBoUSSD2/04Qr5zMOrP5ZV5bkferbELtx6U+bCSU1jhnBVp1hm/IRjvpFJ
IAgq1SNtFk5c1Rrxt0fHKSv89UVmfmvI17b/xl0yBT8IMaYd4SODEFJTYGbGawZxBsIQFEOHkHApNItqTzorayVOEWaRm4iqwvtp
3CStUltNFtqAsdzbImGwsWzCd3du65YjzpifpNOskG2zvoJ5LH9bs8puLaIqMx8FkO2EJmG5ux+Sy4gSO8yGpOh3BJ7A+k+gzedx
X7Wf8HSea+MVH7pIzAdxYwU8yklnN7X7eyrAV3hVeu1ksFC7hoIQaDBubkDNo09+rhYX3aXf8fJ3zy5FFo7rl60wzHnonf489vqu
EPYtGXlc7QmYoJUxIcJJubg5rUuU0v0zsqlT34Zvoam38f8Iz2RDNo8HCRfoBWEmhXdHOfAxdpDN9yyHs8GvQYIG0QSDqVYvjGPQ
eWSXoqqXF5UF1XUBVWKVlHd9JmRvPEtwsm8GUA4008r6HkQ64xGEVc2HNtmRzh9C3TeDq5G00/tSUKDFE5PO9FB3C45d1W69YYYQ
JrKRql9mMgeg7siuyt5OurOV/vRFutSN93zjKCPgDtdRdZ+f8LDKyhsqPgorBpjlCEASWoCcCfE5tZWHj5Kvc9gBIOhHCQGk8sD7
axS7ygQ3P6Aft66VzSthfduK5MX3WCrhUbMgW4lVW2hYp1fhYrn5X78Vfz0as+6YB4/H7UeT2OgWTmFaJw3YVTHlBN9oawo2wRJt
QxSly16VktPf0ly5m2xHXV5KVzkYgNlovmTipqSo/uRGdgV7+qQCITusly7vXFFcFZtvB/qSSanjWsmYozz9IBEAoOj4FF31v6oG
R77KVUgMJNOLEWHfM0f4jv5d9Tth3I7jvJc1uEUWkMffKeKfS3H1WpBcpJsgHd0rrnzNQi2Pm9eeAzYaqZ1/FR7d0ZVpQ0TGi/o5
Ha4snSot9LB0ufaGA99OuqTwT8mr/EkWV0ZVX+IyKidc7mCw5nVqRiUDO4tmpojCZ08096QMOK8YwVkE1vSIpuWCrVUWC2m9uBNS
242StviRhqDRZxqwG9S6oXJhCjYSVyMS8bWYY4M8w9+ZMeSGkpqaGpCZRC65hNsQl1HXvIcUL8kLdS82klu1rnrF3JIZeLoz9rmG
SrtPMfhzNfw9Hz8xyIMuQ+9E0dlpqsou/Qu4zITqG7z+hxIsc8/gcCBeXrDFAOTLXhiqfp4HvOmE37K93DKCO4i4hk3iIhCQFlTT
GfuFxPhPFGg17XZTwqDwPA+plOswYg0xQwYrDll+cLRvuuiy29tgnBHpfrX7YFdP1ThYTyoh+oEiHQOv4YQllysEGGANwk6SE459
wae0Ug2tDu7/3hEN4p+OgvqKLDzdEgF3DV5Xsx5ZlAGbhT+8ABnORqfQoFT7HSwYDzuZW4ymhVXi6x8czH557WdGqdK8p28tShw6
jDs0Y/s27kihY1PXSr71veFmWliiKzrA+GRCiMIVrW2wyzCD7U9dq+Lor48AhjR76N+xvSwKZi6GHyd9uXbgpW2tDw4i7J+G/fit
HVvf3/epMYXD2k/hnSz11rlTFNkz9teZiZxoVU7OEgvVPip9+9O+6kuz3hr50Nyo4H0h3+XurxtHB4LkBJBwV4FTX9IXbCoJpPsk
PciZtvJx9AHi13oBHWDeT3+7ELdWau6yR4wDmZWhbpeoRTFIhJSDdkHEwGns5a1Ay0V/WnBhH/lHXI+Zr6ku3YTZ58vx57NKG2Ym
PUyxgLcE8eluPwh9bWsu9ZX2xA1uL8s87I5UhaoMZlP9gYOfJ1HBtm32PqqWoPYMbaLCtItLoUhqHDrf8rYcv1jxREQ1k9YPWtUZ
irQk3UoUF0HNXin0JjPZSCxS4tVh9HvAqFhkf/4Ama+rcbk6RYLFkeH9aUX5eaKmzMBVq0plDazfv3DwObeABBRtvPPECR1DCbT7
tjZpG31mPTkxOyaFiToBRJlyoTM00xqJFOKoAvpm5Alwu88MBgi3xWEkSeWdKbv8fQ+aIvHHi7g7HJAq2x9kWdmUg3l+UAXTu+XZ
svqpZGlbgAIIznbyYYtjLV+TVPD1M5BFtARFfDyWs3YrKaF/KUFW9yU+domUPvMaeFU4Z79rXndUjHuIlbDlcGBX+odB1cQ1SDFE
pDA8eU7dXo+tVGSwcpx+lw6sdmzwsRk1SeTGQsx6H3lJpLrRdfx2WBS+cXpqgXI1EfUskuHlXlqLR3sVOXC1IeU03JlUFvCCa5U3
+r8QVULFDKOJZt2BSY6O95apozJJn+w+n20Vu4m3pyQfGzwzgvqWpxbKxrT/wIx1LH76dInySiI8Rhi8PnlTJT41xxa+yEKNEZFe
DGWph4gNI+wmRmhUSXfwmXjkdR5pBc7jLYQM5tymfCIPB8+Ndz5rSU3vrW2ozcNQHqkVX7N1N50hDS71yVPupDzpiAIpDvAtwUA0
39YMmAn3sjwRS04Wvzwh+RQoaoylPEt/vT2ZmoNKEivmnCPUb3ebL5QgJq36AzlMnImwNwWK4l1R8be5sxDxgV4MDFJ1K/2Poa27
f228AM7Gd7VKGRJIKScw89LHou+n963+0PJOskzGLHMntTz8Lv6fgdkIpVf+lyEqHc+LVdsgrSGBkrELwZwlXy7k6wASXfYPg2Va
RCUZhvDLOO/ZUOX2ljMGojWvG9YOBYqAykae5VcC+Kf110rTxyJ/fTY61ZcNiIvX6Rx+ClK2ylmOMAyIcZprSq0i88Xvo0XX/Pl1
26HvRBq6is/oWZ+PgmmFtzKd1JIgJPa5c6Pbh1rBQjRwOx1djcGXGRe42kj6OFaAiK5JyzvyjbIi0GbD2RKWshIgTf31hQB4SrcF
pXBJWN5kD2EMOPEE9AeCSALDWZR79/LIlj/bCc31Ak3JUJ/ymPA80BrvPjg4AVcMmyjR/SweODN3eWUkPyxPrh+W5hrjF9GcJEUP
7kIUmzDtMUol6KoFsM7a17i7SlCYTHHoEF3itreltEdsOIhhtWOGhHI79+8AQ92GSf/Wcx0bVE8t3dElcgqar866Of7VGOU7M7Nm
R4GXlKlsVbi6kimojpYWsIV4IKQArQjUCIE/2hfV4zg/iOhrxYLKbzzmiUi8AHGKY1zk817Qf6m2pPCGtlqt/l8hvH+6I+Gp3lEy
F7aIqHTXUA3ewvt0pkCvhjOgKdSHAcCLZiDvYSbRVOr/bJaWAuqn6SE28EquCvHp1xXXncoY4jGOGlILLBJJJDZ6/DSSMy4pLLea
AVKVSYCwJ5dS4pMSVtZKS3U2i0mnVivjDoU7uJ8cI/VMwzuj+lAN5mxqLg8OI+ec82m1hPVqPRTICVZ8AuMl0MVN+JeKSgF398qQ
jA8QSnXhh4xS//lYlkAkyv0OVd2OcwoZzArixHArpBPp1bRlllSM878ONemZjznJ5HF+62pO/8H9nIqdpIfrIB8qFEk6fXytrHpL
LgT4b28M8lQ83KEUJkFg/QUafX5/HUKMia1dZR+4dn8ZtPN3Ps3K6YXcoIvm5Hctof+eg6i92Bd07tja4lJs2IjKctduIEOHmoFh
vvUT8T8bBs0ok74RBFNjKSUgEr3Vl4ZwjhJKlQOxxlYO8Kz9LYdAtNTMUVdQGhliqHfjz5NJBtH+BLd/1uOn223O9zVYkFb5vBQn
LcEZ5lUWT7JRcHlg/ATCrl7klfgSvQXpO8FcJRII7H5ynogOo/j1AKZg99WBSuoMPc70MtwCa+smcmp1UT6wh3YsGA6nrBoQd6eV
jHSvC7ORrU/qtxmekMqQyIxvh9EFs+X+2NbIrpjPrcfi9g528tXlRCHtFqSyX5iZfHsf90tHp3u9Xk5ipUl7t4J0YBB967R7JBkj
kNig/K2XQIbcSFaubc6Ma6Jnaijnfiw1Y8h2VSMuoXKgdcI4XQ+DDFswXDN5POL0eYQnAYfruV56y6yyAhWIoi3hyDmnAtTayGPO
+KxBcTY8JQWIH+BQIWrwe1xFyel2txDiJZ+glfjr5+MNAU3gRQkVVKAakacm/cOsFnAetn5UF30YTqDO6K/xYCG9im4zpMANBFS/
Cwqzc1a9nrqpYDoqmo+Tg9PLz+SQP07TAsiyYkGL4gCT8Z2+s4GplM0Y1Ziy1mUbXeripn2Qyv/oseQidWgUmbHEXcykX0Bue8mt
siU1/UFT9BlbbzqeOItw8D/K/WiFCTNkbn1hjtwbI3bo2z0+qpZefFaZGoTVxAvxkfSMt1fVAxR9pCNY2fLHRmY2Ei+IzPl5hj7K
woqIvB3nWE694+7iQS8K4+0N30K6Oj3t5E+qsedKZD7vS3Rqba7LzKmxQWkzCZ9vchiIjGZ3hh4jhlroiq0ZU3bhYMLgljEx44ve
MQnzn4Gqq8gB25szLMKwRjHNhyoybBBP9ouICZ8SXvCQj9XWUjZeFn0Cv8HkVxf3lRfo86W0M2F70b/r8/fJ9cHhJaXaur520fNS
8SUQ2ZXWxTpQoIilkjFxhKwuOJGWFxXHUeATMcMfAKHcmvqcd2o2sFjEBJfrSt56L9m9RGRQXyHWYGtSRH/d9Uq1OcyE14pWfb95
3bfHkiqPSGR4jnVaNiiO0HQBd/r7sQ/QTIf8+cBC+nm9c4uW43kK+k8gVt26hPuNQmW5pWJLAz83u5tuQv+GVkeb3LPj7kjYOtoH
67eGauysu1zNXoBAkQubuou9w11twOW4i2hmnIKPpfrHosxUgQCftt8BAgki1UF4apKW05iFsk7qX5Amrcoou/GdnHb7XFn05Bh5
L8eAgznKC8AwRaSHk4LLTx8EduCwx8is9ygEyCZqGXyjXd25E+s+0Dkrxq96OLKWCLs98TEutKidymuzuIRJPW1f2Mv+BOLE3BgE
An7OKrq3qToHJfebV3gznJi/LBGueqj16s//VZm8l7y4n32bqLycWGHB39c3pA7LjC5c+wgmrwf+A4oHKmz0Nb4RZvB7gGiPaUfr
4OkQVSTxDGFy56T0kJS//qa7Qegd0TJ0whMvne7c7qEa48CzUMtkt6+/q4n14KusVmMN7tcrWyNR6IBIF8q6KxhjxEaIOZcbPP0K
fhCkq3U7xrom1WJZLSGi5xEjeodOQuG9srR2tK6XPEdmP2TM/dikZjv4zZxHJkSxWaPcWsKQ25k+nCuixUSfNv4zq9xDfrlJk5yU
y72mUQQF6jfND44Zwt026/ncQLkT6OlVjFljR2K6C/V4yrj64vKfq9F9hIUTycT2ApLpwTMWqo6H/VLEY+o4mmu6LHJzYgvo/vIu
ejS1/Gk+kiTpr/GRQ/TzfgyEudvaB2oeL7DyDkv4BwyqD2uxZLZqqATxJQMCrQnGERzwr4Tq3+ax+LC8cEkbOkkYKZSLRCLeEPCw
Yaa7IUKn7LUybEDfkhFpjF+3Rz1CsCsDY8zQ4QWxVh8T2+8hD389QUsvNvo7PoYtpSR83L1pnp3eWKHSe74NeKKXtDLiWVuvKoKG
ZJVHqlvA9i+/1Zz/gAjiO9/jIGnfOYE8OBxOogaHA2vmFPsexoR8WBV6fvyjVyM/JPptT4xRbZ9f2agIjxIut3l2pdKCXnP9D73y
qEBZ0L+1Oh8DJmbRcqqYHddQJcIatS0k6oY392EXgrX9rILLTJEW1B8vjX8yEfjml59Atbi5X3qX4+15qKZvwxhcaUnCdvVZPDML
4X6wtPoHMw1R0qmqxmnEGUChTa/93JAERfuVk9k1IBugo//G/qrjubUWWNd7ZDng4KOZQMBnpprUiu7lEzn+HXLsCG5lw/Q+M4MQ
EhST6+UvucXZirerjh5IHlelwnshVNi/TeQjbNxldm07JTF/TfoBzbGQMD2K/SJSIv/l4Oj2Scj9AuR9uEQdi+CbRBKI/iItKz4x
KWU/KyAPwxt5/Zs4HKut4RrIqnUPd0YB73iOKfE5StIshbTv2XLEdLymkzDGEqpwD+w0BJiueMGYRuyWof92QKBPRd1xzZqBMheK
oV5nhCLMk87PuqBgesSIaxLS7VDpjydCYIjd/VHQfOm4c6cEANKHVQVYNET6N0/w0CQ9aEVYei4kNEEQQGb6Xh7zMHsORqWNrJVM
2URF6Ys6KNaghebXqSbxMcPeq8RFsdaDhIZwI4RBmByAzO1+/4bLbaKq8A1qTAECzdfkb1OoWv+WqJ5CjA5m6oZbFJWUMF7Evsae
IK9c1LAEk3h+qmGpwZx2BIP8Mt+otQxT61EZTjMh9xR71Zov5Bnb3iC9BR6BXi9ZfZDak5UYXOxtBKwstrdfqaKjCecJCKfnJLV0
9ZO/Nr9dvbM8W0s6fhbMHjVUT9//eWMYM6M+IDwp8Qz+DILnvJiFUHfpnDTU4urWal2rfaDgZghQ/58LmTcwhVLsRwF/3TXFy/qU
Zw5KR1SCfF9mD4y74ZicHlOWq0/Fu15HaOV7hJbWOBLzasp7HlUkenSSBeR6rRoCPSIL2gbTe7zV4e8+I9pBYd39lISafqh3K5P2
DZS6WJ3+7MxOsAGu/kPWL5tjSlu+q/TX9zem0o/VuvBs9PARLlQEwEACSbpBE43l2uPmj0rwkb3UdqHRfR8BfrTfHAn2j9sUms1C
njYBSfUfO32z0Nh1mCtPlaweyyr33HQ6Uw1fjQIT2sEREAYY/z1cZDUv706VoRmVPqyyIomdkIHb1kq2TiHyLMABbr35QtgsekPz
OITcvi8iO3UA0Z31nRiZJrkHqS8UBYf8ABl9bq1fNM+tE6mk52wuaXGG3+hprmtYfU2ylos8jnNwvIZe9mVMrUyY9+aexVjFAoTF
PiqKqw8floDAf0DNc538wDFc01Ae/z52GlVYgArrf5TcOXsmtlEz8GMwPpvw28JhMvy/bbI7+iNZPWGr4y/jisdmS9/9xYXkJUg4
blT7q9OgNvyKLcCx7oP2zTYXLvqhtrGDkqy+HNY77ibFHXNk+vMVYn2mkwZnxt02ihmI0JErCW6prfvSFmaaTYAwbnVjN+mYxkOY
hb3AUEkCu8n09s9h2KGPjtRwVZpoDit+R5ZZ7GVPZgBicrKsXHVicXteYXprgTPB237C3SyeoQK4lX73/NF1yvoXUcGNzT+YrQum
xGybP/OqX+eYna1Bw3siFup3pG2SCqYmFkBrmoJkU5UUHi2zOsp+YwUkS3OGmUknSUH9Tj5yKAC9Bm82RxgLaFhYCiAcD3q5IbeM
Yz7X+UB9cyIWtwBL93jW671yIwOffVt+KkBpdv1ANpFrYvaXUoPFGI2WSC9BcwGjuxu1Jw7Zh7AKIQrCcAJlY6mIvMreKNum1Ckv
Q0KZIpBmOaDfj2CVxZRqSjyYaaXEB7XQjS83XdSMoso7CD/gfaXnmurYHPQxQ0JsTKM8E8eVnvobNYXj8BKJs2i7nKyFOuJLgolj
Sk32msj8LZjTqSbnNtCxgY9hdmGRVJVJEoQp3VwcWiv06rudRuGNAp+AT9Sxn4G7o73iyiffsFaDnv7xexZDfhULZwTqqmE8hvXW
5IKEHw1EOujEifq6J/wEGvkMKeN2HoL5267BTtT8ZwahxLguhs6S66RFndU1HO8fd9DJp4VTZCvcTrdyn7M9XT2l67eD8qD5NwxO
ZU2aCKhB9e5EHUV4FNQkGI+KyO9ovMSX77Ln1ViyyN/da2y16xiasH39DKqxc+81GtInRuq7QIcfj6MgIzo2A+Hufd7olIngZ5B6
vQPueBAgmKBMxjx/xEfd4Xnal+bYImdcRoKF/GasIcdBOVD+v++aPLPg3UWORqyxbryWm1iNib6FeZaOcH5wW+dH6GqXvXbd3vGM
n8HR7E6fPFqbDwhnaEiRqTtp93cDTHkjk9rzSPrqYdye6BhJaNXYBLoobKb58PE077T6yjgul7pEhWU4/LKOw9C2pC/R+AR47w1d
1qY44NqC76DyKYXtiW8AQ2M/tSVCfLsPlB3/kgOcTQUbLY5YzNSK//ioHJetkwBRUADDqUfMfGBeSJXgjWF4723/kWUjuqq80SLv
AIPnIrDvCCWPfPH4vAFbgkT3Wo46Bhj1UO4H82GSNbblmEbH1nhzhECkEzmbyE3JeiN9RmBQ5GyB4aLDslEg8GNAe4mXR2J9g5ds
/4sR597FG5KPD3w+5TS/j+dojMnfQ15Mq1GOgkxJMuhXrNLBEJl0WvkGRAtZr+0JW05oXKANKfJbTKXm55acrAAFVRr7Ps8mQPOx
3Ou1EwFspsPz5Ya8euuR3hq4W/kTulTIM61vlkv8wvrm1WGuZ3NsRI+HwnZNira+j6GG/gcUuYIgp0d9T8zWSabs9EO0FfjGojE8
CQNavO9XeeALhoAvLfFWHyrHWktWnYuAgFYBCsYzI0Q94YMBQ/AJzz6eW1OoRwUBxBiGZbVlFdHwrUj9g73k7h1pB+NWLAwYkoKD
c6a0MOL9MZp8XLTYlhufpGcFA10R42s9URoK2FlXgRMbqJLK6vNE81uqwMpiYFtQwVQ+yrukAxlFbU8LKwOWiuO6hNrK72lqwtCM
TwkqhtpOiDIe2qJ62JsUJS48+mNjxLiDyyBHNSUpCZ9PgH2h43FQz0o54oybR/c+bJ2+G0XpVlu8mznpNoKZTknWYDkqkb85tZp6
R5yZV8XMy9QKKsYoTJrCyoKLhCBwVxeprvoaDSUXYLIrgbrqcLooRX8iU2AdFHbcyB+VFOI3nv2/oida5u2qX3oBIhKmJEfYHi0l
Z+oMdKu0cBhain9pTtaKe9SW+q+gx42hAh/gQwD96otYZgKF0sbeRUgNlq5TQbioac41JDFm4QhcS+QQz0kUKmstMfgaBBcRSZ/M
ObM4Kv2frv3iQLmBc+Pwp4m6qHlCL+XIblAgxQdTCPpao+p5B+ig/sMwNP8D5imshe/PE7F3tVhEsOcwe8lhDJRfHqPQQ4a+91ot
LKnNMYM2ad9pXi1mqMbbRUafgIyO2BUFrB5xmOqmsGDSkBHDIzS1xC4SqmYsQIpNwMAWDfPVOHBBg+DlBgH5evFjdODq9oF4s21E
OYLh/s38FIOgi+bUeRxpuoUz3cfusAcnudvcVgwkID/xbbPsdCsXzAvA+fH7t2JNX1R0KkyJJf1wuHzsP+u1hSamDXNEDtZohu7g
m4FCVB2lJSdTKSRhQmeeGWd+Do/xaF7LduuvFhggBmI4hgW9zbrIFI99kEeRXcDIwNv2CgLMLHg+Ion84NLGrSZkNZrur5Etb+Ei
4t5eVp6aCEBr7jMB1PhFvtC3NwnbmC1E2prT9TU/rg2yhCk2ot6GkyHrLh/p2revvjXPPddf83lBB0X9/61HDuCeYTy7GS2lPjUi
MChgsZ4LM2hScJC4U2/XemaALXhUkJSb3Mx/L8kvdMK3HLYLdXQlg8+fC1VUJszOIE6odQRXvRsN85E+IKmH8YdRZTxDzLcGlqyc
lHNfsM6yGbp4tx1KkelOElbn+4JYFLREs8Qt5dAsRzH7fHKNinyDEQ6ZnnVvIHx0UIkCouM49pDFUSCEHtIromtPFXdSmjjgG3R1
DIMUZ+wJW10hsqtkEB1RsE+SBjcPMhji/HnxAzOi3YsMbCgVpN0XlxPjc3ehWQDF8xLtZFKGGajeXSsL379hQAVrBkHO/wFhYvkn
nObQsinFXtkjn+T4QpO9hFMm2b+BD/L08SZPxFjQ1nNShzTiKMYWKoQ/hgxOATLUGT5iXFwQRAIcyRmHNq7Rag1fXFNr/28ltLI7
RPvdYl5zmK+17pEzftVG25f/QS/CC7Qmc+61EUsRbgpIfbzKBXElk5oJP8wYN7sBKDcon6ZR1rS+qjcHCxvIaM+No1nN5fuJzYL0
oFe2+dcocLs2nB7EdYYZrALFyx/gIGmeJZ12ALJJw95GXLBOBQWRrSFMAMSdn8UnHW6SHRcg3M3JI05OEmNqwodUUQzAZ7lKfdOM
8M31f+iUYsNESzIEvKjEnZBw9zMSXcGM3/7taatqNo1RlHbQonplfjq3yOK82tt8cqnXTEpKziW+lB2F6TZdSL+R4HqX/YQXObXR
GvVx7fh34IEfamtjIHnvZyZ9oANNwn+FiB7w+DmqB2S9DqSjsm1+sgBqD8lhCP+eOLyszJ7kaNICTVv29rIwCnyWfe9Vf21GIfnh
JB4zkc6Y3TA03+Qz7nlt37CpZMmH1yqDiRcA8axOtIm9BaQtmzlT5Senct7srC/l/QFaD6lADKx+X5+lQbrrfcsnr6eOjIcbSXRe
ULdp+raTm8TnkW6Aj5qKiKhYaLH3WGOQuqh7zvuk6qIGz+YYICsQP3WZT+BdyUof84tf01+QvBht2OpbOhEe6aJRF0ZR2ubKaZpf
tdAbqXgcS/n2lEqyFQe20nWio2eppTwAl5RVFWrUabKspaLhXJPL00QDJb7UaZ++70CIDsqEeKlQ1CBNXMdzW76AK2bTex2C+N/M
apFYIbcoOavQs7kPMgPIs26X6cU74+6ps4EO9v6UD2WkBEEj7AhDeLiLXIGiJ/NFI9YVO4b1dSb4GZdzvFs+Jy4enG+ZZvA3B3+A
2hV+h1GXKsWAI3YgYW/aPeKo8yHmIVK9gkCqHCqOYL7eQ1R53LTGrkD95UmeZHNd2iw3bUhQEkqxRhX66u98Vxlwln4rD5ywqsFv
+1QshS8lNJR+Kv2sYGGDwSzgb4JZAAC0DA+CHP5Oao+5jkKlxtBfnxqgRMCCsyu7ktnraLwkkDxPiDDcWqxeut9bVY5WOpBYEzhr
8ICuzX0TIGIJX5SXnnaDsdK8dAW6CWehrfhtGBpX2xbIRAwa8UvLQk1Iu5Bz6qaOoPqUHELA+v47MkZ238QaTLmdkLK80otxycRl
lVrMffcF5ugQCkbF0Fl4Q9mfkIA8MW12LVvX5QgaElrcqQvn/qLQbBeZ1wo+lTRqAvJprZk3eFLACFFQuNgb8IATHOCIeBNHTLiS
VPCb+DJTLofQzjen+YU5rjIc+UYoPd+ODiCFE4cX/f3bxwqd1b3eCPcrHAU3IGDbcM58KkWzus2SacEsTCvb6swVAxrjds/cjWWU
CvpIDQ55w1e0WYJH0iPU5uGNQerxZh/u7iB5+/UycsTBny4BN5IZsaMKfXU80FUhK+Js3XKL8LWX78ElM5Bqp8Ynjw5siGBnaS5Y
flWAi+0mG55WpVwAMMQAy4hYCLbVHdZjGWByEpVyHK5UfBkC8SnaA10moVSKLnqlZkvWanhms5xX0ZA4h+YzAJjd7Pfx2LB6oQXU
BZ3/JyPL6GdwLZb5ugk9oPCzfrJO0pd5XvVV3jkRrNhM9HVwjO+dyE68Lhss7gKUiLBBBYLWwtN/0Esyfj2Mj+QOyoHfRW7K9Zj5
uccxDueWSQUHQjACGYNeRrOKln5ooD9x6iEAbgiSU1zrPKG/hU8IftwYX7U/Omc4IZsb/fEdGDBIGiB5d1jC7R2PMyly4iJcNsCS
ZZAt5BRzPeBO32g0zrnMdaBLPdHg4LMcQJCgoDp3YcEJKQLv+7uM2Ut0noFQFa12H6jP/oaxkIHI0yCEoZZEt7dzj6N1EQ2Qk2uA
ZeJ2WisETDOW3D3MZw1eoK7rcgXt8D4irNd8uYv5wQCSzQk64yX64uz+irf8/b/kJlbqg5i+XlRsF2yFHR28OqNvwGqAfdrfEs9I
j6HqDPvszi2IJZLcFTg36c1H0aYTxQYK//0/1GyWF5Di5u8nMoGgESn0+NLxC3zF8DCsfP/LcBlxfzy1u0axLob6X9kJm18u8VyL
8qRb7Oipp5jcx/arpoJICebR7bH6QxD9XIwS0Cx2q3dg7Bax7fOu2mEpxmsYkFx0iU95EeheU5UvhcWfrAkhmVq/1v47gwdEvH45
CL0FttEvPrRCCdru+YMOMCUiFNoT4dGuWTflnrAYyARN9KQkVx63txSZym/uKxUSanY90a4oIIS/gcSnFC//Z+2wWocdu118vjVQ
R/qvmCTzCK9x22Zh0/iEPHfPLCtvVK54R/Ts92zAo52vKJK6OxO/ckp9shkLbpFl2mDLj0IolVUlbJTqTIlwwLuN9yatFqeOjODG
n9XePQsKRtnzc4OcEDCQsuoy49kyfgZCbQb5ozTwAh/mxQUuOS7DKLRxFkY2a0S4g0EGXUqsb/g95J93UyjvGFhGJ749EIiOpYTk
3ZMz38lyED2eiH0/OxzNgaohOI7u+rGXN6NKx7iFBmFcGIoEGg0NAkTTgp1YiY1/iky76UYZOUbwA+aFfLmasqsLTfXODYp+8eWg
DtkYDYFSKzGjA+7P1npEPTyHM32rjcA8jYfoslsMQ2kssSkENkgJfmI+C93TRBO1dhfSb4FZvlBoFl7u4mplanDnMGVBYacHOzAJ
1Vt80SRRNqoURvLfaMsbI7udzMahCEIVwdjVT+vMJnEqpO8IVh2tShynMlrG53Kw2Y6wXimO9arTgkb1vJ1VCh6bLgmzqha2QTXe
uzD8u5d5MyAm6qptzF1uNzmYfPUitJFCzYlNwXgD1dsuc2Ol0YXr5Bjg8B4xxQM8DcDtJYUcY5+DkNvGkXVlWPKHxQ4vEMt+H24d
llS/hcMuqBxxUFfULY2d4t2tCJTRmTzgeMtfHkTMJAvFWZs5lCzp/e5EsQeLpdeA/IKsZWuBxfiYjGkiPwHCHSc//LVGJ00BtAsS
eZB5eDzPUnGYYuNLwIFhsyv31b4atBliJa6SP0RK7eFb0d0i2FyyuB/WrkU0e3eCClf9o5F21JmEPH679nM3+J4Uuv7eD26p58rc
4vCm514WkZ/AL9V99elPoP7vul3mCOMr/IxpN2u04p2HBw7Dn6ATioXtg+RTNQAnCi7vzHsJzWqkBY61s31C7QrPRhr+gN7FmSZ0
D7Mhbu+7aXwGzsBJ6UQ47Fl9I7BaAWqfWTdWY5XvNdHUW1FOl8CUxzvJdga66k/Wg6YK5EHUbUg7Q/tNjeu47yPOBbp4T3r1aAFI
FJW99bdlCThHuajxQPNww80W8QS1+B+fv1v5lxwBWuIbirXODYF3xkL74r1/JrWMpcGtndZFUovSuUoBVYDBucKd4Pwd8TgI0hBt
e56CuSBYtgsYq5dgkEjQlou3SGDK0FoOJu+/m94MmJ7PEptPCHNhQmqfc+Kthj7Jo4pYIRugnhg63RRGrq3xMgH9qlSB7d86znTm
EZnynF8QCWQI67Da/N06hQ3DWZNQHXoLmlFoMGJlE/FlUAIn5fyDwDHm4HJGCXgT00TCotrswb0jjmLZskx0NC7EZVA+CLHMh+Vj
QJ8iMQpoFIly5OJKh+M2CXFxDlyhUNObW5AfRkcp7NFWORk8a2dRyMUUWqeIvzrN8B7HdJVHpKiEl1FGO2ESf1U+geQQlmuRckF+
gIk1QJRhArNbAIdrMChl+GyuXK4M4RvNHEdNvVzp8VZOSkZmyRvR69Y+aBDLbCVC4vqQBSU9fjM/uF7JY+IyqNsjGl/hwyfdrqkr
U22zMaBlqq5KcVUAAPCJYMi2ylHD/C0MTAdmkAhHbKWrVmLM0CIrmGsGKx2ObI3pPcmX8uyVEGv02OmLCq9Knp3eayxqqbW38nrk
voC0/GWIN3JVLwyv/xUmSN+qJV9dP4BZEEAKkiCej2eyaanOo0G6qUe05hHpT4gYrCqzE2nZI8/JZh/NI96COIHGtI4o9xUSRPFo
jqgQ26xdqwpLGB0aok0vIgvxL7+Oyi0zNc/xUSVymHDA0G7bVu+ri+lBlSD0xZJVuuSFqzczTTonHQoc02r2ak+oURWKx4ak1VzS
75fjUp0bODFCtYXEny7sirbUK8jLapDygY/Tk27r02hOhaaWNfBZuJxN3Mv3yBGNyPs9UCwJXdY2t1zucKlI12oboiKCsM70/VQd
vSKEgSnv9h6DMrQV5No8kbzlOmumxnKvmm2VggvoX4FTbp8pT0KMawM7SaaEeUkTQlpvzWp8VZrbVERtA+EykxLWkoQQpsc1IG8s
k3mGTt7YauMI+nj+hYj2lYcUjZH/FfSUslSYG8x8SQ8eQNa+TU3mr3v/LFAhOFrvPENAZLidlzrnFBIHd7VqBmK/0u8ukHx4DgNp
80hOOGrJdXHbR63nvQMM4ivDisU4YR0unfppTG0/8AJpMkCzQfU2ze7u+ASuyANmrLhUGWE9kf5vgzB98TbeVwZjn04BHp3i4yy7
LUj1RkkNkv+EDVhgxb/TzXSGneEezLUBYK44DEd6IUr6+9xWQ2ozKJ18YdqoPuJwsHGu4akJA/07EnTe6klIVVZ20JFjCtEhdw/f
DpAHQI5hhImIH4RYw8dCcPRh98uvmZQL52V/MBe7PYYP+/WrdtWLvw78pJZJWaoumDRe3OnuSemGvvkhhizB1CnxRvgmBIc316hN
Te1ezruJteYIidQY90wZO0tzh77RxHbz4Ichaa7tQhDX1QV8sdRbUuukNbYVcwYHRpCa4nzyo1VF9zEYrABYHEeuGTKuDFGJJkIC
1N49a+gE4mn9qPLsXdkICq0Hqm1rN/tBKIrrg87rohaaUEE7KKRIlz7/L23HqPWevDpJWbWGxPhgzLGXgspsGcVghy63T/mZQO3o
B2ULu5pgHTiMs3Rl66YZg8PO2Yu1U2qHBxbs3ZGbYlsvNw95rqyoRray2rXnz3ucgVBvOj6OpeU2opb5fvAEDnpC/umXUTm9pjFG
Txc+0U45KChXKPZCFjMXc8PIrqzc1jNpEKfZ47kHEDZ4zZVr+4TnXbo3timQmsQrecuMcQeWNjaBSY958wpPAyLR0S3KtKwQYxc/
8go1iTVzMuClN+2AWCnG+IpmlmnzD3Rjtg6xkHewpOmX6wr2UAj53RC8wSlQkNXiTTXHEuaYd0kUbKZDU9oJpmS+EU7vU0stunN7
L54FRmvbUxQvDryh00f/gMzDA85iF1fooiKIrohl7w4D7r4x+ACV7f5ExHwRsweS5jZc9Cr5enj3PTykFK5CnWpABmJzg1TIp+jL
PveBduUVLABbAg89DF0VROISQH8ABr6IGn4sk/e1HGZfTz59T9gW1lK/440uiusdniC9ToczQikQuHLkdVIwe2Dt6Jk/HZHaCWHA
BF1PyVLYdrfDBzEIXZ+sI6ZswTa7dQvLBG4rjb6MWqwONIkQzqoiwIQN14pbEiA6veAv9O7FrkWQecMl5m/xM/t6ugKNPvqbhcRN
XaWLzSDcau89wDUChn7FDszWGAoBYet20VjAEmnsTXBYOLIwR2wHIWhPWruoVaBGLo+r8RzhiFCx/bpzlLgq0IXSRRb3JsatMVOR
eydv9gZ2geI3w5NhMSH1mvSFXqqZSMu/Kb8g7btHgF6Y/kkFsec8uV0gB3AUoPYSFqP196JgPdJbwTednc4d0aM8JlNi4bgrnIw5
tla7ndv6h6UHqSV6E04xOkeOsCjnMQztghdvEScJoNMKHJZS5dr00iEHq7uqzPCpKogchtXyyRBA7hIaUV1ZdxnDlKl3q8xGslOH
WqvanTXnEKJez/Mwj8Q7gHSStg1DWgxuzjdfuWKOYPhSwaRjLjLAFx26vDMWRHVtfQYhDC7ECebzKVKVYFtnfMJdCMbn1bwerjXe
AzNkeOOkBFX5Is6OuWMB9CH9vx5u/sZSoVXw3jcF80sb1hmfxHNQzl13RUq6YyhrzGcV7BAupigSsvdcabXKy+NRpKRdD6vxlw2p
OQk3QQDhxogKax2EWWEijs4ummRRh+CNCBR0i57aN/vW9rXr78KBQF9zDd3O9uc/LB0zDNAgY1HYMinnexjybBAtge93VhR/YxrC
wOYR16V/o9FP3m8UKIg1G1xmREuRXLDiEs5MSmV66w8tlCn4JY/GT8Z5jMKb3LS1eOnfp9XgaOQi6UP0ClX6dCzScH0PdngWMjBu
Pbk/fBx4NQVWQ15yY7vM2L1QCGmHIN5yXv16QJZhS8kUk/h/pO9Zl/uw/Lj7QMUF0EcjluSazqpe+FKNLF2byzqbXqAIP5WPlCUG
qbDwXfWiLiM+wwAgrBjhuBBoAmEZviKixjzjsQZRghSpkh/50CJNmL/GbGqqbz4BT1PJcsGbFlLduC48Vhfm9jwjm+AgbiuZr0SS
/Hia/ClytLgVq8i3wWFWSlQN3kWhRHhOaiNSVA3I++/bArK4eI7kLkM6TdHYPtTWVO0W7tLqzEisEeIb5wXm3xWn+rzX5eW7Ztum
vWtSQi44nN2jIiLIV2FcXxF0VG+cN0KpNY7dalM3RCi0UnFM7Qf6BkT209pH51RKZsZsapxk72CIOe4Gt74QaJEyWwb5Wdzr6seA
iTBbwQ8KLeEPTgolIe76EAGIXnbQmJuCShG0agLv1cdocCMA0w/b6QcLTXyZRza2yO25QiDD4TkiDW5xn6zkxpCqvCaHO4Rr6Jsn
pm2l/JOfeY6iZ6tF0yIx5vUDYOXXkIB+JSstuWzKVguE3i9W5I2DAhS6UCA9Y4LZiJQ9c5abXhMXDqG2x9dWKMV8CSBMtYOd2L4H
OtQotF14kK35HPOmUcyVdjDbPmXj3KBlyz62wXJOUhZyxnSLWHUSwPREfMhlDVcazTUJod3IBSHwibV2Fr2+5nQIHTz7xBb+plE4
mRUFzyCv44XPQ8gE05njJSBqfpi1jOllEbLn1sDv4XIP5d9rFZvcAz59l8Ruc9CN18QpuTzVyM97A8/u0vo6b6FRWJjUejFqbN5W
an9XBTTbtCrD3Rca28EvjbQqtx4LFq8KFsdjVqtPbtB71YXE6+Qt6TNvOdAeemeNkGR2sKZWBElQ+qvKGqTWzhCWa5+uaK6zew/j
Qz8BuXTemV1RnIMwe/m3/cVKBNOWHkkd+YTvfrAAVSnEcdiDaHSnkwfJbKZ338MP0WxAHB2dRbfvd1VDQ/sLaZFuYMWkHwCZMopD
m/g8XXGenHR+pwrrc+yuUV5efGy1QrF92PghOhjRJkczQmKXMo3VBLjGmTr1XKZbqTSJeMUOXHz2VHfB6Re58VPEnHQ8ErQtTk/X
jt3Mzv7DMWTW0wK+fYM9fsxk/ObhBTHwbhCUuI/u9//mL7eXuhoMnF9bf89QFhycOK0Ah7PAK0JBKuo92fCqT5uN+Wk/BfT2hmj0
oZtI4fCvQc88vbWPoHfMnEpiSN55MopWvcTc7XRjx3UNTlstuQna0G9KGiU9iY75BfQMrhfrwS45sjw4xPHw6AgaTHRhISssqmsg
qFBXUDbSAqbiprkDkyqKi+80ARRyv/CzfVPprMqXrl/HLrl7KY+85WxMOipdArRwJbpQ0Kd24T3Y8KIwUGAhiZWCLubNomWkS8tH
zlvKoq8dGRu/xQ3TVxGynHQq0ubkL1MRZ6q4yFtbrnKfb70mr/k1Qj5vEbhquSFnSyYhnnQbCdgHOI0GaX3inbbZU/rGHN48NPvq
Ip3BBfm/octDuQTVU3Gz6PijUbzdK7l3xlmq8N+LVstg2E8vAt3NCxJCGRl+7oOLEuvk5ExbBzHu7urSipbDJJv2SqVGTysOmKU4
VTdqTxrauFJ4j0hX9tFfgosX9wqn4OoWaPkQByg7ktCXUwu8YhYGrCAQhdn7NpIMz6ShnSGk1+x+j2Vs/2Po6mnj6d7pA3SL7CRr
Vv70a7fUdY7FFc+CqG4evyse8pi62oH0NLDw8a1cAc5Ssltsa6eRCaHdh1PWGYVN0DYLcKcBlNL64uP73HyoWEFeJC7RWTosktQQ
LYJKIWJygvo1WYzu+gaSzYtlkh+BosyFSjqGSpXhZhC8lQQPs7CgUAhP+cmGUeNJ9VN9D2fiKvo5sZQkzTmnPnWoNtTiFGl1KMqT
a7oU4Kpk4XO3aIxDPZ/q2WgS9XzduNI7xCRUPaZ5rW472c+EIwqlJQlFU+GCyC9Yfm4a4l7VyNjSN3wxJxjva9KbMvIp+kFub2V6
Ke2wMIrCywrjWbNZJsAaPqyWGb7eEjcTvD1TdHQQ4iSLJ69NOSnLH1B1yyo1tImwIzzPbxHHsNoOUZaHbqj/dmUxj4AGeozghCdx
aPJP7xa6DPAJWKwtWqlahJ1Zjoz4cIV/Ty8Uhw1440hOJenhvGMGbeC9+QJq308fXdLEuG0uJyVMgEbeJMXPSa+mQqY5f01ncr5j
yKuFI+lRykessfE5tgxfnn+OjyhBgOHKx8Q3J/6uKSIW55MGBaq4ZrsVTPTIlihC4N/MSbaSCFhtH0KZkgzq76Q1LCVOlOhbuT7+
aJ1SZikvbtTXzYBG4eGdDCkpf7k5kWEvko33BCoUMrAFIio/Fw0xJZcu0CYlg5doWER0me5q054qgJJeT/nNhEGCH51SHFmt2zDK
9WVxcWNjmNt1T9DTN55I2hzln9JYchgLKyMu1WhnW68VKicrPyfLvJQEErAI6mWtZkAYznZ5WdesrWmmBDfvbW8K0Iyhg1SfMRsj
SjOT3aArQ9qj0jwYPxSFCEn36cZmSibZIho0P7NhNUswGYtsi8E3xBygW2FsAyo6AS970VNf/ptWXZtGJd6990ojF3t8MBR27azB
oX4FmLRpzfOMXqhNGtNgUiylobrovfykC+KH4tAt3LaTrtVrhlrMsUTeRctDeYsL3yJxORErQUqXpT+BvpaGH20F2+MVdYDYm1OM
Z1clnWsW3SR+AgPqjYLRTDAUUMxL5bCzzNXzQoCgYx7ebUefIIVtUQJnbfgBjaiejrB3hme1mSVD12G3822p3SZK9Xpt9dIH+6Rz
6G2Ft44S9l2zmrVcT0pP8ZDMvJfOOco/kqWOwJSc/60bXYVheyIVokO+AdwS83W+j+79p0WMoT2nnBcOWU+RUabRzQw7CifZZ9jD
qbN/w1rjks8gd41Q/2oQ5gxSvQSEnJN1qXjR3+Yp59VRQbBt2Mamq5m2PDl/XehaIptIjmjtIMek/8G/ZCYoGhsSuXLt4mWWRjUT
4C/k3bDYd0DhrvRJoAQuUsqbvlZq4MZ2ULqt6w/FKysBGRL0tJ4LVTKwpjn1SuELAyJF7gb/WUdjouAyvH6qLdx5C3MG4UVuGtAy
cuamPFLlzmWTD4B5vNbrhRxN6Yvd638y1lOoxUXpE2G3hWCp+kmpiHedn7Bhh0w0Rn/+PxtL1WRq503JjNh2UqJHr+KH3j6H7YMu
BvRS3dqJ2D4swPnqctE+LhEpaM7ITfeiuRiEfin6kIwTOVWLGL6GWS1FjLne4pFFX+CQpMR1rE43wIxD6n5B+NL9EJzWyrnFEYAu
YaJoODlMYPo5VrWkokpfyxVE+ZT7uC19hmWvhPxNnYMpjbcN5NrUChz5+nshYcDAqB5YwWUhTF6ulL1VgXctvROLVyun+abbQbrq
5oayhAQdJAIyoBJFEq2AXfC6NQkzOfdC0PiQ+HwiFfDi5hw9pjAvnFTxruMwD7XphTOocmX6pOQ6EtAs0d1GxEwq6p8aj47tHXAA
43iPLCKpLov14FEi+SuIJQ4C+ttAZ01TJmUTLAy4n1F4pxXIiMaJxhlqBCyadFdJH1v1kKy+W+ms/rH0I/1xAQu/i8Vl1RFDuVmX
12S3qsMyMLyGvAu0MItivnJwp5nJdnQhU7hRyN+QDTXq8u19OaiOAPXE96koyBC+mgXGJ8yFymwq87yMXJsW1PEIw23yRAJ8zEQu
xGi74QKNBTpP+FXciXMS5O7SLz2RD/KK9imsOyQkS/wOCTqFpV8lXMtS3mkHJbtDPRMZHFgogzaqrnd+ejMc+lF9J9gfolofuBQg
DJFkpY1SvjfYcS0a3eeTUr/WnjOE+W0Ph8BPEMXlihVkAOpqL9EBO6rrur1YgEF9/Wa3MbwvGZFrvHKZlBu6zHPWnDoa/EcsIgN6
dtSqTyoEeTh4uvhOXYoEOp8xkKif4KB50KjoUp/ZxTMMkGZjvtz4tm9IdSv02bQJluPMiUfMw5Au7QxfxAPvO9Lk7ZKRupHmMCgS
pXt2KFT5YFB+JlafcbEFxuUz/VfixkER9qi39khpXUKshFlX28kG54Ji/9FqxVD6zP2dFyXi/G+P9UxDTDXSpZqpGPSqo+1OAMXw
S4SpdvM+RYiWZrOUfoevY4KCDU4exOfqNox76ZItwcudN6LBtmYDjUow3MCiiJU6dkzJA8ZXEKQx7cjZkLFeaZMpujdHf2QvK7ys
s3xRqU03SR1WBx2l/18G4xC5Bj3BRMn4XmwbKGWgOGbzw/iUcI38uQ1+tmi3eMbQdqWe++Nzf4vIlNU+i9FQFT2idAgRjEBNbcGf
tCTAgaSnppLAYjLUk+rmk5pWK3kNUNHHNMPDLVWuLMvpoy9KF+edfIG4sWcotEj8JdihExqS0OwDCSHOEXl++//mrYdRG3EaWnXn
xOaBH8GLorNOCOystLhlHhy6ucxx+iZ10S0aE1F1LiECSJ9sll37JZQ/NVdTopPnvZNPhzc8tAo3TJ8PPEm9bDaT9EQ9d9X18XpJ
/GntRyu7PWIpjm9Xzq4FPy24eqFIjskbtilK7AHRCRAhn73Nf3r2iUcaBkzmIROglFV9iU6Yqn8J0wkEVPh0M1tUlQXYRQP0plYj
afaFuTtagT3vOaaAMV2mdhPs+zukOvtkC7nZHLH59oFFFGBIp6uacDqNYT3KLFzGSedwNfvNsaEzPs958cxwREBO3iHKx3Wfv7aK
YMZAImYFryej4BDo1V0x84WDr5VoVXwMirDhk7Rz8Do4qzwlwZ3ML3WZoEBu0bPWLybK6eBoPU+LK0mLlxylGJ7sVreeGV8Dr6T5
SAmRfkoWpq2GWVn5nla6S6mPePePPpdPipT4gPp2vMdMtx7OH5pvQc22HiXN/s5yIZOsqq4b5rAChgvAEj4x/vvLTDpMu+LquEEh
v5Z3bb44ZH45s/u6TzC+LOKOD4j+y9ULvuOHyQ994yoJAnmxc5AMesG4bWuDZKT5VAmrKVO/gmvXOYaUFdCIdybkXxZJCIRPVd+D
TcJRIE2KTvDyUbVM34W7PT1AqDWT29E18OUw3iov4NWL8Nw12bQsjy7+BmA9EdAKDQqsKLXCNHafVLdS1vwVFEMw2YlCzPrZzg3w
VtF7yk6Y1HbCFyuFnBzPe9wgJVkf9I9NYigVLu7jTkLsjYTTzVT9tzggQU3r0oMLY8ikC2NyMe0eG03TBA943wm74kd9bBF++S0R
/STBsJQ2apxODfEmCt4Oco4fgh6YMJKMGs5c6mdlId+5daHLfkreN0jbazwqBR8Ph94WrFoO+on9tlCl8iaOzAq6UGrUhgyBmBiR
+yXBQKjFaMVIHOsbazaxHdivqcaJoj3lXcQtiIFZ9O3+JHAS2n1AJ2sdbs1xSyNhT3gqwpcls3xrbG5v2szHUbLeo0Wsw0T6zkV7
CNwK7HhvJ1rI42fvXzS2FvV2wC5VPMyqQ35gSyx/IG98Qd7VuTo77Nnm6VB/DDXxWKGSLYq0QGvyL0F4ruMb+T3UgkBJx1P7u0oO
XhRcWd4T11YIsujY9XZT+EYWPjdvtaiNzXbsW4/qARjQzm1X8moOvZh1pTA1uSlUHAyDDrf5g4Bht1llVwgwciduKP+teZ8FhjvD
6gs85s9UPNI+Eh+wi8tDGlFoBf15lPGZlB8gHH8nIkQRgGqIN3ZnTO9AG9BZTiYRZmmbYHkm3ltaUqHuuO4TW15n3TtPali3otXA
ikKP1Gx9hi1w24rc9HwpR2ez/ChOGg/FPDlU269BgZkjsP+PeyQ60CXSj5RJQ/K1Sx+57LGZ6j8tgyQUDP6hwrzkHdv/9nQJdB8R
8hVQflEFKz/tQSwFna5dVc0k6OblbJQuFIva4fOZ7t4A1lBWegEo+O5fubaeuh90WY5Bnal8/1eWEAdGbtbAKAFyQQmnb9zFlNag
i9CA3EibLBPs3PfzkEEq3mkRGw/qIdnI7ljefc881ZDjYsiW5ziVsH/SPSJMCqWZlBdpsCVi69g2k/XUUWXs+NMqeRknUOJGs4ht
w26Dosw0arhoyxG/Vw8EguQXyyQE6JGFac3//GJjNsKXXkVW2srgOHS57RsKypIl9OlMnokuqzUqS0B/ONXFwprhf5Ltcct1PFdn
Zcp+xhvlZfl5sR3nhPf0mt59IGbQvgeRk3ykwAJ8hFN95wz3nyoGnMVBDCxX2ZYLAtb9ec8COlYnWNTYRTHUQXF3UMhyUhPTiEke
toNPQFMlTGdh65JRKLRZzQHArhyktTM/9lomi98lRvNcBbQbn4VWu+aH780oiJ3t4rmu/NYNAIvCyKyTC+ZUDw/dScDIl6WNahRZ
qHcTC3MQ8Cx3vqflCcKlqmKzfRaNG2Zel1A5cPpnJJdoxp+LxWkSD1BxMUDjzTruvUSTr0zB28z8pX9yenTxwHPmyasLx2Psqtao
Zp7busnfFmG6V3AQOPAv4XTODHX3i2MqNUs12b+tzFvnj024V6sSbWl6CjaP0p1e5DV8qOzApxJbLPCE1dsy6JDPp11KBdoBgCxJ
MMVxmjRHTOAvnB9XwoMQznEOqIR63MnWvpalLecvwSn9K0L10p1rFQCibDVNLeviYJVTX6pgCbalzbvDF5DntD7YoQXSMLje7jIh
UbBQtaAQyU00TaEOwcPvZ/jzGXEsTQZOOzJs9GV2ejnYaE1vd7qA3uEXEkuzdI1UtS72Tp/qnO3I9pAmObkSNHX1ZVmYzQDZKd0m
NcCLVzpCJwuGi4mSDeU3dAcjOmW9CO1qxNC9BN/pJ1lxVNLM+iLqWkDi+N4rdoY5g9w/43zoOr9yS/4r67f5aPsAmWvuD3EgXz3N
0T06x2U8InIOA/vSNsRsMg1oWMNjWuf+O34hCebdzRaUAmHeg2FJ2NztWQW8ElpQjYKe0cuaUwFgi10WEaI+scf1OXInPiSYZ1Pr
wJhPBTj395Nvwx7y3NxIEG2S9VIstC0OQnbB9O5QaEy5aBOaOmcp7TCz88SsUwN5yQVKTquUNvnNZt82YhQtCqiQRHX6NmQf/bLx
Fv733fZhrHTlg4UvGnsgDEoZruaDqr66g6fyCg9Fw7HSz/VAIXPNWB9SA0fuQ8sJkSoWhPkhuZyDjeG0u4i8q+1SJpnHCjWEKx5+
aGeI1s/t7uOKfyTiEiWuu0tUieVtHhXvtz7wLcRA3vjjWsPmIVRTfDout9lvOs60GPhYV0b0l57MPhbcudtnPlFkn+qz37sucQue
WeZl1oFdT7yBB5trPZNNQdwHYa0kj6+IxtCjnxhtQFzUlDZeVr80sjLQ3r6L4zqnxptxv7PGrZ0pybpGgGSCaifBxODrxhDiScsC
cCM6jXN/86z8xzQ7cXruFHbWhhZV4zsB5eMw4Dc9/N4YQG9SipPDb7CSo18atwyosqO+ykyaqJuD+WLRcT8MwHaGYxY4u3uza16K
N7nRVOgceNw1JY/AZ3knskFfmEoO9MpsG99kVEyG97tMshFxwbLWtSfXfE/ZcAPQvjjXyN59BjXCMEECBSp5Z45TRgztH8kFlXxD
TTros1/RWXhIQ/kNWSWXu5UsGXV8a8BwiB8bPvH+VX3vI3eKFGYlKIUvgfSIDH+rhvY5wuBulnPQto3XtLaAGQFAx7l0ea2e7toA
9qEzf1dKP1uUoAtr3h3maPCmPP1T9usg0gV/82jewo2tNJ2QODripeEfU5M90KLg0uSmsfOSA6FEFzmeKhdpgaL53sqNmkZCekSG
5LNKVCT6UbSR5qRC8WxFEiAvZN/iyv5osWUHIGfLO3cprQMlGk7uZuerKrMB9NRp0T7JPi2n0HgX80KqSJjxWQT5Vce8Yj52ZApK
RLwgkt5Ngt1S9tIW2SaPWrwQM6HJMNcJ9beUeq1DhpK+BPCAf/+MBftl9xs8niqJrq+1koalUhf1otbj54icNpzTPGA3QmtMqfQU
X+picNV730fGZdFdtBcwrVENlDBpAdSiHUZnvIwFtNmfxEEflCuKKjbEjVi0PV58llW54uxt1hKVBwa8R1hc6dUUFMBnrjmKAM+C
YnE0M6LuJODu/tB2dllMeD0BjqEJDE7xpyefTpw3AdciJAspkossGLHLlaQ2nGZUkJWybbSlG2ZLAuecmY+cS4g6kmtVrWW3frPX
ICfLnOxX6Ovmn97B3ScK7kM5j3KNx8/0xNmkoMGLapU3yMYjakA1oJByGOqWRZYYw55fGPz8wa4RKkzMKdSp7v9fp7VQDsLzaikd
AWiebJBbiRNr6obz0ygkOEGOD9DRiLCvlz2CTMmifBUWW1Q+lD9doWwC8oEgJPY1FVCeOrrFfwskiMynHE8n5KVt4zIhusv93maK
ldvXJ1Kn84w5VxR4BZ/KBYCfl80yMyud8VovkCTc/XPQDV90HG1EzFnWi9r1qRZLdlRC5p0/3iV8Jhwx2hwyKKkpye1hCt+puiyu
RPMy0ASrIKgnG+GIOEdJMocFS0Wh7kYmgE+6HXCwwl4od719KvReJ5AvFz5RtgmboKa1fvilJl33REW/UdD3R6IwnVK29s6jhO0S
4GswQXJHTU2vYZtYjKepVfpKyOFNtnlcuPCGy20EVKpAl9aJPth8CODFDI1ul639af7VBaOYNM6o6GiqmdSPr1X1JvsvtaWkimr4
3XOm7+TfMO1uVXJQ+kqXsmGes8wYm9AzJ+b+eNoCVlhhyMQmoJnZ1N4AHSbUN/l9j/aibQPaaLn7bEGCtBwWa12EQ3AqsymSgZ9d
yb3PEFDiVlUaF/m1AVHsy6ghlR3jlQJCn8Ibz3NMnxkau0xGl1tC819E2uJHH1RBotgu3YY11oYzgQFPWjprQ0S1WEX6m98tizh8
K6V5czuikRHx/tf8m0bkSVC2hSi7AwafQpHUwVV+DsSa8Gdlpn10ZmOydKgxuCi1fFQWN07ix7UOYWUcd9ZFxCrjYT797O23JHvc
Yd6qNfmaPYVHKcPu5BasArkw5eQH0l+HN81K+On1sg2UeEoI8TDs5JmBAvlRpD27kZAg6mjOn1zLKzLgCrvdE0uC+OV7cf4qqWBl
FmAop1s2U4HDW24Nt8Zv30PMPdSOhgT5Dz/yGU8up3lohzdKrNoQ8gYDSXIkQBzhMrizSBruwCh9mekP7QiUuSkhkv2ctr13CNjO
NXNh/rjAq/dZDtC0ooSTV2wysIkgRrVO8R0cfY/NKy+IFizzMrlDSMMqke8cJ6YP8FDEJotWDN/AYZxpA0SQLkX7BDf+PJLKr2j3
MxXtPUaV+5VX74of8aHqcJlGfh19iYHY7JntWmpeFIQb796u/MSwck2PnHtvUTeLFjTGFquCHtkn+MabcOM1ysAozaav3fi7Iir3
vcMgta6r9durf/18pozEmVOybNPykMPQBU8xRKeiTiMB1tdXKcjfPbmrZctL67NNh9odggnTGfvUVOQJJccSW8wRHWGPRK3ImNRX
HVkHGdpcDCGhlRwa0P/43LHLMiqJuKyw5MrkZ0GZIYoikmCRGN4H5CcLjeSh7T6E+xmvAr3HHqC+jh5UIe6VJ4qzDTNGlYDEkis8
5TDyNkvY37eoty3E4Y81HjKSReV4mAQ8cDTALTiZ5jx6/q6URjgMseuKTC1aybcoh0mAvQZWFq7VFoKfdmpo50DZwLxYGkzHVZ6d
30eeGLAyVs7PHnXrWJkOW+T14snuBZqlOuEz0pphSnaXa9noln3nYenUGqpGVJsGLEb9wqArbAdhAEV+Z/SP9dK90z0H+yVxlput
X9w/xl+9GDIjwwceZxvQmy0Y94veLsrngw7uvAaNGUYjOOdDaj79FZ1w0Zp52a/sRmNFu9cy/cua130xgcCwrOVs/z1wh3x4Ggm9
wLT5PyGnmq866yN0+0qmXguKWg5rS086tMCO9rJsiDdoBEwakMpbEsYW9on0rYVTuXbESrcz3DFJCWKRmcUhkaQvj16h1QevZZCh
02BfN4mBWwhu9aiX4A+oF2+bZR2ZVsCif/oHUOJJguk0tHGaNkqqC9Qo4Fl0u2X+2FbpF50TtgOf79N6kUSwLbVVtEr2Kl1xzKR4
l98l3C4DajdGPTFV8ehiYa2g4YsldTVOguOXcOTGVnJREsP6EYU6sqzEdmlRN7ZphSqQBtknDmYLNPldfB1cXlzmhXJYlCP3Sw8S
Y77UX99xj+kD0SfBfi8bVgX1kf5yZ6j0ss0IMnD7Bp40/T0FNnywZoeUFRqxyduSGUbfIoRCtsKtNhnjq9I7QKFeP/MfNbOy2Uyd
keuMrZel+HrEo3Vasj9/Cr0hHdB43f8vN27LDSC6MGVwuuEUS3vYOsd1h6wV3onGXk5nF/7pwOm0M7TG1LOYdM1pe8I9z+qVrpBZ
8xfLfgye4FZh+q8dkEj+vxWVXtTBpX8INU+LZdQxVNWFr5KimJ7OvBcfjTwOGbdZaYwie+CYLYtJi4M0obqOTupJtotWq9fITjD6
/dACPLSAvC2KcSInX+r8whFmseFR1AIKGE4rwb2oVz6MA5VuWQBjpM3Q+ZmGznz2dKyVShyhYquH5eYhQrYbGjUIdSeOiQLC5z/u
2rfJblqoSqPs77pu3NYNjAUjDqYBFBG/WXZau1+VOHmC99grNY9Ub7kOzn9+YUK7WlnKlfR0TnzhzCMxjYlHOLXKXA9cUYGSK1k0
YXj7xw6cfuSOLIsI7DPPGIJayaSABaku8X62MPe8bzwDzCVbcjbf9IIFElGlGzzDDSAlM018MnQ57iO6E+7RGooQ1JE6CUvosPXG
zhjjC030KJgzwZCpEUtRBVGIykhwXdPeAPdoDhBCwQ5HPG7rrIBXjVgxM6Q3D/aISQZSErSV8Gh15wHrZyaeA89OUkA7OTxXEQ9W
DYAvA/pqdrRjJMNUy71Knx+qWsHae+Gdb2ejvFq8L7KCe3oGpWBf4Gs96JU8+pj9OqYrf6jqbJRR6WgvZCc27iju+9QukdIQ9Yeh
qsUWnnPdipLXsn1dIFxojYZsw0XFo6OMa1omDxBxbhQxd64hqgYmun97p0Y86W1oKSoNzYVGcT1FaAZm0i9YETTnjUMJoFLSQha/
CcjNluSFxKaJuUqo6UxDNbbBezVOwkeWTfi7A44dCmxJIhW/hr43mlZXSjAQLIH9La3t1x9lpyiVcq+zvkJxiy9Ap0vXMWNaEAuh
HeUlzrsA7NE/nVAGBOtz293TY44Y+kHq77C92wJoS8FPouXA2a8JBZW9Zvg3gaomuT/0Gn1KgnKc3K5WJ+2AVUIMNwayAhxq+2U1
yKzehjouB200bWZT1HtiTnvPBu02a9iyvKzhpNF4w2A7uUe0EMz6Ql82K6zHHtVzUY8xtbmguv0QGkppUA+oKPdGvhQ1wlZIHP5z
jyVbwj+LF2531kHrBGPDVub55IyOqwtO+H82kMO/vNs1KtyWJC/9sboh87m8ErzGTJ4oBwnKHNpvNMiYfba5W7v/Q8gbFpMhfPXc
GofoDVw5FYn0iF3i/KMyqhQzeWT/beSgGbAJsG5whvENb6F3uIeG0pTp2/vejAgtdgt3JNYK2OF7CATAjPuQgPwGY1Ycfor+ARhW
lfo+uooZmcJ2XLh/cOrSCTBaheJ/AyacILquoz1BXGa97898J7VaRbpGu80XzrDKgpawNyDPA6px88aLp+OYXhkmyxf3IT0Ln+0R
h1papreta86C4bWi761ZuH7GNnJMmXW3GyLloy28brIYD0NqrXdqBf0Ir7tV6ofJJ2A2LkNGwVEPBUNBlt359eOmETYOPU9hFS5h
RMbg18vsaTH9JKgYV1lm4gSOjkhAYzPetPhvhGvzUwYFD2KFzl0LdYhke3NJMM7E53Pa6X7z0+YDETS2Ra1/4w2BNaskxNk9fFyk
I0NZKdwTBT+746nW/oCaQQX4xO854376I/f04f/YFKULZdeTk2Q824dh3ajsw4GQMKZPWeJD/bTjSH4KYOIMAwZ0HRUti12ez+5+
e5VcRx4m9BuKBZBuDzTMngfnUk9DpuMWqldhdi7PhnyxW+CaYKcOrqcxAeB7Na2UPGY0h2+2yxIFNIB+rWYXaWYTKvU1Qvm2SIOP
BIwU/aggyvAV3scWVa9mkvWEulDq/zffEAY0JZZ51aChWQuNOkh4bHuWoMWhvD0wqhGAhuWA37xARKNAqWdZVM2Fjqs2wVcjVhcl
2Ykg5q2lIBaQEOrgRbX0zsFfZYnO/xiKwxXWpsEaj8ts/AJAynrt7OauvV88z+QSs8jkP7nf0z2WGeFonp/kQYzBHAwT2dZaLmFg
qBbZxWS+jqu3rfG+I80Xg0wOTq8BKJe2zycYPqNpS/0a5RJufrLoWIpXUXBcMQu5zkgp7+bTnnZfhSvP3oBOmySmroSF2xD+Wee8
i7tcQLKJEkjQHc7GPY8UJFgC2giIsLj9fZSiTbYHuSh4XSMohe4+YErK7LicfLALei8oEI/lTiGQssR4m0jaa6UuU3BYmCIPpRo/
X8pa1oiPEJU7WV8rFuAvEqDpaSgjEnxVxHbJCq+LxwO/46xrLdDnqGeuPUCWVn9ubSgFS0B+pXb3TBplm6VnqEmdEQdh2blCkLFB
YSMQ3NDLHeNkkj9aFtl62BOKj6t7Ufre/EZhu+4T2DxdLRIkLmN67VcTXPWfI0U9kS+YU546SBJ9Eu1xZe9y3yz+kop3Wn4HiwDy
C77Nz4fO3AU4qBYYs2CemEKZpGe+c9QYx75TKIAa+7jw/yu8TKcfq/SlFfzzONUxTFC/m8WOrgUtYJ4b/6ckdKp4f1pqBrQOTVIh
+JlZ84UM4MH1VwMafcunG8Unvv/8Sw/Z4qoOHl57uwWDPBPCevQ+SuteRTWFj/rRfT7hr7Yi7zxDBlRhN1Usm7H85wEA6J5as6Vv
M5v0Gl7dUzq2SX0vycCwc2jgrV5qqouXOSN5fWUG531YRycHOjv78KmufZQgRCCttBevYx/QPOw2oqVPh4PRv2UuwZxmUWjxjfJC
Xv5tgouXf57bsyMEMQYm5+Ez9dt94+H50n9b/lnEn0CBHQX1hqRUlsSwqEbV1vzZVfxuOJ4wFWAN62ap2HEmzGWaWof1/W1yomLa
k8ka3U24aBuhZ0pqC6Xcbq8sO38DaOwdWZJ2238xEhhAd8txLOJXNwSVD7GpmAver5sPzXT6V/97oK/119RzHoR2t8XQDD4fqWwZ
mgROdkiE3IqWUsdzefBdT3Ntk8E9z3K+Hod/CJsPHdZMEIINYQrntrk0+x3JDzz/JcQHUB4k+9TquDr15W10jmAx5jYUfVznShIG
wmmf552WvdOMw1Vo06EZV9inrGvr9k63uEuizoFN4hYDZNe41EJ/iacnmRavA8Og/nNEzrP8OagttluLX7RIjvSxTdhRNO3zSrkb
IemCsi1ZWFpXbnDyM/+G8B/K920I65mDXHi1qkdYJ1YkZz2UcQNN9ODXD43AaQIgmwbw00LzCmSrkrHjN6ITe9RQEbpoHBvJe+Cn
qAsXaysU2Yae2ePgijji3PmJLm1yLm1e6AyoEKYCO6wsyjBCFglTgko/p6jLB5yuL1PyxFY85pfYM7rytINNYLDvrURqa64sRxL7
QTtJKYSTf1xlYMmzdIhdOMpLr5K+II79Tr+7OD8yo9darVTQ9n6EzkHnYCCacvGjE0stMTAkB8M3+WQFvXhbzF2he9YT0I52M0lf
Nvnj39YTm7BY2D8r+6twEdVWpduNqqiMDJU3xjAN34+BN5eeLSid9GTEr9LiiabijhFowxjHIN15c5DJYeqjSgBZCxc0PjAGPYwh
pbFv3Tyua2/1XOpAOJX+oqIL9ciN953iTDtNhHXUZ8Fisq0cS18ZLlWkMxqtdVLZlZsZw9tkReeFzfvPmZay5RG7ttwKH5cdFu/b
XShmriMXAdCmrgJe1dJD4JDjI7jR19UjRjZY+09gSRIK5Z/RcKpcoDB8vzEG1/YQrvdxo0zBOXfOIy/Y/QNeHY/z6ahDGoxa4eRj
XR9NwWbHOp1/ROG+0ArUOTiOFbS1r710cTQ6AJE3rSz7U6yBSOJr2GBf43YUSdlpGP07kruKxUAnFbyGbSd6gDXWXfFSXzESLSot
3hQE+rzrCKVhLJc/xPycEkb4fbq4l6aJDIhC95Y0I/lupbX8TqXMSd+kweXT0hk9qJTsNBgg6BfaRse7/zARQuB7V930FtCYoWW7
sUaXRKcx5UA+wZlDr5MpVLKnW141WST2ZA+/DIk6fyJq+rEJx7B4TcV3AuuPXzFjINRG6NRMv2UfP+uzaMYa3Zkdg/fnbNYAS1ew
x2RoykMNUsr1zBNDSUUnTeBMrQbgSTPc2ohFq8oHgRVz+lI26a0PQ1O4dQYlCzRIQYQXJI71HqAE8JKH8VJ1fE69kxy7j11xHZZX
ujZVHNQwaipyMVMK6CGYTP69SxzDMnsF6wkFC5ZGu4/7PZdk876Tf/9KhKXb1H1e7MG7oilYorM+aKF432wzw3k/dfXPboV+KcFx
J6GykMUc1YcD/WDAz+dOfcTeCxwiBocq8QKO50r2ws/130x4+eUW4FevITtQcv5MuSAr1eEeJ/1DqCJYsIPi7M07+q/J3faiDojK
wSdzUUhnUKZ+xTj42L/e4OcvUYHe6fCfEKp51yQn2Se5ezOGjOhk4oB1XuGFzNczk0ZKEyCMLuC8bXp2rM+wF1e8ndvAO+vnnLa3
bMus1d7jZD3bCMUZQ+tI16lDnK8DzIHG60k+EVunmYXK3wAcA6K9MYpyPzcr6+FWBhxO7qtnLnzmR5C9wXfDxkGGctVieH84WTF1
BKYz238JEkrBU7Cs8uvF82H0oVC1qe5juUz6nIpyXSHgJEu89xNJ2pK/COKO+Pw2WjUY8c860qv6uJKsnet/ssQ9XIXfQ25irJSe
Zns8lzLg8SGdWypAyJvQkjQkS7So0nVqb7uUlx/Y1EH2iCKVdOGToQsmRp9v9/gtnl9ycP9bkApevQPLqOx+WQljkBVcvj1lnTme
rYhXJOg0pR9a0VwqpyJFVvtDOSGOAiHUNcoMFqoLdagEe6LSd43UynqkEzZWLbhQRFiQJCaOQ3n+85kDG4DDq/a9nJNeiDvjHcBq
GDff52ZS7hijrRMP2Fb78ek+9e+/qx/BMsk24234XoR+htSfJhsRqkVlCmrVpZvn0Df23q4mHWGt2GnsdViBoY9nXBYTKPzSrV7T
wDwDuTvz2GAjfHDjFikgZijpv7zS1BhNkMELxhjRWhxIUoDPeThPVAHw5Hae/2AVUvhX5kK786Fg+jXSFFDodXkKa9kszLWe0aLU
fsGYgJmgQ5FQKWIjNnFFeGzhlUOy4Cr80EUAxaukZvUBNjFBvxuy5f5pV0UbX1F1r2qT9G8nwRLYZwtAFJ3h7vDNPI8rxoSJg9N1
M2JCZG5yge0Np/WwTVchmpOFHAX5F8uqvvVefL7jHHw72jja0E3mKv3uPP/5r8npFryB76v0X/vJiurasKYzWBox9ZtwaWU/RWlQ
sRCJx69RwVs1AAfVASDRTOklU4jLS2xpRXAX7IMaoP8vl6IzagjLueBz+1UB8KwZZqV2KL8zwvNvu7XOLearbcMG6sPxVRmth/m9
ASoZFu13+/8TecVUiYnoROjELbj4vMyvWK0Plf7tQPX/SL318lscIb+Kezfq1tBiYnZp4zf5Z1jiMeW04EOHvH0ApFcDwauIliMO
5wmm2vsyBvEhRHq7FAjJT9azSoMte9bYvBkZXcKj1bcDFugswWWRKIE0cS/I0YaHEOMonNLkmtiAecLzYMUCloKg39WJaKOpn3Cy
Tnw+JBbUj6Kr/dvrnNU+6YgiYTyhCY5JwQ083bFcriMOKOOwP5x2acHU9X3tdBkUOWET27K1/OK0Dv2iO2HwazS9ybvsR4earK8C
7IJ1MI5dlOLARSThPG2ZpWnPkx9+ijudtwmKF1r+63k/TiwFLUjL2Am2yMXtcD0valC81vkMPp2DJWzdvPwQMH2V+Z5+UTa6XbuD
0aVFGD5pO2QX6ELUCSWobGyehYbEB4z70JesHzc1vSCTL/DNZmYkKlWoyG+nCaW9Mbc3uCnUzn0AmyO31MxBaOheUdsQwtyKDZEB
2PDVpABhx5VKpgOpjLOmQz7RiuyKQzW8IvayQhypsUCx8GnelzuYZ1rEar6AOFCv5yxNtYu4L8TBcOUjrTHijql2G1FWOHOySQxA
3KGnUNYhkU2mGygtdnw0T3YsNPmATrIVA+eUfhb3h/XNP5+dXnIPMjUmOTxb93Xzug5Qqi2BPW08ZmXh6JmONuSJICn4v1Ztjg2j
cojgOilvFJS/FajJs8iftbt/AGlxslV30IrW8aEogWQv8ac93wunE3gJp19Kv4BcehB181WQkgDNvSN92COrLj0FdKcyDzbTyI0P
sHAUWlGrxe8Z50Xzw0cVMzl0csLXC6RrQxFWZuqsPRhzcn2WhzIthiABaZkCjX5479rSk4AyUyEzrGqJWQzthiyNq7GoSQXMJmax
ib/UU8jFF27REErI8Wh14A2GYywoTIDShkBDQ2xp9VxcYizEl8xOAOyqGnP4WrEzKg4tx5gaPKJC4WHv8/RxRScJRbSIXVcv7FU9
TZMGIIi+75nM16VHfKphREQadLAXcuJeawo/Kx6AQARilhi4g6V3+fbiqQXCo0jnqVkCqD0axIz0pR1q0CPVbCvsUyDF3K5tdZ70
/CZSDRc3TV6YmRFFmQhYNqAUbdzMyg4OTQx9MhAoBL2yN74tKORK2eyH0j/ZuDrHM0Ne24jdi3AHPl4dhj9T2N4SODRmy6/NTR2I
BSoX/bA2vyYW1xVpCJ7m9a5GsggabfYybJ/MMZeN4j8egACQLCEGxb3PSAktT4TIw8sNMXA1hhRJkkU/XDX7g6MHqMAiG4aKuWpR
Io29P8wHk0ReYIeRim0Nnr23L1cUgn3i0Tv1ZZOo+bZNPXARfp5C+tTvRru+AQJVKcBbuwlbBQrOriA2y1GlYTnz1yoUD/oKcQkU
4EadOdvxymDp7UuE7buItR7DVA56T0nUI0Exfrs3uurOiR56ILj8JN9DGfQbRsTh+71OFBPlJ3Bz4lJOT2Di+VlU1NWC0vR954Jh
/i6FCI8VaH2xUmHw+q70aVJKRyLAXJVMrM4hZ0oCrZhls+fRyd/T33klAWWQ/nPg5u5DDc0pi4mT+raIZ01e4P8Ps7rR0WelNBS6
hfNsSk7zXHbQvbnqejtcx8EPs5d69IBYhijLLSFNnehva3drnxdL/mqa2cmGT00vKqg+E3rytlPAaoQRNipn8rAxio/NdChKYsWI
c2q0Y+a8Ptu5Eu9lwGw+bpbB+62Ab9H5QJlGjwHAkuMR6NiypfkpYkiQJ/mvxPvTBXQp3tAX7ArceQiYjvKdBhsYNyVoapqoePWH
zO70EBXGRxaOXF+s2DiHBNcrKQix5o+zGVNEuDZE+oc/UIgIDQkBgRPUetN4NCFUJVAbg5FWDCwGGordzKRNsO8vY9IKYV+/h1tP
hZ781v/1haMMA1wU/LzFspliJ4xZNtmdwRMkGY32Jat38vuVbfoK3nfq1Y5/gAt1tRGlQhXf3908+RBha7vKj+41ZyiTF8GbSsTe
vg4idnefzvZTTNL2m+g67V2AU05OWNO2BSRGyLon3uNCCy48QRcegDUd8l7kgoYvg+yH+jEvnblC0rvoXd4XBevges4pbYlYEZ14
CuXzlmZhRQyWMqJwfrD8SfAKxexKZ3V5NvDE2/VldUfwO2SSE6a1f5BkoOu7UGn9WUDY3oGDDwl3D7mdEesUmTuPm+VB40yKbzhe
k3WFMHEdFmJB9WPgFT5AXyk2NuqBQ+Qnl42PxQ1eyFtsbLoiz1CrnFheF/1aK46VlSio3zSCS4IQ6/URMZKj6bJxi2PYkwVh93Aw
u1frKbaQXt8IhJqZxV2H6IRR1AoFanXqylJ33cHm6Q02fu0XRHuzkLHGM0PoYafK1ouLfIAB43hBjV2t4+BjgvavOJin8BUVCBYg
iWS5/YpFEtTGhxjCyALOHiF//zP20iU0dy3BwqstfZu59n/uk2wRcLn3X9EBa9fz65mTQ1P9EvMSG6hWjc910iOOYVnAhTLufLKi
Cd0WZ6QdzGQYwvoA/+mk6dPQzVQbPGOj/cWuoHTmF9t8rJEVgg1Lzm+HQZ/3HMc0amyBsyOaGOTYd8gCEFXvhib5hQWGFRxsLLOc
XloqO4O/3nMybJ6dZsGx7QMxRSQEGJmOCQHSKP+yN4Q5SJjNoO6AP3cPZ0+kmrVRT/MYcY3x4IbVtxVoOl26i7xvgVHeekoQxj/z
oJOQoFurdpZEcPndWUzDhJQiTzhERLwyzMDTsXSwYpQr6ZdeVBi1hQF+N/4L85ZYvCnb9llRH+oPio2AF/aJaAdxbbNz4/lDZdYJ
HFdWBu+WTHY4905rXBITpapGNINh7oARty/SFo8L1IlVLi7E4t2/hTxShHr/7Y5d9m2ZaJuejqrfd157xJEGOLN1+B5DsajbxBtv
flIClUUH/IbXf5SS3tWCrxFKInjU2sRr8Ud2Zag7YIJBFQhPBBKgp2YFm1ckZnQ30h6Ao27kQISvIJ49pcDwFm825kKHShLPlKHb
fZ4xKwdmvE3wUgVvz4o4jqwZ2EgoTh9bdsVeAw4EzDNrkRWwWO8vvjNhy6dn5WUhfd05qkDDX8hIY55IgZAqDoNP+mYriPeMQn3q
oHcqAeM/5RxcuCPpqmXcfwCZuWZjV8ihkP+VFITc/MRuPdA4NtHdTXinjv9xkCHNpUEbDm2blpw953WwYbs0S1GG+C6tS/Hqc/xI
lDROgP/nmf9/PIysyiQX4a0gUMr3vYmGbScH7Q8/MTh+m9CyNX0VVoMNDvex/EurIHa2xAOgaPGGPOky/Xr+Z7VqsmNyl81f73/L
xxo9BPGtpDAVpE2gyIJwtk4I5rlN5GrgRrCgMAjLh7OE995FUjD/K/MqW/RF0Ethl9NeS5aq+pgBvImcGUEy9VeDKrTxZ9/nTNnz
c4ZRlfEAFensl2UerRRTKjf7oDk07eBNcpRiahGbhRK5S+0rDLnhjko6JHHEK5Q+GIg3SvlZF3hsVvXvmbg+2DOzWg83V3jET+b4
poKFee4/6mm2lBsNhC+OU6yrMiFB+OOSMi0eObMpx+//M4wk2e0D9NWRjbKC9Z7TH8/F9Mt6x9Dx8rGFXWlb2PsbbGmHpYhgqEAZ
ugT0SDQlBWJ9+65kyrab65d8FIUKVwdJy/HzogYHLOuMRjUrrAVKPGLRzh8x8dtjX5h9tsZlbN4QLq25GLnU/Gm1X5MzUL8haH8k
Is8PrBaie9Ofaio/Q7Qh0t6dDClEGrWHCsBxW8U5GF6G6fcHb1V9WAw4hdqgFPgZsWbJQF4icY+P5Fz09B4fEdd80UrqkPDo51vs
LKqKrGmvzosCGfHiP5foLA6BPrff9Mir+7/GiNFPqm60Uy8z1FDnhpS42nThK7kTPnPewp+Q5COUFAGZZqaLB4lvxmGLs8x6TXYt
1FyOv1IXxQw9XEtmONl1OFzzABzjXm0uPK+bbhD+x1zlzy097ql7CcVW53NDNmf2rgckjyhfNCecDPXhjdBFuzyubR+4H3D5FsE6
T9qNp2I9cVgvzYDhzAABIE118JH9fZ8xJpmMd/ql76XD4cagfsnVw7C3j72QAXg66PH1UcCtGAM3c2YNJsTD7EXcjezzrks02ah4
0TE4gJoyCHstIbYtmgoyZun1JvWl4I9/8UAQnFy+N2gowH1wGYwye66TxYNDdACYIIhH8JzBwJ8ojla4kWZoEEwMHMR4PAP4uOdt
/2NrxC73zvktOdDx5hwiXiZeyHs/RKwC7kL/kLSljd6M5jFf1ZvfNuKWkRpI1l1j7/ncy/vXNXdVeKv6gOI60S8DDkC9uJPHCDNV
icvD9NV+5IqFDINjbkpCtBivVi9Po/8aVxQYH+lzK4tlUsGbh5pfOJXFtfllE0/Sg/3cPB4u1bCuTWFW6HeYFlt1UKvAwIh4G9WO
mwSgM1Vhj2vRFtL8s0iF30Z0nHMTP9Ru0MXFwk7uRWcECDNfoRQ5rG4FAVXgKwXRGIbkaVj651mBCEIl+W/xjLhHZRfdxZbEyVA5
IXwGcyXM50wKakvWuWAEXWx7qUEEjYqNurIaiBeUY6CkQ2pzq5idQniLVB60iNkUIwWNk1Sxuh9RET/ZrQ6bdNy2PG/sG8Qpm7bn
5Iel8y5N+2nX6yWAAZj+WdkqZ7AZw/4y6hnKcY5QCcknqK2PLl1szhIEL4QaIvkHXPmWMbEHCtaxDGekRe1qutnFbHv1XF/EL6zE
ROxd09G24syGeOq32MLxxCXD33uYNtnmiPTxNpwOQpdS09DcohoRw/GpoCi+Wfi+/vHK3rMYYiWJ1H0TSG3uZ/9RFYwbbvj8gpIM
bzfGtHIH/YZKAN3m5AELy3V6dlr4kFYxrV+V0huQ/QuPklt4mtbRo/lEX4UD5iWuz57W+gqh/d+JYW/ZFS0S/WfPFulgyoq/mZXW
eWMrlZJ90a6W78hkLtyM5GOmDFmjJWdHuSMpTeX6LgA8wtaxSV82hY17lFm0XyTiDKpgkwvpz9Xv5/voQBXuEEO32ZeRQ2HMzc4X
OTuTdiAjWvtDkdseOJDckBADnNQ1BvElM3SdEB+/9sMFFb/M+KCmF6lA5ICgyq1sm2zcMjJjYb/XTNwpvBm/S3RNOjzdZsk/sMQB
1RlfHWqK2oBi6H1mMKo4zotj4v00i4M/8skkQSddiMbnKq4LnGtXJASHjOuy28iwTLt0rgV+Wg34AMi/OQkxXkKWwgzN4o/S6Oyk
/JcDz+ZSwWxCSaNfnoi6fZJJCSIKdNAneZnJOo0FQAW7Hp1kh1YZ0M2JQGHPhCp/fhwRrrYxMCpW+MPzpCIaK7iLnr9BUfZRbu6a
ziKy1KBAwUN5y1JKsvy3mXhLyqWYucgfoP4BSIOKvwPEYbXkFIBjLUoBeNbpCcUvHQuiQ0VykVYdp6MLPqRTFhmE0aow3kNxhz+r
i4kKhtMJMCh2jVtk52xxMWGWnnoIHKaVTd+4BCbpx99nQ/99qdUW1rE/fD2lW0jtt4E69QpxyhS5TbjMkwJVQ8IhhfJRI83o3fCI
VscROY2ssf7NyV3/oSpJ4WoPRXNcMIl8715ZVNP+JrTPQhRqTK96

1 0
S9rxga8zsRVm/sZWu4mIxtrB/XNQkPCh4Jq+jNub7qABoBiIrSdU0joktbbhb9zBBtNjpODZfPNK

1 100
YMwLd2dJHaA4dMfdmYbVVSFeRS3gbHKg5ABkWa6pbEgBvguhAHGHxmH9AyieGoa223E/tISPlbZ9Sqfbeqc8OZLAt8oLY8ZLRwXY
K1oKfUswe6KiorC3Abt0BKhxUri+igKAr9VbaC1/QDJZSFg7cq3stYiiAONlWz8+vR9uEJk1qrrkklR9ADHYjymbqFyonOpNbU2A
JfgK/lSVLw==

2 0
c6hlXxE6GhYS8jaRJ+O0C2jRqqPsIKOR6suhj760Qa8C3YM8t5ozABOKT0pCKwTY9QElYJYh7Edz

2 100
b9vrEEZm9otyNgB9w+KsHJt9xQCw9yJYGp2ZRAEuIYwCePuNk1hueqFWqqPcAoIBya1RlGl9Q2YPg3/z10jm1lq4KvdHKb/gnj0F
C2FGADvIZ3IdshE8gt7+E1MUEHmPR+3UqkQ/wzmRaOVUaANh6fqcHuIp1eDKpoXXJUZdWvPFwED9UqXbO75U8pLsGR9P1gXp/CD4
bYu2YCeQkw==
"""
