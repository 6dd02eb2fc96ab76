from django.apps import AppConfig


class ExcelConfig(AppConfig):
    name = "dti.excel"
    label = "excel"
    verbose_name = "Excel"
