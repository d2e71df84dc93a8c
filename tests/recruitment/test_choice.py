"""Staff shortlist, the commune's elected members choose (one choice wins when two are made
at once), and the chosen candidate's invitation leads to a manager account tied to the
project and its café once staff approve it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from community.accompaniment.models import ProjectAccess
from community.accounts.models import MembershipStatus, Role, User
from community.accounts.services import approve_member
from community.places.models import Stage
from community.recruitment.models import Candidacy, ContractType, JobOffer, OfferState
from community.recruitment.services import (
    OfferDetails,
    RecruitmentError,
    choose_candidate,
    close_offer,
    present_shortlist,
    publish_offer,
    shortlist_candidate,
)
from tests.accompaniment.factories import make_project
from tests.concurrency import run_at_once
from tests.factories import make_cafe, make_member

from .factories import make_candidacy, make_offer

pytestmark = pytest.mark.usefixtures("media_roots")


def details(**overrides) -> OfferDetails:
    today = timezone.localdate()
    return OfferDetails(
        **{
            "title": "Gérant·e du café de la place",
            "contract_type": ContractType.LOCATION_GERANCE,
            "starts_on": today + datetime.timedelta(days=60),
            "housing": True,
            "housing_description": "T3 au-dessus du café",
            "description": "Le café rouvre au printemps.",
            "closes_on": today + datetime.timedelta(days=30),
            **overrides,
        }
    )


@pytest.mark.django_db
def test_the_communes_elected_members_publish_for_their_project_only(elected_user, staff_user):
    project = make_project(elected_user.commune, stage=Stage.RECRUITMENT, members=[elected_user])
    offer = publish_offer(details(), by=elected_user, project=project)
    assert offer.is_public and offer.published_by == elected_user

    other_project = make_project(stage=Stage.RECRUITMENT)
    with pytest.raises(RecruitmentError, match="Seul·es l'équipe du réseau et les élu·es"):
        publish_offer(details(), by=elected_user, project=other_project)
    with pytest.raises(RecruitmentError, match="Une offre est déjà ouverte pour"):
        publish_offer(details(), by=staff_user, project=project)
    assert JobOffer.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_on": timezone.localdate() - datetime.timedelta(days=1)}, "déjà passée"),
        ({"starts_on": timezone.localdate()}, "ne peut pas précéder la date limite"),
        ({"housing_description": " "}, "Décrivez le logement"),
    ],
)
def test_an_offer_with_wrong_dates_or_housing_is_refused(staff_user, overrides, message):
    project = make_project(stage=Stage.RECRUITMENT)
    with pytest.raises(RecruitmentError, match=message):
        publish_offer(details(**overrides), by=staff_user, project=project)
    assert not JobOffer.objects.exists()


@pytest.mark.django_db
def test_only_projects_in_the_recruitment_stage_publish(staff_user):
    project = make_project(stage=Stage.DEFINITION)
    with pytest.raises(RecruitmentError, match="n'est pas à l'étape « Recrutement »"):
        publish_offer(details(), by=staff_user, project=project)


@pytest.mark.django_db
def test_a_cafe_looking_for_a_manager_publishes_through_its_communes_elected(staff_user):
    cafe = make_cafe()
    elected = make_member(Role.ELECTED, commune=cafe.commune)
    outsider = make_member(Role.ELECTED)
    with pytest.raises(RecruitmentError):
        publish_offer(details(), by=outsider, cafe=cafe)
    offer = publish_offer(details(), by=elected, cafe=cafe)
    assert offer.commune == cafe.commune


@pytest.mark.django_db
def test_staff_shortlist_and_elected_choose_but_not_the_other_way(elected_user, staff_user):
    offer = make_offer(members=[elected_user])
    candidacy = make_candidacy(offer)
    with pytest.raises(RecruitmentError, match="Seule l'équipe du réseau présélectionne"):
        shortlist_candidate(candidacy, by=elected_user)
    with pytest.raises(RecruitmentError, match="Choisissez parmi les candidat·es présélectionné"):
        choose_candidate(candidacy, by=elected_user)
    shortlist_candidate(candidacy, by=staff_user)
    with pytest.raises(RecruitmentError, match="Seul·es les élu·es de"):
        choose_candidate(candidacy, by=staff_user)
    unconfirmed = make_candidacy(offer, name="Paul Lent", confirmed=False)
    with pytest.raises(RecruitmentError, match="n'a pas encore confirmé"):
        shortlist_candidate(unconfirmed, by=staff_user)


@pytest.mark.django_db
def test_a_read_only_former_team_no_longer_chooses(elected_user, staff_user):
    offer = make_offer(members=[elected_user])
    offer.project.members.filter(user=elected_user).update(access=ProjectAccess.READ)
    candidacy = make_candidacy(offer, shortlisted=True)
    with pytest.raises(RecruitmentError, match="Seul·es les élu·es de"):
        choose_candidate(candidacy, by=elected_user)


@pytest.mark.django_db
def test_a_closed_offer_changes_no_more(elected_user, staff_user):
    offer = make_offer(members=[elected_user])
    candidacy = make_candidacy(offer, shortlisted=True)
    close_offer(offer, by=staff_user)
    with pytest.raises(RecruitmentError, match="Cette offre est fermée"):
        choose_candidate(candidacy, by=elected_user)
    with pytest.raises(RecruitmentError, match="Cette offre est fermée"):
        close_offer(offer, by=elected_user)


@pytest.mark.django_db(transaction=True)
def test_two_choices_at_once_one_wins_the_other_is_told(elected_user, staff_user):
    """Two elected members of the commune each pick a different candidate at the same
    instant: exactly one choice is recorded, the other is refused in French."""
    deputy = make_member(Role.ELECTED, commune=elected_user.commune, display_name="Adjointe")
    offer = make_offer(members=[elected_user, deputy])
    first = make_candidacy(offer, name="Claire Fontaine", shortlisted=True)
    second = make_candidacy(offer, name="Yacine Benali", shortlisted=True)

    outcomes = run_at_once(
        [
            lambda: choose_candidate(first, by=elected_user),
            lambda: choose_candidate(second, by=deputy),
        ],
        refused=RecruitmentError,
    )

    [won] = [outcome for outcome in outcomes if isinstance(outcome, Candidacy)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, RecruitmentError)]
    assert f"Cette offre est déjà pourvue : {won.name} a été choisi·e." == str(refused)
    assert list(Candidacy.objects.filter(chosen_at__isnull=False)) == [won]
    offer.refresh_from_db()
    assert offer.state == OfferState.FILLED
    assert not JobOffer.objects.public().exists()


@pytest.mark.django_db
def test_the_chosen_candidate_signs_up_and_staff_approval_links_the_project(
    client, elected_user, staff_user, django_capture_on_commit_callbacks
):
    offer = make_offer(members=[elected_user])
    chosen = make_candidacy(offer, name="Claire Fontaine", shortlisted=True)
    other = make_candidacy(offer, name="Julien Marchand")
    with django_capture_on_commit_callbacks(execute=True):
        choose_candidate(chosen, by=elected_user)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {chosen.email, other.email, staff_user.email}
    assert "La commune a choisi une autre personne" in by_recipient[other.email].body
    assert "Claire Fontaine" in by_recipient[staff_user.email].body
    invitation = re.search(
        r"https?://[^/\s]+(/offres-de-gerance/invitation/\S+/)", by_recipient[chosen.email].body
    )[1]

    page = client.get(invitation)
    assert page.status_code == 200
    signup = re.search(r'href="(/comptes/signup/[^"]*)"', page.content.decode())[1]
    signup = signup.replace("&amp;", "&")
    response = client.post(
        signup,
        {
            "display_name": "Claire Fontaine",
            "email": chosen.email,
            "password1": "un-mot-de-passe-solide-2025",
            "password2": "un-mot-de-passe-solide-2025",
            "role": Role.PARTNER,  # the invitation makes a manager whatever is picked
            "organisation": "x",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(email=chosen.email)
    assert account.role == Role.MANAGER
    assert account.commune == offer.commune
    assert account.membership_status == MembershipStatus.PENDING
    assert account.emailaddress_set.get().verified, "the invitation's address is verified"
    chosen.refresh_from_db()
    assert chosen.account == account
    assert client.get(invitation).status_code == 404, "the invitation serves once"
    assert not offer.project.members.filter(user=account).exists()

    approve_member(account, by=staff_user)

    membership = offer.project.members.get(user=account)
    assert membership.access == ProjectAccess.FULL
    client.force_login(account)
    assert client.get(offer.project.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_cafes_chosen_manager_becomes_its_manager_on_approval(staff_user):
    cafe = make_cafe()
    mayor = make_member(Role.ELECTED, commune=cafe.commune)
    offer = make_offer(cafe=cafe)
    chosen = make_candidacy(offer, shortlisted=True)
    choose_candidate(chosen, by=mayor)
    account = make_member(
        Role.MANAGER, email=chosen.email, status=MembershipStatus.PENDING, commune=cafe.commune
    )
    Candidacy.objects.filter(pk=chosen.pk).update(account=account)

    approve_member(account, by=staff_user)

    assert list(cafe.managers.all()) == [account]


@pytest.mark.django_db(transaction=True)
def test_two_publications_at_once_make_one_open_offer(elected_user, staff_user):
    project = make_project(elected_user.commune, stage=Stage.RECRUITMENT, members=[elected_user])

    outcomes = run_at_once(
        [
            lambda: publish_offer(details(), by=elected_user, project=project),
            lambda: publish_offer(details(title="Autre intitulé"), by=staff_user, project=project),
        ],
        refused=RecruitmentError,
    )

    [published] = [outcome for outcome in outcomes if isinstance(outcome, JobOffer)]
    [refused] = [outcome for outcome in outcomes if isinstance(outcome, RecruitmentError)]
    assert "Une offre est déjà ouverte pour" in str(refused)
    assert list(JobOffer.objects.all()) == [published]


@pytest.mark.django_db
def test_staff_present_the_shortlist_to_the_communes_elected_members(
    elected_user, staff_user, django_capture_on_commit_callbacks
):
    former = make_member(Role.ELECTED, commune=elected_user.commune, display_name="Ancien Maire")
    offer = make_offer(members=[elected_user, former])
    offer.project.members.filter(user=former).update(access=ProjectAccess.READ)
    candidacy = make_candidacy(offer)
    with pytest.raises(RecruitmentError, match="Présélectionnez au moins un·e candidat·e"):
        present_shortlist(offer, by=staff_user)
    shortlist_candidate(candidacy, by=staff_user)
    with pytest.raises(RecruitmentError, match="Seule l'équipe du réseau présente"):
        present_shortlist(offer, by=elected_user)

    with django_capture_on_commit_callbacks(execute=True):
        assert present_shortlist(offer, by=staff_user) == [elected_user.email]

    [message] = mail.outbox
    assert message.to == [elected_user.email]
    assert "1 candidat·e," in message.body
    assert f"/offres-de-gerance/{offer.pk}/candidatures/" in message.body
    offer.refresh_from_db()
    assert offer.shortlist_presented_at is not None


@pytest.mark.django_db
def test_a_shortlist_nobody_can_read_online_is_not_presented(staff_user):
    offer = make_offer(cafe=make_cafe())
    make_candidacy(offer, shortlisted=True)
    with pytest.raises(RecruitmentError, match="n'a de compte validé sur la plateforme"):
        present_shortlist(offer, by=staff_user)
