"""The demo's directory: a few hundred public bodies written as INSEE's SIRENE stock files
(StockUniteLegale and StockEtablissement, the real column names and codes), then loaded by
`import_establishments` itself, as production loads the national files.

Everything is generated from the lists below, deterministically: the same run writes the
same rows, so a second load reports them "inchangés". Only legal persons of public law
(no individual, no personal data). Names and postcodes are those of real communes; SIREN
numbers are made up (valid checksums) except the demo member's commune, COMMUNE DE NYONS,
which keeps its real SIRET so the demo account's establishment is found in the directory.
A few private or closed rows are there on purpose: the import must leave them out.
"""

import csv
import tempfile
import unicodedata
from pathlib import Path

from django.core.management import call_command
from stdnum import luhn

from .loaders import ACCOUNTS

# Real StockUniteLegale / StockEtablissement headers (INSEE, v3.11), in INSEE's order.
UNIT_HEADER = (
    "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,"
    "sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,"
    "prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,"
    "anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,"
    "anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,"
    "denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,"
    "denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,"
    "nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,"
    "societeMissionUniteLegale,caractereEmployeurUniteLegale"
).split(",")
ESTABLISHMENT_HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,"
    "libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,"
    "codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,"
    "identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,"
    "complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,"
    "libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,"
    "codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,"
    "libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,"
    "enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,"
    "nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement"
).split(",")
PROCESSED_ON = "2026-10-01T03:12:45"

