"""Randomised assignment of a pilot's units to its arms, reproducible from a recorded seed.

The algorithm, named ``sha256-fisher-yates-v1`` (stored with every assignment), is fully specified here
so that an auditor can re-derive an assignment from the seed, the unit codes and the arms alone, in any
language, without this code and without Python's ``random`` module:

1. Refuse the input if there are no units, a unit code appears twice, there are fewer than two arms or
   an arm appears twice.
2. Sort the unit codes by Unicode code point (Python's ``sorted`` on ``str``), so the order in which
   the units were entered does not matter.
3. Random numbers: the k-th draw (k = 0, 1, 2, … counting every draw, including rejected ones) is the
   first 8 bytes, read as an unsigned big-endian integer, of SHA-256 of the ASCII text
   ``"{seed}:{k}"`` (the seed in decimal, no padding; e.g. ``"42:0"``, ``"42:1"``). Each draw is a
   uniform integer in [0, 2⁶⁴).
4. A uniform integer in [0, m) is taken from the draws by rejection, so that it is exactly unbiased:
   with limit = 2⁶⁴ - (2⁶⁴ mod m), draw until a value v < limit appears and use v mod m.
5. Fisher–Yates shuffle of the sorted list: for i from n - 1 down to 1, take j uniform in [0, i]
   (that is, m = i + 1 in step 4) and swap the items at positions i and j.
6. Deal the shuffled units to the arms round-robin in the order the arms are given: the unit at
   position p goes to arm number p mod (number of arms). Arm sizes therefore differ by at most one,
   and the first arms receive the extra units.

``fingerprint`` hashes an assignment so that a report can show one short value that changes if any
unit's arm changes.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence

__all__ = ["ALGORITHM", "assign", "draw_seed", "fingerprint"]

ALGORITHM = "sha256-fisher-yates-v1"

_DRAW_BYTES = 8
_DRAW_RANGE = 1 << (8 * _DRAW_BYTES)


def draw_seed() -> int:
    """A fresh seed from the operating system's secure generator: a non-negative 63-bit integer."""
    return secrets.randbits(63)


def _draws(seed: int) -> Iterator[int]:
    """The stream of 64-bit draws of step 3: SHA-256 of "{seed}:{k}", first 8 bytes, big-endian."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{seed}:{counter}".encode("ascii")).digest()
        yield int.from_bytes(digest[:_DRAW_BYTES], "big")
        counter += 1


def _below(draws: Iterator[int], bound: int) -> int:
    """A uniform integer in [0, bound) by rejection sampling (step 4)."""
    limit = _DRAW_RANGE - _DRAW_RANGE % bound
    while True:
        value = next(draws)
        if value < limit:
            return value % bound


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    return seed


def assign(units: Sequence[str], arms: Sequence[str], seed: int) -> dict[str, str]:
    """Assign every unit to one arm, as the module docstring specifies; {unit code: arm} by unit code.

    Raises ValueError for no units, duplicate unit codes, fewer than two arms, duplicate arms or a seed
    that is not a non-negative integer.
    """
    seed = _check_seed(seed)
    units, arms = list(units), list(arms)
    if not units:
        raise ValueError("there are no units to assign")
    if len(set(units)) != len(units):
        raise ValueError("a unit code appears more than once")
    if len(arms) < 2:
        raise ValueError("a randomised assignment needs at least two arms")
    if len(set(arms)) != len(arms):
        raise ValueError("an arm appears more than once")
    order = sorted(units)
    draws = _draws(seed)
    for i in range(len(order) - 1, 0, -1):
        j = _below(draws, i + 1)
        order[i], order[j] = order[j], order[i]
    dealt = {unit: arms[position % len(arms)] for position, unit in enumerate(order)}
    return {unit: dealt[unit] for unit in sorted(dealt)}  # listed by unit code, not in the drawn order


def fingerprint(assignment: dict[str, str]) -> str:
    """SHA-256 (hex) of the assignment as canonical JSON: keys sorted, no spaces, UTF-8, not ASCII-escaped.

    That is ``json.dumps(assignment, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``.
    """
    canonical = json.dumps(assignment, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
