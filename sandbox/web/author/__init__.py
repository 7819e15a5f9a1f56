"""Trainers' scenario library and editor.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
