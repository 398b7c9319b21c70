"""Mes groupements: the list, the template, the upload, and each groupement's rows."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from core.forms import add_service_error
from core.spreadsheets import xlsx_response

from . import selectors, services
from . import spreadsheet as sheets
from .forms import GroupementUploadForm

# Past this many, the member sees the first problems and a count: the file needs rework anyway.
PROBLEMS_SHOWN = 100


class GroupementListView(LoginRequiredMixin, ListView):
    template_name = "groupements/groupement_list.html"
    context_object_name = "groupements"

    def get_queryset(self):
        return selectors.groupement_list_for_user(user=self.request.user)


class GroupementTemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        return xlsx_response(sheets.template_bytes(), "groupement-canut.xlsx")


class GroupementCreateView(LoginRequiredMixin, FormView):
    template_name = "groupements/groupement_form.html"
    form_class = GroupementUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_parent"] = context["form"].fields["parent"].queryset.exists()
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            groupement = services.groupement_create_from_spreadsheet(
                created_by=self.request.user,
                parent=data["parent"],
                name=data["name"],
                market=data["market"],
                spreadsheet=data["spreadsheet"],
            )
        except sheets.SpreadsheetInvalid as error:
            problems = error.problems
            form.add_error(
                "spreadsheet",
                "Le tableur n'a pas été enregistré : corrigez les points listés en haut de la page, "
                "puis déposez-le à nouveau.",
            )
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    problems=problems[:PROBLEMS_SHOWN],
                    problems_hidden=max(0, len(problems) - PROBLEMS_SHOWN),
                )
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Votre groupement « {groupement.name} » ({groupement.members.count()} établissement(s)) "
            "est enregistré : la CANUT va le vérifier et vous prévenir par e-mail.",
        )
        return redirect("groupements:list")


class OwnGroupementMixin(LoginRequiredMixin):
    """Another member's groupement answers 404: its existence is nobody else's business."""

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.groupement_list_for_user(user=self.request.user), pk=self.kwargs["pk"])


class GroupementDetailView(OwnGroupementMixin, DetailView):
    template_name = "groupements/groupement_detail.html"
    context_object_name = "groupement"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rows": selectors.groupement_members(groupement=self.object)}


class GroupementSpreadsheetDownloadView(OwnGroupementMixin, View):
    """The groupement's rows in the template's layout, regenerated: never the file sent."""

    def get(self, request, pk):
        groupement = self.get_object()
        rows = [
            sheets.Row(number=m.row_number, siret=m.establishment.siret, name=m.name, email=m.contact_email)
            for m in selectors.groupement_members(groupement=groupement)
        ]
        return xlsx_response(sheets.rows_bytes(rows), f"groupement-{slugify(groupement.name) or groupement.pk}.xlsx")
