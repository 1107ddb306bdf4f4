"""Signs in to the web console as one officer and times its pages, one request at a time, for bench/console-pages.sh.

    SIGNIN_LINK=https://bench.invalid/console/signin?token=… python3 bench/console-measure.py \
        --port 5098 --cafile tls.crt --database sqlite --officer national --requests 200 --warmup 20 --warmup-seconds 5

Signs in as a browser does: opens the link (from `officers signin-link`; its address is replaced by
https://127.0.0.1:PORT), takes the form's __RequestVerificationToken and the anti-forgery cookie, posts the
form and keeps the jukwaa_console cookie; Cookie headers are kept by hand. https with the run's own
certificate (--cafile), because outside Development the console's cookies are Secure and its anti-forgery
check answers a plain-http request 500. One keep-alive connection, as one browser.

Then for each page: a warm-up not counted (at least WARMUP requests and WARMUP_SECONDS: .NET compiles a
method again, optimised, only after 30 calls and a quiet moment; the overview took about 150 requests to
settle), then REQUESTS timed from sending the request to reading the whole body. Every answer must be 200
and look like the page (its h1; report links on the queue). Prints, per page:

    RESULT database=… officer=… page=… requests=… p50_ms=… p95_ms=… max_ms=… non200=… bad_body=… kb=… warmup=…

(p50/p95 by nearest rank; kb is the last page's size; warmup the requests not counted) and a FAIL line for
each of the first five wrong answers. Exits 1 if signing in fails.
"""
import argparse
import html
import http.client
import math
import os
import re
import ssl
import sys
import time
import urllib.parse

TOKEN_FIELD = re.compile(r'name="__RequestVerificationToken" value="([^"]+)"')
LINK_TOKEN = re.compile(r'name="token" value="([^"]+)"')
REPORT_LINK = re.compile(r'href="/console/reports/\d{9}"')


class Browser:
    def __init__(self, port, cafile):
        context = ssl.create_default_context(cafile=cafile)
        self.connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=120)
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"Accept": "text/html", "User-Agent": "jukwaa-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            if value and "expires=thu, 01 jan 1970" not in header.lower():
                self.cookies[name.strip()] = value.strip()
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response.getheader("Location"), content.decode("utf-8", "replace")


def sign_in(browser, link):
    path = urllib.parse.urlsplit(link)
    path = path.path + "?" + path.query
    status, _, page = browser.request("GET", path)
    if status != 200 or not TOKEN_FIELD.search(page) or not LINK_TOKEN.search(page):
        sys.exit(f"FAIL sign-in: the link page answered {status}")
    form = urllib.parse.urlencode({"__RequestVerificationToken": html.unescape(TOKEN_FIELD.search(page).group(1)),
                                   "token": html.unescape(LINK_TOKEN.search(page).group(1))})
    status, location, _ = browser.request("POST", "/console/signin", form)
    if status != 303 or location != "/console" or "jukwaa_console" not in browser.cookies:
        sys.exit(f"FAIL sign-in: the form answered {status} to {location}, console cookie {'set' if 'jukwaa_console' in browser.cookies else 'not set'}")


def nearest_rank(sorted_values, percent):
    return sorted_values[max(0, math.ceil(percent / 100 * len(sorted_values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description="Time the console's pages for one officer.")
    parser.add_argument("--port", type=int, required=True, help="the host's https port")
    parser.add_argument("--cafile", required=True, help="the host's certificate")
    parser.add_argument("--database", required=True)
    parser.add_argument("--officer", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20, help="at least this many requests per page before timing")
    parser.add_argument("--warmup-seconds", type=float, default=5, help="and at least this long")
    parser.add_argument("--county", default="032")
    parser.add_argument("--county-name", default="Nakuru")
    parser.add_argument("--category", default="gangs")
    args = parser.parse_args()

    browser = Browser(args.port, args.cafile)
    sign_in(browser, os.environ["SIGNIN_LINK"])
    pages = [
        ("overview", "/console", lambda page: "<h1>Overview</h1>" in page and "<svg" in page),
        ("queue", "/console/reports", lambda page: "<h1>Reports</h1>" in page and REPORT_LINK.search(page)),
        ("queue_county_category", f"/console/reports?county={args.county}&category={args.category}",
         lambda page: "<h1>Reports</h1>" in page and REPORT_LINK.search(page)),
        ("county", f"/console/counties/{args.county}",
         lambda page: f"<h1>{args.county_name} <span class=\"muted\">({args.county})</span></h1>" in page and "<svg" in page),
    ]
    failed = 0
    for name, path, looks_right in pages:
        times, non200, bad_body, size = [], 0, 0, 0
        warmed, warming, warm_until, i = 0, True, time.perf_counter() + args.warmup_seconds, 0
        while len(times) < args.requests:
            i += 1
            start = time.perf_counter()
            status, _, page = browser.request("GET", path)
            elapsed = (time.perf_counter() - start) * 1000
            problem = f"status {status}" if status != 200 else None if looks_right(page) else "the page does not look right"
            if warming and (warmed < args.warmup or start < warm_until):
                warmed += 1
            else:
                warming = False
                times.append(elapsed)
                non200 += status != 200
                bad_body += status == 200 and problem is not None
                size = len(page.encode())
            if problem and failed < 5:
                failed += 1
                print(f"FAIL database={args.database} officer={args.officer} page={name} request={i}: {problem}: {page[:200]!r}", flush=True)
        times.sort()
        print(f"RESULT database={args.database} officer={args.officer} page={name} requests={len(times)} "
              f"p50_ms={nearest_rank(times, 50):.1f} p95_ms={nearest_rank(times, 95):.1f} max_ms={times[-1]:.1f} "
              f"non200={non200} bad_body={bad_body} kb={size / 1024:.0f} warmup={warmed}", flush=True)


if __name__ == "__main__":
    main()
