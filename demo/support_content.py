"""Demo help content: request subjects and their questions, written from the seeds' own
questions (the member guide, the other platform's helpdesk FAQ, the press article), the
"Pré-requis techniques" page and the support's phone number (ARCEP's fiction range)."""

from home import guide
from home.models import VALIDATION_DELAY

SUPPORT = {"support_phone": "04 65 71 20 20", "support_hours": "du lundi au vendredi, de 9 h à 18 h"}

FAQ_PAGE = {
    "slug": "questions-frequentes",
    "title": "Questions fréquentes",
    "introduction": "Les réponses aux questions que les adhérents nous posent le plus souvent, par sujet.",
}

# The guide's text-only version (scripts/demo then builds the illustrated one: build_user_guide).
GUIDE = {
    "title": guide.TITLE,
    "filename": guide.FILENAME,
    "paragraphs": [
        "Ce guide présente toutes les fonctionnalités du portail adhérent de la CANUT.",
        *(line for section in guide.SECTIONS for line in (f"## {section.heading}", *section.paragraphs)),
    ],
}

REQUIREMENTS_PAGE = {
    "slug": "pre-requis-techniques",
    "title": "Pré-requis techniques",
    "introduction": "Les navigateurs et les formats de fichiers avec lesquels le portail fonctionne.",
    "body": [
        ("heading", "Navigateurs"),
        (
            "paragraph",
            "<p>Le portail fonctionne avec les deux dernières versions de Mozilla Firefox, Google Chrome, Microsoft "
            "Edge et Safari, sur ordinateur, tablette et téléphone. Aucun logiciel n'est à installer. Les cookies "
            "de session doivent être acceptés pour se connecter ; JavaScript améliore la recherche et les "
            "formulaires, mais chaque page fonctionne sans lui.</p>",
        ),
        ("heading", "Formats de fichiers acceptés"),
        (
            "paragraph",
            "<ul><li>Tableur d'un groupement : .xlsx (partez du modèle à télécharger dans « Mes groupements »), "
            "2 Mo et 2 000 lignes au plus.</li><li>Pièces jointes d'une demande d'assistance : copies d'écran PNG "
            "ou JPEG et documents PDF, 3 fichiers de 5 Mo au plus par message.</li><li>Pièces des marchés et "
            "conventions : PDF, Word (.docx), Excel (.xlsx) et archives .zip.</li></ul>",
        ),
        ("heading", "En cas de problème"),
        (
            "paragraph",
            "<p>Utilisez le lien « Besoin d'aide ? » de la page où le problème survient : votre navigateur et la "
            "page concernée sont transmis avec votre demande.</p>",
        ),
    ],
}

