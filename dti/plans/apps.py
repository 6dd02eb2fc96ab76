from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "dti.plans"
    verbose_name = _("Kế hoạch nâng cao chỉ số")
