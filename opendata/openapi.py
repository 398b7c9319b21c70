"""The API's OpenAPI 3.0 description, written by hand from opendata/api.py (a test checks
that both name the same endpoints, parameters and fields)."""

PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 20, "default": 20}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}},
    {
        "name": "fields",
        "in": "query",
        "description": "Champs à ajouter, séparés par des virgules ; « * » : tous ; « _ » : aucun par défaut.",
        "schema": {"type": "string"},
    },
]


def _listing(item):
    return {
        "type": "object",
        "properties": {
            "meta": {"type": "object", "properties": {"total_count": {"type": "integer"}}},
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        },
    }


def _endpoint(tag, item, summary, extra=()):
    ok = {"description": "OK", "content": {"application/json": {"schema": _listing(item)}}}
    detail = {
        "description": "OK",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}"}}},
    }
    errors = {"400": {"description": "Paramètre invalide"}, "429": {"description": "Trop de requêtes"}}
    return (
        {
            "get": {
                "tags": [tag],
                "summary": summary,
                "parameters": [*PAGING, *extra],
                "responses": {"200": ok, **errors},
            }
        },
        {
            "get": {
                "tags": [tag],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": detail, "404": {"description": "Introuvable"}, **errors},
            }
        },
    )


MARKET_FILTERS = [
    {
        "name": "theme",
        "in": "query",
        "description": "Identifiant d'URL d'un thème ou d'un sous-thème.",
        "schema": {"type": "string"},
    },
    {"name": "holder", "in": "query", "description": "Identifiant d'URL d'un titulaire.", "schema": {"type": "string"}},
    {
        "name": "status",
        "in": "query",
        "schema": {"type": "string", "enum": ["en-cours", "termines", "a-venir", "tous"]},
    },
    {
        "name": "search",
        "in": "query",
        "description": "Mots-clés (200 caractères au plus).",
        "schema": {"type": "string", "maxLength": 200},
    },
]

REF = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "slug": {"type": "string"}},
}
META = {"type": "object", "properties": {"type": {"type": "string"}, "detail_url": {"type": "string", "format": "uri"}}}


def openapi_document(base_url="/api/v2/"):
    markets, market = _endpoint("Marchés", "Market", "Accords-cadres publiés", MARKET_FILTERS)
    holders, holder = _endpoint("Titulaires", "Holder", "Titulaires des accords-cadres publiés")
    themes, theme = _endpoint("Thèmes", "Theme", "Thèmes et sous-thèmes du catalogue")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "API du catalogue CANUT",
            "version": "2",
            "description": "Lecture seule, anonyme, limitée en nombre de requêtes par heure. "
            "Données publiées sous Licence Ouverte 2.0 (Etalab).",
            "license": {
                "name": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/marches/": markets,
            "/marches/{id}/": market,
            "/titulaires/": holders,
            "/titulaires/{id}/": holder,
            "/themes/": themes,
            "/themes/{id}/": theme,
        },
        "components": {
            "schemas": {
                "Market": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "meta": {
                            "type": "object",
                            "properties": {
                                **META["properties"],
                                "html_url": {"type": "string", "format": "uri"},
                                "slug": {"type": "string"},
                                "first_published_at": {"type": "string", "format": "date-time"},
                            },
                        },
                        "title": {"type": "string"},
                        "subtitle": {"type": "string"},
                        "summary": {"type": "string"},
                        "notified_on": {"type": "string", "format": "date"},
                        "ends_on": {"type": "string", "format": "date"},
                        "portal_url": {"type": "string"},
                        "status": {
                            "type": "object",
                            "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
                        },
                        "market_themes": {
                            "type": "array",
                            "items": {
                                **REF,
                                "properties": {**REF["properties"], "parent": {"type": "integer", "nullable": True}},
                            },
                        },
                        "market_holders": {
                            "type": "array",
                            "items": {**REF, "properties": {**REF["properties"], "website": {"type": "string"}}},
                        },
                        "public_pieces": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "title": {"type": "string"},
                                    "kind": {"type": "string"},
                                    "url": {"type": "string", "format": "uri"},
                                },
                            },
                        },
                    },
                },
                "Holder": {
                    "type": "object",
                    "properties": {**REF["properties"], "meta": META, "website": {"type": "string"}},
                },
                "Theme": {
                    "type": "object",
                    "properties": {
                        **REF["properties"],
                        "meta": META,
                        "parent_id": {"type": "integer", "nullable": True},
                    },
                },
            }
        },
    }
