"""Release and record packages, and the compiled release of a process (OCDS merge routine).

Compiling follows the OCDS merge rules: objects merge field by field; arrays of objects that all carry an
``id`` merge by ``id`` (identity merge); any other array and any plain value is replaced by the later
release's; ``id``, ``date`` and ``tag`` of releases are omitted (``omitWhenMerged``). Releases are
merged in date order.
"""

from __future__ import annotations

import copy
import json

from django.urls import reverse
from django.utils import timezone

from .builder import absolute, iso
from .schema import EXTENSION_URLS

OMIT_WHEN_MERGED = ("id", "date", "tag")


def _identified(items) -> bool:
    return bool(items) and all(isinstance(item, dict) and "id" in item for item in items)


def _merge(target, source):
    if isinstance(source, dict):
        result = target if isinstance(target, dict) else {}
        for key, value in source.items():
            result[key] = _merge(result.get(key), value)
        return result
    if isinstance(source, list) and _identified(source) and (target is None or _identified(target)):
        merged: dict = {str(item["id"]): item for item in (target or [])}
        for item in source:
            merged[str(item["id"])] = _merge(copy.deepcopy(merged.get(str(item["id"]))), item)
        return list(merged.values())
    return copy.deepcopy(source)


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release of one process from its releases (any order; merged by date)."""
    compiled: dict = {}
    ordered = sorted(releases, key=lambda r: r["date"])
    for release in ordered:
        body = {k: v for k, v in release.items() if k not in OMIT_WHEN_MERGED}
        compiled = _merge(compiled, copy.deepcopy(body))
    if ordered:
        last = ordered[-1]
        compiled = {
            "ocid": last["ocid"],
            "id": f"{last['ocid']}-compiled-{len(ordered)}",
            "date": last["date"],
            "tag": ["compiled"],
            **{k: v for k, v in compiled.items() if k != "ocid"},
        }
    return compiled


def package_meta(publication, uri: str, published=None) -> dict:
    """The metadata every package carries."""
    publisher = {"name": publication.publisher_name}
    if publication.publisher_uri:
        publisher["uri"] = publication.publisher_uri
    return {
        "uri": uri,
        "version": "1.1",
        "extensions": list(EXTENSION_URLS),
        "publishedDate": iso(published or timezone.now()),
        "publisher": publisher,
        "license": publication.license_url,
        "publicationPolicy": policy_url(publication.lab),
    }


def policy_url(lab) -> str:
    return absolute(reverse("ocds:policy", args=[lab.slug]))


def release_package(publication, uri: str, releases: list[dict], published=None) -> dict:
    return {**package_meta(publication, uri, published), "releases": releases}


def record_package(
    publication, uri: str, ocid: str, releases: list[dict], release_urls, published=None
) -> dict:
    record = {
        "ocid": ocid,
        "releases": [
            {"url": url, "date": release["date"], "tag": release["tag"]}
            for url, release in zip(release_urls, releases, strict=True)
        ],
        "compiledRelease": compile_releases(releases),
    }
    package = package_meta(publication, uri, published)
    if release_urls:
        package["packages"] = [release_urls[0].split("#")[0]]
    package["records"] = [record]
    return package


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
