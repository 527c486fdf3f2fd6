#!/usr/bin/python3
"""bench/longpoll.py: the long poll under load, for bench/run.

    bench/longpoll.py --base http://127.0.0.1:8095/vendor-review/api \\
        --after N --hosts 50 --seconds 10 --pids "MASTER WORKER..."

While the caller's wrk runs GETs and writes (at 8 connections), HOSTS
threads each follow GET /events?after=…&wait=25 from event N, as a host
would, until SECONDS have passed and then until they have caught up with
the last event written.  Prints one line

    LONGPOLL hosts=50 events=E delivered_once=50 missing=0 duplicates=0 \\
        requests=R rss_kb=K

where delivered_once counts the hosts that saw every event after N
exactly once and in order.  Standard library only; loopback only.
"""

import argparse
import base64
import http.client
import json
import threading
import time
import urllib.parse


def rss_kb(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--after", type=int, required=True)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--user", default="auditor1:demo")
    ap.add_argument("--pids", default="")
    a = ap.parse_args()
    auth = "Basic " + base64.b64encode(a.user.encode()).decode()
    seen = [[] for _ in range(a.hosts)]
    requests = [0] * a.hosts
    errors = []
    stop_at = time.monotonic() + a.seconds
    final = [None]          # the last event id, once the load is over
    peak_rss = [0]

    url = urllib.parse.urlsplit(a.base)
    headers = {"Authorization": auth, "Accept": "application/json"}

    def connect():
        return http.client.HTTPConnection(url.hostname, url.port, timeout=60)

    # Each host keeps its connection, as a host following the outbox
    # would; with a new connection per request this script (on the same
    # two CPUs as what it measures) took 2.56 CPU-seconds in a 10 s run
    # against 1.41-1.78 (bench/README.md, "The long poll, paced").  nginx closes
    # a kept connection after keepalive_requests (1000) or an idle
    # keepalive_timeout: the request is then sent again on a new one.
    def get(conn, after, wait):
        path = "%s/events?after=%d&limit=1000&wait=%d" % (url.path, after, wait)
        try:
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            conn.close()
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError("HTTP %d: %s" % (r.status, body[:200]))
        return json.loads(body)

    def host(i):
        after = a.after
        conn = connect()
        while True:
            if final[0] is not None and after >= final[0]:
                conn.close()
                return
            try:
                page = get(conn, after, 25 if final[0] is None else 1)
            except Exception as e:      # reported in the summary
                errors.append("host %d: %s" % (i, e))
                conn.close()
                return
            requests[i] += 1
            for ev in page["items"]:
                seen[i].append(ev["id"])
                after = ev["id"]

    threads = [threading.Thread(target=host, args=(i,), daemon=True) for i in range(a.hosts)]
    for t in threads:
        t.start()
    pids = a.pids.split()
    while time.monotonic() < stop_at:
        time.sleep(0.5)
        peak_rss[0] = max(peak_rss[0], rss_kb(pids))
    # The load is over (the caller's wrk ran for the same time): the
    # newest event is what every host must reach.
    time.sleep(1.0)
    want = []
    conn = connect()
    page = get(conn, a.after, 0)
    while page["items"]:
        want.extend(ev["id"] for ev in page["items"])
        page = get(conn, want[-1], 0)
    conn.close()
    final[0] = want[-1] if want else a.after
    for t in threads:
        t.join(90)
    once = sum(1 for s in seen if s == want)
    missing = sum(len(set(want) - set(s)) for s in seen)
    dups = sum(len(s) - len(set(s)) for s in seen)
    print("LONGPOLL hosts=%d events=%d delivered_once=%d missing=%d duplicates=%d "
          "requests=%d errors=%d rss_kb=%d" % (a.hosts, len(want), once, missing, dups,
                                               sum(requests), len(errors), peak_rss[0]))
    for e in errors[:5]:
        print("  " + e)


if __name__ == "__main__":
    main()
