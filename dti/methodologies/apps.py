from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodologiesConfig(AppConfig):
    name = "dti.methodologies"
    verbose_name = _("Bộ chỉ số")
