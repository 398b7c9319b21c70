"""Work done outside the request: emails with the conventions attached.

Enqueued on commit, so a worker never looks for a subscription that was rolled back.
"""

from django_tasks import task

from members.models import Subscription

from . import emails


def _load(subscription_id):
    return Subscription.objects.select_related("market", "establishment", "requested_by").get(pk=subscription_id)


@task()
def send_convention_email(subscription_id: int) -> None:
    emails.convention_sent_message(_load(subscription_id)).send()


@task()
def send_finalized_email(subscription_id: int) -> None:
    emails.subscription_finalized_message(_load(subscription_id)).send()
