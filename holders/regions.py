"""Where a buyer is and what it is, for the sales figures: the region from the postcode's
department, the category from INSEE's legal category (the directory) or the name."""

REGIONS = {
    "Auvergne-Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Bourgogne-Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre-Val de Loire": "18 28 36 37 41 45",
    "Corse": "2A 2B 20",
    "Grand Est": "08 10 51 52 54 55 57 67 68 88",
    "Hauts-de-France": "02 59 60 62 80",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Normandie": "14 27 50 61 76",
    "Nouvelle-Aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "Occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
    "Outre-mer": "971 972 973 974 976",
}
_BY_DEPARTMENT = {code: region for region, codes in REGIONS.items() for code in codes.split()}
UNKNOWN = "Non renseignée"


def region_of(postcode: str) -> str:
    postcode = (postcode or "").strip()
    if len(postcode) != 5 or not postcode.isdigit():
        return UNKNOWN
    return _BY_DEPARTMENT.get(postcode[:3]) or _BY_DEPARTMENT.get(postcode[:2]) or UNKNOWN


# INSEE legal categories (prefix → label), most specific first.
CATEGORIES = (
    ("7210", "Commune"),
    ("7220", "Département"),
    ("7230", "Région"),
    ("7229", "Collectivité territoriale"),
    ("7364", "Hôpital"),
    ("7331", "Établissement d'enseignement"),
    ("734", "Intercommunalité"),
    ("735", "Intercommunalité"),
    ("7", "Autre personne publique"),
)
_BY_NAME = (
    ("COMMUNE", "Commune"),
    ("MAIRIE", "Commune"),
    ("DEPARTEMENT", "Département"),
    ("REGION", "Région"),
    ("HOPITAL", "Hôpital"),
    ("CENTRE HOSPITALIER", "Hôpital"),
    ("CHU", "Hôpital"),
    ("COMMUNAUTE", "Intercommunalité"),
    ("METROPOLE", "Intercommunalité"),
    ("LYCEE", "Établissement d'enseignement"),
    ("COLLEGE", "Établissement d'enseignement"),
)
OTHER = "Autre"


def category_of(*, legal_category: str = "", name: str = "") -> str:
    for prefix, label in CATEGORIES:
        if legal_category and legal_category.startswith(prefix):
            return label
    folded = (name or "").upper().replace("É", "E").replace("Ô", "O")
    for word, label in _BY_NAME:
        if word in folded:
            return label
    return OTHER
