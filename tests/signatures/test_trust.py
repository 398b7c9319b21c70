"""Trusted lists: parsed safely, imported by staff or from the environment, never fetched."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from signatures.models import TrustedList
from signatures.trust import CA_QC, TrustedListError, parse_trusted_list, trust_anchors

from .pki import trusted_list_xml


def test_granted_ca_services_are_read(pki):
    parsed = parse_trusted_list(pki.trusted_list_xml())
    assert parsed.territory == "FR" and parsed.sequence == "42" and parsed.operator == "Liste de test"
    assert [(s.name, s.qualified) for s in parsed.services] == [
        ("Racine de test", False),
        ("AC qualifiée de test", True),
    ]


def test_withdrawn_services_and_other_types_are_left_out(pki):
    xml = trusted_list_xml([("AC qualifiée de test", CA_QC, pki.qualified_ca.der)]).replace(
        b"Svcstatus/granted", b"Svcstatus/withdrawn"
    )
    with pytest.raises(TrustedListError, match="aucun service"):
        parse_trusted_list(xml)


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<?xml version='1.0'?><other/>",
        # An entity is never expanded nor fetched.
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&x;</TrustServiceStatusList>',
    ],
)
def test_what_is_not_a_trusted_list_is_refused(data):
    with pytest.raises(TrustedListError):
        parse_trusted_list(data)


@pytest.mark.django_db
def test_staff_import_a_list_and_it_is_in_force(client, pki, staff):
    client.force_login(staff)
    url = reverse("signatures_admin:trusted_list")
    assert "Aucune liste de confiance" in client.get(url).content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("tl-fr.xml", pki.trusted_list_xml())}, follow=True)
    assert "2 services, dont 1 qualifiés" in response.content.decode()
    assert TrustedList.objects.get().imported_by == staff
    assert [s.name for s in trust_anchors().services] == ["Racine de test", "AC qualifiée de test"]
    response = client.post(url, {"file": SimpleUploadedFile("x.xml", b"<a/>")})
    assert "pas une liste de confiance" in response.content.decode()
    assert TrustedList.objects.count() == 1


@pytest.mark.django_db
def test_only_who_may_import_sees_the_page(client, member):
    client.force_login(member)
    assert client.get(reverse("signatures_admin:trusted_list")).status_code in (302, 403)


@pytest.mark.django_db
def test_the_command_imports_the_file_the_environment_names(pki, tmp_path, settings):
    path = tmp_path / "tl-fr.xml"
    path.write_bytes(pki.trusted_list_xml())
    with pytest.raises(CommandError):
        call_command("import_trusted_list")
    settings.SIGNATURES_TRUSTED_LIST_PATH = str(path)
    call_command("import_trusted_list")
    assert TrustedList.objects.get().source == str(path)
