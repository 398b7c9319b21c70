"""A registration through real HTTP, and the links read back from the emails sent."""

import re

from django.core import mail

from tests.members.test_registration import STEP2, complete_step1, personal_data


def register(client, capture, *, establishment=None, **personal):
    """Both steps of the registration; returns the emails it sent (run as on commit)."""
    complete_step1(client, **(establishment or {}))
    sent = len(mail.outbox)
    with capture(execute=True):
        response = client.post(STEP2, personal_data(**personal))
    assert response.status_code == 302, response.content.decode()[:2000]
    return mail.outbox[sent:]


def link_in(message, prefix):
    """The path of the first link in `message` starting with `prefix`."""
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", message.body).group(1)
