"""Refusals that say what to do next, and the 403 view that shows them.

A view (or a hook) that refuses raises `Refusal` with a sentence and, when there is one,
the next step ("Préparer sa souscription" for a piece of a market one has not subscribed
to): a member is never left at a dead end. Django's own 403 view only passes the message
as text, hence `permission_denied`, wired as `handler403` in config/urls.py.
"""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


class Refusal(PermissionDenied):
    def __init__(self, message, *, action_url="", action_label=""):
        super().__init__(message)
        self.message = message
        self.action_url = action_url
        self.action_label = action_label


def permission_denied(request, exception=None, template_name="403.html"):
    refusal = exception if isinstance(exception, Refusal) else None
    if refusal is None and exception is not None and exception.args and isinstance(exception.args[0], str):
        refusal = Refusal(exception.args[0])  # a sentence without a next step: the page adds the usual ones
    response = TemplateResponse(request, template_name, {"refusal": refusal}, status=403)
    return response.render()
