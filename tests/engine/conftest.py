from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from cairn.engine.api import ObjectLayer


@pytest.fixture
def make_layer(tmp_path) -> Iterator[Callable[..., ObjectLayer]]:
    """make_layer(drives=4, **options): an ObjectLayer on fresh drives under tmp_path."""
    opened: list[ObjectLayer] = []

    def make(drives: int = 4, **options: object) -> ObjectLayer:
        paths = [str(tmp_path / f"d{i}") for i in range(1, drives + 1)]
        layer = ObjectLayer.open(paths, **options)  # type: ignore[arg-type]
        opened.append(layer)
        return layer

    yield make
    for layer in opened:
        layer.close()
