"""The three agreements of the seed texts, as the texts state them and nothing more.

Where a text is silent the field stays empty and the pages say "not specified". The one figure
not in the seed text, the Guelmim-Oued Noun split, comes from other coverage of the same signing
and carries its source (reference README, S-C3)."""

from datetime import date
from decimal import Decimal

GUELMIM_SPLIT_SOURCE = (
    "S-C3: fr.allafrica.com/stories/202311070321.html — other coverage of the same signing: "
    "222 MDH Ministry of Health and Social Protection, 221 MDH Guelmim-Oued Noun region."
)

GUELMIM = {
    "reference": "GON-2023-SANTE-443",
    "source_file": "guelmim-oued-noun-2023-11-06.txt",
    "agreement": {
        "kind": "partnership",
        "title_ar": "اتفاقية شراكة للارتقاء بالشأن الصحي بجهة كلميم واد نون",
        "title_fr": "Convention de partenariat pour la promotion de la santé dans la région de Guelmim-Oued Noun",
        "object_ar": (
            "تأهيل وضمان الخدمات الصحية والطبية للمواطنين وتوفير البنيات التحتية المناسبة للعاملين بالقطاع الصحي، "
            "في سياق عقد الشراكة بين الدولة والجهة؛ تحسين العرض الصحي بالجهة وسد الخصاص الحاصل في مجموعة من "
            "التخصصات الطبية."
        ),
        "object_fr": (
            "Mettre à niveau et garantir les services de santé et de soins pour les citoyens et offrir les "
            "infrastructures adaptées aux personnels de santé, dans le cadre du contrat État–Région ; améliorer "
            "l'offre de soins de la région et combler le déficit dans plusieurs spécialités médicales."
        ),
        "signed_on": date(2023, 11, 6),
        "signed_place": "فضاء الاستقبال والاجتماعات بمقر جهة كلميم واد نون",
        "total_amount": Decimal("443000000.00"),
        "region": "10",
        "is_published": True,
    },
    "status": "signed",
    "programme": {
        "code": "pdr-guelmim-oued-noun-2022-2027",
        "kind": "regional_development",
        "region": "10",
        "name_ar": "برنامج التنمية الجهوية 2022-2027 لجهة كلميم واد نون",
        "name_fr": "Programme de développement régional 2022-2027 de Guelmim-Oued Noun",
        "start_year": 2022,
        "end_year": 2027,
    },
    "partners": [
        {
            "organisation": "CR-10",
            "committed_amount": Decimal("221000000.00"),
            "is_funder": True,
            "commitment_source": GUELMIM_SPLIT_SOURCE,
        },
        {
            "organisation": "MSPS",
            "committed_amount": Decimal("222000000.00"),
            "is_funder": True,
            "commitment_source": GUELMIM_SPLIT_SOURCE,
        },
        {"organisation": "WILAYA-10", "committed_amount": None},
    ],
    "signatories": [
        {
            "name_ar": "مباركة بوعيدة",
            "name_fr": "Mbarka Bouaida",
            "organisation": "CR-10",
            "role": "رئيسة مجلس جهة كلميم واد نون",
        },
        {
            "name_ar": "خالد أيت الطالب",
            "name_fr": "Khalid Ait Taleb",
            "organisation": "MSPS",
            "role": "وزير الصحة والحماية الاجتماعية",
        },
        {
            "name_ar": "محمد الناجم ابهي",
            "name_fr": "Mohamed Najem Abhay",
            "organisation": "WILAYA-10",
            "role": "والي جهة كلميم واد نون",
        },
    ],
    "attendees": [
        {"organisation": "DRS-10", "description": "المدير الجهوي للصحة"},
        {"organisation": "ANEP", "description": "ممثل الوكالة الوطنية للتجهيزات العامة"},
        {"organisation": "CNOM", "description": "ممثل الهيئة الوطنية للأطباء"},
    ],
    # 14 projects, as the text counts them. The text's sentence on equipment ("تعزيز التجهيزات …
    # إضافة إلى توفير الكاشفات الضوئية وأجهزة التصوير بالرنين المغناطيسي") is one project here.
    "projects": [
        {
            "title_ar": "إنشاء مستشفيات القرب داخل التجمعات الحضرية التي تعرف نموا ديموغرافيا كبيرا",
            "title_fr": "Création d'hôpitaux de proximité dans les agglomérations urbaines à forte croissance",
            "category": "proximity_hospital",
            "facility_type": "HP",
        },
        {
            "title_ar": "تعزيز التجهيزات بالمراكز الصحية بالجهة واقتناء الكاشفات الضوئية وأجهزة التصوير بالرنين المغناطيسي",
            "title_fr": "Renforcement des équipements des centres de santé de la région : scanners, IRM et "
            "autres équipements médicaux",
            "category": "imaging_equipment",
        },
        {
            "title_ar": "التعاقد مع أطباء وممرضين أكفاء لحل مشكل الخصاص في الأطر الطبية",
            "title_fr": "Contractualisation de médecins et d'infirmiers pour combler le déficit en personnel",
            "category": "staff_contracting",
            "budget": Decimal("50000000.00"),
        },
        {
            "title_ar": "بناء السكنيات الوظيفية لفائدة الأطر الطبية",
            "title_fr": "Construction de logements de fonction pour le personnel médical",
            "category": "staff_housing",
            "budget": Decimal("20000000.00"),
        },
        {
            "title_ar": "إحداث وتجهيز أربع فضاءات مخصصة لصحة الشباب بالأقاليم الأربعة للجهة",
            "title_fr": "Création et équipement de quatre espaces santé jeunes dans les quatre provinces",
            "category": "youth_health_space",
            "facility_type": "ESJ",
            "units": 4,
            "budget": Decimal("20000000.00"),
        },
        {
            "title_ar": "إنشاء وتجهيز مركز لمحاربة الإدمان",
            "title_fr": "Création et équipement d'un centre de lutte contre l'addiction",
            "category": "addiction_centre",
            "facility_type": "ADDICTO",
            "units": 1,
        },
        {
            "title_ar": "تعزيز تطوير القوافل الطبية",
            "title_fr": "Développement des caravanes médicales",
            "category": "mobile_caravans",
            "facility_type": "CMS",
        },
        {
            "title_ar": "تطوير العرض الصحي على مستوى الجماعات الترابية",
            "title_fr": "Développement de l'offre de soins au niveau des collectivités territoriales",
            "category": "facility_upgrade",
        },
        {
            "title_ar": "إحداث وتجهيز مركزين صحيين مرجعيين لصحة النساء",
            "title_fr": "Création et équipement de deux centres de santé de référence pour les femmes",
            "category": "womens_reference_centre",
            "units": 2,
        },
        {
            "title_ar": "إنشاء وتجهيز مركز طبي جامعي بمدينة كلميم للعناية بصحة الطلبة الجامعيين",
            "title_fr": "Création et équipement d'un centre médical universitaire à Guelmim",
            "category": "university_medical_centre",
            "units": 1,
            "communes": ["10.261.01.03"],
        },
        {
            "title_ar": "إنشاء وحدتين للطوارئ بجماعة تغجيجت وجماعة تيوغزة",
            "title_fr": "Création de deux unités d'urgences dans les communes de Taghjijt et Tioughza",
            "category": "emergency_unit",
            "facility_type": "UMP",
            "units": 2,
            "communes": ["10.261.03.11", "10.473.05.13"],
        },
        {
            "title_ar": "تهيئة وتجهيز قطب الطب النفسي على مستوى المركز الاستشفائي الجهوي بكلميم",
            "title_fr": "Aménagement et équipement du pôle de psychiatrie du centre hospitalier régional de Guelmim",
            "category": "psychiatric_unit",
            "facility_type": "CHR",
            "communes": ["10.261.01.03"],
        },
        {
            "title_ar": "تهيئة قسم المستعجلات بالمستشفى الإقليمي الحسن الثاني بطانطان وزيادة قدرته الاستيعابية",
            "title_fr": "Aménagement des urgences de l'hôpital provincial Hassan II de Tan-Tan et extension de "
            "sa capacité",
            "category": "emergency_unit",
            "facility_type": "CHP",
            "communes": ["10.521.01.01"],
        },
        {
            "title_ar": "إنشاء وتجهيز مرافق الرعاية الصحية بجماعات المحبس وعوينة الهنا وأنفك وطانطان",
            "title_fr": "Création et équipement de structures de soins à Al Mahbass, Aouint Lahna, Anfeg et Tan-Tan",
            "category": "health_centre",
            "communes": ["10.071.05.01", "10.071.03.01", "10.473.07.03", "10.521.01.01"],
        },
    ],
    "committee": None,
}

