"""The press text as highlighted HTML: escaped, and well formed whatever the spans."""

import re
from html.parser import HTMLParser

from shiraka.web.extract.highlight import highlight


class Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.ok = 0, True

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "mark"

    def handle_endtag(self, tag):
        if tag == "mark":
            self.depth -= 1
            self.ok = self.ok and self.depth >= 0


def test_highlight_escapes_the_text_and_nests_crossing_spans():
    text = "<script>x</script> signed & done\nnext line"
    out = str(
        highlight(text, [(0, 12, "title"), (8, 25, "partner"), (19, 25, "signatory_name"), (8, 25, "amount")])
    )
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out
    assert "<br>" in out
    checker = Balance()
    checker.feed(out)
    assert checker.ok and checker.depth == 0
    assert 'data-field="amount partner"' in out  # one mark for one extent
    plain = re.sub(r"<[^>]+>", "", out.replace("<br>\n", "\n"))
    assert plain == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
