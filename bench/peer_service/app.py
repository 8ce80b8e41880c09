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
    probabilities = PIPELINE.predict_proba(texts)
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
