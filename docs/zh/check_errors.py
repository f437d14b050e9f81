#!/usr/bin/env python3
"""Checks that the error lines quoted in docs/zh/常见问题.md still exist in LandWatch's sources.

Usage (from the repository root): python3 docs/zh/check_errors.py

Every fenced block with the info string `error` in docs/zh/常见问题.md holds one line as
LandWatch prints it: `landwatch: error: …` or `landwatch: warning: …`. The text after that
prefix is cut into the fragments that come from the Swift sources literally, and each fragment
must occur in some .swift file under Sources/.

Cutting out the values a message interpolates (file paths, numbers, ids, names, lists):
- the ` (see 'landwatch … --help')` the command line adds to a usage error;
- a few phrases of the libraries LandWatch passes on (swift-argument-parser, GDAL, PROJ),
  listed in LIBRARY_PHRASES;
- text in double quotes, in backquotes, and in single quotes at word boundaries;
- lists of three or more comma-separated words (`name, code, kind`: fields, zones, layers);
- every whitespace-separated word holding a digit, `/`, `@`, `#`, `_` or a Chinese character
  (numbers, dates, ids such as DX-202608-0001, paths, EPSG:4490, config keys, zone names),
  option names (`--zone-field`, `-o`), which the sources write as `Setting`s, and file
  extensions (`.dbf`).
What is left is split at the cuts and after `:`, `;` and `?` (where a message joins its
clauses, often from separate literals); each piece, trimmed of spaces and punctuation at its
ends, of at least MIN_LENGTH (12) characters is a fragment. A message with no such fragment
(one made mostly of option names and values) is cut again keeping option names and file
extensions, and its pieces of at least SHORT_LENGTH (6) characters are checked instead; a
message with nothing left at all counts as missing.

Matching: a fragment passes when it occurs in the sources, or when it does after dropping one
word from its start and/or end, where that word is an unquoted value: the rest (at least 8
characters) must then follow the end of an interpolation, `\\(…) rest`, or start a string
literal, `"rest`; or precede the start of one, `rest \\(…)`, or end a literal, `rest"`. So
`json` in `--format json does not match` is found as `\\(format.rawValue) does not match`,
while a changed word of the text itself is not excused. The sources are searched as raw text,
where interpolations read `\\(...)`, after joining string literals the code splits over lines
(`"…" + "…"`, a backslash ending a line inside a multi-line literal), and also with each
`\\(cond ? "a" : "b")` read as its first and as its second literal, so that `1 feature skipped`
and `2 features skipped` are both found.

Prints each entry as `ok` or `missing` (with the fragments not found) and exits 1 when any entry
is missing (or the file holds no error block). Python 3 standard library only.
"""

import glob
import os
import re
import sys

MIN_LENGTH = 12
SHORT_LENGTH = 6
EDGE_WORDS = 1
DOC = os.path.join("docs", "zh", "常见问题.md")
PREFIXES = ("landwatch: error: ", "landwatch: warning: ")

# Phrases of the libraries LandWatch passes on unchanged; they are not in Sources/.
LIBRARY_PHRASES = [
    r"Missing value for",                                      # swift-argument-parser
    r"The value\b",                                            # swift-argument-parser
    r"\bis invalid for\b",                                     # swift-argument-parser
    r"`[^`']*' not recognized as a supported file format\.",   # GDAL
    r"\bPROJ: [^;()]*",                                        # PROJ
]

CJK = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
CUT = "\x00"
EDGE_PUNCTUATION = " \t:;,.?!()"


def fragments(message, strict=True):
    text = re.sub(r" \(see 'landwatch [^']*'\)$", "", message)
    for phrase in LIBRARY_PHRASES:
        text = re.sub(phrase, CUT, text)
    text = re.sub(r'"[^"]*"', CUT, text)
    text = re.sub(r"`[^`]*`", CUT, text)
    text = re.sub(r"(?<![\w])'[^']*'(?![\w])", CUT, text)
    item = r"[^\s,;:()\x00]+"
    text = re.sub(rf"{item}(?:, {item}){{2,}}(?:,? (?:and|or) {item})?", CUT, text)
    words = []
    for word in re.split(r"(\s+)", text):
        value = re.search(r"[0-9/@#_]", word) or re.search(CJK, word)
        if strict:
            value = value or re.match(r"[(]?(--?[A-Za-z]|\.[a-z])", word)
        words.append(CUT if value else word)
    text = re.sub(r"[:;?] ", CUT, "".join(words))
    pieces = [p.strip(EDGE_PUNCTUATION) for p in text.split(CUT)]
    return [p for p in pieces if len(p) >= (MIN_LENGTH if strict else SHORT_LENGTH)]


def candidates(fragment):
    """Regular expressions for the fragment: as it is, and with one word dropped from its start
    (then an interpolation or a string literal must end right before the rest in the source)
    and/or its end (then one must start right after it)."""
    words = fragment.split(" ")
    found = [re.escape(fragment)]
    for start in range(0, EDGE_WORDS + 1):
        for end in range(0, EDGE_WORDS + 1):
            if start + end == 0 or start + end >= len(words):
                continue
            rest = " ".join(words[start:len(words) - end])
            if len(rest) < 8:
                continue
            pattern = (r'(?:\) |")' if start else "") + re.escape(rest) + (r'(?: \\\(|")' if end else "")
            found.append(pattern)
    return found


def sources(root):
    ternary = re.compile(r'\\\([^()"\n]*\?\s*"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"\)')
    texts = []
    for path in glob.glob(os.path.join(root, "Sources", "**", "*.swift"), recursive=True):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r'"\s*\+\s*"', "", text)      # "…" + "…"
        text = re.sub(r"\\\n[ \t]*", "", text)       # a line continued inside a """ literal
        texts.append(text)
        if ternary.search(text):
            texts.append(ternary.sub(lambda m: m.group(1), text))
            texts.append(ternary.sub(lambda m: m.group(2), text))
    return texts


def entries(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```error":
            start = i + 1
            block = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                if lines[i].strip():
                    block.append(lines[i].rstrip())
                i += 1
            found.append((start, block))
        i += 1
    return found


def main():
    root = os.getcwd()
    doc = os.path.join(root, DOC)
    if not os.path.exists(doc) or not os.path.isdir(os.path.join(root, "Sources")):
        print(f"run this from the repository root (no {DOC} or Sources/ here)")
        return 2
    corpus = sources(root)

    def found(fragment):
        return any(re.search(c, text) for c in candidates(fragment) for text in corpus)

    failures = 0
    blocks = entries(doc)
    for line_number, block in blocks:
        where = f"{DOC}:{line_number}"
        if len(block) != 1 or not block[0].startswith(PREFIXES):
            print(f"missing {where}: an error block holds one line starting with "
                  f"'landwatch: error: ' or 'landwatch: warning: '")
            failures += 1
            continue
        line = block[0]
        message = line.split(": ", 2)[2]
        parts = fragments(message) or fragments(message, strict=False)
        absent = [p for p in parts if not found(p)]
        shown = line if len(line) <= 110 else line[:107] + "..."
        if not parts:
            print(f"missing {shown}\n    ({where}) no fragment left to check")
            failures += 1
        elif absent:
            print(f"missing {shown}\n    ({where})")
            for p in absent:
                print(f"    not in Sources/: {p!r}")
            failures += 1
        else:
            print(f"ok      {shown}")
    print(f"{len(blocks)} entries, {failures} missing")
    return 1 if failures or not blocks else 0


if __name__ == "__main__":
    sys.exit(main())
