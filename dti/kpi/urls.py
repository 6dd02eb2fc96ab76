from django.urls import path
app_name = "kpi"
urlpatterns = []
