from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .french import pluralize_fr

register = template.Library()


@register.simple_tag
def facet_choice(name, value, noun="marché", key=None):
    """One checkbox of a facet (`name`: the GET parameter) with its count of `noun`s.

    Every faceted page draws its choices here ("Tous les marchés", "Produits et prix").
    The checkbox's id ends with the value's slug, or with `key` when values are free text
    that an id cannot hold (a publisher's name has spaces): pass the loop's counter.

    Written here rather than in the template: a catalogue has dozens of them, and the
    template engine resolving each one's ten variables took a third of the page's time.
    """
    return format_html(
        '<div class="choice"><input type="checkbox" id="{name}-{key}" name="{name}" value="{slug}"{checked}>'
        '<label for="{name}-{key}">{label} <span class="count" aria-label="{count} {noun}{plural}">{count}</span>'
        "</label></div>",
        name=name,
        key=value.slug if key is None else key,
        slug=value.slug,
        checked=mark_safe(" checked") if value.selected else "",
        label=value.name,
        count=value.count,
        noun=noun,
        plural=pluralize_fr(value.count),
    )
