"""Pages of the job offers: the public list, an offer and its application form (no account
needed), the candidates' page for staff and the commune's elected members, publishing, and
the chosen candidate's invitation."""

from __future__ import annotations

from functools import wraps

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.accompaniment.models import Project
from community.accounts.decorators import member_required
from community.accounts.models import Role
from community.lib.public_forms import too_many_sent
from community.lib.refusals import refusal_as_message, refusal_on_form
from community.media import serve_private_file
from community.page_cache import changes_at

from . import services
from .forms import CafeOfferForm, CandidacyForm, OfferFilterForm, OfferForm
from .models import Candidacy, JobOffer, OfferState

SENT_SESSION_KEY = "recruitment_candidacy_sent"
OFFERS = JobOffer.objects.select_related(
    "project__commune__department__region", "cafe__commune__department__region"
)


@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    filters = OfferFilterForm(request.GET)
    offers = list(filters.filter(OFFERS.public()))
    changes_at(min((offer.public_until for offer in offers), default=None))
    context = {"offers": offers, "filters": filters}
    return render(request, "recruitment/job_offer_list.html", context)


@require_GET
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Public while open; afterwards only those who manage it still read it."""
    job_offer = get_object_or_404(OFFERS, pk=pk)
    may_manage = job_offer.may_manage(request.user)
    if not (job_offer.is_public or may_manage):
        raise Http404
    if job_offer.is_public:
        changes_at(job_offer.public_until)
    return render(
        request, "recruitment/job_offer.html", {"offer": job_offer, "may_manage": may_manage}
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    job_offer = get_object_or_404(OFFERS, pk=pk)
    if not job_offer.is_public:
        raise Http404
    form = CandidacyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_robot:
            return redirect("recruitment:sent")
        if too_many_sent(request, form, action="job_candidacy"):
            return _apply_page(request, job_offer, form, status=429)
        if form.is_valid():
            with refusal_on_form(form):
                candidacy = services.apply_to_offer(job_offer, form.details())
                request.session[SENT_SESSION_KEY] = {
                    "title": job_offer.title,
                    "email": candidacy.email,
                }
                return redirect("recruitment:sent")
    return _apply_page(request, job_offer, form)


def _apply_page(request, job_offer: JobOffer, form: CandidacyForm, status: int = 200):
    context = {"offer": job_offer, "form": form}
    return render(request, "recruitment/candidacy_form.html", context, status=status)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "recruitment/candidacy_sent.html", {"sent": request.session.get(SENT_SESSION_KEY)}
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token) -> HttpResponse:
    """The e-mail's link opens a page whose button confirms: mail scanners that follow
    links confirm nothing."""
    candidacy = Candidacy.objects.select_related("offer").filter(token=token).first()
    if candidacy is None:
        return render(request, "recruitment/candidacy_confirm.html", status=404)
    if request.method == "POST":
        candidacy = services.confirm_candidacy(candidacy)
    return render(request, "recruitment/candidacy_confirm.html", {"confirming": candidacy})


def managed_offer(view):
    """Staff and the commune's elected members only."""

    @member_required
    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs):
        job_offer = get_object_or_404(OFFERS, pk=pk)
        if not job_offer.may_manage(request.user):
            raise PermissionDenied
        return view(request, job_offer, *args, **kwargs)

    return wrapped


@require_GET
@managed_offer
def candidates(request: HttpRequest, job_offer: JobOffer) -> HttpResponse:
    """Staff see every confirmed candidate and keep the shortlist; the elected members see
    the shortlist and choose."""
    is_staff = request.user.is_network_staff
    listed = job_offer.candidacies.confirmed().select_related("chosen_by", "account")
    if not is_staff:
        listed = listed.filter(shortlisted_at__isnull=False)
    context = {
        "offer": job_offer,
        "candidacies": listed,
        "is_staff": is_staff,
        "may_choose": job_offer.is_commune_elected(request.user),
    }
    return render(request, "recruitment/candidacy_list.html", context)


def _candidacy(job_offer: JobOffer, candidacy_id: int) -> Candidacy:
    return get_object_or_404(job_offer.candidacies.confirmed(), pk=candidacy_id)


