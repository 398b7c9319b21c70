"""A NUL byte is never part of a URL of the site: refuse it at the door (400).

PostgreSQL refuses NUL in text, so a NUL reaching a query is a 500. Our own views parse
their parameters (path converters, core.forms.ParamsForm), but Wagtail's admin and
third-party views have string parameters of their own: this guard covers them all.
"""

from django.core.exceptions import SuspiciousOperation


class NulByteError(SuspiciousOperation):
    pass


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any("\x00" in value for _, values in request.GET.lists() for value in values):
            raise NulByteError("NUL byte in the URL")
        return self.get_response(request)
