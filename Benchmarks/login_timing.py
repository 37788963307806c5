#!/usr/bin/env python3
"""How long a refused login takes, by why it was refused: an unknown name, a wrong password, a
locked account, the right password on a locked account. Every refusal should cost the same (one
bcrypt), so that timing tells an attacker nothing.

    Benchmarks/login_timing.py [http://127.0.0.1:8080]

Run it against a demo server (`shebao serve --demo`, release build): it locks the `leader`
account with six wrong passwords first, then measures each kind five times per round, three
rounds, and prints the median of the rounds' medians."""
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
DEMO_PASSWORD = "shebao-demo-2026"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def attempt(user, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(BASE + "/login").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"_csrf": token, "username": user, "password": password, "next": "/"}).encode()
    start = time.perf_counter()
    try:
        opener.open(BASE + "/login", data)
    except urllib.error.HTTPError:
        pass
    return (time.perf_counter() - start) * 1000


def main():
    for _ in range(6):
        attempt("leader", "wrong-password")
    kinds = [("unknown name", "nobody-here", "x-wrong-pass"), ("wrong password", "accountant", "wrong-password"),
             ("locked", "leader", "wrong-password"), ("right password, locked", "leader", DEMO_PASSWORD)]
    results = {}
    for _ in range(3):
        for name, user, password in kinds:
            results.setdefault(name, []).append(statistics.median(attempt(user, password) for _ in range(5)))
    for name, medians in results.items():
        print(f"{name:<24} {statistics.median(medians):7.1f} ms  (rounds: {', '.join(f'{m:.1f}' for m in medians)})")


if __name__ == "__main__":
    main()
