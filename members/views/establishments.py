from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, TemplateView

from core.forms import add_service_error
from members.forms import EstablishmentForm, JoinObjectionForm
from members.models import Establishment, PendingChange
from members.selectors import (
    establishment_get_for_user,
    establishment_list_for_user,
    join_request_get_for_member,
    join_requests_for_member,
    pending_attachments_for_user,
    pending_change_for,
)
from members.services import (
    establishment_add_for_user,
    establishment_change_request,
    establishment_leave,
    establishment_leave_refusal,
    join_request_object,
)

from .account import CHANGE_SENT_MESSAGE
from .search import EstablishmentSearchMixin


class EstablishmentListView(LoginRequiredMixin, TemplateView):
    """ "Gérer mes établissements"."""

    template_name = "members/establishment_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "establishments": establishment_list_for_user(user=user),
            "pending_attachments": pending_attachments_for_user(user=user),
            "join_requests": join_requests_for_member(user=user),
        }


class EstablishmentAddView(LoginRequiredMixin, EstablishmentSearchMixin, FormView):
    """ "+ Ajouter un établissement": pick one in the directory, or create it."""

    template_name = "members/establishment_add.html"
    form_class = EstablishmentForm
    success_url = reverse_lazy("members:establishments")

    def get_initial(self):
        return self.search_initial()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.search_context()}

    def form_valid(self, form):
        try:
            establishment, attached = establishment_add_for_user(user=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if not attached:
            messages.success(
                self.request,
                f"« {establishment.name} » est déjà inscrit : "
                "votre rattachement est soumis à la validation de la CANUT.",
            )
        elif establishment.status == establishment.Status.PENDING:
            messages.success(
                self.request,
                f"« {establishment.name} » est ajouté ; sa création est soumise à la validation de la CANUT.",
            )
        else:
            messages.success(self.request, f"« {establishment.name} » est ajouté à vos établissements.")
        return super().form_valid(form)


class EstablishmentEditView(LoginRequiredMixin, FormView):
    """ "Modifier" one of the member's establishments (only theirs: any other is a 404)."""

    template_name = "members/establishment_edit.html"
    form_class = EstablishmentForm
    success_url = reverse_lazy("members:establishments")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.establishment = establishment_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {name: getattr(self.establishment, name) for name in Establishment.CHANGEABLE_FIELDS}
        change = pending_change_for(
            user=self.request.user, kind=PendingChange.Kind.ESTABLISHMENT, establishment=self.establishment
        )
        return {**initial, **(change.data if change else {})}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "establishment": self.establishment}

    def form_valid(self, form):
        try:
            change = establishment_change_request(
                user=self.request.user, establishment=self.establishment, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, CHANGE_SENT_MESSAGE if change else "Aucune modification à transmettre.")
        return super().form_valid(form)


class JoinObjectionView(LoginRequiredMixin, FormView):
    """A user of an establishment objects to someone's request to join it (the link of the
    email they received); a request elsewhere, or decided, is a 404."""

    template_name = "members/join_objection.html"
    form_class = JoinObjectionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.change = join_request_get_for_member(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "change": self.change}

    def form_valid(self, form):
        join_request_object(change=self.change, user=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(
            self.request,
            "Votre opposition est enregistrée : la CANUT la lira avant de décider, et vous prévient par e-mail.",
        )
        return redirect("members:establishments")


class EstablishmentLeaveView(LoginRequiredMixin, TemplateView):
    """ "Supprimer" on "Mes établissements": asks to confirm, then the user leaves it."""

    template_name = "members/establishment_leave.html"

    def get_context_data(self, **kwargs):
        establishment = establishment_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        # The refusal is said before "Confirmer", not after it (the service checks it again).
        kwargs.setdefault("error", establishment_leave_refusal(user=self.request.user, establishment=establishment))
        return {**super().get_context_data(**kwargs), "establishment": establishment}

    def post(self, request, *args, **kwargs):
        establishment = establishment_get_for_user(user=request.user, pk=kwargs["pk"])
        try:
            establishment_leave(user=request.user, establishment=establishment)
        except ValidationError as error:
            context = self.get_context_data(error=error.messages[0])
            return self.render_to_response(context, status=409)
        messages.success(request, f"Vous n'êtes plus rattaché(e) à « {establishment.name} ».")
        return redirect("members:establishments")
