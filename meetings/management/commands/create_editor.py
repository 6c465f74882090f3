import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.editors import EDITORS


class Command(BaseCommand):
    help = ("Create an editor: a staff account in the Editors group, which may change the record but not accounts. "
            "Asks for the user name and password, or reads EDITOR_USER and EDITOR_PASSWORD.")

    def handle(self, *args, **options):
        username = os.environ.get("EDITOR_USER") or input("User name: ").strip()
        password = os.environ.get("EDITOR_PASSWORD")
        if not username:
            raise CommandError("Give a user name.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account named {username!r}; pick another name.")
        user = User(username=username, is_staff=True)
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was created.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password was refused: " + " ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(self.style.SUCCESS(
            f"Created editor {username!r} (Editors group). Log in at /admin/ to correct the record."))
