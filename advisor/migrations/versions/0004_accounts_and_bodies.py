"""Running the service for real: one-time passwords, last sign-in, bodies linked to the
knowledge base, and consultants' proposed clients awaiting a curator.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("last_sign_in_at", TS, nullable=True))
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("kb_entry_id", sa.String(length=120), nullable=True))
        batch.create_unique_constraint("uq_organisations_kb_entry_id", ["kb_entry_id"])
    op.create_table(
        "client_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("proposer_label", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("organisation_id", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposed_by"],
            ["users.id"],
            name="fk_client_proposals_proposed_by_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name="fk_client_proposals_decided_by_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_client_proposals_organisation_id_organisations",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_client_proposals"),
    )
    op.create_index("ix_client_proposals_status", "client_proposals", ["status"])


def downgrade() -> None:
    op.drop_index("ix_client_proposals_status", table_name="client_proposals")
    op.drop_table("client_proposals")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("uq_organisations_kb_entry_id", type_="unique")
        batch.drop_column("kb_entry_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_sign_in_at")
        batch.drop_column("must_change_password")
