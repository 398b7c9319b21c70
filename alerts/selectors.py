from markets.models import MarketIndexPage


def catalogue_url() -> str:
    index = MarketIndexPage.objects.live().first()
    return index.url if index is not None else "/"
