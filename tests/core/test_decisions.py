"""The one decision path: a lock, a pending check, the record, the history, the email."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from wagtail.models import ModelLogEntry

from core.decisions import ALREADY_DECIDED, decide
from members import decisions
from members.models import Establishment, PendingChange, User
from tests.factories.members import EstablishmentFactory, PendingChangeFactory, UserFactory


@pytest.mark.django_db
def test_a_refused_approval_changes_nothing_and_sends_nothing(staff, django_capture_on_commit_callbacks):
    change = PendingChangeFactory(data={"email": "pris@nyons.fr"}, previous={"email": "x@nyons.fr"})
    UserFactory(email="pris@nyons.fr")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        decisions.pending_change_decide(change=change, approve=True, decided_by=staff)
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decided_at) == (PendingChange.Status.PENDING, None, None)
    assert mail.outbox == [] and not ModelLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_decision_is_recorded_and_logged(staff):
    establishment = EstablishmentFactory(status=Establishment.Status.PENDING)
    decided = decisions.establishment_decide(
        establishment=establishment, approve=False, decided_by=staff, reason=" Privé "
    )
    assert (decided.status, decided.decided_by, decided.decision_reason) == ("rejected", staff, "Privé")
    [entry] = ModelLogEntry.objects.filter(action="review.reject")
    assert (entry.object_id, entry.data) == (str(establishment.pk), {"reason": "Privé"})
    with pytest.raises(ValidationError, match=ALREADY_DECIDED):
        decide(instance=establishment, approve=True, decided_by=staff)


@pytest.mark.django_db
def test_a_rejection_needs_a_reason(staff):
    user = UserFactory(status=User.Status.PENDING)
    with pytest.raises(ValidationError) as caught:
        decisions.account_decide(user=user, approve=False, decided_by=staff, reason="  ")
    assert "reason" in caught.value.error_dict


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_decide_once(staff):
    """Two staff members click at the same moment: the row lock lets one decide."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves concurrent transactions")
    pending = UserFactory(status=User.Status.PENDING)
    barrier = threading.Barrier(2)
    outcomes = []

    def click(approve):
        try:
            barrier.wait()
            decisions.account_decide(user=pending, approve=approve, decided_by=staff, reason="Non")
            outcomes.append("decided")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(approve,)) for approve in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["decided", ALREADY_DECIDED])
    assert ModelLogEntry.objects.filter(object_id=str(pending.pk)).count() == 1
    assert len(mail.outbox) == 1
