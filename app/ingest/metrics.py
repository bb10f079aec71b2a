"""placeholder"""
from app.ingest.draft import Draft


def extract_metrics(draft: Draft) -> Draft:
    return draft
