"""The requester's pages: ask (subject → FAQ → request), follow, answer, close."""

import mimetypes

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from core.downloads import private_download
from core.forms import ParamsForm, TruncatedCharField, add_service_error
from core.site_settings import site_settings
from core.uploads import BoundedUploadMixin

from . import selectors, services, throttle
from .attachments import skipped_errors
from .context import request_context
from .forms import MessageForm, RequestForm, SubjectForm, subject_from
from .notifications import support_contact
from .tokens import request_pk_from_token

FAQ_THANKS = "Tant mieux ! Votre réponse nous aide à améliorer les questions fréquentes."


class AttachmentsMixin(BoundedUploadMixin):
    """Posts with attachments: the hourly limit is counted before the body is read (over it,
    no file is read), the size and count limits while it is read (core.uploads)."""

    throttle_scope = "post"

    def get_upload_max_bytes(self):
        return settings.ASSISTANCE_ATTACHMENT_MAX_BYTES

    @property
    def upload_max_count(self):
        return settings.ASSISTANCE_ATTACHMENT_MAX_COUNT

    def refuse_uploads(self, request):
        scope = (self.throttle_scope, throttle.client_id(request))
        return not throttle.allow(scope, limit=4 * settings.ASSISTANCE_HOURLY_LIMIT)

    def check_uploads(self, form):
        if self.uploads_refused:
            form.add_error(None, throttle.TOO_MANY)
            return
        for error in skipped_errors(self.request):
            form.add_error("attachments", error)


class RequestParamsForm(ParamsForm):
    """The GET parameters of the request form, parsed before the subject is looked up."""

    depuis = TruncatedCharField(length=500, initial="")
    origin = TruncatedCharField(length=500, initial="")
    sujet = forms.SlugField(max_length=100, required=False, initial="")
    poursuivre = TruncatedCharField(length=10, initial="")


def _origin(request, data) -> str:
    return data.get("depuis") or data.get("origin") or request.headers.get("Referer", "")


