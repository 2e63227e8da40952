"""Phone-width friendliness of a rendered page, checked on its HTML: a table wider than a phone's
screen must sit in a `.table-responsive` wrapper (it scrolls inside it instead of the page)."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open = []      # (tag, classes) of the elements open at this point
        self.tables = 0
        self.bare = []      # the n-th tables with no scroll wrapper around them

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "table":
            self.tables += 1
            if not any("table-responsive" in c for _tag, c in self.open):
                self.bare.append(self.tables)
        if tag not in VOID:
            self.open.append((tag, classes))

    def handle_endtag(self, tag):
        for n in range(len(self.open) - 1, -1, -1):  # to the matching tag (a <p> or <li> may be left open)
            if self.open[n][0] == tag:
                del self.open[n:]
                return


def tables_without_scroll(html: str) -> tuple[int, list[int]]:
    """(tables on the page, the numbers of those outside any `.table-responsive`)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables, parser.bare
