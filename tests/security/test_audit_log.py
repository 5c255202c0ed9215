"""Organisers can read the audit log; sign-ins, role changes and exports are on it."""
from app.audit import audit


def test_organiser_reads_the_audit_log_and_filters_it(client, auth, db):
    auth.login_as("organiser")
    audit(db, action="export.outcomes", actor_label="someone@example.org", detail={"rows": 3})
    db.commit()
    page = client.get("/organiser/audit").get_data(as_text=True)
    assert "auth.login" in page and "export.outcomes" in page
    filtered = client.get("/organiser/audit?action=export").get_data(as_text=True)
    assert "export.outcomes" in filtered and "<td>auth.login</td>" not in filtered


def test_volunteers_cannot_read_the_audit_log(client, auth):
    auth.login_as("canvasser caller")
    assert client.get("/organiser/audit").status_code == 403
