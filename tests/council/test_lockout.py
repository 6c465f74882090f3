"""The locked door: failed logins for one user name from one address lock it out for a while."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a long passphrase"


@pytest.fixture
def editor():
    return User.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)


def log_in(client, password, address="192.0.2.10", username="editor"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failed_logins_lock_out_the_user_name_from_that_address(client, editor):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text and "15 minutes" in locked.text
    # Even the right password is refused while locked.
    refused = log_in(client, PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    # Another address is not locked out.
    assert log_in(client, PASSWORD, address="198.51.100.20").status_code == 302


def test_an_administrator_unlocks(client, editor):
    for _ in range(5):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    admin = User.objects.create_superuser("admin", "admin@example.org", "another long passphrase")
    client.force_login(admin)
    attempt = AccessAttempt.objects.get(username="editor")
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "editor" in page.text
    response = client.post("/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk],
                                                          "post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert log_in(client, PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_logs_in(client, editor):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
