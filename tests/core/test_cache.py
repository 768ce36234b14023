"""Cached portfolio figures: keys any cache backend accepts."""


def test_cached_figures_keys_stay_short_whatever_the_scope():
    import warnings

    from django.core.cache import CacheKeyWarning

    from shiraka.core.cache import cached_figures

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert cached_figures("test", "q=" + "x" * 5000, lambda: 42) == 42
        assert cached_figures("test", "q=" + "x" * 5000, lambda: 43) == 42
