"""Sessions end (an idle timeout renewed by the requests, an absolute lifetime from the sign-in), and
security events (sign-ins, failures, lockouts, refused uploads, 403s) are logged with the user, the
client's address and the time, never a password."""

import logging
import re
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shiraka.core.uploads import IMAGES, safe_upload
from shiraka.web.kit.security import SIGNED_IN_AT
from tests.accounts.world import ADMINISTRATOR, VIEWER, build_world, user_for
from tests.factories import page_text, url

PASSWORD = "a-long-test-password"


@pytest.fixture
def events(caplog):
    """The records of the security logger, through its own filter (it does not propagate)."""
    from shiraka.web.kit.security_log import RequestContext

    logger = logging.getLogger("shiraka.security")
    caplog.handler.addFilter(RequestContext())
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="shiraka.security")
    yield caplog
    logger.removeHandler(caplog.handler)


def messages(records) -> list[str]:
    return [f"{r.getMessage()} user={r.user} address={r.address}" for r in records]


def test_idle_timeout_is_renewed_by_requests_once_a_minute_at_most(client, reference):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shiraka.web.kit.security import RENEWED_AT

    def expiry():  # as stored: what ends the session
        return Session.objects.get(session_key=client.session.session_key).expire_date

    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60 and settings.SHIRAKA_SESSION_RENEW_SECONDS == 60
    client.force_login(user_for(ADMINISTRATOR, build_world()))
    client.get(url("dashboard"))
    first = expiry()
    time.sleep(1.1)
    with CaptureQueriesContext(connection) as context:
        client.get(url("dashboard"))
    # Read again within the minute: nothing written, the same expiry.
    assert not [q for q in context.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert expiry() == first
    session = client.session
    session[RENEWED_AT] = time.time() - 61
    session.save()
    saved = expiry()
    time.sleep(1.1)
    client.get(url("dashboard"))  # a minute after the last renewal: renewed
    assert expiry() > saved


def test_absolute_lifetime_ends_an_active_session(client, reference, events):
    user = user_for(ADMINISTRATOR, build_world())
    client.force_login(user)
    assert client.get(url("people")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SHIRAKA_SESSION_MAX_AGE - 60
    session.save()
    response = client.get(url("people"))
    assert response.status_code == 302 and url("login") in response["Location"]
    assert any("absolute lifetime" in m and f"user={user.username}" in m for m in messages(events.records))


def test_sign_ins_failures_and_lockouts_are_logged_without_password(client, reference, events):
    user = user_for(VIEWER, build_world())
    user.set_password(PASSWORD)
    user.save()
    signed = client.post(
        url("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    assert signed.status_code == 302
    client.logout()
    for attempt in range(6):
        client.post(
            url("login"),
            {"username": user.username, "password": f"wrong-{attempt}-secret"},
            REMOTE_ADDR="198.51.100.9",
        )
    logged = messages(events.records)
    assert f"sign-in user={user.username} address=198.51.100.4" in logged
    assert sum(m == f"sign-in failed user={user.username} address=198.51.100.9" for m in logged) >= 5
    assert any(m.startswith("locked out") and "198.51.100.9" in m for m in logged)
    text = "\n".join(logged) + "".join(str(r.__dict__) for r in events.records)
    assert PASSWORD not in text and "wrong-0-secret" not in text
    formatted = logging.Formatter(settings.LOGGING["formatters"]["security"]["format"]).format(
        events.records[0]
    )
    assert formatted[:4].isdigit() and "user=" in formatted and "address=" in formatted  # the time first


def test_forbidden_and_refused_upload_are_logged_with_the_user(client, reference, events):
    world = build_world()
    viewer = user_for(VIEWER, world)
    client.force_login(viewer)
    assert (
        client.get(url("agreement_edit", world.agreement.reference), REMOTE_ADDR="192.0.2.8").status_code
        == 403
    )
    from shiraka.web.kit.security_log import current_request

    class Request:  # a refused upload inside a request of this user
        user = viewer
        META = {"REMOTE_ADDR": "192.0.2.8"}

    token = current_request.set(Request())
    try:
        with pytest.raises(ValidationError):
            safe_upload(SimpleUploadedFile("photo.png", b"MZ not an image at all"), allowed=IMAGES)
    finally:
        current_request.reset(token)
    logged = messages(events.records)
    edit = url("agreement_edit", world.agreement.reference)
    assert f"forbidden: GET {edit} user={viewer.username} address=192.0.2.8" in logged
    assert any(m.startswith("upload refused") and f"user={viewer.username}" in m for m in logged)


def test_forgotten_password_by_e_mail(client, reference, mailoutbox):
    user = user_for(VIEWER, build_world())
    user.email = "nadia@example.ma"
    user.set_password(PASSWORD)
    user.save()
    assert "password/forgotten" in client.get(url("login")).content.decode()

    # An unknown address gets the same answer and no mail: no way to test which addresses exist.
    unknown = client.post(url("password_forgotten"), {"email": "nobody@example.ma"})
    assert unknown.status_code == 302 and unknown["Location"] == url("password_forgotten_sent")
    assert mailoutbox == []

    sent = client.post(url("password_forgotten"), {"email": "NADIA@example.ma"})
    assert sent["Location"] == url("password_forgotten_sent")
    assert "Lien envoyé" in page_text(client.get(url("password_forgotten_sent")))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nadia@example.ma"]
    link = re.search(r"https?://[^/\s]+(/\S+/reset/\S+/)", mailoutbox[0].body).group(1)
    assert user.username in mailoutbox[0].body and PASSWORD not in mailoutbox[0].body

    choose = client.get(link, follow=True)
    assert choose.status_code == 200
    form_url = choose.redirect_chain[-1][0] if choose.redirect_chain else link
    new = "another-long-passphrase-2025"
    saved = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert (
        client.get(link, follow=True).status_code == 200
    )  # used once: the page now says the link is invalid
    user.refresh_from_db()
    assert user.check_password(new)


def test_the_forgotten_password_form_sends_a_few_mails_at_most(client, reference, mailoutbox, events):
    user = user_for(VIEWER, build_world())
    user.email = "samira@example.ma"
    user.save()
    for _ in range(6):
        answer = client.post(url("password_forgotten"), {"email": user.email})
        # The same answer every time: the visitor learns nothing from being refused.
        assert answer.status_code == 302 and answer["Location"] == url("password_forgotten_sent")
    assert len(mailoutbox) == 3
    assert any(m.startswith("password reset refused: too many requests") for m in messages(events.records))