INEZGANE_OBJECTIVES_AR = (
    "الارتقاء بمستوى الصحة والرفع من جودتها بالعمالة؛ تأهيل المؤسسات الصحية واقتناء التجهيزات الضرورية لأجل "
    "تجويد الخدمات الصحية المقدمة لفائدة الساكنة الهشة؛ تحسين ظروف العمل بالمؤسسات الصحية؛ دعم وتوفير وسائل نقل "
    "المرضى والنساء الحوامل؛ توسيع شبكة المؤسسات العلاجية وتقريب خدماتها من المواطنين."
)
INEZGANE_OBJECTIVES_FR = (
    "Améliorer le niveau et la qualité de la santé dans la préfecture ; mettre à niveau les établissements de "
    "santé et acquérir les équipements nécessaires pour les services offerts à la population vulnérable ; "
    "améliorer les conditions de travail dans les établissements de santé ; soutenir et fournir des moyens de "
    "transport des malades et des femmes enceintes ; étendre le réseau des établissements de soins et "
    "rapprocher leurs services des citoyens."
)
GOVERNOR = {
    "name_ar": "إسماعيل أبو الحقوق",
    "name_fr": "",
    "organisation": "GOUV-09.273",
    "role": "عامل عمالة إنزكان أيت ملول",
}
MINISTER = {
    "name_ar": "خالد آيت الطالب",
    "name_fr": "Khalid Ait Taleb",
    "organisation": "MSPS",
    "role": "وزير الصحة و الحماية الإجتماعية",
    "presided": True,
}

