"""Where each character of a normalised view came from in the original text."""

from __future__ import annotations

from bisect import bisect_right


class OffsetMap:
    """The original offset of each character of a normalised view, kept as pieces instead of one int per
    character (building that list cost more than the rest of normalising a 4 KB prompt together).

    Piece ``k`` covers the view from ``starts[k]`` on: from ``origins[k]`` counting up one per character
    (``steps[k] == 1``, text kept or folded one for one) or all at ``origins[k]`` (``0``, the characters
    one original folded into). Reads as the list it stands for (``tolist``)."""

    __slots__ = ("length", "origins", "starts", "steps")

    def __init__(self, starts: list[int], origins: list[int], steps: list[int], length: int):
        self.starts, self.origins, self.steps, self.length = starts, origins, steps, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, position: int) -> int:
        if not 0 <= position < self.length:
            raise IndexError(position)
        piece = bisect_right(self.starts, position) - 1
        return self.origins[piece] + (position - self.starts[piece]) * self.steps[piece]

    def tolist(self) -> list[int]:
        index: list[int] = []
        bounds = [*self.starts[1:], self.length]
        for start, end, origin, step in zip(self.starts, bounds, self.origins, self.steps, strict=True):
            index.extend(range(origin, origin + end - start) if step else [origin] * (end - start))
        return index
