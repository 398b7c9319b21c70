"""Work outside the request: the decision email, enqueued once the decision is committed."""

from django_tasks import task

from . import emails


@task()
def send_groupement_decision_email(groupement_id: int) -> None:
    from members.models import Groupement

    groupement = Groupement.objects.select_related("parent", "created_by", "decided_by", "market").get(pk=groupement_id)
    message = emails.decision_message(groupement)
    if message.to:
        message.send()
