"""Background board syncs with Django's Tasks API (the django-tasks backport),
run by `python manage.py db_worker` (django-tasks-db)."""

from django_tasks import task

from companies.models import Company

from . import sync


@task()
def sync_board(company_id, dry_run=False):
    """Sync one company's board; returns its summary line (kept with the task's result)."""
    report = sync.sync(Company.objects.filter(pk=company_id), dry_run=dry_run)
    if report.failed:
        slug, source, reason = report.failed[0]
        raise RuntimeError(f"{slug} ({source}) failed: {reason}")
    return report.summary()
