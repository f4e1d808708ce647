"""After a SPARQL Update, inferences follow: added by insertions, withdrawn after deletions."""

from __future__ import annotations

import pytest
from conftest import BASE

from service import create_app
from service.update_dataset import may_remove

TOKEN = "inference-test-token"
CASE = f"<{BASE}id/case/inference-test>"
TRIPLES = f'{CASE} a opsi:Case ; opsi:title "Inference test"'
INFERRED = f"ASK {{ GRAPH <{BASE}graph/inferred> {{ {CASE} ?p ?o }} }}"


@pytest.fixture
def client(initialised_store):
    app = create_app({"STORE_PATH": str(initialised_store), "BASE_IRI": BASE, "QUERY_WORKERS": 0, "WRITE_TOKEN": TOKEN})
    return app.test_client()


def update(client, text: str) -> None:
    response = client.post("/sparql", data={"update": text}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.data


def inferred(client) -> bool:
    return client.get("/sparql", query_string={"query": INFERRED}).get_json()["boolean"]


@pytest.mark.parametrize(
    "removal",
    [
        f"DELETE DATA {{ GRAPH <{BASE}graph/kept> {{ {TRIPLES} }} }}",
        f"DELETE WHERE {{ GRAPH <{BASE}graph/kept> {{ {CASE} ?p ?o }} }}",
        f"WITH <{BASE}graph/kept> DELETE {{ {CASE} ?p ?o }} WHERE {{ {CASE} ?p ?o }}",
        f"CLEAR GRAPH <{BASE}graph/kept>",
        f"DROP GRAPH <{BASE}graph/kept>",
        f"MOVE <{BASE}graph/empty> TO <{BASE}graph/kept>",
    ],
)
def test_inferences_from_deleted_triples_are_withdrawn(client, removal):
    other = f'<{BASE}id/case/other> a opsi:Case ; opsi:title "Stays"'
    update(client, f"INSERT DATA {{ GRAPH <{BASE}graph/kept> {{ {TRIPLES} . {other} }} }}")
    update(client, f"CREATE SILENT GRAPH <{BASE}graph/empty>")
    assert inferred(client)
    update(client, removal)
    assert not inferred(client)  # the case's inferred types and labels went with it


def test_an_insertion_adds_its_inferences(client):
    assert not inferred(client)
    update(client, f"INSERT DATA {{ GRAPH <{BASE}graph/added> {{ {TRIPLES} }} }}")
    assert inferred(client)


@pytest.mark.parametrize(
    ("text", "removes"),
    [
        ('INSERT DATA { GRAPH <x:g> { <x:s> <x:p> "DELETE everything" } }', False),
        ("INSERT DATA { GRAPH <x:g> { <x:drop> <x:p> <x:clear> } } # DROP ALL", False),
        ("PREFIX ex: <x:> INSERT { ?s ex:p 1 } WHERE { ?s ex:q 2 }", False),
        ("LOAD <x:doc> INTO GRAPH <x:g>", False),
        ("delete data { <x:s> <x:p> 1 }", True),
        ("INSERT { ?s <x:p> 1 } WHERE { ?s <x:q> 2 } ; DROP SILENT GRAPH <x:g>", True),
        ("COPY <x:a> TO <x:b>", True),
        ("PREFIX ex: <x:> INSERT DATA { ex:s ex:delete 1 }", True),  # a name like a keyword: errs on the safe side
    ],
)
def test_may_remove_reads_keywords_not_strings_iris_or_comments(text, removes):
    assert may_remove(text) is removes
