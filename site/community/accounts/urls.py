from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("espace/", views.dashboard, name="dashboard"),
    path("espace/membres/", views.member_directory, name="directory"),
    path("espace/profil/", views.profile, name="profile"),
    path("espace/double-authentification/", views.mfa_required, name="mfa_required"),
    path("adhesion/", views.membership_status, name="membership_status"),
]
