from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "The record"

    def ready(self):
        from meetings.editors import after_migrate

        # Keeps the Editors group exact after every migrate (and after a test flush).
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="meetings_editors_group")
