"""Staff decisions in the Wagtail admin: one page per pending item, approve or reject with
a reason. The services date and sign each decision and send the emails."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from wagtail_modeladmin.views import InstanceSpecificView

from .forms import DecisionForm
from .models import Establishment, PendingChange, User


class DecisionView(InstanceSpecificView):
    template_name = "members/admin/decide.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_decide(user, self.instance)

    def get_page_title(self):
        return "Valider ou refuser"

    def get_meta_title(self):
        return f"Valider ou refuser : {self.instance}"

    def details(self):
        obj = self.instance
        if isinstance(obj, User):
            establishments = ", ".join(
                f"{e.name} (SIRET {e.siret}, {e.get_status_display().lower()})" for e in obj.establishments.all()
            )
            return [
                ("Nom", obj.get_full_name()),
                ("Email", obj.email),
                ("Fonction", obj.function),
                ("Téléphone établissement", obj.establishment_phone),
                ("Téléphone professionnel", obj.professional_phone),
                ("Établissement(s)", establishments or "—"),
                ("Inscrit le", obj.date_joined.strftime("%d/%m/%Y %H:%M")),
            ]
        if isinstance(obj, Establishment):
            return [
                ("Nom", obj.name),
                ("SIREN", obj.siren),
                ("SIRET", obj.siret),
                ("Code APE", obj.ape_code),
                ("Code Chorus", obj.chorus_code),
                ("Adresse", " — ".join(obj.address_lines)),
                ("Demandé par", obj.created_by or "—"),
                ("Utilisateurs", ", ".join(str(u) for u in obj.users.all()) or "—"),
            ]
        rows = [("Demandée par", obj.requested_by), ("Demandée le", obj.created_at.strftime("%d/%m/%Y %H:%M"))]
        if obj.establishment_id:
            rows.append(("Établissement", f"{obj.establishment.name} (SIRET {obj.establishment.siret})"))
        return rows

    def changes(self):
        return self.instance.changed_fields() if isinstance(self.instance, PendingChange) else []

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            form=form or DecisionForm(), details=self.details(), changes=self.changes(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if self.instance.status != "pending":
            messages.error(request, "Cette demande a déjà été traitée.")
            return redirect(self.index_url)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
            try:
                self.model_admin.decide(
                    self.instance, approve=approve, decided_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                verb = "validé(e)" if approve else "refusé(e)"
                messages.success(request, f"{self.instance} : {verb}.")
                return redirect(self.index_url)
        return self.render_to_response(self.get_context_data(form=form))
