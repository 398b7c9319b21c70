"""The DECP format's enumerations (schema_decp_v2.0.3.json of 139bercy/format-commande-publique),
as choices: an editor picks a value the official schema accepts, never free text."""

from django.db import models


class Nature(models.TextChoices):
    MARCHE = "Marché"
    PARTENARIAT = "Marché de partenariat"
    DEFENSE = "Marché de défense ou de sécurité"


class Procedure(models.TextChoices):
    ADAPTEE = "Procédure adaptée"
    AO_OUVERT = "Appel d'offres ouvert"
    AO_RESTREINT = "Appel d'offres restreint"
    NEGOCIATION = "Procédure avec négociation"
    SANS_PUBLICITE = "Marché passé sans publicité ni mise en concurrence préalable"
    DIALOGUE = "Dialogue compétitif"


class Technique(models.TextChoices):
    ACCORD_CADRE = "Accord-cadre"
    CONCOURS = "Concours"
    QUALIFICATION = "Système de qualification"
    SAD = "Système d'acquisition dynamique"
    CATALOGUE = "Catalogue électronique"
    ENCHERE = "Enchère électronique"
    SANS_OBJET = "Sans objet"


class ExecutionMode(models.TextChoices):
    TRANCHES = "Tranches"
    BONS_DE_COMMANDE = "Bons de commande"
    SUBSEQUENTS = "Marchés subséquents"
    SANS_OBJET = "Sans objet"


class PlaceCodeKind(models.TextChoices):
    POSTAL = "Code postal"
    COMMUNE = "Code commune"
    ARRONDISSEMENT = "Code arrondissement"
    CANTON = "Code canton"
    DEPARTEMENT = "Code département"
    REGION = "Code région"
    PAYS = "Code pays"


class PriceForm(models.TextChoices):
    UNITAIRE = "Unitaire"
    FORFAITAIRE = "Forfaitaire"
    MIXTE = "Mixte"


class PriceType(models.TextChoices):
    FERME = "Définitif ferme"
    ACTUALISABLE = "Définitif actualisable"
    REVISABLE = "Définitif révisable"
    PROVISOIRE = "Provisoire"


class Ccag(models.TextChoices):
    TRAVAUX = "Travaux"
    MOE = "Maitrise d'œuvre"
    FCS = "Fournitures courantes et services"
    INDUSTRIELS = "Marchés industriels"
    PI = "Prestations intellectuelles"
    TIC = "Techniques de l'information et de la communication"
    AUCUN = "Pas de CCAG"


class OperatorsGrouping(models.TextChoices):
    CONJOINT = "Conjoint"
    SOLIDAIRE = "Solidaire"
    AUCUN = "Pas de groupement"


class SocialConsideration(models.TextChoices):
    CLAUSE = "Clause sociale"
    CRITERE = "Critère social"
    RESERVE = "Marché réservé"
    AUCUNE = "Pas de considération sociale"


class EnvironmentalConsideration(models.TextChoices):
    CLAUSE = "Clause environnementale"
    CRITERE = "Critère environnemental"
    AUCUNE = "Pas de considération environnementale"
