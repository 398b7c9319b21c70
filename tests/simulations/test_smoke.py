from django.urls import reverse

from tests.simulations.conftest import line


def test_visitor_adds_a_line_and_sees_it(client, licences):
    target = line(licences, "LIC-2")
    response = client.post(reverse("simulations:add", args=[target.pk]), {"quantity": "1 000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"])
    print(page.content.decode())
    assert page.status_code == 200
