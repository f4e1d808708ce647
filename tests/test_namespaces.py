from __future__ import annotations

import pytest

from graph.namespaces import Iris
from graph.namespaces import concept
from graph.namespaces import slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("GOV.UK step-by-step navigation", "gov-uk-step-by-step-navigation"),
        ("Agência Nacional de Águas", "agencia-nacional-de-aguas"),
        ("  Piret Tõnurist ", "piret-tonurist"),
        ("!!!", "unnamed"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_entity_iris_round_trip():
    iris = Iris("https://kg.example.org/opsi")
    iri = iris.entity("country", "FRA")
    assert iri.value == "https://kg.example.org/opsi/id/country/FRA"
    assert iris.parse_entity(iri.value) == ("country", "FRA")
    assert iris.parse_entity("https://elsewhere.example/id/country/FRA") is None
    assert iris.graph("cases/demo").value == "https://kg.example.org/opsi/graph/cases/demo"


@pytest.mark.parametrize(("kind", "key"), [("thing", "x"), ("case", "has space"), ("case", "../etc")])
def test_entity_rejects_bad_kind_or_key(kind, key):
    with pytest.raises(ValueError):
        Iris().entity(kind, key)


@pytest.mark.parametrize("base", ["ftp://x.org/", "not an iri", "http://"])
def test_base_must_be_absolute_http(base):
    with pytest.raises(ValueError, match="base IRI"):
        Iris(base)


def test_concepts_live_in_the_fixed_vocabulary_namespace():
    assert concept("sector", "health").value == "https://w3id.org/opsi-kg/vocab/sector/health"
    with pytest.raises(KeyError):
        concept("colours", "red")
