from django.core.management.base import BaseCommand

from shortlist.sending import send_alerts


class Command(BaseCommand):
    help = (
        "Mail every confirmed alert the internships published since its last mail "
        "(at most one mail a day per alert), and delete the addresses of alerts "
        "unsubscribed or unconfirmed for 30 days. Run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the run as a background task for `manage.py db_worker` instead",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from shortlist.tasks import send_alerts_task

            send_alerts_task.enqueue()
            self.stdout.write("queued send_alerts")
            return
        report = send_alerts()
        self.stdout.write(
            f"send_alerts: {report.sent} mailed, {report.nothing_new} with nothing new, "
            f"{report.failed} failed, {report.searches} distinct searches, "
            f"{report.deleted} old alerts deleted"
        )
        if report.failed:
            self.stderr.write(f"send_alerts: not sent (retried next run): {report.failures[:20]}")
