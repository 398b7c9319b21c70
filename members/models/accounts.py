from django.contrib.auth.models import AbstractUser
from django.db import models

from core.models import Reviewed, status_field
from members.managers import UserManager


class User(Reviewed, AbstractUser):
    """A person acting for one or more public establishments; logs in with an email."""

    class Status(models.TextChoices):
        PENDING = Reviewed.PENDING, "En attente de validation"
        ACTIVE = "active", "Actif"
        REJECTED = Reviewed.REJECTED, "Refusé"
        # A holder's contact, invited by staff (holders app): logs in like a member, but
        # only reaches the holder space, never the member area.
        HOLDER = "holder", "Contact titulaire"

    approved_status = Status.ACTIVE

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    function = models.CharField("fonction", max_length=150, blank=True)
    establishment_phone = models.CharField("téléphone établissement", max_length=30, blank=True)
    professional_phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    status = status_field(Status.choices)
    # Set when its owner followed the link emailed at registration: until then the account
    # waits outside the staff queue (members.confirmation).
    email_confirmed_at = models.DateTimeField("adresse e-mail confirmée le", null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]
    # What a member may change on their account (through staff); the rest is staff's.
    CHANGEABLE_FIELDS = ("first_name", "last_name", "function", "email", "establishment_phone", "professional_phone")

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "email"]
        indexes = [models.Index(fields=["status", "date_joined"], name="user_queue_idx")]

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} <{self.email}>" if full_name else self.email

    @property
    def establishment_names(self):
        return ", ".join(establishment.name for establishment in self.establishments.all())

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    @property
    def may_authenticate(self):
        """Only a validated account logs in; a staff account (created by staff) unless refused."""
        if not self.is_active or self.status == self.Status.REJECTED:
            return False
        return self.status in (self.Status.ACTIVE, self.Status.HOLDER) or self.is_staff

    @property
    def is_holder(self):
        """A holder's contact: the holder space is theirs, the member area is not."""
        return self.is_authenticated and self.is_active and self.status == self.Status.HOLDER

    @property
    def is_active_member(self):
        """An account staff validated, which may see what members may."""
        return self.is_authenticated and self.is_active and self.status == self.Status.ACTIVE
