"""/dumps: the manifest of the newest bulk dump."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DumpFile(BaseModel):
    file: str = Field(description="The file's name in the dump", examples=["documents.ndjson.gz"])
    records: int = Field(description="Lines in the file: one record each", examples=[5])
    bytes: int = Field(description="The gzipped file's size: what Content-Length and Range count", examples=[13297])
    sha256: str = Field(
        description="Of the gzipped file, in hex; the file's ETag is this in quotes",
        examples=["cb3f3fbf651141ced3205ee2c811c6f4d662f1ae6689623bad78df0a3a99348b"],
    )
    url: str = Field(description="Where the API serves the file", examples=["/dumps/latest/documents.ndjson.gz"])


class DumpManifest(BaseModel):
    """What `python -m app dump` writes as manifest.json, with each file's URL added."""

    format_version: int = Field(description="Changes when the layout of the manifest or of a line does", examples=[1])
    created_at: datetime = Field(description="When the dump's snapshot was read, RFC 3339 in UTC")
    data_version: int = Field(
        description="The data version every file was read at: all of them are one snapshot", examples=[3]
    )
    resources: dict[str, DumpFile] = Field(
        description="documents, proposals, institutions, people, metrics, in that order"
    )
