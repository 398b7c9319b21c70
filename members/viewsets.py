"""Staff back-office: the validation queues (accounts, establishments, changes) and the
directory, grouped under "Validation CANUT" (registered in wagtail_hooks.py)."""

import django_filters
from django.db.models import Prefetch
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSetGroup

from core.dates import display_value
from core.queues import ReviewViewSet
from directory.viewsets import DirectoryViewSet

from . import decisions
from .models import Establishment, JoinObjection, PendingChange, User
from .selectors import join_request_summary


def _confirmation(user):
    if user.email_confirmed_at:
        return f"Confirmée le {display_value(user.email_confirmed_at)}"
    return "Non confirmée : le lien envoyé n'a pas encore été suivi (validation impossible)"


class AccountFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label="Statut", choices=User.Status.choices)
    email_confirmed = django_filters.BooleanFilter(
        label="Adresse e-mail confirmée", field_name="email_confirmed_at", lookup_expr="isnull", exclude=True
    )
    date_joined = django_filters.DateFromToRangeFilter(label="Inscrit le", widget=DateRangePickerWidget)

    class Meta:
        model = User
        fields = ["status", "email_confirmed", "date_joined"]


class AccountQueue(ReviewViewSet):
    model = User
    name = "accounts_admin"
    url_prefix = "members/user"
    icon = "user"
    menu_label = "Comptes"
    queue_label = "Comptes à valider"
    list_display = [
        "email",
        Column("full_name", label="Nom", accessor="get_full_name"),
        "function",
        Column("establishment_names", label="Établissement(s)", accessor="establishment_names"),
        Column("status", label="Statut", accessor="get_status_display"),
        BooleanColumn("email_confirmed", label="E-mail confirmé", accessor="email_confirmed"),
        "date_joined",
        "decided_at",
        "decided_by",
    ]
    filterset_class = AccountFilterSet
    search_fields = ["email", "first_name", "last_name", "establishments__name", "establishments__siret"]
    inspect_view_fields = [
        "email",
        "first_name",
        "last_name",
        "function",
        "establishment_phone",
        "professional_phone",
        "status",
        "email_confirmed_at",
        "date_joined",
        "decided_at",
        "decided_by",
        "decision_reason",
    ]
    list_export = [
        "email",
        "first_name",
        "last_name",
        "function",
        "status",
        "email_confirmed_at",
        "date_joined",
        "decided_at",
    ]

    def get_queryset(self):
        return (
            User.objects.filter(is_staff=False)
            .select_related("decided_by")
            .prefetch_related(Prefetch("establishments", queryset=Establishment.objects.only("id", "name", "siret")))
        )

    def decide(self, obj, **decision):
        return decisions.account_decide(user=obj, **decision)

    def pending_url(self):
        return super().pending_url() + "&email_confirmed=true"

    def pending_count(self):
        # An account reaches staff once its owner proved the address is theirs.
        return self.get_queryset().filter(status=User.PENDING, email_confirmed_at__isnull=False).count()

    def decision_details(self, user):
        establishments = ", ".join(
            f"{e.name} (SIRET {e.siret}, {e.get_status_display().lower()})" for e in user.establishments.all()
        )
        joins = ", ".join(
            f"{change.establishment.name} (SIRET {change.establishment.siret}) : demande de rattachement en attente"
            for change in user.requested_changes.pending()
            .filter(kind=PendingChange.Kind.ATTACHMENT)
            .select_related("establishment")
        )
        return [
            ("Nom", user.get_full_name()),
            ("Email", user.email),
            ("Adresse e-mail", _confirmation(user)),
            ("Fonction", user.function),
            ("Téléphone établissement", user.establishment_phone),
            ("Téléphone professionnel", user.professional_phone),
            ("Établissement(s)", establishments),
            ("Rattachement(s) demandé(s)", joins),
            ("Inscrit le", user.date_joined),
        ]


class EstablishmentQueue(ReviewViewSet):
    model = Establishment
    name = "establishments_admin"
    url_prefix = "members/establishment"
    icon = "home"
    menu_label = "Établissements"
    queue_label = "Établissements à valider"
    editable = True
    form_fields = list(Establishment.CHANGEABLE_FIELDS)
    list_display = [
        "name",
        "siret",
        "postcode",
        "city",
        Column("status", label="Statut", accessor="get_status_display"),
        "created_at",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "siret", "siren", "city", "postcode"]
    list_export = ["name", "siren", "siret", "ape_code", "chorus_code", "postcode", "city", "status", "created_at"]

    def get_queryset(self):
        return Establishment.objects.select_related("decided_by", "created_by")

    def decide(self, obj, **decision):
        return decisions.establishment_decide(establishment=obj, **decision)

    def decision_details(self, establishment):
        return [
            ("Nom", establishment.name),
            ("SIREN", establishment.siren),
            ("SIRET", establishment.siret),
            ("Code APE", establishment.ape_code),
            ("Code Chorus", establishment.chorus_code),
            ("Adresse", " — ".join(establishment.address_lines)),
            ("Demandé par", establishment.created_by),
            ("Utilisateurs", ", ".join(str(u) for u in establishment.users.all())),
        ]


class ChangeQueue(ReviewViewSet):
    model = PendingChange
    name = "changes_admin"
    url_prefix = "members/pendingchange"
    icon = "edit"
    menu_label = "Modifications"
    queue_label = "Modifications à valider"
    list_display = [
        Column("kind", label="Type", accessor="get_kind_display"),
        "requested_by",
        "establishment",
        Column("summary", label="Changements", accessor="summary"),
        Column("status", label="Statut", accessor="get_status_display"),
        "created_at",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["requested_by__email", "requested_by__last_name", "establishment__name", "establishment__siret"]
    list_export = ["kind", "requested_by", "establishment", "summary", "status", "created_at", "decided_at"]

    def get_queryset(self):
        return PendingChange.objects.select_related("requested_by", "establishment", "decided_by")

    def decide(self, obj, **decision):
        return decisions.pending_change_decide(change=obj, **decision)

    def pending_count(self):
        # A request to join waits outside the queue until its requester confirms the address.
        return (
            self.get_queryset()
            .filter(status=PendingChange.PENDING)
            .exclude(kind=PendingChange.Kind.ATTACHMENT, requested_by__email_confirmed_at__isnull=True)
            .count()
        )

    def decision_details(self, change):
        rows = []
        if change.kind == PendingChange.Kind.ATTACHMENT:
            rows.append(("Demande", join_request_summary(change=change)))
        rows += [("Demandée par", change.requested_by), ("Demandée le", change.created_at)]
        if change.establishment_id:
            rows.append(("Établissement", f"{change.establishment.name} (SIRET {change.establishment.siret})"))
        if change.kind == PendingChange.Kind.ATTACHMENT:
            requester = change.requested_by
            rows.append(("Compte du demandeur", requester.get_status_display()))
            rows.append(("Adresse e-mail du demandeur", _confirmation(requester)))
            objections = JoinObjection.objects.filter(change=change).select_related("user")
            rows.append(("Oppositions des utilisateurs", f"{len(objections)}" if objections else "Aucune"))
            rows += [
                (f"Opposition de {o.user.get_full_name()} <{o.user.email}> le {display_value(o.created_at)}", o.reason)
                for o in objections
            ]
        return rows

    def extra_context(self, change):
        return {"changes": change.changed_fields()}


class ValidationGroup(ViewSetGroup):
    menu_label = "Validation CANUT"
    menu_icon = "tick-inverse"
    menu_order = 150
    items = (AccountQueue, EstablishmentQueue, ChangeQueue, DirectoryViewSet)
