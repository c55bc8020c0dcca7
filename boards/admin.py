"""The "Sync board now" action on the company admin.

The board fields (ats, board_token, last sync time and result) belong to
Company and are shown by listings/company_admin.py, editable by editors only. The
action needs this app's code, and `companies` must not import it, so this app
adds the action to the registered company admin when Django starts. A proxy
model with an admin of its own would have shown the same companies twice, with
permissions of their own for editors to be given; one page per company, the
one editors already use, is clearer.
"""

from django.contrib import admin, messages

from listings.company_admin import CompanyAdmin

from . import sync


@admin.action(description="Sync board now")
def sync_board_now(modeladmin, request, queryset):
    companies = list(queryset.exclude(ats="").exclude(board_token=""))
    if not companies:
        modeladmin.message_user(
            request, "None of the selected companies has a job board set.", messages.WARNING
        )
        return
    report = sync.sync(companies)
    for slug, source, reason in report.failed:
        modeladmin.message_user(request, f"{slug} ({source}) failed: {reason}", messages.ERROR)
    modeladmin.message_user(
        request,
        f"Board sync: {report.summary()}",
        messages.ERROR if report.failed else messages.SUCCESS,
    )


if sync_board_now not in CompanyAdmin.actions:
    CompanyAdmin.actions = [*CompanyAdmin.actions, sync_board_now]
