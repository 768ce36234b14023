"""Rules that follow the language of the press rather than any one article (sentences written
for these tests)."""

from shiraka.extraction import extract


def draft(text: str, index: int = 0):
    return extract(text).agreements[index]


def test_chair_of_a_council_session_is_not_a_signatory_but_names_the_council() -> None:
    text = (
        "عقد المجلس الإقليمي لتاونات دورته العادية، وترأس أشغال هذه الدورة كريم بناني رئيس المجلس الإقليمي "
        "لتاونات. وصادق الأعضاء على اتفاقية شراكة لبناء مركز صحي بقرية با محمد."
    )
    agreement = draft(text)
    assert agreement.signatories == []
    assert any("المجلس الإقليمي" in p.text for p in agreement.partners)


def test_official_presiding_a_signing_ceremony_is_still_listed() -> None:
    text = (
        "ترأس كريم بناني عامل إقليم تاونات مراسيم توقيع اتفاقية شراكة بين المجلس الإقليمي لتاونات "
        "ووزارة الصحة لبناء مركز صحي."
    )
    assert [s.name for s in draft(text).signatories] == ["كريم بناني"]


def test_french_session_chair_is_not_a_signatory() -> None:
    text = (
        "Le conseil provincial de Taza a tenu sa session ordinaire, présidée par Karim Bennani, président "
        "du conseil. Les membres ont approuvé une convention de partenariat avec la délégation provinciale "
        "de la Santé pour équiper le centre de santé."
    )
    assert draft(text).signatories == []


def partner_names(text: str, index: int = 0) -> list[str]:
    return [p.text for p in draft(text, index).partners]


def test_manner_words_after_a_body_are_not_part_of_its_name() -> None:
    text = (
        "صادق مجلس جهة سوس ماسة بالإجماع على اتفاقية شراكة مع وزارة الصحة بمبلغ 12 مليون درهم لبناء مستشفى."
    )
    names = partner_names(text)
    assert "مجلس جهة سوس ماسة" in names
    assert not any("الإجماع" in n or "بمبلغ" in n for n in names)


def test_body_acting_in_coordination_with_another_names_both() -> None:
    text = (
        "وقع مجلس جهة الشرق بتنسيق مع الوزارة المكلفة بالماء اتفاقية إطار لإنجاز مشاريع الماء الصالح للشرب."
    )
    names = partner_names(text)
    assert "مجلس جهة الشرق" in names
    assert any(n.startswith("الوزارة المكلفة") for n in names)


def test_generic_word_for_a_council_takes_the_full_name_from_the_text() -> None:
    text = (
        "انعقدت دورة مجلس جهة درعة تافيلالت يوم الاثنين. وصادق الأعضاء على اتفاقية شراكة لتأهيل المستشفى "
        "الإقليمي بمساهمة الجهة ووزارة الصحة."
    )
    names = partner_names(text)
    assert "الجهة" not in names
    assert "مجلس جهة درعة تافيلالت" in names


def test_dual_construct_state_is_an_agreement_mention() -> None:
    text = (
        "وقعت المديرية الجهوية للصحة بالرباط اتفاقيتي شراكة مع جمعية النور. وتهم الاتفاقية الأولى بناء "
        "مركز صحي، فيما تهم الاتفاقية الثانية اقتناء سيارة إسعاف."
    )
    result = extract(text)
    assert [a.kind for a in result.agreements] == ["partnership", "partnership"]


def test_bare_agreement_takes_the_qualifier_of_its_headline() -> None:
    text = (
        "اتفاقية شراكة لتأهيل المراكز الصحية بإقليم تازة\n\n"
        "صادق المجلس الإقليمي لتازة على الاتفاقية التي تروم تأهيل عشرة مراكز صحية."
    )
    assert draft(text).kind == "partnership"


def test_another_agreement_is_of_the_same_kind() -> None:
    text = (
        "وقع المجلس الإقليمي اتفاقية شراكة مع مندوبية الصحة لاقتناء سيارات إسعاف. كما وقع اتفاقية أخرى مع "
        "جمعية الأمل لتسيير دار الأمومة."
    )
    assert [a.kind for a in extract(text).agreements] == ["partnership", "partnership"]


def test_total_stated_after_a_contribution_in_the_same_clause() -> None:
    text = (
        "صادق مجلس جهة فاس مكناس على اتفاقية شراكة تساهم بموجبها الجهة بمبلغ 6 ملايين درهم في توسيع "
        "المستشفى الإقليمي بصفرو بكلفة إجمالية تقدر ب 13 مليون درهم."
    )
    assert draft(text).total_amount == 13_000_000


