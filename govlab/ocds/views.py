"""The public OCDS pages: the labs that publish, a lab's index (licence, policy, bulk files, processes),
the readable page of a process, and its release and record packages. Everyone may read them."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govlab.challenges.forms_lab import apply_errors
from govlab.core.i18n import pick
from govlab.labs.models import Lab

from . import selectors
from .export import DEFAULT_PAGE_SIZE, bulk_url, record_url, releases_url
from .forms import PublicationSettingsForm
from .packages import compile_releases, record_package, release_package
from .publish import publication_for
from .services import publication_settings_save

JSON_TYPE = "application/json; charset=utf-8"


def _json(data) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type=JSON_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _lab(lab_slug: str) -> Lab:
    lab = Lab.objects.public().filter(slug=lab_slug).first()
    if lab is None:
        raise Http404
    return lab


def _process(ocid: str):
    releases = selectors.process_releases(ocid)
    if not releases:
        raise Http404
    return releases[0].lab, releases


@require_GET
def index(request):
    return render(request, "ocds/index.html", {"labs": selectors.labs_publishing()})


@require_GET
def lab_index(request, lab_slug):
    lab = _lab(lab_slug)
    publication = publication_for(lab)
    processes = Paginator(selectors.lab_processes(lab), 50).get_page(request.GET.get("page"))
    for row in processes:
        row["title"] = (
            pick(row["challenge__title"], preferred=lab.languages).text or row["challenge__reference"]
        )
    pages = selectors.bulk_pages(lab, DEFAULT_PAGE_SIZE)
    return render(
        request,
        "ocds/lab.html",
        {
            "lab": lab,
            "current_lab": lab,
            "publication": publication,
            "processes": processes,
            "bulk": [(page, reverse("ocds:bulk", args=[lab.slug, page])) for page in range(1, pages + 1)],
        },
    )


@require_GET
def policy(request, lab_slug):
    lab = _lab(lab_slug)
    return render(
        request, "ocds/policy.html", {"lab": lab, "current_lab": lab, "publication": publication_for(lab)}
    )


@require_GET
def bulk(request, lab_slug, page):
    lab = _lab(lab_slug)
    pages = selectors.bulk_pages(lab, DEFAULT_PAGE_SIZE)
    if page < 1 or page > max(pages, 1):
        raise Http404
    releases = selectors.bulk_page(lab, page, DEFAULT_PAGE_SIZE)
    package = release_package(publication_for(lab), bulk_url(lab.slug, page), releases)
    response = _json(package)
    links = []
    if page > 1:
        links.append(f'<{bulk_url(lab.slug, page - 1)}>; rel="prev"')
    if page < pages:
        links.append(f'<{bulk_url(lab.slug, page + 1)}>; rel="next"')
    if links:
        response["Link"] = ", ".join(links)
    return response


@require_GET
def releases_json(request, ocid):
    lab, releases = _process(ocid)
    return _json(release_package(publication_for(lab), releases_url(ocid), [r.data for r in releases]))


@require_GET
def record_json(request, ocid):
    lab, releases = _process(ocid)
    url = releases_url(ocid)
    data = [r.data for r in releases]
    return _json(
        record_package(publication_for(lab), record_url(ocid), ocid, data, [f"{url}#{r['id']}" for r in data])
    )


@require_GET
def process(request, ocid):
    lab, releases = _process(ocid)
    compiled = compile_releases([r.data for r in releases])
    tender = compiled.get("tender", {})
    statistics = {s["measure"]: s["value"] for s in compiled.get("bids", {}).get("statistics", [])}
    contracts = compiled.get("contracts", [])
    transactions = [
        (contract, item)
        for contract in contracts
        for item in contract.get("implementation", {}).get("transactions", [])
    ]
    milestones = [
        (contract, item)
        for contract in contracts
        for item in contract.get("implementation", {}).get("milestones", [])
        if item.get("status")
    ]
    return render(
        request,
        "ocds/process.html",
        {
            "lab": lab,
            "current_lab": lab,
            "ocid": ocid,
            "compiled": compiled,
            "planning": compiled.get("planning", {}),
            "tender": tender,
            "statistics": statistics,
            "awards": compiled.get("awards", []),
            "contracts": contracts,
            "transactions": transactions,
            "milestones": milestones,
            "parties": compiled.get("parties", []),
            "releases": releases,
        },
    )


@login_required
def settings_edit(request, lab_slug):
    """The lab's managers set the OCDS prefix, publisher, licence and publication policy."""
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not request.user.has_perm("ocds.manage_publication", lab):
        raise Http404
    publication = publication_for(lab)
    form = PublicationSettingsForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            publication_settings_save(lab=lab, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The publication settings are saved."))
            return redirect("ocds:settings", lab.slug)
    return render(request, "ocds/settings.html", {"lab": lab, "current_lab": lab, "form": form})
