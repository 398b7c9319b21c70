"""Content-Security-Policy (django-csp): the site's own files only, no inline code.

The public site and the member area run only scripts and styles served from the site
(static/), so an injected `<script>`, `style=""` or `onclick=""` does not run. Wagtail's
admin (/admin/) still writes inline scripts and styles: under that prefix only, the same
policy also allows 'unsafe-inline' for scripts and styles (editors are trusted staff).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {
                **(parts.update or {}),
                "script-src": [UNSAFE_INLINE],
                "style-src": [UNSAFE_INLINE],
                "img-src": ["blob:"],
            }
        return parts
