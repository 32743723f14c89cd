"""What-if scenarios kept apart from assessments: the changes a user tried on a submitted
assessment, never an assessment of their own.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "what_if_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("maturity", sa.JSON(), nullable=False),
        sa.Column("barriers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_what_if_scenarios_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name="fk_what_if_scenarios_author_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_what_if_scenarios"),
    )
    op.create_index("ix_what_if_scenarios_assessment_id", "what_if_scenarios", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_what_if_scenarios_assessment_id", table_name="what_if_scenarios")
    op.drop_table("what_if_scenarios")
