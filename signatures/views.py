"""The member returns the signed convention; anyone checks a signature ("Vérifier une signature")."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from core import throttle
from core.downloads import private_download
from core.forms import add_service_error
from core.uploads import BoundedUploadMixin
from members.mixins import ActiveMemberRequiredMixin
from subscriptions.selectors import member_subscription

from . import services
from .forms import PdfForm
from .models import SignedConvention


class PdfUploadMixin(BoundedUploadMixin):
    """One PDF, read no further than the verification's size limit (core.uploads)."""

    def get_upload_max_bytes(self):
        return settings.SIGNATURES_MAX_BYTES

    def form_invalid(self, form):
        self.add_upload_errors(form)
        return super().form_invalid(form)


class PublicVerifyView(PdfUploadMixin, FormView):
    """A PDF in, its report out: nothing is stored. Rate limited per client, counted before the
    body is read, since the verification spends CPU (bounded: see verification.py)."""

    template_name = "signatures/verify.html"
    form_class = PdfForm

    def refuse_uploads(self, request):
        return not throttle.allow(
            ("client", throttle.client_id(request)),
            limit=settings.SIGNATURES_PUBLIC_HOURLY_LIMIT,
            namespace="signatures-verify",
        )

    def post(self, request, *args, **kwargs):
        if self.uploads_refused:
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, "Vous avez vérifié beaucoup de documents en peu de temps : réessayez dans une heure.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            report = services.pdf_report(services.read_upload(form.cleaned_data["file"]))
        except ValidationError as error:
            form.errors.pop("file", None)
            form.add_error("file", error)
            return self.form_invalid(form)
        return self.render_to_response(
            self.get_context_data(form=PdfForm(), report=report, file_name=form.cleaned_data["file"].name)
        )


class SignedConventionView(PdfUploadMixin, ActiveMemberRequiredMixin, FormView):
    """The signed convention of one subscription: the upload while it is "envoyée", then its report."""

    template_name = "signatures/signed_convention.html"
    form_class = PdfForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and getattr(request.user, "is_active_member", False):
            self.subscription = member_subscription(user=request.user, pk=kwargs["pk"], signatories_only=True)
            self.signed = SignedConvention.objects.filter(subscription=self.subscription).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Convention signée (PDF)"}

    def post(self, request, *args, **kwargs):
        if self.signed is not None:
            messages.info(request, "Votre convention signée a déjà été reçue.")
            return redirect("signatures:signed_convention", pk=self.subscription.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.signed_convention_upload(
                subscription=self.subscription, file=form.cleaned_data["file"], by=self.request.user
            )
        except ValidationError as error:
            if getattr(error, "code", None) in ("size", "unreadable"):
                form.add_error("file", error)
            else:
                add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Votre convention signée a bien été reçue : la CANUT va la contresigner.")
        return redirect("signatures:signed_convention", pk=self.subscription.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscription=self.subscription,
            market=self.subscription.market,
            signed=self.signed,
            report=self.signed.report if self.signed else None,
            **kwargs,
        )


class SignedConventionDownloadView(ActiveMemberRequiredMixin, View):
    """The file the member returned: for the signatory establishment's users only (404 otherwise)."""

    def get(self, request, pk):
        subscription = member_subscription(user=request.user, pk=pk, signatories_only=True)
        signed = SignedConvention.objects.filter(subscription=subscription).first()
        if signed is None:
            raise Http404("Aucune convention signée.")
        return private_download(signed.file, filename=f"convention-signee-{subscription.establishment.siret}.pdf")