# (name, slug, description, [(question, answer HTML)])
SUBJECTS = [
    (
        "Inscription et compte",
        "inscription-et-compte",
        "Créer un compte, se connecter, modifier ses informations personnelles.",
        [
            (
                "Comment créer un compte sur le portail ?",
                "<p>Cliquez sur « Se connecter » puis sur « inscrivez-vous ». Cherchez votre établissement par son "
                "SIRET, son nom, sa ville ou son code postal : s'il est connu, ses informations se complètent "
                "seules ; sinon, complétez-les. Renseignez ensuite vos informations personnelles et cliquez sur "
                "« Soumettre ».</p>",
            ),
            (
                "Pourquoi mon adresse e-mail est-elle refusée ?",
                "<p>Seules les adresses e-mail professionnelles sont acceptées : les messageries personnelles "
                "(Gmail, Orange, Free, Hotmail…) sont refusées. Utilisez l'adresse que vous donne votre "
                "établissement.</p>",
            ),
            (
                "Mon compte est-il actif dès l'inscription ?",
                f"<p>Non : chaque inscription est validée par les équipes de la CANUT, {VALIDATION_DELAY}. Vous "
                "recevez un e-mail dès que votre compte est activé.</p>",
            ),
            (
                "Le message « Le répertoire national ne répond pas » s'affiche quand je cherche mon SIRET",
                "<p>Le service de vérification des entreprises ne répond pas. Vérifiez le numéro SIRET et "
                "réessayez dans quelques minutes, ou renseignez vous-même les informations de votre établissement "
                "telles qu'elles sont déclarées à l'INSEE. Si le problème persiste, poursuivez votre demande "
                "ci-dessous.</p>",
            ),
            (
                "Je m'inscris pour un groupe de structures : quel établissement choisir ?",
                "<p>Inscrivez-vous pour l'établissement « parent » du groupe ; les établissements enfants sont "
                "ajoutés ensuite par le tableur d'un groupement.</p>",
            ),
            (
                "Est-il possible d'avoir plusieurs comptes pour un même établissement ?",
                "<p>Oui. Chaque agent crée son propre compte, avec sa propre adresse e-mail professionnelle. Le "
                "rattachement à un établissement qui a déjà des utilisateurs est validé par la CANUT.</p>",
            ),
            (
                "J'ai oublié mon mot de passe",
                "<p>Sur la page de connexion, cliquez sur « Mot de passe oublié ? » et saisissez votre adresse "
                "e-mail : vous recevez un lien pour en choisir un nouveau.</p>",
            ),
            (
                "Je change d'établissement : puis-je garder le même compte ?",
                "<p>Oui : dans « Mes établissements », rattachez votre compte au nouvel établissement avec "
                "« + Ajouter un établissement », puis signalez-nous l'ancien rattachement à retirer.</p>",
            ),
        ],
    ),
    (
        "Établissements",
        "etablissements",
        "Rattacher son compte à un établissement, modifier ses informations.",
        [
            (
                "Comment rattacher mon compte à un établissement supplémentaire ?",
                "<p>Dans « Mes établissements », cliquez sur « + Ajouter un établissement ». Recherchez-le : s'il "
                "figure dans la liste, ses informations se complètent ; sinon, complétez-les. Votre demande est "
                "validée par la CANUT.</p>",
            ),
            (
                "Comment modifier les informations de mon établissement (adresse, SIRET, code Chorus) ?",
                "<p>Dans « Mes établissements », cliquez sur « Modifier », apportez les modifications puis "
                "« Enregistrer ». Elles s'appliquent après validation par la CANUT.</p>",
            ),
            (
                "Mon établissement a changé de nom ou de SIRET : que faire ?",
                "<p>Modifiez-le depuis « Mes établissements » : la CANUT valide le changement, et vos "
                "souscriptions restent attachées à l'établissement.</p>",
            ),
            (
                "Je viens d'ajouter un établissement et je ne peux pas encore souscrire",
                "<p>Un établissement nouvellement créé attend la validation de la CANUT : vous pourrez souscrire "
                "pour lui dès qu'il est validé (vous recevez un e-mail).</p>",
            ),
        ],
    ),
    (
        "Souscription et convention",
        "souscription-et-convention",
        "Préparer sa souscription, la convention de mise à disposition, commander.",
        [
            (
                "« Préparer sa souscription » m'engage-t-il ?",
                "<p>Non, c'est sans engagement : vous recevez par e-mail la convention de mise à disposition et "
                "accédez aussitôt à toutes les pièces du marché et aux contacts commerciaux.</p>",
            ),
            (
                "Comment finaliser ma souscription ?",
                "<p>Complétez, datez et signez la convention, puis renvoyez-la à canut@canut.org. La CANUT la "
                "contresigne et la dépose sur le portail sous une semaine ouvrée maximum.</p>",
            ),
            (
                "Où retrouver la convention vierge ?",
                "<p>Dans « Gérer mon marché », onglet « Pièces du marché ».</p>",
            ),
            (
                "Que signifient « Convention envoyée », « reçue » et « finalisée » ?",
                "<p>Envoyée : vous avez reçu la convention à compléter. Reçue : la CANUT a reçu votre convention "
                "signée. Finalisée : la CANUT l'a contresignée, vous pouvez exécuter le marché.</p>",
            ),
            (
                "Comment passer commande une fois la souscription finalisée ?",
                "<p>Dans « Gérer mon marché », onglet « Contacts commerciaux » : le titulaire de chaque lot et son "
                "contact. L'exécution est directe auprès du titulaire : devis, commandes, factures.</p>",
            ),
        ],
    ),
    (
        "Groupements",
        "groupements",
        "Souscrire pour un groupe de structures avec le tableur.",
        [
            (
                "Comment souscrire pour un groupe de structures ?",
                "<p>Dans « Mes groupements », téléchargez le tableur, listez chaque établissement enfant (SIRET, "
                "nom, e-mail de contact) et déposez-le. Après validation par la CANUT, choisissez « Pour un "
                "groupement » dans « Préparer sa souscription ».</p>",
            ),
            (
                "Mon tableur est refusé : pourquoi ?",
                "<p>Chaque problème est indiqué par ligne et par colonne (SIRET invalide, doublon, e-mail "
                "manquant…). Corrigez-les dans votre fichier puis déposez-le à nouveau : rien n'est enregistré tant "
                "qu'une ligne est fausse.</p>",
            ),
            (
                "Les établissements enfants voient-ils les pièces du marché ?",
                "<p>Oui : dès la souscription, les utilisateurs de chaque établissement enfant accèdent aux pièces "
                "et voient la souscription sur leur tableau de bord.</p>",
            ),
            (
                "Qui signe la convention d'un groupement ?",
                "<p>L'établissement parent. L'annexe n°1 de la convention liste les établissements du groupement.</p>",
            ),
        ],
    ),
    (
        "Pièces et documents",
        "pieces-et-documents",
        "Les pièces des marchés, les formats de fichiers, le guide d'utilisation.",
        [
            (
                "Je ne vois pas toutes les pièces d'un marché",
                "<p>La fiche marché et le CCTP sont publics ; les autres pièces s'ouvrent aux adhérents dont "
                "l'établissement a préparé sa souscription au marché.</p>",
            ),
            (
                "Quels formats de fichiers le portail accepte-t-il ?",
                "<p>Voir la page « Pré-requis techniques », en bas de chaque page.</p>",
            ),
            (
                "Où trouver le guide d'utilisation ?",
                "<p>En bas de chaque page : « Guide d'utilisation (PDF) ».</p>",
            ),
        ],
    ),
    (
        "Facturation",
        "facturation",
        "Frais d'utilisation des accords-cadres et factures.",
        [
            (
                "L'adhésion au portail est-elle payante ?",
                "<p>Non : consulter les accords-cadres et leurs prix est gratuit. Seule l'utilisation d'un "
                "accord-cadre donne lieu à des frais, de quelques centaines d'euros, proportionnels à la taille de "
                "la structure et dégressifs.</p>",
            ),
            (
                "Quand la redevance annuelle commence-t-elle ?",
                "<p>Le mois suivant la finalisation de la souscription.</p>",
            ),
            (
                "Comment les commandes sont-elles facturées ?",
                "<p>Directement par le titulaire du marché, à votre établissement (par Chorus Pro, avec votre code "
                "Chorus).</p>",
            ),
        ],
    ),
    (
        "Autre",
        "autre",
        "",
        [
            (
                "Qui peut adhérer à la CANUT ?",
                "<p>Les collectivités, établissements publics, EPCI, centres de gestion, bailleurs sociaux, "
                "établissements d'enseignement, syndicats mixtes, sociétés publiques locales, groupements "
                "d'intérêt public, régies et autres acheteurs publics.</p>",
            ),
            (
                "Comment joindre l'assistance par téléphone ?",
                "<p>Le numéro s'affiche une fois votre demande envoyée et figure dans chaque e-mail de suivi : "
                "rappelez la référence de votre demande (AS-…).</p>",
            ),
        ],
    ),
]
