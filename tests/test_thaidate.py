import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from ita_portal.lib import thaidate
from ita_portal.lib.forms import BuddhistDateField, BuddhistYearField


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2023, 9, 30), 2566),
        (datetime.date(2023, 10, 1), 2567),
        (datetime.date(2024, 3, 31), 2567),
        (datetime.date(2024, 9, 30), 2567),
        (datetime.date(2024, 10, 1), 2568),
        (datetime.date(2024, 12, 31), 2568),
        (datetime.date(2025, 1, 1), 2568),
    ],
)
def test_fiscal_year_edges(day, expected):
    assert thaidate.fiscal_year(day) == expected


def test_fiscal_year_bounds_and_months():
    assert thaidate.fiscal_year_bounds(2567) == (datetime.date(2023, 10, 1), datetime.date(2024, 9, 30))
    months = thaidate.fiscal_year_months(2567)
    assert months[0] == datetime.date(2023, 10, 1) and months[-1] == datetime.date(2024, 9, 1)
    assert len(months) == 12
    first_half = thaidate.fiscal_year_months(2567, months=[1, 2, 3, 10, 11, 12])
    assert [m.month for m in first_half] == [10, 11, 12, 1, 2, 3]
    assert first_half[3] == datetime.date(2024, 1, 1)


def test_month_labels():
    october = datetime.date(2023, 10, 1)
    assert thaidate.month_label(october) == "ต.ค.66"
    assert thaidate.month_label(october, style="full") == "ตุลาคม 2566"
    assert thaidate.month_label(october, thai_digits=True) == "ต.ค.๖๖"
    assert thaidate.month_label(datetime.date(2024, 3, 1), style="full", thai_digits=True) == "มีนาคม ๒๕๖๗"
    assert thaidate.month_label(october, language="en") == "Oct 2023"


def test_thai_dates_and_digits():
    day = datetime.date(2024, 3, 1)
    assert thaidate.thai_date(day) == "1 มีนาคม 2567"
    assert thaidate.thai_date(day, thai_digits=True) == "๑ มีนาคม ๒๕๖๗"
    assert thaidate.thai_date(day, style="abbr") == "1 มี.ค.67"
    assert thaidate.to_thai_digits("2567") == "๒๕๖๗"
    assert thaidate.from_thai_digits("๓๐ มี.ค.๖๗") == "30 มี.ค.67"


@pytest.mark.parametrize("typed", ["2567", "๒๕๖๗", "พ.ศ. 2567", " 2567 "])
def test_be_year_accepted_in_any_digits(typed):
    assert thaidate.parse_be_year(typed) == 2567


def test_ce_year_refused_not_guessed():
    with pytest.raises(thaidate.AmbiguousYear):
        thaidate.parse_be_year("2024")
    with pytest.raises(ValueError):
        thaidate.parse_be_year("67")


def test_year_field_messages_are_thai():
    field = BuddhistYearField()
    assert field.clean("๒๕๖๗") == 2567
    with translation.override("th"):
        with pytest.raises(Exception) as excinfo:
            field.clean("2024")
    message = excinfo.value.messages[0]
    assert "คริสต์ศักราช" in message and "2567" in message


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1/3/2567", datetime.date(2024, 3, 1)),
        ("๑/๓/๒๕๖๗", datetime.date(2024, 3, 1)),
        ("30-9-2566", datetime.date(2023, 9, 30)),
        ("2567-03-01", datetime.date(2024, 3, 1)),
    ],
)
def test_date_field_accepts_be(typed, expected):
    assert BuddhistDateField().clean(typed) == expected


def test_date_field_refuses_ce_and_nonsense():
    field = BuddhistDateField()
    with translation.override("th"):
        for typed in ("1/3/2024", "31/2/2567", "yesterday"):
            with pytest.raises(Exception) as excinfo:
                field.clean(typed)
            assert excinfo.value.messages[0].startswith(("ปี", "กรุณา"))


def test_date_widget_shows_be_back():
    rendered = BuddhistDateField().widget.format_value(datetime.date(2024, 3, 1))
    assert rendered == "1/3/2567"


def test_template_filters_follow_language():
    template = Template("{{ d|be_date }}|{{ d|be_month }}|{{ d|be_date:'abbr'|thai_digits }}|{{ d|fiscal_year_of }}")
    context = Context({"d": datetime.date(2023, 11, 5)})
    with translation.override("th"):
        assert template.render(context) == "5 พฤศจิกายน 2566|พ.ย.66|๕ พ.ย.๖๖|2567"
    with translation.override("en"):
        assert template.render(context).startswith("5 November 2023|Nov 2023|")
