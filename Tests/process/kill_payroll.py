#!/usr/bin/env python3
"""A pension payroll killed (SIGKILL) at random points — after a random number of chunks, or after
a random number of milliseconds, wherever the process then is — and started again until it
completes, pays exactly what an uninterrupted run pays: one payment per pension being paid, none
twice. Then it is approved and posted, its bank files validate against the pain.001.001.03
schema, the banks' returns (valid pain.002.001.11, one line repeated) settle every payment once, the three sides reconcile and the ledger verifies.

usage: kill_payroll.py SHEBAO_BINARY DEMO_SQLITE WORK_DIR XSD [ROUNDS]"""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time


def run(binary, *args, check=True):
    result = subprocess.run([binary, *args], capture_output=True, text=True, env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result


def payments(path, period):
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT person_id, period, attempt, months, amount_fen, bank_code, bank_account, state FROM pension_payments "
            "WHERE run_id = (SELECT id FROM batch_runs WHERE kind = 'benefits.payroll' AND period = ?) ORDER BY person_id, period, attempt",
            (int(period.replace("-", "")),)).fetchall()


def main():
    binary, demo, work, xsd = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    # The district's month: China's (UTC+8), which the demo paid through last month of.
    period = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))
    whole = os.path.join(work, "payroll-whole.sqlite")
    shutil.copy(demo, whole)
    started = time.time()
    run(binary, "run", "payroll", "--period", period, "--user", "district", "--database", "sqlite:" + whole)
    span = time.time() - started
    expected = payments(whole, period)
    with sqlite3.connect(whole) as db:
        paying = db.execute("SELECT COUNT(*) FROM pensions WHERE state = 'paying' AND suspended_from IS NULL").fetchone()[0]
    assert expected and len(expected) >= paying, f"{len(expected)} payments for {paying} pensions"

    for round in range(rounds):
        path = os.path.join(work, f"payroll-{round}.sqlite")
        shutil.copy(demo, path)
        database = "sqlite:" + path
        kills = 0
        while True:
            if kills % 2 == 0:
                # After a random number of chunks (the process kills itself right after a commit).
                result = run(binary, "run", "payroll", "--period", period, "--user", "district", "--kill-after-chunks",
                             str(random.randint(1, 4)), "--database", database, check=False)
                code = result.returncode
            else:
                # After a random time: anywhere — starting up, inside a chunk's transaction, between chunks.
                process = subprocess.Popen([binary, "run", "payroll", "--period", period, "--user", "district", "--database", database],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
                time.sleep(random.uniform(0, span))
                process.send_signal(signal.SIGKILL)
                code = process.wait()
            if code == 0:
                break
            assert code in (-9, 137), f"the run ended with {code}"
            kills += 1
            assert kills < 40, "the run never completed"
        got = payments(path, period)
        print(f"round {round + 1}: killed {kills} times, then completed: {len(got)} payments (uninterrupted: {len(expected)})")
        assert got == expected, "the resumed payroll differs from the uninterrupted one"
        with sqlite3.connect(path) as db:
            # One payment a person, month and kind (a retiree may also draw, say, a work-injury benefit).
            twice = db.execute("SELECT COUNT(*) FROM (SELECT person_id, period, kind FROM pension_payments WHERE state <> 'failed' "
                               "GROUP BY person_id, period, kind HAVING COUNT(*) > 1)").fetchone()[0]
        assert twice == 0, f"{twice} months paid twice"

    # The last round's run: approved, posted, its files written and validated, answered, reconciled.
    database = "sqlite:" + path
    with sqlite3.connect(path) as db:
        run_id = str(db.execute("SELECT id FROM batch_runs WHERE kind = 'benefits.payroll' AND period = ?",
                                (int(period.replace("-", "")),)).fetchone()[0])
    if run(binary, "payroll", "files", run_id, "--out", os.path.join(work, "early"), "--user", "accountant", "--database", database,
           check=False).returncode == 0:
        raise SystemExit("bank files were written before the run was approved")
    run(binary, "run", "approve", run_id, "--user", "reviewer", "--database", database)
    run(binary, "run", "post", run_id, "--user", "accountant", "--database", database)
    out = os.path.join(work, "payroll-files")
    listing = run(binary, "payroll", "files", run_id, "--out", out, "--per-file", "20", "--user", "accountant", "--database", database).stdout
    files = [line.split("\t")[0] for line in listing.splitlines() if line.strip()]
    assert files, "no bank files"
    for name in files:
        subprocess.run(["xmllint", "--noout", "--schema", xsd, os.path.join(out, name)], check=True, capture_output=True)
    print(f"{len(files)} pain.001.001.03 files validate against {os.path.basename(xsd)}")
    for name in files:
        text = open(os.path.join(out, name), encoding="utf-8").read()
        ids = [piece.split("</EndToEndId>")[0] for piece in text.split("<EndToEndId>")[1:]]
        message = name[:-4]
        report = ['<?xml version="1.0" encoding="UTF-8"?>',
                  '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.11"><CstmrPmtStsRpt>',
                  f'<GrpHdr><MsgId>R{message}</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>',
                  f'<OrgnlGrpInfAndSts><OrgnlMsgId>{message}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>',
                  f'<OrgnlPmtInfAndSts><OrgnlPmtInfId>{message}</OrgnlPmtInfId>']
        report += [f"<TxInfAndSts><OrgnlEndToEndId>{e}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>" for e in ids]
        # The bank repeats the first line: it must post once.
        report += [f"<TxInfAndSts><OrgnlEndToEndId>{ids[0]}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>"]
        report += ["</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"]
        answer = os.path.join(work, message + "-pain002.xml")
        open(answer, "w", encoding="utf-8").write("\n".join(report))
        subprocess.run(["xmllint", "--noout", "--schema", xsd.replace("pain.001.001.03", "pain.002.001.11"), answer], check=True, capture_output=True)
        run(binary, "payroll", "import-return", answer, "--user", "accountant", "--database", database)
    print(run(binary, "payroll", "reconcile", run_id, "--user", "accountant", "--database", database).stdout.strip())
    run(binary, "ledger", "verify", "--database", database)
    with sqlite3.connect(path) as db:
        states = dict(db.execute("SELECT state, COUNT(*) FROM pension_payments WHERE run_id = ? GROUP BY state", (int(run_id),)).fetchall())
        quarantined = db.execute("SELECT COUNT(*) FROM bank_return_lines WHERE outcome = 'quarantined' AND reason = 'duplicate'").fetchone()[0]
    assert states == {"paid": len(expected)}, states
    assert quarantined == len(files), f"{quarantined} repeated lines quarantined for {len(files)} files"
    print(f"every payment paid once; {quarantined} repeated return lines quarantined")


if __name__ == "__main__":
    main()
