#!/usr/bin/env python3
"""Builds the caption engine's compact lexicon files from WordNet 3.0 and CLDR emoji annotations.

The outputs are sorted, tab-separated text so the engine can binary-search them in place after
they are compiled into the binary (no parsing into maps at start-up):

  lexicon.tsv    lemma \t parts of speech, most frequent first (n noun, v verb, a adjective, r adverb)
  noun_exc.tsv   irregular plural \t singular
  verb_exc.tsv   irregular verb form \t base form
  emoji.tsv      keyword \t emoji [space emoji ...], best match first, at most MAX_EMOJI_PER_KEYWORD

Usage: gen-lexicon.py --wordnet DIR --cldr FILE --curated FILE --out DIR
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

MAX_EMOJI_PER_KEYWORD = 4
MAX_COLLOCATION_WORDS = 3
GENERIC_KEYWORD_PEERS = 3
POS_FILES = (("n", "index.noun"), ("v", "index.verb"), ("a", "index.adj"), ("r", "index.adv"))
POS_TIE_ORDER = "navr"
LEMMA_RE = re.compile(r"^[a-z][a-z0-9'_.-]*$")


def byte_key(text):
    # The engine compares with std::string_view, which orders by unsigned bytes.
    return text.encode("utf-8")


def read_index(path):
    """Yields (lemma, synset count, tagged sense count) from a WordNet index file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(" "):
                continue  # licence header
            fields = line.split()
            if len(fields) < 6:
                continue
            lemma = fields[0]
            synsets = int(fields[2])
            pointer_count = int(fields[3])
            tagged = int(fields[5 + pointer_count])
            yield lemma, synsets, tagged


def build_lexicon(wordnet_dir):
    weights = {}
    for pos, name in POS_FILES:
        for lemma, synsets, tagged in read_index(os.path.join(wordnet_dir, name)):
            if not LEMMA_RE.match(lemma) or lemma.count("_") >= MAX_COLLOCATION_WORDS:
                continue
            weights.setdefault(lemma, {})[pos] = (tagged, synsets)
    lines = []
    for lemma, by_pos in weights.items():
        order = sorted(by_pos, key=lambda p: (-by_pos[p][0], -by_pos[p][1], POS_TIE_ORDER.index(p)))
        lines.append(f"{lemma}\t{''.join(order)}")
    lines.sort(key=lambda line: byte_key(line.split("\t", 1)[0]))
    return lines


def build_exceptions(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 2 and LEMMA_RE.match(fields[0]) and fields[0] not in table:
                table[fields[0]] = fields[1]
    return [f"{k}\t{table[k]}" for k in sorted(table, key=byte_key)]


def is_pictographic(cp_text):
    """True for real pictographic emoji; rejects ASCII, letters, punctuation, arrows, math, enclosed
    alphanumerics (🆕, 🅰) and lone modifiers."""
    first = ord(cp_text[0])
    if first < 0x2300:
        return False
    if 0x1F000 <= first <= 0x1F0FF:
        return first in (0x1F004, 0x1F0CF)
    if 0x1F100 <= first <= 0x1F2FF:
        return False
    if 0x1F3FB <= first <= 0x1F3FF:
        return False
    return (0x2300 <= first <= 0x23FF or 0x2600 <= first <= 0x27BF or 0x2B00 <= first <= 0x2BFF
            or 0x1F300 <= first <= 0x1FAFF)


def with_presentation(emoji):
    # Symbols from the BMP default to text presentation; VS16 asks for the colour glyph.
    if len(emoji) == 1 and ord(emoji) < 0x1F000:
        return emoji + "\uFE0F"
    return emoji


def keyword_of(text):
    return "_".join(text.lower().replace("’", "'").split())


def build_emoji(cldr_path, curated_path):
    root = ET.parse(cldr_path).getroot()
    keywords_of = {}
    tts_of = {}
    for node in root.iter("annotation"):
        cp = node.get("cp")
        if not cp or not node.text or not is_pictographic(cp):
            continue
        if node.get("type") == "tts":
            tts_of[cp] = keyword_of(node.text)
        else:
            keywords_of[cp] = [keyword_of(k) for k in node.text.split("|") if k.strip()]

    candidates = {}
    for cp, keywords in keywords_of.items():
        tts = tts_of.get(cp, "")
        for kw in set(keywords + ([tts] if tts else [])):
            # Best first: the emoji named exactly by the keyword, then one whose name contains it,
            # then the most specific (fewest keywords).
            rank = (0 if kw == tts else 1 if kw in tts.split("_") else 2, len(keywords), cp)
            candidates.setdefault(kw, []).append((rank, cp))

    curated = {}
    with open(curated_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            curated[keyword_of(fields[0])] = [e.replace("\uFE0F", "") for e in fields[1:]]

    lines = []
    for kw in sorted(set(candidates) | set(curated), key=byte_key):
        if not kw or "\t" in kw:
            continue
        chosen = list(curated.get(kw, []))
        ranked = sorted(candidates.get(kw, []))
        for rank, cp in ranked:
            # A keyword shared by many emoji ("face", "animal") says little about any one of them.
            peers = sum(1 for r, _ in ranked if r[0] == rank[0])
            if cp not in chosen and (rank[0] == 0 or peers <= GENERIC_KEYWORD_PEERS):
                chosen.append(cp)
        if not chosen:
            continue
        chosen = chosen[:MAX_EMOJI_PER_KEYWORD]
        lines.append(kw + "\t" + " ".join(with_presentation(e) for e in chosen))
    return lines


def write_lines(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
        f.write("\n")
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--cldr", default="/usr/share/unicode/cldr/common/annotations/en.xml")
    parser.add_argument("--curated", required=True, help="data/captions/emoji_keywords.txt")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    lexicon = build_lexicon(args.wordnet)
    if len(lexicon) < 100000:
        sys.exit(f"gen-lexicon: only {len(lexicon)} lemmas read from {args.wordnet}")
    write_lines(os.path.join(args.out, "lexicon.tsv"), lexicon)
    write_lines(os.path.join(args.out, "noun_exc.tsv"),
                build_exceptions(os.path.join(args.wordnet, "noun.exc")))
    write_lines(os.path.join(args.out, "verb_exc.tsv"),
                build_exceptions(os.path.join(args.wordnet, "verb.exc")))
    emoji = build_emoji(args.cldr, args.curated)
    if len(emoji) < 1000:
        sys.exit(f"gen-lexicon: only {len(emoji)} emoji keywords read from {args.cldr}")
    write_lines(os.path.join(args.out, "emoji.tsv"), emoji)


if __name__ == "__main__":
    main()
