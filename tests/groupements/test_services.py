import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core.storage import private_storage
from groupements import services
from groupements.models import Groupement, GroupementMember
from groupements.spreadsheet import SpreadsheetInvalid
from members.models import Establishment
from tests.factories.groupements import GroupementFactory, child_rows, xlsx
from tests.factories.members import EstablishmentFactory, UserFactory

from .conftest import upload

ROWS = child_rows(3)
GOOD = [(r.siret, r.name, r.email) for r in ROWS]


def create(member, parent, content, name="CANUT_MAT_NEUF2", **kwargs):
    return services.groupement_create_from_spreadsheet(
        created_by=member, parent=parent, name=name, spreadsheet=upload(content), **kwargs
    )


def test_good_spreadsheet_makes_a_pending_groupement_with_its_rows(member, parent):
    known = EstablishmentFactory(siret=ROWS[1].siret, siren=ROWS[1].siret[:9], name="NOM DE L'ANNUAIRE")

    groupement = create(member, parent, xlsx(GOOD))

    assert (groupement.status, groupement.parent, groupement.created_by) == (Groupement.Status.PENDING, parent, member)
    members = list(groupement.members.select_related("establishment"))
    assert [(m.row_number, m.establishment.siret, m.name, m.contact_email) for m in members] == [
        (r.number, r.siret, r.name, r.email) for r in ROWS
    ]
    # The directory's establishment is reused; the unknown ones wait for staff validation.
    assert members[1].establishment == known
    assert [m.establishment.status for m in (members[0], members[2])] == [Establishment.Status.PENDING] * 2
    assert members[0].establishment.siren == ROWS[0].siret[:9]
    # The file sent is kept, privately.
    assert groupement.spreadsheet.storage is private_storage()
    assert groupement.spreadsheet.name.startswith(f"groupements/{parent.pk}/")
    with pytest.raises(NotImplementedError):
        groupement.spreadsheet.url  # noqa: B018  (private storage: no URL at all)


def test_children_from_the_directory_are_created_validated_with_its_data(member, parent):
    from tests.factories.directory import directory_entries

    [entry] = directory_entries(
        {
            "siret": ROWS[2].siret,
            "siren": ROWS[2].siret[:9],
            "name": "COMMUNE DE VISAN",
            "postcode": "84820",
            "city": "VISAN",
        }
    )
    groupement = create(member, parent, xlsx(GOOD))
    establishment = groupement.members.get(row_number=ROWS[2].number).establishment
    assert (establishment.name, establishment.postcode, establishment.status) == (
        "COMMUNE DE VISAN",
        "84820",
        Establishment.Status.VALIDATED,
    )
    assert establishment.created_by == member
    assert groupement.members.get(row_number=ROWS[2].number).name == ROWS[2].name  # as the member wrote it


def test_market_is_optional_and_kept(member, parent, market_index):
    from tests.factories.markets import MarketPageFactory

    market = MarketPageFactory(parent=market_index, title="Matériels bureautiques neufs")
    assert create(member, parent, xlsx(GOOD), market=market).market == market
    assert create(member, parent, xlsx(GOOD), name="SANS_MARCHE").market is None


def test_bad_row_saves_nothing(member, parent):
    files_before = _stored_files()
    with pytest.raises(SpreadsheetInvalid):
        create(member, parent, xlsx([*GOOD, ("123", "X", "x@x.fr")]))
    assert not Groupement.objects.exists()
    assert not GroupementMember.objects.exists()
    assert Establishment.objects.count() == 1  # the parent only
    assert _stored_files() == files_before


