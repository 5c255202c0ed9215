"""Many requests at the same moment: threads held at a barrier, then let go together."""
from __future__ import annotations

import threading


def run_together(worker, args) -> list[BaseException]:
    """``worker(arg)`` for every arg in its own thread, all released at once; the errors they raised
    (reported by the test, not lost in a thread). A thread still running after 120 s fails."""
    barrier = threading.Barrier(len(args))
    errors: list[BaseException] = []

    def run(arg):
        try:
            barrier.wait(timeout=30)
            worker(arg)
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors
