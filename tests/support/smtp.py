"""A real SMTP server in this process (aiosmtpd), and what it received.

One server runs for the whole test session; every app the tests build sends to it, so mail is
always really sent over SMTP. The ``smtp`` fixture empties the inbox for its test."""
from __future__ import annotations

import email
import email.policy
import re
import socket
import threading

from aiosmtpd.controller import Controller

URL = re.compile(r"https?://[^\s<>\"]+")


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.refuse = False   # answer every message with a permanent failure (a broken relay)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 Transaction failed (a test refused it)"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
        self.refuse = False

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for m in self.messages if address.lower() in m["To"].lower()]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @classmethod
    def links(cls, message) -> list[str]:
        return URL.findall(cls.body(message))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp() -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox
