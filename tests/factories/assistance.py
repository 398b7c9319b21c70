"""Help subjects, questions and support requests; files as a browser would send them."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image
from reportlab.pdfgen import canvas

from assistance.models import FaqEntry, Frequency, Severity, Subject, SupportRequest


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Sujet {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    subject = factory.SubFactory(SubjectFactory)
    question = factory.Sequence(lambda n: f"Question fréquente {n} ?")
    answer = "<p>La réponse.</p>"


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    reference = factory.Sequence(lambda n: f"AS-2026-{900000 + n:06d}")
    year = 2026
    number = factory.Sequence(lambda n: 900000 + n)
    subject = factory.SubFactory(SubjectFactory)
    severity = Severity.MAJOR
    frequency = Frequency.ONCE
    message = "Je n'arrive pas à m'inscrire."
    contact_name = "Paul Visiteur"
    contact_email = factory.Sequence(lambda n: f"visiteur{n}@mairie-exemple.fr")


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Message d'erreur")
    page.save()
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def screenshot(name="capture.png") -> SimpleUploadedFile:
    return upload(name, png_bytes(), "image/png")