def test_investment_figure_with_a_contribution_inside_it() -> None:
    text = (
        "La convention de partenariat signée à Fès entre la Région et le ministère de la Santé prévoit un "
        "investissement de près de 350 MDH, dont une contribution de 100 MDH de la Région."
    )
    agreement = draft(text)
    assert agreement.total_amount == 350_000_000
    assert sorted(a.amount for a in agreement.amounts) == [100_000_000, 350_000_000]


def test_a_president_named_in_a_statement_has_not_presided_a_signing() -> None:
    text = (
        "Le Conseil de la région de Fès-Meknès a approuvé une convention de partenariat avec le ministère "
        "de la Santé.\n\nLe président du Conseil, Karim Alami, a déclaré que trois hôpitaux seront construits."
    )
    assert draft(text).signatories == []


def project_names(text: str) -> list[str]:
    return [p.text for p in draft(text).projects]


def test_project_phrase_keeps_its_quantity_and_capacity() -> None:
    text = (
        "وقعت وزارة الصحة ومجلس جهة سوس ماسة اتفاقية شراكة لبناء مستشفى إقليمي جديد بتارودانت بسعة 250 سريرا، "
        "وتأهيل مجموعة من المراكز الصحية القروية."
    )
    names = project_names(text)
    assert any(n.endswith("250 سريرا") for n in names), names
    assert any("مجموعة من المراكز الصحية" in n for n in names), names


def test_project_phrase_goes_on_after_a_level_word() -> None:
    text = "صادق المجلس على اتفاقية شراكة لخلق فضاءات خضراء على مستوى موقع المستشفى القديم."
    assert any("على مستوى موقع المستشفى" in n for n in project_names(text))


def test_aims_are_not_components() -> None:
    text = (
        "Une convention de partenariat a été signée entre la Région et la commune de Taza pour le "
        "développement régional et la construction d'un centre de santé."
    )
    names = project_names(text)
    assert not any(n.startswith("développement") for n in names)
    assert any(n.startswith("construction d'un centre de santé") for n in names)


def test_short_aside_and_indefinite_object_stay_in_the_phrase() -> None:
    text = (
        "Le conseil a signé une convention de partenariat avec la commune de Taza pour la construction d'un "
        "centre de santé (niveau 1) au quartier Nahda et l'acquisition d'une ambulance."
    )
    names = project_names(text)
    assert "construction d'un centre de santé (niveau 1)" in names
    assert any(n.startswith("acquisition d'une ambulance") for n in names), names


def test_french_further_agreements_are_told_apart() -> None:
    text = (
        "Le conseil communal de Taza a approuvé une convention pour la construction d'un centre de santé, "
        "pour un montant de 6 MDH, ainsi qu'une autre convention pour la création d'un centre de formation "
        "(14 MDH). Les membres ont également approuvé une convention-cadre avec l'Université de Fès."
    )
    result = extract(text)
    assert len(result.agreements) == 3
    assert [a.total_amount for a in result.agreements[:2]] == [6_000_000, 14_000_000]
    assert result.agreements[2].kind == "framework"


def test_a_vote_is_an_approval_and_a_further_agreement_after_a_batch_is_its_own() -> None:
    text = (
        "انعقدت دورة مجلس جهة سوس ماسة. وصوت أعضاء المجلس بالإجماع على مشاريع اتفاقيات شراكة لتأهيل الطرق "
        "القروية بمساهمة الجهة بمبلغ 20 مليون درهم. كما وافق الأعضاء على مشروع اتفاقية شراكة لبناء مستشفى "
        "بغلاف مالي إجمالي قدره 300 مليون درهم."
    )
    result = extract(text)
    assert len(result.agreements) == 2
    assert result.agreements[1].total_amount == 300_000_000


def test_french_linking_list_of_communes_and_a_ministry_with_its_portfolios() -> None:
    text = (
        "Le Conseil provincial de Taza a approuvé des conventions liant le Conseil aux communes de Tahla, "
        "Bouhlou et Oued Amlil. Les partenaires de cette convention sont le ministère de l’Intérieur, de la "
        "Santé et de l’Emploi et la Chambre d’artisanat de Fès."
    )
    names = partner_names(text)
    assert "Conseil provincial de Taza" in names
    for commune in ("commune de Tahla", "commune de Bouhlou", "commune de Oued Amlil"):
        assert commune in names
    assert "ministère de l’Intérieur, de la Santé et de l’Emploi" in names


def test_the_same_council_named_again_is_not_a_second_partner() -> None:
    text = (
        "صادق مجلس جهة فاس مكناس على اتفاقية شراكة مع المندوبية الجهوية للصحة، ويساهم المجلس ذاته بمبلغ "
        "10 ملايين درهم."
    )
    names = partner_names(text)
    assert "المجلس ذاته" not in names
    assert "مجلس جهة فاس مكناس" in names


