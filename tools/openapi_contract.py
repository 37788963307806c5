"""Holds the OpenAPI document to the API's contract (issue 13), in place, keeping its hand-written
layout; run it after adding an operation: python3 tools/openapi_contract.py

* Problem responses: a body that is malformed or missing is 400; an operation on a path with an
  id can answer 404 (not found, or outside the caller's scope); one with query parameters or a
  body can answer 422 naming the bad value. Only what is missing is added.
* Values the server refuses are declared so: a page is 1 to 1,000,000; a region code is 6, 9 or
  12 digits; a month is YYYY-MM with a real month; a required text of a request body has
  something in it besides spaces (the server trims before it checks); a query text parameter
  has a value (the API refuses `?q=`); a page holds 1 to 200; an account is 12 to 30 digits.
* An integer without a bound is a 64-bit one (format int64).
* A property a body may leave out may also be null (the server reads both as absent), and
  every operation behind a login may answer 403 for a role that may not do it."""
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
            # Whoever may call it at all may still lack the role for it.
            if '"401":' in text:
                wanted.append("403")
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


REGION = r'pattern: "^([0-9]{6}|[0-9]{9}|[0-9]{12})$"'
MONTH = r'pattern: "^([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(0[1-9]|1[0-2])$"'
TEXT = r'pattern: "\\S"'
# A bank account: 12 to 30 digits, spaces between them allowed (the server drops them).
ACCOUNT = r'pattern: "^ *([0-9] *){12,30}$"'


def add_to_schema(line, addition):
    """`addition` inside the innermost `{ type: … }` of a flow line, unless it has a pattern."""
    if "pattern:" in line or "enum:" in line or "format:" in line:
        return line
    return re.sub(r"\{ type: (string|integer)", lambda m: "{ type: " + m.group(1) + ", " + addition, line, count=1)


def tighten(lines):
    out = []
    required = {}
    body = None  # the indent of the `requestBody:` this line is in
    for line in lines:
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if stripped:
            if body is not None and indent <= body:
                body = None
            if stripped == "requestBody:":
                body = indent
        m = re.match(r"required: \[(.*)\]$", stripped)
        if m:
            required[indent] = {name.strip() for name in m.group(1).split(",")}
        # Forget the required lists of objects this line has left.
        for level in [level for level in required if level > indent]:
            del required[level]
        if re.match(r"- \{ name: perPage, in: query", stripped) and "maximum" not in line:
            line = line.replace("type: integer", "type: integer, minimum: 1, maximum: 200", 1).replace("minimum: 1, maximum: 200, minimum: 1", "minimum: 1, maximum: 200")
        elif re.match(r"- \{ name: page, in: query", stripped) and "maximum" not in line:
            line = line.replace("type: integer", "type: integer, minimum: 1, maximum: 1000000", 1).replace("minimum: 1, maximum: 1000000, minimum: 1", "minimum: 1, maximum: 1000000")
        elif re.match(r"- \{ name: (region|parent), in: query", stripped) or re.match(r"scope: \{ type: string", stripped):
            line = line.replace('pattern: "^([0-9]{6}|[0-9]{9}|[0-9]{12})?$"', REGION)
            line = add_to_schema(line, REGION)
        elif re.match(r"(regionCode|townCode): \{ type: string", stripped):
            line = add_to_schema(line, REGION)
        elif re.match(r"- \{ name: period, in: query", stripped):
            line = line.replace('pattern: "^([0-9]{4}-(0[1-9]|1[0-2]))?$"', MONTH)
            line = add_to_schema(line, MONTH)
        elif re.match(r"(period|from): \{ type: string", stripped):
            line = line.replace('pattern: "^[0-9]{4}-[0-9]{2}$"', MONTH)
            line = add_to_schema(line, MONTH)
        elif re.match(r"- \{ name: \w+, in: query", stripped) and "type: string" in line and "minLength" not in line:
            line = add_to_schema(line, "minLength: 1")
        else:
            m = re.match(r"(\w+): \{ type: (string|integer|boolean|number)", stripped)
            if body is not None and m and m.group(1) in required.get(indent - 2, set()) and m.group(2) == "string":
                line = add_to_schema(line, TEXT)
            elif body is not None and m and (indent - 2) in required and m.group(1) not in required[indent - 2] and "nullable" not in line:
                # A property the body may leave out may also be null: the server decodes both as absent.
                line = re.sub(r"\{ type: (\w+)", lambda t: "{ type: " + t.group(1) + ", nullable: true", line, count=1)
                # OpenAPI 3.0: a nullable enum lists null among its values.
                line = re.sub(r"enum: \[([^\]]*)\]", lambda e: "enum: [" + e.group(1) + ", null]", line, count=1)
        # An integer the schema does not bound is a 64-bit one: the server's (a bigger number is 400).
        if "{ type: integer" in line and "format:" not in line and "maximum" not in line and "enum:" not in line:
            line = line.replace("{ type: integer", "{ type: integer, format: int64", 1)
        out.append(line)
    return bank_accounts(out)


def bank_accounts(lines):
    """A body's `account` beside a `paymentPointId` is a bank account (a ledger entry's is not)."""
    out = list(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not re.match(r"account: \{ type: string", stripped):
            continue
        indent = len(line) - len(line.lstrip())
        near = lines[max(0, i - 12):i + 12]
        if any(re.match(r" {%d}paymentPointId:" % indent, other) for other in near):
            line = re.sub(r", minLength: 12, maxLength: 30", "", line).replace(TEXT, ACCOUNT)
            out[i] = add_to_schema(line, ACCOUNT)
    return out


with open(PATH, encoding="utf-8") as f:
    lines = f.readlines()
completed = tighten(complete(lines))
with open(PATH, "w", encoding="utf-8") as f:
    f.writelines(completed)
print(f"{len(completed) - len(lines)} responses added, {sum(a != b for a, b in zip(lines, completed))} lines changed or moved")
