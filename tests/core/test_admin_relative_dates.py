"""A row created a moment ago reads "À l'instant", not "Il y a 0 minute" (Wagtail's
relative date compares with "0 minutes", French says "0 minute")."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation


@pytest.mark.parametrize("template", ["{% load wagtailadmin_tags %}{% human_readable_date when %}"])
def test_a_fresh_date_reads_just_now_in_french(template):
    with translation.override("fr"):
        html = Template(template).render(Context({"when": timezone.now()})).replace("\xa0", " ")
    assert "0 minute" not in html
    assert "À l’instant" in html or "À l&#x27;instant" in html or "À l'instant" in html
