"""Open job offers in the site search, found by everyone while candidates may apply (see
JobOfferQuerySet.public): a filled or closed offer leaves the index when it is saved, one
past its closing date when the daily job ``unlist_expired_offers`` marks it stale."""

from __future__ import annotations

from community.accounts.audience import Audience
from community.lib.formats import french_date
from community.lib.searchable import Document, DocumentType, register

from .models import JobOffer


def offer_document(offer: JobOffer) -> Document:
    commune = offer.commune
    department = commune.department
    contract = offer.get_contract_type_display()
    return Document(
        # The results show the title only: where and how the manager would work belong in it.
        title=f"{offer.title} – {commune.name} ({department.code}), {contract}",
        url=offer.get_absolute_url(),
        text=" ".join(
            [
                f"Offre de gérance : {contract}.",
                f"Prise de poste le {french_date(offer.starts_on, weekday=False)}.",
                f"Candidatures jusqu'au {french_date(offer.closes_on, weekday=False)}.",
                "Logement proposé." if offer.housing else "",
                commune.name,
                department.name,
                department.region.name,
                offer.cafe.name if offer.cafe_id else "",
                offer.description,
            ]
        ),
        date=offer.published_at,
        access={"audience": Audience.PUBLIC},
    )


register(
    DocumentType(
        name="job_offer",
        label="Offre de gérance",
        model=JobOffer,
        to_document=offer_document,
        # Only offers a visitor may answer: any other renders as a deletion.
        queryset=lambda: JobOffer.objects.public().select_related(
            "project__commune__department__region", "cafe__commune__department__region"
        ),
    )
)
