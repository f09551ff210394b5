"""Writes for the shared vocabularies: they are data (``govlab/taxonomy/data/*.json``), loaded idempotently.

Each data file holds ``{"vocabulary": "<code>", "terms": [{"code": "...", "name": {"en": "...", ...}}]}``;
a term's position is its place in the file. ``taxonomy_load`` inserts new terms and updates changed ones,
matched by (vocabulary, code); it never deletes (challenges and organisations point at terms).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from govlab.audit.services import audit_record

from .enums import Vocabulary
from .models import Term

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_documents(path: Path | str | None = None) -> list[dict[str, Any]]:
    """The vocabulary documents in ``path``, a JSON file or a directory (default: the shipped data)."""
    path = Path(path) if path is not None else DATA_DIR
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    documents = []
    for file in files:
        with file.open(encoding="utf-8") as handle:
            document = json.load(handle)
        if document.get("vocabulary") not in Vocabulary.values:
            raise ValidationError(f"{file.name}: unknown vocabulary {document.get('vocabulary')!r}.")
        documents.append(document)
    return documents


def upsert_terms(term_model, documents: list[dict[str, Any]]) -> LoadResult:
    """Insert or update terms; works with the real model and with a migration's historical model."""
    result = LoadResult()
    for document in documents:
        vocabulary = document["vocabulary"]
        existing = {term.code: term for term in term_model.objects.filter(vocabulary=vocabulary)}
        for position, item in enumerate(document["terms"], start=1):
            code, name = item["code"], dict(item["name"])
            term = existing.get(code)
            if term is None:
                term_model.objects.create(vocabulary=vocabulary, code=code, name=name, position=position)
                result.created.append(f"{vocabulary}:{code}")
            elif term.name != name or term.position != position:
                term.name, term.position = name, position
                term.save(update_fields=["name", "position"])
                result.updated.append(f"{vocabulary}:{code}")
            else:
                result.unchanged += 1
    return result


def _validate(documents: list[dict[str, Any]]) -> None:
    for document in documents:
        seen: set[str] = set()
        for item in document["terms"]:
            term = Term(vocabulary=document["vocabulary"], code=item.get("code", ""), name=item.get("name"))
            term.full_clean(exclude=["position"], validate_unique=False, validate_constraints=False)
            if term.code in seen:
                raise ValidationError(f"{document['vocabulary']}: the code {term.code!r} appears twice.")
            seen.add(term.code)


@transaction.atomic
def taxonomy_load(*, path: Path | str | None = None, loaded_by=None) -> LoadResult:
    """Load vocabularies from ``path`` (default: the shipped data); audited only when something changed."""
    documents = read_documents(path)
    _validate(documents)
    result = upsert_terms(Term, documents)
    if result.changed:
        audit_record(
            actor=loaded_by,
            action="taxonomy.load",
            changes={"created": result.created, "updated": result.updated},
        )
    return result
