"""What axe cannot see in a page's HTML, read with the standard library's parser: each check
returns the problems it finds, as short strings."""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    @property
    def classes(self):
        return set((self.attrs.get("class") or "").split())

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Tree(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        for node in [self.current, *self.current.ancestors()]:
            if node.tag == tag:
                self.current = node.parent
                return

    def handle_data(self, data):
        self.current.children.append(data)


def focusable(node):
    if node.attrs.get("tabindex", "").lstrip("-").isdigit():
        return int(node.attrs["tabindex"]) >= 0
    if node.tag == "a":
        return "href" in node.attrs
    if node.tag == "input":
        return node.attrs.get("type") != "hidden"
    return node.tag in FOCUSABLE


def problems(html, logged_in=True):
    """Every problem of one page."""
    nodes = list(Tree(html).root.walk())
    found = []
    ids = {node.attrs["id"] for node in nodes if "id" in node.attrs}

    # 3. The skip link is the first tab stop and leads to <main id="main"> (on every page of
    # the site's layout; a printout has neither menu nor links to skip).
    if any("topbar" in node.classes for node in nodes):
        first = next((node for node in nodes if focusable(node)), None)
        if first is None or "skip-link" not in first.classes or first.attrs.get("href") != "#main":
            found.append("the first tab stop is not the skip link")
        if not any(node.tag == "main" and node.attrs.get("id") == "main" for node in nodes):
            found.append('no <main id="main">')

    for node in nodes:
        # 11. References to ids that exist.
        for name in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (node.attrs.get(name) or "").split():
                if ref not in ids:
                    found.append(f"{name} to a missing id {ref!r}")
        # 6. Headers have a name and a scope.
        if node.tag == "th":
            if not node.text().strip():
                found.append("an empty <th>")
            if "scope" not in node.attrs:
                found.append(f"<th> without scope: {node.text().strip()[:20]}")
        # 6. A stacked table keeps each cell's header in the cell (its <thead> is hidden on
        # a phone): a visible label, not CSS text.
        if node.tag == "td" and any(
            "stack" in a.classes for a in node.ancestors() if a.tag == "table"
        ):
            if not (
                {"title"} & node.classes
                or "colspan" in node.attrs
                or any("cell-label" in c.classes for c in node.children if isinstance(c, Node))
            ):
                found.append(f"a stacked cell without its header: {node.text().strip()[:20]}")
        # 7. A scrolling box that takes the focus has a role and a name.
        if "table-scroll" in node.classes and "tabindex" in node.attrs:
            if node.attrs.get("role") != "region" or not node.attrs.get("aria-label"):
                found.append("a .table-scroll tab stop without role=region and aria-label")
        # 1. Lights say which light in words; 9. their reason is not in a hover title.
        if "light" in node.classes:
            if not re.sub(r"[\d\s●/]", "", node.text()):
                found.append(f"a light told by colour alone: {node.text().strip()!r}")
            if "title" in node.attrs:
                found.append("a light's reason only in a hover title")
        # 11. A radio group has its fieldset and legend.
        if node.tag == "input" and node.attrs.get("type") == "radio":
            fieldset = next((a for a in node.ancestors() if a.tag == "fieldset"), None)
            if fieldset is None or not any(
                isinstance(c, Node) and c.tag == "legend" for c in fieldset.children
            ):
                found.append(f"radio {node.attrs.get('name')} without fieldset and legend")
        # 11. No form inside phrasing content (the logout form sat in a <span>).
        if node.tag == "form" and any(
            a.tag in ("span", "p", "a", "label") for a in node.ancestors()
        ):
            found.append("a <form> inside phrasing content")
        # 8. The phone menu toggle is a button that says what it opens.
        if "menu-toggle" in node.classes:
            if node.tag != "button" or not {"aria-expanded", "aria-controls"} <= set(node.attrs):
                found.append("the menu toggle is not a button with aria-expanded/aria-controls")

    # 11. Headings go down one level at a time.
    levels = [int(node.tag[1]) for node in nodes if re.fullmatch(r"h[1-6]", node.tag)]
    for before, after in zip([0, *levels], levels, strict=False):
        if after > before + 1:
            found.append(f"heading h{before} followed by h{after}")
            break
    return found
