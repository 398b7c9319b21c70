"""Staff queues in the Wagtail admin: one viewset, one decision view and one dashboard
panel for everything staff validate (core.models.Reviewed), and the safe export every
admin listing uses.

A queue is a ReviewViewSet naming its model and its `decide` service; the dashboard panel
lists every registered queue with what waits in it.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.active_filters import BaseFilterAdapter
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.coreutils import multigetattr

from .actions import PROCESS, staff_policy
from .dates import display_value, is_empty
from .decisions import ALREADY_DECIDED
from .downloads import mark_private
from .forms import DecisionForm, add_service_error
from .spreadsheets import BOM, csv_safe, xlsx_cells

DECIDE = "decide"  # the decision page's URL name; deciding needs PROCESS
DECIDE_LABEL = "Valider ou refuser"


class SafeExportMixin:
    """Wagtail's listing export, through the project's writer rules (core.spreadsheets)."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                name: csv_safe(self.preprocess_field_value(name, value, self.FORMAT_CSV))
                for name, value in row_dict.items()
            }
        )

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return mark_private(super().as_spreadsheet(queryset, spreadsheet_format))

    def stream_csv(self, queryset):
        yield BOM
        yield from super().stream_csv(queryset)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        values = [self.preprocess_field_value(name, value, self.FORMAT_XLSX) for name, value in row_dict.items()]
        cells = xlsx_cells(worksheet, values)
        for cell, value in zip(cells, row_dict.values(), strict=True):
            if date_format and isinstance(value, datetime.datetime):
                cell.number_format = date_format
        return cells


class BooleanFilterAdapter(BaseFilterAdapter):
    """A yes/no filter's chip in French: "Adresse e-mail confirmée : Oui"."""

    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value="Oui" if self.value else "Non")


class SafeExportIndexView(SafeExportMixin, generic.IndexView):
    """Every staff listing: the safe export, and each row's first column a link to its page
    (Wagtail links it only when list_display starts with a plain field name)."""

    def get_row_url(self, instance):
        return self.get_edit_url(instance) or self.get_inspect_url(instance)

    @cached_property
    def columns(self):
        columns = super().columns
        first = columns[0] if columns else None
        if first is None or isinstance(first, TitleColumn):
            return columns
        accessor = first.accessor
        if isinstance(first, DateColumn):
            # A title cell prints its value as text: the listing's one date format.
            def accessor(instance, name=first.accessor):
                return display_value(multigetattr(instance, name))

        title = self._get_title_column_class(TitleColumn)(
            first.name,
            label=first.label,
            accessor=accessor,
            sort_key=first.sort_key,
            classname=first.classname,
            width=first.width,
            get_url=self.get_row_url,
        )
        return [title, *columns[1:]]


class ReviewIndexView(SafeExportIndexView):
    viewset = None

    def get_base_queryset(self):
        return self.viewset.get_queryset()

    def get_edit_url(self, instance):
        # An item's title opens what was asked and the decision; editing starts from there.
        return None

    def get_row_url(self, instance):
        if instance.is_pending and self.user_has_permission(PROCESS):
            return self.viewset.decide_url(instance)
        return self.get_inspect_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_pending and self.user_has_permission(PROCESS):
            # On the row itself, not in the "more" menu: deciding is what the queue is for.
            buttons.insert(
                0,
                ListingButton(
                    DECIDE_LABEL, url=self.viewset.decide_url(instance), icon_name="tick", classname="review-decide"
                ),
            )
        return buttons


class ReadableInspectMixin:
    """Inspect fields in one date format, Paris time; an empty field is not printed at all
    (no "Décidé le None" for what waits)."""

    def get_field_display_value(self, field_name, field):
        return display_value(super().get_field_display_value(field_name, field))

    def get_fields_context(self):
        return [f for f in super().get_fields_context() if f["component"] or not is_empty(f["value"])]


class ReadableInspectView(ReadableInspectMixin, generic.InspectView):
    pass


class ReviewInspectView(ReadableInspectView):
    viewset = None

    def get_object(self, queryset=None):
        return get_object_or_404(self.viewset.get_queryset(), pk=self.pk)

    @cached_property
    def header_buttons(self):
        if self.object.is_pending and self.user_has_permission(PROCESS):
            return [HeaderButton(DECIDE_LABEL, url=self.viewset.decide_url(self.object), icon_name="tick")]
        return []

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.viewset.extra_context(self.object), **kwargs)


