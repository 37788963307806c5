"""Every page a clerk can reach shows no stored time as it is stored (issue 14: `2026-11-30T00:45:21.276Z`
is the database's form, not a clerk's), and every form answers bad input with the form again,
never a server error (issue 13 item 4). Run by .ci/run last against the demo server, since a form that takes what it
is given changes the data: as the district clerk and the reviewer, it follows the links from the
home page (no exports, no log-out), and posts each form that has fields to type into three ways —
every field a value of the wrong kind, every field empty, every field far too long — keeping the
hidden fields (the form's token and version). Each answer must be below 500; a refused one
must show a form and a message again. A form that takes all three is listed: it must be one
whose fields are free text by nature (a search, a note), named below.
"""
import json
import os
import re
import unittest
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import requests

BASE_URL = os.environ.get("SHEBAO_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ.get("SHEBAO_DEMO_PASSWORD", "shebao-demo-2026")
PAGES = int(os.environ.get("SHEBAO_FORM_PAGES", "160"))
# Links not to follow: leaving, downloads, the API, the language switch.
SKIP = re.compile(r"^/(logout|api/|static/|lang|metrics|healthz)|/(export|file|files|template|letter|print|sheet)\b|\.(csv|xlsx|xml|txt)$")
# Forms whose every field is free text, so any value is a value: searches and filters (GET forms
# are not posted at all) and these posts.
FREE_TEXT = re.compile(r"^/(login|logout|lang)")
WRONG = {"date": "2026-13-45", "month": "2026-13", "number": "-1e99", "email": "x", "tel": "电话"}


STORED_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A stored code in snake case (`non_agricultural`, `exact_months`): words on a page never look so.
ENUM_CODE = re.compile(r"(?<![\w/.-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.-])")
# Full-width punctuation beside Latin letters: an English label written the Chinese way ("Phone：").
WIDE_PUNCTUATION = re.compile(r"[A-Za-z][：（）]|（[A-Za-z]")
PARAMETER_KEYS = sorted({p["key"] for p in json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources",
                                                                         "ShebaoCore", "Resources", "policy", "defaults.json"), encoding="utf-8"))},
                        key=len, reverse=True)


# Money as a reader sees it: yuan with two decimals, thousands grouped (¥1,234.56, 1,200.00 元).
MONEY = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)")
# A column of money by its header, in the three languages.
MONEY_HEADER = re.compile(r"元|金额|金額|amount|yuan|¥", re.IGNORECASE)
# An amount after ¥ with no fen part: fen shown as yuan, or yuan cut short. (Prose may say 7,000元.)
BARE_AMOUNT = re.compile(r"¥\s*\d[\d,]*(?![\d,]*\.\d)")
# A place's 12-digit code (a province's digit first; 0576… is a telephone number): places are shown by name.
REGION_CODE = re.compile(r"(?<![\d*])[1-9]\d{11}(?![\d*-])")
# A record's link: /persons/1234, /cases/17/steps — the number is a database id.
RECORD_LINK = re.compile(r"^/(?!api/)[a-z-]+(?:/[a-z-]+)*/(\d+)(?:/|$)")