# Department code, name ("DE LA DROME"), prefecture postcode and town, communes:
# (name, postcode, INSEE commune code, size) with size 2 for towns with a hospital and a lycée.
DEPARTMENTS = [
    (
        "26",
        "DE LA DROME",
        ("26000", "Valence"),
        [
            ("Nyons", "26110", "26220", 1),
            ("Valence", "26000", "26362", 2),
            ("Montélimar", "26200", "26198", 2),
            ("Romans-sur-Isère", "26100", "26281", 2),
            ("Die", "26150", "26113", 2),
            ("Crest", "26400", "26108", 2),
            ("Pierrelatte", "26700", "26235", 1),
            ("Bourg-de-Péage", "26300", "26057", 1),
            ("Tain-l'Hermitage", "26600", "26347", 1),
            ("Saint-Vallier", "26240", "26333", 1),
            ("Dieulefit", "26220", "26114", 1),
            ("Buis-les-Baronnies", "26170", "26063", 1),
            ("Saint-Paul-Trois-Châteaux", "26130", "26324", 1),
            ("Livron-sur-Drôme", "26250", "26165", 1),
            ("Loriol-sur-Drôme", "26270", "26166", 1),
            ("Portes-lès-Valence", "26800", "26252", 1),
            ("Donzère", "26290", "26116", 0),
            ("Vinsobres", "26110", "26377", 0),
            ("Mirabel-aux-Baronnies", "26110", "26182", 0),
            ("Venterol", "26110", "26368", 0),
            ("Aubres", "26110", "26019", 0),
            ("Les Pilles", "26110", "26238", 0),
            ("Tulette", "26790", "26357", 0),
            ("Suze-la-Rousse", "26790", "26345", 0),
            ("Grignan", "26230", "26146", 0),
            ("Taulignan", "26770", "26348", 0),
            ("Saoû", "26400", "26336", 0),
            ("Chabeuil", "26120", "26064", 0),
            ("Étoile-sur-Rhône", "26800", "26124", 0),
        ],
    ),
    (
        "69",
        "DU RHONE",
        ("69003", "Lyon"),
        [
            ("Villeurbanne", "69100", "69266", 2),
            ("Vaulx-en-Velin", "69120", "69256", 1),
            ("Vénissieux", "69200", "69259", 2),
            ("Bron", "69500", "69029", 2),
            ("Caluire-et-Cuire", "69300", "69034", 1),
            ("Saint-Priest", "69800", "69290", 1),
            ("Tassin-la-Demi-Lune", "69160", "69244", 1),
            ("Écully", "69130", "69081", 1),
            ("Givors", "69700", "69091", 2),
            ("Villefranche-sur-Saône", "69400", "69264", 2),
            ("Tarare", "69170", "69243", 2),
            ("Meyzieu", "69330", "69282", 1),
            ("Rillieux-la-Pape", "69140", "69286", 1),
            ("Décines-Charpieu", "69150", "69275", 1),
            ("Belleville-en-Beaujolais", "69220", "69019", 0),
            ("Anse", "69480", "69009", 0),
        ],
    ),
    (
        "07",
        "DE L'ARDECHE",
        ("07000", "Privas"),
        [
            ("Privas", "07000", "07186", 2),
            ("Aubenas", "07200", "07019", 2),
            ("Annonay", "07100", "07010", 2),
            ("Tournon-sur-Rhône", "07300", "07324", 1),
            ("Le Teil", "07400", "07319", 1),
            ("Guilherand-Granges", "07500", "07102", 1),
            ("Bourg-Saint-Andéol", "07700", "07042", 1),
            ("Largentière", "07110", "07132", 0),
            ("Vallon-Pont-d'Arc", "07150", "07330", 0),
            ("Lamastre", "07270", "07129", 0),
        ],
    ),
    (
        "38",
        "DE L'ISERE",
        ("38000", "Grenoble"),
        [
            ("Grenoble", "38000", "38185", 2),
            ("Vienne", "38200", "38544", 2),
            ("Voiron", "38500", "38563", 2),
            ("Bourgoin-Jallieu", "38300", "38053", 2),
            ("Échirolles", "38130", "38151", 1),
            ("Saint-Martin-d'Hères", "38400", "38421", 1),
            ("Meylan", "38240", "38229", 1),
            ("Crolles", "38920", "38140", 0),
            ("La Mure", "38350", "38269", 0),
            ("Vizille", "38220", "38562", 0),
        ],
    ),
]
# Groupings of communes (EPCI): name, legal category, seat commune.
EPCI = [
    ("COMMUNAUTE DE COMMUNES DES BARONNIES EN DROME PROVENCALE", "7346", "Nyons"),
    ("VALENCE ROMANS AGGLO", "7348", "Valence"),
    ("MONTELIMAR AGGLOMERATION", "7348", "Montélimar"),
    ("COMMUNAUTE DE COMMUNES DU DIOIS", "7346", "Die"),
    ("COMMUNAUTE DE COMMUNES DU CRESTOIS ET DU PAYS DE SAILLANS", "7346", "Crest"),
    ("COMMUNAUTE DE COMMUNES DRAGA", "7346", "Pierrelatte"),
    ("COMMUNAUTE DE COMMUNES DU PAYS DE GRIGNAN", "7346", "Grignan"),
    ("COMMUNAUTE D'AGGLOMERATION VILLEFRANCHE BEAUJOLAIS SAONE", "7348", "Villefranche-sur-Saône"),
    ("COMMUNAUTE DE COMMUNES DE L'OUEST RHODANIEN", "7346", "Tarare"),
    ("COMMUNAUTE D'AGGLOMERATION PRIVAS CENTRE ARDECHE", "7348", "Privas"),
    ("ANNONAY RHONE AGGLO", "7348", "Annonay"),
    ("GRENOBLE-ALPES METROPOLE", "7344", "Grenoble"),
    ("VIENNE CONDRIEU AGGLOMERATION", "7348", "Vienne"),
    ("SYNDICAT INTERCOMMUNAL D'ELECTRICITE ET DE GAZ DE LA DROME", "7354", "Valence"),
    ("SYNDICAT MIXTE DES INFOROUTES", "7355", "Privas"),
]
STREETS = [
    ("PL", "DE LA MAIRIE"),
    ("RUE", "DE L HOTEL DE VILLE"),
    ("AV", "DE LA REPUBLIQUE"),
    ("PL", "DU GENERAL DE GAULLE"),
    ("BD", "JEAN JAURES"),
    ("RUE", "VICTOR HUGO"),
    ("AV", "DES ECOLES"),
    ("CHE", "DU STADE"),
    ("RTE", "DE LA GARE"),
    ("ALL", "DES TILLEULS"),
]


