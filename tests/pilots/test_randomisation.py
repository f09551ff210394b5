"""Randomised assignment: reproducible from its seed, balanced, unbiased, and specified by its docstring."""

import hashlib
import json
from collections import Counter

import pytest

from govlab.pilots import randomisation
from govlab.pilots.randomisation import ALGORITHM, assign, draw_seed, fingerprint

UNITS = [f"U{number}" for number in range(1, 9)]
ARMS = ["control", "treatment"]
SEED = 20261204

# Pinned: if this changes, the algorithm changed and must get a new ALGORITHM name.
PINNED = {
    "U1": "control",
    "U2": "control",
    "U3": "control",
    "U4": "treatment",
    "U5": "control",
    "U6": "treatment",
    "U7": "treatment",
    "U8": "treatment",
}
PINNED_FINGERPRINT = "9acf374fc71d6859d8f774c35e66ecf59ccc94c56e513310895304ed08395dec"


def auditor_reproduction(units, arms, seed):
    """An independent implementation written from the module docstring only."""
    order = sorted(units)
    k = 0

    def draw():
        nonlocal k
        value = int.from_bytes(hashlib.sha256(f"{seed}:{k}".encode("ascii")).digest()[:8], "big")
        k += 1
        return value

    for i in range(len(order) - 1, 0, -1):
        m = i + 1
        limit = 2**64 - (2**64 % m)
        value = draw()
        while value >= limit:
            value = draw()
        j = value % m
        order[i], order[j] = order[j], order[i]
    return {unit: arms[position % len(arms)] for position, unit in enumerate(order)}


def test_algorithm_name():
    assert ALGORITHM == "sha256-fisher-yates-v1"


def test_pinned_assignment_for_a_fixed_seed():
    assignment = assign(UNITS, ARMS, SEED)
    assert assignment == PINNED
    assert list(assignment) == sorted(UNITS)  # listed by unit code
    assert fingerprint(assignment) == PINNED_FINGERPRINT


@pytest.mark.parametrize("seed", [0, 1, 42, SEED, 2**63 - 1, 2**80])
@pytest.mark.parametrize(
    ("units", "arms"),
    [
        (UNITS, ARMS),
        ([f"site-{n:03d}" for n in range(37)], ["A", "B", "C"]),
        (["école", "Zeta", "alpha", "Ω", "Ärzte"], ["B", "A"]),
        (["only"], ["x", "y"]),
    ],
)
def test_the_docstring_alone_reproduces_the_assignment(seed, units, arms):
    assert assign(units, arms, seed) == auditor_reproduction(units, arms, seed)


def test_same_seed_same_assignment_and_different_seeds_differ():
    assert assign(UNITS, ARMS, SEED) == assign(list(UNITS), list(ARMS), SEED)
    assignments = {tuple(assign(UNITS, ARMS, seed).items()) for seed in range(50)}
    assert len(assignments) > 30  # 70 balanced splits of 8 units exist


def test_input_order_does_not_matter():
    shuffled = ["U5", "U2", "U8", "U1", "U7", "U3", "U6", "U4"]
    assert assign(shuffled, ARMS, SEED) == assign(UNITS, ARMS, SEED)
    assert assign(tuple(reversed(UNITS)), ARMS, SEED) == PINNED


def test_arm_order_is_the_dealing_order():
    swapped = assign(UNITS, ["treatment", "control"], SEED)
    assert swapped == {unit: "control" if arm == "treatment" else "treatment" for unit, arm in PINNED.items()}


@pytest.mark.parametrize(("n_units", "n_arms"), [(1, 2), (7, 2), (8, 2), (10, 3), (11, 4), (3, 5)])
def test_every_unit_once_and_arms_balanced(n_units, n_arms):
    units = [f"unit-{n}" for n in range(n_units)]
    arms = [f"arm-{n}" for n in range(n_arms)]
    for seed in range(20):
        assignment = assign(units, arms, seed)
        assert sorted(assignment) == sorted(units)
        sizes = Counter(assignment.values())
        counts = [sizes.get(arm, 0) for arm in arms]
        assert max(counts) - min(counts) <= 1
        # The first arms receive the extra units.
        assert counts == sorted(counts, reverse=True)


def test_rough_uniformity_over_many_seeds():
    in_control = Counter()
    for seed in range(2000):
        for unit, arm in assign(UNITS, ARMS, seed).items():
            if arm == "control":
                in_control[unit] += 1
    for unit in UNITS:
        assert 0.45 <= in_control[unit] / 2000 <= 0.55, unit
    # Each of the 8 positions after the shuffle is equally likely for the first unit.
    positions = Counter()
    for seed in range(2000):
        arms = [f"a{n}" for n in range(8)]
        positions[assign(UNITS, arms, seed)["U1"]] += 1
    assert all(150 <= positions[f"a{n}"] <= 350 for n in range(8)), positions


@pytest.mark.parametrize(
    ("units", "arms", "seed", "message"),
    [
        ([], ARMS, 1, "no units"),
        (["U1", "U2", "U1"], ARMS, 1, "more than once"),
        (UNITS, ["control"], 1, "at least two arms"),
        (UNITS, [], 1, "at least two arms"),
        (UNITS, ["A", "B", "A"], 1, "arm appears more than once"),
        (UNITS, ARMS, -1, "non-negative"),
        (UNITS, ARMS, 1.5, "non-negative"),
        (UNITS, ARMS, True, "non-negative"),
    ],
)
def test_refusals(units, arms, seed, message):
    with pytest.raises(ValueError, match=message):
        assign(units, arms, seed)


def test_independent_of_pythons_random(monkeypatch):
    import random

    def forbidden(*args, **kwargs):
        raise AssertionError("random must not be used")

    for name in ("random", "randrange", "randint", "shuffle", "getrandbits", "choice"):
        monkeypatch.setattr(random, name, forbidden)
    assert assign(UNITS, ARMS, SEED) == PINNED
    assert not hasattr(randomisation, "random")


def test_draw_seed_is_a_63_bit_non_negative_integer():
    seeds = {draw_seed() for _ in range(20)}
    assert all(isinstance(seed, int) and 0 <= seed < 2**63 for seed in seeds)
    assert len(seeds) == 20


def test_fingerprint_is_sha256_of_canonical_json():
    assignment = {"b": "treatment", "a": "control", "é": "control"}
    canonical = '{"a":"control","b":"treatment","é":"control"}'
    assert fingerprint(assignment) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert fingerprint(dict(reversed(list(assignment.items())))) == fingerprint(assignment)
    changed = {**assignment, "a": "treatment"}
    assert fingerprint(changed) != fingerprint(assignment)
    assert json.loads(canonical) == assignment
