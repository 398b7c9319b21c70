""" "Mes factures": the invoices of the member's establishments with where each stands,
their credit notes beside them, every PDF, and what the member wants printed on them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from core.downloads import private_download
from members.mixins import ActiveMemberRequiredMixin

from . import selectors, services
from .forms import BuyerReferenceForm
from .pdf import credit_note_pdf, invoice_pdf


class InvoiceListView(ActiveMemberRequiredMixin, TemplateView):
    template_name = "billing/invoice_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = selectors.invoice_rows(selectors.invoices_for_user(user=user), today=timezone.localdate())
        return super().get_context_data(
            rows=rows,
            owed=selectors.owed_totals(rows),
            establishments=list(selectors.establishments_for_user(user=user)),
            **kwargs,
        )


class InvoicePdfView(ActiveMemberRequiredMixin, View):
    """Only the users of the invoice's establishment: anyone else gets a 404, not a hint."""

    def get(self, request, pk):
        invoice = get_object_or_404(selectors.invoices_for_user(user=request.user), pk=pk)
        return private_download(invoice_pdf(invoice), filename=invoice.pdf_filename, content_type="application/pdf")


class CreditNotePdfView(ActiveMemberRequiredMixin, View):
    def get(self, request, pk):
        note = get_object_or_404(selectors.credit_notes_for_user(user=request.user), pk=pk)
        return private_download(credit_note_pdf(note), filename=note.pdf_filename, content_type="application/pdf")


class BuyerReferenceView(ActiveMemberRequiredMixin, FormView):
    """The Chorus service code and engagement number of one of the member's establishments."""

    template_name = "billing/buyer_reference.html"
    form_class = BuyerReferenceForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            mine = selectors.establishments_for_user(user=request.user)
            self.establishment = get_object_or_404(mine, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        reference = getattr(self.establishment, "billing_reference", None)
        if reference is None:
            return {}
        return {"service_code": reference.service_code, "engagement_number": reference.engagement_number}

    def get_context_data(self, **kwargs):
        return super().get_context_data(establishment=self.establishment, **kwargs)

    def form_valid(self, form):
        services.buyer_reference_save(establishment=self.establishment, **form.cleaned_data)
        name = self.establishment.name
        messages.success(self.request, f"Références enregistrées pour {name} : sur ses prochaines factures.")
        return redirect("billing:invoices")
