from __future__ import annotations

from django.urls import path

from community.calendars import views as calendar_views

from . import views
from .calendars import AGENDA

app_name = "events"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", calendar_views.public_feed, {"name": AGENDA}, name="agenda_feed"),
    path("reservations/", views.bookings, name="bookings"),
    path("reservations/nouvelle/", views.booking_new, name="booking_new"),
    path("reservations/<int:pk>/", views.booking_detail, name="booking"),
    path("reservations/<int:pk>/remboursement/", views.claim, name="claim"),
    path(
        "reservations/<int:pk>/photos/<int:photo>/<slug:rendition>/",
        views.booking_photo,
        name="booking_photo",
    ),
    path("reservations/<int:pk>/<slug:action>/", views.booking_action, name="booking_action"),
    path("fonds/", views.funds, name="funds"),
    path("fonds/export.csv", views.funds_export, name="funds_export"),
    path("fonds/remboursements/<int:pk>/facture/", views.invoice, name="invoice"),
    path("fonds/remboursements/<int:pk>/<slug:decision>/", views.decide_claim, name="decide_claim"),
    path("impact/", views.impact, name="impact"),
    path("impact/export.csv", views.impact_export, name="impact_export"),
    path("tournees/", views.tours, name="tours"),
    path("tournees/<slug:slug>/", views.tour_detail, name="tour"),
    path("tournees/<slug:slug>/candidater/", views.tour_apply, name="tour_apply"),
    path("tournees/<slug:slug>/etapes/", views.tour_add_stop, name="tour_add_stop"),
    path(
        "tournees/<slug:slug>/candidatures/<int:pk>/refuser/",
        views.tour_reject,
        name="tour_reject",
    ),
    path("guinguette/", views.guinguette, name="guinguette"),
    path("guinguette/demander/", views.guinguette_new, name="guinguette_new"),
    path(
        "guinguette/pour-une-commune/",
        views.guinguette_for_commune,
        name="guinguette_for_commune",
    ),
    path("guinguette/<int:pk>/", views.guinguette_visit, name="guinguette_visit"),
    path(
        "guinguette/<int:pk>/<slug:action>/",
        views.guinguette_action,
        name="guinguette_action",
    ),
    path("calendrier/", views.calendars, name="calendars"),
    # The address cafés and providers subscribed to before every calendar moved to /calendrier/.
    path("calendrier/<str:token>.ics", calendar_views.feed),
    path("calendrier/<str:token>/renouveler/", views.rotate_feed, name="rotate_feed"),
    # Last: a kind's slug may not shadow the paths above (see RESERVED_SLUGS).
    path("<slug:slug>/", views.kind_detail, name="kind"),
]
