"""Importing price pieces from the Wagtail admin, menu "Imports de prix": upload, mapping,
check (errors or the difference with the current lines), apply. Check and apply run as
tasks; while one runs the page refreshes itself (a meta refresh: no JavaScript needed) and
shows the progress. "view" reads the imports; "process" (adding an import) uploads, maps
and applies (core.actions)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.actions import PROCESS, ObjectActionView, PolicyViewSet, staff_policy
from core.forms import add_service_error
from core.tables import TableUnreadable

from . import imports
from .forms import MappingForm, UploadForm
from .models import ImportStatus, PriceImport

permission_policy = staff_policy(PriceImport, process_permission="add")


class _Permitted(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        action = "view" if request.method in ("GET", "HEAD") else PROCESS
        if not permission_policy.user_has_permission(request.user, action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportIndexView(_Permitted):
    page_title = "Imports de prix"
    template_name = "prices/admin/index.html"

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            form=form or UploadForm(),
            imports=PriceImport.objects.select_related("market", "created_by")[:30],
            **kwargs,
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            piece = form.cleaned_data["piece"]
            try:
                price_import = imports.create_import(
                    market=piece.market,
                    document=piece.document,
                    file=form.cleaned_data["file"],
                    applies_from=form.cleaned_data["applies_from"],
                    holder=form.cleaned_data["holder"],
                    lot=form.cleaned_data["lot"],
                    user=request.user,
                )
            except TableUnreadable as error:
                add_service_error(form, type(error)({"file": error.messages}))
            else:
                imports.enqueue_check(price_import)  # headers, mapping and check: off the request
                return redirect("prices_admin:detail", price_import.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportDetailView(ObjectActionView):
    """An import's page, and its two staff steps (core.actions): "Vérifier le fichier" posts
    the mapping, "Appliquer ces prix" (button `apply`) applies a checked import; each is
    recorded in Wagtail's history. Reading it needs "view", a step "process"."""

    template_name = "prices/admin/detail.html"
    model = PriceImport
    permission_policy = permission_policy
    index_url_name = "prices_admin:index"
    inspect_url_name = "prices_admin:detail"
    header_icon = "table"

    def get_queryset(self):
        return PriceImport.objects.select_related("market", "document")

    def dispatch(self, request, *args, **kwargs):
        self.permission_required = "view" if request.method in ("GET", "HEAD") else PROCESS
        self.applying = "apply" in request.POST
        return super().dispatch(request, *args, **kwargs)

    def refusal(self):
        price_import = self.object
        if self.request.method in ("GET", "HEAD"):
            return ""
        if price_import.running or price_import.status == ImportStatus.APPLIED:
            return imports.BUSY
        if self.applying and price_import.status != ImportStatus.READY:
            return imports.NOT_READY
        return ""

    def get_page_title(self):
        return f"Import de prix — {self.object.market.title}"

    def get_page_subtitle(self):
        return self.page_subtitle

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items

    def get_form(self, form_class=None):
        price_import = self.object
        if self.applying:
            return forms.Form(self.request.POST)  # nothing to fill in: the button is the step
        return MappingForm(**self.get_form_kwargs(), headers=price_import.headers, columns=price_import.columns)

    def get_context_data(self, **kwargs):
        price_import = self.object
        context = super().get_context_data(**kwargs)
        if self.applying:  # a refused apply shows its error above the page's own mapping
            context["apply_errors"] = context["form"].non_field_errors()
            context["form"] = MappingForm(headers=price_import.headers, columns=price_import.columns)
        return {
            **context,
            "price_import": price_import,
            "can_apply": price_import.status == ImportStatus.READY,
            "ready": ImportStatus.READY,
        }

    def perform(self, form):
        if self.applying:
            imports.import_apply(price_import=self.object, by=self.request.user)
            return "Application des prix lancée."
        imports.import_check(price_import=self.object, columns=form.columns(), by=self.request.user)
        return ""


class PriceImportViewSet(PolicyViewSet):
    policy_model = PriceImport
    name = "prices_admin"
    url_prefix = "prix"
    icon = "table"
    menu_label = "Imports de prix"
    menu_order = 450
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", ImportIndexView.as_view(), name="index"),
            path("<id:pk>/", ImportDetailView.as_view(), name="detail"),
        ]
