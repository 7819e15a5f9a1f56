"""What the practice pages show, computed for the templates: the live workspace and its poll,
the debrief, live hints. Used by the practice, review, talent and author blueprints; nothing
here is stored, and nothing here knows about requests.
"""