class DecisionView(ReviewInspectView):
    """ "Valider ou refuser": what was asked, then the decision and its reason."""

    any_permission_required = None
    permission_required = PROCESS
    page_title = DECIDE_LABEL
    template_name = "core/admin/decide.html"
    header_buttons = []

    def dispatch(self, request, *args, **kwargs):
        if not self.object.is_pending:
            messages.error(request, ALREADY_DECIDED)
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.viewset.decision_form_class()))

    def post(self, request, *args, **kwargs):
        form = self.viewset.decision_form_class(request.POST)
        if form.is_valid():
            try:
                decided = self.viewset.decide(
                    self.object, approve=form.approve, decided_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                verb = "validé(e)" if form.approve else "refusé(e)"
                messages.success(request, f"{decided} : {verb}. Le demandeur est prévenu par e-mail.")
                return redirect(self.index_url_name)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        details = self.viewset.decision_details(self.object)
        if details is not None:
            details = [(label, display_value(value)) for label, value in details if not is_empty(display_value(value))]
        return super().get_context_data(
            details=details, inspect_url=reverse(self.viewset.get_url_name("inspect"), args=[self.object.pk]), **kwargs
        )


class StaffViewSet(ModelViewSet):
    """What members or imports create, listed for staff: nothing is added or deleted here;
    fields are edited only where `editable` (its `form_fields`)."""

    index_view_class = SafeExportIndexView
    inspect_view_class = ReadableInspectView
    inspect_view_enabled = True
    editable = False
    form_fields = []
    list_per_page = 50

    def on_register(self):
        # Before Wagtail looks for the model's policy (or makes a default one).
        staff_policy(self.model, editable=self.editable)
        super().on_register()

    def get_history_view_kwargs(self, **kwargs):
        # Reading the history is reading: whoever may view the item may see what happened to it.
        return super().get_history_view_kwargs(any_permission_required=["view", "change"], **kwargs)


class QueueMixin:
    """A viewset whose waiting items staff must deal with: counted, with a link to them, on
    the admin home's "Validation CANUT" panel. Subclasses set `queue_label` and say who
    sees the line, how many wait and where the list of them is."""

    queue_label = ""

    def queue_visible_to(self, user) -> bool:
        raise NotImplementedError

    def pending_count(self) -> int:
        raise NotImplementedError

    def pending_url(self) -> str:
        raise NotImplementedError


class ReviewViewSet(QueueMixin, StaffViewSet):
    """A validation queue: listing with filters, search and export, inspect, history, and a
    decision page per pending item. Subclasses name the model, the `decide` service and
    the dashboard's `queue_label`."""

    index_view_class = ReviewIndexView
    inspect_view_class = ReviewInspectView
    decision_form_class = DecisionForm

    inspect_template_name = "core/admin/inspect.html"

    def get_queryset(self):
        return self.model._default_manager.all()

    def decide(self, obj, *, approve, decided_by, reason):
        raise NotImplementedError

    def decision_details(self, obj):
        """[(label, value)] shown above the decision; None shows the inspect fields."""
        return None

    def extra_context(self, obj):
        """What the inspect and decision pages show below the fields (e.g. a groupement's rows)."""
        return {}

    def decide_url(self, obj):
        return reverse(self.get_url_name(DECIDE), args=[obj.pk])

    def pending_url(self):
        return reverse(self.get_url_name("index")) + "?status=pending"

    def pending_count(self):
        return self.get_queryset().filter(status=self.model.PENDING).count()

    def queue_visible_to(self, user):
        return self.permission_policy.user_has_permission(user, PROCESS)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(viewset=self, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(viewset=self, **kwargs)

    @property
    def decide_view(self):
        kwargs = self.get_inspect_view_kwargs(template_name=DecisionView.template_name)
        return self.construct_view(DecisionView, **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("decide/<int:pk>/", self.decide_view, name=DECIDE)]


class ReviewQueuesPanel(Component):
    """ "Validation CANUT" on the admin dashboard: what waits in every queue the user decides."""

    name = "review_queues"
    order = 50
    template_name = "core/admin/queues_panel.html"

    def __init__(self, queues):
        self.queues = queues

    def get_context_data(self, parent_context):
        return {"queues": [(q.queue_label, q.pending_count(), q.pending_url()) for q in self.queues]}


def review_queues_for(user):
    return [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, QueueMixin) and viewset.queue_label and viewset.queue_visible_to(user)
    ]
