"""The security headers every response carries, set in one place (docs/security.md says why).

The policy allows only what the app itself serves: no inline scripts, no inline styles, no
event-handler attributes, no eval (htmx's own `allowEval` is off in base.html), nothing from
another origin, and no framing. Page behaviour lives in sandbox/static/*.js; a width that depends
on data is an SVG attribute, not a style attribute.
"""

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # the feed's avatars are generated SVGs shown as data: URIs
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # Invitation and reset links carry their token in the path: never send it to another site.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# Pages show scores and personal data, and forms carry CSRF tokens; downloads are personal data.
# Only the app's own static files (the same for everyone) may be kept by a browser or a proxy.
NO_STORE = "no-store"


def secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers["Cache-Control"] = NO_STORE
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)
