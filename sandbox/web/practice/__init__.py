"""The trainee's practice loop: library, briefing, live feed, debrief.

The blueprint `bp` and its routes are in views.py; the app factory registers it.
"""
