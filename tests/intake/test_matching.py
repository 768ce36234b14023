"""Matching what a press text names with what is recorded: names compared without their spelling
variants, territories and organisations found by name, project categories guessed from words."""

import pytest

from shiraka.core.text import name_key
from shiraka.intake.matching import (
    OrganisationIndex,
    TerritoryIndex,
    category_guess,
    organisation_kind_guess,
    person_find,
)
from shiraka.organisations.services import person_create


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("مجلس جهة كلميم-واد نون", "مجلس جهة كلميم وادنون"),
        ("وزارة الصحة و الحماية الإجتماعية", "وزارة الصحة والحماية الاجتماعية"),
        ("المؤسسة الجهوية", "مؤسسه جهويه"),
        ("مستشفى", "مستشفي"),
        ("الصـــحة", "الصحة"),
        ("الصِّحَّة", "الصحة"),
        ("Wilaya de la région Guelmim-Oued Noun", "wilaya de la region guelmim oued noun"),
    ],
)
def test_names_are_compared_without_spelling_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("title", "category"),
    [
        ("تهيئة قسم المستعجلات بالمستشفى الإقليمي", "emergency_unit"),
        ("إنشاء وحدتين للطوارئ", "emergency_unit"),
        ("إنشاء مستشفى القرب بالدشيرة", "proximity_hospital"),
        ("إنشاء مستشفيات القرب", "proximity_hospital"),
        ("بناء مركز صحي حضري", "health_centre"),
        ("إنشاء مركز لمحاربة الإدمان", "addiction_centre"),
        ("تهيئة قطب الطب النفسي", "psychiatric_unit"),
        ("فضاءات صحة الشباب", "youth_health_space"),
        ("اقتناء سيارات الإسعاف", "patient_transport"),
        ("توفير وسائل نقل المرضى", "patient_transport"),
        ("تعزيز التجهيزات الطبية", "imaging_equipment"),
        ("اقتناء الأجهزة الطبية", "imaging_equipment"),
        ("تطوير القوافل الطبية", "mobile_caravans"),
        ("التعاقد مع أطباء", "staff_contracting"),
        ("بناء السكنيات الوظيفية", "staff_housing"),
        ("تأهيل المؤسسات الصحية", "facility_upgrade"),
        ("Mise à niveau des urgences de l'hôpital provincial", "emergency_unit"),
        ("Construction d'un centre de santé", "health_centre"),
        ("تطوير العرض الصحي", ""),
    ],
)
def test_project_category_is_guessed_from_keywords(title, category):
    assert category_guess(title) == category


@pytest.mark.django_db
def test_place_names_are_found_with_or_without_their_kind(reference):
    gazetteer = TerritoryIndex()
    region = gazetteer.match("جهة كلميم واد نون")
    assert region.kind == "region" and region.place.code == "10"
    commune = gazetteer.match("جماعة إنزكان")
    assert commune.kind == "commune" and commune.province.code == "09.273"
    assert commune.region_id == commune.province.region_id
    assert gazetteer.match("Atlantide") is None


@pytest.mark.django_db
def test_a_territory_stands_for_its_recorded_council(reference):
    gazetteer, organisations = TerritoryIndex(), OrganisationIndex()
    assert organisations.match("مجلس جهة كلميم واد نون").reference_code == "CR-10"
    assert organisations.match("جهة كلميم واد نون") is None  # without the gazetteer: names only
    assert organisations.match("جهة كلميم واد نون", gazetteer).reference_code == "CR-10"


def test_a_new_organisations_kind_is_guessed_from_its_name():
    guesses = {
        "وزارة الصحة والحماية الاجتماعية": "ministry",
        "مجلس جهة سوس ماسة": "regional_council",
        "جماعة إنزكان": "commune",
        "Association des amis de l'hôpital": "association",
        "Comité de quartier": "other",
    }
    assert {name: organisation_kind_guess(name) for name in guesses} == guesses


@pytest.mark.django_db
def test_a_person_is_found_under_another_spelling(reference):
    person = person_create(full_name_ar="مباركة بوعيدة")
    assert person_find("مباركة بوعيدة", language="ar") == person
    assert person_find("مباركه بوعيده", language="ar") == person
    assert person_find("Mbarka Bouaida", language="fr") is None
