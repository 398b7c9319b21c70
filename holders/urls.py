from django.urls import path

from . import views

app_name = "holders"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("invitation/<str:token>/", views.AcceptView.as_view(), name="accept"),
    path("rapports/<id:pk>/", views.ReportView.as_view(), name="report"),
    path("rapports/<id:pk>/modele-ventes.xlsx", views.TemplateDownloadView.as_view(), name="sales_template"),
    path("rapports/<id:pk>/pieces/<id:attachment>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
