"""Scheduled jobs for ``manage.py rqcron dti.site.cron`` (``make cron``); without Redis, ``manage.py run_jobs``
(from the system's cron, or once by ``make run``) does the same in process."""

from rq import cron

from dti.connectors.jobs import pull_due
from dti.notifications.reminders import send_deadline_reminders

cron.register(send_deadline_reminders, "default", cron="0 7 * * *", name="nhac-han-nhap-lieu")  # 07:00 daily
cron.register(pull_due, "default", interval=300, name="lay-du-lieu-nen-tang")  # every 5 minutes
