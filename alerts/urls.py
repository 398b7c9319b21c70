from django.urls import path

from . import feeds, views

app_name = "alerts"

urlpatterns = [
    path("compte/alertes/", views.AlertListView.as_view(), name="list"),
    path("compte/alertes/enregistrer/", views.SavedSearchCreateView.as_view(), name="create"),
    path("compte/alertes/<id:pk>/modifier/", views.SavedSearchUpdateView.as_view(), name="update"),
    path("compte/alertes/<id:pk>/supprimer/", views.SavedSearchDeleteView.as_view(), name="delete"),
    path("compte/alertes/choix/", views.PreferencesView.as_view(), name="preferences"),
    path("alertes/arreter/<str:token>/", views.StopView.as_view(), name="stop"),
    path("flux/marches.atom", feeds.MarketFeed(), name="feed"),
    path("flux/marches/theme/<slug:slug>.atom", feeds.ThemeFeed(), name="feed_theme"),
    path("flux/marches/titulaire/<slug:slug>.atom", feeds.HolderFeed(), name="feed_holder"),
]
