"""The staff dashboard of the journey's figures: the annual report's funnel, by year and region."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.decorators import member_required
from community.lib.refusals import refused_as_text
from community.places.models import Region
from community.spreadsheet import csv_response

from .report import FUNNEL, accompaniment_report, parse_year, report_csv
from .services import AccompanimentError


def _staff_only(view):
    @member_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_network_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _filters(request) -> tuple[int, str]:
    """The year (the last complete one by default) and region (a name) in the address."""
    year = parse_year(request.GET.get("annee") or timezone.localdate().year - 1)
    region = request.GET.get("region", "")
    if region and not Region.objects.filter(name=region).exists():
        raise AccompanimentError(_("Région inconnue : « %(region)s ».") % {"region": region})
    return year, region


@_staff_only
def dashboard(request):
    this_year = timezone.localdate().year
    context = {
        "years": range(this_year, this_year - 10, -1),
        "regions": Region.objects.values_list("name", flat=True),
    }
    try:
        year, region = _filters(request)
    except AccompanimentError as error:
        return render(
            request, "accompaniment/figures.html", {**context, "error": str(error)}, status=400
        )
    report = accompaniment_report(year, region=region or None)
    values = [report["applications"]["received"], *report["entered"].values()]
    top = max(values) or 1
    funnel = [
        {"label": label, "value": value, "max": top}
        for label, value in zip(FUNNEL, values, strict=True)
    ]
    return render(
        request,
        "accompaniment/figures.html",
        {**context, "report": report, "year": year, "region": region, "funnel": funnel},
    )


@_staff_only
@refused_as_text
def export(request):
    year, region = _filters(request)
    suffix = f"-{region}" if region else ""
    return csv_response(
        report_csv(accompaniment_report(year, region=region or None)),
        f"accompagnement-{year}{suffix}.csv",
    )
