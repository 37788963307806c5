#!/usr/bin/env python3
"""Slow and idle clients cannot take the server down: hundreds of half-sent requests are open,
/healthz still answers at once, and the server closes the half-sent ones after its idle timeout.

usage: slow_clients.py SHEBAO_BINARY WORK_DIR [CLIENTS]"""
import os
import socket
import subprocess
import sys
import time
import urllib.request


def healthz(port, timeout):
    start = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
        assert response.status == 200, response.status
    return time.monotonic() - start


def main():
    binary, work = sys.argv[1], sys.argv[2]
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    database = "sqlite:" + os.path.join(work, "slow.sqlite")
    subprocess.run([binary, "demo", "--scale", "0.001", "--database", database], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = 8093
    idle = 2
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--idle-timeout", str(idle), "--log-level", "warning", "--database", database],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sockets = []
    try:
        for _ in range(100):
            try:
                healthz(port, 1)
                break
            except Exception:
                time.sleep(0.2)
        # Half-sent requests: a request line and one header, never the blank line that ends them.
        for _ in range(clients):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(s)
        elapsed = healthz(port, 2)
        print(f"{clients} half-sent requests open; /healthz answered in {elapsed * 1000:.0f} ms")
        if elapsed > 1:
            raise SystemExit("/healthz was slow behind the half-sent requests")
        time.sleep(idle + 2)
        closed = 0
        for s in sockets:
            s.settimeout(0.5)
            try:
                data = s.recv(1024)
                closed += 1 if data == b"" or b"408" in data or b"400" in data else 0
            except (ConnectionResetError, BrokenPipeError):
                closed += 1
            except socket.timeout:
                pass
        print(f"after {idle + 2} s the server had closed {closed} of {clients}")
        if closed != clients:
            raise SystemExit("half-sent requests were left open past the idle timeout")
        print(f"/healthz still answers in {healthz(port, 2) * 1000:.0f} ms")
    finally:
        for s in sockets:
            s.close()
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