def test_a_body_name_ends_before_the_next_agreement_and_an_agency_keeps_its_purpose() -> None:
    text = "صادق المجلس على اتفاقية شراكة مع مؤسسة الأمل للتنمية واتفاقية أخرى مع جمعية أصدقاء المستشفى."
    assert "مؤسسة الأمل للتنمية" in [p.text for a in extract(text).agreements for p in a.partners]
    text = (
        "Une convention a été signée entre la Région et l'Agence nationale pour la promotion de l'emploi "
        "et des compétences."
    )
    assert any(n.startswith("Agence nationale pour la promotion") for n in partner_names(text))


def test_french_places_keep_their_administrative_word() -> None:
    text = (
        "Le conseil provincial de Taza a approuvé une convention de partenariat avec la commune de Tahla "
        "pour la construction d'un centre de santé."
    )
    names = [p.text for p in draft(text).locations]
    assert "commune de Tahla" in names


def test_douars_and_neighbourhoods_are_not_locations() -> None:
    text = (
        "وقع المجلس الإقليمي لتازة اتفاقية شراكة لتزويد دواوير تاهلة وبوهلو بالماء الصالح للشرب بإقليم تازة."
    )
    names = [p.text for p in draft(text).locations]
    assert not any("تاهلة" in n or "بوهلو" in n for n in names), names
    assert "إقليم تازة" in names  # the list of douars has ended before it


def test_city_districts_are_read_whole() -> None:
    text = (
        "وقعت وزارة الشباب والرياضة ومجلس مقاطعة سيدي يوسف بن علي اتفاقية شراكة لإحداث ملعب للقرب "
        "بمقاطعة بني مكادة، بحضور السيد كريم العلمي."
    )
    names = [p.text for p in draft(text).locations]
    assert "مقاطعة سيدي يوسف بن علي" in names
    assert "مقاطعة بني مكادة" in names


def test_conventions_initialled_at_a_meeting_keep_its_chair() -> None:
    text = (
        "Deux conventions de partenariat ont été paraphées lors de la réunion du comité provincial, tenue "
        "sous la présidence du gouverneur de la province, Karim Alami, pour équiper le centre de santé."
    )
    assert [s.name for s in draft(text).signatories] == ["Karim Alami"]


def test_chair_named_long_after_the_session_word_is_still_a_chair() -> None:
    text = (
        "عرفت الدورة العادية لمجلس عمالة فاس، لشهر فبراير 2026، المنعقدة يوم الاثنين العاشر من الشهر الجاري "
        "بمقر العمالة، برئاسة كريم العلمي رئيس المجلس، المصادقة على اتفاقية شراكة لبناء مركز صحي."
    )
    assert draft(text).signatories == []


def test_one_action_over_several_facilities_gives_one_project_each() -> None:
    text = (
        "وقعت وزارة الشباب والرياضة ومجلس جهة فاس مكناس اتفاقية شراكة تهم إحداث مركب رياضي للقرب بمدينة صفرو، "
        "وملعب لكرة القدم بمدينة تازة."
    )
    names = project_names(text)
    assert any(n.startswith("إحداث مركب رياضي") for n in names), names
    assert any(n.startswith("ملعب لكرة القدم") for n in names), names


def test_a_headline_verb_and_an_honorific_end_a_body_name() -> None:
    names = partner_names(
        "Le conseil provincial de Taza adopte une convention de partenariat avec l'Agence du Nord."
    )
    assert "conseil provincial de Taza" in [n[:1].lower() + n[1:] for n in names]
    text = (
        "وقع رئيس جمعية الأمل الدكتور كريم العلمي وممثل الهيئة الوطنية للممرضين الدكتور سعيد بناني اتفاقية "
        "شراكة بين الجمعية والهيئة."
    )
    names = [p.text for a in extract(text).agreements for p in a.partners]
    assert "الهيئة الوطنية للممرضين" in names, names
    assert not any("الدكتور" in n for n in names)


def test_more_actions_open_a_project() -> None:
    text = (
        "Le conseil provincial de Taza a approuvé une convention de partenariat avec l'Office national de "
        "l'eau pour le raccordement aux réseaux d'eau potable du douar Bab Boudir, et l'octroi d'un bus de "
        "transport scolaire."
    )
    names = project_names(text)
    assert any(n.startswith("raccordement aux réseaux d'eau potable") for n in names), names
    assert any(n.startswith("octroi d'un bus") for n in names), names
    text = "وقعت المديرية الجهوية للصحة اتفاقية شراكة مع جمعية الأمل تهم محاربة داء السل بالوسط القروي."
    assert any(n.startswith("محاربة داء السل") for n in project_names(text))


