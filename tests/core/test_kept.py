"""Versions of the figures kept by part move with the writes that commit, are the same however the
marks are folded, never repeat after a rollback; parts under keys naming versions outlive the cache."""

import threading

import pytest
from django.core.cache import cache as django_cache
from django.db import connection, transaction

from shiraka.core import cache, kept
from shiraka.core.models import FiguresMark, FiguresVersion, KeptPart


@pytest.mark.django_db
def test_a_mark_moves_its_part_only_and_folding_keeps_every_version():
    before = kept.versions(["money"])
    kept.mark({"money": ["5"], "projects": ["5", "none"]})
    epoch, versions = kept.versions(["money", "projects"])
    assert epoch == before[0]
    assert versions["money"]["5"] != before[1]["money"]["5"]
    assert versions["money"]["none"] == before[1]["money"]["none"] == "0"
    assert versions["projects"]["none"] != "0"

    kept.fold_marks(FiguresMark.objects.order_by("-pk").values_list("pk", flat=True).first())
    assert not FiguresMark.objects.exists()
    assert FiguresVersion.objects.filter(kind="projects").count() == 2
    assert kept.versions(["money", "projects"]) == (epoch, versions)

    kept.mark({"money": ["5"]})
    after = kept.versions(["money", "projects"])[1]
    assert after["money"]["5"] not in (versions["money"]["5"], before[1]["money"]["5"])
    kept.fold_marks(FiguresMark.objects.order_by("-pk").values_list("pk", flat=True).first())
    assert kept.versions(["money", "projects"])[1] == after


@pytest.mark.django_db
def test_every_so_many_marks_the_writer_folds_those_before_its_own_once_committed(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(kept, "FOLD_EVERY", 1)
    kept.mark({"money": ["1"]})
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        kept.mark({"money": ["2"]})
        marked = kept.versions(["money"])
    assert callbacks
    assert not FiguresMark.objects.exists()
    assert kept.versions(["money"]) == marked


@pytest.mark.django_db
def test_a_mark_rolled_back_leaves_the_version_and_the_next_one_differs_from_it():
    kept.mark({"money": ["5"]})
    before = kept.versions(["money"])
    with transaction.atomic():
        kept.mark({"money": ["5"]})
        rolled_back = kept.versions(["money"])
        transaction.set_rollback(True)
    assert kept.versions(["money"]) == before
    kept.mark({"money": ["5"]})
    # Same number of marks as the rolled-back state, other tokens: a part kept under the rolled-back
    # version is not read as this one's.
    assert kept.versions(["money"]) not in (before, rolled_back)


@pytest.mark.django_db
def test_a_write_to_the_epoch_moves_every_key_and_an_emptied_database_starts_a_new_generation():
    epoch = cache.figures_epoch()
    cache.bump_data_version()
    moved = cache.figures_epoch()
    assert moved != epoch
    FiguresMark.objects.all().delete()
    FiguresVersion.objects.all().delete()
    restarted = cache.figures_epoch()
    assert restarted.split(".")[0] != moved.split(".")[0]


@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_a_version_move_when_the_write_commits():
    before = kept.versions(["money"])
    seen = {}
    ready, written = threading.Event(), threading.Event()

    def reader():
        try:
            written.wait(10)
            seen["during"] = kept.versions(["money"])
            ready.set()
        finally:
            connection.close()

    thread = threading.Thread(target=reader)
    thread.start()
    with transaction.atomic():
        kept.mark({"money": ["5"]})
        written.set()
        ready.wait(10)
    thread.join(10)
    assert seen["during"] == before
    assert kept.versions(["money"]) != before


@pytest.mark.django_db
def test_parts_under_keys_naming_versions_are_read_from_the_database_when_the_cache_is_empty():
    cache.set_many({"shiraka:test:north@1.2.3": {"sum": 5}, "shiraka:test:whole": {"sum": 7}})
    django_cache.clear()
    cache.memo_clear()
    cache._KEPT.clear()
    assert cache.get_many(["shiraka:test:north@1.2.3", "shiraka:test:whole"]) == {
        "shiraka:test:north@1.2.3": {"sum": 5}
    }
    # Read from the database, it is in the cache again.
    assert django_cache.get("shiraka:test:north@1.2.3") == {"sum": 5}

    cache.set_many({"shiraka:test:north@1.2.4": {"sum": 6}})
    assert list(KeptPart.objects.values_list("slot", "key")) == [
        ("shiraka:test:north", "shiraka:test:north@1.2.4")
    ]
    cache._KEPT.clear()
    django_cache.clear()
    assert cache.get_many(["shiraka:test:north@1.2.3"]) == {}
