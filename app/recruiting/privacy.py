"""Subject access for a volunteer (``flask export-volunteer``): their account, what they told us
at sign-up, and everything recruiting holds about them. Their recruits appear as ids and first
name and initial, as the volunteer sees them on "My 10"."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..errors import NotFound
from ..models import RecruitCode, User, VolunteerProfile, WelcomeNudge
from .codes import display, short_name


def export_volunteer(session: Session, *, user_id: int) -> dict:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no account with id {user_id}")
    profile = session.get(VolunteerProfile, user_id)
    code = session.get(RecruitCode, user_id)
    recruits = session.execute(sa.select(User.id, User.name).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
                               .where(VolunteerProfile.recruited_by_id == user_id).order_by(User.id)).all()
    nudges = session.exec(select(WelcomeNudge).where(sa.or_(WelcomeNudge.recruiter_id == user_id,
                                                            WelcomeNudge.recruit_id == user_id))
                          .order_by(WelcomeNudge.sent_at)).all()
    return {
        "account": user.model_dump(include={"id", "email", "name", "phone", "roles", "is_active", "created_at",
                                            "last_login_at"}),
        "sign_up": profile.model_dump(exclude={"user_id", "lat", "lon"}) if profile else None,
        "recruiting": {
            "code": display(code.code) if code else None,
            "recruited_by": profile.recruited_by_id if profile else None,
            "recruits": [{"id": r.id, "name": short_name(r.name)} for r in recruits],
            "welcomes_sent": [{"to": n.recruit_id, "at": n.sent_at} for n in nudges if n.recruiter_id == user_id],
            "welcomes_received": [{"from": n.recruiter_id, "at": n.sent_at} for n in nudges if n.recruit_id == user_id],
        },
    }
