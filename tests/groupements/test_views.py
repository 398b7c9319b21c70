import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from groupements.models import Groupement
from groupements.spreadsheet import EXAMPLE_ROW, HEADERS
from members.models import Establishment
from tests.factories.groupements import GroupementFactory, child_rows, xlsx
from tests.factories.members import EstablishmentFactory, UserFactory

from .conftest import upload

LIST = reverse("groupements:list")
CREATE = reverse("groupements:create")
TEMPLATE = reverse("groupements:template")
GOOD = [(r.siret, r.name, r.email) for r in child_rows(3)]


def post_upload(client, parent, content, name="CANUT_MAT_NEUF2", **extra):
    return client.post(
        CREATE, {"name": name, "parent": parent.pk, "market": "", "spreadsheet": upload(content), **extra}
    )


@pytest.mark.parametrize("url", [LIST, CREATE, TEMPLATE, "/compte/groupements/1/", "/compte/groupements/1/tableur/"])
def test_login_required(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")


def test_list_shows_seed_labels_and_only_the_users_groupements(member_client, member, parent):
    mine = GroupementFactory(
        parent=parent, created_by=member, name="CANUT_MAT_NEUF2", status=Groupement.Status.VALIDATED
    )
    other = GroupementFactory(parent=EstablishmentFactory(users=[UserFactory()]), name="GPT_D_UN_AUTRE")
    response = member_client.get(LIST)
    content = response.content.decode()
    assert "<h1>Mes groupements</h1>" in content
    assert "Télécharger le tableur" in content and TEMPLATE in content
    assert "CANUT_MAT_NEUF2" in content and "Validé" in content
    assert other.name not in content
    assert list(response.context["groupements"]) == [mine]
    assert response.context["groupements"][0].member_count == 3


def test_colleague_of_the_parent_establishment_sees_it_too(client, member, parent):
    groupement = GroupementFactory(parent=parent, created_by=member)
    colleague = UserFactory()
    parent.users.add(colleague)
    client.force_login(colleague)
    assert client.get(reverse("groupements:detail", args=[groupement.pk])).status_code == 200


def test_template_download(member_client):
    response = member_client.get(TEMPLATE)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'filename="groupement-canut.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == list(HEADERS) and [c.value for c in sheet[2]] == list(EXAMPLE_ROW)


def test_upload_creates_a_pending_groupement(member_client, member, parent):
    response = post_upload(member_client, parent, xlsx(GOOD))
    assert response.status_code == 302 and response["Location"] == LIST
    groupement = Groupement.objects.get()
    assert (groupement.name, groupement.parent, groupement.created_by, groupement.status) == (
        "CANUT_MAT_NEUF2",
        parent,
        member,
        Groupement.Status.PENDING,
    )
    assert groupement.members.count() == 3
    page = member_client.get(LIST).content.decode()
    assert "(3 établissement(s)) est enregistré" in page and "En attente de validation" in page


def test_upload_with_bad_rows_lists_them_and_saves_nothing(member_client, parent):
    content = xlsx([GOOD[0], ("2126022050001", "", "pas-un-email"), GOOD[0]])
    response = post_upload(member_client, parent, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le tableur contient 4 erreur(s)" in page
    for problem in (
        "Ligne 3, colonne SIRET : Le SIRET compte 14 chiffres (13 saisis).",
        "Ligne 3, colonne Nom de la structure : le nom de la structure est obligatoire.",
        "Ligne 3, colonne Email de contact : « pas-un-email » n&#x27;est pas une adresse e-mail valide.",
        "Ligne 4, colonne SIRET : ce SIRET figure déjà ligne 2.",
    ):
        assert problem in page
    assert "Aucun établissement n'a été enregistré" in page
    assert not Groupement.objects.exists() and Establishment.objects.count() == 1


def test_upload_of_a_pdf_renamed_xlsx(member_client, parent):
    response = member_client.post(
        CREATE, {"name": "X", "parent": parent.pk, "spreadsheet": upload(b"%PDF-1.7 ...", name="tableur.xlsx")}
    )
    assert "Ce fichier est un PDF, pas un tableur" in response.content.decode()
    assert not Groupement.objects.exists()


def test_long_error_lists_are_cut(member_client, parent):
    rows = [(f"{i:05d}", f"C{i}", f"c{i}@x.fr") for i in range(150)]
    page = post_upload(member_client, parent, xlsx(rows)).content.decode()
    assert "Le tableur contient 150 erreur(s)" in page and "… et 50 autre(s) erreur(s)." in page


def test_only_validated_establishments_of_the_user_may_be_parent(member_client, member, parent):
    pending = EstablishmentFactory(status=Establishment.Status.PENDING, users=[member])
    stranger = EstablishmentFactory()
    form = member_client.get(CREATE).context["form"]
    assert list(form.fields["parent"].queryset) == [parent]
    for establishment in (pending, stranger):
        response = post_upload(member_client, establishment, xlsx(GOOD))
        assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert not Groupement.objects.exists()


def test_user_without_validated_establishment_is_told_why(client, db):
    user = UserFactory()
    EstablishmentFactory(status=Establishment.Status.PENDING, users=[user])
    client.force_login(user)
    page = client.get(CREATE).content.decode()
    assert (
        "doit être rattaché à un établissement validé par la CANUT" in page
        and 'enctype="multipart/form-data"' not in page
    )


def test_market_choice_lists_live_markets(member_client, parent, market_index):
    from tests.factories.markets import MarketPageFactory

    market = MarketPageFactory(parent=market_index, title="Matériels bureautiques neufs")
    MarketPageFactory(parent=market_index, title="Brouillon", live=False)
    assert list(member_client.get(CREATE).context["form"].fields["market"].queryset) == [market]
    post_upload(member_client, parent, xlsx(GOOD), market=market.pk)
    assert Groupement.objects.get().market == market


def test_detail_and_spreadsheet_download_regenerated_from_the_rows(member_client, member, parent):
    groupement = GroupementFactory(parent=parent, created_by=member, name="CANUT MAT NEUF2")
    rows = list(groupement.members.select_related("establishment"))
    page = member_client.get(reverse("groupements:detail", args=[groupement.pk])).content.decode()
    assert all(row.establishment.siret in page and row.contact_email in page for row in rows)

    response = member_client.get(reverse("groupements:spreadsheet", args=[groupement.pk]))
    assert 'filename="groupement-canut-mat-neuf2.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=1, max_row=4)] == [
        list(HEADERS),
        *[[row.establishment.siret, row.name, row.contact_email] for row in rows],
    ]


@pytest.mark.parametrize("name", ["groupements:detail", "groupements:spreadsheet"])
def test_another_users_groupement_is_404(member_client, name):
    other = GroupementFactory(parent=EstablishmentFactory(users=[UserFactory()]))
    assert member_client.get(reverse(name, args=[other.pk])).status_code == 404


def test_child_establishment_user_cannot_open_the_groupement(client, member, parent):
    groupement = GroupementFactory(parent=parent, created_by=member)
    child_user = UserFactory()
    groupement.members.first().establishment.users.add(child_user)
    client.force_login(child_user)
    assert client.get(reverse("groupements:detail", args=[groupement.pk])).status_code == 404


def test_csrf_enforced_on_upload(member, parent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = post_upload(client, parent, xlsx(GOOD))
    assert response.status_code == 403
    assert not Groupement.objects.exists()

    token = client.get(CREATE).context["csrf_token"]
    response = post_upload(client, parent, xlsx(GOOD), csrfmiddlewaretoken=str(token))
    assert response.status_code == 302 and Groupement.objects.count() == 1