INEZGANE_FRAMEWORK = {
    "reference": "IAM-2022-SANTE-CADRE",
    "source_file": "inezgane-ait-melloul-2022-02-12.txt",
    "agreement": {
        "kind": "framework",
        "title_ar": "اتفاقية إطار شراكة ترمي إلى إنجاز المشاريع المتعلقة ببرنامج تأهيل القطاع الصحي بعمالة إنزكان آيت ملول",
        "title_fr": "Convention-cadre de partenariat pour la réalisation du programme de mise à niveau du "
        "secteur de la santé de la préfecture d'Inezgane-Aït Melloul",
        "object_ar": INEZGANE_OBJECTIVES_AR,
        "object_fr": INEZGANE_OBJECTIVES_FR,
        "signed_on": date(2022, 2, 12),
        "signed_place": "مقر ولاية سوس ماسة",
        "total_amount": Decimal("158160000.00"),
        "region": "09",
        "province": "09.273",
        "is_published": True,
    },
    "status": "signed",
    "programme": {
        "code": "mise-a-niveau-sante-inezgane-ait-melloul",
        "kind": "provincial",
        "region": "09",
        "province": "09.273",
        "name_ar": "برنامج تأهيل القطاع الصحي بعمالة إنزكان آيت ملول",
        "name_fr": "Programme de mise à niveau du secteur de la santé de la préfecture d'Inezgane-Aït Melloul",
    },
    "partners": [
        {"organisation": "MSPS"},
        {"organisation": "CR-09"},
        {"organisation": "CPP-09.273"},
        {"commune": "09.273.01.15"},
        {"commune": "09.273.01.13"},
        {"commune": "09.273.01.05"},
        {"commune": "09.273.01.17"},
    ],
    "signatories": [MINISTER, GOVERNOR],
    "attendees": [
        {"organisation": "WILAYA-09", "description": "السيد والي الجهة"},
        {"organisation": "CR-09", "description": "السيد رئيس الجهة"},
    ],
    "projects": [],
    "committee": {
        "kind": "supervision",
        "name_ar": "اللجنة الإقليمية للإشراف والتتبع لاتفاقية إطار الشراكة المتعلقة بتأهيل القطاع الصحي لعمالة إنزكان أيت ملول",
        "name_fr": "Comité provincial de supervision et de suivi de la convention-cadre de mise à niveau du "
        "secteur de la santé d'Inezgane-Aït Melloul",
        "province": "09.273",
        "chair_role": "عامل عمالة إنزكان أيت ملول",
        "mandate": "ضمان التنزيل الجيد والتتبع لمضامين الاتفاقية بمشاركة جميع الأطراف المعنية",
        "members": "partners",
    },
}

