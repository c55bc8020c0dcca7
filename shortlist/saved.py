"""The saved postings of a visitor, kept in their session (no account).

`request.session["saved"]` maps posting ids (as strings: sessions are JSON)
to {"applied": bool}, in the order they were saved. Sessions are cookies
that point to rows, so the list is capped: nobody tracks more than
MAX_SAVED internships by hand.
"""

from listings import pay

KEY = "saved"
STATE_KEY = "state"
MAX_SAVED = 200


def saved(request):
    """{id (str): {"applied": bool}} without creating a session."""
    if not request.session.session_key:
        return {}
    value = request.session.get(KEY)
    return value if isinstance(value, dict) else {}


def is_saved(request, pk):
    return str(pk) in saved(request)


def toggle(request, pk):
    """Save the posting, or forget it if saved; returns whether it is saved now."""
    items = dict(saved(request))
    key = str(pk)
    if key in items:
        del items[key]
        now_saved = False
    else:
        if len(items) >= MAX_SAVED:
            # The oldest saved posting makes room (dicts keep insertion order).
            del items[next(iter(items))]
        items[key] = {"applied": False}
        now_saved = True
    request.session[KEY] = items
    return now_saved


def toggle_applied(request, pk):
    """Flip the "Applied" mark; saving the posting too if it was not saved."""
    items = dict(saved(request))
    key = str(pk)
    entry = dict(items.get(key) or {"applied": False})
    entry["applied"] = not entry.get("applied")
    items[key] = entry
    request.session[KEY] = items
    return entry["applied"]


def chosen_state(request):
    """The state whose pay the student wants: `?state=` (remembered in the
    session), else the remembered one, else ""."""
    if "state" in request.GET:
        state = pay.normalise_state(request.GET["state"][:10]) or ""
        remembered = request.session.get(STATE_KEY, "") if request.session.session_key else ""
        if state != remembered:
            request.session[STATE_KEY] = state
        return state
    if not request.session.session_key:
        return ""
    return pay.normalise_state(str(request.session.get(STATE_KEY, ""))) or ""
