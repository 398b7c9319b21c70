import pytest

from signatures.trust import TrustAnchors, parse_trusted_list
from tests.subscriptions.conftest import holders, market, pieces  # noqa: F401  (the market subscribed to)

from .pki import TestPKI, blank_pdf, sign_pdf


@pytest.fixture(scope="session")
def pki():
    return TestPKI()


@pytest.fixture(scope="session")
def anchors(pki):
    return TrustAnchors(services=parse_trusted_list(pki.trusted_list_xml()).services)


@pytest.fixture(scope="session")
def qualified_pdf(pki):
    """A convention signed by a qualified certificate, with a timestamp."""
    return sign_pdf(blank_pdf(pages=2), pki.qualified, timestamper=pki.timestamper())


@pytest.fixture
def trusted_list(db, pki):
    from signatures.services import trusted_list_import

    return trusted_list_import(data=pki.trusted_list_xml(), source="tests")
