"""Trainers' cohorts: members, invitations, assignments, progress.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
