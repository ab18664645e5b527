#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The built book's static checks, and the page a browser runs (tools/test-docs.sh).

    tools/test-docs.py check DIR         links, anchors and pictures of every page
    tools/test-docs.py harness DIR FILE  write FILE: an HTML page that loads
                                         every page of DIR in a frame and
                                         says, once all have loaded, what
                                         each showed (for headless chromium)
    tools/test-docs.py verdict DIR FILE  read FILE, the harness's DOM as
                                         chromium dumped it, and judge it

check: every relative link (<a href>, <link href>, <script src>) names a
file of the build, and its #fragment an id or a name in that file (a
page's own #fragment in itself); every picture (<img src>, <object data>)
is a file of the build, and an SVG one is well-formed XML whose root is an
<svg> with a positive width and height; each lab page (labs/NN-*.html) has
a picture. External links (http:, https:, mailto:) are counted, never
fetched. Prints the counts; exits 1 on any failure, each named on a line.
"""

import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

EXTERNAL = ("http", "https", "mailto", "ftp", "data")


class Page(HTMLParser):
    """The ids, links and pictures of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []         # (tag, url)
        self.pictures = []      # (tag, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        if tag == "a" and a.get("href") is not None:
            self.links.append((tag, a["href"]))
        elif tag == "link" and a.get("href"):
            self.links.append((tag, a["href"]))
        elif tag == "script" and a.get("src"):
            self.links.append((tag, a["src"]))
        elif tag == "img":
            self.pictures.append((tag, a.get("src") or ""))
        elif tag == "object":
            self.pictures.append((tag, a.get("data") or ""))


def pages_of(top):
    out = []
    for d, dirs, files in os.walk(top):
        dirs.sort()
        # Sphinx's own copies of the sources and its caches are not pages.
        dirs[:] = [x for x in dirs if x not in (".doctrees", "_sources")]
        for f in sorted(files):
            if f.endswith(".html"):
                out.append(os.path.relpath(os.path.join(d, f), top))
    return out


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p


