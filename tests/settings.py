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

# Every query compiled once is compared with the query built for its key (core.querying).
SHIRAKA_CHECK_PREPARED = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405


class UndefinedTemplateVariable(str):
    """Django formats `string_if_invalid` with the variable's name when it holds "%s": raising there
    makes every undefined variable a test failure instead of a silently empty spot on a page.
    (`{% if %}` and filters given a default still see an undefined variable as empty.)"""

    def __contains__(self, item):
        return item == "%s"

    def __mod__(self, name):
        raise NameError(f"Undefined template variable: {name}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UndefinedTemplateVariable("%s")  # noqa: F405
