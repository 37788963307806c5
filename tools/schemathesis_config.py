"""Writes the schemathesis configuration the API document implies (issue 13): every check on,
and for the operations whose `x-refused-although-valid` lists problem codes, 422 among the
answers positive_data_acceptance expects — the refusals a schema cannot state (a check digit, a
record that must exist, a date against today or another date, one field against another, a
file's contents), each named in the document. Nothing else is relaxed.

    python3 tools/schemathesis_config.py http://127.0.0.1:8080/api/v1/openapi.yaml > schemathesis.toml
"""
import sys
import urllib.request

import yaml

DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


def main(url):
    document = yaml.safe_load(urllib.request.urlopen(url).read())
    out = []
    for path, item in sorted(document["paths"].items()):
        for method, operation in sorted(item.items()):
            codes = operation.get("x-refused-although-valid") if isinstance(operation, dict) else None
            if not codes:
                continue
            out.append("[[operations]]")
            out.append(f'include-path = "{path}"')
            out.append(f'include-method = "{method.upper()}"')
            statuses = ", ".join(f'"{status}"' for status in DEFAULT + ["422"])
            out.append(f"checks.positive_data_acceptance.expected-statuses = [{statuses}]  # {', '.join(codes)}")
            out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
