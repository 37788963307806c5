#!/usr/bin/env python3
"""A server killed (SIGKILL) right after it answered 200 to an audited read still has that read's
audit row after restart: the group commit releases a request only once its row is durable.

usage: kill_after_read.py SHEBAO_BINARY WORK_DIR [ROUNDS]"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request


def wait_for(url, process, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def reads(path, person):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND entity = 'person' AND entity_id = ?",
                          (str(person),)).fetchone()[0]


def main():
    binary, work = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    path = os.path.join(work, "kill.sqlite")
    database = "sqlite:" + path
    subprocess.run([binary, "demo", "--scale", "0.002", "--database", database], check=True, stdout=subprocess.DEVNULL)
    token = subprocess.run([binary, "token", "create", "district", "--database", database], check=True, capture_output=True,
                           text=True).stdout.strip()
    with sqlite3.connect(path) as db:
        person = db.execute("SELECT id FROM persons ORDER BY id LIMIT 1").fetchone()[0]
    port = 8091
    for round in range(rounds):
        before = reads(path, person)
        server = subprocess.Popen([binary, "serve", "--port", str(port), "--database", database], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", server)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/persons/{person}", headers={"Authorization": "Bearer " + token})
            with urllib.request.urlopen(request, timeout=10) as response:
                status = response.status
                body = json.loads(response.read())
            # Killed the moment the answer is in: no graceful shutdown, no flush.
            server.send_signal(signal.SIGKILL)
            server.wait()
        finally:
            if server.poll() is None:
                server.kill()
        assert status == 200 and body["id"] == person, (status, body)
        after = reads(path, person)
        print(f"round {round + 1}: 200 for person {person}, then SIGKILL; audited reads {before} -> {after}")
        if after != before + 1:
            raise SystemExit("the read answered 200 is not in the audit log after the kill")
    verify = subprocess.run([binary, "audit", "verify", "--database", database], capture_output=True, text=True)
    print(verify.stdout.strip() or verify.stderr.strip())
    if verify.returncode != 0:
        raise SystemExit("the audit log does not verify after the kills")


if __name__ == "__main__":
    main()
