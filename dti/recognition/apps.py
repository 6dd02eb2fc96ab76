from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "dti.recognition"
    verbose_name = _("Xét công nhận mức độ chuyển đổi số")
