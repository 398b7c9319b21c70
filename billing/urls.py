"""The member's invoices, mounted under /compte/factures/."""

from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="invoices"),
    path("<id:pk>/pdf/", views.InvoicePdfView.as_view(), name="invoice_pdf"),
    path("avoirs/<id:pk>/pdf/", views.CreditNotePdfView.as_view(), name="credit_note_pdf"),
    path("references/<id:pk>/", views.BuyerReferenceView.as_view(), name="buyer_reference"),
]
