"""The schema comes from the migrations alone, and they agree with the models, on both databases."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from app.db.migrate import alembic_config, current_revision, head_revision, include_object, migrate
from app.db.models import Base
from app.db.queries.search import query_terms, search_hits, search_params
from app.jobs.ingest import run_ingest
from app.sources import find_sources
from tests.helpers import SEEDS


def test_newest_migration_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrate_reaches_head_and_is_a_no_op_the_second_time(engine: Engine) -> None:
    assert current_revision(engine) == head_revision(engine)
    assert migrate(engine) is False
    assert {"document", "proposal", "institution", "institution_alias", "metric", "ingest_run"} <= set(
        inspect(engine).get_table_names()
    )


def test_document_bodies_move_between_tables_both_ways_and_stay_searchable(engine: Engine) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    config = alembic_config(engine)

    def texts(table: str, key: str) -> dict[int, str]:
        with engine.connect() as connection:
            return dict(connection.execute(text(f"SELECT {key}, text FROM {table}")).all())  # noqa: S608

    def hits(q: str) -> set[int]:
        with engine.connect() as connection:
            dialect = engine.dialect.name
            hits = search_hits(len(query_terms(q)), dialect)
            return set(connection.scalars(select(hits.c.id), search_params(q, dialect)))

    before, found = texts("document_body", "document_id"), hits("科技")
    assert len(before) == 5 and found
    command.downgrade(config, "0004")
    assert texts("document", "id") == before
    command.upgrade(config, "head")
    assert texts("document_body", "document_id") == before
    assert hits("科技") == found


def test_list_fields_are_backfilled_by_the_migration_and_dropped_by_its_downgrade(engine: Engine) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    config = alembic_config(engine)
    listed = (
        "SELECT id, topics, proposal_type, proposal_level, proposal_session, proposal_number, proposal_title"
        " FROM document ORDER BY id"
    )

    def stored() -> tuple[list[Any], list[Any]]:
        with engine.connect() as connection:
            documents = [
                (row[0], json.loads(row[1]) if isinstance(row[1], str) else row[1], *row[2:])
                for row in connection.execute(text(listed))
            ]
            titles = connection.execute(text("SELECT id, document_title FROM metric ORDER BY id")).all()
            return documents, list(titles)

    written = stored()  # as load_record wrote them
    assert any(topics for _, topics, *_ in written[0]) and any(row[2] for row in written[0])
    command.downgrade(config, "0006")
    assert "topics" not in {c["name"] for c in inspect(engine).get_columns("document")}
    assert "data_version" not in inspect(engine).get_table_names()
    command.upgrade(config, "head")
    assert stored() == written
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version FROM data_version")) == 1


def test_updated_at_and_the_change_log_are_backfilled_by_the_migration_and_dropped_by_its_downgrade(
    engine: Engine,
) -> None:
    run_ingest(engine, find_sources([SEEDS]))
    config = alembic_config(engine)
    tables = {"document": "documents", "proposal": "proposals", "institution": "institutions"}
    tables |= {"person": "people", "metric": "metrics"}

    def ids(table: str) -> set[int]:
        with engine.connect() as connection:
            return set(connection.scalars(text(f"SELECT id FROM {table}")))  # noqa: S608

    rows = {table: ids(table) for table in tables}
    command.downgrade(config, "0011")
    assert "change" not in inspect(engine).get_table_names()
    for table in tables:
        assert "updated_at" not in {c["name"] for c in inspect(engine).get_columns(table)}
    assert "changes_pruned" not in {c["name"] for c in inspect(engine).get_columns("data_version")}
    command.upgrade(config, "head")
    with engine.connect() as connection:
        logged = connection.execute(text("SELECT resource, resource_id, op, at FROM change ORDER BY seq")).all()
        for table in tables:
            stamped = connection.scalar(text(f"SELECT count(*) FROM {table} WHERE updated_at IS NOT NULL"))  # noqa: S608
            assert stamped == len(rows[table]), table
    # A client replaying the log from the start finds every row there is, each stamped as its row is.
    for table, resource in tables.items():
        assert {i for r, i, op, _ in logged if r == resource and op == "upsert"} == rows[table]
    assert len({at for *_, at in logged}) == 1
    # And the ingest writes the log on from there: an unchanged run leaves it, as it leaves the rows.
    run_ingest(engine, find_sources([SEEDS]))
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM change")) == len(logged)


def test_the_indexes_that_lead_no_further_are_dropped_and_come_back_on_downgrade(engine: Engine) -> None:
    """Migration 0013 drops three indexes that are each the first column of a longer one; the
    lookups they served find the same rows through the longer index."""
    run_ingest(engine, find_sources([SEEDS]))
    config = alembic_config(engine)
    dropped = {"ix_metric_indicator", "ix_document_institution_document_id", "ix_document_institution_institution_id"}

    def indexes() -> set[str]:
        inspector = inspect(engine)
        return {i["name"] for table in ("metric", "document_institution") for i in inspector.get_indexes(table)}

    def lookups() -> tuple[int, int, int]:
        with engine.connect() as connection:
            return (
                connection.execute(text("SELECT count(*) FROM metric WHERE indicator = '科技型企业'")).scalar_one(),
                connection.execute(
                    text("SELECT count(*) FROM document_institution WHERE document_id = (SELECT min(id) FROM document)")
                ).scalar_one(),
                connection.execute(
                    text(
                        "SELECT count(*) FROM document_institution WHERE institution_id = "
                        "(SELECT id FROM institution WHERE name = '重庆市科学技术局')"
                    )
                ).scalar_one(),
            )

    at_head = lookups()
    assert not dropped & indexes() and all(at_head)
    command.downgrade(config, "0012")
    assert dropped <= indexes()
    assert lookups() == at_head
    command.upgrade(config, "head")
    assert not dropped & indexes()
