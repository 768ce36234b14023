"""Phrase rules for partners, locations and attendees (short synthetic sentences)."""

from shiraka.extraction import extract


def partners(text: str, index: int = 0) -> list[str]:
    return [p.text for p in extract(text).agreements[index].partners]


def locations(text: str, index: int = 0) -> list[str]:
    return [p.text for p in extract(text).agreements[index].locations]


def test_short_partner_takes_the_fullest_spelling_in_the_text() -> None:
    text = (
        "ترأس الوالي اجتماع اللجنة الجهوية للتنمية الصحية يوم الاثنين. "
        "وتم توقيع اتفاقية شراكة بين اللجنة الجهوية وجمعية الأمل للمرضى لبناء مركز صحي."
    )
    assert partners(text)[0] == "اللجنة الجهوية للتنمية الصحية"


def test_short_form_inside_a_title_is_not_a_fuller_spelling() -> None:
    text = (
        "وقعت اتفاقية شراكة بين وزارة الصحة وجمعية النور، بحضور السيد كريم العلمي المدير الجهوي لوزارة الصحة "
        "بجهة فاس مكناس."
    )
    assert "وزارة الصحة" in partners(text)


def test_french_acronym_takes_its_spelled_out_name() -> None:
    text = (
        "Le Comité Régional de la Santé Rurale (CRSR) a tenu sa réunion annuelle. Une convention a été signée "
        "entre le CRSR et la Fondation Atlas pour équiper un dispensaire."
    )
    assert partners(text)[0] == "Comité Régional de la Santé Rurale (CRSR)"


def test_french_sides_of_an_agreement() -> None:
    text = (
        "Une convention a été signée entre la Fondation Amal, d'une part, et le conseil provincial de Taza, "
        "la Commune de Taza et la délégation provinciale de la santé, d'autre part."
    )
    assert partners(text) == [
        "Fondation Amal",
        "conseil provincial de Taza",
        "Commune de Taza",
        "délégation provinciale de la santé",
    ]


def test_arabic_sides_of_an_agreement() -> None:
    text = "وقعت اتفاقية شراكة بين جمعية الشفاء من جهة ومجلس جماعة تازة من جهة أخرى لتجهيز مستوصف."
    assert partners(text) == ["جمعية الشفاء", "مجلس جماعة تازة"]


def test_french_list_with_article_des_and_proper_names() -> None:
    text = (
        "Une convention a été conclue entre le Conseil régional, l'Anapec, l'Entraide nationale "
        "et des associations locales pour soutenir les dispensaires."
    )
    found = partners(text)
    assert found[:2] == ["Conseil régional", "Anapec"]
    assert any(p.startswith("associations") for p in found)
    assert not any(" et " in p for p in found)


def test_aside_in_brackets_does_not_end_the_list() -> None:
    text = (
        "خصص للاتفاقية غلاف مالي ممول في إطار شراكة بين المجلس الإقليمي لتازة ( 3 ملايين درهم ) "
        "ووكالة التنمية الاجتماعية (مليونا درهم)."
    )
    assert partners(text) == ["المجلس الإقليمي لتازة", "وكالة التنمية الاجتماعية"]


def test_cost_shared_between_bodies_names_the_partners() -> None:
    text = (
        "وقعت اتفاقية لدعم الموارد البشرية الصحية. وتبلغ الكلفة 9 ملايين درهم، موزعة بين المجلس الإقليمي "
        "والجماعات الترابية."
    )
    assert partners(text) == ["المجلس الإقليمي", "الجماعات الترابية"]


def test_council_that_approved_a_numbered_set_is_party_to_each() -> None:
    text = (
        "بعد مصادقة أعضاء مجلس عمالة مكناس على ثلاث اتفاقيات، والأمر يتعلق ب :\n"
        "1 - اتفاقية شراكة مع جمعية الرحمة لدعم المرضى.\n"
        "2 - اتفاقية شراكة مع جمعية الأمل لمرضى القلب.\n"
        "3 - اتفاقية شراكة مع جمعية النور للترويض.\n"
    )
    result = extract(text)
    assert len(result.agreements) == 3
    for agreement in result.agreements:
        assert agreement.partners[0].text == "مجلس عمالة مكناس"


def test_preamble_places_belong_to_each_agreement() -> None:
    text = (
        "Deux conventions ont été signées à Agadir pour des projets de santé. La première convention, signée "
        "entre la Commune et l'Association Amal, porte sur un dispensaire. La seconde convention, signée entre "
        "la Commune et la Fondation Nour, porte sur une ambulance."
    )
    result = extract(text)
    assert len(result.agreements) == 2
    assert all("Agadir" in [p.text for p in a.locations] for a in result.agreements)


def test_place_written_with_and_without_its_admin_word_keeps_the_fuller() -> None:
    text = "وقعت اتفاقية شراكة لتجهيز المركز الصحي تلوات بجماعة تلوات بإقليم ورزازات."
    assert "جماعة تلوات" in locations(text)
    assert "تلوات" not in locations(text)


