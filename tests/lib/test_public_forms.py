"""community.lib.public_forms: what a commune's application and a job candidacy share."""

from __future__ import annotations

from community.lib.public_forms import PublicForm, too_many_sent


def sending(rf, email: str, address: str = "192.0.2.1") -> tuple:
    request = rf.post("/", {"email": email}, REMOTE_ADDR=address)
    return request, PublicForm(request.POST)


def test_one_email_is_counted_whatever_its_case_and_spaces_from_any_address(rf, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "test_sending": "2/h/key"}
    typed = ["Elu@Example.org", " elu@example.org ", "ELU@EXAMPLE.ORG"]
    refused = []
    for n, email in enumerate(typed):
        request, form = sending(rf, email, address=f"192.0.2.{n + 1}")
        refused.append(too_many_sent(request, form, action="test_sending"))

    assert refused == [False, False, True]
    assert "Trop de candidatures" in form.non_field_errors()[0]
    request, other = sending(rf, "autre@example.org", address="192.0.2.9")
    assert not too_many_sent(request, other, action="test_sending")
    assert not other.errors


def test_the_hidden_field_gives_robots_away_and_the_email_is_kept_in_lower_case():
    robot = PublicForm({"email": "robot@example.org", "website": "http://spam.example"})
    person = PublicForm({"email": " Marie@Example.ORG "})

    assert robot.is_robot and not person.is_robot
    assert person.is_valid() and person.cleaned_data["email"] == "marie@example.org"
