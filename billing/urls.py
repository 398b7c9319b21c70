"""The member's invoices, mounted under /compte/factures/."""

from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="invoices"),
    path("<id:pk>/pdf/", views.InvoicePdfView.as_view(), name="invoice_pdf"),
]
