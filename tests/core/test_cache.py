"""Cached portfolio figures: keys any cache backend accepts."""


def test_cached_figures_keys_stay_short_whatever_the_scope():
    import warnings

    from django.core.cache import CacheKeyWarning

    from shiraka.core.cache import cached_figures

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert cached_figures("test", "q=" + "x" * 5000, lambda: 42) == 42
        assert cached_figures("test", "q=" + "x" * 5000, lambda: 43) == 42


def test_parts_are_computed_together_where_missing_and_read_where_kept():
    from shiraka.core.cache import kept_by_part

    asked = []

    def compute(parts):
        asked.append(sorted(parts, key=str))
        return {part: f"sums of {part}" for part in parts}

    keys = {1: "test:part:1:v1", 2: "test:part:2:v1", None: "test:part:none:v1"}
    assert kept_by_part(keys, compute) == {1: "sums of 1", 2: "sums of 2", None: "sums of None"}
    assert kept_by_part(keys, compute) == {1: "sums of 1", 2: "sums of 2", None: "sums of None"}
    # Region 2's version moved: its sums alone are computed again.
    assert kept_by_part({**keys, 2: "test:part:2:v2"}, compute)[2] == "sums of 2"
    assert asked == [[1, 2, None], [2]]


def _later(monkeypatch, seconds: float) -> None:
    """The clocks the cache and the process's kept copies read, `seconds` on."""
    import time

    wall, monotonic = time.time, time.monotonic
    monkeypatch.setattr(time, "time", lambda: wall() + seconds)
    monkeypatch.setattr(time, "monotonic", lambda: monotonic() + seconds)


def test_figures_stay_as_long_as_the_settings_say(monkeypatch, settings):
    from shiraka.core.cache import cached_figures, kept_by_part

    settings.SHIRAKA_FIGURES_SECONDS = 3600  # a cache shared by every process
    computed = []

    def compute(parts):
        computed.append(parts)
        return {part: len(computed) for part in parts}

    keys = {1: "test:lasting-part:1:v1"}
    assert kept_by_part(keys, compute) == {1: 1}
    assert cached_figures("test-lasting", "all", lambda: "first") == "first"
    _later(monkeypatch, 600)  # ten minutes without a write: still kept
    assert kept_by_part(keys, compute) == {1: 1}
    assert cached_figures("test-lasting", "all", lambda: "again") == "first"
    _later(monkeypatch, 3700)
    assert kept_by_part(keys, compute) == {1: 2}
    assert cached_figures("test-lasting", "all", lambda: "again") == "again"


def test_figures_of_a_process_s_own_cache_last_a_minute(monkeypatch, settings):
    from shiraka.core.cache import cached_figures

    settings.SHIRAKA_FIGURES_SECONDS = 60
    assert cached_figures("test-minute", "all", lambda: "first") == "first"
    _later(monkeypatch, 61)
    assert cached_figures("test-minute", "all", lambda: "again") == "again"
