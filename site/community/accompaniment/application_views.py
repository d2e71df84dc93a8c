"""A commune applies (no account needed), and its applicants confirm by e-mail."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from community.lib.public_forms import too_many_sent
from community.lib.refusals import refusal_on_form

from .forms import CommuneApplicationForm
from .models import Applicant
from .services.applications import confirm_applicant, submit_application

SENT_SESSION_KEY = "accompaniment_application_sent"


def join(request: HttpRequest) -> HttpResponse:
    """« Nous rejoindre »: a commune's application or a person's membership."""
    return render(request, "accompaniment/join.html")


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = CommuneApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_robot:
            return redirect("accompaniment:application_sent")
        if too_many_sent(request, form, action="commune_application"):
            return _form_page(request, form, status=429)
        if form.is_valid():
            with refusal_on_form(form):
                submission = submit_application(form.application())
                request.session[SENT_SESSION_KEY] = {
                    "commune": submission.applicant.application.commune.name,
                    "email": submission.applicant.email,
                    "joined": submission.joined_existing,
                }
                return redirect("accompaniment:application_sent")
    return _form_page(request, form)


def _form_page(request: HttpRequest, form: CommuneApplicationForm, status: int = 200):
    contact_email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    context = {"form": form, "contact_email": contact_email}
    return render(request, "accompaniment/apply.html", context, status=status)


def application_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accompaniment/application_sent.html",
        {"sent": request.session.get(SENT_SESSION_KEY)},
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token) -> HttpResponse:
    """The e-mail's link opens a page whose button confirms: mail scanners that follow
    links confirm nothing."""
    applicant = Applicant.objects.select_related("application__commune").filter(token=token).first()
    if request.method == "POST" and applicant is not None:
        applicant = confirm_applicant(applicant)
    if applicant is None:
        return render(request, "accompaniment/application_confirm.html", status=404)
    return render(request, "accompaniment/application_confirm.html", {"confirming": applicant})
