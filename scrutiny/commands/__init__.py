"""Commands of the `scrutiny` CLI that are more than a line or two (see scrutiny/cli.py)."""
