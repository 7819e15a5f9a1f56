"""Text that turns into code when a page forgets to escape it: the XSS corpus.

Every payload either raises a dialog when it runs (the browser tests listen for one) or leaves a
mark the server-side tests can find (54439 is 7*7777: a template evaluated user text).
"""

PAYLOADS = (
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "<svg onload=alert('xss-3')>",
    "<svg><script>alert('xss-4')</script></svg>",
    "\"><script>alert('xss-5')</script>",
    "'><img src=x onerror=alert('xss-6')>",
    "\" autofocus onfocus=\"alert('xss-7')",
    "' autofocus onfocus='alert(`xss-8`)",
    "javascript:alert('xss-9')",
    "<a href=\"javascript:alert('xss-10')\">click</a>",
    "<iframe src=\"javascript:alert('xss-11')\"></iframe>",
    "<body onload=alert('xss-12')>",
    "<details open ontoggle=alert('xss-13')>",
    "<input autofocus onfocus=alert('xss-14')>",
    "</textarea><script>alert('xss-15')</script>",
    "</title><script>alert('xss-16')</script>",
    "<style>*{color:red}</style><img src=x onerror=alert('xss-17')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-18')>",
    "<div hx-get=\"/sign-out\" hx-trigger=\"load\">xss-19</div>",
    "<object data=\"javascript:alert('xss-20')\"></object>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss-21')\">",
    "'-alert('xss-22')-'",
    "</script><script>alert('xss-23')</script>",
    "{{7*7777}}",
    "{{ config.SECRET_KEY }}",
    "${7*7777}",
    "{% print(7*7777) %}",
    "<video><source onerror=alert('xss-28')></video>",
)

# what a page shows if it ran one of the template payloads
TEMPLATE_RESULT = "54439"

# characters that must never reach a page as they were typed
SPECIAL = set("<>\"'&")


def payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]
