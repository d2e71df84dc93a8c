"""Every role × the listing, a toolkit of each audience and a document of each audience."""

from __future__ import annotations

import pytest

from community.accounts.audience import Audience
from tests.matrix import LOGIN, MEMBERSHIP, cases, check, everyone, members_only

from .conftest import document_block

pytestmark = pytest.mark.django_db


def only(*roles: str) -> dict[str, object]:
    """Approved members of these roles (and staff) get 200, other members a 403."""
    return {
        **members_only(403),
        **dict.fromkeys((*roles, "staff"), 200),
    }


BY_AUDIENCE = {
    Audience.PUBLIC: everyone(200),
    Audience.MEMBERS: members_only(200),
    Audience.ELECTED: only("elected"),
    Audience.MANAGERS: only("manager"),
}

# Keys name what to request; the test turns them into URLs once the pages exist.
MATRIX = {
    "listing": everyone(200),
    **{f"toolkit:{audience}": expected for audience, expected in BY_AUDIENCE.items()},
    **{f"document:{audience}": expected for audience, expected in BY_AUDIENCE.items()},
}


def url_of(target: str, index, make_toolkit, make_document) -> str:
    """Build only what the cell needs: a toolkit of that audience offering one document."""
    if target == "listing":
        make_toolkit("Fiche publique")
        return index.url
    kind, audience = target.split(":")
    document = make_document(f"Document {audience}", f"document-{audience}.pdf")
    toolkit = make_toolkit(f"Fiche {audience}", audience=audience, body=[document_block(document)])
    return toolkit.url if kind == "toolkit" else document.url


@pytest.mark.parametrize(("target", "role", "expected"), cases(MATRIX))
def test_access_matrix(index, make_toolkit, make_document, client_for, target, role, expected):
    check(client_for(role), url_of(target, index, make_toolkit, make_document), expected)


def test_wrong_role_gets_a_french_page_naming_the_audience(client_for, make_toolkit):
    toolkit = make_toolkit("Rédiger le bail du gérant", audience=Audience.ELECTED)
    response = client_for("manager").get(toolkit.url)
    assert response.status_code == 403
    content = response.content.decode()
    assert "Contenu réservé" in content
    assert "Élu·es" in content
    # The refusal explains who it is for without revealing what it is.
    assert "Rédiger le bail du gérant" not in content


def test_anonymous_visitor_is_sent_to_log_in_and_back(client_for, make_toolkit):
    toolkit = make_toolkit(audience=Audience.MEMBERS)
    response = client_for("anonymous").get(toolkit.url)
    assert response["Location"] == f"{LOGIN.to}?next={toolkit.url}"


def test_pending_member_sees_their_application_status(client_for, make_toolkit):
    toolkit = make_toolkit(audience=Audience.MEMBERS)
    response = client_for("pending").get(toolkit.url)
    assert response["Location"].startswith(MEMBERSHIP.to)
