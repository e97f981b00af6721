"""Every table riskreg keeps, registered on SQLModel.metadata: the register's (models.py) and
the breach workflow's (incident_models.py, which builds on the register's). Import this module,
not one of those, wherever the whole schema matters: the migrations, the schema check, the
export format, the comparison of a copy."""

from riskreg.storage import (  # noqa: F401  (imported to register them)
    incident_models,
    models,
    signoff_models,
)
