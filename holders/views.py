"""The holder space ("Espace titulaire") and the invitation link."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from core.downloads import private_download
from core.forms import add_service_error
from core.spreadsheets import xlsx_response
from core.uploads import BoundedUploadMixin

from . import reports, sales, selectors
from .access import HolderRequiredMixin
from .forms import AcceptForm, AttachmentForm, ReportForm, SalesUploadForm
from .invitations import contact_accept, contact_for_token
from .lots import holder_lots
from .models import Report


class AcceptView(View):
    """The invitation link: choose a password, then straight into the holder space."""

    template_name = "holders/accept.html"

    def dispatch(self, request, token):
        try:
            self.contact = contact_for_token(token)
        except ValidationError as error:
            return TemplateResponse(request, "holders/link_invalid.html", {"message": error.messages[0]}, status=410)
        if request.user.is_authenticated:
            return TemplateResponse(request, "holders/link_invalid.html", {"message": LOGGED_IN}, status=409)
        return super().dispatch(request, token)

    def get(self, request, token):
        return self._render(AcceptForm(email=self.contact.email))

    def post(self, request, token):
        form = AcceptForm(request.POST, email=self.contact.email)
        if form.is_valid():
            try:
                user = contact_accept(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                login(request, user, backend="members.backends.MemberBackend")
                messages.success(request, "Votre compte est activé : bienvenue dans votre espace titulaire.")
                return redirect("holders:home")
        return self._render(form)

    def _render(self, form):
        return TemplateResponse(self.request, self.template_name, {"form": form, "contact": self.contact})


LOGGED_IN = "Vous êtes déjà connecté : déconnectez-vous, puis suivez à nouveau le lien de l'invitation."


class HomeView(HolderRequiredMixin, TemplateView):
    template_name = "holders/home.html"

    def get_context_data(self, **kwargs):
        markets = [
            (market, holder_lots(market=market.specific, holder=self.holder))
            for market in selectors.holder_markets(holder=self.holder)
        ]
        report_list = selectors.holder_reports(holder=self.holder).annotate(
            line_count=Count("sales_lines"), sales=Sum("sales_lines__amount")
        )
        return {**super().get_context_data(**kwargs), "holder": self.holder, "markets": markets, "reports": report_list}


class ReportMixin(HolderRequiredMixin):
    def get_report(self):
        try:
            return selectors.holder_report(holder=self.holder, pk=self.kwargs["pk"])
        except Report.DoesNotExist:
            raise Http404 from None


class ReportView(BoundedUploadMixin, ReportMixin, View):
    """The report: its form (draft or submit), its sales detail, its attachments (read no
    further than the larger of their limits: core.uploads)."""

    template_name = "holders/report.html"
    upload_max_bytes = max(reports.ATTACHMENT_MAX_BYTES, sales.MAX_BYTES)

    def get(self, request, pk):
        report = self.get_report()
        return self._render(report, ReportForm(instance=report))

    def post(self, request, pk):
        report = self.get_report()
        action = request.POST.get("action")
        if action == "sales":
            return self._sales(report)
        if action == "attachment":
            return self._attachment(report)
        if action == "remove":
            return self._remove(report)
        form = ReportForm(request.POST, instance=Report.objects.get(pk=report.pk))
        if not report.is_editable:
            form.add_error(None, reports.NOT_EDITABLE)
            return self._render(report, form, status=409)
        if form.is_valid():
            try:
                saved = reports.report_save(report=report, data=form.cleaned_data)
                if action == "submit":
                    reports.report_submit(report=saved, by=request.user)
                    messages.success(request, "Votre rapport est soumis à la CANUT. Merci.")
                    return redirect("holders:home")
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Brouillon enregistré.")
                return redirect("holders:report", pk=report.pk)
        return self._render(self.get_report(), form)

    def _sales(self, report):
        upload = SalesUploadForm(self.request.POST, self.request.FILES)
        if upload.is_valid():
            try:
                count = reports.sales_upload(report=report, file=upload.cleaned_data["file"])
            except ValidationError as error:
                add_service_error(upload, error)
            else:
                messages.success(self.request, f"Détail des ventes enregistré : {count} ligne(s).")
                return redirect(reverse("holders:report", args=[report.pk]) + "#ventes")
        self.add_upload_errors(upload)
        return self._render(report, ReportForm(instance=report), upload=upload)

    def _attachment(self, report):
        form = AttachmentForm(self.request.POST, self.request.FILES)
        if form.is_valid():
            try:
                reports.attachment_add(report=report, file=form.cleaned_data["file"], by=self.request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(self.request, "Pièce jointe ajoutée.")
                return redirect(reverse("holders:report", args=[report.pk]) + "#pieces")
        self.add_upload_errors(form)
        return self._render(report, ReportForm(instance=report), attachment_form=form)

    def _remove(self, report):
        try:
            reports.attachment_remove(report=report, pk=int(self.request.POST.get("attachment", "0")[:18] or 0))
        except (ValueError, ValidationError):
            pass
        return redirect(reverse("holders:report", args=[report.pk]) + "#pieces")

    def _render(self, report, form, upload=None, attachment_form=None, status=200):
        lines = list(report.sales_lines.all())
        total = sum((line.amount for line in lines), 0)
        context = {
            "report": report,
            "form": form,
            "upload": upload or SalesUploadForm(),
            "attachment_form": attachment_form or AttachmentForm(),
            "lines": lines,
            "total": total,
            "out_of_subscription": sum(1 for line in lines if line.out_of_subscription),
            "gap": reports.gap_too_large(volume=report.volume, total=total) if lines else False,
            "attachments": list(report.attachments.all()),
            "versions": list(report.versions.select_related("decided_by")),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class TemplateDownloadView(ReportMixin, View):
    def get(self, request, pk):
        report = self.get_report()
        content = sales.template_bytes(rows=selectors.template_rows(report=report), title=str(report))
        name = f"ventes-{report.campaign.year}-S{report.campaign.half}-{report.market.slug}.xlsx"
        return xlsx_response(content, name)


class AttachmentDownloadView(ReportMixin, View):
    def get(self, request, pk, attachment):
        report = self.get_report()
        found = report.attachments.filter(pk=attachment).first()
        if found is None:
            raise Http404
        return private_download(found.file, filename=found.name)
