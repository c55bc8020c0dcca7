from django import template

from shortlist import saved

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_state(context, posting):
    """None for a visitor without a session (the page may be shared through the
    page cache: show a link), else whether `posting` is saved."""
    request = context.get("request")
    if request is None or not request.session.session_key:
        return None
    return saved.is_saved(request, posting.pk)
