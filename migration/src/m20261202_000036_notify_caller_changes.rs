//! Every server keeps the callers it has checked (a recruiter still active with their role, an
//! API client not revoked) for a few seconds instead of reading them on every request. On
//! PostgreSQL, where many servers share one database, a change to a recruiter or an API client
//! made anywhere (another server, a command, SQL by hand) is announced on the
//! `talentgraph_callers` channel when it commits, with the row's id, so each server forgets
//! that caller at once. SQLite has one server per file: it forgets its own changes directly.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r"
CREATE OR REPLACE FUNCTION talentgraph_caller_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('talentgraph_callers', '*');
  ELSE
    PERFORM pg_notify('talentgraph_callers', OLD.id::text);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER recruiters_caller_changed AFTER UPDATE OR DELETE ON recruiters
  FOR EACH ROW EXECUTE FUNCTION talentgraph_caller_changed();
CREATE TRIGGER recruiters_callers_truncated AFTER TRUNCATE ON recruiters
  FOR EACH STATEMENT EXECUTE FUNCTION talentgraph_caller_changed();
CREATE TRIGGER api_clients_caller_changed AFTER UPDATE OR DELETE ON api_clients
  FOR EACH ROW EXECUTE FUNCTION talentgraph_caller_changed();
CREATE TRIGGER api_clients_callers_truncated AFTER TRUNCATE ON api_clients
  FOR EACH STATEMENT EXECUTE FUNCTION talentgraph_caller_changed();
";

const DOWN: &str = r"
DROP TRIGGER IF EXISTS recruiters_caller_changed ON recruiters;
DROP TRIGGER IF EXISTS recruiters_callers_truncated ON recruiters;
DROP TRIGGER IF EXISTS api_clients_caller_changed ON api_clients;
DROP TRIGGER IF EXISTS api_clients_callers_truncated ON api_clients;
DROP FUNCTION IF EXISTS talentgraph_caller_changed();
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared(UP).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared(DOWN).await?;
        }
        Ok(())
    }
}
