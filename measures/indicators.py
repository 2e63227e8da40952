"""Fixed vocabularies of the ITA: its three instruments, its ten indicators, the phases of the
assessment calendar and the kinds of One Stop Service improvement.

These are official Thai terms, printed in Thai in every published document whatever the reader's
language; the English names are for staff who use the portal in English. `Term.label` picks the
one for the active language, so they need no message catalogue.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import lazy


@dataclass(frozen=True)
class Term:
    key: str
    th: str
    en: str

    @property
    def label(self) -> str:
        return self.en if translation.get_language() == "en" else self.th


def _label(th: str, en: str) -> str:
    return en if translation.get_language() == "en" else th


lazy_label = lazy(_label, str)


def choices(terms) -> list[tuple]:
    """Model/form choices whose labels follow the language of the moment they are shown."""
    return [(t.key, lazy_label(t.th, t.en)) for t in terms]


INSTRUMENTS = [
    Term("iit", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "Internal Integrity and Transparency Assessment (IIT)"),
    Term("eit", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "External Integrity and Transparency Assessment (EIT)"),
    Term("oit", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "Open Data Integrity and Transparency Assessment (OIT)"),
]
INSTRUMENT = {t.key: t for t in INSTRUMENTS}


@dataclass(frozen=True)
class Indicator(Term):
    number: int = 0
    instrument: str = ""


INDICATORS = [
    Indicator("1", "การปฏิบัติหน้าที่", "Duty performance", 1, "iit"),
    Indicator("2", "การใช้งบประมาณ", "Budget use", 2, "iit"),
    Indicator("3", "การใช้อำนาจ", "Use of authority", 3, "iit"),
    Indicator("4", "การใช้ทรัพย์สินของราชการ", "Use of state property", 4, "iit"),
    Indicator("5", "การแก้ไขปัญหาการทุจริต", "Fixing corruption", 5, "iit"),
    Indicator("6", "คุณภาพการดำเนินงาน", "Service quality", 6, "eit"),
    Indicator("7", "ประสิทธิภาพการสื่อสาร", "Communication", 7, "eit"),
    Indicator("8", "การปรับปรุงระบบการทำงาน", "Work-system improvement", 8, "eit"),
    Indicator("9", "การเปิดเผยข้อมูล", "Disclosure", 9, "oit"),
    Indicator("10", "การป้องกันการทุจริต", "Corruption prevention", 10, "oit"),
]
INDICATOR = {i.number: i for i in INDICATORS}
INDICATOR_CHOICES = [(i.number, lazy_label(f"{i.number}) {i.th}", f"{i.number}) {i.en}")) for i in INDICATORS]

STAGES = [
    Term("preparation", "ช่วงเตรียมการประเมิน", "Preparation"),
    Term("assessment", "ช่วงดำเนินการประเมิน", "Assessment"),
    Term("oit_review", "ช่วงดำเนินการตรวจ OIT และกระบวนการอุทธรณ์", "OIT scoring and appeal"),
    Term("results", "ช่วงสรุปผลและเผยแพร่ผลการประเมิน", "Results"),
]
STAGE = {t.key: t for t in STAGES}

PHASE_KINDS = [
    Term("preparation", "เตรียมความพร้อม", "Preparation"),
    Term("registration", "ลงทะเบียนและบันทึกข้อมูลพื้นฐานในระบบ ITAP", "Registration and basic data in ITAP"),
    Term("iit", "เก็บข้อมูลแบบวัด IIT", "IIT collection"),
    Term("eit", "เก็บข้อมูลแบบวัด EIT", "EIT collection"),
    Term("oit", "รายงานข้อมูล OIT", "OIT reporting"),
    Term("scoring", "ตรวจให้คะแนน OIT และให้ข้อสังเกต", "OIT scoring with feedback"),
    Term("appeal", "อุทธรณ์ผลคะแนน OIT", "Appeal"),
    Term("processing", "ประมวลผลและจัดทำรายงานผลการประเมิน", "Processing"),
    Term("results", "ประกาศและเผยแพร่ผลการประเมิน", "Results published"),
    Term("other", "อื่น ๆ", "Other"),
]
PHASE_KIND = {t.key: t for t in PHASE_KINDS}

# The six improvements of a service point the seeds list (One Stop Service).
SERVICE_POINT_KINDS = [
    Term("info_desk", "จุดประชาสัมพันธ์/สอบถามความคืบหน้า", "Information and progress desk"),
    Term("service_signs", "ป้ายประชาสัมพันธ์จุดบริการ", "Service-point signs"),
    Term("commitment_sign", "ป้ายพันธะสัญญา", "Service-commitment sign"),
    Term("no_gift_sign", "ป้าย No Gift Policy", "No Gift Policy sign"),
    Term("manual_sign", "ป้ายประชาสัมพันธ์ Download คู่มือการให้บริการ", "“Download the service manual” sign"),
    Term("facilities", "การจัดสิ่งอำนวยความสะดวก", "Facilities"),
    Term("other", "อื่น ๆ", "Other"),
]
SERVICE_POINT_KIND = {t.key: t for t in SERVICE_POINT_KINDS}
