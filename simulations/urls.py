from django.urls import path

from . import views

app_name = "simulations"

urlpatterns = [
    path("", views.SimulationListView.as_view(), name="list"),
    path("en-cours/", views.SimulationDetailView.as_view(), name="visitor"),
    path("en-cours/note.docx", views.NoteView.as_view(), name="visitor_note"),
    path("en-cours/lignes.xlsx", views.LinesSpreadsheetView.as_view(), name="visitor_lines"),
    path("ajouter/<id:line_id>/", views.AddView.as_view(), name="add"),
    path("ajouter/marche/<id:market_id>/", views.AddMarketView.as_view(), name="add_market"),
    path("<id:pk>/", views.SimulationDetailView.as_view(), name="detail"),
    path("<id:pk>/parametres/", views.SimulationSettingsView.as_view(), name="settings"),
    path("<id:pk>/supprimer/", views.SimulationDeleteView.as_view(), name="delete"),
    path("<id:pk>/note.docx", views.NoteView.as_view(), name="note"),
    path("<id:pk>/lignes.xlsx", views.LinesSpreadsheetView.as_view(), name="lines"),
]
