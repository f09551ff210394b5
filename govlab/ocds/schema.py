"""The OCDS 1.1.5 release schema with the declared extensions merged in, bundled with the app.

The JSON schema files under ``schema/`` are copied (Apache-2.0, LICENSE files kept) from the standard's
``1__1__5`` tag and from the extension archives mirrored in ../shared/ocds (see docs/ocds.md). The
extensions' ``release-schema.json`` patches are applied with JSON Merge Patch semantics (RFC 7386), as
the OCDS extension mechanism specifies. ``release_errors`` checks one release against the result.

The check is stricter than the schema on one point: it refuses fields the schema does not define
(``additionalProperties: false`` on every object with declared properties, patterned language variants
still allowed), so an undeclared field is caught before publication, as the official validator would.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

# (repository, ref, folder under schema/extensions): the extensions every package declares. All are
# mirrored in ../shared/ocds/mirror, so the official validator can read them offline.
EXTENSIONS = (
    ("ocds_bid_extension", "master", "ocds_bid_extension-master"),
    ("ocds_process_title_extension", "v1.1.5", "ocds_process_title_extension-1.1.5"),
    ("ocds_enquiry_extension", "v1.1.5", "ocds_enquiry_extension-1.1.5"),
    ("ocds_secondStageDescription_extension", "master", "ocds_secondStageDescription_extension-master"),
    ("ocds_requirements_extension", "master", "ocds_requirements_extension-master"),
    # Declared for its MilestoneReference definition, which transactions_relatedMilestone v1.1 refers to.
    ("ocds_metrics_extension", "1.1", "ocds_metrics_extension-1.1"),
    (
        "ocds_transactions_relatedMilestone_extension",
        "v1.1",
        "ocds_transactions_relatedMilestone_extension-1.1",
    ),
)
EXTENSION_URLS = [
    f"https://raw.githubusercontent.com/open-contracting-extensions/{repo}/{ref}/extension.json"
    for repo, ref, _folder in EXTENSIONS
]


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: ``patch`` applied to (a copy of) ``target``; null removes a member."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def release_schema() -> dict:
    """The 1.1.5 release schema with every declared extension's patch merged in."""
    schema = _load(SCHEMA_DIR / "standard" / "release-schema.json")
    for _repo, _ref, folder in EXTENSIONS:
        schema = merge_patch(schema, _load(SCHEMA_DIR / "extensions" / folder / "release-schema.json"))
    return schema


def _closed(node):
    """A copy of a schema where objects with declared properties accept no other field."""
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _closed(value) for key, value in node.items()}
    if "properties" in node and isinstance(node["properties"], dict) and "additionalProperties" not in node:
        result["additionalProperties"] = False
    return result


@cache
def _closed_release_schema() -> dict:
    return _closed(release_schema())


@cache
def _validator() -> Draft4Validator:
    schema = _closed_release_schema()
    # The 1.1.5 schema says ``format: date-time``; check it the way the validator does.
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def release_errors(release: dict) -> list[str]:
    """Every way ``release`` breaks the extended schema, as readable lines (empty when valid)."""
    errors = []
    for error in sorted(_validator().iter_errors(release), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(release)"
        errors.append(f"{where}: {error.message}")
    return errors


RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


@cache
def _package_validator(kind: str) -> Draft4Validator:
    """A validator of release or record packages whose releases are checked as ``release_errors`` does."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release = _closed_release_schema()
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URL, Resource.from_contents(release, default_specification=DRAFT4)
    )
    schema = _load(SCHEMA_DIR / "standard" / f"{kind}-package-schema.json")
    return Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def package_errors(package: dict) -> list[str]:
    """Every way a release or record package breaks the 1.1.5 package schema (releases extended, closed)."""
    kind = "record" if "records" in package else "release"
    errors = []
    for error in sorted(_package_validator(kind).iter_errors(package), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(package)"
        errors.append(f"{where}: {error.message}")
    return errors