def test_signature_ceremony_sentence_starts_the_body() -> None:
    text = (
        "Le wali a présidé à Tiznit la cérémonie de signature de deux conventions pour des centres de santé. "
        "Ces conventions portent sur la construction d'un centre de santé."
    )
    assert "Tiznit" in locations(text)


def test_attendees_are_kept_apart_from_partners() -> None:
    text = (
        "وقعت اتفاقية شراكة بين وزارة الصحة وجمعية الأمل، بحضور عامل الإقليم وممثل الوكالة الوطنية للتجهيزات العامة "
        "وبعض المنتخبين."
    )
    result = extract(text)
    draft = result.agreements[0]
    assert [a.text for a in draft.attendees] == [
        "عامل الإقليم",
        "ممثل الوكالة الوطنية للتجهيزات العامة",
        "بعض المنتخبين",
    ]
    assert all("الوكالة" not in p.text for p in draft.partners)
    assert "attendees" not in draft.to_dict()
    spanned = draft.to_dict(spans=True)
    assert spanned["attendees"] == [a.text for a in draft.attendees]
    for (start, end), name in zip(spanned["spans"]["attendees"], spanned["attendees"], strict=True):
        assert text[start:end] == name


def test_french_attendees_keep_a_titled_person_whole() -> None:
    text = (
        "Une convention a été signée entre la Commune et la Fondation Nour, en présence du gouverneur de la "
        "province de Taza, M. Karim Alami, et des élus locaux."
    )
    names = [a.text for a in extract(text).agreements[0].attendees]
    assert any("Karim Alami" in n and "gouverneur" in n for n in names)
    assert any("élus locaux" in n for n in names)


def projects(text: str, index: int = 0) -> list[str]:
    return [p.text for p in extract(text).agreements[index].projects]


def test_commune_named_with_its_admin_word_is_a_location_even_if_unlisted() -> None:
    text = "وقعت اتفاقية شراكة لتجهيز مستوصف بجماعة تامكروت، وبناء دار للولادة بجماعة ترابية أخرى."
    found = locations(text)
    assert "جماعة تامكروت" in found
    assert not any("ترابية" in p for p in found)


def test_one_action_over_a_list_of_sites_gives_one_component_per_site() -> None:
    text = (
        "وتهم الاتفاقية توفير ممرض بكل من المركز الصحي صنف 1 تيغزى بجماعة تيغزى، والمركز الصحي صنف 2 "
        "أمزرو بجماعة أمزرو، ثم المركز الصحي صنف 1 أكلو بجماعة أكلو."
    )
    found = projects(text)
    assert found[0].startswith("توفير ممرض بكل من المركز الصحي صنف 1 تيغزى")
    assert "المركز الصحي صنف 2 أمزرو بجماعة أمزرو" in found
    assert "المركز الصحي صنف 1 أكلو بجماعة أكلو" in found


def test_action_inside_an_institution_name_is_not_a_project() -> None:
    text = (
        "وقعت اتفاقية شراكة بين المجلس الإقليمي وجمعية الوفاء لدعم مرضى القصور الكلوي لبناء مركز لتصفية الدم."
    )
    found = projects(text)
    assert not any(p.startswith("دعم مرضى") for p in found)
    assert any(p.startswith("بناء مركز") for p in found)


def test_project_phrase_stops_before_the_parties() -> None:
    text = "وقعت اتفاقية لبناء مستشفى القرب بين وزارة الصحة ومجلس الجهة."
    assert projects(text) == ["بناء مستشفى القرب"]


def test_capitalised_action_inside_a_name_is_not_a_project() -> None:
    text = (
        "Une convention a été signée dans le cadre de l'Initiative nationale pour le Développement Humain "
        "pour la construction d'un centre de santé."
    )
    found = projects(text)
    assert not any(p.startswith("Développement") for p in found)
    assert any(p.startswith("construction d'un centre") for p in found)


def test_action_on_a_demonstrative_is_not_a_project() -> None:
    text = (
        "وقعت اتفاقية شراكة لبناء مركز صحي بجماعة تامكروت، وسيتم تمويل هذه الاتفاقية من طرف المجلس الإقليمي."
    )
    assert not any(p.startswith("تمويل هذه") for p in projects(text))


def test_items_that_only_name_parties_share_the_stated_purpose() -> None:
    text = (
        "صادق مجلس عمالة مكناس على ثلاث اتفاقيات من أجل تمويل اقتناء سيارات إسعاف، والأمر يتعلق ب :\n"
        "1 - اتفاقية شراكة مع جمعية الرحمة.\n"
        "2 - اتفاقية شراكة مع جمعية الأمل.\n"
        "3 - اتفاقية شراكة مع جمعية النور.\n"
    )
    for agreement in extract(text).agreements:
        assert any(p.text.startswith("تمويل اقتناء سيارات إسعاف") for p in agreement.projects)