def test_database_failure_after_the_file_is_stored_removes_it(member, parent, monkeypatch):
    files_before = _stored_files()

    def boom(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(GroupementMember.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        create(member, parent, xlsx(GOOD))
    assert _stored_files() == files_before


def _stored_files():
    storage = private_storage()
    try:
        folders, _ = storage.listdir("groupements")
    except FileNotFoundError:
        return set()
    return {f"{folder}/{name}" for folder in folders for name in storage.listdir(f"groupements/{folder}")[1]}


def test_parent_must_be_a_validated_establishment_of_the_user(member, parent):
    pending = EstablishmentFactory(status=Establishment.Status.PENDING, users=[member])
    someone_elses = EstablishmentFactory(users=[UserFactory()])
    for establishment in (pending, someone_elses):
        with pytest.raises(ValidationError) as caught:
            create(member, establishment, xlsx(GOOD))
        assert caught.value.message_dict == {"parent": ["Choisissez un de vos établissements validés par la CANUT."]}
    assert not Groupement.objects.exists()


def test_same_name_refused_unless_the_first_was_rejected(member, parent, staff):
    first = create(member, parent, xlsx(GOOD))
    with pytest.raises(ValidationError) as caught:
        create(member, parent, xlsx(GOOD))
    assert "Votre établissement a déjà un groupement de ce nom." in caught.value.messages
    services.groupement_decide(groupement=first, approve=False, decided_by=staff, reason="Doublon")
    assert create(member, parent, xlsx(GOOD)).status == Groupement.Status.PENDING


def test_approve_is_dated_attributed_and_emailed(member, parent, staff, django_capture_on_commit_callbacks):
    groupement = GroupementFactory(parent=parent, created_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.groupement_decide(groupement=groupement, approve=True, decided_by=staff)
    groupement.refresh_from_db()
    assert (groupement.status, groupement.decided_by, groupement.decision_reason) == (
        Groupement.Status.VALIDATED,
        staff,
        "",
    )
    assert groupement.decided_at is not None and decided.decided_at == groupement.decided_at
    [email] = mail.outbox
    assert email.to == [member.email]
    assert email.subject == f"Votre groupement « {groupement.name} » est validé"
    assert "Pour un groupement" in email.body and "/compte/groupements/" in email.body


def test_reject_needs_a_reason_sent_in_the_email(member, parent, staff, django_capture_on_commit_callbacks):
    groupement = GroupementFactory(parent=parent, created_by=member)
    with pytest.raises(ValidationError):
        services.groupement_decide(groupement=groupement, approve=False, decided_by=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        reason = "Deux SIRET sont fermés."
        services.groupement_decide(groupement=groupement, approve=False, decided_by=staff, reason=reason)
    groupement.refresh_from_db()
    assert (groupement.status, groupement.decided_by) == (Groupement.Status.REJECTED, staff)
    [email] = mail.outbox
    assert email.subject == f"Votre groupement « {groupement.name} » est refusé"
    assert "Motif : Deux SIRET sont fermés." in email.body


def test_email_goes_to_the_parents_users_when_the_creator_is_gone(
    member, parent, staff, django_capture_on_commit_callbacks
):
    colleague = UserFactory()
    parent.users.add(colleague)
    groupement = GroupementFactory(parent=parent, created_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.groupement_decide(groupement=groupement, approve=True, decided_by=staff)
    assert sorted(mail.outbox[0].to) == sorted([member.email, colleague.email])


def test_a_decision_is_taken_once(member, parent, staff):
    groupement = GroupementFactory(parent=parent, created_by=member)
    services.groupement_decide(groupement=groupement, approve=True, decided_by=staff)
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.groupement_decide(groupement=groupement, approve=False, decided_by=staff, reason="Trop tard")
    groupement.refresh_from_db()
    assert groupement.status == Groupement.Status.VALIDATED


def test_approving_validates_the_children_the_spreadsheet_created(member, parent, staff):
    rejected = EstablishmentFactory(siret=ROWS[0].siret, siren=ROWS[0].siret[:9], status=Establishment.Status.REJECTED)
    groupement = create(member, parent, xlsx(GOOD))
    services.groupement_decide(groupement=groupement, approve=True, decided_by=staff)
    children = {m.establishment.siret: m.establishment for m in groupement.members.select_related("establishment")}
    assert children[ROWS[1].siret].status == children[ROWS[2].siret].status == Establishment.Status.VALIDATED
    assert children[ROWS[1].siret].decided_by == staff
    # A decision staff already took on an establishment stands.
    rejected.refresh_from_db()
    assert rejected.status == Establishment.Status.REJECTED


@pytest.mark.parametrize("filename", ["é" * 200 + ".xlsx", "../../etc/passwd", "tableur.pdf", ""])
def test_the_file_is_stored_under_a_generated_name_and_its_own_name_kept(member, parent, filename):
    groupement = services.groupement_create_from_spreadsheet(
        created_by=member, parent=parent, name="GPT", spreadsheet=upload(xlsx(GOOD), name=filename or "x")
    )
    stored = groupement.spreadsheet.name
    assert stored.startswith(f"groupements/{parent.pk}/") and stored.endswith(".xlsx") and len(stored) < 80
    assert groupement.spreadsheet_name == (filename.rsplit("/", 1)[-1] if filename else "x")[:255]


def test_staff_download_the_file_under_its_own_name_with_the_extension_of_its_content(staff_client, member, parent):
    from django.urls import reverse

    groupement = services.groupement_create_from_spreadsheet(
        created_by=member, parent=parent, name="GPT", spreadsheet=upload(xlsx(GOOD), name="tableur.pdf")
    )
    response = staff_client.get(reverse("groupements_admin:original", args=[groupement.pk]))
    assert 'filename="tableur.pdf.xlsx"' in response["Content-Disposition"]
