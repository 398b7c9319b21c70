"""Demo help content: subjects and questions, the FAQ page, "Pré-requis techniques", the
guide PDF, the support's phone and hours, and a few requests to show the queue and figures.
Idempotent like the rest of the demo: found by slug, name, title or reference."""

import datetime
from types import SimpleNamespace

from django.utils import timezone
from wagtail.models import Collection, Site

from assistance.models import FaqEntry, FaqPage, FaqResolution, RequestMessage, Status, Subject, SupportRequest
from assistance.services import _next_number
from home.models import SiteSettings, StandardPage
from members.models import User

from . import support_content as content
from .files import pdf
from .loaders import _stream, ensure_document, publish_child

DEMO_MEMBER = "adherent.demo@canut.org"


def ensure_subjects(tally):
    for order, (name, slug, description, entries) in enumerate(content.SUBJECTS):
        subject, created = Subject.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order, "active": True}
        )
        tally.add(created)
        for position, (question, answer) in enumerate(entries):
            FaqEntry.objects.update_or_create(
                subject=subject,
                question=question,
                defaults={"answer": answer, "sort_order": order * 100 + position, "live": True},
            )


def ensure_pages(home, tally):
    faq, created = publish_child(
        home,
        FaqPage,
        content.FAQ_PAGE["slug"],
        title=content.FAQ_PAGE["title"],
        introduction=content.FAQ_PAGE["introduction"],
    )
    tally.add(created)
    data = content.REQUIREMENTS_PAGE
    requirements, created = publish_child(
        home,
        StandardPage,
        data["slug"],
        title=data["title"],
        introduction=data["introduction"],
        body=_stream(data["body"], {}),
    )
    tally.add(created)
    return requirements


def ensure_guide(tally):
    """The guide PDF as a Wagtail document, generated only when missing."""
    spec = SimpleNamespace(
        doc_title=content.GUIDE["title"],
        filename=content.GUIDE["filename"],
        build=lambda: pdf(content.GUIDE["title"], content.GUIDE["paragraphs"]),
    )
    return ensure_document(spec, Collection.get_first_root_node(), tally)


def ensure_support_settings(home, requirements, guide):
    settings = SiteSettings.for_site(Site.objects.get(root_page=home))
    settings.technical_requirements_page = requirements
    settings.user_guide_document = guide
    for name, value in content.SUPPORT.items():
        setattr(settings, name, value)
    settings.save()


# (subject slug, status, severity, frequency, message, staff reply, days ago, hours to reply, hours to resolve)
REQUESTS = [
    (
        "souscription-et-convention",
        Status.RESOLVED,
        "major",
        "once",
        "Je ne retrouve pas la convention du marché Multi-éditeurs dans mes e-mails.",
        "Elle est aussi dans « Gérer mon marché », onglet « Pièces du marché ». Nous vous l'avons renvoyée.",
        20,
        3,
        26,
    ),
    (
        "groupements",
        Status.WAITING,
        "blocking",
        "systematic",
        "Mon tableur de groupement est refusé : « Ligne 4, colonne SIRET : clé invalide ».",
        "Pouvez-vous nous envoyer le fichier ? Le SIRET de la ligne 4 semble avoir perdu son zéro initial.",
        2,
        5,
        None,
    ),
    ("etablissements", Status.NEW, "minor", "once", "Notre code Chorus a changé : où le modifier ?", "", 0, None, None),
]


def _demo_request(member, staff, data, tally):
    slug, status, severity, frequency, message, reply, days, reply_hours, resolve_hours = data
    if SupportRequest.objects.filter(requester=member, message=message).exists():
        tally.add(False)
        return
    created_at = timezone.now() - datetime.timedelta(days=days)
    number = _next_number(created_at.year)
    request = SupportRequest.objects.create(
        reference=f"AS-{created_at.year}-{number:06d}",
        year=created_at.year,
        number=number,
        subject=Subject.objects.get(slug=slug),
        status=status,
        severity=severity,
        frequency=frequency,
        message=message,
        requester=member,
        contact_name=member.get_full_name(),
        contact_email=member.email,
        portal_version="démonstration",
        browser="Firefox 128.0",
        operating_system="Windows 10",
        assignee=staff if reply else None,
    )
    request.establishments.set(member.establishments.all())
    hours = datetime.timedelta(hours=1)
    dates = {"created_at": created_at}
    if reply:
        dates["first_response_at"] = created_at + reply_hours * hours
        RequestMessage.objects.create(request=request, kind=RequestMessage.Kind.REPLY, author=staff, body=reply)
    if resolve_hours:
        dates["resolved_at"] = created_at + resolve_hours * hours
    SupportRequest.objects.filter(pk=request.pk).update(**dates)  # auto_now_add cannot be set on create
    tally.add(True)


def ensure_requests(tally):
    member = User.objects.filter(email=DEMO_MEMBER).first()
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    if member is None:
        return
    for data in REQUESTS:
        _demo_request(member, staff, data, tally)
    if not FaqResolution.objects.exists():
        subjects = list(Subject.objects.all())
        for i in range(12):
            FaqResolution.objects.create(subject=subjects[i % len(subjects)])


def ensure_help(home, tallies):
    """Everything above, in order; returns nothing (the tallies say what changed)."""
    ensure_subjects(tallies["subjects"])
    requirements = ensure_pages(home, tallies["pages"])
    guide = ensure_guide(tallies["documents"])
    ensure_support_settings(home, requirements, guide)
    ensure_requests(tallies["requests"])
