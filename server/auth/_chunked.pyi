from typing_extensions import Buffer

from .model import PayloadMode

MAX_LINE: int
MAX_TRAILER_BYTES: int
MAX_SIGNED_CHUNK: int
MAX_UNSIGNED_CHUNK: int
SMALL_PIECE: int

class AwsChunkedDecoder:
    def __init__(self, mode: PayloadMode) -> None: ...
    def feed(self, data: Buffer) -> list[memoryview]: ...
    def finish(self) -> dict[str, str]: ...
    # the buffered state, read-only (tests bound it)
    @property
    def _line(self) -> bytes: ...
    @property
    def _held(self) -> list[memoryview | bytearray]: ...
    @property
    def _trailer_bytes(self) -> int: ...
