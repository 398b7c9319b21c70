"""The demo's SIRENE directory: a few hundred public bodies written as INSEE's stock files
(StockUniteLegale and StockEtablissement, their column names and codes) and loaded by
`import_establishments` itself, so the registration search finds "nyons" on the demo as it
would on production data.

The bodies are generated, deterministically: real commune names and postcodes, made-up
SIREN numbers with a valid key (only the demo member's commune, NYONS, carries its real
one). No person is named: public bodies only.
"""

import csv
import tempfile
from pathlib import Path

from django.core.management import call_command

# (commune, postcode, department code); uppercase without accents, as SIRENE writes them.
COMMUNES = [
    ("NYONS", "26110", "26"),
    ("MONTELIMAR", "26200", "26"),
    ("VALENCE", "26000", "26"),
    ("ROMANS-SUR-ISERE", "26100", "26"),
    ("DIE", "26150", "26"),
    ("CREST", "26400", "26"),
    ("PIERRELATTE", "26700", "26"),
    ("BUIS-LES-BARONNIES", "26170", "26"),
    ("DIEULEFIT", "26220", "26"),
    ("SAINT-VALLIER", "26240", "26"),
    ("TAIN-L'HERMITAGE", "26600", "26"),
    ("LIVRON-SUR-DROME", "26250", "26"),
    ("LORIOL-SUR-DROME", "26270", "26"),
    ("SAINT-PAUL-TROIS-CHATEAUX", "26130", "26"),
    ("VINSOBRES", "26110", "26"),
    ("MIRABEL-AUX-BARONNIES", "26110", "26"),
    ("PRIVAS", "07000", "07"),
    ("AUBENAS", "07200", "07"),
    ("ANNONAY", "07100", "07"),
    ("TOURNON-SUR-RHONE", "07300", "07"),
    ("LE TEIL", "07400", "07"),
    ("LARGENTIERE", "07110", "07"),
    ("BOURG-SAINT-ANDEOL", "07700", "07"),
    ("LAMASTRE", "07270", "07"),
    ("VALS-LES-BAINS", "07600", "07"),
    ("GRENOBLE", "38000", "38"),
    ("VIENNE", "38200", "38"),
    ("VOIRON", "38500", "38"),
    ("BOURGOIN-JALLIEU", "38300", "38"),
    ("ECHIROLLES", "38130", "38"),
    ("SAINT-MARCELLIN", "38160", "38"),
    ("LA MURE", "38350", "38"),
    ("VIZILLE", "38220", "38"),
    ("LYON", "69001", "69"),
    ("VILLEURBANNE", "69100", "69"),
    ("VENISSIEUX", "69200", "69"),
    ("VILLEFRANCHE-SUR-SAONE", "69400", "69"),
    ("TARARE", "69170", "69"),
    ("GIVORS", "69700", "69"),
    ("BRON", "69500", "69"),
    ("AVIGNON", "84000", "84"),
    ("ORANGE", "84100", "84"),
    ("CARPENTRAS", "84200", "84"),
    ("VAISON-LA-ROMAINE", "84110", "84"),
    ("CAVAILLON", "84300", "84"),
    ("APT", "84400", "84"),
    ("BOLLENE", "84500", "84"),
    ("VALREAS", "84600", "84"),
    ("GAP", "05000", "05"),
    ("BRIANCON", "05100", "05"),
    ("EMBRUN", "05200", "05"),
    ("LARAGNE-MONTEGLIN", "05300", "05"),
    ("SAINT-ETIENNE", "42000", "42"),
    ("ROANNE", "42300", "42"),
    ("MONTBRISON", "42600", "42"),
    ("FIRMINY", "42700", "42"),
    ("CHAMBERY", "73000", "73"),
    ("ALBERTVILLE", "73200", "73"),
    ("AIX-LES-BAINS", "73100", "73"),
    ("MOUTIERS", "73600", "73"),
    ("SAINT-JEAN-DE-MAURIENNE", "73300", "73"),
    ("ANNECY", "74000", "74"),
    ("THONON-LES-BAINS", "74200", "74"),
    ("ANNEMASSE", "74100", "74"),
    ("BOURG-EN-BRESSE", "01000", "01"),
    ("OYONNAX", "01100", "01"),
    ("BELLEY", "01300", "01"),
    ("NIMES", "30000", "30"),
    ("ALES", "30100", "30"),
    ("UZES", "30700", "30"),
    ("BAGNOLS-SUR-CEZE", "30200", "30"),
    ("DIGNE-LES-BAINS", "04000", "04"),
    ("MANOSQUE", "04100", "04"),
    ("SISTERON", "04200", "04"),
    ("FORCALQUIER", "04300", "04"),
]
# Bodies of larger communes: a lower secondary school (run by the department) and a hospital.
LARGER = {
    "NYONS": ("COLLEGE RENE BARJAVEL", "CENTRE HOSPITALIER DE NYONS"),
    "MONTELIMAR": ("COLLEGE GUSTAVE MONOD", "GROUPEMENT HOSPITALIER PORTES DE PROVENCE"),
    "VALENCE": ("COLLEGE CAMILLE VERNET", "CENTRE HOSPITALIER DE VALENCE"),
    "ROMANS-SUR-ISERE": ("COLLEGE JOSEPH BOUVARD", "HOPITAUX DROME NORD"),
    "DIE": ("COLLEGE CHAMPS FLEURIS", "CENTRE HOSPITALIER DE DIE"),
    "PRIVAS": ("COLLEGE BERNARD DE VENTADOUR", "CENTRE HOSPITALIER DES VALS D'ARDECHE"),
    "AUBENAS": ("COLLEGE JEAN MACE", "CENTRE HOSPITALIER D'ARDECHE MERIDIONALE"),
    "ANNONAY": ("COLLEGE LES PERRIERES", "CENTRE HOSPITALIER D'ANNONAY"),
    "GRENOBLE": ("COLLEGE STENDHAL", "CENTRE HOSPITALIER UNIVERSITAIRE GRENOBLE ALPES"),
    "VIENNE": ("COLLEGE PONSARD", "CENTRE HOSPITALIER LUCIEN HUSSEL"),
    "LYON": ("COLLEGE JEAN MONNET", "HOSPICES CIVILS DE LYON"),
    "AVIGNON": ("COLLEGE JOSEPH ROUMANILLE", "CENTRE HOSPITALIER HENRI DUFFAUT"),
    "ORANGE": ("COLLEGE JEAN GIONO", "CENTRE HOSPITALIER LOUIS GIORGI"),
    "CARPENTRAS": ("COLLEGE JEAN-HENRI FABRE", "CENTRE HOSPITALIER DE CARPENTRAS"),
    "GAP": ("COLLEGE MIDI", "CENTRE HOSPITALIER INTERCOMMUNAL DES ALPES DU SUD"),
    "SAINT-ETIENNE": ("COLLEGE GAMBETTA", "CENTRE HOSPITALIER UNIVERSITAIRE DE SAINT-ETIENNE"),
    "CHAMBERY": ("COLLEGE LOUISE DE SAVOIE", "CENTRE HOSPITALIER METROPOLE SAVOIE"),
    "ANNECY": ("COLLEGE RAOUL BLANCHARD", "CENTRE HOSPITALIER ANNECY GENEVOIS"),
    "NIMES": ("COLLEGE FELIX VIALLET", "CENTRE HOSPITALIER UNIVERSITAIRE DE NIMES"),
    "DIGNE-LES-BAINS": ("COLLEGE MARIA BORRELY", "CENTRE HOSPITALIER DE DIGNE-LES-BAINS"),
}
DEPARTMENTS = {
    "01": ("DEPARTEMENT DE L'AIN", "BOURG-EN-BRESSE", "01000"),
    "04": ("DEPARTEMENT DES ALPES DE HAUTE-PROVENCE", "DIGNE-LES-BAINS", "04000"),
    "05": ("DEPARTEMENT DES HAUTES-ALPES", "GAP", "05000"),
    "07": ("DEPARTEMENT DE L'ARDECHE", "PRIVAS", "07000"),
    "26": ("DEPARTEMENT DE LA DROME", "VALENCE", "26000"),
    "30": ("DEPARTEMENT DU GARD", "NIMES", "30000"),
    "38": ("DEPARTEMENT DE L'ISERE", "GRENOBLE", "38000"),
    "42": ("DEPARTEMENT DE LA LOIRE", "SAINT-ETIENNE", "42000"),
    "69": ("DEPARTEMENT DU RHONE", "LYON", "69003"),
    "73": ("DEPARTEMENT DE LA SAVOIE", "CHAMBERY", "73000"),
    "74": ("DEPARTEMENT DE LA HAUTE-SAVOIE", "ANNECY", "74000"),
    "84": ("DEPARTEMENT DE VAUCLUSE", "AVIGNON", "84000"),
}
INTERCOMMUNAL = [
    ("COMMUNAUTE DE COMMUNES DES BARONNIES EN DROME PROVENCALE", "NYONS", "26110", "26"),
    ("MONTELIMAR AGGLOMERATION", "MONTELIMAR", "26200", "26"),
    ("VALENCE ROMANS AGGLO", "VALENCE", "26000", "26"),
    ("COMMUNAUTE DE COMMUNES DU DIOIS", "DIE", "26150", "26"),
    ("PRIVAS CENTRE ARDECHE", "PRIVAS", "07000", "07"),
    ("ANNONAY RHONE AGGLO", "ANNONAY", "07100", "07"),
    ("GRENOBLE-ALPES METROPOLE", "GRENOBLE", "38000", "38"),
    ("METROPOLE DE LYON", "LYON", "69003", "69"),
    ("GRAND AVIGNON", "AVIGNON", "84000", "84"),
    ("COMMUNAUTE D'AGGLOMERATION GAP-TALLARD-DURANCE", "GAP", "05000", "05"),
    ("SAINT-ETIENNE METROPOLE", "SAINT-ETIENNE", "42000", "42"),
    ("GRAND CHAMBERY", "CHAMBERY", "73000", "73"),
    ("SYNDICAT D'ENERGIES DE LA DROME", "VALENCE", "26000", "26"),
    ("SYNDICAT MIXTE ARDECHE DROME NUMERIQUE", "VALENCE", "26000", "26"),
]
# Legal category, APE code, SIRENE headcount band, street of the establishment.
COMMUNE = ("7210", "84.11Z", "21", "PL", "DE LA MAIRIE")
CCAS = ("7361", "88.99B", "11", "RUE", "DE L'HOTEL DE VILLE")
SCHOOLS_FUND = ("7362", "85.20Z", "03", "RUE", "DES ECOLES")
COLLEGE = ("7331", "85.31Z", "21", "AV", "DES ECOLES")
HOSPITAL = ("7364", "86.10Z", "42", "AV", "DE L'HOPITAL")
DEPARTMENT = ("7220", "84.11Z", "52", "RUE", "DE LA PREFECTURE")
EPCI = ("7346", "84.11Z", "22", "BD", "DU REMPART")
# The demo member's commune keeps its real numbers and address (demo/loaders.py).
REAL = {"COMMUNE DE NYONS": ("212602106", "00016", "PL", "JOSEPH BUFFAVEN")}

