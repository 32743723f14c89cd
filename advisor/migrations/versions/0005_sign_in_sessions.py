"""Sessions that survive a reload, where each respondent stopped, handing sections back,
reopening a submitted assessment, and the advice revision its owner last saw.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sign_in_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("handover_hash", sa.String(length=64), nullable=True),
        sa.Column("handover_expires_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("last_page", sa.String(length=80), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("section", sa.String(length=120), nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_sign_in_sessions_user_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_sign_in_sessions_assessment_id_assessments",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_sign_in_sessions_token_hash"),
        sa.UniqueConstraint("handover_hash", name="uq_sign_in_sessions_handover_hash"),
    )
    op.create_index("ix_sign_in_sessions_user_id", "sign_in_sessions", ["user_id"])
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("last_section", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("handed_back_at", TS, nullable=True))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("previous_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("reopened", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("advice_revision", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_assessments_previous_id_assessments",
            "assessments",
            ["previous_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("fk_assessments_previous_id_assessments", type_="foreignkey")
        batch.drop_column("advice_revision")
        batch.drop_column("reopened")
        batch.drop_column("previous_id")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("handed_back_at")
        batch.drop_column("last_section")
    op.drop_index("ix_sign_in_sessions_user_id", table_name="sign_in_sessions")
    op.drop_table("sign_in_sessions")
