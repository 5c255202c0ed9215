"""What one door knock costs in-process: a signed-in canvasser POSTs single-outcome batches to
/api/outcomes through the whole app (session, CSRF, access check, validation, the write and its
folds) on a fresh SQLite file, with Flask's test client instead of a socket.

    .venv/bin/python -m scripts.bench.post_cost --posts 300            # CPU seconds per post
    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p .venv/bin/python -m scripts.bench.post_cost --posts N

Instruction counts (callgrind) do not depend on what else the machine is doing, so two trees can
be compared on a busy machine: run with --posts 50 and --posts 350 and divide the difference by
300. The script only uses what every version of Legwork since the phone API has (the models, the
login form, the CSRF header), so the same file measures an older checkout: run it from that
checkout's root with PYTHONPATH=. so its `app` is imported.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

DOORS = 400
PASSWORD = "load test password"


def build(app) -> tuple[str, int, list[int]]:
    """A canvasser holding one list of DOORS doors: (email, list id, household ids)."""
    from sqlmodel import Session
    from werkzeug.security import generate_password_hash

    from app import db as dbmod
    from app.models import Assignment, Household, User, WalkList, WalkListDoor

    with app.app_context():
        dbmod.create_all(app)
        with Session(dbmod.engine_for(app)) as session:
            user = User(email="canvasser@example.org", name="Canvasser", roles="canvasser",
                        password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"))
            walk_list = WalkList(name="Bench · 1", code="BENCH1", door_count=DOORS)
            session.add_all([user, walk_list])
            session.flush()
            homes = [Household(street="Elm St", house_number=str(n), lon=-71.11 + n * 1e-5, lat=42.37,
                               building_key=f"b{n}") for n in range(DOORS)]
            session.add_all(homes)
            session.flush()
            session.add_all([WalkListDoor(walk_list_id=walk_list.id, household_id=h.id, position=i)
                             for i, h in enumerate(homes)])
            session.add(Assignment(walk_list_id=walk_list.id, user_id=user.id))
            session.commit()
            return user.email, walk_list.id, [h.id for h in homes]


def _token(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def sign_in(client, email: str) -> str:
    """Through the login form, as a phone does; the CSRF token of a page after sign-in."""
    token = _token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code in (302, 303), answer.status_code
    return _token(client.get("/canvass/").get_data(as_text=True))


def post(client, token: str, walk_list_id: int, household_id: int) -> None:
    body = {"outcomes": [{"id": str(uuid.uuid4()), "household_id": household_id, "code": "not_home",
                          "walk_list_id": walk_list_id,
                          "recorded_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}]}
    answer = client.post("/api/outcomes", json=body, headers={"X-CSRFToken": token})
    assert answer.status_code == 200 and answer.get_json()["results"][0]["status"] == "stored", answer.data[:200]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=300, help="posts after 20 warm-up posts")
    args = parser.parse_args()
    os.environ.setdefault("LEGWORK_ENV", "development")
    from app import create_app

    folder = Path(tempfile.mkdtemp(prefix="legwork-post-cost-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    email, walk_list_id, homes = build(app)
    client = app.test_client()
    token = sign_in(client, email)
    for n in range(20):
        post(client, token, walk_list_id, homes[n % len(homes)])
    started = time.process_time()
    for n in range(args.posts):
        post(client, token, walk_list_id, homes[(20 + n) % len(homes)])
    spent = time.process_time() - started
    print(f"{args.posts} posts, {1000 * spent / max(args.posts, 1):.3f} ms of CPU a post "
          f"(in-process, one thread, {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
