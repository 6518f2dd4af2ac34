"""server/settings.py: what `mc admin config set` may change, parsed and refused as it should be,
and the scanner's live settings (command line over stored over default)."""

from __future__ import annotations

import math

import pytest

from cairn.engine.api import ObjectLayer
from cairn.server import settings
from cairn.server.context import ServerConfig
from cairn.server.scanner import live_settings, step_pause


def test_parse_accepts_what_is_served() -> None:
    assert settings.parse("scanner speed=slow\n# a comment\n\nheal bitrotscan=off") == {
        "scanner": {"speed": "slow"}, "heal": {"bitrotscan": "off"}}
    assert settings.parse('heal bitrotscan="12h"') == {"heal": {"bitrotscan": "12h"}}


@pytest.mark.parametrize("text", [
    "", "scanner", "scanner speed", "scanner speed=", "scanner speed=warp9", "scanner delay=10",
    "notify_webhook enable=on", "heal bitrotscan=-5d", "heal bitrotscan=nan", "heal bitrotscan=12x",
    'scanner speed="slow', "api requests_max=10",
])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        settings.parse(text)


def test_render_and_intervals() -> None:
    assert settings.render("scanner", settings.current({"speed": "fast", "junk": 1}, "scanner")) == \
        "scanner speed=fast"
    assert settings.bitrot_interval("off") == math.inf
    assert settings.bitrot_interval("on") == 30 * 86400
    assert settings.bitrot_interval("36h") == 36 * 3600


def test_live_settings_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ObjectLayer.open([str(tmp_path / "d")]) as layer:
        assert live_settings(layer, ServerConfig()) == ("default", 30 * 86400)
        layer.iam.put(settings.KIND, "scanner", {"speed": "slowest"})
        layer.iam.put(settings.KIND, "heal", {"bitrotscan": "off"})
        assert live_settings(layer, ServerConfig()) == ("slowest", math.inf)
        given = ServerConfig(scanner_speed="fast", heal_deep_interval=600.0)  # the command line wins
        assert live_settings(layer, given) == ("fast", 600.0)


def test_step_pause() -> None:
    config = ServerConfig(scanner_rate=1000.0)
    assert step_pause(config, "default", 100, 0.05, False) == pytest.approx(0.1)  # the rate
    assert step_pause(config, "slow", 100, 0.05, False) == pytest.approx(0.5)  # 10x the step
    assert step_pause(config, "slowest", 10, 1.0, False) == 15.0  # capped
    assert step_pause(config, "slowest", 100, 1.0, True) == pytest.approx(0.1)  # a replaced drive
