"""'Tous les marchés': the holder and theme facets, how they combine and what they count."""

from tests.markets.catalogue_helpers import facet, titles


def test_holder_values_combine_with_or(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": ["econocom", "esi"]})
    assert sorted(titles(response)) == ["Cybersécurité", "Matériels bureautiques neufs", "Microsoft et alternatives"]


def test_facets_combine_with_and(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": "scc", "theme": "logiciel"})
    assert sorted(titles(response)) == ["Microsoft et alternatives", "Multi-éditeurs"]
    response = client.get(market_index.url, {"titulaire": "econocom", "theme": "securite"})
    assert titles(response) == []


def test_facet_counts_ignore_their_own_selection(client, market_index, catalogue):
    response = client.get(market_index.url, {"titulaire": "scc"})
    # Ticking SCC still shows how many markets E.S.I. and ECONOCOM have.
    assert facet(response, "holder_facet") == {"SCC": 2, "E.S.I.": 2, "ECONOCOM": 1}
    # The theme facet follows the holder selection.
    themes = facet(response, "theme_facet")
    assert themes == {"Logiciel": 2}


def test_theme_facet_counts_parents_with_their_sub_themes(client, market_index, catalogue):
    response = client.get(market_index.url)
    (logiciel,) = [v for v in response.context["catalogue"].theme_facet if v.name == "Logiciel"]
    assert logiciel.count == 2
    assert {child.name: child.count for child in logiciel.children} == {
        "Environnement de travail": 2,
        "Logiciel de gestion": 1,
    }
    # Selecting the parent finds markets tagged with a sub-theme only.
    assert sorted(titles(client.get(market_index.url, {"theme": "logiciel"}))) == [
        "Microsoft et alternatives",
        "Multi-éditeurs",
    ]


def test_counts_appear_next_to_each_value(client, market_index, catalogue):
    html = client.get(market_index.url).content.decode()
    assert 'id="titulaire-scc"' in html
    assert 'aria-label="2 marchés">2</span>' in html


def test_facet_choices_are_labelled_ticked_and_escaped(client, market_index, catalogue):
    scc = catalogue["holders"]["scc"]
    scc.name = "<b>SCC</b> & fils"
    scc.save()
    html = client.get(market_index.url, {"titulaire": "scc"}).content.decode()
    assert (
        '<input type="checkbox" id="titulaire-scc" name="titulaire" value="scc" checked>'
        '<label for="titulaire-scc">&lt;b&gt;SCC&lt;/b&gt; &amp; fils '
        '<span class="count" aria-label="2 marchés">2</span></label>'
    ) in html
    assert '<input type="checkbox" id="titulaire-esi" name="titulaire" value="esi">' in html
    # With SCC ticked, its two markets both have the sub-theme "Environnement de travail".
    assert (
        'for="theme-environnement-de-travail">Environnement de travail <span class="count" aria-label="2 marchés">'
        in html
    )
    html = client.get(market_index.url, {"theme": "materiels"}).content.decode()
    assert '<input type="checkbox" id="theme-materiels" name="theme" value="materiels" checked>' in html
    assert 'for="theme-materiels">Matériels <span class="count" aria-label="1 marché">1</span>' in html
