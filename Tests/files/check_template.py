#!/usr/bin/env python3
"""Checks an import template as a clerk's spreadsheet reads it (issue 14 item 4): the sheet to
fill first, with drop-down lists on its coded columns drawn from the codes sheet; the
instructions sheet with an example row; the codes sheet with the scope's villages. Then fills the
first sheet with the example row and has `shebao import --preview` accept it.

usage: check_template.py TEMPLATE.xlsx SHEBAO DATABASE USER
"""
import subprocess
import sys
import tempfile

from openpyxl import load_workbook


def main():
    template, shebao, database, user = sys.argv[1:5]
    book = load_workbook(template)
    if len(book.worksheets) != 3:
        sys.exit(f"{template}: {len(book.worksheets)} sheets, expected the sheet to fill, the instructions and the codes")
    fill, notes, codes = book.worksheets
    header = [c.value for c in fill[1]]
    lists = list(fill.data_validations.dataValidation)
    if not lists or not all(f"'{codes.title}'!" in v.formula1 for v in lists):
        sys.exit(f"{template}: the coded columns have no drop-down lists from the codes sheet")
    villages = [row[0].value for row in codes.iter_rows(min_row=2) if row[0].value]
    if not villages or not all(len(code) == 12 and code.isdigit() for code in villages):
        sys.exit(f"{template}: the codes sheet lists no village codes")
    example = [row[3].value or "" for row in notes.iter_rows(min_row=2)]
    if len(example) != len(header):
        sys.exit(f"{template}: the instructions have {len(example)} rows for {len(header)} columns")
    fill.append(example)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as filled:
        book.save(filled.name)
        answer = subprocess.run([shebao, "import", "persons", filled.name, "--preview", "--user", user, "--database", database],
                                capture_output=True, text=True)
    if answer.returncode != 0:
        sys.exit(f"the example row was refused:\n{answer.stdout}{answer.stderr}")
    print(f"{template}: {len(lists)} drop-down lists, {len(villages)} villages; the example row imports: {answer.stdout.strip()}")


if __name__ == "__main__":
    main()
