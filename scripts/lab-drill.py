#!/usr/bin/env python3
"""Runs one fault drill through the running load lab (the loadlab resource's serve API, as the dashboard's Drill
commands do: the lab holds what a drill acts on and checks, the payment provider's admin key among them) and waits for
it to end. Usage:
    lab-drill.py url < (aspire describe loadlab --format json)   prints the lab's address
    lab-drill.py run <lab address> <drill id>                    starts the drill, waits, prints its result file
Exit status of 'run': 0 passed, 1 failed the rule or the books, 2 could not run."""
import json
import sys
import time
import urllib.error
import urllib.request

POLL_SECONDS = 5
LIMIT_SECONDS = 15 * 60  # the longest drill (a rolling restart) and its settling take a few minutes


def lab_url(describe):
    for resource in describe.get("resources", []):
        if resource.get("displayName") == "loadlab":
            for url in resource.get("urls", []):
                if url.get("name") == "http" and not url.get("displayName"):
                    return url["url"].rstrip("/")
    sys.exit("No loadlab resource with an http endpoint in the running AppHost: is the system started (bash scripts/run.sh)?")


def call(url, body=None):
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def run(lab, drill):
    try:
        call(f"{lab}/drills", {"drill": drill})
        deadline = time.monotonic() + LIMIT_SECONDS
        while True:
            time.sleep(POLL_SECONDS)
            status = call(f"{lab}/drills/current")
            if status["state"] == "idle" and status.get("lastDrill") == drill:
                break
            if time.monotonic() > deadline:
                print(f"{drill}: still running after {LIMIT_SECONDS // 60} minutes; see the loadlab resource's console log.", file=sys.stderr)
                return 2
    except urllib.error.HTTPError as error:
        print(f"{drill}: the lab answered {error.code}: {error.read().decode()}", file=sys.stderr)
        return 2
    except urllib.error.URLError as error:
        print(f"{drill}: the lab at {lab} is not reachable ({error.reason}): is the system running?", file=sys.stderr)
        return 2
    if status.get("lastError"):
        print(f"{drill}: could not run: {status['lastError']}", file=sys.stderr)
        return 2
    print(f"{drill}: {'passed' if status['lastPassed'] else 'FAILED'} — {status['lastResult']}")
    return 0 if status["lastPassed"] else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["url"]:
        print(lab_url(json.load(sys.stdin)))
    elif sys.argv[1:2] == ["run"] and len(sys.argv) == 4:
        sys.exit(run(sys.argv[2].rstrip("/"), sys.argv[3]))
    else:
        sys.exit(__doc__)
