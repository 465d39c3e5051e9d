"""Child-level looked-after and child protection data: formats, validation, indicators, synthesis.

The definitions are written down in ``docs/data-dictionary.md`` ("Child-level data for
indicators"); this package is their executable form. It uses DuckDB and NumPy, never Django.
"""
