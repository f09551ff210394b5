"""A small HTML reader for structural assertions (headings, labels, inline styles) without extra packages."""

from __future__ import annotations

from html.parser import HTMLParser


class PageStructure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1_count = 0
        self.inline_styles = 0
        self.inline_scripts = 0
        self.labels_for: set[str] = set()
        self.controls: list[dict] = []
        self.landmarks: set[str] = set()
        self.ids: list[str] = []
        self._in_script = False
        self._open_label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "style" in attrs:
            self.inline_styles += 1
        if tag == "style":
            self.inline_styles += 1
        if tag == "script" and "src" not in attrs and attrs.get("type") not in ("application/json",):
            self.inline_scripts += 1
        if tag == "h1":
            self.h1_count += 1
        if tag in ("main", "header", "footer", "nav"):
            self.landmarks.add(tag)
        if tag == "label":
            self._open_label_depth += 1
            if attrs.get("for"):
                self.labels_for.add(attrs["for"])
        if tag in ("input", "select", "textarea"):
            if attrs.get("type") in ("hidden", "submit", "button"):
                return
            self.controls.append({**attrs, "_tag": tag, "_wrapped": self._open_label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_label_depth = max(0, self._open_label_depth - 1)

    def unlabelled_controls(self) -> list[dict]:
        return [
            control
            for control in self.controls
            if not control["_wrapped"]
            and control.get("id") not in self.labels_for
            and not control.get("aria-label")
            and not control.get("aria-labelledby")
        ]


def structure(response) -> PageStructure:
    parser = PageStructure()
    parser.feed(response.content.decode())
    return parser