def _act(request: HttpRequest, job_offer: JobOffer, action, success: str) -> HttpResponse:
    with refusal_as_message(request):
        action()
        messages.success(request, success)
    return redirect("recruitment:candidates", job_offer.pk)


@require_POST
@managed_offer
def shortlist(request: HttpRequest, job_offer: JobOffer, candidacy_id: int) -> HttpResponse:
    candidacy = _candidacy(job_offer, candidacy_id)
    on = request.POST.get("shortlisted") != "0"
    return _act(
        request,
        job_offer,
        lambda: services.shortlist_candidate(candidacy, by=request.user, shortlisted=on),
        (_("%(name)s est présélectionné·e.") if on else _("%(name)s n'est plus présélectionné·e."))
        % {"name": candidacy.name},
    )


@require_POST
@managed_offer
def choose(request: HttpRequest, job_offer: JobOffer, candidacy_id: int) -> HttpResponse:
    candidacy = _candidacy(job_offer, candidacy_id)
    return _act(
        request,
        job_offer,
        lambda: services.choose_candidate(candidacy, by=request.user),
        _(
            "Vous avez choisi %(name)s : l'offre est pourvue, l'équipe du réseau est prévenue et "
            "%(name)s reçoit une invitation à créer son compte de gérant·e."
        )
        % {"name": candidacy.name},
    )


@require_POST
@managed_offer
def present(request: HttpRequest, job_offer: JobOffer) -> HttpResponse:
    return _act(
        request,
        job_offer,
        lambda: services.present_shortlist(job_offer, by=request.user),
        _("La présélection est envoyée aux élu·es de %(commune)s.")
        % {"commune": job_offer.commune.name},
    )


@require_POST
@managed_offer
def close(request: HttpRequest, job_offer: JobOffer) -> HttpResponse:
    return _act(
        request,
        job_offer,
        lambda: services.close_offer(job_offer, by=request.user),
        _("L'offre est fermée : elle ne paraît plus dans la liste publique."),
    )


@require_GET
@managed_offer
def cv(request: HttpRequest, job_offer: JobOffer, candidacy_id: int) -> HttpResponse:
    candidacy = _candidacy(job_offer, candidacy_id)
    if not candidacy.may_read_cv(request.user):
        raise PermissionDenied
    return serve_private_file(candidacy.cv, download_name=f"CV {candidacy.name}")


def _publish(request: HttpRequest, form, publish, context: dict) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            job_offer = publish(form.cleaned_data)
            messages.success(request, _("L'offre est publiée."))
            return redirect(job_offer)
    return render(request, "recruitment/job_offer_form.html", {"form": form, **context})


@require_http_methods(["GET", "POST"])
@member_required
def publish_for_project(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("commune"), slug=slug)
    if not services.may_publish(request.user, project=project):
        raise PermissionDenied
    if open_offer := project.job_offers.filter(state=OfferState.OPEN).first():
        messages.info(
            request,
            _("L'offre de %(commune)s est déjà publiée : voici ses candidatures.")
            % {"commune": project.commune.name},
        )
        return redirect("recruitment:candidates", open_offer.pk)
    form = OfferForm(request.POST or None)
    return _publish(
        request,
        form,
        lambda data: services.publish_offer(form.details(), by=request.user, project=project),
        {"project": project},
    )


@require_http_methods(["GET", "POST"])
@member_required
def publish_for_cafe(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.STAFF, Role.ELECTED):
        raise PermissionDenied
    form = CafeOfferForm(request.POST or None)
    return _publish(
        request,
        form,
        lambda data: services.publish_offer(form.details(), by=request.user, cafe=data["cafe"]),
        {},
    )


@require_GET
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The chosen candidate's link: the sign-up that follows makes a manager account tied to
    the café (services.link_invited_account). The link came to the candidate's address, so
    that address counts as verified (allauth's invitation stash)."""
    candidacy = services.invited_candidacy(token)
    if candidacy is None:
        return render(request, "recruitment/invitation.html", status=404)
    request.session[services.INVITATION_SESSION_KEY] = token
    get_adapter(request).stash_verified_email(request, candidacy.email)
    signup_url = f"{reverse('account_signup')}?{urlencode({'email': candidacy.email})}"
    return render(
        request,
        "recruitment/invitation.html",
        {"candidacy": candidacy, "offer": candidacy.offer, "signup_url": signup_url},
    )
