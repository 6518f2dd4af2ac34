"""The listening socket: a port another server holds is refused, never shared."""

from __future__ import annotations

import pytest

from cairn.server.serve import bind, parse_address


def test_a_port_in_use_is_refused() -> None:
    first = bind("127.0.0.1:0")
    try:
        port = first.getsockname()[1]
        with pytest.raises(OSError):
            bind(f"127.0.0.1:{port}").close()
    finally:
        first.close()
    again = bind(f"127.0.0.1:{port}")  # free again once closed (SO_REUSEADDR: no TIME_WAIT wait)
    again.close()


def test_parse_address() -> None:
    assert parse_address(":9000") == ("0.0.0.0", 9000)
    assert parse_address("[::1]:9000") == ("::1", 9000)
    with pytest.raises(ValueError):
        parse_address("localhost")
