"""Who may do what in the admin.

Editors (superusers and members of the "Editors" group) manage every company
and posting and are the only ones who publish. Every other staff user, in
practice a member of the "Recruiters" group, works only on the companies whose
`recruiters` list them. The groups and their model permissions are created by
the migration companies/0002_editor_and_recruiter_groups.
"""

EDITORS = "Editors"
RECRUITERS = "Recruiters"


def is_editor(user):
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: the admin asks many times per request.
    cached = getattr(user, "_is_internboard_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS).exists()
        user._is_internboard_editor = cached
    return cached
