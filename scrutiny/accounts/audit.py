"""Models whose every create, update and delete is kept in the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from scrutiny.accounts.models import LinkAssignment, Organisation, User

auditlog.register(Organisation)
auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(LinkAssignment)
