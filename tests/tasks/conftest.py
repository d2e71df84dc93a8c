from tests.background import database_tasks, smtp  # noqa: F401  (fixtures)
from tests.forum.conftest import forums  # noqa: F401  (a fixture)
