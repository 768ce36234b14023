"""Two app processes (gunicorn) on one database and one Redis cache, as behind a load balancer: a
change made through one is seen at once through the other, cached figures included (with a cache
local to each process, the other would show the old figures for up to a minute)."""

import re
import socket
from urllib.parse import urlsplit

import pytest

from .conftest import (
    ADMIN_PASSWORD,
    Gunicorn,
    database_url_for,
    drop_postgres,
    postgres_url,
    prepare_site,
    production_env,
)

REDIS = ("127.0.0.1", 6379)
REDIS_DATABASE = 13
AGREEMENT = "GON-2023-SANTE-443"


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    if not redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379")
    import redis

    redis.Redis(*REDIS, db=REDIS_DATABASE).flushdb()
    data_dir = tmp_path_factory.mktemp("two")
    database_url = database_url_for(data_dir, "two_processes")
    env = production_env(
        data_dir, database_url, SHIRAKA_REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DATABASE}"
    )
    prepare_site(env)
    first = Gunicorn(env, data_dir / "first.log", workers=1)
    second = Gunicorn(env, data_dir / "second.log", workers=1)
    yield first, second
    first.stop()
    second.stop()
    redis.Redis(*REDIS, db=REDIS_DATABASE).flushdb()
    if postgres_url():
        drop_postgres(urlsplit(database_url).path.strip("/"))


def agreements_counted(page: str) -> int:
    return int(re.search(r'data-figure="agreements">(?:<a[^>]*>)?\s*(\d+)', page).group(1))


def test_a_change_through_one_process_is_seen_at_once_through_the_other(two_processes):
    first, second = two_processes
    writer = first.client()
    writer.login("demo", ADMIN_PASSWORD)
    reader = second.client()
    reader.cookies = dict(writer.cookies)  # one session, kept in the shared database

    before = reader.get("/fr/agreements/")
    assert before.status == 200
    counted = agreements_counted(before.text)
    assert agreements_counted(reader.get("/fr/agreements/").text) == counted  # now cached

    status_page = f"/fr/agreements/{AGREEMENT}/status/"
    version = re.search(r'name="version" value="(\d+)"', writer.get(status_page).text).group(1)
    saved = writer.post(
        status_page, {"status": "cancelled", "reason": "Signée deux fois", "version": version}
    )
    assert saved.status == 302, saved.text[:2000]

    after = reader.get("/fr/agreements/")
    assert agreements_counted(after.text) == counted - 1, "a cancelled agreement counts in no figure"
    assert agreements_counted(writer.get("/fr/agreements/").text) == counted - 1
    for server in (first, second):
        assert "Traceback" not in server.log()
