import pytest

from signatures.trust import TrustAnchors, parse_trusted_list

from .pki import TestPKI


@pytest.fixture(scope="session")
def pki():
    return TestPKI()


@pytest.fixture(scope="session")
def anchors(pki):
    return TrustAnchors(services=parse_trusted_list(pki.trusted_list_xml()).services)
