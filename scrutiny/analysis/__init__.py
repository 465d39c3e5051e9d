"""Pure computation: plain data in, plain data out. No Django, no other Scrutiny app."""
