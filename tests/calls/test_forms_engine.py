"""The form builder's rules for every question kind, and how answers are checked against them."""

import pytest
from django.core.exceptions import ValidationError

from govlab.calls.enums import QuestionKind as K
from govlab.calls.forms_engine import clean_answer, clean_key, clean_question_config, oversized

CHOICES = [
    {"value": "a", "label": {"en": "A"}},
    {"value": "b", "label": {"en": "B"}},
    {"value": "c", "label": "C"},
]


def errors_of(kind, config):
    with pytest.raises(ValidationError) as caught:
        clean_question_config(kind, config)
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("kind", "config", "expected"),
    [
        (K.SHORT_TEXT, {}, {"max_length": 200}),
        (K.SHORT_TEXT, {"max_length": "80"}, {"max_length": 80}),
        (K.LONG_TEXT, {"max_length": 2500}, {"max_length": 2500}),
        (K.NUMBER, {"min": "1", "max": "10", "integer": True}, {"min": "1", "max": "10", "integer": True}),
        (K.MONEY, {"currency": "eur", "min": 0}, {"min": "0", "currency": "EUR"}),
        (K.DATE, {"min": "2027-01-01"}, {"min": "2027-01-01"}),
        (K.YES_NO, {}, {}),
        (K.URL, {}, {}),
        (K.FILE, {"extensions": ["PDF", "docx"], "max_mb": 5}, {"extensions": ["docx", "pdf"], "max_mb": 5}),
    ],
)
def test_valid_configs_are_normalised(kind, config, expected):
    assert clean_question_config(kind, config) == expected


def test_choices_are_normalised_with_labels():
    config = clean_question_config(
        K.MULTIPLE_CHOICE, {"choices": CHOICES, "min_selected": 1, "max_selected": 2}
    )
    assert config == {
        "choices": [
            {"value": "a", "label": {"en": "A"}},
            {"value": "b", "label": {"en": "B"}},
            {"value": "c", "label": {"en": "C"}},
        ],
        "min_selected": 1,
        "max_selected": 2,
    }


def test_group_with_fields():
    config = clean_question_config(
        K.GROUP,
        {
            "max_rows": 5,
            "fields": [
                {"key": "name", "kind": "short_text", "label": {"en": "Name"}, "required": True},
                {
                    "key": "role",
                    "kind": "single_choice",
                    "label": {"en": "Role"},
                    "config": {"choices": CHOICES},
                },
            ],
        },
    )
    assert config["min_rows"] == 0
    assert config["max_rows"] == 5
    assert [f["key"] for f in config["fields"]] == ["name", "role"]
    assert config["fields"][0] == {
        "key": "name",
        "kind": "short_text",
        "label": {"en": "Name"},
        "required": True,
        "config": {"max_length": 200},
    }


@pytest.mark.parametrize(
    ("kind", "config", "field", "message"),
    [
        (K.SHORT_TEXT, {"max_length": 0}, "max_length", "Give a number from 1 to 500."),
        (K.SHORT_TEXT, {"max_length": "many"}, "max_length", "Give a whole number."),
        (K.LONG_TEXT, {"max_length": 60000}, "max_length", "Give a number from 10 to 50000."),
        (K.NUMBER, {"min": "x"}, "min", "Give a number."),
        (K.NUMBER, {"min": 10, "max": 1}, "max", "The largest value must not be below the smallest."),
        (K.MONEY, {"currency": "euro"}, "currency", "Give a three-letter currency code, e.g. EUR."),
        (K.DATE, {"min": "31/12/2027"}, "min", "Give a date as YYYY-MM-DD."),
        (
            K.DATE,
            {"min": "2027-02-01", "max": "2027-01-01"},
            "max",
            "The latest date must not be before the earliest.",
        ),
        (K.SINGLE_CHOICE, {"choices": ["only"]}, "choices", "Give at least two choices."),
        (K.SINGLE_CHOICE, {"choices": ["a", "a"]}, "choices", "Two choices have the same value “a”."),
        (
            K.MULTIPLE_CHOICE,
            {"choices": CHOICES, "max_selected": 9},
            "max_selected",
            "Give a number from 1 to 3.",
        ),
        (K.FILE, {"extensions": ["exe"]}, "extensions", "Not an accepted file type: exe."),
        (K.FILE, {"extensions": []}, "extensions", "Choose at least one file type."),
        (K.FILE, {"extensions": ["pdf"], "max_mb": 500}, "max_mb", "Give a number from 1 to 10."),
        (K.GROUP, {"fields": []}, "fields", "A repeatable group needs at least one field."),
        (
            K.GROUP,
            {"fields": [{"key": "cv", "kind": "file", "label": {"en": "CV"}}]},
            "fields",
            "Field 1: A repeatable group cannot hold files or other groups.",
        ),
        (
            K.GROUP,
            {"fields": [{"key": "Bad Key", "kind": "short_text", "label": {"en": "x"}}]},
            "fields",
            "Field 1: give a key of lower-case letters, digits and underscores.",
        ),
        (
            K.GROUP,
            {"min_rows": 5, "max_rows": 2, "fields": [{"key": "a", "kind": "url", "label": "A"}]},
            "max_rows",
            "The most rows must not be below the fewest.",
        ),
    ],
)
def test_bad_configs_are_refused_at_the_setting(kind, config, field, message):
    assert errors_of(kind, config)[field] == [message]


def test_unknown_kind_refused():
    assert errors_of("essay", {}) == {"kind": ["Choose a kind of question."]}


