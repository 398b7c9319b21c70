"""The member area's subscription pages, mounted under /compte/ beside members' own."""

from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("tableau-de-bord/", views.DashboardView.as_view(), name="dashboard"),
    path("marches/", views.MyMarketsView.as_view(), name="my_markets"),
    path("marches/<id:market_id>/", views.MarketManageView.as_view(), name="market_manage"),
    path("marches/<id:market_id>/souscrire/", views.SubscriptionRequestView.as_view(), name="subscription_request"),
    path("souscriptions/<id:pk>/", views.SubscriptionTabView.as_view(), name="subscription_detail"),
    path("souscriptions/<id:pk>/contacts/", views.SubscriptionContactsView.as_view(), name="subscription_contacts"),
    path(
        "souscriptions/<id:pk>/contacts.xlsx",
        views.ContactsSpreadsheetView.as_view(),
        name="subscription_contacts_xlsx",
    ),
    path("souscriptions/<id:pk>/pieces/", views.SubscriptionPiecesView.as_view(), name="subscription_pieces"),
    path("souscriptions/<id:pk>/convention/", views.ConventionDownloadView.as_view(), name="subscription_convention"),
    path(
        "souscriptions/<id:pk>/convention-contresignee/",
        views.ConventionDownloadView.as_view(field="countersigned_convention"),
        name="subscription_countersigned",
    ),
]
