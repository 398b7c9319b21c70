import factory
from stdnum import luhn

from members.models import DirectoryEntry, Establishment, PendingChange, User
from members.services import directory_upsert

PASSWORD = "Canut-Portail-2026!"


def valid_siren(n):
    base = f"{21000000 + n:08d}"
    return base + luhn.calc_check_digit(base)


def siret_of(siren, establishment=1):
    base = siren + f"{establishment:04d}"
    return base + luhn.calc_check_digit(base)


def valid_siret(n, establishment=1):
    return siret_of(valid_siren(n), establishment)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@mairie-exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    function = "Responsable informatique"
    establishment_phone = "04 72 00 00 00"
    status = User.Status.ACTIVE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"equipe{n}@canut.org")
    is_staff = True
    is_superuser = True


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"COMMUNE DE TEST {n}")
    siren = factory.Sequence(valid_siren)
    siret = factory.LazyAttribute(lambda o: siret_of(o.siren))
    ape_code = "84.11Z"
    street_number = "4"
    street_name = "PLACE AMEDEE BONNET"
    postcode = "69002"
    city = "LYON"
    status = Establishment.Status.VALIDATED

    @factory.post_generation
    def users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.users.add(*extracted)


def directory_entries(*rows):
    """Directory entries with their search words, as the import writes them."""
    entries = [DirectoryEntry(**{"legal_category": "7210", **row}) for row in rows]
    directory_upsert(entries=entries)
    return list(DirectoryEntry.objects.filter(siret__in=[e.siret for e in entries]).order_by("name_folded"))


class PendingChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PendingChange

    kind = PendingChange.Kind.ACCOUNT
    requested_by = factory.SubFactory(UserFactory)
    data = factory.LazyFunction(lambda: {"function": "Directrice des systèmes d'information"})
    previous = factory.LazyFunction(lambda: {"function": "Responsable informatique"})
