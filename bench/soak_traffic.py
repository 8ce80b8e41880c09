#!/usr/bin/env python3
"""Traffic for the soak benchmark (bench/soak.sh): mixed good and bad requests against a running
`arxivc serve` from several client threads, with model reloads every few seconds, for a given time.

Every request has an expected outcome: a status (or one of a few), or, for a request the server must cut
off (a stalled one), the connection closed without an answer. Good answers are checked (JSON, the number
of categories, the batch's ids in order). Runs a warm-up first, then reads the server's resident memory
(VmRSS of /proc/PID/status) with no request in flight and no reload running, runs the measured phase,
reads it again the same way, and writes the counts, latencies and memory as JSON.

Only Python's standard library: raw sockets, so malformed and partial requests are sent byte for byte.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict

# Outcomes that are failures of the service (the soak fails on any of them).
UNEXPECTED = "unexpected"  # a status other than the expected one(s), or an invalid good answer


class ConnectionFailed(Exception):
    """The connection failed where the server had to answer (reset, closed early, timed out)."""


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def closes(self):
        return self.headers.get("connection", "").lower() == "close"


class Connection:
    """One TCP connection speaking HTTP/1.1 by hand."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.open = True

    def close(self):
        self.open = False
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise ConnectionFailed(f"send: {e}") from e

    def _fill(self):
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout as e:
            raise ConnectionFailed("timed out waiting for the answer") from e
        except OSError as e:
            raise ConnectionFailed(f"recv: {e}") from e
        if not chunk:
            raise ConnectionFailed("closed by the server before a complete answer")
        self.buffer += chunk

    def read_response(self, head=False, close_after=True):
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        header, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = header.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ConnectionFailed(f"malformed status line {lines[0]!r}")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        status = int(parts[1])
        body = b""
        if not head:
            if "content-length" not in headers:
                raise ConnectionFailed("an answer without Content-Length")
            length = int(headers["content-length"])
            while len(self.buffer) < length:
                self._fill()
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        response = Response(status, headers, body)
        if response.closes() and close_after:
            self.close()
        return response

    def wait_closed(self, timeout, graceful=False):
        """True when the server closes the connection (FIN, or with `graceful` False a reset too) within
        `timeout` without sending anything more; False when it stays open (or is reset, with `graceful`);
        raises when the server sends bytes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return not graceful
            if not chunk and not self.buffer:
                return True
            raise ConnectionFailed(f"unexpected bytes: {chunk[:80]!r}")
        return False


def request_bytes(method, path, body=b"", headers=None, close=False):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()  # status code (or "closed") -> count
        self.by_scenario = defaultdict(Counter)
        self.latencies = []  # seconds, of good requests (answered 2xx as expected)
        self.latency_by_scenario = defaultdict(list)
        self.failures = Counter()  # kind -> count
        self.examples = {}  # kind -> first message
        self.requests = 0

    def record(self, scenario, outcome, latency=None, good=False):
        with self.lock:
            self.requests += 1
            self.statuses[str(outcome)] += 1
            self.by_scenario[scenario][str(outcome)] += 1
            if good and latency is not None:
                self.latencies.append(latency)
                self.latency_by_scenario[scenario].append(latency)

    def fail(self, kind, scenario, message):
        with self.lock:
            self.failures[kind] += 1
            self.examples.setdefault(f"{kind}: {scenario}", message[:300])


class Traffic:
    def __init__(self, args, papers):
        self.args = args
        self.papers = papers
        self.auth = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
        self.stats = Stats()

    # --- checks --------------------------------------------------------------------------------------
    def expect(self, scenario, response, expected, started, check=None):
        latency = time.monotonic() - started
        good = 200 <= response.status < 300
        self.stats.record(scenario, response.status, latency, good and response.status in expected)
        if response.status >= 500:
            self.stats.fail("5xx", scenario, f"{response.status} {response.body[:200]!r}")
        elif response.status not in expected:
            self.stats.fail(UNEXPECTED, scenario,
                            f"status {response.status}, expected {sorted(expected)}: {response.body[:200]!r}")
        elif check is not None:
            problem = check(response)
            if problem:
                self.stats.fail(UNEXPECTED, scenario, problem)
        elif response.status >= 400 and not response.headers.get("content-type", "").startswith(
                "application/problem+json"):
            self.stats.fail(UNEXPECTED, scenario, f"a {response.status} that is not a problem+json")

    def connection_failed(self, scenario, error):
        self.stats.record(scenario, "connection_error")
        self.stats.fail("connection_error", scenario, str(error))

    @staticmethod
    def check_predict(top_k):
        def check(response):
            try:
                body = json.loads(response.body)
            except ValueError as e:
                return f"invalid JSON: {e}"
            if not body.get("predicted") or len(body.get("categories", [])) != top_k:
                return f"not a prediction with {top_k} categories: {response.body[:200]!r}"
            return None
        return check

    @staticmethod
    def check_batch(ids, top_k):
        def check(response):
            try:
                body = json.loads(response.body)
            except ValueError as e:
                return f"invalid JSON: {e}"
            results = body.get("results", [])
            if [r.get("id") for r in results] != ids:
                return f"batch ids {[r.get('id') for r in results][:5]}... are not {ids[:5]}..."
            if any(len(r.get("categories", [])) != top_k for r in results):
                return "a batch result with the wrong number of categories"
            return None
        return check

    @staticmethod
    def check_json(response):
        try:
            json.loads(response.body)
        except ValueError as e:
            return f"invalid JSON: {e}"
        return None

    # --- scenarios -----------------------------------------------------------------------------------
    # Each takes (client, rng) and sends one request (or a few), on the client's kept-alive connection
    # or a new one, and records what came back.

    def paper(self, rng):
        return rng.choice(self.papers)

    def predict_single(self, client, rng):
        paper = self.paper(rng)
        top_k = rng.randint(1, 5)
        body = json.dumps({"title": paper["title"], "abstract": paper["abstract"], "top_k": top_k}).encode()
        client.exchange("predict", "POST", "/v1/predict", body, {"Content-Type": "application/json", **self.auth},
                        {200}, self.check_predict(top_k))

    def predict_batch(self, client, rng):
        n = rng.randint(2, 32)
        top_k = rng.randint(1, 3)
        papers = [self.paper(rng) for _ in range(n)]
        ids = [p["id"] for p in papers]
        body = json.dumps({"papers": [{"id": p["id"], "title": p["title"], "abstract": p["abstract"]}
                                      for p in papers], "top_k": top_k}).encode()
        client.exchange("predict_batch", "POST", "/v1/predict/batch", body,
                        {"Content-Type": "application/json", **self.auth}, {200}, self.check_batch(ids, top_k))

    def predict_chunked(self, client, rng):
        paper = self.paper(rng)
        body = json.dumps({"title": paper["title"], "abstract": paper["abstract"], "top_k": 2}).encode()
        cut = rng.randint(1, len(body) - 1)
        chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:cut], body[cut:]))
        chunked += b"0\r\n\r\n"
        raw = (f"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"{self.auth_line()}Transfer-Encoding: chunked\r\n\r\n").encode() + chunked
        client.exchange_raw("predict_chunked", raw, {200}, self.check_predict(2))

    def auth_line(self):
        return "".join(f"{k}: {v}\r\n" for k, v in self.auth.items())

    def get_routes(self, client, rng):
        path, check = rng.choice([("/health", self.check_json), ("/ready", self.check_json),
                                  ("/v1/model", self.check_json), ("/v1/categories", self.check_json),
                                  ("/metrics", None), ("/", None), ("/openapi.json", self.check_json),
                                  ("/health?probe=1", self.check_json)])
        client.exchange("get " + path, "GET", path, b"", dict(self.auth), {200}, check)

    def head_routes(self, client, rng):
        path = rng.choice(["/health", "/ready", "/v1/model", "/metrics", "/"])

        def check(response):
            if not response.headers.get("content-length", "").isdigit():
                return "a HEAD answer without Content-Length"
            return None
        client.exchange("head " + path, "HEAD", path, b"", dict(self.auth), {200}, check, head=True)

    def malformed_json(self, client, rng):
        body = rng.choice([b'{"title": "unterminated', b"not json at all", b"[1, 2, 3]", b'{"title": }',
                           b'{"title": "x"} trailing', b"\xff\xfe{}"])
        client.exchange("malformed_json", "POST", "/v1/predict", body,
                        {"Content-Type": "application/json", **self.auth}, {400})

    def wrong_types(self, client, rng):
        body = rng.choice([{"title": 42}, {"title": "x", "top_k": "five"}, {"title": "x", "top_k": 0},
                           {"title": "x", "threshold": 7}, {"title": "", "abstract": ""},
                           {"papers": "none"}, {"title": "x", "top_k": 1e999}])
        path = "/v1/predict/batch" if "papers" in body else "/v1/predict"
        client.exchange("wrong_types", "POST", path, json.dumps(body).encode(),
                        {"Content-Type": "application/json", **self.auth}, {400})

    def empty_batch(self, client, rng):
        client.exchange("empty_batch", "POST", "/v1/predict/batch", b'{"papers": []}',
                        {"Content-Type": "application/json", **self.auth}, {400})

    def not_json(self, client, rng):
        client.exchange("wrong_content_type", "POST", "/v1/predict", b'{"title": "x"}',
                        {"Content-Type": "text/plain", **self.auth}, {415})

    def not_found(self, client, rng):
        path = rng.choice(["/v2/predict", "/static/../../etc/passwd", "/nope", "/static/missing.js"])
        client.exchange("not_found", "GET", path, b"", dict(self.auth), {404})

    def wrong_method(self, client, rng):
        client.exchange("wrong_method", "DELETE", "/v1/predict", b"", dict(self.auth), {405})

    def unauthenticated(self, client, rng):
        if not self.auth:
            return self.predict_single(client, rng)
        headers = {"Content-Type": "application/json"}
        if rng.random() < 0.5:
            headers["Authorization"] = "Bearer not-the-key"
        client.exchange("unauthenticated", "POST", "/v1/predict", b'{"title": "x"}', headers, {401})

    # Requests the server answers without reading them whole: it answers and closes the connection, so
    # each goes on a new connection.
    def oversized(self, client, rng):
        size = self.args.max_body_bytes + rng.randint(1, 256 * 1024)
        body = b'{"title": "' + b"a" * (size - 14) + b'"}'
        client.exchange("oversized_413", "POST", "/v1/predict", body,
                        {"Content-Type": "application/json", **self.auth}, {413}, new=True)

    def bad_transfer_encoding(self, client, rng):
        coding = rng.choice(["gzip", "identity", "gzip, chunked", "chunked, gzip"])
        body = b'{"title": "smuggled"}'
        raw = (f"POST /v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"{self.auth_line()}Transfer-Encoding: {coding}\r\nContent-Length: {len(body)}\r\n\r\n"
               ).encode() + body
        if rng.random() < 0.5:  # without Content-Length too
            raw = raw.replace(f"Content-Length: {len(body)}\r\n".encode(), b"")
        client.exchange_raw("bad_transfer_encoding", raw, {400}, new=True)

    def malformed_http(self, client, rng):
        raw = rng.choice([b"GET /health HTTP/1.1\r\n\r\n",  # no Host
                          b"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                          b"BLAH\r\n\r\n",
                          b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"])
        client.exchange_raw("malformed_http", raw, {400}, new=True)

    def huge_header(self, client, rng):
        raw = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * (20 * 1024) + b"\r\n\r\n"
        client.exchange_raw("header_431", raw, {431}, new=True)

    def pipelined(self, client, rng):
        raw = request_bytes("GET", "/health") + request_bytes("GET", "/ready")
        client.exchange_raw("pipelined", raw, {200}, count=2)


class Client:
    """One client thread's connection (kept alive between requests unless a scenario needs a new one)."""

    def __init__(self, traffic, rng):
        self.traffic = traffic
        self.args = traffic.args
        self.rng = rng
        self.conn = None

    def connection(self, new):
        if new and self.conn:
            self.conn.close()
            self.conn = None
        if self.conn is None or not self.conn.open:
            self.conn = Connection(self.args.host, self.args.port, self.args.timeout)
        return self.conn

    def exchange(self, scenario, method, path, body, headers, expected, check=None, head=False, new=False):
        close = new or self.rng.random() < self.args.new_connection_share
        self.exchange_raw(scenario, request_bytes(method, path, body, headers, close), expected, check,
                          head=head, new=new)

    def exchange_raw(self, scenario, raw, expected, check=None, head=False, new=False, count=1):
        started = time.monotonic()
        try:
            conn = self.connection(new)
        except OSError as e:
            self.traffic.connection_failed(scenario, f"connect: {e}")
            return
        try:
            conn.send(raw)
            # A request answered without being read whole (new=True: too large, malformed) is answered
            # with Connection: close, and the connection is then closed gracefully (FIN, not a reset).
            refused = new and min(expected) >= 400
            for _ in range(count):
                response = conn.read_response(head=head, close_after=not refused)
                self.traffic.expect(scenario, response, expected, started, check)
            if refused:
                if not response.closes():
                    self.traffic.stats.fail(UNEXPECTED, scenario, "no Connection: close on a refused request")
                elif not conn.wait_closed(self.args.timeout, graceful=True):
                    self.traffic.stats.fail(UNEXPECTED, scenario, "not closed gracefully after the answer")
                conn.close()
        except ConnectionFailed as e:
            conn.close()
            self.traffic.connection_failed(scenario, e)


