"""Administrators' pages: people, their roles, reset links.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