UNIT_HEADER = [
    "siren",
    "statutDiffusionUniteLegale",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "trancheEffectifsUniteLegale",
    "etatAdministratifUniteLegale",
]
ESTABLISHMENT_HEADER = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "etablissementSiege",
    "trancheEffectifsEtablissement",
    "activitePrincipaleEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "complementAdresseEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "distributionSpecialeEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "etatAdministratifEtablissement",
    "denominationUsuelleEtablissement",
    "enseigne1Etablissement",
]


def _luhn_key(digits):
    """The digit that makes digits + key pass the Luhn check (SIREN and SIRET keys)."""
    for key in "0123456789":
        total = 0
        for index, char in enumerate(reversed(digits + key)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return key
    raise AssertionError("unreachable")


def bodies():
    """Every demo body as (name, kind, city, postcode, department), in a stable order."""
    for city, postcode, department in COMMUNES:
        yield f"COMMUNE DE {city}", COMMUNE, city, postcode, department
        yield f"CCAS DE {city}", CCAS, city, postcode, department
        yield f"CAISSE DES ECOLES DE {city}", SCHOOLS_FUND, city, postcode, department
        college, hospital = LARGER.get(city, (None, None))
        if college:
            yield college, COLLEGE, city, postcode, department
            yield hospital, HOSPITAL, city, postcode, department
    for department, (name, city, postcode) in DEPARTMENTS.items():
        yield name, DEPARTMENT, city, postcode, department
    for name, city, postcode, department in INTERCOMMUNAL:
        yield name, EPCI, city, postcode, department


def rows():
    """(unit row, establishment row) pairs in the stock files' columns."""
    for number, (name, kind, city, postcode, department) in enumerate(bodies(), start=1):
        category, ape, band, street_type, street = kind
        street_number = str(1 + number % 40)
        if name in REAL:
            siren, nic, street_type, street = REAL[name]
            street_number = ""
        else:
            # Public bodies' SIRENs start with 2 (communes with 21); the rest is a counter.
            stem = f"2{'1' if category == '7210' else '6'}{department}{number:04d}"
            siren = stem + _luhn_key(stem)
            nic = "0001" + _luhn_key(siren + "0001")
        unit = [siren, "O", name, category, ape, band, "A"]
        establishment = [
            siren,
            nic,
            siren + nic,
            "O",
            "true",
            band,
            ape,
            street_number,
            "",
            street_type,
            street,
            "",
            postcode,
            city,
            "",
            "",
            "",
            "A",
            "",
            "",
        ]
        yield unit, establishment


def write_stock_files(folder):
    """Writes StockUniteLegale_utf8.csv and StockEtablissement_utf8.csv; returns their paths."""
    units_path = Path(folder) / "StockUniteLegale_utf8.csv"
    establishments_path = Path(folder) / "StockEtablissement_utf8.csv"
    with (
        open(units_path, "w", newline="", encoding="utf-8") as units_file,
        open(establishments_path, "w", newline="", encoding="utf-8") as establishments_file,
    ):
        units, establishments = csv.writer(units_file), csv.writer(establishments_file)
        units.writerow(UNIT_HEADER)
        establishments.writerow(ESTABLISHMENT_HEADER)
        for unit, establishment in rows():
            units.writerow(unit)
            establishments.writerow(establishment)
    return units_path, establishments_path


def ensure_directory(stdout):
    """Loads the demo directory through the production import (idempotent: it upserts)."""
    with tempfile.TemporaryDirectory(prefix="canut-sirene-") as folder:
        units_path, establishments_path = write_stock_files(folder)
        call_command(
            "import_establishments", units=str(units_path), establishments=str(establishments_path), stdout=stdout
        )
