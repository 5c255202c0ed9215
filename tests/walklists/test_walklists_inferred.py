"""A street network inferred from the doors: a route goes from one street to another only where
they meet, never through the back yards between two parallel streets."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from walklists import order_route
from walklists.inferred import infer_network

from .test_walklists_network import assert_walks_the_streets, door


def lines_meet(net, a: str, b: str) -> bool:
    ends = {name: {v for ln in net.lines if ln.name == name for v in ln.coords} for name in (a, b)}
    return bool(ends[a] & ends[b])


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 12), st.integers(3, 12), st.integers(2, 5), st.floats(0, 60))
def test_parallel_streets_are_joined_only_through_the_cross_street(n_a, n_b, n_c, crossing_m):
    # A Street and B St run east, 80 m apart (back yards between); C Road joins them at the west end
    doors = [door(f"a{i}", 40 + 30 * i, 8 * (-1) ** i, "A Street", i + 1) for i in range(n_a)]
    doors += [door(f"b{i}", 40 + 30 * i, 80 + 8 * (-1) ** i, "B St", i + 1) for i in range(n_b)]
    doors += [door(f"c{i}", 8 * (-1) ** i, 10 + 60 * i / max(n_c - 1, 1), "C Road", i + 1) for i in range(n_c)]
    net = infer_network(doors)
    assert lines_meet(net, "A Street", "C Road") and lines_meet(net, "B St", "C Road")
    assert not lines_meet(net, "A Street", "B St")
    route = order_route(doors, network=net, crossing_m=crossing_m)
    assert sorted(d.id for d in route.doors) == sorted(d.id for d in doors)
    assert_walks_the_streets(route, net.lines, doors)
    # the far ends of A and B are 80 m apart across the yards; walked, it is round by C Road
    for x, y in zip(route.doors, route.doors[1:]):
        assert {x.street, y.street} != {"A Street", "B St"} or route.length_m > 2 * 40


def test_house_number_order_draws_the_street_down_its_middle():
    doors = [door(f"d{i}", 10 * i, 8 if i % 2 else -8, "Main St", i + 1) for i in range(10)]
    net = infer_network(doors)
    assert len(net.lines) == 1
    ys = [round((lat - 42.37) * 111_195.0, 1) for _, lat in net.lines[0].coords[1:-1]]
    assert all(abs(y) < 0.2 for y in ys)  # between the odd and the even side
    # busy: the sides change only round the ends of the street (its first and last doors stand on the
    # line's ends); quiet: it zig-zags across the middle
    assert order_route(doors, network=net, crossing_m=200).crossings == 0
    assert order_route(doors, network=net, crossing_m=0).crossings > 3
