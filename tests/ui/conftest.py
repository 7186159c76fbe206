import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture(autouse=True)
def close_apps():
    """Stop the image and loading threads of every game a test opened."""
    from harness import OPEN

    yield
    while OPEN:
        OPEN.pop().close()
