"""Content negotiation as a spec table: (kind, Accept, format=, expected media type or status).

Row names follow the Oxigraph server's negotiation tests (star, substar, specific and wildcard
exclusion, explicit and implicit priority) plus the cases browsers and sloppy clients bring.
"""

from __future__ import annotations

import dataclasses

import pytest
from pyoxigraph import QueryResultsFormat
from pyoxigraph import RdfFormat
from werkzeug.exceptions import BadRequest

from service import errors
from service import negotiation
from service.negotiation import choose

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TTL = "text/turtle"
NT = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
TRIG = "application/trig"
NQ = "application/n-quads"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

SPEC = [
    # id, kind, Accept, format=, expected
    ("results-star", "results", "*/*", None, JSON),
    ("results-absent", "results", None, None, JSON),
    ("results-empty", "results", "", None, JSON),
    ("results-blank", "results", "   ", None, JSON),
    ("results-substar-text", "results", "text/*", None, CSV),
    ("results-substar-application", "results", "application/*", None, JSON),
    ("results-specific-xml", "results", XML, None, XML),
    ("results-specific-tsv", "results", TSV, None, TSV),
    ("results-alias-json", "results", "application/json", None, JSON),
    ("results-alias-xml", "results", "application/xml", None, XML),
    ("results-specific-exclusion", "results", f"*/*, {JSON};q=0", None, XML),
    ("results-specific-exclusion-alias", "results", "*/*, application/json;q=0", None, XML),
    ("results-specific-exclusion-under-substar", "results", "text/*;q=0.5, text/csv;q=0", None, TSV),
    ("results-wildcard-exclusion", "results", "*/*;q=0", None, 406),
    ("results-wildcard-exclusion-specific-allowed", "results", "*/*;q=0, text/csv", None, CSV),
    ("results-substar-exclusion", "results", "application/*;q=0, */*", None, CSV),
    ("results-explicit-priority", "results", f"{CSV};q=0.5, {TSV}", None, TSV),
    ("results-implicit-priority-server-order", "results", f"{CSV}, {JSON}", None, JSON),
    ("results-equal-q-server-order", "results", f"{TSV};q=0.8, {CSV};q=0.8", None, CSV),
    ("results-browser-xml-via-alias", "results", BROWSER, None, XML),
    ("results-combined-list", "results", f"{JSON};q=0.9, {XML}, */*;q=0.1", None, XML),
    ("results-parameters-ignored", "results", f"{JSON}; charset=utf-8", None, JSON),
    ("results-case-insensitive", "results", "TEXT/CSV;Q=0.5, Application/SPARQL-Results+XML;q=0.4", None, CSV),
    ("results-whitespace", "results", f" {CSV} ; q=0.7 , {XML};q=0.6", None, CSV),
    ("results-format-overrides-accept", "results", CSV, "json", JSON),
    ("results-format-overrides-exclusion", "results", "*/*;q=0", "tsv", TSV),
    ("results-format-media-type", "results", None, "text/csv", CSV),
    ("results-format-alias-media-type", "results", None, "application/json", JSON),
    ("results-format-upper-case", "results", None, "XML", XML),
    ("results-format-empty-negotiates", "results", CSV, "", CSV),
    ("results-bad-format-graph-name", "results", None, "ttl", 400),
    ("results-bad-format-graph-type", "results", None, NT, 400),
    ("results-nothing-fits-turtle", "results", TTL, None, 406),
    ("results-nothing-fits-html", "results", "text/html", None, 406),
    ("results-malformed-is-star", "results", "garbage", None, JSON),
    ("results-malformed-entry-ignored", "results", "garbage, text/csv", None, CSV),
    ("results-malformed-q-ignored", "results", f"{CSV};q=high, {TSV};q=0.5", None, TSV),
    ("results-q-above-one-ignored", "results", f"{CSV};q=2, {TSV};q=0.5", None, TSV),
    ("results-bad-range-ignored", "results", f"*/csv, {TSV}", None, TSV),
    ("results-quoted-comma", "results", f'{CSV};p="a,b";q=0.5, {TSV};q=0.4', None, CSV),
    ("results-empty-entries", "results", ",,text/csv,,", None, CSV),
    ("graph-star", "graph", "*/*", None, TTL),
    ("graph-absent", "graph", None, None, TTL),
    ("graph-browser-turtle", "graph", BROWSER, None, TTL),
    ("graph-specific-jsonld", "graph", JSONLD, None, JSONLD),
    ("graph-specific-trig", "graph", TRIG, None, TRIG),
    ("graph-substar", "graph", "application/*", None, NT),
    ("graph-substar-with-exclusion", "graph", f"application/*, {NT};q=0", None, JSONLD),
    ("graph-specific-exclusion", "graph", f"{TTL};q=0, */*", None, NT),
    ("graph-explicit-priority", "graph", f"{TTL};q=0.5, {RDFXML}", None, RDFXML),
    ("graph-equal-q-server-order", "graph", f"{RDFXML};q=0.5, {TTL};q=0.5, {NT};q=0.4", None, TTL),
    ("graph-text-plain-not-offered", "graph", "text/plain", None, 406),
    ("graph-results-type-not-offered", "graph", JSON, None, 406),
    ("graph-format-xml-is-rdfxml", "graph", TTL, "xml", RDFXML),
    ("graph-format-json-ld", "graph", None, "json-ld", JSONLD),
    ("graph-format-nq", "graph", None, "nq", NQ),
    ("graph-bad-format-json", "graph", None, "json", 400),
    ("dataset-star", "dataset", "*/*", None, TRIG),
    ("dataset-specific", "dataset", NQ, None, NQ),
    ("dataset-explicit-priority", "dataset", f"application/*;q=0.5, {TRIG};q=0.1", None, NQ),
    ("dataset-turtle-cannot-hold-graphs", "dataset", TTL, None, 406),
    ("dataset-format-nq", "dataset", TRIG, "nq", NQ),
    ("dataset-bad-format-ttl", "dataset", None, "ttl", 400),
]


