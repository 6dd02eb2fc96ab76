from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dti.documents"
    label = "documents"
    verbose_name = "Văn bản"
