"""What the platform team needs: /healthz, /metrics and the access log (docs/administration.md).

The blueprint `bp`, its routes and the request hooks are in views.py; the app factory registers
them.
"""
