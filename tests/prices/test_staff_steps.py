"""The price import's two staff steps, "Vérifier le fichier" and "Appliquer ces prix", are
recorded one way (core.actions.record_step): who and when in Wagtail's history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from prices import imports
from prices.models import ImportStatus, PriceImport, PriceLine
from tests.prices.test_admin import check, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(client, staff, catalogue, django_capture_on_commit_callbacks):
    _, market_piece = catalogue
    client.force_login(staff)
    upload(client, market_piece, capture=django_capture_on_commit_callbacks)
    return PriceImport.objects.get()


def step_recorded(client, price_import, action, staff, message):
    entry = ModelLogEntry.objects.get(object_id=str(price_import.pk), action=action)
    assert entry.user == staff
    assert abs((timezone.now() - entry.timestamp).total_seconds()) < 60
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert message in history and "Claire Valide" in history
    return entry


def test_checking_the_file_records_who_and_when(client, staff, uploaded, django_capture_on_commit_callbacks):
    columns = {**uploaded.columns}
    response = check(client, uploaded, columns, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == f"/admin/prix/{uploaded.pk}/"
    uploaded.refresh_from_db()
    assert uploaded.status == ImportStatus.READY
    entry = step_recorded(client, uploaded, imports.CHECK_ACTION, staff, "Vérification du fichier de prix lancée")
    assert entry.data == {"columns": columns}


def test_applying_the_prices_records_who_and_when(client, staff, uploaded, django_capture_on_commit_callbacks):
    check(client, uploaded, uploaded.columns, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/prix/{uploaded.pk}/", {"apply": "1"}, follow=True)
    assert "Application des prix lancée." in response.content.decode()
    uploaded.refresh_from_db()
    assert uploaded.status == ImportStatus.APPLIED and PriceLine.objects.filter(active=True).count() == 4
    entry = step_recorded(client, uploaded, imports.APPLY_ACTION, staff, "Application des prix lancée")
    assert entry.data == {"applies_from": "2025-01-01"}


def test_an_apply_before_the_check_is_refused_and_records_nothing(client, uploaded):
    PriceImport.objects.filter(pk=uploaded.pk).update(status=ImportStatus.INVALID)
    response = client.post(f"/admin/prix/{uploaded.pk}/", {"apply": "1"}, follow=True)
    assert "Vérifiez le fichier avant de l&#x27;appliquer." in response.content.decode()
    uploaded.refresh_from_db()
    with pytest.raises(ValidationError):  # the service says so too, under the row lock
        imports.import_apply(price_import=uploaded, by=None)
    assert not ModelLogEntry.objects.filter(action=imports.APPLY_ACTION).exists()
    assert not PriceLine.objects.exists()


def test_a_step_on_a_running_import_is_refused_and_records_nothing(client, uploaded):
    PriceImport.objects.filter(pk=uploaded.pk).update(status=ImportStatus.CHECKING)
    response = client.post(f"/admin/prix/{uploaded.pk}/", {**uploaded.columns, "check": "1"}, follow=True)
    assert "Cet import est en cours ou déjà appliqué." in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=imports.CHECK_ACTION).exists()


def test_a_member_takes_no_step(client, member, uploaded):
    client.force_login(member)
    response = client.post(f"/admin/prix/{uploaded.pk}/", {"apply": "1"})
    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action__startswith="canut.price_import").exists()
