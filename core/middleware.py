"""A NUL byte, or a number no database key can hold, is never part of a URL, a form or a
cookie of the site: refuse it at the door.

PostgreSQL refuses NUL in text, so a NUL reaching a query is a 500. Our own views parse
their parameters (path converters, core.forms.ParamsForm) and our forms refuse control
characters, but Wagtail's admin and third-party views have string parameters and fields of
their own: this guard covers them all. A URL or a POSTed field holding NUL is a 400; a
cookie holding one is dropped (a session key with NUL was a 500 on every page, and the
browser would send it again and again).

A parameter that is a bare integer past a signed 64-bit one (?parent=99999999999999999999)
is refused too: SQLite's driver cannot even send it (OverflowError), and every id, year or
amount of the site fits well below. So is a GET date before 1900 (?created_at=0001-01-01 on
a staff list: turned into UTC, the first day of the calendar leaves it); forms say so next
to their date fields (core.validators.validate_plausible_date).
"""

import re

from django.core.exceptions import SuspiciousOperation

INTEGER = re.compile(r"[+-]?\d+")
DATE_YEAR = re.compile(r"(\d{4})-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(\d{4})")
FIRST_YEAR = 1900
INT64 = 2**63 - 1


class NulByteError(SuspiciousOperation):
    pass


def _unsendable(value: str) -> bool:
    if "\x00" in value:
        return True
    # Past 19 digits, a bare integer no longer fits (the digits are counted before converting:
    # Python refuses to convert more than 4,300 of them).
    digits = value.lstrip("+-")
    return bool(INTEGER.fullmatch(value)) and (len(digits) > 19 or abs(int(value)) > INT64)


def _holds_unsendable(querydict) -> bool:
    return any(_unsendable(value) for _, values in querydict.lists() for value in values)


def _implausible_date(value: str) -> bool:
    match = DATE_YEAR.fullmatch(value.strip())
    return bool(match) and int(match.group(1) or match.group(2)) < FIRST_YEAR


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path_info
            or _holds_unsendable(request.GET)
            or any(_implausible_date(value) for _, values in request.GET.lists() for value in values)
        ):
            raise NulByteError("NUL byte, out-of-range integer or implausible date in the URL")
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name or "\x00" in value]:
            del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The form fields (not the files' contents), read when CSRF's check would read them
        # anyway; a view exempt from that check reads its body when it chooses.
        exempt = getattr(view_func, "csrf_exempt", False)
        if request.method == "POST" and not exempt and _holds_unsendable(request.POST):
            raise NulByteError("NUL byte or out-of-range integer in a form field")
        return None
