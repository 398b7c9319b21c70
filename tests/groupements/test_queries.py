"""List pages run a fixed number of queries, whatever the number of groupements and rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.groupements import GroupementFactory


def count_queries(client, url):
    client.get(url)  # the first page ever rendered creates the site settings row
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("client_fixture", "url"),
    [("member_client", reverse("groupements:list")), ("staff_client", reverse("groupements_admin:index"))],
)
def test_list_queries_do_not_grow_with_groupements(request, member, parent, client_fixture, url):
    client = request.getfixturevalue(client_fixture)
    GroupementFactory(parent=parent, created_by=member)
    count_queries(client, url)  # warm the cached menus
    few = count_queries(client, url)
    for _ in range(5):
        GroupementFactory(parent=parent, created_by=member, members=6)
    assert count_queries(client, url) == few