def test_keys():
    assert clean_key("team_members") == "team_members"
    with pytest.raises(ValidationError):
        clean_key("1st")
    with pytest.raises(ValidationError):
        clean_key("Team")


@pytest.mark.parametrize(
    ("kind", "config", "value", "expected"),
    [
        (K.SHORT_TEXT, {"max_length": 20}, "  Robots  ", "Robots"),
        (K.SHORT_TEXT, {"max_length": 20}, "two\nlines", "two lines"),
        (K.LONG_TEXT, {"max_length": 20}, "line one\nline two", "line one\nline two"),
        (K.NUMBER, {"integer": True, "min": "1"}, "12", "12"),
        (K.NUMBER, {}, "12.50", "12.50"),
        (K.MONEY, {}, "45 000", "45000"),
        (K.MONEY, {}, 1250.5, "1250.5"),
        (K.MONEY, {}, "12,5", "12.5"),
        (K.MONEY, {}, "1.250,50", "1250.50"),
        (K.MONEY, {}, "1,250.50", "1250.50"),
        (K.NUMBER, {}, "45\u202f000", "45000"),
        (K.DATE, {"min": "2027-01-01"}, "2027-03-12", "2027-03-12"),
        (K.SINGLE_CHOICE, {"choices": CHOICES}, "b", "b"),
        (K.MULTIPLE_CHOICE, {"choices": CHOICES}, ["c", "a"], ["a", "c"]),
        (K.YES_NO, {}, "yes", True),
        (K.YES_NO, {}, False, False),
        (K.URL, {}, "example.org/robots", "https://example.org/robots"),
        (K.FILE, {}, "7", 7),
        (K.SHORT_TEXT, {}, "", None),
        (K.MULTIPLE_CHOICE, {"choices": CHOICES}, [], None),
    ],
)
def test_answers_are_normalised(kind, config, value, expected):
    assert clean_answer(kind, config, value) == expected


@pytest.mark.parametrize(
    ("kind", "config", "value", "message"),
    [
        (K.SHORT_TEXT, {"max_length": 5}, "Robots!", "Keep this to 5 characters; it has 7."),
        (K.LONG_TEXT, {"max_length": 3000}, "x" * 1_000_000, "Keep this to 3000 characters; it has 1000000."),
        (K.NUMBER, {}, "twelve", "Give a number, e.g. 1250 or 12.5."),
        (K.NUMBER, {"integer": True}, "1.5", "Give a whole number."),
        (K.NUMBER, {"min": "1"}, "0", "Give at least 1."),
        (K.NUMBER, {"max": "10"}, "11", "Give at most 10."),
        (K.NUMBER, {}, "NaN", "Give a number, e.g. 1250 or 12.5."),
        (K.NUMBER, {}, "1,250", "Give a number, e.g. 1250 or 12.5."),
        (K.MONEY, {}, "10.999", "Give the amount with at most two decimals."),
        (K.DATE, {}, "12/03/2027", "Give a date as YYYY-MM-DD."),
        (K.DATE, {"max": "2027-01-01"}, "2027-03-12", "Give a date on or before 2027-01-01."),
        (K.SINGLE_CHOICE, {"choices": CHOICES}, "z", "Choose one of the options."),
        (K.MULTIPLE_CHOICE, {"choices": CHOICES, "max_selected": 1}, ["a", "b"], "Choose at most 1."),
        (K.MULTIPLE_CHOICE, {"choices": CHOICES, "min_selected": 2}, ["a"], "Choose at least 2."),
        (K.YES_NO, {}, "maybe", "Answer yes or no."),
        (K.URL, {}, "javascript:alert(1)", "Give a web address, e.g. https://example.org."),
        (K.URL, {}, "not a url", "Give a web address, e.g. https://example.org."),
        (K.FILE, {}, "abc", "Upload a file."),
    ],
)
def test_bad_answers_get_a_message(kind, config, value, message):
    with pytest.raises(ValidationError) as caught:
        clean_answer(kind, config, value)
    assert caught.value.messages == [message]


def test_file_answer_must_belong_to_the_application():
    with pytest.raises(ValidationError) as caught:
        clean_answer(K.FILE, {}, 9, file_ids={1, 2})
    assert caught.value.messages == ["Upload the file again: it is not part of this application."]


def test_group_rows_checked_field_by_field():
    config = clean_question_config(
        K.GROUP,
        {
            "max_rows": 2,
            "fields": [
                {"key": "name", "kind": "short_text", "label": {"en": "Name"}, "required": True},
                {"key": "year", "kind": "number", "label": {"en": "Year"}, "config": {"integer": True}},
            ],
        },
    )
    assert clean_answer(K.GROUP, config, [{"name": "Ana", "year": "2020"}, {"name": "", "year": ""}]) == [
        {"name": "Ana", "year": "2020"}
    ]
    with pytest.raises(ValidationError) as caught:
        clean_answer(K.GROUP, config, [{"name": "", "year": "soon"}])
    assert caught.value.messages == [
        "Row 1: Name is required.",
        "Row 1, Year: Give a number, e.g. 1250 or 12.5.",
    ]
    with pytest.raises(ValidationError) as caught:
        clean_answer(K.GROUP, config, [{"name": "a"}, {"name": "b"}, {"name": "c"}])
    assert caught.value.messages == ["Give at most 2 rows."]


def test_oversized_values():
    assert oversized("x" * 60_001)
    assert not oversized("x" * 60_000)
    assert oversized([{"a": "x" * 70_000}])
    assert not oversized({"a": "short"})
