"""{% capture as name %}…{% endcapture %}: a block drawn into a variable instead of the page.

A cached fragment varies on what it contains that is the reader's own: the market page
draws its reader's fee estimate first, then its cached body varies on it and shows it
where it belongs."""

from django import template

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = self.nodelist.render(context)  # safe: the block's own escaping applied
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage : {% capture as nom %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
