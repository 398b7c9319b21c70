"""A NUL byte is never part of a URL, a form or a cookie of the site: refuse it at the door.

PostgreSQL refuses NUL in text, so a NUL reaching a query is a 500. Our own views parse
their parameters (path converters, core.forms.ParamsForm) and our forms refuse control
characters, but Wagtail's admin and third-party views have string parameters and fields of
their own: this guard covers them all. A URL or a POSTed field holding NUL is a 400; a
cookie holding one is dropped (a session key with NUL was a 500 on every page, and the
browser would send it again and again).
"""

from django.core.exceptions import SuspiciousOperation


class NulByteError(SuspiciousOperation):
    pass


def _holds_nul(querydict) -> bool:
    return any("\x00" in value for _, values in querydict.lists() for value in values)


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _holds_nul(request.GET):
            raise NulByteError("NUL byte in the URL")
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name or "\x00" in value]:
            del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The form fields (not the files' contents), read when CSRF's check would read them
        # anyway; a view exempt from that check reads its body when it chooses.
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False) and _holds_nul(request.POST):
            raise NulByteError("NUL byte in a form field")
        return None
