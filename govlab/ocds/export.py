"""Write the published releases as files: a release and a record package per process, and bulk pages.

Streams: releases are read with ``.iterator()`` ordered by lab, ocid, date, so only one process's
releases are in memory at a time, and bulk pages are written release by release.

Layout under the output folder:
  releases/<ocid>.json              release package of one process
  records/<ocid>.json               record package of one process (linked releases + compiledRelease)
  bulk/releases-0001.json …         bulk release packages, ``page_size`` releases each, for one lab
                                    (``--lab``); without it, ``bulk/<lab slug>/releases-0001.json`` …
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from govlab.labs.models import Lab

from .builder import absolute
from .models import Release
from .packages import package_meta, record_package, release_package
from .publish import publication_for

DEFAULT_PAGE_SIZE = 1000


def releases_url(ocid: str) -> str:
    return absolute(reverse("ocds:releases", args=[ocid]))


def record_url(ocid: str) -> str:
    return absolute(reverse("ocds:record", args=[ocid]))


def bulk_url(lab_slug: str, page: int) -> str:
    return absolute(reverse("ocds:bulk", args=[lab_slug, page]))


def bulk_name(page: int) -> str:
    return f"releases-{page:04d}.json"


@dataclass
class ExportResult:
    processes: int = 0
    releases: int = 0
    bulk_files: int = 0


class BulkWriter:
    """Writes bulk release packages page by page, never holding more than one release."""

    def __init__(self, folder: Path, page_size: int):
        self.folder = folder
        self.page_size = page_size
        self.handle = None
        self.page = 0
        self.count = 0
        self.files = 0
        self.lab = None

    def _open(self, publication, lab_slug):
        self.page += 1
        self.files += 1
        meta = package_meta(publication, bulk_url(lab_slug, self.page))
        head = json.dumps(meta, ensure_ascii=False)[:-1]
        self.folder.mkdir(parents=True, exist_ok=True)
        self.handle = (self.folder / bulk_name(self.page)).open("w", encoding="utf-8")
        self.handle.write(head + ', "releases": [\n')
        self.count = 0

    def close(self):
        if self.handle is not None:
            self.handle.write("\n]}\n")
            self.handle.close()
            self.handle = None

    def write(self, publication, lab_slug: str, release: dict):
        if self.handle is None or self.count >= self.page_size:
            self.close()
            self._open(publication, lab_slug)
        if self.count:
            self.handle.write(",\n")
        self.handle.write(json.dumps(release, ensure_ascii=False))
        self.count += 1


def _rows(lab: Lab | None) -> Iterator[tuple[int, str, dict]]:
    queryset = Release.objects.all()
    if lab is not None:
        queryset = queryset.filter(lab=lab)
    return (
        queryset.order_by("lab_id", "ocid", "date", "sequence")
        .values_list("lab_id", "ocid", "data")
        .iterator(chunk_size=500)
    )


def export(output: Path | str, *, lab: Lab | None = None, page_size: int = DEFAULT_PAGE_SIZE) -> ExportResult:
    output = Path(output)
    (output / "releases").mkdir(parents=True, exist_ok=True)
    (output / "records").mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    published = timezone.now()
    publications: dict[int, object] = {}
    writer: BulkWriter | None = None
    current_lab = None
    for (lab_id, ocid), rows in groupby(_rows(lab), key=lambda row: (row[0], row[1])):
        if lab_id not in publications:
            publications[lab_id] = publication_for(Lab.objects.get(pk=lab_id))
        publication = publications[lab_id]
        lab_slug = publication.lab.slug
        if lab_id != current_lab:
            if writer is not None:
                writer.close()
                result.bulk_files += writer.files
            folder = output / "bulk" if lab is not None else output / "bulk" / lab_slug
            writer = BulkWriter(folder, page_size)
            current_lab = lab_id
        releases = []
        for _lab_id, _ocid, data in rows:
            releases.append(data)
            writer.write(publication, lab_slug, data)
        url = releases_url(ocid)
        package = release_package(publication, url, releases, published)
        (output / "releases" / f"{ocid}.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        links = [f"{url}#{release['id']}" for release in releases]
        record = record_package(publication, record_url(ocid), ocid, releases, links, published)
        (output / "records" / f"{ocid}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        result.processes += 1
        result.releases += len(releases)
    if writer is not None:
        writer.close()
        result.bulk_files += writer.files
    return result
