from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
