"""Gazetteer matching, titles, partners, signatories, projects and kinds."""

from shiraka.extraction import extract
from shiraka.extraction.gazetteer import find_places
from shiraka.extraction.parties import derive_institution
from shiraka.extraction.people import find_people
from shiraka.extraction.text import tokenize


def places(text: str) -> list[str]:
    return [
        text[m.admin_start if m.admin_start is not None else m.start : m.end]
        for m in find_places(tokenize(text), text)
    ]


def codes(text: str) -> list[str]:
    return [m.place.code for m in find_places(tokenize(text), text)]


def test_variants_of_ait_and_oued_meet() -> None:
    assert (
        codes("عمالة إنزكان آيت ملول")[0]
        == codes("عمالة انزكان ايت ملول")[0]
        == codes("عمالة إنزكان أيت ملول")[0]
    )
    assert codes("جهة كلميم واد نون") == codes("جهة كلميم وادنون") == codes("جهة كلميم وادي نون")


def test_run_together_words() -> None:
    assert places("في بني ملالخنيفرة") == ["بني ملالخنيفرة"]
    assert places("المندوبية الإقليمية بإقليمورزازات") == ["إقليمورزازات"]


def test_emphatic_and_hamza_variants() -> None:
    assert places("بإقليم الناظور") == ["إقليم الناظور"]


def test_admin_word_is_kept_and_preposition_dropped() -> None:
    assert places("بجماعة تغجيجت وجماعة تيوغزة") == ["جماعة تغجيجت", "جماعة تيوغزة"]
    assert places("بمدينة كلميم") == ["كلميم"]


def test_french_names() -> None:
    assert places("dans la région de Tanger-Tétouan-Al Hoceima") == ["Tanger-Tétouan-Al Hoceima"]
    assert codes("Draa-Tafilalet") == codes("Drâa-Tafilalet")


def test_old_region_names() -> None:
    assert places("لفائدة سكان جهة كلميم السمارة") == ["جهة كلميم السمارة"]


def test_titles_reveal_institutions() -> None:
    assert derive_institution("والي جهة كلميم واد نون") == "ولاية جهة كلميم واد نون"
    assert derive_institution("وزير الصحة والحماية الاجتماعية") == "وزارة الصحة والحماية الاجتماعية"
    assert derive_institution("رئيسة مجلس جهة كلميم واد نون") == "مجلس جهة كلميم واد نون"
    assert derive_institution("عامل عمالة إنزكان أيت ملول") == "عمالة إنزكان أيت ملول"
    assert derive_institution("عامل إقليم خنيفرة") == "إقليم خنيفرة"
    assert derive_institution("ministre de la Santé et de la Protection sociale") == (
        "ministère de la Santé et de la Protection sociale"
    )


def test_people_with_titles() -> None:
    text = "أشرف شكيب بنموسى، وزير التربية الوطنية، على توقيع اتفاقية مع والي جهة العيون الساقية الحمراء عبد السلام بيكرات."
    found = {p.name: p.role for p in find_people(tokenize(text), text)}
    assert found["شكيب بنموسى"] == "وزير التربية الوطنية"
    assert found["عبد السلام بيكرات"] == "والي جهة العيون الساقية الحمراء"


def test_signers_and_partners_not_attendees() -> None:
    text = (
        "تم توقيع اتفاقية شراكة بين كل من السيدة مباركة بوعيدة رئيسة مجلس جهة كلميم واد نون و السيد خالد أيت الطالب "
        "وزير الصحة والحماية الاجتماعية، بحضور السيد محمد العلوي المدير الجهوي للصحة وممثل الوكالة الوطنية للتجهيزات العامة."
    )
    draft = extract(text).agreements[0]
    assert [s.name for s in draft.signatories] == ["مباركة بوعيدة", "خالد أيت الطالب"]
    assert [p.text for p in draft.partners] == ["مجلس جهة كلميم واد نون", "وزارة الصحة والحماية الاجتماعية"]


