import json

import pytest

from app.models import Neighbourhood
from sqlmodel import select

from tests.support.maps import record


@pytest.fixture
def city(db, make_ward, make_household, make_walk_list, make_user):
    """A ward of two neighbourhoods with a known mix of outcomes, written through record_contacts.

    Neighbourhood 1 (4 doors): a knocked twice (not home, then spoke, supporter), b not home,
    c phone spoke, d untouched. Neighbourhood 2 (3 doors): e do-not-contact at the door,
    f phone no answer then door refused (against), g untouched.
    """
    ward = make_ward("W9", neighbourhoods=2)
    hoods = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.code)).all()
    volunteer = make_user(roles="canvasser", name="Vera Volunteer")
    h = {}
    for name, hood, lon in (("a", 0, -71.119), ("b", 0, -71.118), ("c", 0, -71.117), ("d", 0, -71.116),
                            ("e", 1, -71.109), ("f", 1, -71.108), ("g", 1, -71.107)):
        h[name] = make_household(ward, neighbourhood_id=hoods[hood].id, lon=lon, lat=42.37,
                                 house_number=str(10 + len(h)))
    walk = make_walk_list([h["a"], h["b"], h["c"], h["d"]], name="W9 · 1", assign_to=volunteer, ward=ward)
    walk.hull = json.dumps({"type": "Polygon", "coordinates": [[[-71.12, 42.36], [-71.115, 42.36],
                                                                 [-71.115, 42.38], [-71.12, 42.36]]]})
    walk.neighbourhood_id = hoods[0].id
    db.add(walk)
    db.commit()
    record(db, h["a"], "not_home", walk_list=walk, user=volunteer)
    record(db, h["a"], "spoke", walk_list=walk, user=volunteer, support="1")
    record(db, h["b"], "not_home", walk_list=walk, user=volunteer)
    record(db, h["c"], "spoke", channel="phone")
    record(db, h["e"], "do_not_contact")
    record(db, h["f"], "no_answer", channel="phone")
    record(db, h["f"], "refused", support="5")
    return {"ward": ward, "hoods": hoods, "h": h, "walk": walk, "volunteer": volunteer}

