"""Portfolio figures are expensive at national scale and change only when data changes: cache them
under a data version that every write bumps (signals for ordinary saves, `bump_data_version()` for
bulk paths). How long they stay is `figures_seconds()`: long when every process shares the cache (a
write anywhere moves the versions they all read), 60 seconds when each process holds its own, the
bound on how long one process shows figures from before another's write."""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from shiraka.core import kept

VERSION_KEY = "shiraka:data-version"


def figures_seconds() -> int:
    return settings.SHIRAKA_FIGURES_SECONDS


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def bump_data_version(*args, sender=None, **kwargs) -> None:
    _bump(VERSION_KEY)
    # A history row (django-simple-history) is written with the row it records.
    if getattr(sender, "instance_type", sender) not in _REPORTED_BY_AGREEMENT:
        kept.mark({kept.EPOCH: [""]})


def bump_cached_version() -> None:
    """Move the data version alone (figures cached whole), as a write commits: the epoch and the
    parts' versions are in the database and move with the write itself."""
    _bump(VERSION_KEY)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _first_version() + 1, None)


def _first_version() -> int:
    """Where a version starts when the cache holds none (a new cache, or one cleared): never where an
    earlier one stood, so that a key naming a version is never reused for other values (`get_many`)."""
    return time.time_ns()


# Figures kept by part (e.g. by region: `shiraka.reporting.national`) are stale when the epoch moves
# (any write, a bulk path) or when their part's own version does; a new day is in their keys. Saves of
# the models registered here do not move the epoch: their effect on figures is reported per agreement
# instead (`bump_part_versions`, by the layer that keeps the figures), so a transfer in one region
# leaves the other regions' parts as they were. Both live in the database (`shiraka.core.kept`).
_REPORTED_BY_AGREEMENT: set = set()


def report_by_agreement(*models) -> None:
    _REPORTED_BY_AGREEMENT.update(models)


def figures_versions(kinds: list[str]) -> tuple[str, dict[str, dict[str, str]]]:
    """The epoch and, for each kind of part in `kinds`, each part's version: one query."""
    return kept.versions(kinds)


def figures_epoch() -> str:
    return kept.versions([])[0]


def part_versions(kind: str, parts) -> dict:
    """The current version of each part."""
    found = kept.versions([kind])[1][kind]
    return {part: found[part] for part in parts}


def bump_part_versions(kind: str, parts) -> None:
    bump_parts({kind: parts})


def bump_parts(kind_parts: dict) -> None:
    """Move the versions of these parts of each kind, as the current transaction commits: one query."""
    kept.mark({kind: list(parts) for kind, parts in kind_parts.items()})


# `get_many` and `set_many` hold values under keys that name their versions (the epoch, a part's
# version): a value under such a key never changes, and where the key says so (`kept.persisted`) it is
# kept in the database as well. So each process also keeps, as live objects, those
# it read or wrote, for as long as the cache keeps them: a dashboard then unpickles none of its parts.
_KEPT: OrderedDict[str, tuple[float, object]] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEPT_ENTRIES = 64


def get_many(keys, *, stored: bool = True) -> dict:
    """The values under `keys` that this process, the cache or (`stored`, for keys naming versions)
    the database hold."""
    now = time.monotonic()
    found, missing = {}, []
    with _KEPT_LOCK:
        for key in keys:
            entry = _KEPT.get(key)
            if entry is not None and entry[0] > now:
                _KEPT.move_to_end(key)
                found[key] = entry[1]
            else:
                missing.append(key)
    if missing:
        shared = cache.get_many(missing)
        read = kept.read_parts([key for key in missing if key not in shared]) if stored else {}
        if read:
            cache.set_many(read, figures_seconds())
        _keep({**shared, **read}, now)
        found.update(shared)
        found.update(read)
    return found


def set_many(values: dict, *, timeout: int | None = None) -> None:
    """Keep `values` in the cache and this process; those under keys naming versions (`kept.persisted`)
    in the database too."""
    timeout = timeout or figures_seconds()
    cache.set_many(values, timeout)
    kept.keep_parts(values)
    _keep(values, time.monotonic(), timeout)


def kept_by_part(keys: dict, compute: Callable[[list], dict]) -> dict:
    """Each part's value under its key (a key naming the part's version): read where the cache holds
    it, the others computed together by `compute(parts)` ({part: value}) and kept."""
    found = get_many(list(keys.values()))
    missing = [part for part, key in keys.items() if key not in found]
    if missing:
        values = {keys[part]: value for part, value in compute(missing).items()}
        set_many(values)
        found.update(values)
    return {part: found[key] for part, key in keys.items()}


def _keep(values: dict, now: float, timeout: int | None = None) -> None:
    timeout = timeout or figures_seconds()
    with _KEPT_LOCK:
        for key, value in values.items():
            _KEPT[key] = (now + timeout, value)
            _KEPT.move_to_end(key)
        while len(_KEPT) > KEPT_ENTRIES:
            _KEPT.popitem(last=False)


def cached_figures(name: str, scope: str, compute: Callable, *, timeout: int | None = None):
    """`compute()` once per data version, scope and language."""
    from shiraka.core.rules import today

    # A scope may carry a whole query string: hashed, the key stays short and safe for any cache backend.
    digest = hashlib.sha256(scope.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"shiraka:figures:{data_version()}:{name}:{digest}:{get_language()}:{today().isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout or figures_seconds())
    return value


def connect_invalidation() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for app_label in ("territory", "organisations", "agreements", "projects", "followup"):
        for model in apps.get_app_config(app_label).get_models():
            if getattr(model, "derived_from_rows", False):
                continue  # written only with the rows it is computed from, which bump the version
            post_save.connect(bump_data_version, sender=model, dispatch_uid=f"bump-save-{model._meta.label}")
            post_delete.connect(
                bump_data_version, sender=model, dispatch_uid=f"bump-delete-{model._meta.label}"
            )
    m2m_changed.connect(bump_data_version, dispatch_uid="bump-m2m")


_MEMO: dict[str, tuple[float, object]] = {}
_MEMO_LOCK = __import__("threading").Lock()
MEMO_ENTRIES = 16


def memoised_figures(name: str, scope: str, compute: Callable, *, timeout: int | None = None):
    """Like `cached_figures`, but kept as live objects in this process: for large results (tens of
    thousands of alerts) that would cost more to unpickle from a cache than to keep."""
    from shiraka.core.rules import today

    key = f"{data_version()}:{name}:{scope}:{today().isoformat()}"
    return memoised(key, compute, timeout=timeout or figures_seconds())


def memoised(key: str, compute: Callable, *, timeout: float):
    """`compute()` at most once per `timeout` seconds in this process for `key`, whatever writes
    happen in between (the caller puts in the key what must make it stale)."""
    import time

    now = time.monotonic()
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
    value = compute()
    with _MEMO_LOCK:
        if len(_MEMO) >= MEMO_ENTRIES:
            for stale in sorted(_MEMO, key=lambda k: _MEMO[k][0])[: len(_MEMO) - MEMO_ENTRIES + 1]:
                del _MEMO[stale]
        _MEMO[key] = (now + timeout, value)
    return value


def memo_forget(prefix: str) -> None:
    with _MEMO_LOCK:
        for key in [key for key in _MEMO if key.startswith(prefix)]:
            del _MEMO[key]


def memo_clear() -> None:
    with _MEMO_LOCK:
        _MEMO.clear()
    with _KEPT_LOCK:
        _KEPT.clear()