def upper(text):
    """As SIRENE spells names: capitals without accents."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).upper()


def _siren(prefix, number):
    base = f"{prefix}{number:06d}"[:8]
    return base + luhn.calc_check_digit(base)


def _siret(siren, nic):
    base = f"{siren}{nic:04d}"
    return base + luhn.calc_check_digit(base)


class _Stock:
    """Collects legal units and their establishments as stock rows."""

    def __init__(self):
        self.units = []
        self.establishments = []
        self.sirens = set()

    def unit(self, *, siren, name, category, ape, created="1983-03-01", state="A"):
        assert siren not in self.sirens, siren
        self.sirens.add(siren)
        self.units.append(
            {
                "siren": siren,
                "statutDiffusionUniteLegale": "O",
                "dateCreationUniteLegale": created,
                "trancheEffectifsUniteLegale": "NN",
                "dateDernierTraitementUniteLegale": PROCESSED_ON,
                "nombrePeriodesUniteLegale": "1",
                "dateDebut": created,
                "etatAdministratifUniteLegale": state,
                "denominationUniteLegale": name,
                "categorieJuridiqueUniteLegale": category,
                "activitePrincipaleUniteLegale": ape,
                "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
                "nicSiegeUniteLegale": "",
                "caractereEmployeurUniteLegale": "O",
            }
        )
        return siren

    def establishment(self, *, siret, ape, town, street, number="1", head=False, sign="", state="A", cedex=None):
        siren = siret[:9]
        if head:
            for unit in self.units:
                if unit["siren"] == siren:
                    unit["nicSiegeUniteLegale"] = siret[9:]
        (town_name, postcode, commune_code) = town
        street_type, street_name = street
        row = {
            "siren": siren,
            "nic": siret[9:],
            "siret": siret,
            "statutDiffusionEtablissement": "O",
            "dateCreationEtablissement": "1983-03-01",
            "trancheEffectifsEtablissement": "NN",
            "dateDernierTraitementEtablissement": PROCESSED_ON,
            "etablissementSiege": "true" if head else "false",
            "nombrePeriodesEtablissement": "1",
            "numeroVoieEtablissement": number,
            "typeVoieEtablissement": street_type,
            "libelleVoieEtablissement": street_name,
            "codePostalEtablissement": postcode,
            "libelleCommuneEtablissement": upper(town_name),
            "codeCommuneEtablissement": commune_code,
            "dateDebut": "1983-03-01",
            "etatAdministratifEtablissement": state,
            "denominationUsuelleEtablissement": sign,
            "activitePrincipaleEtablissement": ape,
            "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
            "caractereEmployeurEtablissement": "O",
        }
        if cedex:
            row["codeCedexEtablissement"], row["libelleCedexEtablissement"] = cedex
        self.establishments.append(row)


def _demo_establishments():
    """The establishments the demo accounts belong to, by SIRET."""
    return {
        account["establishment"]["siret"]: account["establishment"]
        for account in ACCOUNTS
        if "establishment" in account
    }


def build_stock():
    """(unit rows, establishment rows) of the demo directory."""
    stock = _Stock()
    demo = {upper(data["city"]): data for data in _demo_establishments().values()}
    towns = {}
    for dept, dept_name, prefecture, communes in DEPARTMENTS:
        _department(stock, dept, dept_name, prefecture)
        for index, (name, postcode, code, size) in enumerate(communes):
            towns[name] = (name, postcode, code)
            _commune(stock, index, towns[name], size, demo.get(upper(name)))
    _groupings(stock, towns)
    _left_out(stock, towns)
    return stock.units, stock.establishments


def _department(stock, dept, dept_name, prefecture):
    """The department (its hôtel du département and its roads service) and its fire service."""
    prefecture_postcode, prefecture_name = prefecture
    place = (prefecture_name, prefecture_postcode, "")
    siren = stock.unit(
        siren=_siren("22", int(dept) * 1000 + 1), name=f"DEPARTEMENT {dept_name}", category="7220", ape="84.11Z"
    )
    stock.establishment(
        siret=_siret(siren, 1),
        ape="84.11Z",
        town=place,
        street=("AV", "DU PRESIDENT HERRIOT"),
        number="26",
        head=True,
        sign="HOTEL DU DEPARTEMENT",
        cedex=(prefecture_postcode[:2] + "026", f"{upper(prefecture_name)} CEDEX 9"),
    )
    stock.establishment(
        siret=_siret(siren, 2),
        ape="84.11Z",
        town=place,
        street=("RUE", "DES ROUTES"),
        number="4",
        sign="DIRECTION DES ROUTES",
    )
    siren = stock.unit(
        siren=_siren("28", int(dept) * 1000 + 1),
        name=f"SERVICE DEPARTEMENTAL D'INCENDIE ET DE SECOURS {dept_name}",
        category="7362",
        ape="84.25Z",
    )
    stock.establishment(
        siret=_siret(siren, 1), ape="84.25Z", town=place, street=("RUE", "DU COMMANDANT PERRIN"), number="2", head=True
    )


def _commune(stock, index, town, size, demo):
    """A commune (the demo's own when `demo` gives it), its school, its CCAS, and by `size`
    (0, 1 or 2) its technical centre and collège, then its lycée and hospital."""
    name, _postcode, code = town
    street = STREETS[index % len(STREETS)]
    number = str(1 + (index * 7) % 40)
    if demo:
        siren = stock.unit(siren=demo["siren"], name=demo["name"], category="7210", ape=demo["ape_code"])
        stock.establishment(
            siret=demo["siret"],
            ape=demo["ape_code"],
            town=town,
            street=("PL", demo["street_name"].removeprefix("PLACE ")),
            number="",
            head=True,
        )
    else:
        siren = stock.unit(
            siren=_commune_siren("21", code, 1), name=f"COMMUNE {_of(name)}", category="7210", ape="84.11Z"
        )
        stock.establishment(siret=_siret(siren, 1), ape="84.11Z", town=town, street=street, number=number, head=True)
    stock.establishment(
        siret=_siret(siren, 21),
        ape="85.20Z",
        town=town,
        street=("AV", "DES ECOLES"),
        number=str(3 + index % 9),
        sign="ECOLE PRIMAIRE PUBLIQUE",
    )
    if size:
        stock.establishment(
            siret=_siret(siren, 35),
            ape="84.11Z",
            town=town,
            street=("CHE", "DES ATELIERS"),
            number="12",
            sign="CENTRE TECHNIQUE MUNICIPAL",
        )
    ccas = stock.unit(
        siren=_commune_siren("26", code, 2),
        name=f"CENTRE COMMUNAL D'ACTION SOCIALE {_of(name)}",
        category="7361",
        ape="88.99B",
    )
    stock.establishment(siret=_siret(ccas, 13), ape="88.99B", town=town, street=street, number=number, head=True)
    if size:
        college = stock.unit(
            siren=_commune_siren("19", code, 3), name=f"COLLEGE PUBLIC {_of(name)}", category="7331", ape="85.31Z"
        )
        stock.establishment(
            siret=_siret(college, 17), ape="85.31Z", town=town, street=("RUE", "DU COLLEGE"), number="5", head=True
        )
    if size == 2:
        _lycee_and_hospital(stock, town)


def _lycee_and_hospital(stock, town):
    name, _postcode, code = town
    lycee = stock.unit(
        siren=_commune_siren("19", code, 4), name=f"LYCEE POLYVALENT {_of(name)}", category="7331", ape="85.31Z"
    )
    stock.establishment(
        siret=_siret(lycee, 19), ape="85.31Z", town=town, street=("AV", "DU LYCEE"), number="1", head=True
    )
    hospital = stock.unit(
        siren=_commune_siren("26", code, 5), name=f"CENTRE HOSPITALIER {_of(name)}", category="7364", ape="86.10Z"
    )
    stock.establishment(
        siret=_siret(hospital, 11), ape="86.10Z", town=town, street=("RTE", "DE L HOPITAL"), number="9", head=True
    )
    stock.establishment(
        siret=_siret(hospital, 29),
        ape="87.10A",
        town=town,
        street=("CHE", "DES VIGNES"),
        number="14",
        sign="EHPAD LES VIGNES",
    )


def _groupings(stock, towns):
    """The EPCI, each seated in one of the communes."""
    for index, (name, category, seat) in enumerate(EPCI):
        siren = stock.unit(siren=_siren("20", 5000 + index), name=name, category=category, ape="84.11Z")
        stock.establishment(
            siret=_siret(siren, 10),
            ape="84.11Z",
            town=towns[seat],
            street=("RUE", "DE LA COMMUNAUTE"),
            number=str(10 + index),
            head=True,
        )


def _left_out(stock, towns):
    """Rows the import must leave out: a company, a closed establishment, a unit whose name
    is not disclosed."""
    siren = stock.unit(siren=_siren("55", 1), name="SOCIETE DES TRANSPORTS DU NYONSAIS", category="5710", ape="49.39A")
    stock.establishment(
        siret=_siret(siren, 12), ape="49.39A", town=towns["Nyons"], street=("AV", "DE VENTEROL"), number="3", head=True
    )
    nyons = next(unit["siren"] for unit in stock.units if unit["denominationUniteLegale"] == "COMMUNE DE NYONS")
    stock.establishment(
        siret=_siret(nyons, 99),
        ape="85.20Z",
        town=towns["Nyons"],
        street=("RUE", "DE LA FONTAINE"),
        number="2",
        state="F",
        sign="ANCIENNE ECOLE DES FONTAINES",
    )
    siren = stock.unit(siren=_siren("19", 1), name="[ND]", category="7331", ape="85.31Z")
    stock.establishment(
        siret=_siret(siren, 14), ape="85.31Z", town=towns["Die"], street=("RUE", "DU COLLEGE"), number="8", head=True
    )


def _commune_siren(prefix, commune_code, rank):
    """The made-up SIREN of a commune's `rank`-th body, from its INSEE code (Corsica's 2A: 20)."""
    return _siren(prefix, int(commune_code.replace("A", "0")) * 10 + rank)


def _of(name):
    """ "DE NYONS", "D'ANNONAY", "DU TEIL", "DE LA MURE"."""
    name = upper(name)
    if name.startswith("LE "):
        return "DU " + name[3:]
    if name.startswith("LES "):
        return "DES " + name[4:]
    if name[0] in "AEIOUY":
        return "D'" + name
    return "DE " + name


def write_stock(directory):
    """Writes StockUniteLegale_utf8.csv and StockEtablissement_utf8.csv; returns their paths."""
    units, establishments = build_stock()
    paths = []
    for filename, header, rows in (
        ("StockUniteLegale_utf8.csv", UNIT_HEADER, units),
        ("StockEtablissement_utf8.csv", ESTABLISHMENT_HEADER, establishments),
    ):
        path = Path(directory) / filename
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            for row in rows:
                writer.writerow({column: row.get(column, "") for column in header})
        paths.append(str(path))
    return paths


def ensure_directory(*, stdout):
    """Writes the stock files to a temporary folder and imports them with the real command."""
    with tempfile.TemporaryDirectory(prefix="canut-sirene-") as folder:
        units, establishments = write_stock(folder)
        call_command("import_establishments", units=units, establishments=establishments, stdout=stdout)
