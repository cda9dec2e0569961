"""The DCAT-AP catalogue validates against its JSON-LD context: expanded
offline (pyld, the stored context served by a local document loader), it has
the DCAT classes and properties, and no term was dropped for being undefined."""

import json

import pytest
from pyld import jsonld

from reporting.evaluation.dcat import context_document

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


def _offline_loader(context_url):
    def load(url, options=None):
        if url != context_url:
            raise AssertionError(f"the catalogue asked the network for {url}")
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": context_document(),
        }

    return load


@pytest.fixture
def catalogue(seeded, client):
    response = client.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


@pytest.fixture
def expanded(catalogue):
    return jsonld.expand(
        catalogue,
        {"documentLoader": _offline_loader(catalogue["@context"])},
    )


def _nodes(expanded):
    return {node["@id"]: node for node in expanded}


def test_the_context_the_catalogue_names_is_the_stored_one(seeded, client, catalogue):
    served = client.get(catalogue["@context"].replace("http://testserver", ""))
    assert json.loads(served.content) == context_document()


def _types(value, found):
    if isinstance(value, dict):
        found.update(
            value.get("@type", []) if isinstance(value.get("@type"), list) else []
        )
        for inner in value.values():
            _types(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _types(inner, found)
    return found


def test_expansion_gives_the_dcat_classes(expanded):
    types = _types(expanded, set())
    assert {DCAT + "Catalog", DCAT + "Dataset", DCAT + "Distribution"} <= types
    datasets = [n for n in expanded if DCAT + "Dataset" in n.get("@type", [])]
    assert len(datasets) == 4


def test_each_dataset_has_licence_publisher_modified_and_distributions(expanded):
    nodes = _nodes(expanded)
    for node in nodes.values():
        if DCAT + "Dataset" not in node.get("@type", []):
            continue
        assert node[DCT + "license"][0]["@id"].startswith("https://www.kogl.or.kr/")
        assert node[DCT + "publisher"][0]["@id"] in nodes
        assert node[DCT + "modified"][0]["@type"].endswith("#dateTime")
        distributions = node[DCAT + "distribution"]
        media = set()
        for distribution in distributions:
            assert DCAT + "accessURL" in distribution
            media.add(distribution[DCAT + "mediaType"][0]["@id"].rsplit("/", 1)[-1])
        assert {"csv", "json"} <= media
        downloads = [d for d in distributions if DCAT + "downloadURL" in d]
        assert len(downloads) == 3
    catalogue = next(n for n in expanded if DCAT + "Catalog" in n.get("@type", []))
    assert len(catalogue[DCAT + "dataset"]) == 4


def _compact_keys(value, keys):
    if isinstance(value, dict):
        for key, inner in value.items():
            if not key.startswith("@"):
                keys.add(key)
            # A language map's keys are languages, not terms.
            if key in ("title", "description", "name", "keyword"):
                continue
            _compact_keys(inner, keys)
    elif isinstance(value, list):
        for inner in value:
            _compact_keys(inner, keys)
    return keys


def _expanded_properties(value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            if not key.startswith("@"):
                found.add(key)
            _expanded_properties(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _expanded_properties(inner, found)
    return found


def test_no_term_is_dropped_by_expansion(catalogue, expanded):
    """Every key used is a term of the context, and each term's IRI is in the
    expanded graph: a misspelt key would vanish silently here."""
    context = context_document()["@context"]
    prefixes = {
        k: v
        for k, v in context.items()
        if isinstance(v, str) and v.endswith(("#", "/"))
    }

    def iri(term):
        definition = context[term]
        compact = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, local = compact.partition(":")
        return prefixes[prefix] + local

    used = _compact_keys(catalogue["@graph"], set())
    assert used, "the catalogue uses terms"
    assert used <= set(context), f"undefined terms: {used - set(context)}"
    assert {iri(term) for term in used} == _expanded_properties(expanded, set())
