"""Reads of the shared vocabularies."""

from __future__ import annotations

from .models import Term


def term_list(*, vocabulary: str):
    """The active terms of one vocabulary, in their data-file order."""
    return Term.objects.of(vocabulary).order_by("position", "code")


def terms_by_code(*, vocabulary: str) -> dict[str, Term]:
    """{code: term} for one vocabulary (active terms), e.g. to link demo data by code."""
    return {term.code: term for term in term_list(vocabulary=vocabulary)}
