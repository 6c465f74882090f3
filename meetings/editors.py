"""The Editors group: exactly the permissions on the record's models, nothing on accounts.

Editors add, change, delete and view the record (council and meetings: states, terms,
presidencies, sources, events and all they hold, readers' correction reports, the
recent changes). Users, groups and permissions are for superusers. The group is made by
migration 0006_history and set again after every migrate, so that a model added later
is covered and the group never drifts.
"""

from django.db import DEFAULT_DB_ALIAS

EDITORS = "Editors"
RECORD_APPS = ["council", "meetings"]
# Not the record: the history's own tables (written only by triggers) and the version counter.
NOT_EDITED = {"recordversion"}


def record_permissions(apps, using=DEFAULT_DB_ALIAS):
    Permission = apps.get_model("auth", "Permission")
    return (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=RECORD_APPS)
        .exclude(content_type__model__endswith="event")
        .exclude(content_type__model__in=NOT_EDITED)
    )


def sync_editors_group(apps, using=DEFAULT_DB_ALIAS):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    group.permissions.set(record_permissions(apps, using))
    return group


def after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    from django.apps import apps as global_apps

    sync_editors_group(global_apps, using)
