from django import template

register = template.Library()


@register.filter
def pluralize_fr(value, suffix="s"):
    """French plural: 0 and 1 are singular ("0 marché trouvé"), unlike Django's pluralize."""
    try:
        return suffix if abs(int(value)) > 1 else ""
    except (TypeError, ValueError):
        return ""