def test_presiding_official_counts_only_without_signers() -> None:
    text = "أشرف السيد سمير اليزيدي عامل إقليم قلعة السراغنة على توقيع اتفاقية شراكة بين اللجنة الإقليمية والجمعية."
    draft = extract(text).agreements[0]
    assert [s.name for s in draft.signatories] == ["سمير اليزيدي"]


def test_partners_from_between_and_plural_communes() -> None:
    text = (
        "وقعت اتفاقية إطار شراكة بمساهمة وزارة الصحة و جهة سوس ماسة و مجلس عمالة إنزكان أيت ملول "
        "و جماعات كل من إنزكان و الدشيرة الجهادية و أيت ملول."
    )
    partners = [p.text for p in extract(text).agreements[0].partners]
    assert "جماعة الدشيرة الجهادية" in partners
    assert "جماعة أيت ملول" in partners
    assert "مجلس عمالة إنزكان أيت ملول" in partners


def test_french_partners_entre() -> None:
    text = (
        "Une convention de partenariat a été signée entre le ministère de la Santé, la Wilaya de la région "
        "et le Conseil régional pour la création d'un centre d'hémodialyse à Tanger."
    )
    draft = extract(text).agreements[0]
    assert draft.kind == "partnership"
    assert [p.text for p in draft.partners] == [
        "ministère de la Santé",
        "Wilaya de la région",
        "Conseil régional",
    ]


def test_enumerated_projects_are_split() -> None:
    text = (
        "وقعت اتفاقية شراكة تهم إنشاء وحدتين للطوارئ بجماعة تغجيجت وجماعة تيوغزة، و تهيئة قسم المستعجلات بالمستشفى "
        "الإقليمي بطانطان، بالإضافة إلى بناء السكنيات الوظيفية فضلا عن إحداث وتجهيز مركز لمحاربة الإدمان."
    )
    projects = [p.text for p in extract(text).agreements[0].projects]
    assert projects[0].startswith("إنشاء وحدتين للطوارئ")
    assert any(p.startswith("تهيئة قسم المستعجلات") for p in projects)
    assert any(p.startswith("بناء السكنيات الوظيفية") for p in projects)
    assert any(p.startswith("إحداث وتجهيز مركز لمحاربة الإدمان") for p in projects)


def test_kinds_first_rule_wins() -> None:
    assert extract("تم توقيع اتفاقية إطار شراكة بين الجهة والوزارة.").agreements[0].kind == "framework"
    assert extract("تم توقيع مذكرة تفاهم بين الجامعة والمجموعة.").agreements[0].kind == "memorandum"
    assert extract("تم توقيع اتفاقية شراكة بين الجهة والوزارة.").agreements[0].kind == "partnership"
    assert extract("تم توقيع عقود بين الجهة والمؤسسة.").agreements[0].kind == "other"
    assert (
        extract("Une convention-cadre a été signée entre la Région et l'Agence.").agreements[0].kind
        == "framework"
    )
    assert extract("Un protocole d'accord a été signé avec le groupe.").agreements[0].kind == "memorandum"


def test_project_count_only_when_stated() -> None:
    assert extract("تضم هذه الاتفاقية 14 مشروعا بتكلفة 20 مليون درهم.").agreements[0].project_count == 14
    assert extract("وقعت اتفاقية لإحداث 109 مؤسسة تعليمية جديدة.").agreements[0].project_count is None


def test_committee_and_programme() -> None:
    text = (
        "تم توقيع اتفاقية شراكة في أفق برنامج التنمية الجهوية 2022-2027 لجهة كلميم واد نون، وحرص السيد إسماعيل "
        "أبو الحقوق عامل عمالة إنزكان أيت ملول بصفته رئيس اللجنة الإقليمية للإشراف و التتبع لإتفاقية الشراكة."
    )
    draft = extract(text).agreements[0]
    assert draft.programme is not None and draft.programme.text.startswith("برنامج التنمية الجهوية 2022-2027")
    assert draft.committee is not None and draft.committee.name == "اللجنة الإقليمية للإشراف و التتبع"
    assert draft.committee.chair == "عامل عمالة إنزكان أيت ملول"
