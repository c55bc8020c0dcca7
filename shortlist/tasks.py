"""send_alerts as a background task (Django's Tasks API, run by `db_worker`), for
deployments that schedule work through the queue rather than cron."""

from django_tasks import task

from .sending import send_alerts


@task()
def send_alerts_task():
    """Mail every confirmed alert its new internships; returns the counts."""
    report = send_alerts()
    return {"sent": report.sent, "failed": report.failed, "deleted": report.deleted}
