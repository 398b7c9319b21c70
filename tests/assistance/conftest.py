import pytest

from tests.factories.assistance import FaqEntryFactory, SubjectFactory


@pytest.fixture
def registration_subject(db):
    subject = SubjectFactory(name="Inscription et compte", slug="inscription-et-compte")
    FaqEntryFactory(subject=subject, question="Pourquoi mon adresse e-mail est-elle refusée ?")
    FaqEntryFactory(subject=subject, question="Mon compte est-il actif dès l'inscription ?")
    return subject


@pytest.fixture
def support_settings(home_page):
    from home.models import SiteSettings

    settings = SiteSettings.for_site(home_page.get_site())
    settings.support_phone = "04 65 71 20 20"
    settings.support_hours = "de 9 h à 18 h"
    settings.save()
    return settings
