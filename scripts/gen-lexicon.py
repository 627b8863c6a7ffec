#!/usr/bin/env python3
"""Builds the caption engine's compact lexicon files from WordNet 3.0 and CLDR emoji annotations.

The outputs are sorted, tab-separated text so the engine can binary-search them in place after
they are compiled into the binary (no parsing into maps at start-up):

  lexicon.tsv    lemma \t parts of speech, most frequent first (n noun, v verb, a adjective, r adverb)
  noun_exc.tsv   irregular plural \t singular
  verb_exc.tsv   irregular verb form \t base form
  emoji.tsv      keyword \t emoji [space emoji ...], best match first, at most MAX_EMOJI_PER_KEYWORD
  emoji_LL.tsv   the same from the CLDR annotations of language LL (es, fr, de, it, pt)
  relatives.tsv  noun lemma \t synonyms and same-file hypernyms of its most frequent sense
  topics.tsv     noun lemma \t niche:score ..., best first: the niches (data/captions/niches.txt)
                 whose anchor synsets are hypernyms of the lemma's senses or whose WordNet
                 lexicographer files hold them; the analyzer's niche detection for English

Usage: gen-lexicon.py --wordnet DIR --cldr FILE --curated FILE --niches FILE --out DIR [--languages es,fr]
"""

