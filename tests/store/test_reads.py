"""The data-access functions the API uses, without GraphQL or HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from spacerace.store import reads
from spacerace.store.aio import AsyncStore
from spacerace.store.dataset import Snapshot
from spacerace.store.layout import EVENTS, MISSIONS, PERSONS, PROGRAMS
from spacerace.store.paging import BY_DATE, BY_NAME, CursorError, encode_cursor
from spacerace.store.reads import Reader

T = TypeVar("T")


@pytest.fixture
def read(open_store: Callable[[], AsyncStore]) -> Callable[..., Any]:
    """Runs `action(reader)` on a fresh store, optionally with an `$in` cap."""

    def run(action: Callable[[Reader], Coroutine[Any, Any, T]], in_batch: int | None = None) -> T:
        async def main() -> T:
            store = open_store()
            store.in_batch = in_batch
            try:
                return await action(Reader(store))
            finally:
                await store.close()

        return asyncio.run(main())

    return run


def test_by_ids_keeps_the_order_asked_and_marks_the_missing(read: Callable[..., Any]) -> None:
    docs = read(lambda r: r.by_keys(MISSIONS, ["voskhod-2", "nope", "vostok-1", "voskhod-2"]))
    assert [d and d["_id"] for d in docs] == ["voskhod-2", None, "vostok-1", "voskhod-2"]
    assert "_hash" not in docs[0]
    assert "_search" not in docs[0]


def test_by_slug_prefers_the_own_slug_then_any_other_name(read: Callable[..., Any]) -> None:
    assert read(lambda r: r.by_slug(MISSIONS, "mercury-atlas-6"))["_id"] == "friendship-7"
    assert read(lambda r: r.by_slug(PERSONS, "alexei-leonov"))["_id"] == "alexey-leonov"
    assert read(lambda r: r.by_slug(PERSONS, "nobody")) is None


def test_keyset_pages_resume_after_the_cursor(read: Callable[..., Any]) -> None:
    query = MISSIONS.where(country="SU", crewed=True)
    first = read(lambda r: r.page(query, BY_DATE, 5, None))
    cursor = encode_cursor(BY_DATE, first.documents[-1])
    second = read(lambda r: r.page(query, BY_DATE, 5, cursor))
    everything = read(lambda r: r.page(query, BY_DATE, 100, None))
    ids = [d["_id"] for d in everything.documents]
    assert [d["_id"] for d in first.documents + second.documents] == ids[:10]
    assert first.has_next
    assert not everything.has_next
    assert read(lambda r: r.count(query)) == len(ids)
    with pytest.raises(CursorError):
        read(lambda r: r.page(query, BY_NAME, 5, cursor))


def test_partial_dates_filter_by_their_span(read: Callable[..., Any]) -> None:
    query = MISSIONS.where(launched_from="1965-03", launched_to="1965-03")
    docs = read(lambda r: r.page(query, BY_DATE, 100, None)).documents
    assert {"voskhod-2", "gemini-3"} <= {d["_id"] for d in docs}
    assert all(d["launchDate"].startswith("1965-03") for d in docs)
    events = EVENTS.where(from_date="1964-10-15", to_date="1964-10-15")
    spanning = read(lambda r: r.page(events, BY_DATE, 100, None)).documents
    assert any(d["date"] == "1964-10-14" and d["endDate"] == "1964-10-16" for d in spanning)


def test_user_text_is_never_an_operator(read: Callable[..., Any]) -> None:
    query = PERSONS.where(name_contains='{"$ne": null}')
    assert read(lambda r: r.count(query)) == 0
    assert read(lambda r: r.search(".*", 20)) == []


@pytest.mark.parametrize("scan", [False, True])
@pytest.mark.parametrize("in_batch", [None, 1, 7])
def test_relations_for_many_keys_in_one_call(
    read: Callable[..., Any], in_batch: int | None, scan: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if scan:  # the same answers when the keys are read with a collection scan
        monkeypatch.setattr(reads, "SCAN_AT_LEAST", 1)
        monkeypatch.setattr(reads, "SCAN_SHARE", 0.0)
    people = ["alexey-leonov", "yuri-gagarin", "nobody", "pavel-belyayev"]
    launched = MISSIONS.where(launched=True)
    flights = read(lambda r: r.referencing(launched, "crew.person", people, BY_DATE), in_batch)
    assert [[m["_id"] for m in ms] for ms in flights] == [
        ["voskhod-2", "soyuz-19"],
        ["vostok-1"],
        [],
        ["voskhod-2"],
    ]
    outcomes = read(
        lambda r: r.referencing(MISSIONS.everything(), "outcomes.people", people, BY_DATE),
        in_batch,
    )
    assert "voskhod-2" in [m["_id"] for m in outcomes[0]]
    by_program = read(
        lambda r: r.referencing(MISSIONS.everything(), "program", ["voskhod", "vostok"], BY_DATE),
        in_batch,
    )
    vostok = [m["_id"] for m in by_program[1] if m["crewed"]]
    assert vostok == [f"vostok-{n}" for n in range(1, 7)]
    assert "korabl-sputnik-2" in [m["_id"] for m in by_program[1]]
    assert [m["_id"] for m in by_program[0]][:4] == [
        "kosmos-47",
        "voskhod-1",
        "kosmos-57",
        "voskhod-2",
    ]
    docs = read(lambda r: r.by_keys(PERSONS, people), in_batch)
    assert [d and d["_id"] for d in docs] == [
        "alexey-leonov",
        "yuri-gagarin",
        None,
        "pavel-belyayev",
    ]


def test_search_ranks_names_before_summaries(read: Callable[..., Any]) -> None:
    found = read(lambda r: r.search("Gagarin", 10))
    assert found[0][0] is PERSONS
    assert found[0][1]["_id"] == "yuri-gagarin"
    assert {"vostok-1"} <= {doc["_id"] for _, doc in found}


def test_a_filter_the_collection_does_not_offer_is_an_error() -> None:
    with pytest.raises(ValueError, match="programs has no filter 'crewed'"):
        PROGRAMS.where(crewed=True)
    assert MISSIONS.where(country=None) == MISSIONS.everything()
    assert MISSIONS.where(country="su").query == {"country": "SU"}


def test_a_snapshot_points_reads_at_the_collections_it_names(read: Callable[..., Any]) -> None:
    """A reader reads a collection where its snapshot says the dataset keeps it."""
    elsewhere = Snapshot("v1", {"missions": "no_such_collection"})

    async def from_elsewhere(reader: Reader) -> Any:
        return await Reader(reader.store, elsewhere).by_slug(MISSIONS, "voskhod-2")

    assert read(lambda r: r.by_slug(MISSIONS, "voskhod-2")) is not None
    assert read(from_elsewhere) is None