def slow_client(traffic, deadline, rng):
    """Slow and partial requests, one at a time: a request trickled in pieces within the read timeout
    (answered), and a request that stalls half-way (the server closes the connection after its read
    timeout, without answering)."""
    args = traffic.args
    stats = traffic.stats
    while time.monotonic() < deadline:
        paper = rng.choice(traffic.papers)
        body = json.dumps({"title": paper["title"], "top_k": 1}).encode()
        raw = request_bytes("POST", "/v1/predict", body, {"Content-Type": "application/json", **traffic.auth})
        scenario = "slow_complete" if rng.random() < 0.7 else "stalled_partial"
        started = time.monotonic()
        try:
            conn = Connection(args.host, args.port, args.timeout)
        except OSError as e:
            traffic.connection_failed(scenario, f"connect: {e}")
            continue
        if scenario == "slow_complete":
            try:
                pieces = 5
                step = max(1, len(raw) // pieces)
                for i in range(0, len(raw), step):
                    conn.send(raw[i:i + step])
                    time.sleep(args.read_timeout_s / (4 * pieces))
                response = conn.read_response()
                traffic.expect(scenario, response, {200}, started, Traffic.check_predict(1))
            except ConnectionFailed as e:
                traffic.connection_failed(scenario, e)
            conn.close()
        else:
            try:
                conn.send(raw[: rng.randint(1, len(raw) - 1)])
                # Cut off within the read timeout from its first byte (plus slack for a busy machine).
                if conn.wait_closed(args.read_timeout_s + 30):
                    stats.record(scenario, "closed")
                else:
                    stats.record(scenario, "open")
                    stats.fail(UNEXPECTED, scenario, "a stalled request was not cut off after the read timeout")
            except ConnectionFailed as e:
                stats.record(scenario, "answered")
                stats.fail(UNEXPECTED, scenario, str(e))
            conn.close()


SCENARIOS = [  # (weight, method name)
    (40, "predict_single"), (10, "predict_batch"), (3, "predict_chunked"), (12, "get_routes"),
    (5, "head_routes"), (4, "malformed_json"), (4, "wrong_types"), (1, "empty_batch"), (2, "not_json"),
    (2, "not_found"), (1, "wrong_method"), (4, "unauthenticated"), (1, "oversized"),
    (2, "bad_transfer_encoding"), (2, "malformed_http"), (1, "huge_header"), (2, "pipelined"),
]


def client_loop(traffic, deadline, seed):
    rng = random.Random(seed)
    client = Client(traffic, rng)
    weights = [w for w, _ in SCENARIOS]
    names = [n for _, n in SCENARIOS]
    while time.monotonic() < deadline:
        name = rng.choices(names, weights)[0]
        try:
            getattr(traffic, name)(client, rng)
        except Exception as e:  # a bug in this script must not pass as a quiet thread
            traffic.stats.fail("client_error", name, repr(e))
            if client.conn:
                client.conn.close()
            time.sleep(0.1)
    if client.conn:
        client.conn.close()


def metric_value(text, name):
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def fetch(args, path, auth, method="GET"):
    conn = Connection(args.host, args.port, args.timeout)
    try:
        conn.send(request_bytes(method, path, b"", auth, close=True))
        return conn.read_response()
    finally:
        conn.close()


def reloads_done(args, auth):
    text = fetch(args, "/metrics", auth).body.decode()
    return (metric_value(text, 'arxivc_model_reloads_total{result="success"}'),
            metric_value(text, 'arxivc_model_reloads_total{result="failure"}'))


def reloader(traffic, deadline, stop, counts):
    """Reloads the model every --reload-every seconds, alternately by SIGHUP and by POST /admin/reload
    (with an API key; SIGHUP only without one)."""
    args = traffic.args
    use_endpoint = False
    while not stop.wait(args.reload_every) and time.monotonic() < deadline:
        if use_endpoint and traffic.auth:
            started = time.monotonic()
            try:
                conn = Connection(args.host, args.port, args.timeout)
                conn.send(request_bytes("POST", "/admin/reload", b"", traffic.auth, close=True))
                response = conn.read_response()
                conn.close()

                def check(r):
                    body = json.loads(r.body)
                    return None if body.get("status") == "reloaded" else f"reload: {r.body[:200]!r}"
                traffic.expect("admin_reload", response, {200}, started, check)
                counts["endpoint"] += 1
            except (ConnectionFailed, OSError) as e:
                traffic.connection_failed("admin_reload", e)
        else:
            os.kill(args.pid, signal.SIGHUP)
            counts["sighup"] += 1
        use_endpoint = not use_endpoint


def rss_kb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def quiet_rss(args, auth):
    """VmRSS with no request in flight and no reload running. A reload maps and builds a second model
    until it is swapped in, so both readings are taken the same way: after one more reload, finished.
    With an API key, POST /admin/reload answers when its load is done, and reloads are loaded one after
    another, so every earlier one is done too; without one, a SIGHUP and the success count rising."""
    if auth:
        response = fetch(args, "/admin/reload", auth, method="POST")
        if response.status != 200:
            raise RuntimeError(f"POST /admin/reload: {response.status} {response.body[:200]!r}")
    else:
        before = reloads_done(args, auth)[0]
        os.kill(args.pid, signal.SIGHUP)
        deadline = time.monotonic() + 60
        while reloads_done(args, auth)[0] <= before:
            if time.monotonic() > deadline:
                raise RuntimeError("a SIGHUP reload did not finish within 60 s")
            time.sleep(0.1)
    time.sleep(1)
    return rss_kb(args.pid)


def run_phase(traffic, seconds, seed, reload_counts):
    deadline = time.monotonic() + seconds
    stop = threading.Event()
    threads = [threading.Thread(target=client_loop, args=(traffic, deadline, seed * 1000 + i), daemon=True)
               for i in range(traffic.args.clients)]
    threads.append(threading.Thread(target=slow_client, args=(traffic, deadline, random.Random(seed)),
                                    daemon=True))
    reload_thread = threading.Thread(target=reloader, args=(traffic, deadline, stop, reload_counts), daemon=True)
    for t in threads:
        t.start()
    reload_thread.start()
    for t in threads:
        t.join()
    stop.set()
    reload_thread.join()


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id (SIGHUP, VmRSS)")
    parser.add_argument("--papers", required=True, help="JSON Lines of arXiv records (the 5k sample)")
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--reload-every", type=float, default=3)
    parser.add_argument("--api-key", default="")
    parser.add_argument("--max-body-bytes", type=int, default=1048576)
    parser.add_argument("--read-timeout-s", type=float, default=10)
    parser.add_argument("--new-connection-share", type=float, default=0.2,
                        help="share of requests sent on a new connection (with Connection: close)")
    parser.add_argument("--timeout", type=float, default=30, help="client socket timeout, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True, help="where the JSON result goes")
    args = parser.parse_args()

    papers = []
    with open(args.papers, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                papers.append({"id": record["id"], "title": record["title"], "abstract": record["abstract"]})
    auth = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
    reload_counts = Counter()

    warm = Traffic(args, papers)
    run_phase(warm, args.warmup, args.seed, reload_counts)
    rss_start = quiet_rss(args, auth)

    traffic = Traffic(args, papers)
    started = time.monotonic()
    samples = []
    sampler_stop = threading.Event()

    def sample_rss():
        while not sampler_stop.wait(10):
            samples.append((round(time.monotonic() - started), rss_kb(args.pid)))
    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    run_phase(traffic, args.duration, args.seed + 1, reload_counts)
    elapsed = time.monotonic() - started
    sampler_stop.set()
    sampler.join()
    rss_end = quiet_rss(args, auth)
    success, failure = reloads_done(args, auth)
    if failure:
        traffic.stats.fail("reload_failed", "reload", f"{failure:.0f} reloads refused (see the server log)")

    stats = traffic.stats
    predict = stats.latency_by_scenario["predict"]
    result = {
        "duration_s": round(elapsed, 1),
        "warmup_s": args.warmup,
        "clients": args.clients,
        "requests": stats.requests,
        "warmup_requests": warm.stats.requests,
        "requests_per_s": round(stats.requests / elapsed, 1),
        "statuses": dict(sorted(stats.statuses.items())),
        "by_scenario": {k: dict(v) for k, v in sorted(stats.by_scenario.items())},
        "good_requests": len(stats.latencies),
        "good_p50_ms": round(percentile(stats.latencies, 50) * 1000, 2),
        "good_p99_ms": round(percentile(stats.latencies, 99) * 1000, 2),
        "predict_p50_ms": round(percentile(predict, 50) * 1000, 2),
        "predict_p99_ms": round(percentile(predict, 99) * 1000, 2),
        "good_mean_ms": round(statistics.fmean(stats.latencies) * 1000, 2) if stats.latencies else None,
        "reloads_sent": {"sighup": reload_counts["sighup"], "admin_reload": reload_counts["endpoint"]},
        "reloads_done": {"success": int(success), "failure": int(failure)},
        "rss_start_kb": rss_start,
        "rss_end_kb": rss_end,
        "rss_growth_pct": round(100.0 * (rss_end - rss_start) / rss_start, 2),
        "rss_samples_kb": samples,
        "failures": dict(stats.failures) | {f"warmup {k}": v for k, v in warm.stats.failures.items()},
        "failure_examples": stats.examples | {f"warmup {k}": v for k, v in warm.stats.examples.items()},
    }
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
