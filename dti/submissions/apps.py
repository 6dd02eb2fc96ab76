from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "dti.submissions"
    verbose_name = _("Số liệu đơn vị")
