"""Real HTTP servers for the tests: any WSGI app on a free loopback port, in a thread, with a
switch that cuts it off from its clients (a phone losing its signal)."""
from __future__ import annotations

import contextlib
import socket
import threading


class NetworkSwitch:
    """Cuts a test server off from its clients for real, and puts it back.

    While cut, every new connection is closed as soon as it is accepted and the open keep-alive
    connections are shut, so nothing a browser sends can reach the app. Chromium's offline
    emulation (context.set_offline) alone is not enough: once, in CI, a page reloaded through the
    service worker posted to the server while "offline". `refused` counts what the cut stopped.
    """

    def __init__(self, server):
        self.up = True
        self.refused = 0
        self._open: set = set()
        self._lock = threading.Lock()
        process, shutdown = server.process_request, server.shutdown_request

        def process_request(request, client_address):
            with self._lock:
                self._open.add(request)
            process(request, client_address)

        def shutdown_request(request):
            with self._lock:
                self._open.discard(request)
            shutdown(request)

        def verify_request(request, client_address):
            if not self.up:
                self.refused += 1
            return self.up

        server.process_request, server.shutdown_request = process_request, shutdown_request
        server.verify_request = verify_request

    def cut(self) -> None:
        self.up = False
        with self._lock:
            open_now = list(self._open)
        for sock in open_now:  # wakes the handler thread blocked reading the next request
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def restore(self) -> None:
        self.up = True


@contextlib.contextmanager
def serve_in_thread(wsgi_app):
    """Any WSGI app served over HTTP on a free loopback port, in a thread.

    Yields (base URL, its NetworkSwitch)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    switch = NetworkSwitch(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", switch
    finally:
        server.shutdown()
        thread.join(timeout=5)
