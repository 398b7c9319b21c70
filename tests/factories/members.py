import factory
from django.utils import timezone

from members.models import Establishment, PendingChange, User
from tests.factories.directory import siret_of, valid_siren

PASSWORD = "Canut-Portail-2026!"


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
    email_confirmed_at = factory.LazyFunction(timezone.now)
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
    chorus_code = factory.Sequence(lambda n: f"CHORUS{n}")
    street_number = "4"
    street_name = "PLACE AMEDEE BONNET"
    postcode = "69002"
    city = "LYON"
    status = Establishment.Status.VALIDATED

    @factory.post_generation
    def users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.users.add(*extracted)


class PendingChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PendingChange

    kind = PendingChange.Kind.ACCOUNT
    requested_by = factory.SubFactory(UserFactory)
    data = factory.LazyFunction(lambda: {"function": "Directrice des systèmes d'information"})
    previous = factory.LazyFunction(lambda: {"function": "Responsable informatique"})
