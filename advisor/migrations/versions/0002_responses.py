"""Several respondents per assessment: each respondent's answers in their own row.

Each assessment's answers move into a response owned by its author; a submitted assessment
keeps its answers as the merged set it was scored from, a draft's column is emptied.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-19
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_responses_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["users.id"],
            name="fk_responses_respondent_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
        sa.UniqueConstraint("assessment_id", "respondent_id", name="uq_responses_assessment_id"),
    )
    op.create_index("ix_responses_assessment_id", "responses", ["assessment_id"])
    op.execute(
        "INSERT INTO responses"
        " (assessment_id, respondent_id, sections, answers, version, created_at, updated_at)"
        " SELECT id, author_id, '[]',"
        # a JSON null (not only SQL NULL) meant "no answers yet"
        " CASE WHEN answers IS NULL OR CAST(answers AS TEXT) = 'null' THEN '{}' ELSE answers END,"
        " 1, created_at, updated_at FROM assessments ORDER BY id"
    )
    op.execute("UPDATE assessments SET answers = NULL WHERE status = 'draft'")


def downgrade() -> None:
    # put the author's answers back on drafts (other respondents' answers cannot be kept)
    op.execute(
        "UPDATE assessments SET answers = (SELECT r.answers FROM responses r"
        " WHERE r.assessment_id = assessments.id AND r.respondent_id = assessments.author_id)"
        " WHERE status = 'draft'"
    )
    op.drop_index("ix_responses_assessment_id", table_name="responses")
    op.drop_table("responses")
