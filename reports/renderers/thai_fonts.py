"""Thai fonts for PDFs whose text copies out as the Thai that was typed, in every viewer.

A viewer turns glyphs back into text with the font's ToUnicode map (glyph → text), read in the
order the glyphs are drawn; poppler, PDFium (Chrome, Edge) and pdf.js (Firefox) all do, and PDFium
and pdf.js replace a glyph mapped to nothing with its glyph code. So the map must give every drawn
glyph its own, non-empty text, in the right order. Two things stand in the way:

1. WeasyPrint maps each glyph to the text of the HarfBuzz *cluster* it is first seen in, and
   HarfBuzz merges Thai marks with their consonant (ค่ is one cluster of two glyphs).
2. HarfBuzz always splits SARA AM (ำ) into NIKHAHIT + SARA AA and moves the NIKHAHIT before a
   tone mark (น้ำ is drawn น ํ ้ า): no glyph-to-text map can tell that SARA AA from a plain า,
   nor give the NIKHAHIT a text of its own without putting the marks out of order.

So (a) a copy of Laksaman (the TLWG font metric-compatible with the government's TH Sarabun) gets
one ligature glyph per "NIKHAHIT [tone] SARA AA" sequence that HarfBuzz produces, drawn with the
same outlines: each ligature stands for exactly "[tone]ำ", and every glyph of the font for exactly
one text. Ligatures are named as the Adobe Glyph List names ligatures (uni0E490E33.am3 is ้ำ), so
(b) the ToUnicode map of those fonts is rewritten from the glyph names alone, as the PDF is written,
complete and non-empty. The patched fonts are built once per machine into a cache directory from
the installed fonts-thai-tlwg files.
"""

import functools
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

FAMILY = "ITA Laksaman"  # the patched copy; BaseFont names in the PDF start with "ITA-Laksaman"
SOURCE_FAMILY = "Laksaman"
FALLBACK_FAMILIES = ["Laksaman", "Garuda", "Loma", "sans-serif"]
EMOJI_FAMILY = "Noto Emoji"
PATCH_VERSION = "3"
SARA_AA = "uni0E32"
TONES = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")
_UNI_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)(?:\.|$)")


def _fc_match(pattern: str) -> Path | None:
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(["fc-match", "-f", "%{file}\n%{family}", pattern], capture_output=True, text=True)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 2 or SOURCE_FAMILY not in lines[1]:
        return None
    return Path(lines[0])


def _cache_dir() -> Path:
    configured = getattr(settings, "REPORTS_FONT_CACHE", "")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "ita-portal-fonts"


def _patch(source: Path, target: Path, bold: bool) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    _replace_layout(font, _add_sara_am_ligatures(font))
    style = "Bold" if bold else "Regular"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}"
        elif record.nameID == 6:
            record.string = f"{FAMILY.replace(' ', '')}-{style}"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(partial))
    os.replace(partial, target)  # atomic: workers building it at once never read half a file


