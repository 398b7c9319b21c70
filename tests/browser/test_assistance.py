"""A visitor who cannot register asks for help from the registration page, follows the link
in the email from another browser, and talks with staff, who answer in the admin."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assistance.models import Status, SupportRequest
from tests.factories.assistance import FaqEntryFactory, SubjectFactory, png_bytes
from tests.factories.members import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def help_content(home_page):
    from home.models import SiteSettings

    subject = SubjectFactory(name="Inscription et compte", slug="inscription-et-compte")
    FaqEntryFactory(
        subject=subject,
        question="Pourquoi mon adresse e-mail est-elle refusée ?",
        answer="<p>Seules les adresses e-mail professionnelles sont acceptées.</p>",
    )
    settings = SiteSettings.for_site(home_page.get_site())
    settings.support_phone = "04 65 71 20 20"
    settings.support_hours = "de 9 h à 18 h"
    settings.save()
    return subject


def test_a_visitor_asks_staff_answer_and_resolve(page, live_server, help_content):
    staff = StaffFactory(email="equipe@canut.org")
    page.goto("/compte/inscription/")
    page.get_by_role("link", name="Besoin d'aide ?").click()

    expect(page.get_by_role("heading", name="Questions fréquentes : Inscription et compte")).to_be_visible()
    expect(page.get_by_text("Inscription : informations sur l'établissement")).to_be_visible()
    page.get_by_text("Pourquoi mon adresse e-mail est-elle refusée ?").click()
    expect(page.get_by_text("Seules les adresses e-mail professionnelles sont acceptées.")).to_be_visible()

    page.get_by_role("link", name="Je n'ai pas trouvé de réponse satisfaisante, je poursuis ma demande").click()
    expect(page.get_by_role("heading", name="Précisez votre demande")).to_be_focused()
    page.get_by_label("Bloquant").check()
    page.get_by_label("De façon systématique").check()
    page.get_by_label("Message").fill("Mon adresse de mairie est refusée à l'inscription.")
    page.get_by_label("Pièces jointes (ex. : copie d'écran)").set_input_files(
        [{"name": "erreur.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Nom et prénom").fill("Paul Visiteur")
    page.get_by_label("Adresse e-mail").fill("paul@mairie-visan.fr")
    page.get_by_role("button", name="Envoyer").click()

    support_request = SupportRequest.objects.get()
    expect(
        page.get_by_text(f"Votre demande est enregistrée sous la référence {support_request.reference}")
    ).to_be_visible()
    expect(page.get_by_text("04 65 71 20 20").first).to_be_visible()
    assert support_request.attachments.get().kind == "png"

    (email,) = mail.outbox
    assert email.subject == f"Assistance - Création d'une demande - Réf. {support_request.reference}"
    link = re.search(r"http://[^/]+(/assistance/suivi/\S+/)", email.body).group(1)

    # Staff answer in the admin, asking for more.
    admin = page.context.browser.new_context(base_url=live_server.url).new_page()
    admin.goto(f"/compte/connexion/?next=/admin/assistance/demandes/inspect/{support_request.pk}/")
    admin.get_by_label("Adresse e-mail").fill(staff.email)
    admin.get_by_label("Mot de passe").fill(PASSWORD)
    admin.get_by_role("button", name="Connexion").click()
    admin.get_by_label("Réponse au demandeur").fill("Quel est le SIRET de votre mairie ?")
    admin.get_by_label("En attente du demandeur").check()
    admin.get_by_role("button", name="Envoyer la réponse").click()
    expect(admin.get_by_text("Réponse envoyée")).to_be_visible()

    # The visitor, in another browser, follows the link, reads the answer and replies.
    visitor = page.context.browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(link)
    expect(visitor.get_by_text("Quel est le SIRET de votre mairie ?")).to_be_visible()
    expect(visitor.get_by_text("En attente du demandeur").first).to_be_visible()
    visitor.get_by_label("Votre message").fill("SIRET 21840150300014")
    visitor.get_by_role("button", name="Envoyer").click()
    expect(visitor.get_by_text("Votre message est ajouté à la demande.")).to_be_visible()

    admin.reload()
    expect(admin.get_by_text("SIRET 21840150300014")).to_be_visible()
    admin.get_by_role("button", name="Marquer résolue").click()
    support_request.refresh_from_db()
    assert support_request.status == Status.RESOLVED
    visitor.reload()
    expect(visitor.get_by_text("Résolue").first).to_be_visible()
    assert [m.subject.split(" - ")[1] for m in mail.outbox].count("Mise à jour de votre demande") == 2
