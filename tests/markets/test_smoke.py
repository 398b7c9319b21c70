from tests.factories.markets import MarketPageFactory


def test_market_index_lists_live_market(client, market_index):
    market = MarketPageFactory(parent=market_index, title="Multi-éditeurs")
    response = client.get(market_index.url)
    assert response.status_code == 200
    assert "Multi-éditeurs" in response.content.decode()
    assert client.get(market.url).status_code == 200
