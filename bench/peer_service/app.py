"""The peer service of bench/serve_throughput.sh: FastAPI + uvicorn serving the scikit-learn TF-IDF +
logistic-regression pipeline of train_peer.py with the same request and answer shapes as arxivc's
POST /v1/predict and POST /v1/predict/batch, as a Python team would write it.

    PEER_MODEL=bench/results/peer/model.joblib /usr/bin/python3 -m uvicorn app:app \
        --app-dir bench/peer_service --workers 2 --port 8001
"""

import os

import joblib
import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

MODEL = joblib.load(os.environ.get("PEER_MODEL", "bench/results/peer/model.joblib"))
PIPELINE = MODEL["pipeline"]
LABELS = MODEL["labels"]
INFO = MODEL["label_info"]
VECTORIZER = PIPELINE.steps[0][1]
ONE_VS_REST = PIPELINE.steps[-1][1]


def stacked_weights():
    """The one-vs-rest estimators as one weight matrix and bias vector, so that scoring is one sparse x
    dense product instead of a Python loop over every category's estimator (what predict_proba does):
    probabilities = sigmoid(X @ W + b), the same numbers. Categories without positive examples are
    constant predictors."""
    columns, biases = [], []
    features = len(VECTORIZER.vocabulary_)
    for estimator in ONE_VS_REST.estimators_:
        if hasattr(estimator, "coef_"):
            columns.append(estimator.coef_.ravel())
            biases.append(float(estimator.intercept_[0]))
        else:
            p = float(np.clip(estimator.y_, 1e-9, 1 - 1e-9))
            columns.append(np.zeros(features))
            biases.append(float(np.log(p / (1 - p))))
    return np.ascontiguousarray(np.vstack(columns).T, dtype=np.float32), np.asarray(biases, dtype=np.float32)


WEIGHTS, BIASES = stacked_weights()


def probabilities_of(texts: list[str]) -> np.ndarray:
    # X in float32 too: a float64 X would make scipy copy the whole weight matrix on every call.
    scores = VECTORIZER.transform(texts).astype(np.float32) @ WEIGHTS + BIASES
    return 1.0 / (1.0 + np.exp(-np.asarray(scores, dtype=np.float64)))


# The shortcut must give scikit-learn's own probabilities.
_check = ["Gauge theories on noncommutative spaces", "Convex optimisation for sparse recovery"]
assert np.allclose(probabilities_of(_check), PIPELINE.predict_proba(_check), atol=1e-4), "stacked weights differ"

app = FastAPI(title="arxivc peer: FastAPI + scikit-learn")


class PredictRequest(BaseModel):
    title: str = ""
    abstract: str = ""
    top_k: int = Field(5, ge=1, le=100)
    threshold: float = Field(0.5, ge=0.0, le=1.0)


class Paper(BaseModel):
    id: str
    title: str = ""
    abstract: str = ""


class BatchRequest(BaseModel):
    papers: list[Paper] = Field(..., max_items=256)
    top_k: int = Field(5, ge=1, le=100)
    threshold: float = Field(0.5, ge=0.0, le=1.0)


def answers(texts: list[str], top_k: int, threshold: float) -> list[dict]:
    probabilities = probabilities_of(texts)
    out = []
    for row in np.atleast_2d(probabilities):
        order = np.argsort(-row)
        top = order[:top_k]
        predicted = [LABELS[i] for i in order if row[i] >= threshold] or [LABELS[order[0]]]
        out.append({
            "predicted": predicted,
            "categories": [{"code": LABELS[i], **INFO[LABELS[i]], "probability": float(row[i])} for i in top],
        })
    return out


@app.get("/ready")
def ready():
    return {"status": "ready"}


@app.post("/v1/predict")
def predict(request: PredictRequest):
    if not (request.title.strip() or request.abstract.strip()):
        raise HTTPException(400, "title or abstract required")
    return answers([f"{request.title}\n{request.abstract}"], request.top_k, request.threshold)[0]


@app.post("/v1/predict/batch")
def predict_batch(request: BatchRequest):
    texts = [f"{p.title}\n{p.abstract}" for p in request.papers]
    results = answers(texts, request.top_k, request.threshold)
    return {"results": [{"id": p.id, **r} for p, r in zip(request.papers, results)]}
