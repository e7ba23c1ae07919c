"""Sync with feed servers (Tiny Tiny RSS, Fever, the Google Reader API), local-first.

`base` holds the backend interface, `http` the one bounded way backends talk to servers,
`engine` the sync itself. Kept light: nothing is imported here.
"""
