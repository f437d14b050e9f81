"""Load on `landwatch serve` (loopback only): CLIENTS clients for SECONDS seconds, each signed in
as the bureau; 90% reads (a town's list, its GeoJSON, entry pages, the API's entry), 10% actions
(close, then reopen, in turn) on entries that client alone touches. Prints requests per second,
read latency percentiles and error counts as JSON; the caller then checks the ledger.

    python3 web_load.py BASE_URL ENTRIES_JSON ZONES_JSON [CLIENTS] [SECONDS]
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
entries = json.load(open(sys.argv[2]))
zones = json.load(open(sys.argv[3]))
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 50
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 60
assert base.hostname in ("127.0.0.1", "localhost", "::1"), "the load goes to loopback only"

lock = threading.Lock()
reads, actions, errors = [], [], {}
done_actions = {"closed": 0, "reopened": 0}


def connection():
    return http.client.HTTPConnection(base.hostname, base.port, timeout=30)


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    return r.status, data


def client(k):
    rng = random.Random(k)
    mine = entries[k::clients]  # entries no other client touches
    closed = set()
    conn = connection()
    # http.client keeps no cookies: the session comes from the login's header.
    conn.request("POST", "/api/login", body=json.dumps({"name": "bureau", "password": "bureau-bench-pass"}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = json.loads(r.read())
    cookie = r.getheader("Set-Cookie").split(";")[0]
    csrf = body["csrf_token"]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if rng.random() < 0.1 and mine:
            entry = rng.choice(mine)
            kind = "reopen" if entry in closed else "close"
            body = json.dumps({"reason": "苫盖", "note": f"bench {k}"}) if kind == "close" else json.dumps({"note": f"bench {k}"})
            t = time.monotonic()
            status, _ = request(conn, "POST", f"/api/entries/{urllib.parse.quote(entry)}/{kind}", body,
                                {"Content-Type": "application/json", "X-CSRF-Token": csrf, "Cookie": cookie})
            with lock:
                actions.append(time.monotonic() - t)
                if status == 200:
                    done_actions["closed" if kind == "close" else "reopened"] += 1
                else:
                    errors[status] = errors.get(status, 0) + 1
            if status == 200:
                closed.symmetric_difference_update({entry})
        else:
            choice = rng.random()
            zone = urllib.parse.quote(rng.choice(zones))
            if choice < 0.35:
                path = f"/api/entries?zone={zone}"
            elif choice < 0.6:
                path = f"/api/entries.geojson?zone={zone}"
            elif choice < 0.85:
                path = f"/entries/{urllib.parse.quote(rng.choice(entries))}"
            else:
                path = f"/api/entries/{urllib.parse.quote(rng.choice(entries))}"
            t = time.monotonic()
            status, _ = request(conn, "GET", path, headers={"Cookie": cookie})
            with lock:
                reads.append(time.monotonic() - t)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
    conn.close()


start = time.monotonic()
threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
reads.sort()
actions.sort()


def pct(xs, p):
    return round(1000 * xs[min(len(xs) - 1, int(p / 100 * len(xs)))], 1) if xs else None


print(json.dumps({
    "clients": clients, "seconds": round(elapsed, 1), "requests": len(reads) + len(actions),
    "requests_per_second": round((len(reads) + len(actions)) / elapsed, 1),
    "reads": len(reads), "read_ms_p50": pct(reads, 50), "read_ms_p90": pct(reads, 90), "read_ms_p99": pct(reads, 99),
    "actions": len(actions), "action_ms_p50": pct(actions, 50), "action_ms_p99": pct(actions, 99),
    "errors": errors, "closed": done_actions["closed"], "reopened": done_actions["reopened"],
}))
