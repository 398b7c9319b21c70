"""Demo content for `manage.py load_demo`: the data (content.py), the generated files
(files.py), which pieces each market gets (pieces.py) and the idempotent writers
(loaders.py)."""
