from tests.background import database_tasks, smtp  # noqa: F401  (fixtures)
