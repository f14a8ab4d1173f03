"""Bad input: a clear error with a code and a path, never a crash or a silent fix."""

from __future__ import annotations

import base64

import pytest

from tests.schema.conftest import Execute

PAGE = """query($first: Int, $after: String) {
  missions(first: $first, after: $after) { nodes { slug } }
}"""


def only_error(result):  # type: ignore[no-untyped-def]
    assert result.errors is not None
    (error,) = result.errors
    return error


def test_first_above_100_is_an_error_not_a_silent_cap(execute: Execute) -> None:
    error = only_error(execute(PAGE, first=1000))
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert error.path == ["missions"]
    assert "first" in error.message
    assert "100" in error.message
    assert "1000" in error.message


def test_negative_first_is_an_error(execute: Execute) -> None:
    assert only_error(execute(PAGE, first=-1)).extensions["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        base64.urlsafe_b64encode(b'["NAME_ASC", "a", "b"]').decode(),
        base64.urlsafe_b64encode(b'{"$gt": ""}').decode(),
        base64.urlsafe_b64encode(b'["DATE_ASC", {"$ne": 1}, "x"]').decode(),
    ],
)
def test_a_forged_cursor_is_refused(execute: Execute, cursor: str) -> None:
    error = only_error(execute(PAGE, after=cursor))
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert error.path == ["missions"]
    assert "after" in error.message


def test_a_nested_bad_argument_names_its_path(execute: Execute) -> None:
    result = execute('{ program(slug: "gemini") { missions(first: 101) { totalCount } } }')
    error = only_error(result)
    assert error.path == ["program", "missions"]
    assert error.extensions["code"] == "BAD_USER_INPUT"


def test_malformed_query(execute: Execute) -> None:
    error = only_error(execute("{ missions { nodes { slug }"))
    assert error.extensions["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in error.message


def test_unknown_field(execute: Execute) -> None:
    error = only_error(execute("{ missions { nodes { rocket } } }"))
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Cannot query field 'rocket' on type 'Mission'" in error.message


def test_wrong_argument_type(execute: Execute) -> None:
    error = only_error(execute('{ missions(first: "ten") { totalCount } }'))
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Int cannot represent" in error.message


def test_wrong_variable_type(execute: Execute) -> None:
    error = only_error(execute(PAGE, first="ten"))
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert "$first" in error.message


def test_an_impossible_partial_date(execute: Execute) -> None:
    query = "query($f: MissionFilter) { missions(filter: $f) { totalCount } }"
    error = only_error(execute(query, f={"launchedFrom": "1965-02-30"}))
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert "launchedFrom" in error.message


SEARCH = """query($q: String!, $f: PersonFilter) {
  search(query: $q, first: 100) { ... on Person { slug } ... on Mission { slug }
                                  ... on Program { slug } ... on Event { slug } }
  people(filter: $f) { totalCount }
}"""


@pytest.mark.parametrize(
    ("text", "plain"), [('{"$gt": ""}', "gt"), ("$where", "where"), ("$regex", "regex")]
)
def test_operator_shaped_text_is_searched_as_plain_text(
    execute: Execute, text: str, plain: str
) -> None:
    shaped = execute(SEARCH, q=text, f={"nameContains": text})
    assert shaped.errors == []
    assert shaped.data == execute(SEARCH, q=plain, f={"nameContains": plain}).data


@pytest.mark.parametrize("text", [".*", "leonov|gagarin", "(", "\\", "^$"])
def test_pattern_characters_match_nothing_rather_than_everything(
    execute: Execute, text: str
) -> None:
    result = execute(SEARCH, q=text, f={"nameContains": text})
    assert result.errors == []
    assert result.data == {"search": [], "people": {"totalCount": 0}}
