"""Trainers' review queue of finished runs.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
