"""Forms anyone may send without an account (a commune's application, a candidacy to a job
offer): the sender's e-mail, confirmed afterwards by a link, a field that gives robots
away, and one rate limit per connection and per e-mail typed.

A view reads them in this order::

    if request.method == "POST":
        if form.is_robot:
            return redirect("…:sent")  # the robot learns nothing
        if too_many_sent(request, form, action="job_candidacy"):
            return render(..., status=429)
        if form.is_valid():
            ...
"""

from __future__ import annotations

from allauth.core import ratelimit
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PublicForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Nous vous écrivons à cette adresse pour confirmer la candidature."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people (CSS and assistive technologies); robots that fill every field
    # give themselves away.
    website = forms.CharField(label=_("Ne pas remplir"), required=False)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


def too_many_sent(request: HttpRequest, form: PublicForm, *, action: str) -> bool:
    """Count one sending of ``action`` (limits in settings.ACCOUNT_RATE_LIMITS), per address
    behind the trusted proxy and per e-mail typed; past the limit, say so on the form."""
    key = request.POST.get("email", "").strip().lower()
    if ratelimit.consume(request, action=action, key=key):
        return False
    form.add_error(
        None,
        gettext(
            "Trop de candidatures envoyées depuis votre connexion : réessayez dans une heure, "
            "ou écrivez à l'équipe du réseau."
        ),
    )
    return True
