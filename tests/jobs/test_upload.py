"""POST /admin/documents: one source document stored under SOURCE_DIR and ingested at once; names
that could escape the folder, bodies that are too large or not text are refused before any write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

import app.jobs.ingest
from app.db.ids import stable_id
from tests.helpers import assert_problem
from tests.jobs.conftest import AUTH, NEW_LETTER, admin_settings, client_for, counts

NEW_LETTER_ID = stable_id("index_no", "11500000MB15895317/2023-00178")


def tree(root: Path) -> set[str]:
    """Every path under `root`, to show an upload wrote nothing it should not have."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_an_uploaded_document_is_stored_under_the_source_folder_and_ingested(
    admin: TestClient, source_dir: Path
) -> None:
    raw = NEW_LETTER.read_bytes()
    resp = admin.post(
        "/admin/documents", params={"name": "2023/p0012.txt"}, content=raw, headers={"Content-Type": "text/plain"}
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body == {
        "document_id": NEW_LETTER_ID,
        "path": "2023/p0012.txt",
        "outcome": "added",
        "encoding": "utf-8",
        "job_id": body["job_id"],
    }
    assert resp.headers["location"] == f"/documents/{NEW_LETTER_ID}"
    assert (source_dir / "2023" / "p0012.txt").read_bytes() == raw
    assert admin.get(f"/documents/{NEW_LETTER_ID}").json()["title"]
    job = admin.get(f"/admin/jobs/{body['job_id']}").json()
    assert (job["trigger"], job["status"], job["paths"]) == ("upload", "succeeded", ["2023/p0012.txt"])
    assert counts(job) == {"added": 1, "updated": 0, "unchanged": 0, "failed": 0, "removed": 0}
    assert not [p for p in tree(source_dir) if ".upload-" in p]  # no temporary file left behind


def test_uploading_the_same_document_again_answers_200_unchanged(admin: TestClient) -> None:
    raw = NEW_LETTER.read_bytes()
    assert admin.post("/admin/documents?name=p0012.txt", content=raw).status_code == 201
    again = admin.post("/admin/documents?name=p0012.txt", content=raw)
    assert again.status_code == 200
    assert (again.json()["outcome"], again.json()["document_id"]) == ("unchanged", NEW_LETTER_ID)


def test_a_multipart_upload_takes_its_name_from_the_file_part(admin: TestClient, source_dir: Path) -> None:
    resp = admin.post("/admin/documents", files={"file": ("p0012.html", NEW_LETTER.read_bytes(), "text/html")})
    assert resp.status_code == 201, resp.text
    assert resp.json()["path"] == "p0012.html"
    assert (source_dir / "p0012.html").read_bytes() == NEW_LETTER.read_bytes()


def test_a_gb18030_upload_is_detected_as_such_and_stored_as_sent(admin: TestClient, source_dir: Path) -> None:
    raw = NEW_LETTER.read_text(encoding="utf-8").encode("gb18030")
    resp = admin.post("/admin/documents?name=gbk.txt", content=raw)
    assert resp.status_code == 201, resp.text
    assert resp.json()["encoding"] == "gb18030"
    assert (source_dir / "gbk.txt").read_bytes() == raw
    assert "重庆" in admin.get(f"/documents/{resp.json()['document_id']}").json()["text"]


@pytest.fixture
def small_limit(engine: Engine, source_dir: Path) -> Iterator[TestClient]:
    with client_for(engine, admin_settings(source_dir, max_upload_bytes=1000), headers=AUTH) as client:
        yield client


def test_an_upload_over_the_size_limit_gets_413_and_writes_nothing(small_limit: TestClient, source_dir: Path) -> None:
    before = tree(source_dir)
    raw = NEW_LETTER.read_bytes()
    assert len(raw) > 1000
    assert_problem(small_limit.post("/admin/documents?name=big.txt", content=raw), 413)
    assert_problem(small_limit.post("/admin/documents", files={"file": ("big.txt", raw, "text/plain")}), 413)
    # Without a Content-Length (chunked), the body is still cut off at the limit.
    chunked = small_limit.post("/admin/documents?name=big.txt", content=iter([raw[:800], raw[800:]]))
    problem = assert_problem(chunked, 413)
    assert problem.detail == "A source document may be at most 1000 bytes (MAX_UPLOAD_BYTES)"
    assert tree(source_dir) == before


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/json"])
def test_an_upload_that_is_not_text_by_its_type_gets_415(
    refusing_admin: TestClient, source_dir: Path, content_type: str
) -> None:
    before = tree(source_dir)
    resp = refusing_admin.post(
        "/admin/documents?name=a.txt", content=b"\x89PNG\r\n", headers={"Content-Type": content_type}
    )
    assert assert_problem(resp, 415).detail == (
        f"{content_type} is not a source document; send text/plain or text/html, raw or as a multipart file"
    )
    multipart = refusing_admin.post("/admin/documents", files={"file": ("a.txt", b"\x89PNG\r\n", content_type)})
    assert_problem(multipart, 415)
    assert tree(source_dir) == before


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "not a text document: contains NUL bytes"),
        (b"   \n", "not a text document: empty"),
    ],
)
def test_an_upload_that_is_not_text_by_its_bytes_gets_422_with_the_reason(
    refusing_admin: TestClient, source_dir: Path, raw: bytes, reason: str
) -> None:
    before = tree(source_dir)
    problem = assert_problem(refusing_admin.post("/admin/documents?name=a.txt", content=raw), 422)
    assert problem.title == "Not a source document"
    assert problem.detail is not None and problem.detail.endswith(reason)
    assert tree(source_dir) == before
    assert refusing_admin.get("/admin/jobs").json()["items"] == []


