"""Test settings: the real settings module, fed the environment a test run needs."""

import os
import tempfile

os.environ.setdefault("SHIRAKA_SECRET_KEY", "tests-only-secret-key")
os.environ["SHIRAKA_DEBUG"] = "1"
os.environ["SHIRAKA_DATA_DIR"] = tempfile.mkdtemp(prefix="shiraka-tests-")
if os.environ.get("SHIRAKA_TEST_ON_DATABASE_URL"):
    os.environ["SHIRAKA_DATABASE_URL"] = os.environ["SHIRAKA_TEST_ON_DATABASE_URL"]
else:
    os.environ["SHIRAKA_DATABASE_URL"] = "sqlite:///shiraka.sqlite3"

from shiraka.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
