"""What the demo loads, as data: the seed's catalogue (guide d'utilisation du portail) and
the press article's figures and mission.

The five holders of the seed (SCC, E.S.I., ECONOCOM, SOFTCORNER, PREO SOFTWARE) keep their
names; the other holders are invented. Every SIREN here is fictitious (valid format and
Luhn key, not the company's real number). Contacts not given by the seed are invented, with
e-mail domains under the reserved ".example" top-level domain and phone numbers from the
ranges ARCEP reserves for fiction (01 99 00…, 04 65 71…, 06 39 98…), so the demo can never
write to a real person.
"""

import datetime

from home.models import VALIDATION_DELAY

D = datetime.date

HOME = {
    "title": "Accueil",
    "slug": "accueil",
    "hero_title": "La centrale d'achat du numérique et des télécoms du secteur public",
    "hero_text": (
        "Accélérer vos achats de logiciels, de matériels, de télécoms et de prestations, générer des économies "
        "grâce aux achats groupés, avec une sécurité juridique sans faille : la CANUT négocie des accords-cadres "
        "que votre établissement utilise sans mener sa propre procédure."
    ),
    "hero_cta_text": "Consulter tous les marchés",
    "body": [
        ("heading", "Une centrale d'achat créée par des DSI, pour les acheteurs publics"),
        (
            "paragraph",
            "<p>Association loi 1901 née fin 2023 à l'initiative de directeurs des systèmes d'information de "
            "collectivités, la CANUT est une centrale d'achat publique au sens du code de la commande publique. "
            "Elle négocie les prix maximums et les conditions contractuelles avec les fournisseurs, puis en contrôle "
            "l'exécution tous les six mois.</p>",
        ),
        (
            "paragraph",
            # The agreements and holders are counted from the data just above this text: the
            # editorial figures are only those the portal does not compute.
            "<p><b>2 000 adhérents</b>, "
            "<b>350 logiciels</b> référencés sur le marché multi-éditeurs et plus de <b>40 M€</b> de marchés passés "
            "en 2024. Le gain constaté par rapport à un achat en direct est de l'ordre de 10 à 15 %.</p>",
        ),
        ("cta", "comment-commander"),
        ("cta", "conditions-et-prix-de-la-souscription"),
    ],
}

MARKET_INDEX = {
    "title": "Tous les marchés",
    "slug": "marches",
    "intro": (
        "<p>Consultez les accords-cadres de la CANUT : recherchez par mot-clé, titulaire ou thème. "
        "La fiche marché, le CCTP et le BPU ou le catalogue sont en accès libre.</p>"
    ),
}

