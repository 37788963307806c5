"""Completes the problem responses of every operation in the OpenAPI document (issue 13): a body
that is malformed or missing is 400; an operation on a path with an id can answer 404 (not found,
or outside the caller's scope); one with query parameters or a body can answer 422 naming the bad
value. Adds only what is missing, in place, keeping the document's hand-written layout; run it
after adding an operation: python3 tools/openapi_statuses.py"""
import os
import re

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "ShebaoServer", "Resources", "openapi.yaml")
PROBLEM = '        "{code}": {{ $ref: "#/components/responses/Problem" }}\n'
METHODS = ("get", "post", "put", "patch", "delete")


def complete(lines):
    out = []
    i = 0
    in_paths = False
    path = None
    while i < len(lines):
        line = lines[i]
        if line.startswith("paths:"):
            in_paths = True
        elif re.match(r"^\S", line):
            in_paths = line.startswith("paths:")
        if in_paths and re.match(r"^  /", line):
            path = line.strip().rstrip(":")
        m = re.match(r"^    (\w+):\s*$", line)
        if in_paths and m and m.group(1) in METHODS:
            # The operation runs to the next line indented 4 or less.
            j = i + 1
            while j < len(lines) and (lines[j].strip() == "" or len(lines[j]) - len(lines[j].lstrip()) > 4):
                j += 1
            op = lines[i:j]
            text = "".join(op)
            codes = set(re.findall(r'^\s{8}"(\d{3})":', text, re.M))
            wanted = []
            if "requestBody:" in text:
                wanted.append("400")
            if "{" in path:
                wanted.append("404")
            if "requestBody:" in text or "in: query" in text:
                wanted.append("422")
            missing = [c for c in wanted if c not in codes]
            if missing and "      responses:\n" in op:
                op = op + [PROBLEM.format(code=c) for c in missing]
            out.extend(op)
            i = j
            continue
        out.append(line)
        i += 1
    return out


with open(PATH, encoding="utf-8") as f:
    lines = f.readlines()
completed = complete(lines)
with open(PATH, "w", encoding="utf-8") as f:
    f.writelines(completed)
print(f"{len(completed) - len(lines)} responses added")
