"""The requester's pages over HTTP: the flow with and without JavaScript, the request, the
link in the email, and who may read what (404 for everyone else, by URL guessing too)."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from assistance import services
from assistance.models import FaqResolution, RequestMessage, Status, SupportRequest
from tests.downloads import assert_private_download
from tests.factories.assistance import SupportRequestFactory, pdf_bytes, png_bytes, screenshot, upload

REQUEST_URL = reverse("assistance:request")


def _post_data(subject, **extra):
    return {
        "subject": subject.slug,
        "severity": "blocking",
        "frequency": "systematic",
        "message": "Mon SIRET est refusé à l'inscription.",
        "contact_name": "Paul Visiteur",
        "contact_email": "paul@mairie-exemple.fr",
        "organisation": "Commune de Visan",
        "origin": "/compte/inscription/",
        **extra,
    }


def _send(client, subject, **extra):
    return client.post(REQUEST_URL, _post_data(subject, **extra), HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0")


def _follow_link(client, email):
    path = re.search(r"http://[^/]+(/assistance/suivi/[^/\s]+/)", email.body).group(1)
    return client.get(path, follow=True)


def test_the_subject_shows_its_questions_without_javascript(client, registration_subject):
    response = client.get(REQUEST_URL, {"sujet": registration_subject.slug, "depuis": "/compte/inscription/"})
    html = response.content.decode()
    assert "<summary>Pourquoi mon adresse e-mail est-elle refusée ?</summary>" in html
    assert "La FAQ m'a permis de résoudre mon problème" in html
    assert "Contexte applicatif" in html and "Contexte métier" in html and "Contexte technique" in html
    assert "Inscription : informations sur l&#x27;établissement" in html
    assert 'name="message"' not in html  # the rest comes with "je poursuis ma demande"
    go_on = client.get(REQUEST_URL, {"sujet": registration_subject.slug, "poursuivre": "1"}).content.decode()
    assert 'name="message"' in go_on and "Mineur" in go_on and "De façon systématique" in go_on


def test_faq_solved_is_counted_and_goes_back(client, registration_subject):
    response = client.post(
        reverse("assistance:faq_solved"), {"subject": registration_subject.slug, "origin": "/compte/inscription/"}
    )
    assert response.status_code == 302 and response.url == "/compte/inscription/"
    assert FaqResolution.objects.filter(subject=registration_subject).count() == 1
    evil = client.post(reverse("assistance:faq_solved"), {"subject": "x", "origin": "https://evil.example/"})
    assert evil.url == "/"


def test_a_visitor_sends_follows_the_link_and_answers(
    client, registration_subject, support_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, registration_subject, attachments=[screenshot()])
    support_request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert support_request.organisation == "Commune de Visan" and support_request.requester is None
    assert support_request.browser == "Firefox 128.0"
    detail = client.get(response.url).content.decode()
    assert support_request.reference in detail and "04 65 71 20 20" in detail

    (email,) = mail.outbox
    visitor = Client()  # another browser: only the link opens the request
    assert visitor.get(reverse("assistance:detail", args=[support_request.reference])).status_code == 404
    page = _follow_link(visitor, email)
    assert page.status_code == 200 and "Mon SIRET est refusé" in page.content.decode()
    attachment = support_request.attachments.get()
    download = visitor.get(reverse("assistance:attachment", args=[support_request.reference, attachment.pk]))
    assert download["Content-Type"] == "image/png"
    assert assert_private_download(download, attachment.original_name)[:4] == b"\x89PNG"

    answer = visitor.post(
        reverse("assistance:detail", args=[support_request.reference]),
        {"body": "Voici le SIRET : 21840150300014", "attachments": [upload("siret.pdf", pdf_bytes())]},
    )
    assert answer.status_code == 302
    message = support_request.messages.get(kind=RequestMessage.Kind.MESSAGE)
    assert message.author_name == "Paul Visiteur" and message.attachments.count() == 1


def test_a_member_gets_contact_details_prefilled_and_sees_the_request_in_mes_demandes(
    member_client, member, registration_subject
):
    form = member_client.get(REQUEST_URL, {"sujet": registration_subject.slug, "poursuivre": "1"}).content.decode()
    assert member.email in form and 'name="organisation"' not in form
    _send(member_client, registration_subject, contact_email=member.email)
    support_request = SupportRequest.objects.get()
    assert support_request.requester == member
    listing = member_client.get(reverse("assistance:list")).content.decode()
    assert support_request.reference in listing and "Nouvelle" in listing


def test_nobody_reads_another_persons_request_or_attachment(member_client, outsider, registration_subject):
    theirs = services.request_create(
        context=_context(outsider),
        subject=registration_subject,
        severity="minor",
        frequency="once",
        message="Secret",
        contact_name="Autre",
        contact_email=outsider.email,
        files=[(upload("c.png", png_bytes()), "png")],
    )
    attachment = theirs.attachments.get()
    visitor_request = SupportRequestFactory(subject=registration_subject)
    for url in (
        reverse("assistance:detail", args=[theirs.reference]),
        reverse("assistance:attachment", args=[theirs.reference, attachment.pk]),
        reverse("assistance:detail", args=[visitor_request.reference]),
        reverse("assistance:detail", args=["AS-2026-000001"]),
    ):
        assert member_client.get(url).status_code == 404, url
    assert member_client.post(reverse("assistance:close", args=[theirs.reference])).status_code == 404
    assert member_client.post(reverse("assistance:detail", args=[theirs.reference]), {"body": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW and not theirs.messages.exists()


def test_an_attachment_of_another_request_is_404_under_ones_own_reference(
    member_client, member, outsider, registration_subject
):
    mine = SupportRequestFactory(subject=registration_subject, requester=member)
    theirs = services.request_create(
        context=_context(outsider),
        subject=registration_subject,
        severity="minor",
        frequency="once",
        message="x",
        contact_name="Autre",
        contact_email=outsider.email,
        files=[(upload("c.png", png_bytes()), "png")],
    )
    url = reverse("assistance:attachment", args=[mine.reference, theirs.attachments.get().pk])
    assert member_client.get(url).status_code == 404


def test_internal_notes_and_their_files_stay_hidden(member_client, member, staff, registration_subject):
    mine = SupportRequestFactory(subject=registration_subject, requester=member)
    note = services.request_note(
        support_request=mine, author=staff, body="Note confidentielle", files=[(upload("n.png", png_bytes()), "png")]
    )
    page = member_client.get(reverse("assistance:detail", args=[mine.reference])).content.decode()
    assert "Note confidentielle" not in page
    url = reverse("assistance:attachment", args=[mine.reference, note.attachments.get().pk])
    assert member_client.get(url).status_code == 404


def test_a_link_opens_its_own_request_only(client, registration_subject):
    from assistance.tokens import request_token

    first = SupportRequestFactory(subject=registration_subject)
    second = SupportRequestFactory(subject=registration_subject)
    client.get(reverse("assistance:access", args=[request_token(first)]))
    assert client.get(reverse("assistance:detail", args=[first.reference])).status_code == 200
    assert client.get(reverse("assistance:detail", args=[second.reference])).status_code == 404
    forged = request_token(first)[:-3] + "abc"
    assert client.get(reverse("assistance:access", args=[forged])).status_code == 404


def test_an_expired_link_says_so(client, registration_subject, settings):
    from assistance.tokens import request_token

    token = request_token(SupportRequestFactory(subject=registration_subject))
    settings.ASSISTANCE_LINK_MAX_AGE_DAYS = -1
    response = client.get(reverse("assistance:access", args=[token]))
    assert response.status_code == 404 and "n'est plus valable" in response.content.decode()


def test_bad_attachments_are_explained_next_to_the_field_and_nothing_is_saved(client, registration_subject, settings):
    settings.ASSISTANCE_ATTACHMENT_MAX_BYTES = 2048
    settings.ASSISTANCE_ATTACHMENT_MAX_COUNT = 2
    cases = [
        [upload("setup.png", b"MZ" + b"\x00" * 100)],
        [upload("grande.png", png_bytes() + b"\x00" * 4096)],
        [screenshot("a.png"), screenshot("b.png"), screenshot("c.png")],
        [upload("faux.pdf", b"%PDF-1.4 nothing here")],
    ]
    for files in cases:
        response = _send(client, registration_subject, attachments=files)
        html = response.content.decode()
        assert response.status_code == 400
        assert 'id="id_attachments_error"' in html
        assert "Mon SIRET est refusé à l&#x27;inscription." in html  # what was typed stays
    assert not SupportRequest.objects.exists() and not mail.outbox


def test_anonymous_requests_are_rate_limited(
    client, registration_subject, settings, django_capture_on_commit_callbacks
):
    settings.ASSISTANCE_HOURLY_LIMIT = 2
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert _send(client, registration_subject).status_code == 302
    refused = _send(client, registration_subject)
    assert refused.status_code == 400 and "réessayez dans une heure" in refused.content.decode()
    other_client = Client(REMOTE_ADDR="10.0.0.9")  # the same address from elsewhere is limited too
    assert _send(other_client, registration_subject).status_code == 400
    assert SupportRequest.objects.count() == 2 and len(mail.outbox) == 2


def test_csrf_is_checked(registration_subject):
    client = Client(enforce_csrf_checks=True)
    assert _send(client, registration_subject).status_code == 403
    page = client.get(REQUEST_URL, {"sujet": registration_subject.slug, "poursuivre": "1"})
    token = page.cookies["csrftoken"].value
    assert _send(client, registration_subject, csrfmiddlewaretoken=token).status_code == 302


def test_the_requester_closes_their_request(member_client, member, registration_subject):
    mine = SupportRequestFactory(subject=registration_subject, requester=member)
    member_client.post(reverse("assistance:close", args=[mine.reference]))
    mine.refresh_from_db()
    assert mine.status == Status.CLOSED
    page = member_client.get(reverse("assistance:detail", args=[mine.reference])).content.decode()
    assert "Cette demande est fermée" in page and 'name="body"' not in page


def test_help_links_carry_the_page_they_came_from(client, home_page):
    page = client.get(reverse("members:register")).content.decode()
    assert f'href="{REQUEST_URL}?depuis=/compte/inscription/&amp;sujet=inscription-et-compte"' in page
    assert ">Aide</a>" in page


def test_the_user_guide_is_served_when_editors_set_one(client, support_settings):
    from tests.factories.markets import MarketDocumentFactory

    assert client.get(reverse("assistance:user_guide")).status_code == 404
    support_settings.user_guide_document = MarketDocumentFactory(title="Guide")
    support_settings.save()
    response = client.get(reverse("assistance:user_guide"))
    assert response.status_code == 200


def _context(user):
    from assistance.context import RequestContext

    return RequestContext(portal_version="t", user=user)


def test_mes_demandes_pages_by_twenty_with_the_site_pagination(member_client, member, registration_subject):
    SupportRequestFactory.create_batch(21, subject=registration_subject, requester=member)
    first = member_client.get(reverse("assistance:list")).content.decode()
    assert first.count('<th scope="row">') == 20
    assert "Page 1 sur 2" in first and 'href="?page=2" rel="next">Page suivante ›</a>' in first
    second = member_client.get(reverse("assistance:list"), {"page": "2"}).content.decode()
    assert second.count('<th scope="row">') == 1
    assert "Page 2 sur 2" in second and 'href="?page=1" rel="prev">‹ Page précédente</a>' in second
