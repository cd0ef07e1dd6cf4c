"""SMTP email: one message per notice to the recipients' addresses and the configured `to=` addresses."""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from dashboard.notify.port import DeliveryError, Notice


def email_message(notice: Notice, sender: str, to: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = sender, ", ".join(to)
    message["Subject"] = notice.text.split("：", 1)[0][:80]
    message["Date"] = formatdate(localtime=False)
    # The same Message-ID on every retry: mail systems drop a second copy of one notice.
    message["Message-ID"] = f"<{notice.id.replace(':', '.')}@gridcommand>"
    message["X-GridCommand-Notice"] = notice.id
    names = "、".join(f"{r.name}（{r.phone}）" for r in notice.recipients)
    message.set_content(f"{notice.text}\n\n收件人：{names}\n")
    return message


@dataclass
class SmtpNotifier:
    host: str
    port: int
    sender: str
    to: list[str] = field(default_factory=list)  # always copied (a duty mailbox), besides the recipients' own
    timeout: float = 5.0
    starttls: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    name: str = "smtp"

    def send(self, notice: Notice) -> None:
        to = list(dict.fromkeys([r.email for r in notice.recipients if r.email] + self.to))
        if not to:
            raise DeliveryError("no email address: none of the recipients has one and no to= is configured",
                                permanent=True)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(email_message(notice, self.sender, to))
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"SMTP refused the recipients: {', '.join(exc.recipients)}", permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600  # 5xx: the server will say no again; 4xx: try later
            raise DeliveryError(f"SMTP {exc.smtp_code} {exc.smtp_error!r}", permanent=permanent) from None
        except (smtplib.SMTPException, TimeoutError, OSError) as exc:
            raise DeliveryError(f"SMTP unreachable: {exc}") from None
