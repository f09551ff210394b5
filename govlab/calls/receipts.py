"""Submission receipts: a content hash over exactly what was submitted, and its verification.

The hash is SHA-256 over a canonical JSON document (sorted keys, no spaces, UTF-8) holding the call,
challenge, organisation, stage, revision number, the answers (files by their own SHA-256), partners,
declarations and the instant the request was received. Anyone holding a receipt can check it against
govlab (receipt code + hash): a match proves that govlab still holds that exact submission.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.core.serializers.json import DjangoJSONEncoder

from .models import ApplicationFile, ApplicationRevision

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def new_receipt_code() -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"R-{body[:4]}-{body[4:8]}-{body[8:]}"


def _files_by_id(application_id: int, answers: dict) -> dict[int, dict]:
    ids = set()
    for value in answers.values():
        if isinstance(value, int) and not isinstance(value, bool):
            ids.add(value)
    if not ids:
        return {}
    return {
        f.pk: {"id": f.pk, "name": f.original_name, "sha256": f.sha256, "size": f.size}
        for f in ApplicationFile.objects.filter(application_id=application_id, pk__in=ids)
    }


def build_content(
    *,
    application,
    number: int,
    answers: dict,
    partners: list,
    declarations: dict,
    received_at,
    file_questions: set[str],
) -> dict:
    """The document a receipt's hash is computed over."""
    files = _files_by_id(application.pk, {k: v for k, v in answers.items() if k in file_questions})
    content_answers = {}
    for key, value in answers.items():
        if key in file_questions and value in files:
            content_answers[key] = {"file": files[value]}
        else:
            content_answers[key] = value
    return {
        "call": application.call_id,
        "challenge": application.challenge_id,
        "organisation": application.organisation_id,
        "stage": application.stage,
        "reference": application.reference,
        "revision": number,
        "answers": content_answers,
        "partners": partners,
        "declarations": declarations,
        "received_at": received_at.isoformat(),
    }


def content_hash(content: dict) -> str:
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def revision_content(revision: ApplicationRevision) -> dict:
    """The hashed document of a stored revision (its answers already hold files by their SHA-256)."""
    application = revision.application
    return {
        "call": application.call_id,
        "challenge": application.challenge_id,
        "organisation": application.organisation_id,
        "stage": application.stage,
        "reference": application.reference,
        "revision": revision.number,
        "answers": revision.answers,
        "partners": revision.partners,
        "declarations": revision.declarations,
        "received_at": revision.received_at.isoformat(),
    }


def verify(receipt_code: str, claimed_hash: str) -> ApplicationRevision | None:
    """The revision this receipt stands for, if its code exists and the stored content still hashes to it."""
    code = (receipt_code or "").strip().upper()
    claimed = (claimed_hash or "").strip().lower()
    if not code or len(claimed) != 64:
        return None
    revision = (
        ApplicationRevision.objects.select_related(
            "application", "application__call", "application__challenge"
        )
        .filter(receipt_code=code)
        .first()
    )
    if revision is None:
        return None
    actual = content_hash(revision_content(revision))
    if not secrets.compare_digest(actual, claimed) or not secrets.compare_digest(
        actual, revision.content_hash
    ):
        return None
    return revision
