"""placeholder"""
from app.ingest.draft import Draft


def extract_entities(draft: Draft) -> Draft:
    return draft