# Editorial pages, in menu order: slug, title, introduction, body as (block type, value).
STANDARD_PAGES = [
    {
        "slug": "qui-sommes-nous",
        "title": "Qui sommes-nous",
        "introduction": (
            "La CANUT, centrale d'achat du numérique et des télécoms, apporte de l'efficacité aux achats informatiques "
            "du secteur public : des procédures plus rapides, des économies par les achats groupés et une garantie "
            "de sécurité juridique."
        ),
        "body": [
            ("heading", "Notre histoire"),
            (
                "paragraph",
                "<p>Face à la lenteur des processus d'achat traditionnels et au manque d'expertise informatique des "
                "directions des achats, des DSI de collectivités, réunis au sein du CoTer Numérique, ont cherché un "
                "mécanisme d'achats groupés. La réponse existait dans le code de la commande publique : la centrale "
                "d'achat. La CANUT, association loi 1901, est née fin novembre 2023.</p>",
            ),
            ("heading", "Notre organisation"),
            (
                "paragraph",
                "<p>Installée à Lyon, l'équipe compte six personnes, en majorité des acheteurs spécialisés par "
                "secteur. Le conseil d'administration réunit 17 membres représentant des entités du secteur public.</p>",
            ),
            ("heading", "Ce que nous faisons"),
            (
                "paragraph",
                "<p>Nous signons des accords-cadres avec les fournisseurs à la suite des demandes de nos adhérents. "
                "Un accord-cadre fixe un <b>prix maximum</b> pour chaque produit ou service ; l'adhérent exécute "
                "ensuite l'achat directement auprès du titulaire. Tous les six mois, les titulaires nous remettent un "
                "reporting : actions commerciales, volume d'affaires, retour sur investissement, bonnes pratiques et "
                "mesures correctives.</p>",
            ),
            ("heading", "Qui peut adhérer ?"),
            (
                "paragraph",
                "<ul><li>les collectivités territoriales et leurs établissements publics de coopération "
                "intercommunale ;</li><li>les agences et établissements d'enseignement publics et privés non "
                "lucratifs ;</li><li>les bailleurs sociaux ;</li><li>les agences et établissements intervenant dans "
                "le secteur des secours ;</li><li>les centres de gestion ;</li><li>les établissements publics "
                "administratifs et les établissements publics à caractère industriel et commercial ;</li><li>les "
                "syndicats mixtes, les sociétés publiques locales, les groupements d'intérêt public, les régies et "
                "les associations syndicales autorisées.</li></ul>",
            ),
            ("heading", "La CANUT en chiffres"),
            (
                "paragraph",
                "<ul><li>2 000 adhérents</li><li>15 nouveaux accords-cadres prévus</li>"
                "<li>350 logiciels référencés sur le marché "
                "multi-éditeurs</li><li>40 M€ de marchés passés en 2024</li></ul>",
            ),
        ],
    },
    {
        "slug": "comment-commander",
        "title": "Comment commander",
        "introduction": "Commander sur un accord-cadre de la CANUT, en cinq étapes.",
        "body": [
            ("heading", "1. Inscription sur le portail CANUT"),
            (
                "paragraph",
                "<p>Créez votre compte avec votre adresse e-mail professionnelle et le SIRET de votre établissement. "
                f"La CANUT valide votre inscription {VALIDATION_DELAY}. Vous pouvez alors consulter « Tous les marchés » et "
                "vérifier dans votre tableau de bord si votre établissement a déjà finalisé sa souscription : si oui, "
                "passez directement à l'étape 4.</p>",
            ),
            ("heading", "2. « Préparer sa souscription »"),
            (
                "paragraph",
                "<p>Sans engagement, ce bouton vous envoie par e-mail la convention de mise à disposition et vous donne "
                "un accès direct aux coordonnées des titulaires et à toutes les pièces du marché.</p>",
            ),
            ("heading", "3. Souscrire"),
            (
                "paragraph",
                '<p>Renvoyez la convention complétée et signée à <a href="mailto:canut@canut.org">canut@canut.org</a>. '
                "Vous suivez l'avancement dans « Statut de mon adhésion » : convention envoyée, reçue, puis finalisée "
                "quand la CANUT l'a contresignée. Vous pouvez alors exécuter le marché ; la redevance annuelle commence "
                "au mois suivant.</p>",
            ),
            ("heading", "4. Contacts avec le titulaire"),
            (
                "paragraph",
                "<p>Dans « Gérer mon marché », retrouvez l'allotissement, le contact commercial unique de chaque "
                "titulaire et les pièces du marché. Pour le marché multi-éditeurs, demandez vos devis sur le portail "
                "SCC dédié.</p>",
            ),
            ("heading", "5. Exécution directe"),
            (
                "paragraph",
                "<p>Vous traitez directement avec le titulaire : expression de besoin, demande de devis, transmission "
                "des commandes et règlement des factures.</p>",
            ),
            ("cta", "guide-dutilisation-du-portail"),
        ],
    },
    {
        "slug": "conditions-et-prix-de-la-souscription",
        "title": "Conditions et prix de la souscription",
        "introduction": "L'adhésion à la CANUT est gratuite : vous ne payez que lorsque vous utilisez un accord-cadre.",
        "body": [
            ("heading", "Une adhésion gratuite"),
            (
                "paragraph",
                "<p>S'inscrire sur le portail, consulter le détail des accords-cadres et les prix obtenus, préparer une "
                "souscription : tout cela est gratuit et sans engagement. Une entité éligible peut aussi utiliser un "
                "accord-cadre sans adhérer à l'association.</p>",
            ),
            ("heading", "Une redevance proportionnelle et dégressive"),
            (
                "paragraph",
                "<p>Lorsque votre établissement finalise une souscription, une redevance annuelle d'utilisation de "
                "l'accord-cadre est due à partir du mois suivant. Limitée à quelques centaines d'euros, elle est "
                "<b>proportionnelle à la taille</b> de votre structure et <b>dégressive</b> lorsque vous réalisez "
                "plusieurs opérations dans l'année.</p>",
            ),
            ("heading", "Ce que vous y gagnez"),
            (
                "paragraph",
                "<p>Le gain constaté par rapport à un marché passé en direct est de l'ordre de 10 à 15 %, sans compter "
                "le temps de procédure épargné à votre direction des achats.</p>",
            ),
        ],
    },
    {
        "slug": "guide-dutilisation-du-portail",
        "title": "Guide d'utilisation du portail",
        "introduction": "S'inscrire, rechercher un accord-cadre, ouvrir l'accès aux pièces, finaliser sa souscription.",
        "body": [
            ("heading", "S'inscrire"),
            (
                "paragraph",
                "<p>Cherchez votre établissement par son numéro SIRET : s'il est connu, ses informations se complètent "
                "seules ; sinon, renseignez-les (la création d'un établissement est soumise à la validation de la "
                "CANUT). Pour un groupe de structures, inscrivez-vous pour l'établissement « parent ». Complétez vos "
                "informations professionnelles — seules les adresses e-mail professionnelles sont acceptées. Votre "
                f"demande est validée par la CANUT {VALIDATION_DELAY}.</p>",
            ),
            ("heading", "Rechercher un accord-cadre"),
            (
                "paragraph",
                "<p>Sur la page « Tous les marchés », cherchez par mot-clé, cochez un ou plusieurs titulaires ou thèmes. "
                "Chaque carte donne un accès direct à la fiche marché, au CCTP et au BPU ou au catalogue.</p>",
            ),
            ("heading", "Ouvrir l'accès à toutes les pièces (sans engagement)"),
            (
                "paragraph",
                "<p>Cliquez sur « Préparer sa souscription », choisissez l'établissement ou le groupement concerné puis "
                "« Soumettre ». Vous recevez la convention de mise à disposition par e-mail et le bouton « Gérer mon "
                "marché » ouvre les lots, les contacts commerciaux et les pièces : convention, fiche marché, DCE, BPU, "
                "candidatures, offres, catalogues, avenants.</p>",
            ),
            ("heading", "Finaliser sa souscription"),
            (
                "paragraph",
                "<p>Renvoyez la convention complétée, datée et signée à canut@canut.org. Elle est contresignée et "
                "disponible sur le portail sous une semaine ouvrée. Pour un groupement, téléchargez le tableur depuis "
                "« Mes groupements », listez les établissements enfants (SIRET, nom, e-mail de contact) et renvoyez-le "
                "à la CANUT pour validation.</p>",
            ),
            ("heading", "Tableau de bord et établissements"),
            (
                "paragraph",
                "<p>Le tableau de bord récapitule vos souscriptions validées et en cours, vos établissements et vos "
                "groupements. Toute modification d'un établissement ou d'un compte est soumise à la validation de la "
                "CANUT.</p>",
            ),
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "introduction": "",
        "body": [
            ("heading", "Éditeur du site"),
            (
                "paragraph",
                "<p>CANUT — Centrale d'achat du numérique et des télécoms, association loi 1901, 4 place Amédée "
                'Bonnet, 69002 Lyon. Contact : <a href="mailto:canut@canut.org">canut@canut.org</a>. Directeur de la '
                "publication : le directeur général de la CANUT.</p>",
            ),
            ("heading", "Hébergement"),
            ("paragraph", "<p>Les coordonnées de l'hébergeur sont à compléter par la CANUT.</p>"),
        ],
    },
    {
        "slug": "accessibilite",
        "title": "Accessibilité",
        "introduction": "La CANUT s'engage à rendre son portail accessible conformément à l'article 47 de la loi n° 2005-102.",
        "body": [
            ("heading", "État de conformité"),
            (
                "paragraph",
                "<p>Le portail est <b>partiellement conforme</b> au référentiel général d'amélioration de "
                "l'accessibilité (RGAA 4.1) : l'audit reste à mener.</p>",
            ),
            ("heading", "Retour d'information et contact"),
            (
                "paragraph",
                "<p>Si vous ne parvenez pas à accéder à un contenu ou à un service, écrivez à "
                '<a href="mailto:canut@canut.org">canut@canut.org</a> : nous vous orienterons vers une alternative '
                "accessible.</p>",
            ),
        ],
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "introduction": "Comment la CANUT traite les données personnelles des utilisateurs du portail.",
        "body": [
            ("heading", "Données collectées"),
            (
                "paragraph",
                "<p>Pour créer un compte : nom, prénom, fonction, adresse e-mail professionnelle et téléphones "
                "professionnels, ainsi que l'établissement représenté. Ces données servent uniquement à gérer votre "
                "compte et vos souscriptions aux accords-cadres.</p>",
            ),
            ("heading", "Vos droits"),
            (
                "paragraph",
                "<p>Conformément au RGPD, vous disposez d'un droit d'accès, de rectification et d'effacement de vos "
                'données. Pour l\'exercer, écrivez à <a href="mailto:canut@canut.org">canut@canut.org</a>.</p>',
            ),
        ],
    },
]

# Site settings: the footer and header links, by page slug.
SETTINGS = {
    "contact_email": "canut@canut.org",
    "legal_notice_page": "mentions-legales",
    "accessibility_page": "accessibilite",
    "personal_data_page": "donnees-personnelles",
    "user_guide_page": "guide-dutilisation-du-portail",
}

# Two-level taxonomy: (slug, name, [(slug, name) of sub-themes]).
THEMES = [
    (
        "logiciel",
        "Logiciel",
        [
            ("environnement-de-travail", "Environnement de travail"),
            ("logiciel-de-gestion", "Logiciel de gestion"),
            ("logiciels-specialises-metier", "Logiciels spécialisés/métier"),
            ("infrastructures", "Infrastructures"),
        ],
    ),
    ("materiels", "Matériels", []),
    ("prestation", "Prestation", [("support", "Support"), ("formation", "Formation")]),
    ("securite", "Sécurité", [("logiciel-securite", "Logiciel sécurité"), ("rgpd", "RGPD")]),
    ("telecoms-et-reseaux", "Télécoms et réseaux", []),
]

# key: (name, fictitious SIREN, website)
HOLDERS = {
    "scc": ("SCC", "427498365", "https://www.scc.com"),
    "esi": ("E.S.I.", "381105246", "https://www.esi.example"),
    "econocom": ("ECONOCOM", "702689431", "https://www.econocom.com"),
    "softcorner": ("SOFTCORNER", "489326173", "https://www.softcorner.fr"),
    "preo": ("PREO SOFTWARE", "813740255", "https://www.preo-ag.com"),
    "altima": ("ALTIMA TÉLÉCOM", "528603913", "https://www.altima-telecom.example"),
    "cybervigie": ("CYBERVIGIE", "794152389", "https://www.cybervigie.example"),
    "protectdata": ("PROTECT'DATA CONSEIL", "836291047", "https://www.protectdata-conseil.example"),
    "numeria": ("NUMÉRIA FORMATION", "441876521", "https://www.numeria-formation.example"),
    "educaplus": ("ÉDUCAPLUS SOLUTIONS", "903154870", "https://www.educaplus.example"),
    "hexanet": ("HEXANET RÉSEAUX", "517429635", "https://www.hexanet-reseaux.example"),
    "reproservices": ("REPRO'SERVICES", "882065196", "https://www.reproservices.example"),
}


def contact(holder, name, email, phone, window=""):
    return {"holder": holder, "window": window, "name": name, "email": email, "phone": phone}


def bpu(*rows):
    return list(rows)


# Status dates relative to the day the demo is loaded, so "à venir" stays in the future.
UPCOMING_IN_DAYS = 45

MARKETS = [
    {
        "slug": "multi-editeurs",
        "code": "MULTIEDITEURS",
        "title": "Multi-éditeurs",
        "subtitle": "Accord-cadre à bons de commande",
        "summary": (
            "Acquisition de licences, souscriptions et maintenance de logiciels de plus de 350 éditeurs, "
            "avec un portail de commande dédié aux adhérents de la CANUT."
        ),
        "notified_on": D(2024, 2, 27),
        "ends_on": D(2028, 2, 26),
        "portal_url": "https://services.fr.scc.com/CANUTME/",
        "themes": ["environnement-de-travail", "logiciel-de-gestion", "logiciels-specialises-metier"],
        "lots": [
            {
                "number": 1,
                "title": "Lot unique — Licences et souscriptions multi-éditeurs",
                "holders": [
                    contact("scc", "Équipe CANUT by SCC", "canut@scc.example", "01 99 00 12 34"),
                ],
            }
        ],
        "price_piece": "catalogue",
        "amendments": ["Avenant n°1 — Mise à jour du catalogue (septembre 2024)"],
        "guide": "Guide utilisateur du portail CANUT by SCC",
    },
    {
        "slug": "microsoft-et-alternatives",
        "code": "MICROSOFT",
        "title": "Microsoft et alternatives",
        "subtitle": "Accord-cadre à bons de commandes",
        "summary": (
            "Licences Microsoft (postes, serveurs, Microsoft 365) et suites bureautiques et collaboratives "
            "alternatives, avec les prestations de déploiement associées."
        ),
        "notified_on": D(2024, 4, 16),
        "ends_on": D(2028, 4, 16),
        "themes": ["environnement-de-travail"],
        "lots": [
            {
                "number": 1,
                "title": "Licences et souscriptions Microsoft",
                "holders": [contact("scc", "Claire VASSEUR", "c.vasseur@scc.example", "01 99 00 21 43")],
            },
            {
                "number": 2,
                "title": "Suites bureautiques et collaboratives alternatives",
                "holders": [contact("esi", "Marc LEBRETON", "m.lebreton@esi.example", "04 65 71 20 18")],
            },
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("MS-365-E3", "Microsoft 365 E3, abonnement annuel par utilisateur", "utilisateur/an", 389.00),
            ("MS-365-BP", "Microsoft 365 Business Premium, abonnement annuel", "utilisateur/an", 246.00),
            ("MS-WS-STD", "Windows Server 2025 Standard, 16 cœurs", "licence", 1069.00),
            ("MS-SQL-STD", "SQL Server 2022 Standard, 2 cœurs", "licence", 3586.00),
            ("ALT-COLLAB", "Suite collaborative souveraine, abonnement annuel", "utilisateur/an", 48.00),
            ("ALT-OFFICE", "Suite bureautique libre, support éditeur annuel", "utilisateur/an", 12.00),
        ),
    },
    {
        "slug": "logiciels-doccasion",
        "code": "OCCASION",
        "title": "Logiciels d'occasion",
        "subtitle": "Accord-cadre multi attributaire à bons de commande",
        "summary": (
            "Fourniture de licences logicielles d'occasion (seconde main), conformes au droit européen, "
            "avec deux titulaires qui prennent les commandes à tour de rôle selon le jour du mois."
        ),
        "notified_on": D(2024, 2, 27),
        "ends_on": D(2028, 2, 26),
        "themes": ["environnement-de-travail", "logiciel-de-gestion"],
        "lots": [
            {
                "number": None,
                "title": "Licences logicielles d'occasion",
                "holders": [
                    contact(
                        "softcorner",
                        "Habibou M'BAYE",
                        "hmbaye@softcorner.fr",
                        "09 80 80 85 82",
                        window="Commandes du 1er au 15 du mois",
                    ),
                    contact(
                        "preo",
                        "Youssef BOUCHAKOR",
                        "y.bouchakor@preo-ag.com",
                        "01 73 04 37 59",
                        window="Commandes du 16 au dernier jour du mois",
                    ),
                ],
            }
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("OCC-OFF-2021", "Office LTSC Professionnel Plus 2021, licence d'occasion", "licence", 189.00),
            ("OCC-OFF-2019", "Office Professionnel Plus 2019, licence d'occasion", "licence", 129.00),
            ("OCC-WS-2022", "Windows Server 2022 Standard 16 cœurs, licence d'occasion", "licence", 520.00),
            ("OCC-RDS-CAL", "CAL Remote Desktop Services 2022 utilisateur, d'occasion", "licence", 64.00),
        ),
    },
    {
        "slug": "virtualisation",
        "code": "VIRTUALISATION",
        "title": "Virtualisation",
        "subtitle": "Fourniture de licences et prestations d'intégration et de conseil",
        "summary": (
            "Solutions de virtualisation de serveurs et de postes de travail : licences, support éditeur, "
            "prestations d'intégration, de migration et de conseil."
        ),
        "notified_on": D(2024, 3, 19),
        "ends_on": D(2028, 3, 18),
        "themes": ["infrastructures"],
        "holders": [contact("esi", "Sophie GARNIER", "s.garnier@esi.example", "04 65 71 33 02")],
        "price_piece": "bpu",
        "bpu": bpu(
            ("VIR-HYP-2S", "Hyperviseur, licence par serveur bi-processeur", "serveur", 1450.00),
            ("VIR-VDI-U", "Virtualisation de postes, abonnement annuel", "utilisateur/an", 95.00),
            ("VIR-J-ING", "Journée d'ingénieur intégration", "jour", 850.00),
            ("VIR-J-CONS", "Journée de consultant senior (audit, conseil)", "jour", 1100.00),
        ),
    },
    {
        "slug": "materiels-bureautiques-neufs",
        "code": "MATERIELS",
        "title": "Matériels bureautiques neufs",
        "subtitle": "Fixes, portables, écrans, scanners, douchettes, accessoires et stockage",
        "summary": "Ordinateurs fixes et portables, écrans, scanners, douchettes, accessoires et solutions de stockage.",
        "notified_on": D(2024, 4, 25),
        "ends_on": D(2028, 4, 25),
        "themes": ["materiels"],
        "lots": [
            {
                "number": 1,
                "title": "Postes fixes et portables",
                "holders": [contact("econocom", "Julien ROUSSEL", "j.roussel@econocom.example", "01 99 00 45 67")],
            },
            {
                "number": 2,
                "title": "Écrans, scanners, douchettes et accessoires",
                "holders": [contact("econocom", "Nadia BENALI", "n.benali@econocom.example", "01 99 00 45 68")],
            },
            {
                "number": 3,
                "title": "Stockage et sauvegarde",
                "holders": [contact("scc", "Thomas PERRIN", "t.perrin@scc.example", "01 99 00 21 50")],
            },
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("PC-FIX-STD", "Poste fixe bureautique, 16 Go, SSD 512 Go, garantie 5 ans", "unité", 690.00),
            ("PC-PORT-14", "Portable 14 pouces, 16 Go, SSD 512 Go, garantie 3 ans", "unité", 890.00),
            ("ECR-24", "Écran 24 pouces IPS, réglable en hauteur", "unité", 165.00),
            ("SCAN-A4", "Scanner de documents A4 recto verso", "unité", 420.00),
            ("DOUCH-2D", "Douchette code-barres 2D filaire", "unité", 89.00),
            ("NAS-4B", "Serveur de stockage NAS 4 baies, 32 To", "unité", 2350.00),
        ),
    },
    {
        "slug": "telephonie-mobile",
        "code": "TELEPHONIE",
        "title": "Téléphonie mobile",
        "subtitle": "Accord-cadre à bons de commande",
        "summary": "Forfaits voix et données, cartes SIM et eSIM, terminaux mobiles et gestion de flotte.",
        "notified_on": D(2024, 9, 2),
        "ends_on": D(2028, 9, 1),
        "themes": ["telecoms-et-reseaux", "materiels"],
        "lots": [
            {
                "number": 1,
                "title": "Services de téléphonie mobile",
                "holders": [
                    contact("altima", "Aurélie FONTAINE", "a.fontaine@altima-telecom.example", "06 39 98 10 20")
                ],
            },
            {
                "number": 2,
                "title": "Terminaux mobiles et accessoires",
                "holders": [contact("altima", "Karim HADDAD", "k.haddad@altima-telecom.example", "06 39 98 10 21")],
            },
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("MOB-VOIX", "Forfait voix illimitée et 10 Go", "ligne/mois", 9.90),
            ("MOB-DATA", "Forfait données 100 Go", "ligne/mois", 14.50),
            ("MOB-ESIM", "Carte SIM ou eSIM", "unité", 0.00),
            ("MOB-SMART", "Smartphone professionnel milieu de gamme", "unité", 329.00),
        ),
    },
    {
        "slug": "cybersecurite",
        "code": "CYBERSECURITE",
        "title": "Cybersécurité",
        "subtitle": "Accord-cadre à bons de commande",
        "summary": (
            "Protection des postes et des serveurs (EDR), pare-feu, et accompagnement à la mise en conformité au RGPD."
        ),
        "notified_on": D(2024, 6, 10),
        "ends_on": D(2028, 6, 9),
        "themes": ["logiciel-securite", "rgpd", "materiels"],
        "lots": [
            {
                "number": 1,
                "title": "Protection des postes et serveurs, pare-feu",
                "holders": [contact("cybervigie", "Hugo MARCHAND", "h.marchand@cybervigie.example", "04 65 71 40 11")],
            },
            {
                "number": 2,
                "title": "Audit et mise en conformité RGPD",
                "holders": [
                    contact("protectdata", "Élise CAMUS", "e.camus@protectdata-conseil.example", "04 65 71 40 12")
                ],
            },
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("SEC-EDR", "Protection EDR des postes, abonnement annuel", "poste/an", 38.00),
            ("SEC-FW-M", "Pare-feu nouvelle génération, site moyen", "unité", 3200.00),
            ("RGPD-AUD", "Audit de conformité RGPD", "jour", 950.00),
            ("RGPD-DPO", "Délégué à la protection des données externalisé", "mois", 690.00),
        ),
    },
    {
        "slug": "formation-au-numerique",
        "code": "FORMATION",
        "title": "Formation au numérique",
        "subtitle": "Formation et accompagnement des utilisateurs",
        "summary": (
            "Formations bureautiques, cybersécurité et outils collaboratifs, en présentiel ou à distance, et "
            "accompagnement des utilisateurs au changement."
        ),
        "notified_on": D(2024, 10, 7),
        "ends_on": D(2028, 10, 6),
        "themes": ["formation", "support"],
        "holders": [contact("numeria", "Camille ROCHE", "c.roche@numeria-formation.example", "01 99 00 77 10")],
        "price_piece": "bpu",
        "bpu": bpu(
            ("FOR-J-INTRA", "Journée de formation intra (jusqu'à 10 stagiaires)", "jour", 1150.00),
            ("FOR-J-DIST", "Classe virtuelle d'une demi-journée", "demi-jour", 490.00),
            ("FOR-CYBER", "Sensibilisation à la cybersécurité, module en ligne", "utilisateur", 25.00),
        ),
    },
    {
        "slug": "infogerance-et-support",
        "code": "INFOGERANCE",
        "title": "Infogérance et support",
        "subtitle": "Support aux utilisateurs et tierce maintenance applicative",
        "summary": (
            "Centre de services, support de proximité aux utilisateurs, et tierce maintenance des logiciels de "
            "gestion (finances, ressources humaines, état civil)."
        ),
        "notified_on": D(2025, 1, 20),
        "ends_on": D(2029, 1, 19),
        "themes": ["support", "logiciel-de-gestion"],
        "lots": [
            {
                "number": 1,
                "title": "Centre de services et support de proximité",
                "holders": [contact("econocom", "Laurent GIRAUD", "l.giraud@econocom.example", "01 99 00 45 70")],
            },
            {
                "number": 2,
                "title": "Tierce maintenance applicative des logiciels de gestion",
                "holders": [contact("econocom", "Sarah KLEIN", "s.klein@econocom.example", "01 99 00 45 71")],
            },
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("INF-TICKET", "Traitement d'un ticket de niveau 1", "ticket", 18.00),
            ("INF-TECH-J", "Journée de technicien de proximité", "jour", 420.00),
            ("TMA-UO", "Unité d'œuvre de maintenance applicative", "UO", 560.00),
        ),
    },
    {
        "slug": "equipements-numeriques-educatifs",
        "code": "EDUCATIF",
        "title": "Équipements numériques éducatifs",
        "subtitle": "Tablettes, écrans interactifs et logiciels pédagogiques",
        "summary": (
            "Équipement des écoles et des collèges : tablettes, écrans numériques interactifs, classes mobiles et "
            "logiciels pédagogiques."
        ),
        "notified_on": D(2025, 3, 3),
        "ends_on": D(2029, 3, 2),
        "themes": ["materiels", "logiciels-specialises-metier"],
        "holders": [contact("educaplus", "Manon LEFÈVRE", "m.lefevre@educaplus.example", "04 65 71 55 90")],
        "price_piece": "bpu",
        "bpu": bpu(
            ("EDU-TAB", "Tablette 10 pouces avec coque renforcée", "unité", 299.00),
            ("EDU-ENI-75", "Écran numérique interactif 75 pouces, pose comprise", "unité", 2890.00),
            ("EDU-CLASSE", "Classe mobile 16 tablettes avec chariot", "unité", 5600.00),
            ("EDU-LOG", "Logiciel pédagogique, licence établissement annuelle", "établissement/an", 350.00),
        ),
    },
    # Not current: they show the catalogue's status filter.
    {
        "slug": "impression-et-reprographie",
        "code": "IMPRESSION",
        "title": "Impression et reprographie",
        "subtitle": "Accord-cadre à bons de commande (terminé)",
        "summary": "Copieurs multifonctions, imprimantes et consommables, en achat ou en location.",
        "notified_on": D(2021, 1, 4),
        "ends_on": D(2025, 1, 3),
        "themes": ["materiels"],
        "holders": [contact("reproservices", "Olivier DUMAS", "o.dumas@reproservices.example", "04 65 71 60 30")],
        "price_piece": "bpu",
        "bpu": bpu(
            ("COP-A3", "Copieur multifonction A3 couleur", "unité", 3900.00),
            ("COP-PAGE", "Coût à la page couleur", "page", 0.04),
        ),
    },
    {
        "slug": "reseaux-et-wi-fi",
        "code": "RESEAUX",
        "title": "Réseaux et Wi-Fi",
        "subtitle": "Équipements actifs, Wi-Fi et liens opérateurs",
        "summary": "Commutateurs, bornes Wi-Fi, liens fibre et prestations de câblage pour les sites des adhérents.",
        "upcoming": True,
        "themes": ["telecoms-et-reseaux"],
        "lots": [
            {
                "number": 1,
                "title": "Équipements actifs et Wi-Fi",
                "holders": [contact("hexanet", "Pierre ALLARD", "p.allard@hexanet-reseaux.example", "06 39 98 30 40")],
            },
            {
                "number": 2,
                "title": "Liens opérateurs et câblage",
                "holders": [contact("hexanet", "Inès MOREAU", "i.moreau@hexanet-reseaux.example", "06 39 98 30 41")],
            },
        ],
        "price_piece": "bpu",
        "bpu": bpu(
            ("RES-SW-24", "Commutateur 24 ports PoE", "unité", 980.00),
            ("RES-AP-6", "Borne Wi-Fi 6 intérieure", "unité", 310.00),
            ("RES-FIBRE", "Lien fibre 1 Gbit/s", "site/mois", 290.00),
        ),
    },
]

# The multi-publisher catalogue: publishers and their solutions, expanded to ~350 rows.
CATALOGUE_PUBLISHERS = [
    (
        "Adobe",
        "Création et PDF",
        ["Acrobat Pro", "Acrobat Standard", "Creative Cloud", "Photoshop", "Illustrator", "InDesign", "Premiere Pro"],
    ),
    ("Autodesk", "Conception (CAO, BIM)", ["AutoCAD", "AutoCAD LT", "Revit", "Civil 3D", "Map 3D", "Infraworks"]),
    ("Esri", "Systèmes d'information géographique", ["ArcGIS Pro", "ArcGIS Online", "ArcGIS Enterprise"]),
    ("Veeam", "Sauvegarde", ["Backup & Replication", "Data Platform Foundation", "Backup for Microsoft 365"]),
    ("VMware", "Virtualisation", ["vSphere Foundation", "Cloud Foundation", "Horizon"]),
    ("Citrix", "Virtualisation", ["Virtual Apps and Desktops", "NetScaler"]),
    ("Fortinet", "Sécurité", ["FortiClient", "FortiAnalyzer", "FortiManager", "FortiEDR"]),
    ("Sophos", "Sécurité", ["Intercept X", "Central Endpoint", "XGS Firewall"]),
    ("WithSecure", "Sécurité", ["Elements Endpoint Protection", "Elements EDR"]),
    ("Stormshield", "Sécurité", ["Network Security", "Endpoint Security"]),
    ("Red Hat", "Systèmes et infrastructures", ["Enterprise Linux", "OpenShift", "Ansible Automation Platform"]),
    ("SUSE", "Systèmes et infrastructures", ["Linux Enterprise Server", "Rancher Prime"]),
    ("Oracle", "Bases de données", ["Database Standard Edition 2", "Java SE Universal Subscription"]),
    (
        "Microsoft",
        "Environnement de travail",
        ["Microsoft 365 E3", "Microsoft 365 E5", "Visio", "Project", "Power BI Pro"],
    ),
    ("Zoom", "Communication", ["Workplace Business", "Webinars", "Rooms"]),
    ("TeamViewer", "Prise en main à distance", ["Business", "Premium", "Corporate"]),
    ("Atlassian", "Travail collaboratif", ["Jira", "Confluence", "Jira Service Management"]),
    ("JetBrains", "Développement", ["All Products Pack", "IntelliJ IDEA Ultimate", "PyCharm Professional"]),
    ("Tableau", "Décisionnel", ["Creator", "Explorer", "Viewer"]),
    ("Qlik", "Décisionnel", ["Sense Business", "Sense Enterprise"]),
    ("Ivanti", "Gestion de parc", ["Neurons for ITSM", "Endpoint Manager"]),
    ("Nutanix", "Infrastructures hyperconvergées", ["Cloud Infrastructure", "Prism Pro"]),
    ("Splunk", "Supervision", ["Enterprise", "Cloud Platform"]),
    ("Paessler", "Supervision", ["PRTG Network Monitor"]),
    ("Bitdefender", "Sécurité", ["GravityZone Business Security", "GravityZone Elite"]),
    ("Kaspersky", "Sécurité", ["Endpoint Security for Business"]),
    ("Trend Micro", "Sécurité", ["Vision One", "Apex One"]),
    ("Foxit", "Création et PDF", ["PDF Editor", "PDF Editor+"]),
    ("Nitro", "Création et PDF", ["Nitro PDF Pro"]),
    ("Docusign", "Signature électronique", ["eSignature Business Pro"]),
    ("Yousign", "Signature électronique", ["Plus", "Pro"]),
    ("Wooclap", "Pédagogie", ["Campus"]),
    ("Klaxoon", "Travail collaboratif", ["Board", "Enterprise"]),
    ("Miro", "Travail collaboratif", ["Business", "Enterprise"]),
    ("Lucid", "Travail collaboratif", ["Lucidchart", "Lucidspark"]),
    ("Matrix42", "Gestion de parc", ["Enterprise Service Management"]),
    ("GLPI Network", "Gestion de parc", ["Cloud", "Support éditeur"]),
    ("Xwiki", "Travail collaboratif", ["XWiki Pro"]),
    ("Nextcloud", "Travail collaboratif", ["Enterprise"]),
    ("OnlyOffice", "Environnement de travail", ["Docs Enterprise", "Workspace"]),
]
CATALOGUE_EDITIONS = [
    "",
    " — licence perpétuelle",
    " — abonnement 1 an",
    " — abonnement 3 ans",
    " — éducation",
    " — maintenance",
]
CATALOGUE_SIZE = 350


# Yearly list prices excl. VAT the publishers announce (the catalogue gives the discount).
CATALOGUE_LIST_PRICES = {
    "Acrobat Pro": 239.88,
    "Acrobat Standard": 179.88,
    "Creative Cloud": 1079.88,
    "Photoshop": 359.88,
    "Illustrator": 359.88,
    "AutoCAD": 2395.00,
    "AutoCAD LT": 545.00,
    "Microsoft 365 E3": 432.00,
    "Microsoft 365 E5": 684.00,
    "Power BI Pro": 163.20,
}
EDITION_FACTORS = {
    "": 1,
    " — licence perpétuelle": 3,
    " — abonnement 1 an": 1,
    " — abonnement 3 ans": 2.7,
    " — éducation": 0.4,
    " — maintenance": 0.22,
}


def list_price(product, edition):
    """A realistic, deterministic list price excl. VAT for a catalogue row."""
    base = CATALOGUE_LIST_PRICES.get(product) or 49 + (sum(map(ord, product)) % 40) * 24.5
    return round(base * EDITION_FACTORS[edition], 2)


def catalogue_rows(size=CATALOGUE_SIZE):
    """(publisher, solution, category, minimum discount, list price excl. VAT) rows, deterministic."""
    rows = []
    for edition in CATALOGUE_EDITIONS:
        for publisher, category, products in CATALOGUE_PUBLISHERS:
            for index, product in enumerate(products):
                discount = f"{8 + (index * 3 + len(publisher)) % 17} %"
                rows.append((publisher, f"{product}{edition}", category, discount, list_price(product, edition)))
                if len(rows) == size:
                    return rows
    return rows