INEZGANE_INDH = {
    "reference": "IAM-2022-INDH-SANTE",
    "source_file": "inezgane-ait-melloul-2022-02-12.txt",
    "agreement": {
        "kind": "partnership",
        "title_ar": "اتفاقية شراكة لإنجاز المشاريع الرامية إلى تنمية قطاع الصحة العمومية بعمالة إنزكان آيت ملول في إطار المبادرة الوطنية للتنمية البشرية",
        "title_fr": "Convention de partenariat pour la réalisation des projets de développement de la santé "
        "publique dans la préfecture d'Inezgane-Aït Melloul, dans le cadre de l'INDH",
        "object_ar": "النهوض بالقطاع الاجتماعي وإدماج الفئات المحتاجة والسعي لمحاربة الفقر والإقصاء. "
        + INEZGANE_OBJECTIVES_AR,
        "object_fr": "Promouvoir le secteur social, intégrer les populations dans le besoin et lutter contre la "
        "pauvreté et l'exclusion. " + INEZGANE_OBJECTIVES_FR,
        "signed_on": date(2022, 2, 12),
        "signed_place": "مقر ولاية سوس ماسة",
        "total_amount": Decimal("26343000.00"),
        "region": "09",
        "province": "09.273",
        "is_published": True,
    },
    "status": "signed",
    "programme": {
        "code": "indh-phase-3",
        "kind": "indh_phase",
        "name_ar": "المبادرة الوطنية للتنمية البشرية — المرحلة الثالثة 2019-2023",
        "name_fr": "Initiative nationale pour le développement humain — phase III 2019-2023",
        "start_year": 2019,
        "end_year": 2023,
    },
    "partners": [
        {"organisation": "MSPS"},
        {
            "new_organisation": {
                "reference_code": "MSPS-DECONC-09.273",
                "kind": "deconcentrated_service",
                "name_ar": "المصالح اللاممركزة الجهوية والإقليمية لوزارة الصحة والحماية الاجتماعية",
                "name_fr": "Services déconcentrés régionaux et provinciaux du ministère de la Santé et de la "
                "Protection sociale (Souss-Massa, Inezgane-Aït Melloul)",
                "region": "09",
                "province": "09.273",
                "parent": "MSPS",
            }
        },
        {"organisation": "GOUV-09.273"},
    ],
    "signatories": [MINISTER, GOVERNOR],
    "attendees": [],
    "projects": [],
    "committee": {
        "kind": "steering",
        "name_ar": "اللجنة الإقليمية للتنمية البشرية لعمالة إنزكان أيت ملول",
        "name_fr": "Comité provincial de développement humain d'Inezgane-Aït Melloul",
        "province": "09.273",
        "chair_role": "عامل عمالة إنزكان أيت ملول",
        "mandate": "ضمان التنزيل الجيد والتتبع لمضامين الاتفاقية في إطار المبادرة الوطنية للتنمية البشرية",
        "members": "partners",
    },
}

SEEDS = [GUELMIM, INEZGANE_FRAMEWORK, INEZGANE_INDH]
