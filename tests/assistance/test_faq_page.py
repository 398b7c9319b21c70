"""The public FAQ page: built from the snippets, found by the site search."""

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase  # noqa: F401  (the tree rules below use its assertions)

from assistance.models import FaqPage
from tests.factories.assistance import FaqEntryFactory, SubjectFactory


@pytest.fixture
def faq_page(home_page):
    page = home_page.add_child(instance=FaqPage(title="Questions fréquentes", slug="questions-frequentes"))
    page.save_revision().publish()
    return page


def test_the_page_lists_published_entries_by_subject(client, faq_page, registration_subject):
    FaqEntryFactory(subject=registration_subject, question="Brouillon ?", live=False)
    SubjectFactory(name="Sans question")
    html = client.get(faq_page.url).content.decode()
    assert "Pourquoi mon adresse e-mail est-elle refusée ?" in html
    assert "Brouillon ?" not in html and "Sans question" not in html


def test_the_site_search_finds_an_answer_forgiving_accents_and_plurals(client, faq_page, registration_subject):
    FaqEntryFactory(subject=registration_subject, question="Délais", answer="<p>Les validations prennent 3 heures.</p>")
    html = client.get(reverse("search:results"), {"q": "validation delai"}).content.decode()
    assert "Questions fréquentes" in html


def test_only_one_faq_page_under_the_home_page(faq_page, home_page):
    assert not FaqPage.can_create_at(home_page)
