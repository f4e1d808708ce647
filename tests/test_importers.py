"""OPSI case importers: the JSON demo shape and OPSI's export CSV, validated before writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat
from pyoxigraph import Variable

from graph.config import Settings
from graph.errors import OpsiKgError
from graph.errors import RecordError
from graph.importers import import_cases
from graph.importers.records import resolve_country
from graph.namespaces import Iris
from graph.store import open_store

DATA = Path(__file__).resolve().parent / "data"
DEMO = Path(__file__).resolve().parent.parent / "graph" / "data" / "opsi-cases.json"
BASE = "http://opsi.test/"


@pytest.fixture
def settings() -> Settings:
    return Settings(store=None, base=BASE)


def snapshot(store) -> bytes:
    return store.raw.dump(format=RdfFormat.N_QUADS)


def values(store, query: str, **bindings) -> list[str]:
    subs = {Variable(k): v for k, v in bindings.items()}
    return sorted(row["x"].value for row in store.query(query, substitutions=subs))


@pytest.mark.parametrize(
    ("given", "alpha3"),
    [("FR", "FRA"), ("fra", "FRA"), ("Germany", "DEU"), ("United Kingdom", "GBR"), ("Atlantis", None), ("", None)],
)
def test_countries_by_name_alpha2_or_alpha3(given, alpha3):
    assert resolve_country(given) == alpha3


def test_demo_json_imports_62_cases_with_sources(memory_store, settings):
    report = import_cases(memory_store, settings, DEMO)
    assert report.cases == 62
    assert report.graph.value == BASE + "graph/cases/opsi-cases"
    cases = values(memory_store, "SELECT ?x WHERE { ?x a opsi:Case }")
    assert len(cases) == 62
    without_source = values(memory_store, "SELECT ?x WHERE { ?x a opsi:Case FILTER NOT EXISTS { ?x dcterms:source ?s } }")
    assert without_source == []
    # OPSI's own slug is the key when the source is the case page.
    assert BASE + "id/case/impact-canada" in cases
    people = values(memory_store, "SELECT ?x WHERE { ?c opsi:innovator [ opsi:name ?x ] }")
    assert people == ["Kate Ivey-Williams", "Sam Dub"]


def test_reimport_is_idempotent(memory_store, settings):
    import_cases(memory_store, settings, DEMO)
    data = memory_store.raw.dump(format=RdfFormat.N_QUADS, from_graph=None)
    first = [line for line in data.splitlines() if b"/graph/meta>" not in line]
    import_cases(memory_store, settings, DEMO)
    data = memory_store.raw.dump(format=RdfFormat.N_QUADS, from_graph=None)
    second = [line for line in data.splitlines() if b"/graph/meta>" not in line]
    assert sorted(first) == sorted(second)


def test_csv_export_maps_keys_labels_and_multiple_values(memory_store, settings):
    report = import_cases(memory_store, settings, DATA / "opsi-export.csv")
    assert report.cases == 3
    assert any("a custom tag" in w for w in report.warnings)
    case = BASE + "id/case/test-rac-pilot"  # from the permalink, not the row
    from pyoxigraph import NamedNode

    c = NamedNode(case)
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:country ?x }", c=c) == [BASE + "id/country/FRA"]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:sector ?x }", c=c) == [
        "https://w3id.org/opsi-kg/vocab/sector/information",
        "https://w3id.org/opsi-kg/vocab/sector/public_admin",
    ]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:lifecycleStage ?x }", c=c) == [
        "https://w3id.org/opsi-kg/vocab/lifecycle-stage/evaluation",
        "https://w3id.org/opsi-kg/vocab/lifecycle-stage/implementation",
    ]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:leadOrganisation/opsi:name ?x }", c=c) == [
        "Example Ministry of Finance"
    ]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:partnerOrganisation/opsi:name ?x }", c=c) == [
        "Example Digital Agency"
    ]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:leadOrganisation/a ?x }", c=c) == [
        "https://w3id.org/opsi-kg/ontology#GovernmentOrganisation",
        "https://w3id.org/opsi-kg/ontology#Organisation",
    ]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:keyword ?x }", c=c) == ["a custom tag"]
    assert values(memory_store, "SELECT ?c ?x WHERE { ?c opsi:launchYear ?x }", c=c) == ["2019"]


def test_unknown_country_fails_with_row_column_value_and_writes_nothing(memory_store, settings):
    import_cases(memory_store, settings, DEMO)
    before = snapshot(memory_store)
    with pytest.raises(RecordError) as caught:
        import_cases(memory_store, settings, DATA / "opsi-export-bad-country.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "country", "Atlantis")
    assert "row 4, column 'country', value 'Atlantis'" in str(caught.value)
    assert snapshot(memory_store) == before


def test_future_launch_year_is_caught_by_shacl_with_row_column_value(memory_store, settings):
    before = snapshot(memory_store)
    with pytest.raises(RecordError) as caught:
        import_cases(memory_store, settings, DATA / "opsi-export-future-year.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "year_innovation_launched", "2999")
    assert "future" in problem.message
    assert snapshot(memory_store) == before


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        ("innovation_status", "innovation_status", "shipping", "lifecycle-stage"),
        ("organisation_primary_sectorfield", "organisation_primary_sectorfield", "agriculture", "sector"),
        ("organisation_type", "organisation_type", "cooperative", "organisation type"),
        ("year_innovation_launched", "year_innovation_launched", "soon", "four-digit year"),
        ("innovation_website", "innovation_website", "not a url", "http(s) URL"),
    ],
)
def test_bad_values_name_row_column_value(memory_store, settings, tmp_path, row, column, value, expected):
    header = DATA.joinpath("opsi-export.csv").read_text().splitlines()[0].split(",")
    cells = dict.fromkeys(header, "")
    cells.update(name_of_innovation="Synthetic", country="CAN", short_and_simple_explanation="Synthetic test row.")
    cells[column] = value
    path = tmp_path / "one.csv"
    path.write_text(",".join(header) + "\n" + ",".join(cells[h] for h in header) + "\n")
    with pytest.raises(RecordError) as caught:
        import_cases(memory_store, settings, path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, column, value)
    assert expected in problem.message
    assert memory_store.count() == 0


def test_missing_required_column_and_duplicate_cases(memory_store, settings, tmp_path):
    path = tmp_path / "no-country.csv"
    path.write_text("name_of_innovation,short_and_simple_explanation\nX,Y\n")
    with pytest.raises(OpsiKgError, match="missing required column.*country"):
        import_cases(memory_store, settings, path)
    path = tmp_path / "twice.csv"
    path.write_text("name_of_innovation,country,short_and_simple_explanation\nSame,CAN,One\nSame,FRA,Two\n")
    with pytest.raises(RecordError, match="also in row 2"):
        import_cases(memory_store, settings, path)
    assert memory_store.count() == 0


def test_json_with_wrong_types_names_record_and_field(memory_store, settings, tmp_path):
    path = tmp_path / "cases.json"
    path.write_text('[{"title": "A", "country": "CAN", "summary": "S", "year": "2019", "organisations": "X"}]')
    with pytest.raises(RecordError) as caught:
        import_cases(memory_store, settings, path)
    assert {(p.row, p.column) for p in caught.value.problems} == {("record 1", "year"), ("record 1", "organisations")}


def test_import_into_an_on_disk_store_survives_reopening(tmp_path, settings):
    store = open_store(tmp_path / "store")
    import_cases(store, settings, DATA / "opsi-export.csv")
    store.close()
    reopened = open_store(tmp_path / "store")
    assert len(values(reopened, "SELECT ?x WHERE { ?x a opsi:Case }")) == 3
    assert Iris(BASE).graph("cases/opsi-export").value in reopened.counts()
    reopened.close()
