""" "Mes factures": the invoices of the member's establishments, and their PDF."""

from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from core.downloads import private_download
from members.mixins import ActiveMemberRequiredMixin

from . import selectors
from .pdf import invoice_pdf


class InvoiceListView(ActiveMemberRequiredMixin, TemplateView):
    template_name = "billing/invoice_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(invoices=list(selectors.invoices_for_user(user=self.request.user)), **kwargs)


class InvoicePdfView(ActiveMemberRequiredMixin, View):
    """Only the users of the invoice's establishment: anyone else gets a 404, not a hint."""

    def get(self, request, pk):
        invoice = get_object_or_404(selectors.invoices_for_user(user=request.user), pk=pk)
        return private_download(invoice_pdf(invoice), filename=invoice.pdf_filename, content_type="application/pdf")
