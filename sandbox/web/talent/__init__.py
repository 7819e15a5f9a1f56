"""HR's talent board and a person's evidence.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
