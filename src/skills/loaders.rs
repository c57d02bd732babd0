//! Batched loads for skill relations: one statement per relation per request, however many
//! skills a response holds.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{SkillRelationKind, skills};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service::{self, BuiltinSkills, LinkDirection};
use crate::auth::SkillScope;
use crate::graphql::context::RequestContext;

/// Adds this slice's loaders to a request: skills load within the caller's skill scope (the
/// built-in taxonomy for callers without an organization).
#[must_use]
pub fn register(
    request: async_graphql::Request,
    context: &RequestContext,
    builtin: &Arc<BuiltinSkills>,
) -> async_graphql::Request {
    let (db, scope) = (&context.db, context.skill_scope);
    request
        .data(context.loader(SkillLoader { db: db.clone(), scope, builtin: Arc::clone(builtin) }))
        .data(context.loader(SkillAliasesLoader { db: db.clone(), scope }))
        .data(context.loader(SkillLinksLoader { db: db.clone(), scope }))
        .data(Arc::clone(builtin))
}

/// Skills by id.
pub struct SkillLoader {
    db: DatabaseConnection,
    scope: SkillScope,
    builtin: Arc<BuiltinSkills>,
}

impl Loader<Uuid> for SkillLoader {
    type Value = Arc<skills::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let found = self.builtin.by_ids(&self.db, self.scope, keys).await?;
        Ok(found.into_iter().map(|skill| (skill.id, skill)).collect())
    }
}

/// Aliases by skill id.
pub struct SkillAliasesLoader {
    db: DatabaseConnection,
    scope: SkillScope,
}

impl Loader<Uuid> for SkillAliasesLoader {
    type Value = Vec<String>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(service::aliases_of(&self.db, self.scope, keys).await?)
    }
}

/// A taxonomy link to follow from a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SkillLink {
    pub skill_id: Uuid,
    pub kind: SkillRelationKind,
    pub direction: LinkDirection,
}

/// Linked skill ids by (skill, link kind, direction); one statement per kind and direction.
pub struct SkillLinksLoader {
    db: DatabaseConnection,
    scope: SkillScope,
}

impl Loader<SkillLink> for SkillLinksLoader {
    type Value = Vec<Uuid>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[SkillLink]) -> Result<HashMap<SkillLink, Self::Value>, Self::Error> {
        let mut groups: HashMap<(SkillRelationKind, LinkDirection), Vec<Uuid>> = HashMap::new();
        for key in keys {
            groups.entry((key.kind, key.direction)).or_default().push(key.skill_id);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for ((kind, direction), ids) in groups {
            let linked = service::linked(&self.db, self.scope, &ids, kind, direction).await?;
            for id in ids {
                let targets = linked.get(&id).cloned().unwrap_or_default();
                out.insert(SkillLink { skill_id: id, kind, direction }, targets);
            }
        }
        Ok(out)
    }
}
