import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data once per run: every test's transaction rolls back on top of it."""
    from shiraka.organisations.services import reference_load

    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached figures never leak from one test's (rolled back) data into the next."""
    from django.conf import settings

    if not settings.configured:  # pure-Python tests run without Django (`-p no:django`)
        yield
        return
    from django.core.cache import cache

    from shiraka.core.cache import memo_clear

    cache.clear()
    memo_clear()
    yield
    cache.clear()
    memo_clear()


@pytest.fixture
def reference(db):
    """Regions, provinces, communes, facility types and institutions (reloaded if a
    transactional test flushed them)."""
    from shiraka.organisations.services import reference_load
    from shiraka.territory.models import Region

    if not Region.objects.exists():
        reference_load()


@pytest.fixture
def seeds(reference):
    from shiraka.demo.services import demo_load, demo_user_ensure

    user, _ = demo_user_ensure()
    demo_load(by=user)
    return user


@pytest.fixture
def user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("secretariat", password="a-long-test-password")
