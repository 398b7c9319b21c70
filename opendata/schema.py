"""The DECP format's enumerations (schema_decp_v2.0.3.json of 139bercy/format-commande-publique),
as choices: an editor picks a value the official schema accepts, never free text. Each
label is the value itself, as the schema spells it (Django would make one of the name)."""

from django.db import models


class Nature(models.TextChoices):
    MARCHE = "Marché", "Marché"
    PARTENARIAT = "Marché de partenariat", "Marché de partenariat"
    DEFENSE = "Marché de défense ou de sécurité", "Marché de défense ou de sécurité"


class Procedure(models.TextChoices):
    ADAPTEE = "Procédure adaptée", "Procédure adaptée"
    AO_OUVERT = "Appel d'offres ouvert", "Appel d'offres ouvert"
    AO_RESTREINT = "Appel d'offres restreint", "Appel d'offres restreint"
    NEGOCIATION = "Procédure avec négociation", "Procédure avec négociation"
    SANS_PUBLICITE = (
        "Marché passé sans publicité ni mise en concurrence préalable",
        "Marché passé sans publicité ni mise en concurrence préalable",
    )
    DIALOGUE = "Dialogue compétitif", "Dialogue compétitif"


class Technique(models.TextChoices):
    ACCORD_CADRE = "Accord-cadre", "Accord-cadre"
    CONCOURS = "Concours", "Concours"
    QUALIFICATION = "Système de qualification", "Système de qualification"
    SAD = "Système d'acquisition dynamique", "Système d'acquisition dynamique"
    CATALOGUE = "Catalogue électronique", "Catalogue électronique"
    ENCHERE = "Enchère électronique", "Enchère électronique"
    SANS_OBJET = "Sans objet", "Sans objet"


class ExecutionMode(models.TextChoices):
    TRANCHES = "Tranches", "Tranches"
    BONS_DE_COMMANDE = "Bons de commande", "Bons de commande"
    SUBSEQUENTS = "Marchés subséquents", "Marchés subséquents"
    SANS_OBJET = "Sans objet", "Sans objet"


class PlaceCodeKind(models.TextChoices):
    POSTAL = "Code postal", "Code postal"
    COMMUNE = "Code commune", "Code commune"
    ARRONDISSEMENT = "Code arrondissement", "Code arrondissement"
    CANTON = "Code canton", "Code canton"
    DEPARTEMENT = "Code département", "Code département"
    REGION = "Code région", "Code région"
    PAYS = "Code pays", "Code pays"


class PriceForm(models.TextChoices):
    UNITAIRE = "Unitaire", "Unitaire"
    FORFAITAIRE = "Forfaitaire", "Forfaitaire"
    MIXTE = "Mixte", "Mixte"


class PriceType(models.TextChoices):
    FERME = "Définitif ferme", "Définitif ferme"
    ACTUALISABLE = "Définitif actualisable", "Définitif actualisable"
    REVISABLE = "Définitif révisable", "Définitif révisable"
    PROVISOIRE = "Provisoire", "Provisoire"


class Ccag(models.TextChoices):
    TRAVAUX = "Travaux", "Travaux"
    MOE = "Maitrise d'œuvre", "Maitrise d'œuvre"
    FCS = "Fournitures courantes et services", "Fournitures courantes et services"
    INDUSTRIELS = "Marchés industriels", "Marchés industriels"
    PI = "Prestations intellectuelles", "Prestations intellectuelles"
    TIC = "Techniques de l'information et de la communication", "Techniques de l'information et de la communication"
    AUCUN = "Pas de CCAG", "Pas de CCAG"


class OperatorsGrouping(models.TextChoices):
    CONJOINT = "Conjoint", "Conjoint"
    SOLIDAIRE = "Solidaire", "Solidaire"
    AUCUN = "Pas de groupement", "Pas de groupement"


class SocialConsideration(models.TextChoices):
    CLAUSE = "Clause sociale", "Clause sociale"
    CRITERE = "Critère social", "Critère social"
    RESERVE = "Marché réservé", "Marché réservé"
    AUCUNE = "Pas de considération sociale", "Pas de considération sociale"


class EnvironmentalConsideration(models.TextChoices):
    CLAUSE = "Clause environnementale", "Clause environnementale"
    CRITERE = "Critère environnemental", "Critère environnemental"
    AUCUNE = "Pas de considération environnementale", "Pas de considération environnementale"
