"""Company names as the lists write them: one company under many spellings.

- `company_key(name)`: what two spellings of one company share; case,
  punctuation, accents, parenthesised notes and legal suffixes ("Inc", "LLC",
  "GmbH"...) do not count. "AQR Capital Management, LLC" and "AQR Capital
  Management" have one key.
- `split_note(name)`: "Ark Biotech (Sponsors Canadians)" -> ("Ark Biotech",
  "Sponsors Canadians"); the note is a remark of the list, not the name.
- `display_name(spellings)`: the spelling most sources use; on a tie the one
  with deliberate mixed case ("PayPal", "eBay") over "Paypal" / "PAYPAL", then
  the one without a legal suffix, then the first seen.
"""

import re
import unicodedata
from collections import Counter

# Matched as whole words at the end of a name, after punctuation is gone
# ("S.A." is "s a"), repeatedly: "Acme Holdings Co., Ltd." -> "acme holdings".
LEGAL_SUFFIXES = (
    "inc", "incorporated", "llc", "l l c", "ltd", "limited", "corp", "corporation", "co",
    "company", "gmbh", "lp", "llp", "lllp", "plc", "s a", "sa", "ag", "nv", "n v", "bv",
    "b v", "pty", "pte", "srl", "s r l", "spa", "s p a", "sas", "sarl", "se", "oy", "ab",
    "kk", "k k", "pc", "p c", "pllc", "ulc", "and co", "and company",
)  # fmt: skip
_SUFFIX_RE = re.compile(
    r"(?:\s(?:"
    + "|".join(re.escape(s) for s in sorted(LEGAL_SUFFIXES, key=len, reverse=True))
    + r"))+$"
)
_NOTE_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")


def split_note(name):
    """(name without parenthesised notes, the notes joined by "; ")."""
    text = " ".join(str(name).split())
    notes = [note.strip() for note in _NOTE_RE.findall(text) if note.strip()]
    bare = " ".join(_NOTE_RE.sub(" ", text).split()).strip(" ,-")
    if not bare:
        return text, ""  # "(Stealth)" is all there is: keep it as the name
    return bare, "; ".join(notes)


def _words(name):
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    text = text.lower().replace("&", " and ")
    text = re.sub(r"(?<=\w)['’](?=\w)", "", text)  # "Macy's" is "macys"
    words = re.sub(r"[\W_]+", " ", text).split()
    # Initials written apart are one word: "D. E. Shaw" is "de shaw", "S.A." "sa".
    result, initials = [], False
    for word in words:
        if len(word) == 1 and initials:
            result[-1] += word
        else:
            result.append(word)
        initials = len(word) == 1 and word.isalpha()
    return " ".join(result)


def company_key(name):
    """The matching key: "PayPal, Inc." and "Paypal" -> "paypal"."""
    bare, _note = split_note(name)
    words = _words(bare)
    stripped = _SUFFIX_RE.sub("", " " + words).strip()
    return stripped or words


def _has_suffix(name):
    return company_key(name) != _words(split_note(name)[0])


def _casing(name):
    """2 for deliberate mixed case ("PayPal", "eBay"), 1 for ordinary capitals
    ("Paypal", "Acme Labs"), 0 for all lower or all upper case."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or all(ch.islower() for ch in letters) or all(ch.isupper() for ch in letters):
        return 0
    for word in name.split():
        inner = [ch for ch in word[1:] if ch.isalpha()]
        if word[:1].islower() and any(ch.isupper() for ch in inner):
            return 2  # "eBay"
        if any(ch.isupper() for ch in inner) and any(ch.islower() for ch in inner):
            return 2  # "PayPal", "HubSpot"
    return 1


def display_name(spellings):
    """The spelling to show for one company, given every spelling its sources
    use (one entry per source or posting, repeats count)."""
    names = [split_note(name)[0] for name in spellings if name and str(name).strip()]
    if not names:
        return ""
    counts = Counter(names)
    first_seen = {name: i for i, name in reversed(list(enumerate(names)))}
    return max(
        counts,
        key=lambda name: (counts[name], _casing(name), not _has_suffix(name), -first_seen[name]),
    )
