"""Real headless Chromium (Debian's) for dash_duo, with the closed-network flags this environment needs."""
import os
from pathlib import Path

import pytest
from selenium.webdriver.chrome.options import Options

from dashboard.services.accounts import add_user
from tests.conftest import now_utc

os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WALL_USER, WALL_PASSWORD = "wall", "wall-password"


def pytest_setup_options():
    options = Options()
    for arg in ("--headless=new", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1920,1080",
                "--force-device-scale-factor=1", "--lang=zh-CN"):
        options.add_argument(arg)
    return options


@pytest.fixture
def wall_user(services):
    with services.db.write() as session:
        add_user(session, WALL_USER, WALL_PASSWORD, "viewer", now_utc())
    return WALL_USER, WALL_PASSWORD


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def second_browser(tmp_path):
    """Another headless Chromium with its own profile (a wall beside the dispatcher's console)."""
    from selenium import webdriver
    options = pytest_setup_options()
    options.binary_location = os.environ["DASH_TEST_CHROMEPATH"]
    for arg in ("--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    yield driver
    driver.quit()
