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