@pytest.mark.parametrize(("kind", "accept", "format_param", "expected"), [pytest.param(*row[1:], id=row[0]) for row in SPEC])
def test_negotiation_spec(kind, accept, format_param, expected):
    if expected == 400:
        with pytest.raises(BadRequest):
            choose(kind, accept, format_param)
    elif expected == 406:
        with pytest.raises(errors.NotAcceptable):
            choose(kind, accept, format_param)
    else:
        assert choose(kind, accept, format_param).media_type == expected


def test_spec_table_is_large_enough():
    assert len(SPEC) >= 30
    assert len({row[0] for row in SPEC}) == len(SPEC)


def test_choice_carries_format_and_content_type():
    choice = choose("results", CSV, None)
    assert choice.format == QueryResultsFormat.CSV
    assert choice.content_type == "text/csv; charset=utf-8"
    assert choose("graph", None, "jsonld").format == RdfFormat.JSON_LD
    with pytest.raises(dataclasses.FrozenInstanceError):
        choice.media_type = JSON


def test_not_acceptable_lists_offered_types():
    with pytest.raises(errors.NotAcceptable) as caught:
        choose("graph", "text/plain", None)
    assert caught.value.code == 406
    assert caught.value.offered == [media_type for media_type, _ in negotiation.GRAPH_TYPES]
    assert caught.value.description == (
        "none of the offered media types fits the Accept header; offered: "
        "text/turtle, application/n-triples, application/ld+json, application/rdf+xml, "
        "application/trig, application/n-quads"
    )


def test_bad_format_names_the_allowed_values():
    with pytest.raises(BadRequest) as caught:
        choose("results", None, "turtle")
    assert "'turtle'" in caught.value.description
    assert "json, xml, csv, tsv" in caught.value.description


@pytest.mark.parametrize("kind", ["results", "graph", "dataset"])
def test_tables_agree_with_pyoxigraph(kind):
    for media_type, format_ in negotiation.TABLES[kind]:
        assert format_.media_type.split(";")[0] == media_type
    for name, media_type in negotiation.FORMAT_NAMES[kind].items():
        assert choose(kind, None, name).media_type == media_type
    for alias, canonical in negotiation.ALIASES[kind].items():
        assert choose(kind, alias, None).media_type == canonical


def test_dataset_types_hold_named_graphs():
    assert all(format_.supports_datasets for _, format_ in negotiation.DATASET_TYPES)


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown negotiation kind"):
        choose("table", None, None)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        (BROWSER, "text/html"),
        ("application/json", "application/json"),
        ("text/html;q=0.5, application/json", "application/json"),
        ("text/*", "text/html"),
        ("image/png", None),
    ],
)
def test_best_match(accept, expected):
    assert negotiation.best_match(["text/html", "application/json"], accept) == expected


def test_parse_accept_keeps_q_and_drops_garbage():
    ranges = negotiation.parse_accept("text/turtle;charset=utf-8;q=0.3, nonsense, */*;q=0")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "turtle", 0.3), ("*", "*", 0.0)]