@pytest.mark.parametrize(
    "name, message",
    [
        ("../evil.txt", "must not contain '..', '.' or empty path segments"),
        ("2023/../../evil.txt", "must not contain '..', '.' or empty path segments"),
        ("/etc/evil.txt", "must be relative to the source folder, not absolute"),
        ("C:/evil.txt", "must be relative to the source folder, not absolute"),
        ("..\\evil.txt", "must separate folders with /, not \\"),
        ("evil\x00.txt", "contains a NUL byte"),
        ("CON.txt", "'CON.txt' is a reserved file name"),
        ("2023/nul.txt", "'nul.txt' is a reserved file name"),
        ("com1.txt", "'com1.txt' is a reserved file name"),
        ("evil.txt.", "'evil.txt.' is a reserved file name"),
        (".hidden.txt", "'.hidden.txt' is a hidden name"),
        ("evil\n.txt", 'must not contain control characters or any of : * ? " < > |'),
        ("evil.exe", "must end in one of .txt, .html, .htm"),
        ("x" * 252 + ".txt", "each part must be at most 255 bytes"),
    ],
)
def test_an_unsafe_name_is_refused_and_nothing_is_written(
    refusing_admin: TestClient, tmp_path: Path, name: str, message: str
) -> None:
    before = tree(tmp_path)
    resp = refusing_admin.post("/admin/documents", params={"name": name}, content=NEW_LETTER.read_bytes())
    problem = assert_problem(resp, 422, param="name")
    assert problem.errors[0].message == message
    assert tree(tmp_path) == before


def test_an_unsafe_name_in_the_multipart_file_part_is_refused_too(refusing_admin: TestClient, tmp_path: Path) -> None:
    before = tree(tmp_path)
    resp = refusing_admin.post(
        "/admin/documents", files={"file": ("../../evil.txt", NEW_LETTER.read_bytes(), "text/plain")}
    )
    assert_problem(resp, 422, param="name")
    assert tree(tmp_path) == before


def test_a_symlink_in_the_source_folder_does_not_lead_outside_it(
    refusing_admin: TestClient, source_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (source_dir / "link").symlink_to(outside, target_is_directory=True)
    resp = refusing_admin.post("/admin/documents?name=link/evil.txt", content=NEW_LETTER.read_bytes())
    assert assert_problem(resp, 422, param="name").errors[0].message == "points outside the source folder"
    assert list(outside.iterdir()) == []


def test_a_raw_upload_needs_a_name(refusing_admin: TestClient) -> None:
    assert_problem(refusing_admin.post("/admin/documents", content=NEW_LETTER.read_bytes()), 422, param="name")
    assert_problem(refusing_admin.post("/admin/documents", files={"other": ("a.txt", b"x")}), 422, param="file")


def test_an_upload_of_a_letter_another_file_holds_gets_409(admin: TestClient, source_dir: Path) -> None:
    assert admin.post("/admin/documents?name=p0012.txt", content=NEW_LETTER.read_bytes()).status_code == 201
    resp = admin.post("/admin/documents?name=mirror/p0012-copy.txt", content=NEW_LETTER.read_bytes())
    problem = assert_problem(resp, 409)
    assert problem.detail == (
        "the same document (索引号 11500000MB15895317/2023-00178) is already stored from p0012.txt"
    )
    assert not (source_dir / "mirror").exists()


def test_an_upload_the_database_refuses_leaves_the_source_folder_as_it_was(
    admin: TestClient, source_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = source_dir / "002_4d19cff5ebdb1101.txt"
    before = seed.read_bytes()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError("INSERT …", {}, Exception("value too long"))

    monkeypatch.setattr(app.jobs.ingest, "load_records", refuse)
    assert_problem(admin.post("/admin/documents?name=new.txt", content=NEW_LETTER.read_bytes()), 422)
    assert not (source_dir / "new.txt").exists()
    changed = before + "\n（更新）\n".encode()
    assert_problem(admin.post("/admin/documents?name=002_4d19cff5ebdb1101.txt", content=changed), 422)
    assert seed.read_bytes() == before
