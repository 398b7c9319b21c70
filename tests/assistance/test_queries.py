"""Constant query counts: "Mes demandes", a request's page and the staff queue, at two sizes."""

import pytest
from django.urls import reverse

from assistance import services
from tests.factories.assistance import SupportRequestFactory, png_bytes, upload
from tests.factories.members import EstablishmentFactory


def _requests(user, staff, count, subject):
    for _ in range(count):
        support_request = SupportRequestFactory(subject=subject, requester=user)
        support_request.establishments.add(EstablishmentFactory())
        services.request_reply(
            support_request=support_request, author=staff, body="Réponse", files=[(upload("r.png", png_bytes()), "png")]
        )


def _count(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["assistance:list"])
def test_mes_demandes_is_constant(
    member_client, member, staff, registration_subject, url_name, django_assert_max_num_queries
):
    url = reverse(url_name)
    _requests(member, staff, 2, registration_subject)
    _count(member_client, url, django_assert_max_num_queries)  # warm the cached menus
    few = _count(member_client, url, django_assert_max_num_queries)
    _requests(member, staff, 12, registration_subject)
    assert _count(member_client, url, django_assert_max_num_queries) == few


def test_a_requests_page_is_constant(member_client, member, staff, registration_subject, django_assert_max_num_queries):
    support_request = SupportRequestFactory(subject=registration_subject, requester=member)
    url = reverse("assistance:detail", args=[support_request.reference])
    services.request_reply(
        support_request=support_request, author=staff, body="1", files=[(upload("a.png", png_bytes()), "png")]
    )
    _count(member_client, url, django_assert_max_num_queries)  # warm the cached menus
    few = _count(member_client, url, django_assert_max_num_queries)
    for i in range(8):
        services.request_reply(
            support_request=support_request, author=staff, body=str(i), files=[(upload("a.png", png_bytes()), "png")]
        )
    assert _count(member_client, url, django_assert_max_num_queries) == few


def test_the_staff_queue_is_constant(staff_client, staff, member, registration_subject, django_assert_max_num_queries):
    url = reverse("assistance_admin:index")
    _requests(member, staff, 2, registration_subject)
    _count(staff_client, url, django_assert_max_num_queries)  # warm the caches
    few = _count(staff_client, url, django_assert_max_num_queries)
    _requests(member, staff, 15, registration_subject)
    assert _count(staff_client, url, django_assert_max_num_queries) == few
