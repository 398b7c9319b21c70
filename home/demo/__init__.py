"""Demo content for `manage.py load_demo`: the data (content.py), the generated pieces
(files.py) and the idempotent writers (loaders.py)."""