def test_laying_a_foundation_stone_names_the_building_not_the_ceremony() -> None:
    text = "وتم بالمناسبة وضع الحجر الأساس لبناء مركز صحي بجماعة تاهلة في إطار اتفاقية الشراكة الموقعة بين الطرفين."
    names = project_names(text)
    assert not any(n.startswith("وضع الحجر") for n in names), names
    assert any(n.startswith("بناء مركز صحي") for n in names), names


def test_a_signers_title_adds_the_body_no_named_party_stands_for() -> None:
    text = (
        "وقع كل من كريم العلمي والي جهة فاس مكناس، وسعيد بناني رئيس مجلس جهة فاس مكناس، وعمر التازي المدير "
        "الجهوي للصحة، اتفاقية شراكة بين مجلس جهة فاس مكناس والمديرية الجهوية للصحة لبناء مستشفى."
    )
    names = partner_names(text)
    assert "ولاية جهة فاس مكناس" in names, names
    assert sum("مجلس جهة فاس مكناس" in n for n in names) == 1


def test_who_presided_adds_no_body_beside_named_parties() -> None:
    text = (
        "أشرف كريم العلمي وزير الصحة على توقيع اتفاقية شراكة بين مجلس جهة فاس مكناس والمديرية الجهوية "
        "للصحة لبناء مستشفى."
    )
    assert not any(n.startswith("وزارة") for n in partner_names(text))


def test_a_quoted_name_belongs_to_its_body() -> None:
    text = (
        "Le conseil provincial de Taza a approuvé une convention de partenariat avec l'association « les amis "
        "du malade » pour la gestion du centre d'hémodialyse."
    )
    assert "association « les amis du malade »" in partner_names(text)


def test_signed_by_and_financed_by_name_the_parties() -> None:
    text = (
        "La convention a été signée par le conseil provincial de Sefrou pour l'aménagement de pistes rurales. "
        "Son financement est assuré par le Conseil régional (30 MDH), le ministère de la Santé (20 MDH) et "
        "l'INDH (5 MDH)."
    )
    names = partner_names(text)
    assert "conseil provincial de Sefrou" in names
    assert {"Conseil régional", "ministère de la Santé", "INDH"} <= set(names), names


def test_each_share_after_a_party_does_not_end_the_list() -> None:
    text = (
        "تساهم وزارة الصحة ب 60 مليون درهم ومجلس جهة فاس مكناس ب 40 مليون درهم في تمويل اتفاقية الشراكة "
        "الموقعة لبناء مستشفى القرب بصفرو."
    )
    names = partner_names(text)
    assert "وزارة الصحة" in names and "مجلس جهة فاس مكناس" in names, names


def test_ainsi_que_les_communes_de_adds_each_commune() -> None:
    text = (
        "La convention a été signée par le conseil provincial de Sefrou ainsi que les communes de Bhalil, "
        "Imouzzer Kandar et Ribat El Kheir pour l'aménagement de pistes rurales."
    )
    names = partner_names(text)
    for commune in ("commune de Bhalil", "commune de Imouzzer Kandar", "commune de Ribat El Kheir"):
        assert commune in names, names


def test_two_councils_of_one_place_are_split() -> None:
    text = "وقعت وزارة الصحة ومجلسي عمالة وجماعة المحمدية اتفاقية شراكة لبناء مستشفى القرب."
    names = partner_names(text)
    assert {"وزارة الصحة", "مجلس عمالة المحمدية", "مجلس جماعة المحمدية"} <= set(names), names


def test_attendance_lists_end_before_the_next_clause_and_keep_a_walis_title() -> None:
    result = extract(
        "وقعت وزارة الصحة ومجلس جهة فاس مكناس اتفاقية شراكة لبناء مستشفى، بحضور والي الجهة وممثل البنك الدولي."
    )
    assert [a.text for a in result.agreements[0].attendees] == ["والي الجهة", "ممثل البنك الدولي"]
    result = extract(
        "La convention signée entre le ministère de la Santé et la Région de l'Oriental, en présence du wali "
        "et du représentant de la Banque mondiale, sera financée par un prêt au profit de l'Association Amal."
    )
    assert [a.text for a in result.agreements[0].attendees] == ["wali", "représentant de la Banque mondiale"]


def test_french_acronym_after_an_article_is_a_party() -> None:
    text = (
        "Les membres ont approuvé une convention de partenariat avec l'OFPPT pour la construction d'un "
        "institut de formation à Taza."
    )
    assert "OFPPT" in partner_names(text)


