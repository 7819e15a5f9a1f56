"""The pure domain: scenarios, scoring and replay.

Nothing in this package imports Flask, SQLModel or the database, touches the network, or does
work at import time. It takes typed values and returns typed values.
"""
