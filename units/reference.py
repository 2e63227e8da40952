"""Unit types and their lines of work: reference data every installation needs.

Used by migration 0002 (with historical models) and by `load_demo`, so a flushed database can be
brought back without re-running migrations.
"""

UNIT_TYPES = [
    ("national", "สำนักงานตำรวจแห่งชาติ", "National police headquarters", 0, False, []),
    ("bureau", "กองบัญชาการ", "Bureau (กองบัญชาการ)", 1, False, []),
    ("division", "กองบังคับการ", "Division (กองบังคับการ)", 2, False, []),
    ("police_station", "สถานีตำรวจ", "Police station", 3, True, [
        ("administration", "อำนวยการ", "Administration"),
        ("prevention", "ป้องกันปราบปราม", "Crime prevention and suppression"),
        ("traffic", "จราจร", "Traffic"),
        ("investigation", "สืบสวน", "Investigation"),
        ("inquiry", "สอบสวน", "Inquiry"),
    ]),
    ("immigration_unit", "ตรวจคนเข้าเมืองจังหวัด/ด่านตรวจคนเข้าเมือง", "Provincial immigration unit / checkpoint", 3, True, [
        ("investigation_suppression", "สืบสวนปราบปราม", "Investigation and suppression"),
        ("alien_services", "บริการคนต่างด้าว", "Services for foreigners"),
        ("inspection", "ตรวจบุคคลและพาหนะ", "Inspection of persons and vehicles"),
        ("administration", "อำนวยการ/ธุรการ", "Administration"),
    ]),
]


def ensure(UnitType, LineOfWork):
    for code, name_th, name_en, level, publishes, lines in UNIT_TYPES:
        unit_type, _ = UnitType.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "level": level, "publishes_oit": publishes}
        )
        for order, (line_code, line_th, line_en) in enumerate(lines):
            LineOfWork.objects.update_or_create(
                unit_type=unit_type, code=line_code, defaults={"name_th": line_th, "name_en": line_en, "order": order}
            )
