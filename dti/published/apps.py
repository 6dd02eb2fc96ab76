from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishedConfig(AppConfig):
    name = "dti.published"
    verbose_name = _("Kết quả Bộ công bố")
