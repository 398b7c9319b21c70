"""How every app puts its viewsets in the Wagtail admin: one call in its wagtail_hooks.py."""

from wagtail.snippets.models import register_snippet


def register_admin(registerable):
    """Register a viewset or a ViewSetGroup (its class, or a callable returning it).

    Wagtail's `register_snippet` registers any viewset or group (it hands it to the admin's
    viewset registry) and is the one way that also registers snippet models in time for
    their permissions and choosers; the `register_admin_viewset` hook would be too late for
    a group holding snippets. So every group goes through here, snippets or not.
    """
    return register_snippet(registerable)
