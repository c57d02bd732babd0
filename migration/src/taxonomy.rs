//! The built-in skill taxonomy (`taxonomy.txt`), parsed. The seeding migration inserts it; ids
//! are UUID v5 of the slug, so every deployment gives a built-in skill the same id.

use sea_orm_migration::sea_orm::prelude::Uuid;

/// The taxonomy source: `slug | Name | CATEGORY | aliases | broader | implies`.
pub const SOURCE: &str = include_str!("taxonomy.txt");

/// Namespace of the v5 ids of built-in skills.
const SKILL_NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_2a3c_8b4e_4f10_9c2d_7e5a_b3c1_0a47);

/// One line of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltinSkill {
    pub slug: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub aliases: Vec<&'static str>,
    pub broader: Vec<&'static str>,
    pub implies: Vec<&'static str>,
}

impl BuiltinSkill {
    /// The stable id of this built-in skill.
    #[must_use]
    pub fn id(&self) -> Uuid {
        builtin_skill_id(self.slug)
    }
}

/// The stable id of the built-in skill with this slug.
#[must_use]
pub fn builtin_skill_id(slug: &str) -> Uuid {
    Uuid::new_v5(&SKILL_NAMESPACE, slug.as_bytes())
}

fn list(field: &'static str) -> Vec<&'static str> {
    field.split(';').map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Parses [`SOURCE`]. Malformed lines are a build-time mistake caught by this crate's tests.
///
/// # Errors
/// A line with the wrong number of fields, named by its line number.
pub fn builtin_skills() -> Result<Vec<BuiltinSkill>, String> {
    let mut skills = Vec::new();
    for (number, line) in SOURCE.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = line.split('|').map(str::trim).collect();
        let [slug, name, category, aliases, broader, implies] = fields[..] else {
            return Err(format!("taxonomy.txt line {}: expected 6 fields", number + 1));
        };
        skills.push(BuiltinSkill {
            slug,
            name,
            category,
            aliases: list(aliases),
            broader: list(broader),
            implies: list(implies),
        });
    }
    Ok(skills)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::builtin_skills;
    use crate::skill_names::normalize;

    const CATEGORIES: [&str; 8] =
        ["LANGUAGE", "FRAMEWORK", "PLATFORM", "DATABASE", "PRACTICE", "SOFT_SKILL", "DOMAIN", "TOOL"];

    #[test]
    fn taxonomy_is_well_formed() {
        let skills = builtin_skills().expect("taxonomy parses");
        assert!(skills.len() >= 150, "only {} skills", skills.len());
        let slugs: HashSet<_> = skills.iter().map(|s| s.slug).collect();
        assert_eq!(slugs.len(), skills.len(), "duplicate slug");
        let mut owner: HashMap<String, &str> = HashMap::new();
        for skill in &skills {
            assert!(CATEGORIES.contains(&skill.category), "{}: bad category", skill.slug);
            assert!(
                skill.slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: bad slug",
                skill.slug
            );
            for spelling in
                std::iter::once(skill.name).chain(std::iter::once(skill.slug)).chain(skill.aliases.iter().copied())
            {
                let key = normalize(spelling);
                let previous = owner.insert(key.clone(), skill.slug);
                assert!(
                    previous.is_none() || previous == Some(skill.slug),
                    "{key:?} names both {previous:?} and {}",
                    skill.slug
                );
            }
            for related in skill.broader.iter().chain(&skill.implies) {
                assert!(slugs.contains(related), "{} refers to unknown {related}", skill.slug);
            }
        }
    }
}
