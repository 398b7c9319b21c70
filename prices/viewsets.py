"""Importing price pieces from the Wagtail admin, menu "Imports de prix": upload, mapping,
check (errors or the difference with the current lines), apply. Check and apply run as
tasks; while one runs the page refreshes itself (a meta refresh: no JavaScript needed) and
shows the progress. "view" reads the imports; "process" (adding an import) uploads, maps
and applies (core.actions)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from core.actions import PROCESS, staff_policy
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


class ImportDetailView(_Permitted):
    template_name = "prices/admin/detail.html"

    def get_page_title(self):
        return f"Import de prix — {self.price_import.market.title}"

    def dispatch(self, request, *args, pk, **kwargs):
        self.price_import = get_object_or_404(PriceImport.objects.select_related("market", "document"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        price_import = self.price_import
        return super().get_context_data(
            price_import=price_import,
            form=form or MappingForm(headers=price_import.headers, columns=price_import.columns),
            can_apply=price_import.status == ImportStatus.READY,
            ready=ImportStatus.READY,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        price_import = self.price_import
        if price_import.running or price_import.status == ImportStatus.APPLIED:
            messages.error(request, "Cet import est en cours ou déjà appliqué.")
            return redirect("prices_admin:detail", price_import.pk)
        if "apply" in request.POST:
            if price_import.status != ImportStatus.READY:
                messages.error(request, "Vérifiez le fichier avant de l'appliquer.")
            else:
                imports.enqueue_apply(price_import)
                messages.success(request, "Application des prix lancée.")
            return redirect("prices_admin:detail", price_import.pk)
        form = MappingForm(request.POST, headers=price_import.headers, columns=price_import.columns)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        price_import.columns = form.columns()
        price_import.status = ImportStatus.CHECKING
        price_import.save(update_fields=["columns", "status"])
        imports.enqueue_check(price_import)
        return redirect("prices_admin:detail", price_import.pk)


class PricesMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, "view")


class PriceImportViewSet(ViewSet):
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

    def get_menu_item(self, order=None):
        return PricesMenuItem(
            self.menu_label, self.menu_url, name=self.name, icon_name=self.icon, order=self.get_menu_item_order(order)
        )
