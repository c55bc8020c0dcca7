"""{% reuse posting "name" [value ...] %}...{% endreuse %}: the enclosed HTML,
built once per version of `posting` (and the values given) and reused by
later pages, signed-in visitors' included (listings/fragments.py says when a
kept piece is exact). Nothing per visitor may be inside: the Save control
and anything with a CSRF token stay outside."""

from django import template
from django.utils.safestring import mark_safe

from listings import fragments

register = template.Library()


def _part(value):
    return "" if value is None else str(value)


class ReuseNode(template.Node):
    def __init__(self, nodelist, posting, parts):
        self.nodelist = nodelist
        self.posting = posting
        self.parts = parts

    def render(self, context):
        posting = self.posting.resolve(context)
        parts = tuple(_part(part.resolve(context)) for part in self.parts)
        html = fragments.get_or_build(
            posting, parts, lambda: self.nodelist.render(context), share=True
        )
        return mark_safe(html)


@register.tag
def reuse(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a posting and a name")
    nodelist = parser.parse(("endreuse",))
    parser.delete_first_token()
    return ReuseNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
