"""The seller as the invoices print it: the billing settings of the default site (editors
keep them in the admin), or their defaults on a database without a site."""

from dataclasses import dataclass

from wagtail.models import Site

from .bank import compact_iban


@dataclass(frozen=True)
class Seller:
    name: str
    legal_form: str
    siren: str
    vat_number: str
    street: str
    postcode: str
    city: str
    iban: str
    bic: str
    account_holder: str
    email: str
    logo: object  # a Wagtail image, or None

    @property
    def has_bank_account(self) -> bool:
        return bool(self.iban and self.bic and self.account_holder)


def seller() -> Seller:
    from .models import BillingSettings

    site = Site.objects.filter(is_default_site=True).first()
    settings = BillingSettings.for_site(site) if site is not None else BillingSettings()
    return Seller(
        name=settings.name,
        legal_form=settings.legal_form,
        siren=settings.siren,
        vat_number=settings.vat_number,
        street=settings.street,
        postcode=settings.postcode,
        city=settings.city,
        iban=compact_iban(settings.iban) if settings.iban else "",
        bic=settings.bic.strip().upper(),
        account_holder=settings.account_holder,
        email=settings.billing_email,
        logo=settings.logo,
    )