import argparse
import os
import re
import struct
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
    alphanumerics (🆕, 🅰), media controls and lone modifiers."""
    first = ord(cp_text[0])
    if first < 0x2300:
        return False
    if 0x1F000 <= first <= 0x1F0FF:
        return first in (0x1F004, 0x1F0CF)
    if 0x1F100 <= first <= 0x1F2FF:
        return False
    if 0x1F3FB <= first <= 0x1F3FF:
        return False
    # Media controls (⏯ ⏸ ⏩ ...) name buttons, not things: "play" must not become ⏯.
    if 0x23E9 <= first <= 0x23FA:
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


def read_noun_synsets(wordnet_dir):
    """offset -> (lemmas, hypernym offsets, lexicographer file number) for every noun synset."""
    synsets = {}
    with open(os.path.join(wordnet_dir, "data.noun"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(" "):
                continue
            fields = line.split(" ")
            words = int(fields[3], 16)
            lemmas = [fields[4 + 2 * i].lower() for i in range(words)]
            k = 4 + 2 * words
            pointers = int(fields[k])
            hypernyms = []
            for p in range(pointers):
                symbol, offset, pos = fields[k + 1 + 4 * p: k + 4 + 4 * p]
                if symbol in ("@", "@i") and pos == "n":
                    hypernyms.append(offset)
            synsets[fields[0]] = (lemmas, hypernyms, int(fields[1]))
    return synsets


def read_noun_senses(wordnet_dir):
    """lemma -> its synset offsets, most frequent sense first, for lemmas the engine can meet."""
    senses = {}
    with open(os.path.join(wordnet_dir, "index.noun"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(" "):
                continue
            fields = line.split()
            lemma = fields[0]
            if LEMMA_RE.match(lemma) and lemma.count("_") < MAX_COLLOCATION_WORDS:
                senses[lemma] = fields[len(fields) - int(fields[2]):]
    return senses


# WordNet 3.0 lexnames: the noun files a niche may name in niches.txt ("lexfiles = food").
LEXFILE_NUMBERS = {"animal": 5, "artifact": 6, "body": 8, "food": 13, "person": 18, "plant": 20}
TOPIC_DEPTH_DECAY = 0.9  # a niche's anchor counts 1, each hypernym step between loses 10 %
TOPIC_MIN_SCORE = 0.1
TOPIC_LEXFILE_SCORE = 0.4


def read_niche_anchors(niches_path, senses):
    """From niches.txt: {synset offset: niche} for "hypernyms = food, dish#2" (lemma#k is the
    lemma's k-th sense, the first when no #k) and {lexfile number: niche} for "lexfiles = food"."""
    anchors, lexfiles, niche = {}, {}, None
    with open(niches_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                niche = line[1:-1]
                continue
            key, _, value = line.partition("=")
            key, items = key.strip(), [v.strip() for v in value.split(",") if v.strip()]
            if key == "hypernyms":
                for item in items:
                    lemma, _, k = item.partition("#")
                    offsets = senses.get(lemma, [])
                    if len(offsets) < int(k or 1):
                        sys.exit(f"gen-lexicon: {niches_path}: [{niche}] no WordNet noun sense {item}")
                    anchors[offsets[int(k or 1) - 1]] = niche
            elif key == "lexfiles":
                for item in items:
                    if item not in LEXFILE_NUMBERS:
                        sys.exit(f"gen-lexicon: {niches_path}: [{niche}] unknown lexfile {item}")
                    lexfiles[LEXFILE_NUMBERS[item]] = niche
    return anchors, lexfiles


def read_sense_counts(wordnet_dir):
    """(lemma, sense number) -> how often that noun sense was tagged in WordNet's corpus."""
    counts = {}
    with open(os.path.join(wordnet_dir, "cntlist.rev"), encoding="utf-8", errors="replace") as f:
        for line in f:
            key, number, count = line.split()
            lemma, _, rest = key.partition("%")
            if rest.startswith("1:"):  # nouns
                counts[(lemma.lower(), int(number))] = int(count)
    return counts


def build_topics(wordnet_dir, niches_path):
    """noun lemma -> "niche:score ..." (best first): the niches whose anchor synsets lie among the
    hypernyms of the lemma's senses, or whose lexicographer file holds them. A score is the
    expected closeness over the senses, each weighted by how often it is used: "plate" is home
    plate (sports) in a third of WordNet's tagged text, so it leans to sports only a little."""
    synsets = read_noun_synsets(wordnet_dir)
    senses = read_noun_senses(wordnet_dir)
    counts = read_sense_counts(wordnet_dir)
    anchors, lexfiles = read_niche_anchors(niches_path, senses)
    above = {}  # offset -> {niche: steps up to its nearest anchor}

    def niches_above(offset):
        if offset not in above:
            above[offset] = {}  # WordNet's hypernyms form no cycle; this guards the recursion
            found = {anchors[offset]: 0} if offset in anchors else {}
            for h in synsets[offset][1]:
                for niche, steps in niches_above(h).items():
                    found[niche] = min(found.get(niche, steps + 1), steps + 1)
            above[offset] = found
        return above[offset]

    lines = []
    for lemma, offsets in senses.items():
        # Tagged counts, smoothed so that untagged senses still count, the earlier ones more.
        weights = [counts.get((lemma, k), 0) + 1 / k for k in range(1, len(offsets) + 1)]
        total = sum(weights)
        votes = {}
        for weight, offset in zip(weights, offsets):
            share = weight / total
            closeness = {n: TOPIC_DEPTH_DECAY ** steps for n, steps in niches_above(offset).items()}
            niche = lexfiles.get(synsets[offset][2])
            if niche:
                closeness[niche] = max(closeness.get(niche, 0), TOPIC_LEXFILE_SCORE)
            for niche, value in closeness.items():
                votes[niche] = votes.get(niche, 0) + share * value
        best = sorted(((n, v) for n, v in votes.items() if v >= TOPIC_MIN_SCORE), key=lambda v: (-v[1], v[0]))
        if best:
            lines.append(lemma + "\t" + " ".join(f"{n}:{score:.2f}" for n, score in best))
    lines.sort(key=lambda line: byte_key(line.split("\t", 1)[0]))
    return lines


# Hypernyms too general to say anything about a post ("#entity", "#hour").
GENERIC_HYPERNYMS = {
    "entity", "object", "whole", "thing", "artifact", "artefact", "act", "activity", "event",
    "time", "hour", "period", "state", "attribute", "abstraction", "group", "unit", "matter",
    "substance", "part", "piece", "organism", "being", "person", "individual", "someone",
    "somebody", "instrumentality", "instrumentation", "device", "container", "structure",
    "location", "region", "area", "quality", "property", "content", "idea", "point",
    "material", "commodity", "goods", "article", "creation", "product", "implement",
    "way", "action", "change", "happening", "occurrence", "phenomenon", "process",
    "formation", "java", "religion", "system", "collection", "arrangement", "situation",
    "bar", "block", "speculation", "leavening", "leaven", "woods", "vegetation", "breadstuff",
    "downfall", "precipitation", "snowfall",
}
MAX_RELATIVES = 3
MIN_RELATIVE_TAGGED = 1


def build_relatives(wordnet_dir):
    """noun lemma -> up to MAX_RELATIVES synonyms and hypernyms of its most frequent sense, for
    hashtags one step away from the description ("puppy" -> "dog", "sunset" -> "sundown")."""
    synsets = read_noun_synsets(wordnet_dir)
    # Relatives must be words people use: seen in WordNet's tagged corpus at least this often.
    tagged_count = {lemma: tagged for lemma, _, tagged in read_index(
        os.path.join(wordnet_dir, "index.noun"))}
    lines = []
    for lemma, offsets in read_noun_senses(wordnet_dir).items():
        if tagged_count.get(lemma, 0) == 0 or offsets[0] not in synsets:
            continue
        lemmas, hypernyms, lexfile = synsets[offsets[0]]
        related = [w for w in lemmas if w != lemma and "_" not in w and LEMMA_RE.match(w)
                   and w not in GENERIC_HYPERNYMS]
        for h in hypernyms[:1]:
            h_lemmas, _, h_lexfile = synsets.get(h, ([], [], -1))
            if h_lexfile == lexfile:
                related += [w for w in h_lemmas[:2]
                            if "_" not in w and w not in GENERIC_HYPERNYMS and LEMMA_RE.match(w)]
        related = [w for i, w in enumerate(related)
                   if w not in related[:i] and w != lemma
                   and tagged_count.get(w, 0) >= MIN_RELATIVE_TAGGED]
        if related:
            lines.append(lemma + "\t" + " ".join(related[:MAX_RELATIVES]))
    lines.sort(key=lambda line: byte_key(line.split("\t", 1)[0]))
    return lines


def build_emoji(cldr_path, curated_path, language="en"):
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
            # "es:atardecer 🌅" is a Spanish override; unprefixed lines are English.
            lang, _, word = fields[0].rpartition(":")
            if (lang or "en") != language:
                continue
            curated[keyword_of(word)] = [e.replace("\uFE0F", "") for e in fields[1:]]

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


INDEX_MAGIC = b"RGIX"
INDEX_VERSION = 2
# Tables this long also get a two-byte bucket table: 9 probes instead of 14 in the lexicon.
PAIR_BUCKETS_FROM = 20000


def write_lines(path, lines):
    """Writes the sorted table and, next to it, PATH.idx: the binary index the engine maps in
    place instead of scanning the text at start-up (SortedLines::map). Layout, little endian:
    "RGIX", u32 version, u32 count, u32 has_pairs, u32 first_byte[257] (entries whose key starts
    below each byte value), u32 pairs[65537] only when has_pairs (entries whose first two bytes,
    a missing second byte counting as 0, are below each pair value), then count x (u32 offset of
    the line, u32 key length)."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    entries = []
    pos = 0
    for line in lines:
        raw = line.encode("utf-8")
        key_len = len(raw)
        for sep in (b"\t", b" "):
            cut = raw.find(sep)
            if cut >= 0:
                key_len = min(key_len, cut)
        key = raw[:key_len]
        entries.append((pos, key_len, key[0] if key else 0,
                        (key[0] << 8 | (key[1] if len(key) > 1 else 0)) if key else 0))
        pos += len(raw) + 1
    keys = [data[start:start + size] for start, size, _, _ in entries]
    if keys != sorted(keys):
        sys.exit(f"gen-lexicon: {path} is not sorted by bytes")

    def cumulative(values, buckets):
        table, i = [], 0
        for b in range(buckets + 1):
            while i < len(values) and values[i] < b:
                i += 1
            table.append(i)
        return table

    has_pairs = len(entries) >= PAIR_BUCKETS_FROM
    index = bytearray(INDEX_MAGIC)
    index += struct.pack("<III", INDEX_VERSION, len(entries), 1 if has_pairs else 0)
    index += struct.pack("<257I", *cumulative([e[2] for e in entries], 256))
    if has_pairs:
        index += struct.pack("<65537I", *cumulative([e[3] for e in entries], 65536))
    for start, size, _, _ in entries:
        index += struct.pack("<II", start, size)
    for target, blob in ((path, data), (path + ".idx", bytes(index))):
        tmp = target + ".tmp"
        with open(tmp, "wb") as f:
            f.write(blob)
        os.replace(tmp, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--cldr", default="/usr/share/unicode/cldr/common/annotations/en.xml")
    parser.add_argument("--curated", required=True, help="data/captions/emoji_keywords.txt")
    parser.add_argument("--niches", required=True, help="data/captions/niches.txt")
    parser.add_argument("--out", required=True)
    parser.add_argument("--languages", default="", help="more CLDR languages, e.g. es,fr,de")
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
    write_lines(os.path.join(args.out, "topics.tsv"), build_topics(args.wordnet, args.niches))
    write_lines(os.path.join(args.out, "relatives.tsv"), build_relatives(args.wordnet))
    cldr_dir = os.path.dirname(args.cldr)
    for lang in filter(None, args.languages.split(",")):
        lines = build_emoji(os.path.join(cldr_dir, lang + ".xml"), args.curated, lang)
        if len(lines) < 1000:
            sys.exit(f"gen-lexicon: only {len(lines)} emoji keywords for {lang}")
        write_lines(os.path.join(args.out, f"emoji_{lang}.tsv"), lines)


if __name__ == "__main__":
    main()
