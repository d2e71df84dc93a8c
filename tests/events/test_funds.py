"""Reimbursements: claims with a validated invoice, approvals within budget and cap."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events import uploads
from events.models import Fund, Reimbursement
from events.services import (
    EventsError,
    approve_reimbursement,
    refuse_reimbursement,
)

from .conftest import claim, html_of
from .files import image_bomb

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]


def png(size=(800, 600)) -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", size, "white").save(output, format="PNG")
    return SimpleUploadedFile("facture.png", output.getvalue(), content_type="image/png")


def test_claim_then_approve_tells_the_cafe(
    django_capture_on_commit_callbacks, held, manager_user, staff_user, fund
):
    with django_capture_on_commit_callbacks(execute=True):
        reimbursement = claim(held, manager_user, fund)
        approve_reimbursement(
            reimbursement, by=staff_user, amount=Decimal("200.00"), note="Plafond"
        )
    reimbursement.refresh_from_db()
    assert reimbursement.state == Reimbursement.State.APPROVED
    assert reimbursement.approved_amount == Decimal("200.00")
    assert Fund.objects.with_totals().get(pk=fund.pk).remaining == Decimal("800.00")
    claimed, approved = mail.outbox
    assert staff_user.email in claimed.to and "250,00 €" in claimed.subject
    assert approved.to == [manager_user.email]
    assert "Remboursement accordé : 200,00 €" in approved.subject


@pytest.mark.parametrize(
    "invoice, message",
    [
        (SimpleUploadedFile("facture.pdf", b"MZ\x90\x00 not a pdf"), "PDF ou une image"),
        (SimpleUploadedFile("facture.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"), "incomplet"),
        (SimpleUploadedFile("facture.pdf", b"<html>facture</html>"), "PDF ou une image"),
        (image_bomb(), "démesurée|trop grand"),
    ],
    ids=["fake-pdf", "truncated-pdf", "html", "image-bomb"],
)
def test_bad_invoices_are_refused_in_french(held, manager_user, fund, invoice, message):
    with pytest.raises(EventsError, match=message):
        claim(held, manager_user, fund, invoice=invoice)
    assert not Reimbursement.objects.exists()


def test_oversized_invoice_is_refused(held, manager_user, fund, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 20)
    with pytest.raises(EventsError, match="la limite est de 20"):
        claim(held, manager_user, fund)
    assert not Reimbursement.objects.exists()


def test_an_image_invoice_is_accepted(held, manager_user, fund):
    assert claim(held, manager_user, fund, invoice=png()).invoice.name.endswith(".png")


def test_claims_need_a_held_eligible_animation_and_the_budget(
    confirmed, manager_user, fund, staff_user
):
    with pytest.raises(EventsError, match="bilan"):
        claim(confirmed, manager_user, fund)
    assert not Reimbursement.objects.exists()


def test_claim_rules(held, manager_user, partner_user, fund):
    with pytest.raises(EventsError, match="Il reste 1\u202f000,00\u00a0€"):
        claim(held, manager_user, fund, amount="1500.00")
    with pytest.raises(EventsError, match="supérieur à zéro"):
        claim(held, manager_user, fund, amount="0")
    with pytest.raises(EventsError, match="gérant·e du café"):
        claim(held, partner_user, fund)
    fund.eligible_kinds.clear()
    with pytest.raises(EventsError, match="ne finance pas"):
        claim(held, manager_user, fund)
    fund.eligible_kinds.add(held.kind)
    claim(held, manager_user, fund)
    with pytest.raises(EventsError, match="déjà demandé"):
        claim(held, manager_user, fund)
    assert Reimbursement.objects.count() == 1


def test_a_refused_claim_can_be_made_again(held, manager_user, staff_user, fund):
    first = claim(held, manager_user, fund)
    with pytest.raises(EventsError, match="pourquoi"):
        refuse_reimbursement(first, by=staff_user, note="")
    refuse_reimbursement(first, by=staff_user, note="Facture illisible")
    with pytest.raises(EventsError, match="déjà été refusé"):
        approve_reimbursement(first, by=staff_user, amount=Decimal("10"))
    second = claim(held, manager_user, fund)
    assert second.state == Reimbursement.State.CLAIMED


def test_approval_rules(held, manager_user, staff_user, fund):
    reimbursement = claim(held, manager_user, fund, amount="650.00")
    with pytest.raises(EventsError, match="Seule l'équipe"):
        approve_reimbursement(reimbursement, by=manager_user, amount=Decimal("100"))
    with pytest.raises(EventsError, match="entre 0 et le montant demandé"):
        approve_reimbursement(reimbursement, by=staff_user, amount=Decimal("700"))
    with pytest.raises(EventsError, match="Plafond atteint"):
        approve_reimbursement(reimbursement, by=staff_user, amount=Decimal("650"))
    reimbursement.refresh_from_db()
    assert reimbursement.state == Reimbursement.State.CLAIMED
    approve_reimbursement(reimbursement, by=staff_user, amount=Decimal("600"))
    assert fund.approved_total(cafe=held.cafe) == Decimal("600.00")


def test_funds_page_shows_the_remaining_budget(client_for, held, manager_user, staff_user, fund):
    approve_reimbursement(claim(held, manager_user, fund), by=staff_user, amount=Decimal("250"))
    html = html_of(client_for("staff").get("/animations/fonds/"))
    assert "1\u202f000,00\u00a0€" in html and "750,00\u00a0€" in html


def test_claim_form_rejects_a_fake_pdf_with_a_message(client_for, held, fund):
    page = html_of(client_for("manager").get(held.get_absolute_url()))
    assert f"{fund} – Mutuelle partenaire (reste 1\u202f000,00\u00a0€)" in page
    response = client_for("manager").post(
        f"/animations/reservations/{held.pk}/remboursement/",
        {
            "remboursement-fund": fund.pk,
            "remboursement-amount": "120,50",
            "remboursement-invoice": SimpleUploadedFile("facture.pdf", b"GIF89a fake"),
        },
    )
    assert response.status_code == 400
    assert "La facture doit être un PDF ou une image" in html_of(response)
    assert not Reimbursement.objects.exists()


def test_staff_decide_from_the_funds_page(client_for, held, manager_user, fund):
    reimbursement = claim(held, manager_user, fund)
    staff = client_for("staff")
    response = staff.post(
        f"/animations/fonds/remboursements/{reimbursement.pk}/accorder/",
        {f"claim-{reimbursement.pk}-amount": "5000"},
        follow=True,
    )
    assert "entre 0 et le montant demandé" in html_of(response)
    # Granting without an amount is the form's refusal; refusing needs none.
    response = staff.post(
        f"/animations/fonds/remboursements/{reimbursement.pk}/accorder/",
        {f"claim-{reimbursement.pk}-note": "Merci"},
        follow=True,
    )
    assert "Indiquez le montant accordé." in html_of(response)
    reimbursement.refresh_from_db()
    assert reimbursement.approved_amount is None
    staff.post(
        f"/animations/fonds/remboursements/{reimbursement.pk}/accorder/",
        {f"claim-{reimbursement.pk}-amount": "250"},
    )
    reimbursement.refresh_from_db()
    assert reimbursement.approved_amount == Decimal("250.00")
