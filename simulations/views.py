"""Purchase simulations: "Mes simulations", a simulation's page, "Ajouter à ma simulation",
and the note with its spreadsheet. A visitor works on the one simulation in their session
(the URLs without a number); a member on their own saved ones."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View

from core.downloads import private_download
from core.forms import add_service_error
from core.spreadsheets import xlsx_response
from subscriptions.selectors import member_establishments

from . import selectors, services
from .forms import NEW, AddForm, AddMarketForm, FiguresForm, SettingsForm, SimulationNameForm
from .models import MAX_LINES, MAX_SIMULATIONS
from .note import DOCX_CONTENT_TYPE, fee_text, lines_xlsx, note_docx, percent_text, summary_rows, unit_text
from .numbers import format_number
from .store import AccountStore


def detail_url(store):
    if store.is_visitor:
        return reverse("simulations:visitor")
    return reverse("simulations:detail", args=[store.simulation.pk])


class SimulationListView(LoginRequiredMixin, View):
    def get(self, request):
        return self.render(request, SimulationNameForm())

    def post(self, request):
        form = SimulationNameForm(request.POST)
        if form.is_valid():
            try:
                simulation = services.simulation_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Simulation « {simulation.name} » créée.")
                return redirect("simulations:detail", simulation.pk)
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        simulations = selectors.simulations_for(user=request.user).annotate(line_count=Count("lines"))
        visitor_lines = len(selectors.store_for(request).rows())
        context = {
            "simulations": simulations,
            "form": form,
            "max_simulations": MAX_SIMULATIONS,
            "visitor_lines": visitor_lines,
        }
        return render(request, "simulations/simulation_list.html", context, status=status)


class SimulationDetailView(View):
    """One simulation: its lines by agreement and lot, the fees, the gain; one form edits it."""

    def dispatch(self, request, *args, pk=None, **kwargs):
        if pk is None and request.user.is_authenticated and not selectors.store_for(request).rows():
            return redirect("simulations:list")  # a member's simulations are saved ones
        self.store = selectors.store_for(request, pk)
        return super().dispatch(request, *args, **kwargs)

    def figures(self):
        return selectors.simulation_figures(request=self.request, store=self.store, today=timezone.localdate())

    def get(self, request, *args, **kwargs):
        figures = self.figures()
        return self.render(request, figures, FiguresForm(figures=figures))

    def post(self, request, *args, **kwargs):
        figures = self.figures()
        if "retirer" in request.POST:
            visible = {str(line.entry.pk): line for line in figures.lines}
            line = visible.get(request.POST["retirer"])
            if line is not None and self.store.remove(line.entry.pk):
                messages.success(request, f"« {line.line.designation} » retirée de la simulation.")
            return redirect(detail_url(self.store))
        form = FiguresForm(request.POST, figures=figures)
        if not form.is_valid():
            return self.render(request, figures, form, status=400)
        self.store.update(lines=form.lines(), quotes=form.quotes())
        messages.success(request, "Simulation mise à jour.")
        return redirect(detail_url(self.store))

    def render(self, request, figures, form, status=200):
        settings_form = None
        if not self.store.is_visitor:
            simulation = self.store.simulation
            settings_form = SettingsForm(
                establishments=member_establishments(user=request.user),
                initial={
                    "name": simulation.name,
                    "establishment": simulation.establishment_id,
                    "standing": "non_member" if simulation.non_member else "member",
                },
            )
        rows = [
            {
                "agreement": agreement,
                "fee_text": fee_text(agreement),
                "gain_percent": percent_text(agreement.gain_percent),
                "quote_field": form[f"a{agreement.market.pk}"],
                "lots": [
                    {
                        "lot": lot,
                        "lines": [
                            {
                                "figures": line,
                                "unit": unit_text(line),
                                "quantity": form[f"q{line.entry.pk}"],
                                "paid": form[f"p{line.entry.pk}"],
                            }
                            for line in lot.lines
                        ],
                    }
                    for lot in agreement.lots
                ],
            }
            for agreement in figures.agreements
        ]
        context = {
            "store": self.store,
            "figures": figures,
            "form": form,
            "rows": rows,
            "summary": summary_rows(figures),
            "settings_form": settings_form,
            "establishment": selectors.buyer_establishment(store=self.store, user=request.user),
            "max_lines": MAX_LINES,
            "detail_url": detail_url(self.store),
            "note_url": detail_url(self.store) + "note.docx",
            "xlsx_url": detail_url(self.store) + "lignes.xlsx",
        }
        return render(request, "simulations/simulation_detail.html", context, status=status)


class SimulationSettingsView(LoginRequiredMixin, View):
    def post(self, request, pk):
        simulation = selectors.simulation_for(user=request.user, pk=pk)
        form = SettingsForm(request.POST, establishments=member_establishments(user=request.user))
        if form.is_valid():
            try:
                services.simulation_update(
                    simulation=simulation,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    establishment=form.cleaned_data["establishment"],
                    non_member=form.cleaned_data["standing"] == "non_member",
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Paramètres de la simulation enregistrés.")
                return redirect("simulations:detail", simulation.pk)
        return render(
            request, "simulations/simulation_settings.html", {"form": form, "simulation": simulation}, status=400
        )


class SimulationDeleteView(LoginRequiredMixin, View):
    def get(self, request, pk):
        simulation = selectors.simulation_for(user=request.user, pk=pk)
        return render(request, "simulations/simulation_delete.html", {"simulation": simulation})

    def post(self, request, pk):
        simulation = selectors.simulation_for(user=request.user, pk=pk)
        services.simulation_delete(simulation=simulation)
        messages.success(request, f"Simulation « {simulation.name} » supprimée.")
        return redirect("simulations:list")


class AddMixin:
    """Where added lines go: the visitor's session, or the member's chosen (or new) simulation."""

    def setup_simulations(self):
        user = self.request.user
        self.simulations = list(selectors.simulations_for(user=user)) if user.is_authenticated else None

    def initial(self):
        if self.simulations is None:
            return {}
        first = self.simulations[0] if self.simulations else None
        return {"simulation": str(first.pk) if first else NEW, "new_name": "" if first else "Ma simulation"}

    def target(self, data):
        if self.simulations is None:
            return selectors.store_for(self.request)
        if data["simulation"] == NEW:
            try:
                simulation = services.simulation_create(user=self.request.user, name=data["new_name"])
            except ValidationError as error:
                if hasattr(error, "error_dict") and "name" in error.error_dict:
                    raise ValidationError({"new_name": error.error_dict["name"]}) from None
                raise
            return AccountStore(simulation)
        return selectors.store_for(self.request, int(data["simulation"]))


class AddView(AddMixin, View):
    """ "Ajouter à ma simulation" for one price line the reader may see (else 404, a forged POST too)."""

    def dispatch(self, request, *args, **kwargs):
        self.line = selectors.visible_price_line(request=request, pk=kwargs["line_id"])
        self.setup_simulations()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, line_id):
        form = AddForm(initial={"quantity": "1", **self.initial()}, simulations=self.simulations)
        return self.render(request, form)

    def post(self, request, line_id):
        form = AddForm(request.POST, simulations=self.simulations)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            store = self.target(form.cleaned_data)
            created = store.add(self.line, form.cleaned_data["quantity"])
        except ValidationError as error:
            add_service_error(form, error)
            return self.render(request, form, status=400)
        quantity = format_number(form.cleaned_data["quantity"])
        if created:
            messages.success(request, f"« {self.line.designation} » ajoutée à « {store.name} » (quantité {quantity}).")
        else:
            messages.success(request, f"Quantité de « {self.line.designation} » dans « {store.name} » : {quantity}.")
        return redirect(detail_url(store))

    def render(self, request, form, status=200):
        context = {"line": self.line, "form": form, "visitor": self.simulations is None}
        return render(request, "simulations/add.html", context, status=status)


class AddMarketView(AddMixin, View):
    """ "Ajouter à ma simulation" from a market page: its visible lines, a page at a time,
    each with a quantity; only the lines of the page shown can be added (a forged name is ignored)."""

    def dispatch(self, request, *args, **kwargs):
        self.market, self.page = selectors.market_lines_page(
            request=request, market_id=kwargs["market_id"], page=request.GET.get("page")
        )
        self.setup_simulations()
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        initial = None if data else self.initial()
        return AddMarketForm(data, initial=initial, simulations=self.simulations, lines=self.page.object_list)

    def get(self, request, market_id):
        return self.render(request, self.form())

    def post(self, request, market_id):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            store = self.target(form.cleaned_data)
            for line, quantity in form.quantities():
                store.add(line, quantity)
        except ValidationError as error:
            add_service_error(form, error)
            return self.render(request, form, status=400)
        count = len(form.quantities())
        messages.success(
            request, f"{count} ligne{'s' if count > 1 else ''} de « {self.market.title} » dans « {store.name} »."
        )
        return redirect(detail_url(store))

    def render(self, request, form, status=200):
        rows = [{"line": line, "field": form[f"q{line.pk}"]} for line in self.page.object_list]
        context = {
            "market": self.market,
            "page": self.page,
            "rows": rows,
            "form": form,
            "visitor": self.simulations is None,
        }
        return render(request, "simulations/add_market.html", context, status=status)


class NoteView(View):
    def get(self, request, pk=None):
        store = selectors.store_for(request, pk)
        today = timezone.localdate()
        figures = selectors.simulation_figures(request=request, store=store, today=today)
        content = note_docx(
            figures=figures,
            name=store.name,
            establishment=selectors.buyer_establishment(store=store, user=request.user),
            today=today,
            portal_url=request.build_absolute_uri("/"),
        )
        name = f"note-simulation-{slugify(store.name) or 'achat'}-{today:%Y-%m-%d}.docx"
        return private_download(content, filename=name, content_type=DOCX_CONTENT_TYPE)


class LinesSpreadsheetView(View):
    def get(self, request, pk=None):
        store = selectors.store_for(request, pk)
        today = timezone.localdate()
        figures = selectors.simulation_figures(request=request, store=store, today=today)
        name = f"simulation-{slugify(store.name) or 'achat'}-{today:%Y-%m-%d}.xlsx"
        return xlsx_response(lines_xlsx(figures=figures), name)