class RequestView(AttachmentsMixin, View):
    """ "Votre demande": the context, the subject and its FAQ, then the request itself."""

    template_name = "assistance/request_form.html"

    def get(self, request):
        params = RequestParamsForm(request.GET).values()
        origin = _origin(request, params)
        subject = subject_from(params["sujet"])
        go_on = bool(subject and params["poursuivre"])
        form = RequestForm(
            initial={"subject": subject, "origin": origin, **RequestForm.initial_for(request.user)}, user=request.user
        )
        return self.render(origin=origin, subject=subject, form=form, go_on=go_on)

    def post(self, request):
        # The text first: the files are decoded only for a request the limits let through.
        form = RequestForm(request.POST, user=request.user)
        origin = request.POST.get("origin", "")
        self.check_uploads(form)
        if form.is_valid():
            data = form.cleaned_data
            if not throttle.allow(("client", throttle.client_id(request)), ("email", data["contact_email"])):
                form.add_error(None, throttle.TOO_MANY)
            else:
                form = RequestForm(request.POST, request.FILES, user=request.user)
                if form.is_valid():
                    try:
                        return self.create(form, origin)
                    except ValidationError as error:
                        add_service_error(form, error)
        subject = form.cleaned_data.get("subject") or subject_from(request.POST.get("subject"))
        return self.render(origin=origin, subject=subject, form=form, go_on=True, status=400)

    def create(self, form, origin):
        data = form.cleaned_data
        support_request = services.request_create(
            context=request_context(self.request, origin=origin),
            subject=data["subject"],
            severity=data["severity"],
            frequency=data["frequency"],
            message=data["message"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            organisation=data.get("organisation", ""),
            files=data["attachments"],
        )
        selectors.grant(self.request.session, support_request.pk)
        return redirect(reverse("assistance:detail", args=[support_request.reference]) + "?envoyee=1")

    def render(self, *, origin, subject, form, go_on, status=200):
        context = {
            "context": request_context(self.request, origin=origin),
            "origin": origin,
            "subject_form": SubjectForm(initial={"sujet": subject}),
            "subject": subject,
            "entries": selectors.faq_entries_for(subject=subject),
            "form": form,
            "go_on": go_on,
            "faq_page": selectors.faq_page(),
            **support_contact(),
        }
        return render(self.request, self.template_name, context, status=status)


class FaqSolvedView(View):
    """ "La FAQ m'a permis de résoudre mon problème": counted, then back where they came from."""

    def post(self, request):
        subject = subject_from(request.POST.get("subject"))
        # Counted once per click, within the client's hourly allowance (the figure stays honest).
        if subject is not None and throttle.allow(("faq", throttle.client_id(request)), limit=30):
            services.faq_resolution_record(subject=subject)
        messages.success(request, FAQ_THANKS)
        origin = request.POST.get("origin", "")
        # A URL of this site, never a view name ("abc" made redirect() look one up: a 500).
        if origin.startswith("/") and url_has_allowed_host_and_scheme(origin, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(origin)
        return redirect("/")


class AccessView(View):
    """A visitor's signed link: this browser may then see that request, and only it."""

    def get(self, request, token):
        pk = request_pk_from_token(token)
        support_request = selectors.request_by_pk(pk) if pk else None
        if support_request is None:
            return render(request, "assistance/access_invalid.html", support_contact(), status=404)
        selectors.grant(request.session, support_request.pk)
        return redirect("assistance:detail", support_request.reference)


class RequesterMixin:
    """The request named in the URL, if this user or this browser may see it; else 404."""

    def get_request(self):
        return selectors.request_for_viewer(
            user=self.request.user, session=self.request.session, reference=self.kwargs["reference"]
        )

    def author_name(self, support_request):
        user = self.request.user
        return user.get_full_name() if user.is_authenticated else support_request.contact_name


class RequestDetailView(AttachmentsMixin, RequesterMixin, View):
    template_name = "assistance/request_detail.html"
    throttle_scope = "message"

    def get(self, request, reference):
        return self.render(self.get_request(), MessageForm())

    def post(self, request, reference):
        support_request = self.get_request()
        form = MessageForm(request.POST, request.FILES)
        self.check_uploads(form)
        if form.is_valid():
            try:
                services.request_message_add(
                    support_request=support_request,
                    author=request.user if request.user.is_authenticated else None,
                    author_name=self.author_name(support_request),
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Votre message est ajouté à la demande.")
                return redirect("assistance:detail", support_request.reference)
        return self.render(support_request, form, status=400)

    def render(self, support_request, form, status=200):
        initial, exchange = selectors.request_exchange(support_request=support_request)
        context = {
            "support_request": support_request,
            "initial_attachments": initial,
            "exchange": exchange,
            "form": form,
            "just_sent": "envoyee" in self.request.GET,
            **support_contact(),
        }
        return render(self.request, self.template_name, context, status=status)


class RequestCloseView(RequesterMixin, View):
    def post(self, request, reference):
        support_request = self.get_request()
        services.request_close_by_requester(
            support_request=support_request,
            author=request.user if request.user.is_authenticated else None,
            author_name=self.author_name(support_request),
        )
        messages.success(request, "Votre demande est fermée. Merci !")
        return redirect("assistance:detail", support_request.reference)


class AttachmentDownloadView(RequesterMixin, View):
    def get(self, request, reference, pk):
        attachment = selectors.attachment_for_viewer(support_request=self.get_request(), pk=pk)
        return attachment_response(attachment)


def attachment_response(attachment):
    return private_download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


class MyRequestsView(LoginRequiredMixin, ListView):
    template_name = "assistance/request_list.html"
    context_object_name = "support_requests"
    paginate_by = 20

    def get_queryset(self):
        return selectors.request_list_for_user(user=self.request.user)


class UserGuideView(View):
    """The "Guide d'utilisation" PDF editors chose in the site settings, for everyone."""

    def get(self, request):
        document = getattr(site_settings(request), "user_guide_document", None)
        if document is None or not document.file:
            raise Http404("Aucun guide d'utilisation n'est publié.")
        content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
        return FileResponse(document.file.open("rb"), filename=document.filename, content_type=content_type)
