"""Workbooks for people: the entry template (out and back in) and the ranking table.

Plain Python + openpyxl, no Django: the ``dti`` command builds and reads the same files as the
web application, which only adds permissions, validation through the entry form's service and
saving.
"""
