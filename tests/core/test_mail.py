"""app.mail sends through a real SMTP server (aiosmtpd, in-process) and says when it cannot."""
import pytest

from app import mail
from app.mail import MailError


def test_a_message_arrives_over_smtp(app, smtp):
    with app.app_context():
        mail.send(to="vol@example.org", subject="Confirm your email", body="Open https://x.test/confirm/abc")
    [message] = smtp.to("vol@example.org")
    assert message["Subject"] == "Confirm your email"
    assert message["From"] == "Legwork <noreply@legwork.invalid>"
    assert smtp.links(message) == ["https://x.test/confirm/abc"]


def test_a_refusing_server_is_a_mail_error(app, smtp):
    smtp.refuse = True
    with app.app_context(), pytest.raises(MailError, match="vol@example.org"):
        mail.send(to="vol@example.org", subject="s", body="b")
    assert smtp.messages == []


@pytest.mark.parametrize("app", [{"MAIL": {"server": "127.0.0.1", "port": 9}}], indirect=True)
def test_no_server_is_a_mail_error(app):
    with app.app_context(), pytest.raises(MailError, match="could not be sent"):
        mail.send(to="vol@example.org", subject="s", body="b")
