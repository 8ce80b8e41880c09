"""Load test of `arxivc serve` with Locust (Debian's python3-locust): a mix of single and batch
predictions on real arXiv abstracts. Every answer is checked (status, shape, batch ids in order), so a
wrong answer counts as a failure, not only a failed connection.

    locust -f tests/locustfile.py --headless -u 20 -r 10 -t 30s --host http://127.0.0.1:PORT

tests/load/run_locust.sh starts the server, runs this and fails on any failure.

Environment:
    ARXIVC_PAPERS       JSON Lines of arXiv metadata (default: ../shared/data/arxiv-metadata-5k.json
                        next to the repository)
    ARXIVC_API_KEY      sent as `Authorization: Bearer` when set
    ARXIVC_BATCH_SIZE   papers per batch request (default 32)
"""

import json
import os
import random
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

REPOSITORY = Path(__file__).resolve().parent.parent
PAPERS_FILE = Path(
    os.environ.get("ARXIVC_PAPERS", REPOSITORY.parent / "shared" / "data" / "arxiv-metadata-5k.json")
)
BATCH_SIZE = int(os.environ.get("ARXIVC_BATCH_SIZE", "32"))
API_KEY = os.environ.get("ARXIVC_API_KEY", "")


def load_papers(path: Path) -> list[dict]:
    papers = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            title = " ".join((record.get("title") or "").split())
            abstract = " ".join((record.get("abstract") or "").split())
            if title or abstract:
                papers.append({"id": record["id"], "title": title, "abstract": abstract})
    if not papers:
        raise SystemExit(f"no papers in {path}")
    return papers


PAPERS: list[dict] = []


@events.init.add_listener
def _load(environment, **_kwargs):
    if not PAPERS_FILE.is_file():
        raise SystemExit(f"papers file not found: {PAPERS_FILE} (set ARXIVC_PAPERS)")
    PAPERS.extend(load_papers(PAPERS_FILE))


class ServeUser(FastHttpUser):
    # Clients that think a little between requests: the goal is a realistic mix with zero failures,
    # not the server's peak (bench/serve_throughput.sh measures that with wrk).
    wait_time = between(0.0, 0.05)

    def on_start(self):
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if API_KEY:
            self.headers["Authorization"] = f"Bearer {API_KEY}"
        self.rng = random.Random()

    @staticmethod
    def _check_prediction(answer: dict) -> str | None:
        if not isinstance(answer.get("predicted"), list):
            return "no 'predicted' list"
        categories = answer.get("categories")
        if not isinstance(categories, list) or not categories:
            return "no categories"
        for c in categories:
            if not isinstance(c.get("code"), str) or not isinstance(c.get("name"), str):
                return f"category without code/name: {c}"
            p = c.get("probability")
            if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
                return f"probability out of [0, 1]: {c}"
        return None

    @task(4)
    def predict(self):
        paper = self.rng.choice(PAPERS)
        body = {"title": paper["title"], "abstract": paper["abstract"], "top_k": 5}
        with self.client.post(
            "/v1/predict", data=json.dumps(body), headers=self.headers, name="/v1/predict", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}: {response.text[:200]}")
                return
            problem = self._check_prediction(response.json())
            if problem:
                response.failure(problem)

    @task(1)
    def predict_batch(self):
        papers = self.rng.sample(PAPERS, BATCH_SIZE)
        body = {"papers": papers}
        with self.client.post(
            "/v1/predict/batch",
            data=json.dumps(body),
            headers=self.headers,
            name="/v1/predict/batch",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}: {response.text[:200]}")
                return
            answer = response.json()
            results = answer.get("results")
            if not isinstance(results, list) or len(results) != len(papers):
                response.failure(f"expected {len(papers)} answers, got {str(answer)[:200]}")
                return
            for paper, result in zip(papers, results):
                if result.get("id") != paper["id"]:
                    response.failure(f"answers out of order: expected id {paper['id']}, got {result.get('id')}")
                    return
                problem = self._check_prediction(result)
                if problem:
                    response.failure(f"paper {paper['id']}: {problem}")
                    return
