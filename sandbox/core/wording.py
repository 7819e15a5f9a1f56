"""How a message that a person reads is worded, wherever it comes from."""


def sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter and a final full stop (unless it has one)."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
