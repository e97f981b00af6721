"""The one constraint naming convention, set on SQLModel's metadata before any table is defined.

SQLite keeps unnamed constraints unnamed and PostgreSQL invents its own names
(`hazard_owner_id_fkey`), so a later migration that drops or changes a constraint could name it on
neither. With this convention both backends carry the same names (`fk_hazard_owner_id_owner`);
migration 0007_naming gave the older SQLite files and PostgreSQL installs these names. Alembic
applies it to every constraint its operations create (it reads the target metadata's convention).
Imported by storage/models.py first thing; never change a pattern without a migration.
"""

from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata.naming_convention = NAMING_CONVENTION
