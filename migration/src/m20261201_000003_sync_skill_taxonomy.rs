//! Brings the built-in taxonomy of a database up to `taxonomy.txt`: inserts the built-in skills,
//! spellings and links it lacks and sets ESCO URIs. Built-in rows are told apart by
//! `organization_id IS NULL` and built-in ids are UUID v5 of the slug (aliases: v5 of the
//! normalized spelling under the skill's id), so what is already there is recognised by id and
//! nothing is inserted twice. Organizations' own skills, aliases and links are never read or
//! written. Nothing is deleted or renamed: the taxonomy only grows (a test in `taxonomy.rs`
//! holds the file to that). A later growth of the file ships as a new migration running the
//! same sync, so a database that ran this one catches up too.

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use crate::skill_names::normalize;
use crate::taxonomy::{builtin_skill_id, builtin_skills};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Rows per INSERT statement: well under SQLite's bound-parameter limit (6 columns x 150).
const CHUNK: usize = 150;

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

/// A column of a built-in query: read as a UUID or as text. (SQLite's UUID decoder takes any
/// 16-byte value, so a 16-character spelling must never be offered to it.)
#[derive(Clone, Copy)]
enum Read {
    Id(&'static str),
    Text(&'static str),
}

/// Rows of one built-in query, as strings (ids in their hyphenated form).
async fn built_in(manager: &SchemaManager<'_>, sql: &str, columns: &[Read]) -> Result<Vec<Vec<String>>, DbErr> {
    let db = manager.get_connection();
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_owned())).await?;
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .map(|column| match *column {
                    Read::Id(name) => row.try_get::<Uuid>("", name).map(|id| id.to_string()),
                    Read::Text(name) => row.try_get::<String>("", name),
                })
                .collect()
        })
        .collect()
}

/// What a database already has of the built-in taxonomy: skill ids, normalized spellings, and
/// links as (skill, related, kind).
struct Existing {
    skills: HashSet<String>,
    spellings: HashSet<String>,
    links: HashSet<(String, String, String)>,
}

async fn existing(manager: &SchemaManager<'_>) -> Result<Existing, DbErr> {
    let skills: HashSet<String> =
        built_in(manager, "SELECT id FROM skills WHERE organization_id IS NULL", &[Read::Id("id")])
            .await?
            .into_iter()
            .flatten()
            .collect();
    let spellings: HashSet<String> = built_in(
        manager,
        "SELECT normalized FROM skill_aliases WHERE organization_id IS NULL",
        &[Read::Text("normalized")],
    )
    .await?
    .into_iter()
    .flatten()
    .collect();
    let links: HashSet<(String, String, String)> = built_in(
        manager,
        "SELECT skill_id, related_skill_id, kind FROM skill_relations WHERE organization_id IS NULL",
        &[Read::Id("skill_id"), Read::Id("related_skill_id"), Read::Text("kind")],
    )
    .await?
    .into_iter()
    .filter_map(|row| match <[String; 3]>::try_from(row) {
        Ok([skill, related, kind]) => Some((skill, related, kind)),
        Err(_) => None,
    })
    .collect();

    Ok(Existing { skills, spellings, links })
}

/// The same id the seeding migration gave a built-in alias.
fn alias_id(skill: Uuid, normalized: &str) -> Uuid {
    Uuid::new_v5(&skill, normalized.as_bytes())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let skills = builtin_skills().map_err(DbErr::Custom)?;
        let created_at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().unwrap_or_default();
        let no_organization: Option<Uuid> = None;

        let Existing { skills: have_skills, spellings: have_spellings, links: have_links } = existing(manager).await?;
        let mut skill_rows = Vec::new();
        let mut alias_rows = Vec::new();
        let mut relation_rows = Vec::new();
        let mut uris = Vec::new();
        for skill in &skills {
            let id = skill.id();
            if have_skills.contains(&id.to_string()) {
                if let Some(uri) = skill.esco_uri {
                    uris.push((id, uri));
                }
            } else {
                skill_rows.push(vec![
                    id.into(),
                    no_organization.into(),
                    skill.slug.into(),
                    skill.name.into(),
                    skill.category.into(),
                    skill.esco_uri.into(),
                    created_at.into(),
                ]);
            }
            let mut seen = HashSet::new();
            for spelling in [skill.name, skill.slug].into_iter().chain(skill.aliases.iter().copied()) {
                let normalized = normalize(spelling);
                if !have_spellings.contains(&normalized) && seen.insert(normalized.clone()) {
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
                let related = builtin_skill_id(related);
                if !have_links.contains(&(id.to_string(), related.to_string(), kind.to_owned())) {
                    relation_rows.push(vec![id.into(), related.into(), kind.into(), no_organization.into()]);
                }
            }
        }
        insert_chunked(
            manager,
            "skills",
            &["id", "organization_id", "slug", "name", "category", "esco_uri", "created_at"],
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
        .await?;
        for (id, uri) in uris {
            let update = Query::update()
                .table(Alias::new("skills"))
                .value(Alias::new("esco_uri"), uri)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .and_where(Expr::col(Alias::new("organization_id")).is_null())
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }

    /// Clears the built-in ESCO URIs. The added skills stay: organizations' candidates, roles and
    /// links may already name them, and a later `up` recognises them by id.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE skills SET esco_uri = NULL WHERE organization_id IS NULL").await?;
        Ok(())
    }
}
