"""Progress bars for long work, on stderr and only when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from collections.abc import Iterator
from typing import IO
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def enabled(requested: bool = True) -> bool:
    return requested and sys.stderr.isatty()


class ByteProgress:
    """A binary file wrapper that advances a bar as the parser reads it."""

    def __init__(self, raw: IO[bytes], label: str, *, enabled: bool) -> None:
        self._raw = raw
        size = _size(raw)
        self._bar = tqdm(total=size, unit="B", unit_scale=True, desc=label, disable=not enabled or not size)

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self._bar.update(len(data))
        return data

    def readable(self) -> bool:
        return True

    def __enter__(self) -> ByteProgress:
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()


def steps(items: Iterable[T], label: str, *, enabled: bool, total: int | None = None) -> Iterator[T]:
    """Iterate with a bar labelled ``label``."""
    yield from tqdm(items, desc=label, total=total, disable=not enabled, unit="step")


def _size(raw: IO[bytes]) -> int:
    try:
        import os

        return os.fstat(raw.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0