def svg_ok(path):
    """None when PATH is a well-formed SVG with a size, else why not."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return "not well-formed XML: %s" % e
    if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        return "root element is <%s>, not <svg>" % root.tag
    for dim in ("width", "height"):
        m = re.match(r"\s*([0-9.]+)", root.get(dim, ""))
        if not m or float(m.group(1)) <= 0:
            return "no positive %s (%r)" % (dim, root.get(dim))
    if len(list(root.iter())) < 3:
        return "draws nothing"
    return None


def check(top):
    pages = pages_of(top)
    parsed = {p: parse(os.path.join(top, p)) for p in pages}
    errors = []
    nlinks = nanchors = nexternal = 0
    pictures = set()
    if not pages:
        errors.append("%s: no HTML page" % top)
    for page, doc in parsed.items():
        here = os.path.dirname(page)
        for tag, url in doc.links:
            u = urlsplit(url)
            if u.scheme in EXTERNAL or url.startswith("//"):
                nexternal += 1
                continue
            if u.scheme:
                errors.append("%s: <%s> %s: unknown scheme" % (page, tag, url))
                continue
            nlinks += 1
            target = page if not u.path else \
                os.path.normpath(os.path.join(here, unquote(u.path)))
            full = os.path.join(top, target)
            if target.startswith("..") or not os.path.isfile(full):
                errors.append("%s: <%s> %s: no file %s in the build"
                              % (page, tag, url, target))
                continue
            if u.fragment:
                nanchors += 1
                if target not in parsed:
                    errors.append("%s: %s: #%s into a file that is not a page"
                                  % (page, url, u.fragment))
                elif unquote(u.fragment) not in parsed[target].ids:
                    errors.append("%s: %s: no id '%s' in %s"
                                  % (page, url, u.fragment, target))
        for tag, url in doc.pictures:
            u = urlsplit(url)
            target = os.path.normpath(os.path.join(here, unquote(u.path)))
            full = os.path.join(top, target)
            if not url or u.scheme or not os.path.isfile(full):
                errors.append("%s: <%s> %r: no picture %s in the build"
                              % (page, tag, url, target))
                continue
            pictures.add(target)
            if target.endswith(".svg"):
                why = svg_ok(full)
                if why:
                    errors.append("%s: <%s> %s: %s" % (page, tag, url, why))
        if re.match(r"labs/[0-9][0-9]-.*\.html$", page) and not doc.pictures:
            errors.append("%s: a lab page without its picture" % page)
    for e in errors:
        print("test-docs: FAIL: %s" % e)
    print("test-docs: static: %d pages, %d pictures (%d distinct files), "
          "%d relative links (%d with an anchor), %d external links not "
          "fetched, %d failures"
          % (len(pages), sum(len(d.pictures) for d in parsed.values()),
             len(pictures), nlinks, nanchors, nexternal, len(errors)))
    return 1 if errors else 0


# The page chromium runs: every built page in a frame. A frame's load
# event comes after its own pictures (<img>, <object>) have loaded, and
# the harness's after every frame's; then the script looks into each
# (chromium runs with --allow-file-access-from-files, so the file: pages
# may be read) and writes one line per page into <pre id="result">.
HARNESS_JS = r"""
function judge(frame, page) {
  var out = [];
  var d = frame.contentDocument;
  if (!d || !d.body || d.location.href === 'about:blank')
    return ['FAIL ' + page + ': did not load'];
  if (!d.title || d.body.textContent.trim().length === 0)
    out.push('FAIL ' + page + ': empty page (title ' + JSON.stringify(d.title) + ')');
  var imgs = d.querySelectorAll('img'), objs = d.querySelectorAll('object');
  var good = 0;
  imgs.forEach(function (im) {
    if (im.complete && im.naturalWidth > 0 && im.naturalHeight > 0) good++;
    else out.push('FAIL ' + page + ': <img> ' + im.getAttribute('src') + ' not rendered');
  });
  objs.forEach(function (o) {
    var sd = null;
    try { sd = o.contentDocument; } catch (e) { sd = null; }
    var root = sd && sd.documentElement;
    var r = o.getBoundingClientRect();
    var box = null;
    try { box = root && root.getBBox ? root.getBBox() : null; } catch (e) { box = null; }
    if (root && root.localName === 'svg' && r.width > 0 && r.height > 0 &&
        box && box.width > 0 && box.height > 0 &&
        sd.querySelectorAll('text').length > 0) good++;
    else out.push('FAIL ' + page + ': <object> ' + o.getAttribute('data') +
                  ' not rendered (' + (root ? root.localName : 'no document') +
                  ', ' + r.width + 'x' + r.height + ')');
  });
  out.push('PAGE ' + page + ' pictures=' + (imgs.length + objs.length) +
           ' rendered=' + good);
  return out;
}
window.addEventListener('load', function () {
  var lines = [];
  PAGES.forEach(function (page, i) {
    lines = lines.concat(judge(document.getElementById('f' + i), page));
  });
  lines.push('DONE ' + PAGES.length);
  document.getElementById('result').textContent = lines.join('\n');
});
"""


def harness(top, out):
    pages = pages_of(top)
    top = os.path.abspath(top)
    frames = "\n".join(
        '<iframe id="f%d" src="%s" width="1000" height="800"></iframe>'
        % (i, html.escape("file://" + os.path.join(top, p)))
        for i, p in enumerate(pages))
    with open(out, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                "<title>test-docs</title>\n<script>\nvar PAGES = %s;\n%s"
                "</script></head>\n<body>\n<pre id=\"result\">NOT RUN</pre>\n"
                "%s\n</body></html>\n"
                % (json.dumps(pages), HARNESS_JS, frames))
    return 0


def verdict(top, dump):
    pages = pages_of(top)
    with open(dump, encoding="utf-8", errors="replace") as f:
        dom = f.read()
    m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    lines = html.unescape(m.group(1)).splitlines() if m else []
    fails = [l for l in lines if l.startswith("FAIL ")]
    seen = {}
    for l in lines:
        m = re.match(r"PAGE (\S+) pictures=(\d+) rendered=(\d+)$", l)
        if m:
            seen[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    if not lines or lines[-1] != "DONE %d" % len(pages):
        fails.append("FAIL the harness did not finish (%s)"
                     % (lines[-1] if lines else "no result in the DOM"))
    for p in pages:
        if p not in seen and not any(f.startswith("FAIL " + p + ":") for f in fails):
            fails.append("FAIL %s: no verdict from the browser" % p)
    for f in fails:
        print("test-docs: browser: %s" % f)
    print("test-docs: browser: %d pages loaded, %d pictures rendered of %d, "
          "%d failures"
          % (len(seen), sum(r for _, r in seen.values()),
             sum(n for n, _ in seen.values()), len(fails)))
    return 1 if fails else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        return check(sys.argv[2])
    if len(sys.argv) == 4 and sys.argv[1] == "harness":
        return harness(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 4 and sys.argv[1] == "verdict":
        return verdict(sys.argv[2], sys.argv[3])
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