def _add_sara_am_ligatures(font) -> dict[tuple[str, ...], str]:
    """A composite glyph for each NIKHAHIT variant + (tone variant) + SARA AA; {components: name}.

    Thai marks in TLWG fonts have no advance and draw to the left of their origin, so components
    all placed at the origin draw exactly what the separate glyphs drew."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = font.getGlyphOrder()
    nikhahits = [n for n in names if n.split(".")[0] == "uni0E4D"]
    tones = [None] + [n for n in names if n.split(".")[0] in TONES]
    glyf, hmtx = font["glyf"], font["hmtx"]
    glyph_set = font.getGlyphSet()
    ligatures = {}
    for nikhahit in nikhahits:
        for tone in tones:
            parts = (nikhahit, tone, SARA_AA) if tone else (nikhahit, SARA_AA)
            name = f"uni{tone.split('.')[0][3:] if tone else ''}0E33.am{len(ligatures)}"
            pen = TTGlyphPen(glyph_set)
            for part in parts:
                pen.addComponent(part, (1, 0, 0, 1, 0, 0))
            glyph = pen.glyph()
            glyf.glyphs[name] = glyph
            glyph.recalcBounds(glyf)
            hmtx.metrics[name] = (hmtx[SARA_AA][0], glyph.xMin)
            ligatures[parts] = name
    font.setGlyphOrder(names + list(ligatures.values()))
    glyf.glyphOrder = font.getGlyphOrder()
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef:
        for name in ligatures.values():
            font["GDEF"].table.GlyphClassDef.classDefs[name] = 1  # a base glyph, like SARA AA
    return ligatures


def _replace_layout(font, ligatures: dict[tuple[str, ...], str]) -> None:
    """Replace the font's OpenType layout with one GSUB lookup: the SARA AM ligatures.

    Without a `thai` script in GSUB, HarfBuzz shapes Thai the way TLWG fonts were designed for:
    the pre-positioned variant glyphs (tone marks lowered, moved left over ป ฝ ฟ, ญ ฐ without
    descender). Marks then need no x-offsets, which text extractors would read as spaces; and with
    GPOS gone, nothing adds them back."""
    from fontTools.ttLib.tables import otTables

    substitution = otTables.LigatureSubst()
    substitution.ligatures = {}
    for parts, name in ligatures.items():
        ligature = otTables.Ligature()
        ligature.LigGlyph, ligature.Component = name, list(parts[1:])
        substitution.ligatures.setdefault(parts[0], []).append(ligature)
    for first in substitution.ligatures.values():
        first.sort(key=lambda ligature: -len(ligature.Component))  # the longest match first

    gsub = font["GSUB"].table
    gsub.LookupList.Lookup, gsub.LookupList.LookupCount = [_lookup(4, [substitution])], 1
    feature = otTables.FeatureRecord()
    feature.FeatureTag = "ccmp"
    feature.Feature = otTables.Feature()
    feature.Feature.FeatureParams = None
    feature.Feature.LookupListIndex, feature.Feature.LookupCount = [0], 1
    gsub.FeatureList.FeatureRecord, gsub.FeatureList.FeatureCount = [feature], 1
    langsys = otTables.LangSys()
    langsys.LookupOrder, langsys.ReqFeatureIndex = None, 0xFFFF
    langsys.FeatureIndex, langsys.FeatureCount = [0], 1
    script = otTables.ScriptRecord()
    script.ScriptTag = "DFLT"
    script.Script = otTables.Script()
    script.Script.DefaultLangSys, script.Script.LangSysRecord, script.Script.LangSysCount = langsys, [], 0
    gsub.ScriptList.ScriptRecord, gsub.ScriptList.ScriptCount = [script], 1
    if "GPOS" in font:
        del font["GPOS"]


def _lookup(lookup_type, subtables):
    from fontTools.ttLib.tables import otTables

    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag = lookup_type, 0
    lookup.SubTable, lookup.SubTableCount = subtables, len(subtables)
    return lookup


def source_font(bold: bool = False) -> Path | None:
    """The installed Laksaman the patched font is built from (None without fonts-thai-tlwg)."""
    return _fc_match(f"{SOURCE_FAMILY}:style={'Bold' if bold else 'Regular'}")


@functools.lru_cache(maxsize=1)
def patched_fonts() -> dict[str, Path]:
    """{"regular": path, "bold": path} of the patched fonts, built on first use; {} without TLWG."""
    found = {}
    for weight in ("regular", "bold"):
        source = source_font(weight == "bold")
        if source is None or not source.exists():
            log.warning("font %s %s not found (install fonts-thai-tlwg); PDFs use fallback fonts", SOURCE_FAMILY, weight)
            return {}
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
        target = _cache_dir() / f"ita-laksaman-{weight}-{digest}-v{PATCH_VERSION}.ttf"
        if not target.exists():
            _patch(source, target, bold=weight == "bold")
        found[weight] = target
    return found


def font_face_css() -> str:
    rules = []
    for weight, path in patched_fonts().items():
        css_weight = 700 if weight == "bold" else 400
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {css_weight}; '
                     f'src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)


def _emoji_folder() -> Path:
    return Path(settings.NODE_MODULES) / "@fontsource" / "noto-emoji"


_FACE = re.compile(r"@font-face\s*{(.*?)}", re.S)
_URL = re.compile(r"url\(\./([^)]+\.woff2)\)")
_RANGE = re.compile(r"U\+([0-9a-fA-F]+)(?:-([0-9a-fA-F]+))?")


@functools.lru_cache(maxsize=1)
def _emoji_faces() -> list[tuple[Path, int, list[tuple[int, int]], str]]:
    """(woff2 file, weight, code point ranges, unicode-range as written) of each face of Noto Emoji
    (monochrome, the npm package @fontsource/noto-emoji), split by its CSS as the browser gets it."""
    faces = []
    for weight in (400, 700):
        css = _emoji_folder() / f"{weight}.css"
        if not css.exists():
            continue
        for body in _FACE.findall(css.read_text()):
            url, ranges = _URL.search(body), re.search(r"unicode-range:\s*([^;]+);", body)
            if url and ranges:
                spans = [(int(a, 16), int(b or a, 16)) for a, b in _RANGE.findall(ranges.group(1))]
                faces.append((css.parent / url.group(1), weight, spans, ranges.group(1).strip()))
    if not faces:
        log.warning("@fontsource/noto-emoji not installed (npm ci): emoji in PDFs print as boxes")
    return faces


@functools.lru_cache(maxsize=1)
def _thai_codepoints() -> frozenset:
    from fontTools.ttLib import TTFont

    path = patched_fonts().get("regular") or source_font()
    return frozenset(TTFont(str(path), lazy=True).getBestCmap()) if path else frozenset()


def emoji_font_css(text: str) -> str:
    """Noto Emoji for the characters of text that the Thai font lacks: emoji print as emoji, not
    as boxes, and copy out as themselves. Only the faces the text needs (most documents need none),
    decompressed once per machine into the font cache: WeasyPrint would unpack WOFF2 on every PDF."""
    lacking = {ord(ch) for ch in set(text) if not ch.isspace()} - _thai_codepoints()
    rules = []
    for source, weight, spans, ranges in _emoji_faces() if lacking else []:
        if any(low <= cp <= high for cp in lacking for low, high in spans):
            rules.append(f'@font-face {{ font-family: "{EMOJI_FAMILY}"; font-weight: {weight}; '
                         f'src: url("{_unpacked(source).as_uri()}"); unicode-range: {ranges}; }}')
    return "\n".join(rules)


def _unpacked(woff2: Path) -> Path:
    target = _cache_dir() / f"{woff2.stem}-{hashlib.sha256(woff2.read_bytes()).hexdigest()[:12]}.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont

        font = TTFont(str(woff2))
        font.flavor = None
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        os.replace(partial, target)
    return target


def font_family_css(emoji: bool = False) -> str:
    families = ([FAMILY] if patched_fonts() else []) + ([EMOJI_FAMILY] if emoji else []) + FALLBACK_FAMILIES
    return ", ".join(f'"{f}"' if " " in f else f for f in families)


@functools.lru_cache(maxsize=4)
def glyph_texts(path: Path) -> dict[int, str]:
    """Glyph id → the text it stands for, from the glyph names (uni0E49.low → ้, uni0E490E33.am3
    → ้ำ) or, for names that say nothing, from the character map."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    reverse = {}
    for codepoint, name in sorted(font.getBestCmap().items()):
        if not 0xE000 <= codepoint <= 0xF8FF:  # private-use variants are named uniXXXX.suffix
            reverse.setdefault(name, chr(codepoint))
    texts = {}
    for gid, name in enumerate(font.getGlyphOrder()):
        if match := _UNI_NAME.match(name):
            hexes = match.group(1)
            texts[gid] = "".join(chr(int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4))
        elif name in reverse:
            texts[gid] = reverse[name]
    return texts


def _cmap_lines(mapping: dict[int, str]) -> list[bytes]:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar")
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>" for gid, text in batch]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return [line.encode("ascii") for line in lines]


_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def fix_to_unicode(document, pdf) -> None:
    """A WeasyPrint finisher (write_pdf(finisher=...)): the ToUnicode maps of the patched fonts
    rewritten glyph by glyph, while WeasyPrint writes the file, before its PDF/A metadata and tags
    are serialised; no second pass over the finished PDF (a pypdf rewrite cost a second an O7)."""
    fonts = patched_fonts()
    marker = FAMILY.replace(" ", "-").encode()
    for font in list(pdf.objects) if fonts else []:
        if not isinstance(font, dict) or "ToUnicode" not in font or marker not in bytes(font.get("BaseFont", b"")):
            continue  # (a Type0 font's descendant CIDFont has the name but not the map)
        stream = pdf.objects[int(font["ToUnicode"].split()[0])]
        texts = glyph_texts(fonts["bold" if b"Bold" in font["BaseFont"] else "regular"])
        drawn = {int(gid, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
                 for gid, text in _BFCHAR.findall(b"\n".join(stream.stream))}
        stream.stream = _cmap_lines({gid: texts.get(gid, text) for gid, text in drawn.items()})
