#!/usr/bin/env python3
"""Checks that an XLSX export of persons opens in openpyxl and in LibreOffice with every resident
ID unchanged (compared with the SQLite database it came from).

usage: check_xlsx_export.py EXPORT.xlsx DATABASE.sqlite [--libreoffice]
"""
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile

from openpyxl import load_workbook


def ids_in_database(path):
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT resident_id FROM persons WHERE merged_into IS NULL")}


def check(ids, expected, source):
    bad = [value for value in ids if value not in expected]
    if bad:
        sys.exit(f"{source}: {len(bad)} IDs differ from the database, e.g. {bad[:3]}")
    if len(ids) != len(set(ids)):
        sys.exit(f"{source}: repeated IDs")
    print(f"{source}: {len(ids)} IDs, all identical to the database")


def main():
    export, database = sys.argv[1], sys.argv[2]
    expected = ids_in_database(database)

    sheet = load_workbook(export, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("公民身份号码")
    ids = [row[column] for row in rows[1:]]
    if not all(isinstance(value, str) for value in ids):
        sys.exit("openpyxl: some IDs are not text cells")
    check(ids, expected, "openpyxl")
    if len(ids) < 10_000:
        sys.exit(f"openpyxl: only {len(ids)} rows; the check wants at least 10,000")

    if "--libreoffice" in sys.argv:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(["libreoffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out, export],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
            converted = os.path.join(out, os.path.splitext(os.path.basename(export))[0] + ".csv")
            with open(converted, encoding="utf-8-sig", newline="") as handle:
                table = list(csv.reader(handle))
            column = table[0].index("公民身份号码")
            check([row[column] for row in table[1:]], expected, "LibreOffice")


if __name__ == "__main__":
    main()
