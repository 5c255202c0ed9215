"""Organisers can read the audit log; sign-ins, role changes and exports are on it."""
import re

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


def test_audit_log_pages_keep_the_filter(client, auth, db, monkeypatch):
    from app.organiser import views_audit

    monkeypatch.setattr(views_audit, "PAGE_SIZE", 2)
    auth.login_as("organiser")
    for n in range(5):
        audit(db, action="export.outcomes", actor_label=f"exporter{n}@example.org")
    db.commit()
    first = client.get("/organiser/audit?action=export").get_data(as_text=True)
    assert "exporter4@" in first and "exporter2@" not in first
    assert links(first) == {"Older": {"action=export", "page=2"}}
    second = client.get("/organiser/audit?action=export&page=2").get_data(as_text=True)
    assert "exporter2@" in second and "exporter4@" not in second
    assert links(second) == {"Newer": {"action=export", "page=1"}, "Older": {"action=export", "page=3"}}
    last = client.get("/organiser/audit?action=export&page=3").get_data(as_text=True)
    assert "exporter0@" in last and links(last) == {"Newer": {"action=export", "page=2"}}


def links(page: str) -> dict[str, set[str]]:
    """The pager's links: label -> the query's key=value pairs."""
    return {label: set(query.split("&amp;")) for query, label in
            re.findall(r'href="/organiser/audit\?([^"]*)">(Newer|Older)</a>', page)}
