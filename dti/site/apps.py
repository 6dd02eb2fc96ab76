from django.apps import AppConfig


class SiteConfig(AppConfig):
    """Shared web shell: base templates, static files, template tags, cache backend."""

    name = "dti.site"
    label = "dti_site"
    verbose_name = "DTI"
