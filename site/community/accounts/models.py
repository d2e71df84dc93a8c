"""Members of the network: one account per person, a role, and a membership decision."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .avatars import validate_avatar


class Role(models.TextChoices):
    ELECTED = "elected", _("Élu·e")
    MANAGER = "manager", _("Gérant·e de café")
    STAFF = "staff", _("Équipe 1000 cafés")
    PARTNER = "partner", _("Partenaire")


# Staff accounts are created by staff, never through the public sign-up form.
SIGNUP_ROLES = [(role.value, role.label) for role in (Role.ELECTED, Role.MANAGER, Role.PARTNER)]


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Adhésion validée")
    REFUSED = "refused", _("Adhésion refusée")


class UserQuerySet(models.QuerySet):
    def reachable(self) -> UserQuerySet:
        """Members the platform writes to: approved and active. Every list of e-mail
        recipients starts here, so a pending, refused or deactivated account never receives
        what members receive (a café's bookings, the staff's queue)."""
        return self.filter(is_active=True, membership_status=MembershipStatus.APPROVED)

    def network_staff(self) -> UserQuerySet:
        return self.reachable().filter(role=Role.STAFF)

    def emails(self) -> list[str]:
        return list(self.values_list("email", flat=True))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(
            is_superuser=True, role=Role.STAFF, membership_status=MembershipStatus.APPROVED
        )
        fields.setdefault("display_name", email.split("@", 1)[0])
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    display_name = models.CharField(
        _("nom affiché"),
        max_length=80,
        help_text=_(
            "Votre nom tel que les autres membres le verront, par exemple « Marie Dupont »."
        ),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    commune = models.ForeignKey(
        "places.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    organisation = models.CharField(
        _("structure"),
        max_length=150,
        blank=True,
        help_text=_("Pour les partenaires : compagnie, association, fondation…"),
    )
    application_note = models.TextField(
        _("présentation"),
        blank=True,
        max_length=2000,
        help_text=_("Quelques mots pour l'équipe qui examine votre demande d'adhésion."),
    )
    avatar = models.ImageField(
        _("photo de profil"), upload_to="avatars/", blank=True, validators=[validate_avatar]
    )
    claimed_cafe = models.ForeignKey(
        "places.Cafe",
        verbose_name=_("café revendiqué"),
        on_delete=models.SET_NULL,
        related_name="claims",
        null=True,
        blank=True,
        help_text=_("Le café dont le demandeur se dit gérant : appliqué à la validation."),
    )
    membership_status = models.CharField(
        _("adhésion"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
        db_index=True,
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        permissions = [("review_membership", _("Peut valider ou refuser les adhésions"))]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_approved_member(self) -> bool:
        return self.is_active and self.membership_status == MembershipStatus.APPROVED

    @property
    def is_pending_member(self) -> bool:
        return self.membership_status == MembershipStatus.PENDING

    @property
    def is_network_staff(self) -> bool:
        return self.is_approved_member and self.role == Role.STAFF

    @property
    def is_elected(self) -> bool:
        return self.role == Role.ELECTED

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_refused_member(self) -> bool:
        return self.membership_status == MembershipStatus.REFUSED

    @property
    def place_label(self) -> str:
        """The commune or café shown next to the member's name."""
        cafes = list(self.managed_cafes.all()) if self.role == Role.MANAGER else []
        if not cafes and self.claimed_cafe_id:
            cafes = [self.claimed_cafe]
        if cafes:
            return ", ".join(cafe.label for cafe in cafes)
        if self.commune_id:
            return self.commune.name
        return self.organisation


class MembershipDecision(models.Model):
    """Every approval or refusal, kept even when a later decision reverses it."""

    member = models.ForeignKey(
        User, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="decisions"
    )
    status = models.CharField(
        _("décision"),
        max_length=20,
        choices=[
            (MembershipStatus.APPROVED.value, MembershipStatus.APPROVED.label),
            (MembershipStatus.REFUSED.value, MembershipStatus.REFUSED.label),
        ],
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("décidé par"),
        on_delete=models.PROTECT,
        related_name="membership_decisions_taken",
    )
    decided_at = models.DateTimeField(_("décidé le"), default=timezone.now)
    reason = models.TextField(_("motif"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("décision d'adhésion")
        verbose_name_plural = _("décisions d'adhésion")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} : {self.get_status_display()}"
