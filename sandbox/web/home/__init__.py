"""The dashboard every signed-in person lands on.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
