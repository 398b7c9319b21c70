from .faq import FaqEntry, FaqPage, FaqResolution, Subject
from .requests import Attachment, Frequency, ReferenceCounter, RequestMessage, Severity, Status, SupportRequest

__all__ = [
    "Attachment",
    "FaqEntry",
    "FaqPage",
    "FaqResolution",
    "Frequency",
    "ReferenceCounter",
    "RequestMessage",
    "Severity",
    "Status",
    "Subject",
    "SupportRequest",
]
