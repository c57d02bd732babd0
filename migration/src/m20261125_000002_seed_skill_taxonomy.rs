//! Inserts the built-in skill taxonomy as it was on 2026-11-25 (`taxonomy_2026_11_25.txt`): skills, their spellings as aliases, and
//! broader/implies links. Later additions to the taxonomy come as new migrations.

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

use crate::skill_names::normalize;
use crate::taxonomy::{builtin_skill_id, seed_skills};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Rows per INSERT statement: well under SQLite's bound-parameter limit.
const CHUNK: usize = 200;

async fn insert_chunked(
    manager: &SchemaManager<'_>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<SimpleExpr>>,
) -> Result<(), DbErr> {
    for chunk in rows.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(table)).columns(columns.iter().map(|c| Alias::new(*c)));
        for row in chunk {
            insert.values(row.iter().cloned()).map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}

fn alias_id(skill: Uuid, normalized: &str) -> Uuid {
    Uuid::new_v5(&skill, normalized.as_bytes())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let skills = seed_skills().map_err(DbErr::Custom)?;
        let created_at = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).single().unwrap_or_default();
        let no_organization: Option<Uuid> = None;

        let mut skill_rows = Vec::with_capacity(skills.len());
        let mut alias_rows = Vec::new();
        let mut relation_rows = Vec::new();
        for skill in &skills {
            let id = skill.id();
            skill_rows.push(vec![
                id.into(),
                no_organization.into(),
                skill.slug.into(),
                skill.name.into(),
                skill.category.into(),
                created_at.into(),
            ]);
            // The name and slug are spellings too, so one lookup on aliases resolves any input.
            let mut seen = HashSet::new();
            for spelling in [skill.name, skill.slug].into_iter().chain(skill.aliases.iter().copied()) {
                let normalized = normalize(spelling);
                if seen.insert(normalized.clone()) {
                    alias_rows.push(vec![
                        alias_id(id, &normalized).into(),
                        id.into(),
                        no_organization.into(),
                        spelling.into(),
                        normalized.into(),
                        created_at.into(),
                    ]);
                }
            }
            for (kind, related) in skill
                .broader
                .iter()
                .map(|slug| ("BROADER", *slug))
                .chain(skill.implies.iter().map(|slug| ("IMPLIES", *slug)))
            {
                relation_rows.push(vec![
                    id.into(),
                    builtin_skill_id(related).into(),
                    kind.into(),
                    no_organization.into(),
                ]);
            }
        }
        insert_chunked(
            manager,
            "skills",
            &["id", "organization_id", "slug", "name", "category", "created_at"],
            skill_rows,
        )
        .await?;
        insert_chunked(
            manager,
            "skill_aliases",
            &["id", "skill_id", "organization_id", "alias", "normalized", "created_at"],
            alias_rows,
        )
        .await?;
        insert_chunked(
            manager,
            "skill_relations",
            &["skill_id", "related_skill_id", "kind", "organization_id"],
            relation_rows,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in [
            "DELETE FROM skill_relations WHERE organization_id IS NULL",
            "DELETE FROM skill_aliases WHERE organization_id IS NULL",
            "DELETE FROM skills WHERE organization_id IS NULL",
        ] {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
