"""Signing in and out, invitations, passwords.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
