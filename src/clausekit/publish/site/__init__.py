"""The clause-library site: a MkDocs plugin (`plugin.py`) and the pages it generates."""