def test_the_same_body_named_again_without_its_name_is_not_a_new_party() -> None:
    text = (
        "وقعت وزارة الصحة والمديرية الجهوية للتجهيز اتفاقية شراكة لبناء مستشفى، على أن يتكفل المجلس ذاته "
        "بتجهيزه."
    )
    assert not any("ذاته" in n for n in partner_names(text))


def test_a_councils_agenda_of_draft_agreements_gives_one_entry_each() -> None:
    text = (
        "صادق مجلس جهة فاس مكناس على عدد من المشاريع من بينها مشروع اتفاقية إطار حول النقل المدرسي بين الجهة "
        "ووزارة التربية الوطنية، ومشروع اتفاقية شراكة حول تأهيل المستشفيات مع وزارة الصحة، بالإضافة إلى مشروع "
        "اتفاقية لتحسين الخدمات الصحية مع المستشفى الجامعي."
    )
    assert [a.kind for a in extract(text).agreements] == ["framework", "partnership", "other"]


def test_in_addition_to_and_undertakings_name_parties() -> None:
    text = (
        "وقعت الاتفاقية بين وزارة الصحة، والمجلس الإقليمي لتازة، إضافة إلى شركة العمران لبناء مستشفى القرب. "
        "وستسهر جمعية الأمل للتنمية بموجب هذه الاتفاقية على تسيير المستشفى، وستتكلف الوكالة الحضرية لتازة "
        "بتتبع الأشغال."
    )
    names = partner_names(text)
    assert "شركة العمران" in names, names
    assert "جمعية الأمل للتنمية" in names, names
    assert "الوكالة الحضرية لتازة" in names, names


def test_french_communes_missing_from_the_reference_and_a_province_of_the_same_name() -> None:
    text = (
        "Le conseil provincial de Taza a approuvé une convention avec la commune de Bab Boudir et la commune "
        "de Taza pour des projets dans la province de Taza."
    )
    names = [p.text for p in draft(text).locations]
    assert "commune de Bab Boudir" in names, names
    assert "commune de Taza" in names and "province de Taza" in names, names


def test_a_town_named_after_its_word_is_a_place_even_when_the_name_is_a_common_word() -> None:
    text = "وقعت وزارة الصحة اتفاقية شراكة لبناء مستشفى بمدينة الجديدة."
    assert [p.text for p in draft(text).locations] == ["الجديدة"]


def test_a_long_aside_does_not_end_a_list_and_the_provinces_council_takes_its_name() -> None:
    text = (
        "Le Conseil provincial de Taza a approuvé un accord de partenariat entre la province de Taza (Initiative "
        "Nationale pour le Développement Humain), le Conseil de la province et la commune de Tahla pour "
        "l'octroi d'un bus de transport scolaire."
    )
    names = partner_names(text)
    assert "commune de Tahla" in names, names
    assert "Conseil de la province" not in names and "Conseil provincial de Taza" in names, names


def test_support_for_sectors_or_efforts_is_an_aim() -> None:
    text = (
        "وقعت المديرية الجهوية للصحة وجمعية الأمل اتفاقية شراكة تهدف إلى دعم مجهودات القطاع الصحي، وتهم "
        "توفير سيارة إسعاف لفائدة المركز الصحي بتاهلة."
    )
    names = project_names(text)
    assert not any(n.startswith("دعم مجهودات") for n in names), names
    assert any(n.startswith("توفير سيارة إسعاف") for n in names), names


def test_a_component_referred_to_again_is_not_a_new_one() -> None:
    text = (
        "وقعت وزارة الصحة ومجلس جهة سوس ماسة اتفاقية شراكة لبناء مستشفى إقليمي بتارودانت. وتلتزم الوزارة "
        "بتجهيز المؤسسة الاستشفائية موضوع الاتفاقية، ويتكفل المجلس بإنجاز المشاريع."
    )
    names = project_names(text)
    assert not any("موضوع الاتفاقية" in n for n in names), names
    assert "إنجاز المشاريع" not in names
    assert any(n.startswith("بناء مستشفى إقليمي") for n in names), names


def test_mm_does_not_end_a_sentence_and_surnames_take_the_full_names() -> None:
    text = (
        "La cérémonie s'est tenue en présence du ministre de la Santé, Karim Alami, et du président du Conseil "
        "de la région, Saïd Bennani.\nLa convention, signée par MM. Alami et Bennani, porte sur la construction "
        "d'un hôpital."
    )
    assert "Karim Alami" in [s.name for s in draft(text).signatories]