def internal_values(shown, language, tables=(), ids=()):
    """What a page shows that is the database's, not a reader's: a stored time, a parameter's key,
    a snake-case code; in English, full-width punctuation; an amount in fen (a money column's cell
    or an amount by its currency without its two decimals); a database id (a number the page's own
    links carry as a record's id, shown as text; a number a clerk cites — a case's, a voucher's, a
    run's — is shown as `#n`, the reference number, on purpose)."""
    found = [f"the stored time {t}…" for t in STORED_TIME.findall(shown)]
    found += [f"the parameter key {k}" for k in PARAMETER_KEYS if k in shown]
    found += [f"the code {c}" for c in ENUM_CODE.findall(shown)]
    if language == "en":
        found += [f"full-width punctuation in “{m}”" for m in WIDE_PUNCTUATION.findall(shown)]
    found += [f"the region code {c}" for c in REGION_CODE.findall(shown)]
    for match in BARE_AMOUNT.finditer(shown):
        found.append(f"the amount “{match.group(0).strip()}” without its fen")
    for header, rows in tables:
        for column, title in enumerate(header):
            if not MONEY_HEADER.search(title):
                continue
            for row in rows:
                cell = row[column].strip() if column < len(row) else ""
                if re.search(r"\d", cell) and not MONEY.search(cell) and not re.fullmatch(r"[\d.]+\s*%", cell):
                    found.append(f"“{cell}” in the money column “{title.strip()}”")
    for number in sorted(set(ids), key=int):
        # A number followed by a counting word is a count (共 351 件, 351 cases), whatever id it equals.
        if int(number) >= 100 and re.search(rf"(?<![\d#,.*-]){number}(?![\d,.-]|\s*[件条人户个名家笔项次]|\s+[a-z])", shown):
            found.append(f"the database id {number}")
    return found


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.forms, self.form, self.text, self.hidden = [], [], None, [], 0
        # Tables as (header cells, body rows of cells), read for their money columns.
        self.tables, self.table, self.cell = [], None, None

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)
            if self.cell is not None:
                self.cell.append(data)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "textarea"):
            self.hidden += 1
        if tag == "table":
            self.table = ([], [])
        elif tag == "tr" and self.table is not None:
            self.table[1].append([])
        elif tag in ("th", "td") and self.table is not None:
            self.cell = []
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(), "fields": []}
        elif self.form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            self.form["fields"].append((a["name"], kind, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self.hidden -= 1
        if tag in ("th", "td") and self.table is not None and self.cell is not None:
            rows = self.table[1]
            if rows:
                rows[-1].append((tag, " ".join("".join(self.cell).split())))
            self.cell = None
        elif tag == "table" and self.table is not None:
            # A first row of header cells names the columns; every later row is data.
            rows = [r for r in self.table[1] if r]
            if rows and all(kind == "th" for kind, _ in rows[0]):
                self.tables.append(([t for _, t in rows[0]], [[t for _, t in r] for r in rows[1:]]))
            self.table = None
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None


def parse(html):
    parser = FormParser()
    parser.feed(html)
    return parser


def log_in(username):
    session = requests.Session()
    page = session.get(BASE_URL + "/login")
    form = next(f for f in parse(page.text).forms if f["method"] == "post")
    data = {name: value for name, kind, value in form["fields"] if kind == "hidden"}
    data.update(username=username, password=PASSWORD)
    answer = session.post(urljoin(BASE_URL + "/login", form["action"] or "/login"), data=data, allow_redirects=True)
    assert answer.status_code == 200 and "/login" not in urlparse(answer.url).path, f"{username} could not log in"
    return session


def submissions(fields):
    typed = [(n, k) for n, k, _ in fields if k not in ("hidden", "submit", "button", "checkbox", "radio", "file")]
    hidden = {n: v for n, k, v in fields if k == "hidden"}
    for make in (lambda k: "A" if k == "select" else WRONG.get(k, "zz<>"), lambda k: "", lambda k: "9" * 400):
        data = dict(hidden)
        data.update({name: make(kind) for name, kind in typed})
        yield data


class PagesAndForms(unittest.TestCase):
    def walk(self, username, language=None, post=True):
        session = log_in(username)
        if language:
            session.get(BASE_URL + f"/language?to={language}&back=%2F")
        seen, queue, problems, taken, posted = set(), ["/"], [], [], set()
        while queue and len(seen) < PAGES:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            page = session.get(BASE_URL + path)
            self.assertLess(page.status_code, 500, f"GET {path} as {username}")
            if "text/html" not in page.headers.get("content-type", ""):
                continue
            parsed = parse(page.text)
            shown = " ".join(parsed.text)
            for stored in STORED_TIME.findall(shown):
                problems.append(f"GET {path} shows the stored time {stored}…")
            if language:
                ids = [m.group(1) for m in map(RECORD_LINK.match, [urlparse(urljoin(BASE_URL + path, h)).path for h in parsed.links] + [path]) if m]
                problems += [f"GET {path} in {language} shows {what}" for what in internal_values(shown, language, parsed.tables, ids)]
            for href in parsed.links:
                target = urlparse(urljoin(BASE_URL + path, href))
                if target.netloc == urlparse(BASE_URL).netloc and not SKIP.search(target.path) and target.path not in seen:
                    queue.append(target.path + (("?" + target.query) if target.query and "page=" in target.query else ""))
            for form in parsed.forms if post else []:
                action = urlparse(urljoin(BASE_URL + path, form["action"] or path)).path
                typed = [f for f in form["fields"] if f[1] not in ("hidden", "submit", "button", "checkbox", "radio", "file")]
                if form["method"] != "post" or not typed or FREE_TEXT.search(action):
                    continue
                accepted = 0
                posted.add(action)
                for data in submissions(form["fields"]):
                    answer = session.post(BASE_URL + action, data=data, allow_redirects=False)
                    if answer.status_code >= 500:
                        problems.append(f"POST {action} (from {path}) answered {answer.status_code}")
                    elif answer.status_code in (301, 302, 303):
                        accepted += 1
                    elif "<form" not in answer.text:
                        problems.append(f"POST {action} (from {path}) answered {answer.status_code} without the form")
                if accepted == 3:
                    taken.append(action)
        return seen, problems, taken, posted

    def test_pages_show_no_stored_time_and_forms_refuse_bad_input(self):
        for username in ("district", "reviewer"):
            seen, problems, taken, posted = self.walk(username)
            print(f"{username}: {len(seen)} pages walked, {len(posted)} forms posted; forms that took every bad value: {sorted(set(taken))}")
            self.assertGreater(len(seen), 20)
            self.assertGreater(len(posted), 10)
            self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
