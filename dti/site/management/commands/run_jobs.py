"""Run the scheduled jobs once, in process: deadline reminders and due platform pulls."""

from django.core.management.base import BaseCommand

from dti.connectors.jobs import pull_due
from dti.notifications.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Chạy một lần các việc định kỳ: nhắc hạn nhập liệu, lấy dữ liệu từ các nền tảng đến hạn."

    def handle(self, *args, **options):
        sent = send_deadline_reminders()
        pulled = pull_due()
        self.stdout.write(f"Đã gửi {sent} lời nhắc hạn; đã lấy dữ liệu {pulled} lần từ các nền tảng.")
