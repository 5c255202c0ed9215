"""The cost of reading the editable support scale once per request: GET /api/lists with the read on and off, in turns.

    python -m scripts.bench.scale_read
"""
import tempfile, time, statistics
from pathlib import Path
from app import create_app, db as dbmod
from app.models import User
from werkzeug.security import generate_password_hash
tmp = Path(tempfile.mkdtemp())
app = create_app({"DATABASE_URL": f"sqlite:///{tmp/'x.db'}", "SECRET_KEY": "x", "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
dbmod.create_all(app)
with dbmod.session_scope(app) as s:
    s.add(User(email="a@b.c", roles="canvasser", password_hash=generate_password_hash("x"*12, method="pbkdf2:sha256:1000")))
c = app.test_client(); c.post("/login", data={"email": "a@b.c", "password": "x"*12})
# a scale row so the overlay has something to read
from app.models import SupportValue
with dbmod.session_scope(app) as s:
    s.add(SupportValue(value="1", label="Strong", leaning="supporter", position=1))
def run(n=400):
    ts=[]
    for _ in range(n):
        t=time.perf_counter(); c.get("/api/lists"); ts.append(time.perf_counter()-t)
    return statistics.median(ts)*1000
overlay = app.extensions["legwork_settings_overlay"]
for i in range(3):
    app.extensions["legwork_settings_overlay"] = overlay; a = run()
    app.extensions["legwork_settings_overlay"] = None; b = run()
    print(f"with the scale read {a:.3f} ms, without {b:.3f} ms, +{a-b:.3f} ms")
