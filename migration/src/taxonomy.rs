//! The built-in skill taxonomy (`taxonomy.txt`), parsed. Ids are UUID v5 of the slug, so every
//! deployment gives a built-in skill the same id, and a later migration can tell which built-in
//! skills a database already has. The first seeding migration reads the file as it was then
//! (`taxonomy_2026_11_25.txt`, frozen); the sync migration brings databases up to the current one.

use sea_orm_migration::sea_orm::prelude::Uuid;

/// The taxonomy source: `slug | Name | CATEGORY | aliases | broader | implies | esco`.
pub const SOURCE: &str = include_str!("taxonomy.txt");

/// The taxonomy as the first seeding migration inserted it; never edited, so that migration
/// keeps producing what it produced.
pub const SEED_SOURCE: &str = include_str!("taxonomy_2026_11_25.txt");

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
    /// The ESCO skill URI, where the skill exists in ESCO.
    pub esco_uri: Option<&'static str>,
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

/// Parses [`SOURCE`], the current built-in taxonomy. Malformed lines are a build-time mistake
/// caught by this crate's tests.
///
/// # Errors
/// A line with the wrong number of fields, named by its line number.
pub fn builtin_skills() -> Result<Vec<BuiltinSkill>, String> {
    parse(SOURCE)
}

/// Parses [`SEED_SOURCE`], the taxonomy of the first seeding migration.
///
/// # Errors
/// As [`builtin_skills`].
pub fn seed_skills() -> Result<Vec<BuiltinSkill>, String> {
    parse(SEED_SOURCE)
}

fn parse(source: &'static str) -> Result<Vec<BuiltinSkill>, String> {
    let mut skills = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = line.split('|').map(str::trim).collect();
        let (slug, name, category, aliases, broader, implies, esco) = match fields[..] {
            [slug, name, category, aliases, broader, implies] => (slug, name, category, aliases, broader, implies, ""),
            [slug, name, category, aliases, broader, implies, esco] => {
                (slug, name, category, aliases, broader, implies, esco)
            }
            _ => return Err(format!("taxonomy line {}: expected 6 or 7 fields", number + 1)),
        };
        skills.push(BuiltinSkill {
            slug,
            name,
            category,
            aliases: list(aliases),
            broader: list(broader),
            implies: list(implies),
            esco_uri: (!esco.is_empty()).then_some(esco),
        });
    }
    Ok(skills)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::{BuiltinSkill, builtin_skills, seed_skills};
    use crate::skill_names::normalize;

    const CATEGORIES: [&str; 8] =
        ["LANGUAGE", "FRAMEWORK", "PLATFORM", "DATABASE", "PRACTICE", "SOFT_SKILL", "DOMAIN", "TOOL"];

    #[test]
    fn taxonomy_is_well_formed() {
        let skills = builtin_skills().expect("taxonomy parses");
        assert!(skills.len() >= 1_000, "only {} skills", skills.len());
        check(&skills);
    }

    #[test]
    fn seed_taxonomy_is_well_formed_and_frozen() {
        let seed = seed_skills().expect("seed taxonomy parses");
        check(&seed);
        // What the first migration inserted: if this count changes, someone edited the frozen file.
        assert_eq!(seed.len(), 214);
    }

    /// The current taxonomy only grows: every seeded skill is still there with the same name,
    /// category and spellings (a rename or a dropped alias would need a migration of its own).
    #[test]
    fn current_taxonomy_extends_the_seed() {
        let current: HashMap<_, _> = builtin_skills().expect("parses").into_iter().map(|s| (s.slug, s)).collect();
        for seeded in seed_skills().expect("parses") {
            let now = current.get(seeded.slug).unwrap_or_else(|| panic!("{} was removed", seeded.slug));
            assert_eq!((now.name, now.category), (seeded.name, seeded.category), "{} changed", seeded.slug);
            for alias in &seeded.aliases {
                assert!(now.aliases.contains(alias), "{}: alias {alias:?} dropped", seeded.slug);
            }
            for related in seeded.broader.iter().chain(&seeded.implies) {
                assert!(
                    now.broader.contains(related) || now.implies.contains(related),
                    "{}: link dropped",
                    seeded.slug
                );
            }
        }
    }

    #[test]
    fn esco_uris_are_esco_skill_uris() {
        let skills = builtin_skills().expect("parses");
        let with_uri: Vec<_> = skills.iter().filter_map(|s| s.esco_uri).collect();
        assert!(with_uri.len() >= 50, "only {} ESCO URIs", with_uri.len());
        for uri in &with_uri {
            assert!(uri.starts_with("http://data.europa.eu/esco/skill/"), "{uri}");
        }
        let distinct: HashSet<_> = with_uri.iter().collect();
        assert_eq!(distinct.len(), with_uri.len(), "two skills share an ESCO URI");
    }

    /// Slugs unique, categories known, every spelling (name, slug, alias) names exactly one skill,
    /// links point at known skills, and `broader` has no cycles.
    fn check(skills: &[BuiltinSkill]) {
        let slugs: HashSet<_> = skills.iter().map(|s| s.slug).collect();
        assert_eq!(slugs.len(), skills.len(), "duplicate slug");
        let mut owner: HashMap<String, &str> = HashMap::new();
        for skill in skills {
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
                assert!(!key.is_empty(), "{}: empty spelling", skill.slug);
                let previous = owner.insert(key.clone(), skill.slug);
                assert!(
                    previous.is_none() || previous == Some(skill.slug),
                    "{key:?} names both {previous:?} and {}",
                    skill.slug
                );
            }
            for related in skill.broader.iter().chain(&skill.implies) {
                assert!(slugs.contains(related), "{} refers to unknown {related}", skill.slug);
                assert_ne!(related, &skill.slug, "{} links to itself", skill.slug);
            }
        }
        let broader: HashMap<&str, &[&str]> = skills.iter().map(|s| (s.slug, s.broader.as_slice())).collect();
        for skill in skills {
            let mut seen = HashSet::new();
            let mut frontier = vec![skill.slug];
            while let Some(slug) = frontier.pop() {
                for up in broader.get(slug).copied().unwrap_or_default() {
                    assert_ne!(*up, skill.slug, "{} is broader than itself", skill.slug);
                    if seen.insert(*up) {
                        frontier.push(up);
                    }
                }
            }
        }
    }
}
