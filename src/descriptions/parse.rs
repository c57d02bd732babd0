//! Reading a job description into a draft role: pure functions over the text and the skill
//! matchers, no database. The steps, each driven by the wording:
//!
//! 1. lines become headings, bullets or prose; a heading (or a line ending in `:`) sets the
//!    context of what follows: requirements, preferences, nice-to-haves, or a section that holds
//!    no requirements (about us, benefits, equal-opportunity and privacy text);
//! 2. sentences split into clauses at `;`, "but", "while", and "and" between two statements;
//! 3. a clause's importance comes from its own cue words ("must", "a plus", "nice to have"),
//!    else from the clauses before it in its sentence, then those after, else from the section,
//!    else REQUIRED;
//! 4. mentions in negative or unrelated clauses ("no Java experience needed", "our frontend team
//!    uses React" in a backend ad, "most services are written in C#"), and people or units named
//!    by a skill ("our iOS developers"), are dropped; a head named once holds for the items
//!    before it ("unit and UI testing" names unit testing);
//! 5. mentions linked by "or", "/", "and/or" (or a list ending in "or") form one alternatives
//!    group; "and" keeps them apart;
//! 6. years before a skill ("3+ years of Go") are that skill's; years of experience in general
//!    or in a field ("7+ years in data engineering") are the role's total;
//! 7. level words before a mention ("expert", "strong", "familiarity with") give a minimum level.
//!
//! Offsets are UTF-8 byte offsets into the text; the GraphQL layer converts them.

use entity::{Importance, Seniority, SkillCategory};

use super::matcher::{KnownSkill, Mention, SkillMatcher, mentions};

/// At most this many requirements per draft: a role's own limit.
pub const MAX_REQUIREMENTS: usize = 100;
/// At most this many pieces of evidence per requirement.
pub const MAX_EVIDENCE: usize = 10;
/// At most this many unproductive sentences per draft.
pub const MAX_UNPRODUCTIVE: usize = 100;

/// A passage of the text: its words and where they are (UTF-8 byte offsets, end exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One requirement read from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRequirement {
    pub skill: KnownSkill,
    pub importance: Importance,
    /// The name of its alternatives group, shared by every member.
    pub alternatives_group: Option<String>,
    /// Minimum level 1 to 5, when the wording says.
    pub min_level: Option<u8>,
    /// Minimum years with this skill, when the text gives them.
    pub min_years: Option<u8>,
    /// Where the text names it.
    pub evidence: Vec<Passage>,
}

/// What a description says a role needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub requirements: Vec<DraftRequirement>,
    /// Minimum total years of experience, when stated.
    pub min_years_experience: Option<u8>,
    pub seniority: Option<Seniority>,
    /// Sentences that read like requirements but named no known skill.
    pub unproductive: Vec<Passage>,
}

/// What a section heading says about the lines under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// No requirements here (company, benefits, legal text).
    Skip,
    Importance(Importance),
    Neutral,
}

const NICE_CUES: &[&str] = &[
    "nice to have",
    "nice-to-have",
    "nice to haves",
    "nice-to-haves",
    "bonus",
    "not required but",
    "not required, but",
    "would be nice",
    "extra points",
    "brownie points",
    "icing on the cake",
    "not a must",
    "not mandatory but",
    "not essential but",
    "even better",
    "great to have",
    "is nice",
    "are nice",
    "nice but",
    "nice extra",
    "nice extras",
    "nice if",
];
const PREFERRED_CUES: &[&str] = &[
    "preferred",
    "preferably",
    "ideally",
    "ideal",
    "desirable",
    "desired",
    "a plus",
    "advantage",
    "advantageous",
    "beneficial",
    "helpful",
    "would be great",
    "welcome",
    "welcomed",
    "appreciated",
    "often",
    "good to have",
    "valued",
    "an asset",
    "is a benefit",
    "optional",
    "useful",
    "pluses",
    "would help",
    "it helps",
    "helps if",
    "helps a lot",
    "help a lot",
    "also helps",
    "would transfer",
    "transferable",
    "love to hear how",
    "love to hear about",
    "not obligatory",
    "not compulsory",
    "set you apart",
    "sets you apart",
    "would make us",
    "stand out",
    "stands out",
    "real plus",
    "big plus",
    "huge plus",
    "definite plus",
    "strong plus",
];
const REQUIRED_CUES: &[&str] = &[
    "must",
    "required",
    "require",
    "requires",
    "requirement",
    "requirements",
    "essential",
    "non-negotiable",
    "mandatory",
    "strong experience",
    "proven",
    "you have",
    "you bring",
    "you'll need",
    "you will need",
    "need to have",
    "necessary",
    "critical",
    "qualifications",
    "must-have",
    "must have",
    "key skills",
    "what you bring",
    "looking for",
    "you are",
    "about you",
    "who you are",
    "you'll bring",
    "you will bring",
    "important",
    "crucial",
    "a must",
];
/// Required cues strong enough to hold inside a preferences section ("Bonus: you have shipped
/// ..." stays a bonus; "Nice to have, but Java is a must" does not).
const STRONG_REQUIRED_CUES: &[&str] = &["must", "required", "essential", "mandatory", "non-negotiable", "must-have"];
const SKIP_HEADINGS: &[&str] = &[
    "about us",
    "about the company",
    "who we are",
    "benefits",
    "perks",
    "what we offer",
    "we offer",
    "why join",
    "why you'll love",
    "why work",
    "compensation",
    "equal opportunity",
    "equal employment",
    "eeo",
    "diversity",
    "privacy",
    "how to apply",
    "our values",
    "our mission",
    "life at",
    "our culture",
    "the company",
    "our story",
    "what's in it for you",
    "salary",
    "the package",
    "our offer",
    "about acme",
    "application process",
    "not for you",
    "who this is not for",
    "who this isn't for",
    "this role is not for you",
    "über uns",
    "was wir bieten",
    "wir bieten",
    "unser angebot",
];
const NEUTRAL_HEADINGS: &[&str] = &[
    "about you",
    "about the role",
    "about the team",
    "about this role",
    "about the job",
    "about the position",
    "responsibilities",
    "key responsibilities",
    "what you'll do",
    "what you will do",
    "your tasks",
    "tasks",
    "the role",
    "your role",
    "job description",
    "duties",
    "day to day",
    "the team",
    "your impact",
    "the job",
    "overview",
    "job purpose",
    "summary",
    "the position",
    "what you'll be doing",
    "in this role",
    "how we work",
    "our stack",
    "tech stack",
    "our tech stack",
    "the stack",
    "technologies",
    "tools we use",
    "mission",
    "responsibilities",
    "aufgaben",
    "what the job",
    "what the role",
    "what you'll build",
    "what you will build",
];
/// Headings that hold preferences without a cue word of their own ("Also good").
const PREFERRED_HEADINGS: &[&str] = &[
    "also good",
    "also great",
    "also nice",
    "wünschenswert",
    "von vorteil",
    "extras",
    "things that help",
    "what helps",
];
const BOILERPLATE: &[&str] = &[
    "equal opportunity",
    "equal employment",
    "regardless of",
    "without regard to",
    "sexual orientation",
    "gender identity",
    "protected veteran",
    "protected characteristic",
    "privacy policy",
    "privacy notice",
    "privacy statement",
    "your personal data",
    "your application data",
    "application data",
    "handle your data",
    "personal information",
    "reasonable accommodation",
    "e-verify",
    "background check",
    "we offer",
    "we provide",
    "you'll get",
    "you will get",
    "paid time off",
    "401(k)",
    "401k",
    "pension",
    "health insurance",
    "dental",
    "parental leave",
    "stock options",
    "free lunch",
    "snacks",
    "gym",
    "vacation",
    "annual leave",
    "holidays",
    "private healthcare",
    "learning budget",
    "annual bonus",
    "performance bonus",
    "signing bonus",
    "relocation",
    "visa sponsorship",
    "apply now",
    "send your cv",
    "send us your",
    "founded in",
    "is headquartered",
    "we are a",
    "we're a",
    "we are the",
    "we're the",
    "backed by investors",
    "vc-backed",
    "backed by leading",
    "backed by top",
    "is one of",
    " plc",
    "colleagues in",
    "series a",
    "series b",
    "series c",
    "unicorn",
    "we build",
    "we help",
    "our platform",
    "our mission",
    "our product",
    "we serve",
    "fortune 500",
    "years ago",
    "leading provider",
    "is an equal",
    "hybrid working",
    "remote-first",
    "work from home",
    "our values",
    "perks",
    "equity",
    "is growing",
    "are growing",
    "we design",
    "we believe",
    "salary range",
    "b2b contract",
    "/month",
    "per month",
    "day rate",
];
const REQUIRED_HEADINGS: &[&str] = &[
    "profile",
    "profil",
    "requirements",
    "qualifications",
    "skills",
    "experience",
    "what you need",
    "what you'll need",
    "must",
    "you have",
    "what we need",
    "what we expect",
    "we expect",
];
/// A later clause's words that make the employer's stack named before it a requirement ("...,
/// and you should be comfortable in at least one of the two").
const TAKEN_UP: &[&str] = &[
    "one of the two",
    "one of them",
    "one of these",
    "one of those",
    "either of them",
    "either of the two",
    "both of them",
];
/// Back-references that make a negation about the sentence's earlier clauses ("..., but you
/// don't need to know either").
const BACK_REFERENCES: &[&str] =
    &["either", "them", "it", "those", "these", "any of this", "that", "any of them", "both", "this", "none of this"];
const NEGATIONS: &[&str] = &[
    "not required",
    "not needed",
    "not necessary",
    "isn't required",
    "isn't needed",
    "aren't required",
    "not a requirement",
    "no need",
    "don't need",
    "do not need",
    "don't require",
    "do not require",
    "not expected",
    "don't expect",
    "do not expect",
    "don't worry",
    "no prior",
    "not essential",
    "not mandatory",
    "not a must",
    "won't need",
    "will not need",
    "won't touch",
    "will not touch",
    "not part of this role",
    "not part of the role",
    "not part of your",
    "none of this is",
    "none of these are",
    "never need",
    "not in scope",
    "out of scope",
    "does not involve",
    "doesn't involve",
    "will not involve",
    "won't involve",
    "won't ever need",
    "won't be doing",
    "will not be doing",
    "won't write",
    "will not write",
    "won't be writing",
    "won't be expected",
    "will not be expected",
    "won't be asking",
    "will not be asking",
    "won't be building",
    "will not be building",
    "not something this role",
    "not something the role",
    "not something you",
    "not looking for",
    "won't own",
    "will not own",
    "this is not a",
    "this isn't a",
    "not for this role",
    "not for the role",
    "don't use",
    "do not use",
    "doesn't use",
];
/// Words before a list of industries that says whom the employer serves ("organisations
/// across healthcare, retail and the public sector").
const CUSTOMERS_ACROSS: &[&str] = &[
    "organisations across",
    "organizations across",
    "customers across",
    "clients across",
    "companies across",
    "businesses across",
];
/// "won't be administering", "will not be maintaining": the candidate will not do it.
fn denies_doing(lower: &str) -> bool {
    ["won't be ", "will not be ", "won't ", "will not "].iter().any(|lead| {
        let mut from = 0;
        while let Some(at) = find_phrase(lower, lead.trim_end(), from) {
            from = at + lead.len();
            let next = lower.get(at + lead.len()..).unwrap_or_default().split_whitespace().next().unwrap_or_default();
            if next.len() > 4 && next.ends_with("ing") || matches!(next, "own" | "administer" | "maintain" | "touch") {
                return true;
            }
        }
        false
    })
}

/// Denials that say only "optional": with a softer cue in the sentence ("It helps if you know
/// X, but it's not a must") they leave the skill as a preference.
const SOFT_NEGATIONS: &[&str] =
    &["not required", "not a must", "not mandatory", "not essential", "isn't required", "not a requirement"];
/// Words right before a skill the employer has left ("moved off FreeRTOS last year").
const LEFT_BEHIND: &[&str] = &[
    "moved off",
    "moved away from",
    "migrated off",
    "migrated away from",
    "moving off",
    "moving away from",
    "switched from",
    "switched away from",
    "got rid of",
    "phased out",
    "phasing out",
    "retired",
    "retiring",
];
/// What is on its way out ("will be retired; leave it alone", "we tried Flutter and decided
/// against it"): no requirement, wherever else it is named.
const DEPRECATIONS: &[&str] = &[
    "decided against",
    "will be retired",
    "is being retired",
    "are being retired",
    "to be retired",
    "being phased out",
    "will be phased out",
    "being decommissioned",
    "will be decommissioned",
    "leave it alone",
    "leave them alone",
    "want that gone",
    "want it gone",
    "want them gone",
    "is deprecated",
    "are deprecated",
    "is being sunset",
    "are being sunset",
    "was retired",
    "were retired",
    "was decommissioned",
    "were decommissioned",
    "was shut down",
    "were shut down",
    "was sunset",
    "were sunset",
];
const NEGATION_BUT: &[&str] = &[
    "not required but",
    "not required, but",
    "not a must but",
    "not a must, but",
    "not mandatory but",
    "not mandatory, but",
    "not essential but",
    "not essential, but",
    "not needed but",
    "not needed, but",
    "but not required",
    "but by no means required",
    "but not a must",
    "but is not a must",
    "but not essential",
    "but not mandatory",
    "but not necessary",
    "but is not required",
    "but isn't required",
    "but is not needed",
    "but is not essential",
];
const DISCIPLINES: &[&str] = &[
    "frontend",
    "front-end",
    "backend",
    "back-end",
    "mobile",
    "ios",
    "android",
    "data",
    "ml",
    "platform",
    "design",
    "qa",
    "infra",
    "infrastructure",
    "devops",
    "security",
    "web",
    "marketing",
    "sales",
    "product",
    "analytics",
    "research",
    "finance",
    "support",
    "sre",
    "iam",
    "identity",
    "client",
    "network",
    "it",
    "hr",
    "legal",
    "ops",
    "operations",
    "hardware",
    "firmware",
    "app",
];
const TEAM_VERBS: &[&str] = &[
    "uses",
    "use",
    "is using",
    "are using",
    "works with",
    "work with",
    "works in",
    "work in",
    "builds with",
    "built",
    "maintains",
    "owns",
    "relies on",
    "runs",
    "writes",
    "develops",
    "who use",
    "who uses",
    "who work with",
    "who build with",
    "who are using",
    "lives in",
    "live in",
    "are native",
    "is native",
    "is written in",
    "are written in",
    "runs on",
    "run on",
    "is working on",
    "are working on",
    "works on",
    "is on",
    "are on",
    "work in",
    "works in",
    "build",
    "builds",
    "own",
    "look after",
    "looks after",
    "maintain",
    "handle",
    "handles",
    "used to",
    "write",
    "ship",
    "ships",
];
/// Nouns after a soft skill's word that make it name a thing ("communication services").
const SOFT_WORD_THINGS: &[&str] = &[
    "services",
    "service",
    "protocol",
    "protocols",
    "stack",
    "layer",
    "module",
    "modules",
    "bus",
    "interface",
    "interfaces",
    "channel",
    "channels",
    "dashboard",
    "dashboards",
];
/// People whose tools are their own ("our analysts work in Snowflake", "our traders use Excel").
const OTHER_PROFESSIONS: &[&str] = &[
    "analysts",
    "scientists",
    "data scientists",
    "marketers",
    "testers",
    "recruiters",
    "accountants",
    "traders",
    "clinicians",
    "underwriters",
    "actuaries",
    "lawyers",
];
/// Words before "team" that name no other unit ("our engineering team uses Kafka" may be the
/// candidate's own team).
const GENERIC_UNITS: &[&str] = &[
    "our",
    "the",
    "their",
    "whole",
    "entire",
    "engineering",
    "tech",
    "technology",
    "technical",
    "development",
    "dev",
    "software",
    "core",
    "small",
    "new",
    "growing",
    "own",
    "your",
    "this",
    "same",
    "current",
    "wider",
    "global",
    "local",
    "remote",
    "distributed",
    "international",
    "central",
    "main",
    "existing",
    "great",
    "friendly",
    "talented",
    "amazing",
    "expert",
    "senior",
    "agile",
    "scrum",
    "delivery",
    "project",
    "feature",
    "product",
    "cross-functional",
    "it",
    "we",
    "you",
    "who",
    "and",
    "with",
    "that",
    "which",
];

/// Words between a team and its verb that change nothing ("our finance team still lives in").
const TEAM_ADVERBS: &[&str] = &["still ", "currently ", "mostly ", "mainly ", "already ", "also ", "largely ", "now "];
const REQUIREMENT_WORDS: &[&str] = &[
    "experience",
    "knowledge",
    "familiar",
    "skills",
    "skill",
    "proficien",
    "understanding",
    "must",
    "required",
    "preferred",
    "plus",
    "bonus",
    "ability to",
    "expertise",
    "background in",
    "comfortable",
    "you have",
    "hands-on",
];

/// Whether `needle` occurs in `haystack` (both lower case) with word boundaries on both sides.
fn has_phrase(haystack: &str, needle: &str) -> bool {
    find_phrase(haystack, needle, 0).is_some()
}

fn find_phrase(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = haystack.get(at..).and_then(|rest| rest.find(needle)) {
        let start = at + found;
        let end = start + needle.len();
        let before_ok = !haystack.get(..start).and_then(|s| s.chars().next_back()).is_some_and(char::is_alphanumeric);
        let after_ok = !haystack.get(end..).and_then(|s| s.chars().next()).is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            return Some(start);
        }
        at = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn cue_of(lower: &str) -> Option<Importance> {
    // "LLM-as-judge where it helps": a manner of working, not a preference.
    const MANNER: &[&str] =
        &["where it helps", "when it helps", "wherever it helps", "in case it helps", "if it helps"];
    if lower.contains("it helps") && MANNER.iter().any(|p| lower.contains(p)) {
        let plain = MANNER.iter().fold(lower.to_owned(), |text, phrase| text.replace(phrase, " "));
        return cue_of(&plain);
    }
    if NICE_CUES.iter().any(|cue| has_phrase(lower, cue)) {
        Some(Importance::NiceToHave)
    } else if PREFERRED_CUES.iter().any(|cue| has_phrase(lower, cue)) || plus_as_cue(lower) {
        Some(Importance::Preferred)
    } else if REQUIRED_CUES.iter().any(|cue| has_phrase(lower, cue)) {
        Some(Importance::Required)
    } else {
        None
    }
}

/// "Will be plus", "Kubernetes: plus", "Plus:": "plus" saying a preference, not joining two
/// things ("a monolith, plus a handful of Go services").
fn plus_as_cue(lower: &str) -> bool {
    let mut from = 0;
    while let Some(at) = find_phrase(lower, "plus", from) {
        from = at + 4;
        let after = lower.get(at + 4..).unwrap_or_default().trim_start();
        if after.is_empty() || after.starts_with([',', '.', ';', ':', ')', '!', '-', '–', '—']) {
            return true;
        }
    }
    false
}

/// Headings that name the role's work ("Your responsibilities", "Deine Mission"), after a
/// possessive or article before them.
fn neutral_heading(words: &str) -> bool {
    let bare = ["your ", "our ", "the ", "key ", "deine ", "dein ", "ihre ", "ihr "]
        .iter()
        .find_map(|p| words.strip_prefix(p))
        .unwrap_or(words);
    NEUTRAL_HEADINGS.iter().any(|h| words.starts_with(h) || bare.starts_with(h))
}

fn heading_context(lower: &str) -> Context {
    let words = lower.trim_matches(|c: char| !c.is_alphanumeric());
    let words = words.strip_prefix("q:").or_else(|| words.strip_prefix("q.")).map_or(words, str::trim_start);
    if ["don't i need", "do i not need", "won't i need"].iter().any(|p| words.contains(p)) {
        return Context::Skip;
    }
    // "Our stack, for the curious", "Tools you'll see but won't own": context, not requirements.
    if ["for the curious", "for context", "for reference", "won't own", "will not own"]
        .iter()
        .any(|p| words.contains(p))
    {
        return Context::Skip;
    }
    // "Dein Profil / What you bring": a heading in two languages says the same twice; the first
    // part that says something decides.
    if words.contains(" / ") {
        let parts: Vec<Context> = words.split(" / ").map(heading_context).collect();
        return parts.iter().copied().find(|c| *c != Context::Neutral).unwrap_or(Context::Neutral);
    }
    if words.starts_with("our mission") {
        return Context::Skip;
    }
    if neutral_heading(words) {
        return Context::Neutral;
    }
    if PREFERRED_HEADINGS.iter().any(|h| words.starts_with(h)) {
        return Context::Importance(Importance::Preferred);
    }
    if SKIP_HEADINGS.iter().any(|h| has_phrase(words, h)) || (words.starts_with("about ") && !words.contains("you")) {
        return Context::Skip;
    }
    // "Not required", "What you don't need": a section of what the role does without.
    // Not when it says the section is a plus ("... stand out (her words: "nice, not needed")").
    let a_plus = NICE_CUES.iter().chain(PREFERRED_CUES).chain(&["nice"]).any(|c| has_phrase(words, c));
    if NEGATIONS.iter().any(|n| has_phrase(words, n)) && !a_plus {
        return Context::Skip;
    }
    cue_of(words).map_or_else(
        || {
            if REQUIRED_HEADINGS.iter().any(|h| has_phrase(words, h)) {
                Context::Importance(Importance::Required)
            } else {
                Context::Neutral
            }
        },
        Context::Importance,
    )
}

/// A line's kind, after its bullet or heading marks are removed: `(kind, content start)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Heading,
    Bullet,
    Prose,
}

fn classify_line(line: &str) -> (LineKind, usize) {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let first = trimmed.chars().next().unwrap_or(' ');
    if matches!(first, '-' | '*' | '•' | '·' | '–' | '◦' | '▪' | '‣' | '+' | '✅' | '✔' | '☑' | '➤' | '►' | '→')
        && trimmed.chars().nth(1).is_some_and(char::is_whitespace)
    {
        return (LineKind::Bullet, indent + first.len_utf8());
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits)
        && trimmed.get(digits..).is_some_and(|rest| rest.starts_with(". ") || rest.starts_with(") "))
    {
        // "5. Desirable", "6. Not required": a numbered section heading, not an item.
        let rest = trimmed.get(digits + 1..).unwrap_or_default().trim();
        let lower = rest.to_ascii_lowercase();
        let title = rest.split_whitespace().count() <= 4
            && !rest.contains(':')
            && !rest.ends_with(['.', '!', '?', ','])
            && (heading_context(&lower) != Context::Neutral || neutral_heading(&lower));
        if indent == 0 && title {
            return (LineKind::Heading, digits + 1);
        }
        return (LineKind::Bullet, indent + digits + 1);
    }
    let content = trimmed.trim_matches(|c: char| c == '#' || c == '*' || c == '_' || c.is_whitespace());
    let words = content.split_whitespace().count();
    let ends_colon = content.ends_with(':');
    let marked = trimmed.starts_with('#') || (trimmed.starts_with("**") && trimmed.trim_end().ends_with("**"));
    // "WHAT WOULD MAKE YOU STAND OUT (her words: "nice, not needed")": capitals before an aside.
    let bare = content.split_once(" (").map_or(content, |(head, _)| head);
    let shouting = bare.chars().any(char::is_alphabetic)
        && bare.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        && bare.split_whitespace().count() <= 8
        && words <= 14;
    let short_title = words <= 6 && !content.ends_with(['.', '!', '?', ',']) && {
        let lower = content.to_ascii_lowercase();
        heading_context(&lower) != Context::Neutral || lower.split(" / ").any(neutral_heading)
    };
    let table_row = content.matches('|').count() >= 2;
    // "Q: What don't I need?" heads its answer; the "A:" under it is no heading.
    let question = (content.starts_with("Q:") || content.starts_with("Q.")) && content.ends_with('?') && words <= 12;
    if question {
        return (LineKind::Heading, indent);
    }
    if matches!(content, "A:" | "A." | "A") {
        return (LineKind::Prose, indent);
    }
    if !table_row && ((marked && words <= 12) || shouting || (ends_colon && words <= 8) || short_title) {
        return (LineKind::Heading, indent);
    }
    (LineKind::Prose, indent)
}

const ABBREVIATIONS: &[&str] = &["e.g", "i.e", "etc", "vs", "approx", "incl", "sr", "jr", "inc", "ltd", "co", "no"];

/// Sentence ranges (byte offsets) within `text[start..end]`.
fn sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(slice) = text.get(start..end) else { return out };
    let mut begin = 0;
    let bytes = slice.as_bytes();
    for (at, ch) in slice.char_indices() {
        if !matches!(ch, '.' | '!' | '?') {
            continue;
        }
        let next = bytes.get(at + 1).copied();
        if next.is_some_and(|b| !b.is_ascii_whitespace()) {
            continue;
        }
        let word = slice.get(begin..at).unwrap_or_default().rsplit(' ').next().unwrap_or_default().to_ascii_lowercase();
        if ch == '.' && ABBREVIATIONS.contains(&word.trim_start_matches('(')) {
            continue;
        }
        out.push((start + begin, start + at + 1));
        begin = at + 1;
    }
    if slice.get(begin..).is_some_and(|rest| !rest.trim().is_empty()) {
        out.push((start + begin, end));
    }
    out.into_iter()
        .filter_map(|(s, e)| {
            let piece = text.get(s..e)?;
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            (e - trail > s + lead).then_some((s + lead, e - trail))
        })
        .collect()
}

/// Clause ranges of a sentence: split at `;`, "but", "while", "whereas", "although", and at
/// "and" when both sides are statements (a cue or a verb on each side).
fn clauses(lower: &str) -> Vec<(usize, usize)> {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for separator in [
        ";",
        " but ",
        ", but ",
        ", while ",
        " whereas ",
        ", although ",
        " - ",
        " – ",
        " — ",
        ", ideally ",
        ", preferably ",
    ] {
        let mut from = 0;
        while let Some(found) = lower.get(from..).and_then(|rest| rest.find(separator)) {
            let at = from + found;
            // ", ideally with X": the cue stays with what it qualifies.
            let cut_end = if separator.starts_with(", ideally") || separator.starts_with(", preferably") {
                at + 2
            } else {
                at + separator.len()
            };
            cuts.push((at, cut_end));
            from = at + separator.len();
        }
    }
    // "Infrastructure as code: Terraform preferred": a short topic before a colon keeps its own
    // importance (not "Python: 3+ years", where the years are the topic's).
    if let Some(colon) = lower.find(": ")
        && lower.get(..colon).is_some_and(|topic| topic.split_whitespace().count() <= 5)
        && !lower.get(colon + 2..).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        cuts.push((colon, colon + 2));
    }
    // "Good English, German is a plus": a comma before a short subject with its own verb and cue.
    let mut from = 0;
    while let Some(found) = lower.get(from..).and_then(|rest| rest.find(", ")) {
        let at = from + found;
        let right = lower.get(at + 2..).unwrap_or_default();
        let right = right.split([',', ';']).next().unwrap_or(right);
        // Not "cryptography (TLS, certificates) would be a real plus": the verb is said of
        // the whole, after the parenthesis closes.
        if let Some(verb) = [" is ", " are ", " will be ", " would be "].iter().filter_map(|v| right.find(v)).min()
            && right
                .get(..verb)
                .is_some_and(|subject| subject.split_whitespace().count() <= 2 && !subject.contains(')'))
            && cue_of(right).is_some()
        {
            cuts.push((at, at + 2));
        }
        // "Experience with deep learning frameworks, PyTorch preferred": a short tail that says
        // what is preferred qualifies only itself.
        let tail = right.split(['.', ')']).next().unwrap_or(right).trim_end();
        if (2..=4).contains(&tail.split_whitespace().count())
            && ["preferred", "a plus", "a bonus", "desirable", "is preferred", "preferably"]
                .iter()
                .any(|c| tail.ends_with(c))
        {
            cuts.push((at, at + 2));
        }
        from = at + 2;
    }
    for separator in [", and ", " and "] {
        let mut from = 0;
        while let Some(found) = lower.get(from..).and_then(|rest| rest.find(separator)) {
            let at = from + found;
            let left = lower.get(..at).unwrap_or_default();
            let right = lower.get(at + separator.len()..).unwrap_or_default();
            // Not inside parentheses: "(our sales team lives in Salesforce and Gong, you won't need to)".
            let open = left.matches('(').count() > left.matches(')').count();
            if !open && statement(left) && statement(right) && !cuts.iter().any(|(s, e)| *s <= at && at < *e) {
                cuts.push((at, at + separator.len()));
            }
            from = at + separator.len();
        }
    }
    // "not required but a plus" is one thought.
    // Not at a semicolon: "Dutch is not required; our working language is English" is two.
    cuts.retain(|(at, end)| {
        let left = lower.get(..*at).unwrap_or_default();
        lower.get(*at..*end) == Some(";")
            || !["not required", "not a must", "not mandatory", "not essential", "not needed"]
                .iter()
                .any(|n| left.ends_with(n))
    });
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut begin = 0;
    for (cut_start, cut_end) in cuts {
        if cut_start >= begin {
            out.push((begin, cut_start));
            begin = cut_end;
        }
    }
    out.push((begin, lower.len()));
    out
}

fn statement(part: &str) -> bool {
    let part = part.split([';', ',']).next_back().unwrap_or(part);
    cue_of(part).is_some()
        || [" is ", " are ", " would ", " will ", " should ", "'s ", " be ", "'re ", "'ve ", " you "]
            .iter()
            .any(|v| format!(" {part} ").contains(v))
}

/// How two neighbouring mentions are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Comma,
    Or,
    And,
    Apart,
}

/// "or a similar broker", "oder einem ähnlichen Orchestrator": what follows the last of a
/// list of examples (`after`, lower case, from the word after it).
fn or_similar_tail(after: &str) -> bool {
    let after = after.trim_start_matches([',', ' ']);
    let Some(rest) = after.strip_prefix("or ").or_else(|| after.strip_prefix("oder ")) else { return false };
    rest.split_whitespace().take(3).any(|w| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric()),
            "similar"
                | "comparable"
                | "equivalent"
                | "other"
                | "another"
                | "alternative"
                | "ähnlichen"
                | "ähnliches"
                | "ähnliche"
                | "vergleichbaren"
                | "vergleichbare"
        )
    })
}

fn link_of(gap: &str) -> Link {
    // "Airflow or a similar orchestrator (Dagster, Prefect)": the examples join the group.
    let raw = gap.trim();
    if raw.ends_with('(') && or_similar_tail(raw) && raw.split_whitespace().count() <= 6 {
        return Link::Or;
    }
    // "**PySpark** / **Databricks**": Markdown emphasis around the names is no word between them.
    let gap = gap.trim().trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '"' | '\'' | '*' | '`')).trim();
    let gap = gap.trim_matches(|c: char| matches!(c, '*' | '`') || c.is_whitespace());
    match gap {
        "," => Link::Comma,
        "oder" | ", oder" | "or" | ", or" | "/" | "and/or" | ", and/or" | "|" | "or even" | ", or even" | "or any"
        | "/ or" | ", or any" | "or a similar" | ", or a similar" | "or similar" | "or another" | "or other"
        | "or any other" | "or a comparable" | "or comparable" | "or an equivalent" | "or equivalent"
        | ", or other" | ", or another" => Link::Or,
        "and" | ", and" | "&" | "as well as" | ", as well as" | "plus" | "+" | ", plus" | "and also" | "und"
        | ", und" => Link::And,
        // "energy, commodities or financial markets": an item the taxonomy does not know, in the
        // middle of the list, keeps it one list.
        _ if unknown_item_between(gap) || elided_head_or(gap) || qualified_or(gap) => Link::Or,
        _ => Link::Apart,
    }
}

/// "Elasticsearch/OpenSearch kNN, or a vector database": a word qualifying the first item, then
/// ", or a".
fn qualified_or(gap: &str) -> bool {
    let Some(head) = [", or a", ", or an"].iter().find_map(|w| gap.trim().strip_suffix(w)) else { return false };
    let words: Vec<&str> = head.split_whitespace().collect();
    words.len() == 1 && words.iter().all(|w| w.chars().all(char::is_alphanumeric))
}

/// "BI engineering or data engineering": the head of the first item written out after it, then
/// "or" (the gap `engineering or`).
fn elided_head_or(gap: &str) -> bool {
    let Some(head) = gap.trim().strip_suffix(" or").map(|h| h.trim_end_matches(',').trim()) else { return false };
    matches!(head, "engineering" | "development" | "programming" | "testing" | "design" | "experience" | "skills")
}

/// Whether a gap between two mentions is `, <item> or` (or `, <item>, or`): one or two plain
/// lower-case words listed between them.
fn unknown_item_between(gap: &str) -> bool {
    let Some(inner) = gap.strip_prefix(',') else { return false };
    let Some(item) = inner.trim().strip_suffix(" or").map(|i| i.trim_end_matches(',').trim()) else { return false };
    let words: Vec<&str> = item.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 2
        && words.iter().all(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        && !words.iter().any(|w| {
            matches!(
                *w,
                "is" | "are"
                    | "we"
                    | "you"
                    | "the"
                    | "a"
                    | "an"
                    | "our"
                    | "your"
                    | "which"
                    | "that"
                    | "and"
                    | "or"
                    | "but"
                    | "with"
                    | "not"
                    | "no"
                    | "ideally"
                    | "preferably"
            )
        })
}

/// Whether the text after a list (`after`, as written) goes on with "or" / "and/or" and a name
/// ("..., Metabase and/or Lightdash"): a capitalised word, not an everyday one.
fn or_unknown_name(after: &str) -> bool {
    let after = after.trim_start_matches([',', ' ']);
    let Some(rest) = ["and/or ", "or "].iter().find_map(|w| after.strip_prefix(w)) else { return false };
    let name = rest.split_whitespace().next().unwrap_or_default().trim_end_matches([',', '.', ')', ';', ':']);
    name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().skip(1).any(char::is_alphabetic)
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "a" | "an" | "the" | "any" | "other" | "similar" | "another" | "equivalent" | "comparable" | "some"
        )
}

/// Said of a list that does as well as the one before it ("CloudFormation acceptable").
const EQUIVALENTS: &[&str] = &[
    "acceptable",
    "is fine",
    "are fine",
    "also fine",
    "is also fine",
    "just as good",
    "equally good",
    "equally valid",
    "as good",
    "works too",
    "work too",
    "also works",
    "also work",
    "counts too",
    "count too",
    "also counts",
    "just as relevant",
    "equally relevant",
    "as relevant",
    "just as valuable",
    "equally valuable",
    "is fine too",
    "are fine too",
];

const EXAMPLE_MARKERS: &[&str] = &["one of", "any of", "two of", "either", "such as", "e.g", "like", "for example"];

fn level_of(lower: &str) -> Option<u8> {
    const EXPERT: &[&str] =
        &["expert", "expertise", "deep", "mastery", "master", "in-depth", "extensive", "guru", "authority on"];
    const STRONG: &[&str] = &[
        "strong",
        "solid",
        "advanced",
        "proficient",
        "proficiency",
        "hands-on",
        "thorough",
        "excellent",
        "fluent",
        "fluency",
        "significant",
        "very good",
    ];
    const WORKING: &[&str] = &["working knowledge", "good knowledge", "good understanding", "practical experience"];
    const BASIC: &[&str] =
        &["familiarity", "familiar", "basic", "exposure", "some experience", "awareness", "basics", "introductory"];
    // The nearest cue to the mention decides, with the adjectives stacked right before it
    // ("deep, hands-on": the highest of them).
    let mut found: Vec<(usize, u8)> = Vec::new();
    for (cues, level) in [(EXPERT, 5), (STRONG, 4), (WORKING, 3), (BASIC, 2)] {
        for cue in cues {
            let mut from = 0;
            while let Some(at) = find_phrase(lower, cue, from) {
                found.push((at, level));
                from = at + cue.len();
            }
        }
    }
    let nearest = found.iter().map(|(at, _)| *at).max()?;
    found.iter().filter(|(at, _)| *at + 16 >= nearest).map(|(_, level)| *level).max()
}

fn number_word(word: &str) -> Option<u8> {
    Some(match word {
        "one" | "a" | "an" => 1,
        "two" | "couple" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        _ => return None,
    })
}

/// A stated number of years: where the phrase is in the clause, and the minimum it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct YearsPhrase {
    start: usize,
    end: usize,
    min: u8,
    /// A part of years stated just before ("5+ years, of which 2 in AppSec", "three of them
    /// leading teams"): the unit is implied, and the years before it are the total.
    part: bool,
}

/// "Several years (4+) running ...": the number in parentheses after the unit (the unit at
/// `at..end`, the token after it `next`).
fn parenthesised_years(lower: &str, at: usize, end: usize, next: Option<(usize, &str)>) -> Option<YearsPhrase> {
    let (number_at, number) = next?;
    if lower.get(end..number_at).is_none_or(|gap| gap.trim() != "(") {
        return None;
    }
    let min = number.trim_end_matches('+').parse::<u8>().ok().filter(|n| (1..=60).contains(n))?;
    let after = number_at + number.len();
    let close = lower.get(after..).and_then(|r| r.find(')')).map_or(after, |c| after + c + 1);
    Some(YearsPhrase { start: at, end: close, min, part: false })
}

/// "6 years in testing, from it minimum 2 years as team leader", "davon 2 Jahre mit Spark",
/// "of which at least 2 years": the words `before` a number of years make it a part of the
/// years stated before.
fn part_of_years_before(before: &str) -> bool {
    let lead: Vec<&str> =
        before.split_whitespace().rev().take(4).map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).collect();
    let after_part_word = |words: &[&str]| {
        let starts = |w: &[&str]| matches!(w, ["which", "of", ..] | ["davon", ..] | ["it", "from", ..]);
        starts(words) || words.get(1..).is_some_and(starts)
    };
    // "4+ years of industry experience, with at least 2 years shipping ML models".
    let with_at_least = matches!(lead.as_slice(), ["least", "at", "with" | "including", ..])
        || matches!(lead.as_slice(), ["including" | "incl" | "with", ..]);
    after_part_word(&lead)
        || with_at_least
        || (lead.first().is_some_and(|w| matches!(*w, "least" | "minimum"))
            && after_part_word(lead.get(1..).unwrap_or_default()))
}

/// Parts of the years just stated (ending at `first_stated`) among the words `tokens` of
/// `lower`: "of which (at least) 2 ...", "(at least) three of them ...", "with at least two in
/// Go".
fn parts_of_years(lower: &str, tokens: &[(usize, &str)], first_stated: Option<usize>) -> Vec<YearsPhrase> {
    let mut parts = Vec::new();
    let word = |i: usize| tokens.get(i).map(|(_, t)| *t);
    for (index, (at, token)) in tokens.iter().enumerate() {
        let Some(stated_end) = first_stated else { break };
        if *at < stated_end || matches!(*token, "a" | "an" | "one") {
            continue;
        }
        let Some(min) = token.trim_end_matches('+').parse::<u8>().ok().or_else(|| number_word(token)) else { continue };
        if matches!(word(index + 1), Some("year" | "years" | "yrs" | "yr")) {
            continue;
        }
        // "with at least two in Go": a part whose unit is left out.
        let elided_in = word(index + 1) == Some("in")
            && index >= 1
            && matches!(word(index - 1), Some("least" | "with" | "including" | "incl"));
        let after_which = part_of_years_before(lower.get(..*at).unwrap_or_default());
        // "at least three of them as a lead", "at least 3 of which in a healthcare setting".
        let of_them = word(index + 1) == Some("of") && matches!(word(index + 2), Some("them" | "which" | "those"));
        let end = if of_them {
            tokens.get(index + 2).map_or(at + token.len(), |(s, t)| s + t.len())
        } else if after_which || elided_in {
            at + token.len()
        } else {
            continue;
        };
        if min > 0 && min <= 60 {
            parts.push(YearsPhrase { start: *at, end, min, part: true });
        }
    }
    parts
}

/// Finds "10+ years", "5-7 years" (5), "at least three years", "a decade" in a lower-case clause.
fn years_phrases(lower: &str) -> Vec<YearsPhrase> {
    let mut out = Vec::new();
    let tokens: Vec<(usize, &str)> = {
        let mut tokens = Vec::new();
        let mut start = None;
        for (at, ch) in lower.char_indices() {
            let word_char = ch.is_alphanumeric() || ch == '+';
            match (word_char, start) {
                (true, None) => start = Some(at),
                (false, Some(s)) => {
                    tokens.push((s, lower.get(s..at).unwrap_or_default()));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            tokens.push((s, lower.get(s..).unwrap_or_default()));
        }
        tokens
    };
    for (index, (at, token)) in tokens.iter().enumerate() {
        let end = at + token.len();
        let (is_years, decade) = match *token {
            "year" | "years" | "yrs" | "yr" | "years+" | "yrs+" | "yr+" | "year+" | "jahre" | "jahren" | "jahr" => {
                (true, false)
            }
            "decade" | "decades" => (true, true),
            _ => (false, false),
        };
        if !is_years {
            continue;
        }
        // "eight or more years": the number is before "or more".
        let word_back = |back: usize| index.checked_sub(back).and_then(|i| tokens.get(i)).map(|(_, t)| *t);
        let shift = if word_back(1) == Some("more") && word_back(2) == Some("or") { 2 } else { 0 };
        let previous = |back: usize| index.checked_sub(back + shift).and_then(|i| tokens.get(i)).map(|(s, t)| (*s, *t));
        let parsed = |word: &str| -> Option<u8> {
            let digits = word.trim_end_matches('+');
            digits.parse::<u8>().ok().or_else(|| number_word(digits))
        };
        // "a 3-year position", "a two-year contract": how long the job lasts.
        if let (Some((number_at, number)), Some((_, next))) = (previous(1), tokens.get(index + 1))
            && lower.get(number_at + number.len()..*at) == Some("-")
            && TERM_NOUNS.contains(next)
        {
            continue;
        }
        if !previous(1).is_some_and(|(_, w)| parsed(w).is_some() || w == "decade")
            && let Some(phrase) = parenthesised_years(lower, *at, end, tokens.get(index + 1).copied())
        {
            out.push(phrase);
            continue;
        }
        let Some((number_at, number)) = previous(1) else { continue };
        let min = if decade { parsed(number).map(|n| n.saturating_mul(10)) } else { parsed(number) };
        let mut start = number_at;
        let Some(mut value) = min else { continue };
        // "5-7 years", "5 to 7 years": the lower bound.
        if let Some((low_at, low)) = previous(2) {
            let between = lower.get(low_at + low.len()..number_at).unwrap_or_default().trim();
            let range = if low == "to" {
                previous(3)
            } else if matches!(between, "-" | "–" | "—") {
                Some((low_at, low))
            } else {
                None
            };
            if let Some((range_at, range_low)) = range
                && let Some(n) = parsed(range_low)
                && n < value
            {
                value = n;
                start = range_at;
            }
        }
        if value == 0 || value > 60 {
            continue;
        }
        let part = !out.is_empty() && part_of_years_before(lower.get(..start).unwrap_or_default());
        out.push(YearsPhrase { start, end, min: value, part });
    }
    let first_stated = out.first().map(|p| p.end);
    out.extend(parts_of_years(lower, &tokens, first_stated));
    out
}

/// Whether the words between a mention and the years after it (`gap`) give the mention those
/// years: "Go (3+ years)", "Go: 3 years", "Hands-on dbt experience (at least 2 years)".
fn years_after_mention(gap: &str) -> bool {
    let gap = gap.trim();
    let gap = ["experience", "knowledge", "skills"]
        .iter()
        .find_map(|w| gap.strip_prefix(w))
        .map_or(gap, str::trim_start)
        .trim_end();
    if matches!(gap, "(" | ":" | "-" | "–" | "—" | "- " | "(min" | "(at least" | "(minimum") {
        return true;
    }
    // "C++ – we're thinking 5+ years": a dash, then words that only introduce the figure.
    gap.strip_prefix(['-', '–', '—']).is_some_and(|rest| {
        let words: Vec<&str> = rest.split_whitespace().collect();
        !words.is_empty()
            && words.len() <= 3
            && words.iter().all(|w| {
                matches!(
                    *w,
                    "we're"
                        | "we"
                        | "are"
                        | "thinking"
                        | "ideally"
                        | "roughly"
                        | "around"
                        | "about"
                        | "at"
                        | "least"
                        | "min"
                        | "minimum"
                        | "approx"
                        | "approximately"
                )
            })
    })
}

/// Nouns after "N-year" that say how long a job or plan lasts, not experience.
const TERM_NOUNS: &[&str] = &[
    "position",
    "contract",
    "post",
    "term",
    "appointment",
    "project",
    "grant",
    "plan",
    "programme",
    "program",
    "fellowship",
    "roadmap",
    "period",
    "anniversary",
    "history",
    "warranty",
];
const YEARS_FILLER: &[&str] = &[
    "of",
    "focused",
    "dedicated",
    "spent",
    "analysing",
    "analyzing",
    "berufserfahrung",
    "erfahrung",
    "im",
    "mit",
    "experience",
    "professional",
    "commercial",
    "industry",
    "relevant",
    "hands-on",
    "hands",
    "on",
    "working",
    "work",
    "with",
    "in",
    "using",
    "building",
    "writing",
    "developing",
    "programming",
    "production",
    "solid",
    "strong",
    "proven",
    "practical",
    "the",
    "and",
    "a",
    "an",
    "as",
    "doing",
    "software",
    "development",
    "engineering",
    "experienced",
    "real-world",
    "hands-on,",
    "deep",
    "coding",
    "apps",
    "applications",
    "running",
    "operating",
    "maintaining",
    "designing",
    "leading",
    "managing",
    "shipping",
    "deploying",
    "scaling",
    "administering",
    "modern",
    "+",
    "plus",
    "'",
    "or",
    "more",
    "least",
    "at",
    "native",
    "systems",
];
const COMPANY_YEARS: &[&str] =
    &["ago", "founded", "since", "in business", "history", "old", "anniversary", "we've been", "we have been"];

/// Whether years attached to a mention were about the field of the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    No,
    /// A practice named as the line of work ("in an SRE role"): total years, mention kept.
    Kept,
    /// A domain ("in data engineering"): total years, the mention is the role's field.
    Dropped,
}

/// A field of work rather than a tool: years "in" it are the role's total experience.
fn is_field(skill: &KnownSkill) -> bool {
    let name = skill.name.to_ascii_lowercase();
    skill.category == SkillCategory::Domain
        || (skill.category == SkillCategory::Practice
            && [
                " development",
                " engineering",
                " operations",
                " warehousing",
                " intelligence",
                " analysis",
                " analytics",
            ]
            .iter()
            .any(|line_of_work| name.ends_with(line_of_work)))
}

/// "a decade of experience writing embedded software", "3+ yrs of hands-on ML engineering":
/// years of work in a domain (the words between the years and the mention `gap_words`, the
/// mention as `written`, the text after it `next`), so the role's total.
fn work_in_domain(gap_words: &[&str], written: &str, next: &str) -> bool {
    gap_words.iter().any(|w| w.len() > 5 && w.ends_with("ing") && *w != "working") || names_line_of_work(written, next)
}

/// "5+ yrs frontend": years (the text after them `rest`) of a discipline.
fn of_a_discipline(rest: &str) -> bool {
    rest.split_whitespace()
        .next()
        .is_some_and(|w| DISCIPLINES.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
}

/// "Android development", "embedded Linux development", "QA/test engineering": a mention (its
/// words `written`, the text after it `next`, lower case) that names a line of work.
fn names_line_of_work(written: &str, next: &str) -> bool {
    let written = written.to_ascii_lowercase();
    written.ends_with(" development")
        || written.ends_with(" engineering")
        || next
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty())
            .take(2)
            .any(|w| matches!(w.trim_matches(|c: char| !c.is_alphanumeric()), "development" | "engineering"))
}

fn seniority_of(lower: &str) -> Option<Seniority> {
    let has = |words: &[&str]| words.iter().any(|w| has_phrase(lower, w));
    if has(&["head of", "director", "vp", "vice president", "chief", "cto", "cio", "ciso"]) {
        Some(Seniority::Executive)
    } else if has(&["principal", "staff", "distinguished"]) {
        Some(Seniority::Principal)
    } else if has(&["lead", "leader", "engineering manager", "team lead", "tech lead"]) {
        Some(Seniority::Lead)
    } else if has(&["senior", "sr", "sr."]) {
        Some(Seniority::Senior)
    } else if has(&["mid-level", "mid level", "intermediate", "mid-senior"]) {
        Some(Seniority::Mid)
    } else if has(&["junior", "jr", "graduate", "entry-level", "entry level", "associate"]) {
        Some(Seniority::Junior)
    } else if has(&["intern", "internship", "working student", "trainee"]) {
        Some(Seniority::Intern)
    } else {
        None
    }
}

fn text_seniority(lower: &str) -> Option<Seniority> {
    const ROLE_WORDS: &[&str] = &[
        "engineer",
        "developer",
        "scientist",
        "analyst",
        "designer",
        "architect",
        "manager",
        "consultant",
        "level",
        "role",
        "position",
        "researcher",
        "administrator",
        "specialist",
    ];
    for role in ROLE_WORDS {
        let mut from = 0;
        while let Some(at) = find_phrase(lower, role, from) {
            let before = lower.get(at.saturating_sub(40)..at).unwrap_or_default();
            if let Some(found) = seniority_of(before.rsplit(['.', ',', ';']).next().unwrap_or(before)) {
                return Some(found);
            }
            from = at + role.len();
        }
    }
    None
}

/// Words after a skill that make it a name for people or a unit ("our iOS developers").
const PEOPLE_NOUNS: &[&str] = &[
    "developer",
    "engineer",
    "designer",
    "scientist",
    "analyst",
    "specialist",
    "architect",
    "consultant",
    "developers",
    "engineers",
    "designers",
    "scientists",
    "analysts",
    "folks",
    "people",
    "team",
    "teams",
    "squad",
    "squads",
    "department",
    "colleagues",
    "specialists",
    "experts",
    "guild",
    "chapter",
    "counterparts",
    "counterpart",
    "peers",
    "tribe",
    "tribes",
];

/// Parts of a product a role may not cover ("the backend is Java" in a mobile ad).
const PRODUCT_PARTS: &[&str] = &["frontend", "front-end", "backend", "back-end", "mobile", "web", "ios", "android"];

/// The employer's history ("We started on Shopify"): no requirement, unless it speaks to the
/// candidate too.
const COMPANY_STORY: &[&str] = &[
    "we started",
    "we built",
    "we launched",
    "we began",
    "we founded",
    "we moved",
    "we migrated",
    "we grew",
    "we switched",
];

/// "which the client teams own", "that our platform team maintains": another team's work.
fn owned_by_a_team(lower: &str) -> bool {
    ["which", "that"].iter().any(|relative| {
        let mut from = 0;
        while let Some(at) = find_phrase(lower, relative, from) {
            from = at + relative.len();
            let next: Vec<&str> = lower.get(from..).unwrap_or_default().split_whitespace().take(5).collect();
            if !matches!(next.first(), Some(&("the" | "our" | "another" | "their" | "other"))) {
                continue;
            }
            let unit = next.iter().position(|w| matches!(*w, "team" | "teams" | "department" | "squad" | "squads"));
            let verb = unit.and_then(|u| next.get(u + 1)).map(|v| v.trim_end_matches([',', '.', ')', ';']));
            if verb.is_some_and(|v| {
                matches!(
                    v,
                    "own"
                        | "owns"
                        | "maintain"
                        | "maintains"
                        | "run"
                        | "runs"
                        | "manage"
                        | "manages"
                        | "handle"
                        | "handles"
                )
            }) {
                return true;
            }
        }
        false
    })
}

/// "Our corporate systems run on SAP" (the employer's back office), "most services are written
/// in C# or TypeScript" (what the employer's code is, said of the code, not of the candidate).
fn employers_systems(lower: &str) -> bool {
    let back_office = ["corporate", "legacy", "back-office", "back office", "internal", "internally"]
        .iter()
        .any(|w| has_phrase(lower, w))
        && ["runs on", "run on", "is on", "are on", "is running on", "are running on"]
            .iter()
            .any(|w| has_phrase(lower, w));
    back_office
        || [
            "is written in",
            "are written in",
            "is built in",
            "are built in",
            "is built with",
            "are built with",
            "is developed in",
            "are developed in",
            "is implemented in",
            "are implemented in",
            "the product is",
            "our product is",
        ]
        .iter()
        .any(|w| has_phrase(lower, w))
}

/// What the words right before a mention say of it: `None` for a person's title ("Reporting
/// to the Platform Engineering Lead"), else whether they deny it ("no Java", "without any
/// Kafka", "no previous logistics experience", "moved off FreeRTOS last year").
fn denied_before(before: &str) -> Option<bool> {
    let recent: Vec<&str> =
        before.rsplit([',', ';', '(']).next().unwrap_or(before).split_whitespace().rev().take(6).collect();
    if recent
        .windows(2)
        .any(|w| w.first() == Some(&"to") && matches!(w.get(1), Some(&("reporting" | "reports" | "report"))))
    {
        return None;
    }
    // "We not require Scala, all code is in Python": non-native English denies what follows it,
    // up to the next comma.
    let segment = before.rsplit([',', ';', '(']).next().unwrap_or(before);
    let non_native = ["not require", "not need"].iter().any(|n| has_phrase(segment, n));
    let two_back = matches!(recent.get(1), Some(&("no" | "without")))
        && recent.first().is_some_and(|w| w.chars().all(char::is_alphabetic) && !matches!(*w, "and" | "or"));
    Some(
        before.ends_with(" no")
            || before == "no"
            || before.ends_with("without")
            || two_back
            || non_native
            || LEFT_BEHIND.iter().any(|d| before.ends_with(d)),
    )
}

/// Spoken languages of the taxonomy, by name.
const SPOKEN_LANGUAGES: &[&str] = &[
    "English",
    "German",
    "French",
    "Spanish",
    "Dutch",
    "Polish",
    "Swedish",
    "Norwegian",
    "Danish",
    "Italian",
    "Portuguese",
    "Finnish",
    "Czech",
    "Japanese",
    "Chinese",
    "Mandarin",
    "Arabic",
];
/// What data in a language is ("legal text", "support tickets"): the language of the data.
const DATA_NOUNS: &[&str] =
    &["text", "texts", "documents", "corpora", "corpus", "content", "queries", "transcripts", "speech", "tickets"];

/// Everyday office and collaboration tools: named as what the employer uses, no requirement.
const OFFICE_TOOLS: &[&str] = &[
    "Jira",
    "Confluence",
    "Slack",
    "Microsoft Office",
    "Google Workspace",
    "Notion",
    "Zoom",
    "Microsoft Teams",
    "Trello",
    "Asana",
    "Miro",
];
const EMPLOYER_USES: &[&str] = &["we use", "we're using", "we are using", "we work in", "we work with", "we live in"];

/// Words before a mention of what the employer is moving away from, with the words after it
/// (`before` ends at the mention, `after` starts there): "moving our last services from EC2 to
/// EKS", "move the last Informatica jobs to dbt", "retire the old Oracle warehouse", "(old
/// Angular app → Next.js)". Moving data between systems ("move data from Kafka to S3") is not
/// leaving them.
fn left_for_another(before: &str, after: &str) -> bool {
    const FILLER: &[&str] = &[
        "the",
        "our",
        "old",
        "last",
        "legacy",
        "remaining",
        "existing",
        "current",
        "a",
        "an",
        "few",
        "all",
        "its",
        "their",
        "of",
        "those",
        "these",
    ];
    const MOVES: &[&str] = &[
        "move",
        "moving",
        "moved",
        "migrate",
        "migrating",
        "migration",
        "port",
        "porting",
        "switch",
        "switching",
        "transition",
        "transitioning",
    ];
    const ENDS: &[&str] =
        &["retire", "retiring", "replace", "replacing", "sunset", "sunsetting", "decommission", "decommissioning"];
    const CARGO: &[&str] =
        &["data", "events", "records", "messages", "logs", "files", "metrics", "traffic", "payloads"];
    let recent: Vec<&str> =
        before.rsplit([',', ';', '(', ':']).next().unwrap_or(before).split_whitespace().rev().take(10).collect();
    let head = recent.iter().position(|w| !FILLER.contains(w));
    let head_word = head.and_then(|h| recent.get(h)).copied().unwrap_or_default();
    let after_words: Vec<&str> = after.split_whitespace().take(4).collect();
    let then_to = after_words.iter().take(3).any(|w| *w == "to");
    let arrow = after_words.iter().take(2).any(|w| matches!(*w, "→" | "->" | "=>"));
    let old = recent.iter().take(3).any(|w| matches!(*w, "old" | "legacy"));
    if ENDS.contains(&head_word) || (arrow && old) {
        return true;
    }
    if MOVES.contains(&head_word) && then_to {
        return true;
    }
    head_word == "from"
        && then_to
        && head.is_some_and(|h| {
            let between = recent.get(h + 1..).unwrap_or_default();
            let verb = between.iter().position(|w| MOVES.contains(w));
            verb.is_some_and(|v| !between.get(..v).unwrap_or_default().iter().any(|w| CARGO.contains(w)))
        })
}

/// "a B2B payments company": the text after a domain (`next`) is one more word, then a word for
/// a company.
fn business_of_a_company(next: &str) -> bool {
    let mut words = next.split_whitespace();
    let (Some(first), Some(second)) = (words.next(), words.next()) else { return false };
    first.chars().all(char::is_alphabetic)
        && matches!(
            second.trim_matches(|c: char| !c.is_alphanumeric()),
            "company" | "companies" | "business" | "startup" | "firm" | "scale-up" | "provider"
        )
}

/// "a squad with a product owner, a designer ...": a person by their title (`written`, lower
/// case, the text `before` it), not the practice; "experience as a product owner" is.
fn person_by_title(written: &str, before: &str) -> bool {
    let title_words: Vec<&str> = written.split_whitespace().collect();
    let before_words: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    matches!(
        title_words.as_slice(),
        [
            "product" | "scrum" | "project" | "programme" | "program" | "delivery" | "account" | "engineering",
            "owner" | "owners" | "manager" | "managers" | "master" | "masters"
        ]
    ) && before_words
        .first()
        .is_some_and(|w| matches!(*w, "a" | "an" | "the" | "our" | "your" | "their" | "with" | "and"))
        && !before_words.get(1).is_some_and(|w| matches!(*w, "as" | "be" | "been"))
}

/// `lower` with what is in parentheses blanked out.
fn without_asides(lower: &str) -> String {
    let mut depth = 0usize;
    lower
        .chars()
        .map(|c| match c {
            '(' => {
                depth += 1;
                ' '
            }
            ')' => {
                depth = depth.saturating_sub(1);
                ' '
            }
            _ if depth > 0 => ' ',
            _ => c,
        })
        .collect()
}

/// Whether a lower-case passage speaks to the candidate.
fn addresses_candidate(lower: &str) -> bool {
    ["you", "you'll", "you're", "your", "you've", "you'd"].iter().any(|w| has_phrase(lower, w))
}

/// One mention kept after the context checks, with what its clause says.
#[derive(Debug, Clone)]
struct Kept {
    source: usize,
    mention: Mention,
    importance: Importance,
    /// Whether the text said the importance (a cue or a section), rather than the default.
    stated: bool,
    group: Option<usize>,
    /// The list it was named in ("Java, Kotlin and Spring"): stated years hold for all of it.
    run: usize,
    level: Option<u8>,
    years: Option<u8>,
}

/// The reading of one description.
struct Reading<'a> {
    text: &'a str,
    title_lower: String,
    matchers: &'a [&'a SkillMatcher],
    all: Vec<(usize, Mention)>,
    next_mention: usize,
    kept: Vec<Kept>,
    groups: usize,
    runs: usize,
    total_years: Option<u8>,
    unproductive: Vec<Passage>,
    /// The mentions of the sentence read last.
    previous_found: Vec<(usize, Mention)>,
    /// Skills the text says are not needed ("no Java needed"): dropped wherever else named
    /// ("Android is handled by a separate team ..., so no Android work").
    negated: Vec<uuid::Uuid>,
    /// Whether the clause being read stated its importance (see `Kept::stated`).
    stated: bool,
    /// Where the denied mentions are: a denied mention is no preference named elsewhere.
    negated_at: Vec<usize>,
}

impl<'a> Reading<'a> {
    fn skill(&self, source: usize, mention: &Mention) -> Option<&KnownSkill> {
        self.matchers.get(source).and_then(|m| m.skills().get(mention.skill))
    }

    /// Mentions inside `start..end`, in order.
    fn mentions_in(&mut self, start: usize, end: usize) -> Vec<(usize, Mention)> {
        while self.all.get(self.next_mention).is_some_and(|(_, m)| m.start < start) {
            self.next_mention += 1;
        }
        let mut out = Vec::new();
        let mut at = self.next_mention;
        while let Some((source, mention)) = self.all.get(at) {
            if mention.start >= end {
                break;
            }
            if mention.end <= end {
                out.push((*source, *mention));
            }
            at += 1;
        }
        self.next_mention = at;
        out
    }

    /// A reading of `text` with nothing kept yet, over the mentions `all` found in it.
    fn new(text: &'a str, title: &str, matchers: &'a [&'a SkillMatcher], all: Vec<(usize, Mention)>) -> Self {
        Reading {
            text,
            title_lower: title.to_ascii_lowercase(),
            matchers,
            all,
            next_mention: 0,
            kept: Vec::new(),
            groups: 0,
            runs: 0,
            total_years: None,
            unproductive: Vec::new(),
            previous_found: Vec::new(),
            negated: Vec::new(),
            stated: true,
            negated_at: Vec::new(),
        }
    }

    fn unrelated_team(&self, lower: &str) -> bool {
        let addressed = addresses_candidate(lower);
        let elsewhere = names_another_unit(lower);
        let by_a_team = done_by_others(lower);
        // "Rust (our tokeniser service is written in it)": an aside saying where the employer uses
        // a skill does not make the clause the employer's.
        let plain = without_asides(lower);
        if !addressed && (elsewhere || by_a_team || employers_systems(&plain) || owned_by_a_team(lower)) {
            return true;
        }
        // "the backend is Java", "their web team is on Angular": a part of the product the role
        // does not cover.
        for part in PRODUCT_PARTS.iter().filter(|d| !self.title_lower.contains(*d)) {
            let mut from = 0;
            while let Some(at) = find_phrase(lower, part, from) {
                from = at + part.len();
                let previous = lower.get(..at).unwrap_or_default().split_whitespace().next_back().unwrap_or_default();
                let after = lower.get(at + part.len()..).unwrap_or_default().trim_start();
                if matches!(previous, "the" | "our" | "their")
                    && ["is ", "are ", "runs ", "run "].iter().any(|v| after.starts_with(v))
                {
                    return true;
                }
            }
        }
        // "our analysts work in Snowflake": people whose job the role is not.
        for people in OTHER_PROFESSIONS {
            if let Some(at) = find_phrase(lower, people, 0) {
                let previous = lower.get(..at).unwrap_or_default().split_whitespace().next_back().unwrap_or_default();
                let after = lower.get(at + people.len()..).unwrap_or_default().trim_start();
                let noun = people.trim_end_matches('s');
                if matches!(previous, "our" | "the" | "their" | "other")
                    && !self.title_lower.contains(noun)
                    && TEAM_VERBS.iter().any(|verb| after.starts_with(verb))
                {
                    return true;
                }
            }
        }
        for team in [
            "team ",
            "teams ",
            "developers ",
            "engineers ",
            "colleagues ",
            "designers ",
            "apps ",
            "app ",
            "studio ",
            "squad ",
        ] {
            let mut from = 0;
            while let Some(at) = find_phrase(lower, team.trim_end(), from) {
                from = at + team.len();
                let before: Vec<&str> = lower.get(..at).unwrap_or_default().split_whitespace().rev().take(3).collect();
                let after = lower.get(at + team.len() - 1..).unwrap_or_default().trim_start_matches([' ', ',']);
                let after = TEAM_ADVERBS.iter().find_map(|a| after.strip_prefix(a)).unwrap_or(after);
                // "works mostly in Python": the adverb after the verb too.
                let verb_then_adverb = after.split_once(' ').and_then(|(verb, rest)| {
                    TEAM_ADVERBS.iter().find_map(|a| rest.strip_prefix(a)).map(|rest| format!("{verb} {rest}"))
                });
                let after = verb_then_adverb.as_deref().unwrap_or(after);
                let Some(discipline) = before.first() else { continue };
                // "product teams write the Java services": plural teams of a discipline are
                // someone else's even without "our".
                let owned = team == "teams "
                    || before
                        .iter()
                        .skip(1)
                        .any(|w| matches!(*w, "our" | "the" | "other" | "another" | "separate" | "sister" | "their"));
                let uses = TEAM_VERBS.iter().any(|verb| after.starts_with(verb))
                    || after.starts_with('(') && TEAM_VERBS.iter().any(|verb| after.contains(verb));
                // "Our monitoring team uses Zabbix": any unit but the one the role joins.
                let unit = DISCIPLINES.contains(discipline)
                    || discipline.len() >= 3
                        && discipline.chars().all(|c| c.is_ascii_alphabetic())
                        && !GENERIC_UNITS.contains(discipline);
                if owned && uses && unit && !self.title_lower.contains(discipline) {
                    return true;
                }
            }
        }
        false
    }

    /// Reads one sentence at `start..end` under `context`.
    fn sentence(&mut self, start: usize, end: usize, context: Context, bullet: bool) {
        let found = self.mentions_in(start, end);
        let previous = std::mem::replace(&mut self.previous_found, found.clone());
        let Some(sentence) = self.text.get(start..end) else { return };
        let lower = sentence.to_ascii_lowercase();
        if found.is_empty() && takes_back_previous(&lower) {
            self.negate(&previous);
            return;
        }
        if context == Context::Skip || BOILERPLATE.iter().any(|b| has_phrase(&lower, b)) {
            return;
        }
        if COMPANY_STORY.iter().any(|c| has_phrase(&lower, c)) && !addresses_candidate(&lower) {
            return;
        }
        let sentence_nice = NEGATION_BUT.iter().any(|n| lower.contains(n));
        let parts = clauses(&lower);
        let cues: Vec<Option<Importance>> =
            parts.iter().map(|(s, e)| cue_of(lower.get(*s..*e).unwrap_or_default())).collect();
        let mut produced = false;
        let sentence_first_kept = self.kept.len();
        let mut clause_first_kept = sentence_first_kept;
        let section_softer = matches!(context, Context::Importance(Importance::Preferred | Importance::NiceToHave));
        // "It helps if you know X, but it's not a must", or "Dutch — not required, ..." under
        // "Nice to have": an optional extra, not a denial.
        let softened =
            section_softer || cues.iter().any(|c| matches!(c, Some(Importance::Preferred | Importance::NiceToHave)));
        let Some(denied_parts) = self.denied_clauses(&lower, start, &parts, &cues, &found, (sentence_nice, softened))
        else {
            return;
        };
        for (index, (clause_start, clause_end)) in parts.iter().copied().enumerate() {
            if denied_parts.contains(&index) {
                continue;
            }
            let clause = lower.get(clause_start..clause_end).unwrap_or_default();
            let absolute = |at: usize| start + at;
            let in_clause: Vec<(usize, Mention)> = found
                .iter()
                .copied()
                .filter(|(_, m)| m.start >= absolute(clause_start) && m.end <= absolute(clause_end))
                .collect();
            // "HubSpot (you'll never need to log in there)": an aside denies what it follows.
            let (clause_open, denied) = Self::denied_by_aside(clause, start + clause_start, &in_clause);
            self.negate(&denied);
            let in_clause: Vec<(usize, Mention)> = in_clause.into_iter().filter(|m| !denied.contains(m)).collect();
            let negative = !sentence_nice && NEGATIONS.iter().chain(DEPRECATIONS).any(|n| has_phrase(&clause_open, n));
            if negative {
                self.negate(&in_clause);
                continue;
            }
            if self.said_of_others(clause, &lower, &parts, index) {
                continue;
            }
            let weak_required = |cue: &Option<Importance>, (s, e): &(usize, usize)| {
                *cue == Some(Importance::Required)
                    && section_softer
                    && !STRONG_REQUIRED_CUES.iter().any(|c| has_phrase(lower.get(*s..*e).unwrap_or_default(), c))
            };
            let cues: Vec<Option<Importance>> =
                cues.iter().zip(&parts).map(|(cue, part)| if weak_required(cue, part) { None } else { *cue }).collect();
            let importance = if sentence_nice {
                Some(Importance::NiceToHave)
            } else {
                cues.get(index)
                    .copied()
                    .flatten()
                    .or_else(|| cues.iter().take(index).rev().copied().flatten().next())
                    // After a bare comma ("Good English, German is a plus") the next clause's
                    // cue is its own.
                    .or_else(|| {
                        // Nor after a semicolon or a dash ("Very good C; C++ is an advantage").
                        let rest = lower.get(clause_end..).unwrap_or_default();
                        let comma_cut = rest.starts_with(", ") && !rest.starts_with(", and");
                        let apart = [";", " - ", " – ", " — ", ": "].iter().any(|cut| rest.starts_with(cut));
                        if comma_cut || apart { None } else { cues.iter().skip(index + 1).copied().flatten().next() }
                    })
                    .or(match context {
                        Context::Importance(importance) => Some(importance),
                        _ => None,
                    })
            };
            // Nothing said how much it matters: required by default, and any importance stated
            // for the same skill elsewhere overrides it ("Our Android and iOS apps used to be two
            // codebases" in the story, "Swift ... for the iOS shell" under "Nice to have").
            // A duty in a list counts as said; prose that only describes (the product, the team)
            // does not.
            self.stated = importance.is_some() || bullet || addresses_candidate(&lower);
            let importance = importance.unwrap_or(Importance::Required);
            let in_clause = self.affirmed(in_clause, &lower, start);
            let first_kept = self.kept.len();
            self.runs(&in_clause, &lower, start, clause_start, importance);
            // "Terraform – two or more years", "C++ – we're thinking 5+ years": years after a
            // dash that name nothing are the clause's before.
            let after_dash = [" - ", " – ", " — "]
                .iter()
                .any(|d| lower.get(..clause_start).is_some_and(|b| b.ends_with(d) || b.ends_with(d.trim_end())));
            let years_from = if in_clause.is_empty() && after_dash { clause_first_kept } else { first_kept };
            clause_first_kept = first_kept;
            produced |= self.clause_years(clause, start + clause_start, years_from, bullet, context);
            produced |= self.kept.len() > first_kept;
        }
        self.join_equivalents(sentence_first_kept, end);
        let requirement_like =
            bullet || matches!(context, Context::Importance(_)) || REQUIREMENT_WORDS.iter().any(|w| lower.contains(w));
        if !produced && requirement_like && found.is_empty() && self.unproductive.len() < MAX_UNPRODUCTIVE {
            self.unproductive.push(Passage { text: sentence.to_owned(), start, end });
        }
    }

    /// Whether clause `index` of a sentence (`lower`, cut into `parts`) is about someone else:
    /// the team's backgrounds ("plenty of us came from e-commerce or logistics"), another team's
    /// or the employer's systems, unless a later clause takes them up ("Our services are written
    /// in Kotlin or Java ..., and you should be comfortable in at least one of the two").
    fn said_of_others(&self, clause: &str, lower: &str, parts: &[(usize, usize)], index: usize) -> bool {
        if ["of us came from", "of us come from", "of us started in", "of us started out in"]
            .iter()
            .any(|w| has_phrase(clause, w))
        {
            return true;
        }
        let taken_up = parts.iter().skip(index + 1).any(|(s, e)| {
            let later = lower.get(*s..*e).unwrap_or_default();
            addresses_candidate(later) && TAKEN_UP.iter().any(|w| has_phrase(later, w))
        });
        !taken_up && self.unrelated_team(clause)
    }

    /// The clauses a later clause denies ("..., but nobody expects you to write it": the nearest
    /// clause before it that names something), their mentions negated; `None` when the denial
    /// has nothing before it and holds for the whole sentence (its mentions negated). With
    /// `sentence_nice` the sentence is a nice-to-have as a whole; `softened`, a cue of the
    /// sentence or its section makes a denial that only says "optional" a preference.
    fn denied_clauses(
        &mut self,
        lower: &str,
        start: usize,
        parts: &[(usize, usize)],
        cues: &[Option<Importance>],
        found: &[(usize, Mention)],
        (sentence_nice, softened): (bool, bool),
    ) -> Option<Vec<usize>> {
        let in_part = |(s, e): (usize, usize)| -> Vec<(usize, Mention)> {
            found.iter().copied().filter(|(_, m)| m.start >= start + s && m.end <= start + e).collect()
        };
        let mut denied_parts: Vec<usize> = Vec::new();
        for (index, part) in parts.iter().copied().enumerate() {
            let clause = lower.get(part.0..part.1).unwrap_or_default();
            // "What they don't need: quota-carrying sales experience or CRM admin skills": a
            // denying topic before a colon denies what follows it, up to a clause with a cue of
            // its own.
            if !sentence_nice
                && in_part(part).is_empty()
                && lower.get(part.1..).is_some_and(|rest| rest.starts_with(": "))
                && NEGATIONS.iter().any(|n| has_phrase(clause, n))
            {
                for (later, p) in parts.iter().copied().enumerate().skip(index + 1) {
                    if cues.get(later).copied().flatten().is_some() {
                        break;
                    }
                    denied_parts.push(later);
                    self.negate(&in_part(p));
                }
                continue;
            }
            let denial = NEGATIONS
                .iter()
                .chain(["won't need", "will not need", "don't need to know", "nobody expects", "no one expects"].iter())
                .chain(DEPRECATIONS)
                .find(|n| clause.contains(*n));
            let soft = denial.is_some_and(|n| SOFT_NEGATIONS.contains(n)) && softened;
            if sentence_nice
                || soft
                || denial.is_none()
                || !in_part(part).is_empty()
                || !(BACK_REFERENCES.iter().any(|r| has_phrase(clause, r))
                    // "(they work in Power BI – you don't need to)": the object left out.
                    || clause.trim_end_matches(|c: char| !c.is_alphanumeric()).ends_with(" to"))
            {
                continue;
            }
            let Some(before) = (0..index).rev().find(|i| parts.get(*i).is_some_and(|p| !in_part(*p).is_empty())) else {
                self.negate(found);
                return None;
            };
            // "Design data models ... (they work in Power BI – you don't need to)": a denial
            // inside a parenthesis takes only what the parenthesis names.
            let left = lower.get(..part.0).unwrap_or_default();
            if left.matches('(').count() > left.matches(')').count()
                && let Some(open) = left.rfind('(')
            {
                let inside: Vec<(usize, Mention)> = parts
                    .get(before)
                    .map(|p| in_part(*p).into_iter().filter(|(_, m)| m.start >= start + open).collect())
                    .unwrap_or_default();
                if !inside.is_empty() {
                    self.negate(&inside);
                    continue;
                }
            }
            denied_parts.push(before);
            if let Some(p) = parts.get(before) {
                self.negate(&in_part(*p));
            }
            // "The web dashboard is React + TypeScript and the mobile apps are Flutter; both are
            // owned by the Client team, and you won't need to touch them": a plural
            // back-reference takes every earlier clause that names something without a cue.
            if ["both", "them", "those", "these", "either"].iter().any(|r| has_phrase(clause, r)) {
                for earlier in (0..before).filter(|i| cues.get(*i).copied().flatten().is_none()) {
                    if let Some(p) = parts.get(earlier).copied()
                        && !in_part(p).is_empty()
                    {
                        denied_parts.push(earlier);
                        self.negate(&in_part(p));
                    }
                }
            }
        }
        Some(denied_parts)
    }

    /// The clause without its denying asides, and the mentions those deny: a parenthesis that
    /// names nothing and says it is not needed ("(you'll never need to log in there)") denies
    /// the mentions right before it, back to a comma or the clause's start.
    fn denied_by_aside(
        clause: &str,
        clause_at: usize,
        in_clause: &[(usize, Mention)],
    ) -> (String, Vec<(usize, Mention)>) {
        let mut open_clause = clause.to_owned();
        let mut denied = Vec::new();
        let mut from = 0;
        while let Some(open) = clause.get(from..).and_then(|rest| rest.find('(')).map(|at| from + at) {
            let Some(close) = clause.get(open..).and_then(|rest| rest.find(')')).map(|at| open + at) else { break };
            from = close + 1;
            let inside = clause.get(open..=close).unwrap_or_default();
            let names = in_clause.iter().any(|(_, m)| m.start >= clause_at + open && m.end <= clause_at + close);
            if names || !NEGATIONS.iter().any(|n| has_phrase(inside, n)) {
                continue;
            }
            let back_to = clause.get(..open).and_then(|before| before.rfind([',', ';', '('])).map_or(0, |at| at + 1);
            denied.extend(
                in_clause.iter().filter(|(_, m)| m.start >= clause_at + back_to && m.end <= clause_at + open).copied(),
            );
            open_clause.replace_range(open..=close, &" ".repeat(close + 1 - open));
        }
        (open_clause, denied)
    }

    /// "Terraform preferred, CloudFormation acceptable", "we use Looker, but Tableau or Power BI
    /// is just as good": a list said to do as well as the one before it in the sentence joins
    /// that one's alternatives group.
    fn join_equivalents(&mut self, first_kept: usize, sentence_end: usize) {
        let mut index = first_kept;
        let mut previous_run: Option<usize> = None;
        while index < self.kept.len() {
            let run = self.kept.get(index).map_or(0, |k| k.run);
            let run_end = (index..self.kept.len()).find(|i| self.kept.get(*i).is_none_or(|k| k.run != run));
            let run_end = run_end.unwrap_or(self.kept.len());
            let last_end = self.kept.get(run_end - 1).map_or(0, |k| k.mention.end);
            let until = self.kept.get(run_end).map_or(sentence_end, |k| k.mention.start).min(sentence_end);
            let after = self.text.get(last_end..until.max(last_end)).unwrap_or_default().to_ascii_lowercase();
            let after = after.split([',', ';', '.', ')']).next().unwrap_or_default();
            // "they use Flux today but are open to Argo CD": said before the list.
            let lead_from =
                previous_run.and_then(|p| (p..index).filter_map(|i| self.kept.get(i)).map(|k| k.mention.end).max());
            let lead = lead_from
                .and_then(|from| self.kept.get(index).and_then(|k| self.text.get(from..k.mention.start)))
                .unwrap_or_default()
                .to_ascii_lowercase();
            let open_to = ["open to", "also accept", "also consider", "would also consider"]
                .iter()
                .any(|cue| lead.trim_end().ends_with(cue));
            // "(they run OpenShift, so that's a bonus, but vanilla k8s is fine)" after "Kubernetes":
            // a list that names again what the sentence named before is no alternative.
            let skill_of = |k: &Kept| self.skill(k.source, &k.mention).map(|s| s.id);
            let restates = self.kept.get(index..run_end).unwrap_or_default().iter().any(|k| {
                self.kept.get(first_kept..index).unwrap_or_default().iter().any(|e| skill_of(e) == skill_of(k))
            });
            // "State management with Riverpod, Bloc or Provider – any of them is fine": the list
            // gives examples of what comes before it, which stays apart.
            let examples_of_previous = matches!(lead.trim(), "with" | "using" | "via" | "such as" | "like");
            if let Some(previous_start) = previous_run
                && !restates
                && !examples_of_previous
                && (EQUIVALENTS.iter().any(|cue| has_phrase(after, cue)) || open_to)
            {
                let existing = self.kept.get(previous_start..run_end).and_then(|ks| ks.iter().find_map(|k| k.group));
                let group = existing.unwrap_or_else(|| {
                    self.groups += 1;
                    self.groups
                });
                let joined: Vec<Option<usize>> = self
                    .kept
                    .get(previous_start..run_end)
                    .map(|ks| ks.iter().map(|k| k.group).collect())
                    .unwrap_or_default();
                for kept in &mut self.kept {
                    let member = kept.group.is_some() && joined.contains(&kept.group);
                    if member {
                        kept.group = Some(group);
                    }
                }
                for kept in self.kept.get_mut(previous_start..run_end).unwrap_or_default() {
                    kept.group = Some(group);
                }
            }
            // "bookkeeping or payment schemes such as SEPA, SWIFT or card networks": examples of
            // an alternative join its group.
            let examples_of = index.checked_sub(1).and_then(|last| {
                let previous = self.kept.get(last)?;
                let group = previous.group?;
                let first = self.kept.get(index)?;
                let gap = self.text.get(previous.mention.end..first.mention.start)?.trim().to_ascii_lowercase();
                matches!(gap.as_str(), "such as" | "like" | "e.g." | "(e.g." | "for example" | "(for example")
                    .then_some(group)
            });
            if let Some(group) = examples_of.filter(|_| previous_run.is_some()) {
                let joined: Vec<usize> = self
                    .kept
                    .get(index..run_end)
                    .map(|ks| ks.iter().filter_map(|k| k.group).collect())
                    .unwrap_or_default();
                for kept in &mut self.kept {
                    if kept.group.is_some_and(|g| joined.contains(&g)) {
                        kept.group = Some(group);
                    }
                }
                for kept in self.kept.get_mut(index..run_end).unwrap_or_default() {
                    kept.group = Some(group);
                }
            }
            previous_run = Some(index);
            index = run_end;
        }
    }

    fn negate(&mut self, mentions: &[(usize, Mention)]) {
        let ids: Vec<uuid::Uuid> =
            mentions.iter().filter_map(|(source, m)| self.skill(*source, m)).map(|s| s.id).collect();
        self.negated.extend(ids);
        self.negated_at.extend(mentions.iter().map(|(_, m)| m.start));
    }

    /// "our iOS developers", "the threat intelligence folks", "our 14 data scientists", "the ML
    /// team": people or a unit named by a skill, not a requirement (unless the role is that:
    /// "join our Android developers" in an Android ad). `lower` is the sentence at `start`.
    fn names_people(&self, source: usize, m: &Mention, lower: &str, start: usize, next_word: &str) -> bool {
        let determiner =
            lower.get(..m.start - start).unwrap_or_default().split_whitespace().rev().take(2).enumerate().any(
                |(back, w)| {
                    matches!(w, "our" | "the" | "their" | "other" | "its")
                        || back == 0 && (w.chars().all(|c| c.is_ascii_digit()) || number_word(w).is_some_and(|n| n > 1))
                },
            );
        let written = lower.get(m.start - start..m.end - start).unwrap_or_default();
        // "help data scientists package their work": the spelling itself names people. Not
        // "managing engineers", "leading teams": a soft skill's doing.
        let soft = self.skill(source, m).is_some_and(|s| s.category == SkillCategory::SoftSkill);
        let doing = written.split(' ').next().is_some_and(|w| w.ends_with("ing") || w.ends_with("ed"));
        let names_people = !soft
            && !doing
            && written
                .rsplit(' ')
                .next()
                .is_some_and(|last| last.len() > 1 && last.ends_with('s') && PEOPLE_NOUNS.contains(&last));
        // "the Payments Core team": a unit's name.
        let mut after = self.text.get(m.end..).unwrap_or_default().split_whitespace();
        let named_unit = after.next().is_some_and(|w| w.starts_with(char::is_uppercase))
            && after.next().is_some_and(|w| {
                matches!(
                    w.trim_matches(|c: char| !c.is_alphanumeric()),
                    "team" | "squad" | "tribe" | "chapter" | "department"
                )
            });
        // "(2 iOS, 2 Android, 1 backend)": a headcount.
        let counted = lower
            .get(..m.start - start)
            .unwrap_or_default()
            .split_whitespace()
            .next_back()
            .map(|w| w.trim_start_matches('('))
            .is_some_and(|w| !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()))
            && (next_word.starts_with(',') || next_word.starts_with(')'));
        (names_people
            || counted
            || determiner
                && (named_unit || PEOPLE_NOUNS.contains(&next_word.trim_matches(|c: char| !c.is_alphanumeric()))))
            && !self.title_lower.contains(written.trim_end_matches('s'))
    }

    /// "models for Dutch, German and English legal text": a spoken language (the mention `m`,
    /// the text after it `next`) naming what the data is written in, not what the candidate
    /// speaks.
    fn language_of_the_data(&self, source: usize, m: &Mention, next: &str) -> bool {
        let spoken = |word: &str| SPOKEN_LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(word));
        if !self.skill(source, m).is_some_and(|s| spoken(&s.name)) {
            return false;
        }
        let mut unknown = 0;
        for word in next.split_whitespace().take(8) {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if DATA_NOUNS.contains(&word) {
                return true;
            }
            if !(word.is_empty() || matches!(word, "and" | "or") || spoken(word)) {
                unknown += 1;
                if unknown > 2 {
                    return false;
                }
            }
        }
        false
    }

    /// A table row's years for what the row named (kept from `first_kept` on).
    fn row_years(&mut self, first_kept: usize, years: u8) {
        for kept in self.kept.iter_mut().skip(first_kept) {
            kept.years = Some(kept.years.map_or(years, |y| y.max(years)));
        }
    }

    /// The domains kept from `first_kept` on that the text names from `from` on become
    /// preferences: the team's field after the title on the first line ("Site Reliability
    /// Engineer – Payments Infrastructure").
    fn prefer_domains_after(&mut self, first_kept: usize, from: usize) {
        for index in first_kept..self.kept.len() {
            let domain = self.kept.get(index).is_some_and(|k| {
                k.mention.start >= from
                    && self.skill(k.source, &k.mention).is_some_and(|s| s.category == SkillCategory::Domain)
            });
            if domain && let Some(kept) = self.kept.get_mut(index) {
                kept.importance = Importance::Preferred;
            }
        }
    }

    /// Whether the sentence at `start` opens with a name and what it does for a living
    /// ("Redmoor makes ...", "Tallybrook builds ...").
    fn names_the_employers_business(&self, start: usize) -> bool {
        let mut words = self.text.get(start..).unwrap_or_default().split_whitespace();
        let (Some(name), Some(verb)) = (words.next(), words.next()) else { return false };
        name.chars().next().is_some_and(char::is_uppercase)
            && !matches!(name, "We" | "You" | "Our" | "Your" | "The" | "This" | "It" | "They")
            && matches!(verb, "makes" | "builds" | "develops" | "designs" | "operates" | "runs" | "sells" | "creates")
    }

    /// "We use Jira and Confluence for our day-to-day": the employer's office tools.
    fn office_tool_in_use(&self, source: usize, m: &Mention, lower: &str) -> bool {
        self.skill(source, m).is_some_and(|s| OFFICE_TOOLS.contains(&s.name.as_str()))
            && EMPLOYER_USES.iter().any(|w| has_phrase(lower, w))
            && !addresses_candidate(lower)
    }

    /// The mentions of a clause that stand: not right after "no" or "without", not an
    /// employer's or client's line of business ("a retail client").
    fn affirmed(&mut self, in_clause: Vec<(usize, Mention)>, lower: &str, start: usize) -> Vec<(usize, Mention)> {
        let mut negated = Vec::new();
        let kept = in_clause
            .into_iter()
            .filter(|(source, m)| {
                // "a retail client", "a fintech startup": the employer's or client's line of
                // business, not a requirement.
                let next = lower.get(m.end - start..).unwrap_or_default();
                let next_word = next.split_whitespace().next().unwrap_or_default();
                let domain = self.skill(*source, m).is_some_and(|s| s.category == SkillCategory::Domain);
                // "our payments API", "our core insurance systems": the employer's business.
                let owner = lower
                    .get(..m.start - start)
                    .unwrap_or_default()
                    .split_whitespace()
                    .rev()
                    .take(2)
                    .any(|w| w == "our");
                if domain && owner {
                    return false;
                }
                // "Redmoor makes competitive online games": what the employer, by name, does; "a
                // B2B payments company": the line of business, a word further on.
                if domain && (self.names_the_employers_business(start) || business_of_a_company(next)) {
                    return false;
                }
                let soft = self.skill(*source, m).is_some_and(|s| s.category == SkillCategory::SoftSkill);
                if self.language_of_the_data(*source, m, next) || self.names_people(*source, m, lower, start, next_word)
                {
                    return false;
                }
                let written = lower.get(m.start - start..m.end - start).unwrap_or_default();
                if person_by_title(written, lower.get(..m.start - start).unwrap_or_default()) {
                    return false;
                }
                if domain
                    && matches!(
                        next_word.trim_matches(|c: char| !c.is_alphanumeric()),
                        "client"
                            | "clients"
                            | "company"
                            | "companies"
                            | "business"
                            | "customer"
                            | "customers"
                            | "startup"
                            | "firm"
                            | "group"
                            | "brand"
                            | "retailer"
                            | "provider"
                            | "scale-up"
                            | "platform"
                            | "platforms"
                            | "manufacturer"
                            | "manufacturers"
                            | "studio"
                            | "studios"
                            | "app"
                            | "apps"
                    )
                {
                    return false;
                }
                let before = lower.get(..m.start - start).unwrap_or_default().trim_end();
                // "protecting 140 organisations across healthcare, retail and the public sector":
                // the customers' lines of business, not the candidate's.
                if domain && CUSTOMERS_ACROSS.iter().any(|p| has_phrase(before, p)) && !has_phrase(before, "experience")
                {
                    return false;
                }
                // "people who don't love spreadsheets": someone's dislike, not a requirement.
                if ["don't love", "don't like", "do not like", "hate", "dislike", "dislikes", "hates"]
                    .iter()
                    .any(|d| before.ends_with(d))
                {
                    return false;
                }
                // "communication services", "a leadership dashboard": a soft skill's word naming
                // a thing.
                if soft && SOFT_WORD_THINGS.contains(&next_word.trim_matches(|c: char| !c.is_alphanumeric())) {
                    return false;
                }
                // "our Flink-based Stream SQL": the employer's product.
                if (next.starts_with("-based") || next.starts_with(" based"))
                    && before.split_whitespace().next_back() == Some("our")
                {
                    return false;
                }
                if left_for_another(before, next) || self.office_tool_in_use(*source, m, lower) {
                    return false;
                }
                // "Reporting to the Platform Engineering Lead": a person's title.
                let Some(denied) = denied_before(before) else { return false };
                if denied && let Some(skill) = self.skill(*source, m) {
                    negated.push(skill.id);
                }
                !denied
            })
            .collect();
        self.negated.extend(negated);
        kept
    }

    /// Years in a clause (at `clause_at` in the text): attached forward ("3+ years of Go") or
    /// backward ("Go (3+ years)") to the mentions kept from `first_kept` on, or the role's
    /// total. Whether it produced a total.
    fn clause_years(
        &mut self,
        clause: &str,
        clause_at: usize,
        first_kept: usize,
        bullet: bool,
        context: Context,
    ) -> bool {
        let mut produced = false;
        let phrases = years_phrases(clause);
        let first_part = phrases.iter().find(|p| p.part).map(|p| p.start);
        for phrase in phrases {
            // "during the next two years", "within your first year": a time frame.
            let before = clause.get(..phrase.start).unwrap_or_default();
            let last_word = before.split_whitespace().next_back().unwrap_or_default();
            if matches!(last_word, "next" | "during" | "within" | "first" | "coming" | "past" | "last" | "over") {
                continue;
            }
            let phrase_end = clause_at + phrase.end;
            let phrase_start = clause_at + phrase.start;
            let forward = self.kept.iter().enumerate().skip(first_kept).find(|(_, k)| {
                k.mention.start >= phrase_end
                    && self.text.get(phrase_end..k.mention.start).is_some_and(|gap| {
                        gap.to_ascii_lowercase()
                            .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
                            .filter(|w| !w.is_empty())
                            .all(|w| YEARS_FILLER.contains(&w))
                    })
            });
            let backward = self.kept.iter().enumerate().skip(first_kept).rev().find(|(_, k)| {
                k.mention.end <= phrase_start
                    && self.text.get(k.mention.end..phrase_start).is_some_and(years_after_mention)
            });
            // Years followed by a part of them are the total ("5+ years, of which 2 in AppSec").
            let whole = !phrase.part && first_part.is_some_and(|part| part > phrase.start);
            let candidate = forward.or(backward).map(|(i, _)| i);
            let attached = if whole { None } else { candidate };
            // Years "in" a domain ("in data engineering") or "in a ... role" are the role's
            // total; a domain named that way is the field of the role, not a requirement.
            let field = candidate.and_then(|i| self.kept.get(i)).map(|k| {
                let gap = self.text.get(phrase_end..k.mention.start).unwrap_or_default().to_ascii_lowercase();
                let followed_by_experience = self
                    .text
                    .get(k.mention.end..)
                    .unwrap_or_default()
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("experience");
                let gap_words: Vec<&str> = gap.split_whitespace().collect();
                let by_as = gap_words.contains(&"as");
                // "5+ years of data engineering": years of a field, like "in" it.
                let by_in = gap_words.iter().any(|w| matches!(*w, "in" | "within"))
                    || gap_words == ["of"]
                    || followed_by_experience;
                let next = self.text.get(k.mention.end..).unwrap_or_default().to_ascii_lowercase();
                let next_word = next.split_whitespace().next().unwrap_or_default();
                let role = matches!(
                    next_word.trim_matches(|c: char| !c.is_alphanumeric()),
                    "role" | "roles" | "position" | "capacity" | "environment" | "center" | "centre" | "setting"
                );
                // "2+ years in technical support, support engineering or a developer-facing role".
                let in_a_role = by_in
                    && ["role", "roles", "position", "capacity"]
                        .iter()
                        .any(|w| has_phrase(clause.get(phrase.end..).unwrap_or_default(), w));
                // "in embedded Linux development", "in QA/test engineering": the skill names a
                // line of work, so the years are the total.
                let written = self.text.get(k.mention.start..k.mention.end).unwrap_or_default();
                let line_of_work =
                    gap_words.iter().any(|w| matches!(*w, "in" | "within")) && names_line_of_work(written, &next);
                let skill = self.skill(k.source, &k.mention);
                let domain = skill.is_some_and(|s| s.category == SkillCategory::Domain);
                // "seven years of experience as DBA": the line of work, so the total.
                // A part of stated years is that role's own ("3 of them as a technical lead").
                let by_as = by_as && !phrase.part;
                // Years attached to a field of work ("4 yrs+ commercial mobile dev") are the total.
                let practice_field = skill.is_some_and(|s| s.category != SkillCategory::Domain && is_field(s))
                    || (domain && work_in_domain(&gap_words, written, &next));
                match (
                    (by_in || by_as) && domain,
                    by_in && skill.is_some_and(is_field)
                        || practice_field
                        || role
                        || by_as
                        || in_a_role
                        || line_of_work,
                ) {
                    (true, _) => Field::Dropped,
                    (false, true) => Field::Kept,
                    (false, false) => Field::No,
                }
            });
            let field = field.unwrap_or(Field::No);
            match attached {
                // "of which 3+ years of native Android development": a part is that work's own.
                // "at least 3 of which in a healthcare setting": a part in a domain is its own.
                Some(i) if field == Field::No || phrase.part => {
                    self.attach_years(i, phrase.min);
                }
                // A part is never the total.
                _ if phrase.part => {}
                _ => {
                    let general = ["experience", "background", "track record", "professional", "working", "in "]
                        .iter()
                        .any(|w| clause.contains(w))
                        || bullet
                        || matches!(context, Context::Importance(_))
                        || clause.split_whitespace().count() <= 3
                        || of_a_discipline(clause.get(phrase.end..).unwrap_or_default());
                    if (general || field != Field::No) && !COMPANY_YEARS.iter().any(|w| has_phrase(clause, w)) {
                        self.total_years = Some(self.total_years.map_or(phrase.min, |t| t.max(phrase.min)));
                        produced = true;
                        if let Some(i) = candidate
                            && field == Field::Dropped
                        {
                            self.kept.remove(i);
                        }
                    }
                }
            }
        }
        produced
    }

    /// Years stated for the mention at `index` hold for its whole list ("3+ years of Go or Rust").
    fn attach_years(&mut self, index: usize, min: u8) {
        let Some(kept) = self.kept.get(index) else { return };
        let (group, run) = (kept.group, kept.run);
        for (i, other) in self.kept.iter_mut().enumerate() {
            if i == index || other.run == run || (group.is_some() && other.group == group) {
                other.years = Some(other.years.map_or(min, |y| y.max(min)));
            }
        }
    }

    /// The mentions of a clause as lists, each of indexes into `in_clause` in order: those
    /// outside parentheses, and those inside each parenthesis on their own ("Swift (SwiftUI/UIKit)
    /// or Kotlin": Swift or Kotlin, then SwiftUI/UIKit). A parenthesis that opens with "or"
    /// ("Kafka (or Pulsar, Kinesis)") continues the list around it.
    fn nested_lists(&self, in_clause: &[(usize, Mention)], from: usize) -> Vec<Vec<usize>> {
        // Open parentheses as (position, continues the list outside).
        let mut open: Vec<(usize, bool)> = Vec::new();
        let mut lists: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
        let mut scanned = from;
        for (index, (_, mention)) in in_clause.iter().enumerate() {
            let between = self.text.get(scanned..mention.start).unwrap_or_default();
            for (at, ch) in between.char_indices() {
                match ch {
                    '(' | '[' => {
                        let inside = between.get(at + 1..).unwrap_or_default().trim_start().to_ascii_lowercase();
                        // "Airflow or a similar orchestrator (Dagster, Prefect)": examples of the
                        // alternative, so one list with what is outside.
                        let lead = between.get(..at).unwrap_or_default().to_lowercase();
                        let similar = [" or ", " oder "]
                            .iter()
                            .filter_map(|w| lead.rfind(w))
                            .max()
                            .and_then(|i| lead.get(i + 1..))
                            .is_some_and(|tail| tail.split_whitespace().count() <= 5 && or_similar_tail(tail))
                            // Of the same kind: not "Postman or similar tools (REST, JSON)".
                            && index.checked_sub(1).and_then(|i| in_clause.get(i)).is_some_and(|(source, previous)| {
                                let kind = |source: usize, m: &Mention| self.skill(source, m).map(|s| s.category);
                                kind(*source, previous).is_some()
                                    && in_clause.get(index).is_some_and(|(own, _)| kind(*source, previous) == kind(*own, mention))
                            });
                        let continues =
                            similar || ["or ", "and/or ", "or even ", "or any "].iter().any(|w| inside.starts_with(w));
                        open.push((scanned + at, continues));
                    }
                    ')' | ']' => {
                        open.pop();
                    }
                    _ => {}
                }
            }
            scanned = scanned.max(mention.start);
            let key = open.iter().rev().find(|(_, continues)| !continues).map(|(at, _)| *at);
            match lists.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(index),
                None => lists.push((key, vec![index])),
            }
        }
        lists.into_iter().map(|(_, members)| members).collect()
    }

    /// The words between two mentions of one list, without the parentheses between them that
    /// hold mentions of their own (a nested list); "(3+ yrs)" stays and keeps them apart.
    fn gap_between(&self, a: &Mention, b: &Mention, clause: &[(usize, Mention)]) -> String {
        let gap = self.text.get(a.end..b.start).unwrap_or_default().to_ascii_lowercase();
        let mut out = String::with_capacity(gap.len());
        let mut rest = gap.as_str();
        let mut at = a.end;
        while let Some(open) = rest.find(['(', '[']) {
            let Some(close) = rest.get(open..).and_then(|r| r.find([')', ']'])).map(|c| open + c) else { break };
            let nested = clause.iter().any(|(_, m)| m.start > at + open && m.end <= at + close);
            out.push_str(rest.get(..open).unwrap_or_default());
            if !nested {
                out.push_str(rest.get(open..=close).unwrap_or_default());
            }
            rest = rest.get(close + 1..).unwrap_or_default();
            at += close + 1;
        }
        out.push_str(rest);
        out
    }

    /// Splits a clause's mentions into lists and alternatives groups, and keeps them (in the
    /// order of the text).
    fn runs(
        &mut self,
        in_clause: &[(usize, Mention)],
        lower: &str,
        start: usize,
        clause_start: usize,
        importance: Importance,
    ) {
        let first_new = self.kept.len();
        for list in self.nested_lists(in_clause, start + clause_start) {
            let members: Vec<(usize, Mention)> = list.iter().filter_map(|i| in_clause.get(*i).copied()).collect();
            self.list_runs(&members, in_clause, lower, start, clause_start, importance);
        }
        if let Some(added) = self.kept.get_mut(first_new..) {
            added.sort_by_key(|k| k.mention.start);
        }
    }

    /// [`Self::runs`] over one list of mentions.
    fn list_runs(
        &mut self,
        in_clause: &[(usize, Mention)],
        clause: &[(usize, Mention)],
        lower: &str,
        start: usize,
        clause_start: usize,
        importance: Importance,
    ) {
        let mut index = 0;
        while index < in_clause.len() {
            let mut run = vec![index];
            let mut links = Vec::new();
            // Inside "(or Pulsar, Kinesis)" the commas list alternatives too.
            let mut or_parenthesis = false;
            while let (Some((_, a)), Some((_, b))) = (in_clause.get(index), in_clause.get(index + 1)) {
                let gap = self.gap_between(a, b, clause);
                // "| SIEM | Splunk or Sentinel |": a table's cells are apart.
                let table = lower.matches('|').count() >= 2;
                let mut link = if table && gap.contains('|') { Link::Apart } else { link_of(&gap) };
                if link == Link::Apart {
                    break;
                }
                if gap.contains(')') {
                    or_parenthesis = false;
                }
                if link == Link::Or && gap.contains('(') {
                    or_parenthesis = true;
                } else if link == Link::Comma && or_parenthesis {
                    link = Link::Or;
                }
                links.push(link);
                index += 1;
                run.push(index);
            }
            index += 1;
            self.runs += 1;
            let run_id = self.runs;
            let Some((_, first)) = run.first().and_then(|i| in_clause.get(*i)) else { continue };
            let lead_from = (clause_start + start).max(first.start.saturating_sub(30));
            let lead = self.text.get(lead_from..first.start).unwrap_or_default().to_ascii_lowercase();
            // "engineers ship their Rails and React apps", "analysts build their reports in
            // Looker": someone else's tools.
            let clause_lead = lower.get(clause_start..first.start - start).unwrap_or_default();
            if lead.split_whitespace().next_back() == Some("their")
                || (has_phrase(clause_lead, "their") && !addresses_candidate(clause_lead))
            {
                continue;
            }
            let level = level_of(lower.get(clause_start..first.start - start).unwrap_or_default());
            let examples = !links.is_empty()
                && links.iter().all(|l| *l == Link::Comma)
                && EXAMPLE_MARKERS.iter().any(|m| lead.contains(m));
            // "X, Y or Z" is one group; a slash joins only its neighbours ("Docker, Bash/Python").
            let slash_last = match run.as_slice() {
                [.., a, b] => match (in_clause.get(*a), in_clause.get(*b)) {
                    (Some((_, a)), Some((_, b))) => self.gap_between(a, b, clause).trim() == "/",
                    _ => false,
                },
                _ => false,
            };
            // "GitHub Actions, Jenkins or similar": a list of examples.
            let or_similar = !links.is_empty() && links.iter().all(|l| *l == Link::Comma) && {
                let last_end = run.last().and_then(|i| in_clause.get(*i)).map_or(first.end, |(_, m)| m.end);
                let after = self.text.get(last_end..).unwrap_or_default().to_lowercase();
                or_similar_tail(&after)
            };
            // "Looker, Metabase and/or Lightdash": a list whose last alternative is a name the
            // taxonomy does not know.
            let or_unknown = !links.is_empty() && links.iter().all(|l| *l == Link::Comma) && {
                let last_end = run.last().and_then(|i| in_clause.get(*i)).map_or(first.end, |(_, m)| m.end);
                or_unknown_name(self.text.get(last_end..).unwrap_or_default())
            };
            // "Helm and Argo CD or Flux": an "and" in the list keeps what it joins apart.
            let has_and = links.contains(&Link::And);
            let whole_group =
                (links.last() == Some(&Link::Or) && !slash_last && !has_and) || examples || or_similar || or_unknown;
            let mut current_group: Option<usize> = None;
            for (position, member) in run.iter().enumerate() {
                let Some((source, mention)) = in_clause.get(*member) else { continue };
                let joined_before = position.checked_sub(1).and_then(|p| links.get(p)) == Some(&Link::Or);
                let joined_after = links.get(position) == Some(&Link::Or);
                let group = if whole_group && run.len() > 1 {
                    if current_group.is_none() {
                        self.groups += 1;
                        current_group = Some(self.groups);
                    }
                    current_group
                } else if joined_after || joined_before {
                    if !joined_before || current_group.is_none() {
                        self.groups += 1;
                        current_group = Some(self.groups);
                    }
                    current_group
                } else {
                    None
                };
                self.kept.push(Kept {
                    source: *source,
                    mention: *mention,
                    importance,
                    stated: self.stated,
                    group,
                    run: run_id,
                    level,
                    years: None,
                });
            }
        }
    }
}

/// "which a different team maintains", "our other studio is working on ...", "One of our
/// smaller teams ships a spin-off in Unity": a unit other than the one the role joins.
fn names_another_unit(lower: &str) -> bool {
    ["team", "teams", "studio", "studios", "squad", "squads", "department", "office"].iter().any(|unit| {
        let mut from = 0;
        while let Some(at) = find_phrase(lower, unit, from) {
            from = at + unit.len();
            let previous = lower.get(..at).unwrap_or_default().split_whitespace().next_back().unwrap_or_default();
            if matches!(previous, "other" | "another" | "separate" | "different" | "sister") {
                return true;
            }
            let window: Vec<&str> = lower.get(..at).unwrap_or_default().split_whitespace().rev().take(4).collect();
            if window.windows(3).any(|w| w == ["our", "of", "one"]) {
                return true;
            }
        }
        false
    })
}

/// "written in Rust by the serving team", "handled by an external partner": another team's or
/// company's work.
fn done_by_others(lower: &str) -> bool {
    let mut from = 0;
    while let Some(at) = find_phrase(lower, "by", from) {
        from = at + 2;
        let next: Vec<&str> = lower.get(at + 2..).unwrap_or_default().split_whitespace().take(4).collect();
        if matches!(next.first(), Some(&("the" | "our" | "a" | "an" | "another" | "their" | "external")))
            && next.iter().skip(1).any(|w| {
                matches!(
                    w.trim_end_matches([',', '.', ')']),
                    "team"
                        | "teams"
                        | "squad"
                        | "squads"
                        | "studio"
                        | "department"
                        | "partner"
                        | "partners"
                        | "vendor"
                        | "vendors"
                        | "agency"
                        | "provider"
                        | "contractor"
                        | "contractors"
                        | "mssp"
                )
            })
        {
            return true;
        }
    }
    false
}

/// Whether a sentence that names nothing itself takes back what the sentence before named:
/// "... manual regression in Excel sheets. We want that gone." (on its way out) or "... our
/// support team in Zendesk. You won't be administering any of these", "... a handful of jQuery
/// widgets. You won't need to know either" (a denial).
fn takes_back_previous(lower: &str) -> bool {
    let retired =
        DEPRECATIONS.iter().any(|d| has_phrase(lower, d)) && BACK_REFERENCES.iter().any(|r| has_phrase(lower, r));
    let denied =
        ["any of these", "any of those", "any of them", "none of these", "none of those", "none of them", "either"]
            .iter()
            .any(|r| has_phrase(lower, r))
            && (NEGATIONS.iter().any(|n| has_phrase(lower, n)) || denies_doing(lower));
    retired || denied
}

/// Reads `text` (titled `title`) into a draft, finding skills through `matchers` (later
/// matchers win ties, so an organization's own spellings go last).
#[must_use]
pub fn parse(title: &str, text: &str, matchers: &[&SkillMatcher]) -> Draft {
    let mut all = mentions(matchers, text);
    qualify_by_platform(&mut all, text, matchers);
    sense_by_title(&mut all, text, &title.to_ascii_lowercase(), matchers);
    expand_ellipses(&mut all, text, matchers);
    let title_spans = title_spans(title, text);
    let title_tail = title_line_tail(title, text);
    all.retain(|(_, m)| !title_spans.iter().any(|(s, e)| *s <= m.start && m.end <= *e));
    let mut reading = Reading::new(text, title, matchers, all);
    let mut section = Context::Neutral;
    let mut lead_in: Option<Context> = None;
    // A table written as text ("Skill | Level | Years"): which cell gives years.
    let mut years_column: Option<usize> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let body = line.trim_end();
        if body.trim().is_empty() {
            lead_in = None;
            years_column = None;
            continue;
        }
        let Some((row_years, row_importance)) = table_cells(body, &mut years_column) else { continue };
        if is_metadata_line(body) {
            continue;
        }
        let kept_before = reading.kept.len();
        let (kind, content_at) = classify_line(body);
        let end = start + body.len();
        match kind {
            LineKind::Heading => {
                section = heading_context(&body.to_ascii_lowercase());
                lead_in = None;
                // A heading can hold requirements itself ("Must have: Kafka").
                let lower = body.to_ascii_lowercase();
                if let Some(colon) = lower.find(':')
                    && lower.get(colon + 1..).is_some_and(|rest| !rest.trim().is_empty())
                {
                    for (s, e) in sentences(text, start + colon + 1, end) {
                        reading.sentence(s, e, section, false);
                    }
                } else {
                    reading.mentions_in(start, end);
                }
            }
            LineKind::Bullet => {
                let context = row_importance.map_or(lead_in.unwrap_or(section), Context::Importance);
                for (s, e) in sentences(text, start + content_at, end) {
                    reading.sentence(s, e, context, true);
                }
            }
            LineKind::Prose => {
                let lower = body.to_ascii_lowercase();
                let context = if section == Context::Skip {
                    Context::Skip
                } else {
                    row_importance.map_or(lead_in.unwrap_or(section), Context::Importance)
                };
                for (s, e) in sentences(text, start + content_at, end) {
                    reading.sentence(s, e, context, false);
                }
                // A line ending in ":", or a short line without a full stop that named nothing
                // ("It would be great if you also have"), leads the lines under it.
                let leads = body.ends_with(':')
                    || (!body.ends_with(['.', '!', '?', ')', ','])
                        && body.split_whitespace().count() <= 12
                        && reading.kept.len() == kept_before);
                lead_in = if leads && section != Context::Skip {
                    Some(cue_of(&lower).map_or(section, Context::Importance))
                } else {
                    None
                };
            }
        }
        if let Some(tail) = title_tail
            && start <= tail.0
            && tail.1 <= end
        {
            reading.prefer_domains_after(kept_before, tail.0);
        }
        if let Some(years) = row_years {
            reading.row_years(kept_before, years);
        }
    }
    let seniority = seniority_of(&reading.title_lower).or_else(|| text_seniority(&text.to_ascii_lowercase()));
    Draft {
        requirements: merge(&reading),
        min_years_experience: reading.total_years,
        seniority,
        unproductive: reading.unproductive,
    }
}

/// Labels of an ad's facts about the post, not its requirements ("Team: Checkout & Payments",
/// "Location: Bristol", "Reports to: Head of Engineering").
const METADATA_LABELS: &[&str] = &[
    "team",
    "team size",
    "reports to",
    "reporting to",
    "reporting line",
    "location",
    "locations",
    "grade",
    "level",
    "band",
    "salary",
    "compensation",
    "department",
    "division",
    "travel",
    "interview process",
    "contract",
    "contract type",
    "employment type",
    "start date",
    "hours",
    "working hours",
    "closing date",
    "client",
    "office",
];

/// Whether a line is `Label: value` with a [`METADATA_LABELS`] label (bullet or Markdown marks
/// around it allowed).
fn is_metadata_line(line: &str) -> bool {
    let content = line.trim_start_matches(|c: char| matches!(c, '-' | '*' | '#' | '•' | '_') || c.is_whitespace());
    content.split_once(':').is_some_and(|(label, _)| {
        let label = label.trim_matches(|c: char| matches!(c, '*' | '_') || c.is_whitespace()).to_ascii_lowercase();
        METADATA_LABELS.contains(&label.as_str())
    })
}

/// Where the title recurs in the text ("We are looking for a Big Data Technical Lead"), and its
/// head ("Senior Data Scientist" of "Senior Data Scientist, Pricing"): what they name is the
/// role, not a requirement.
fn title_spans(title: &str, text: &str) -> Vec<(usize, usize)> {
    let lower_text = text.to_ascii_lowercase();
    let lower_title = title.trim().to_ascii_lowercase();
    let head = lower_title
        .split([',', '(', '|', '–', '—'])
        .next()
        .unwrap_or_default()
        .split(" - ")
        .next()
        .unwrap_or_default()
        .trim();
    let mut spans = occurrences(&lower_text, &lower_title);
    if head.split_whitespace().count() >= 2 && head != lower_title {
        spans.extend(occurrences(&lower_text, head));
    }
    // "Backend Engineer – Payments Ledger" opening the ad titled "Backend Engineer, Payments
    // Ledger": the title in other punctuation.
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect()
    };
    let first = text.len() - text.trim_start().len();
    if let Some(line) = text.get(first..).and_then(|t| t.lines().next())
        && words(line) == words(title)
        && !words(title).is_empty()
    {
        spans.push((first, first + line.trim_end().len()));
    }
    spans
}

/// The words after the title on the ad's first line, when that line opens with the title's words
/// ("Site Reliability Engineer – Payments Infrastructure" of the ad titled "Site Reliability
/// Engineer"): byte range of the rest of the line. A domain named there is the team's field, a
/// preference rather than a requirement.
fn title_line_tail(title: &str, text: &str) -> Option<(usize, usize)> {
    let title_words: Vec<String> =
        title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
    let start = text.len() - text.trim_start().len();
    let line = text.get(start..)?.lines().next()?.trim_end();
    let mut words = Vec::new();
    let mut word_start = None;
    for (at, ch) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (ch.is_alphanumeric(), word_start) {
            (true, None) => word_start = Some(at),
            (false, Some(s)) => {
                words.push((s, at));
                word_start = None;
            }
            _ => {}
        }
    }
    if title_words.len() < 2 || words.len() > 12 || words.len() <= title_words.len() {
        return None;
    }
    let opens_with_title =
        words.iter().zip(&title_words).all(|((s, e), t)| line.get(*s..*e).is_some_and(|w| w.eq_ignore_ascii_case(t)));
    let (_, title_end) = *words.get(title_words.len() - 1)?;
    opens_with_title.then_some((start + title_end, start + line.len()))
}

/// Cloud platforms whose services are listed after them in parentheses.
const PLATFORMS: &[&str] = &["aws", "azure", "gcp", "google cloud", "amazon web services"];

/// "AWS (IAM, KMS)", "Azure (Functions)": a service listed in parentheses after its platform is
/// that platform's service where the taxonomy has one ("AWS IAM"), not the general practice.
fn qualify_by_platform(all: &mut [(usize, Mention)], text: &str, matchers: &[&SkillMatcher]) {
    for (source, mention) in all.iter_mut() {
        let before = text.get(mention.start.saturating_sub(80)..mention.start).unwrap_or_default();
        let Some(open) = before.rfind('(') else { continue };
        if before.get(open..).is_some_and(|inside| inside.contains(')')) {
            continue;
        }
        let lead = before.get(..open).unwrap_or_default().trim_end().to_ascii_lowercase();
        // "AWS (IAM)", "multi-account AWS environments (IAM Identity Center)".
        let tail: Vec<&str> = lead.split_whitespace().rev().take(3).collect();
        let tail = tail.into_iter().rev().collect::<Vec<_>>().join(" ");
        let Some(platform) = PLATFORMS.iter().find(|p| has_phrase(&tail, p)) else { continue };
        let name = text.get(mention.start..mention.end).unwrap_or_default();
        let qualified = format!("{platform} {name}");
        if let Some((found_source, skill)) = matchers
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, matcher)| matcher.skill_spelled(&qualified).map(|skill| (i, skill)))
        {
            *source = found_source;
            mention.skill = skill;
        }
    }
}

/// Spellings whose sense depends on the field of the role: `(spelling, the reading in that
/// field, words of the title that name the field)`.
const SENSES: &[(&str, &str, &[&str])] = &[(
    "incident response",
    "security incident response",
    &["security", "soc", "detection", "threat", "cyber", "forensic", "appsec", "pentest", "penetration"],
)];

/// "incident response" in a Detection Engineer's ad is security incident response, in an SRE's
/// the operational practice: the title says which field the role is in.
fn sense_by_title(all: &mut [(usize, Mention)], text: &str, title_lower: &str, matchers: &[&SkillMatcher]) {
    for (spelling, reading, fields) in SENSES {
        if !fields.iter().any(|f| has_phrase(title_lower, f)) {
            continue;
        }
        let Some((found_source, skill)) =
            matchers.iter().enumerate().rev().find_map(|(i, m)| m.skill_spelled(reading).map(|s| (i, s)))
        else {
            continue;
        };
        for (source, mention) in all.iter_mut() {
            let written = text.get(mention.start..mention.end).unwrap_or_default();
            if migration::skill_names::normalize(written) == *spelling {
                *source = found_source;
                mention.skill = skill;
            }
        }
    }
}

/// Words that never start an elided list item ("the", "of"): "A and B tests" needs a real A.
const NOT_LIST_WORDS: &[&str] = &[
    "and", "or", "the", "a", "an", "of", "in", "with", "for", "to", "on", "at", "by", "from", "as", "is", "are", "be",
    "our", "your", "their", "we", "you", "it", "this", "that", "both", "either", "any", "all", "some",
];

/// "unit and UI testing", "written and verbal communication", "API and contract testing",
/// "unit, snapshot and UI tests": the head named once after the last item holds for the items
/// before it, so each "item head" that is a known spelling is a mention at the item's word. A
/// bare head after such a list ("testing" of "UI testing") names a kind the taxonomy does not
/// know, not the general skill, and is dropped.
fn expand_ellipses(all: &mut Vec<(usize, Mention)>, text: &str, matchers: &[&SkillMatcher]) {
    let lower = text.to_ascii_lowercase();
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (at, ch) in lower.char_indices() {
        let word_char = ch.is_alphanumeric() || matches!(ch, '+' | '#');
        match (word_char, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                tokens.push((s, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push((s, lower.len()));
    }
    let word = |i: usize| tokens.get(i).and_then(|(s, e)| lower.get(*s..*e)).unwrap_or_default();
    let gap = |i: usize| match (tokens.get(i), tokens.get(i + 1)) {
        (Some((_, e)), Some((s, _))) => lower.get(*e..*s).unwrap_or_default(),
        _ => "",
    };
    // After token `i`, the index of the next list item when a conjunction joins them.
    let next_item = |i: usize| -> Option<usize> {
        let between = gap(i).trim();
        if matches!(between, "," | "/" | "&") {
            return Some(i + 1);
        }
        let joined = between.is_empty() || between == ",";
        if joined && matches!(word(i + 1), "and" | "or") && gap(i + 1).trim().is_empty() {
            return Some(i + 2);
        }
        None
    };
    let mut added: Vec<(usize, Mention)> = Vec::new();
    let mut bare_heads: Vec<(usize, usize)> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let first = index;
        index += 1;
        if NOT_LIST_WORDS.contains(&word(first)) || word(first).chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut items = vec![first];
        let mut at = first;
        while let Some(next) = next_item(at) {
            if next >= tokens.len() || NOT_LIST_WORDS.contains(&word(next)) || items.len() >= 6 {
                break;
            }
            items.push(next);
            at = next;
        }
        let Some(&last) = items.last() else { continue };
        if items.len() < 2 || !gap(last).chars().all(|c| c == ' ') || gap(last).is_empty() {
            continue;
        }
        let mut expanded = false;
        for &item in items.iter().take(items.len() - 1) {
            for head_len in [2, 1] {
                let Some(&(_, head_end)) = tokens.get(last + head_len) else { continue };
                let Some(&(head_start, _)) = tokens.get(last + 1) else { continue };
                if (last + 1..last + head_len).any(|h| !gap(h).chars().all(|c| c == ' ')) {
                    continue;
                }
                let head = lower.get(head_start..head_end).unwrap_or_default();
                let spelled = format!("{} {head}", word(item));
                let found = matchers
                    .iter()
                    .enumerate()
                    .rev()
                    .find_map(|(source, matcher)| matcher.skill_spelled(&spelled).map(|skill| (source, skill)));
                // An item inside a longer mention ("React" of "React Native") stays that mention.
                let inside_longer = |start: usize, end: usize| {
                    all.iter().any(|(_, m)| m.start < end && start < m.end && (m.start, m.end) != (start, end))
                };
                if let Some((source, skill)) = found
                    && let Some(&(start, end)) = tokens.get(item)
                    && !inside_longer(start, end)
                {
                    added.push((source, Mention { skill, start, end }));
                    bare_heads.push((head_start, head_end));
                    expanded = true;
                    break;
                }
            }
        }
        if expanded {
            index = last + 1;
        }
    }
    if added.is_empty() {
        return;
    }
    all.retain(|(source, m)| {
        let bare =
            !spoken_language(matchers, *source, m) && bare_heads.iter().any(|(s, e)| m.start == *s && m.end <= *e);
        let replaced = added.iter().any(|(_, a)| a.start < m.end && m.start < a.end);
        !bare && !replaced
    });
    all.extend(added);
    all.sort_by_key(|(_, m)| m.start);
}

/// Whether a mention is of a spoken language: "written and spoken English" names the language
/// too, not only a kind of it the taxonomy lacks.
fn spoken_language(matchers: &[&SkillMatcher], source: usize, m: &Mention) -> bool {
    matchers
        .get(source)
        .and_then(|matcher| matcher.skills().get(m.skill))
        .is_some_and(|s| SPOKEN_LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(&s.name)))
}

/// A line of a table written as text ("Skill | Level | Years").
enum TableRow<'a> {
    /// A header with a years column at this cell.
    Header(usize),
    Row(Vec<&'a str>),
    NotTable,
}

fn table_row(line: &str) -> TableRow<'_> {
    let cells: Vec<&str> = line.split('|').map(str::trim).collect();
    if cells.len() < 2 {
        return TableRow::NotTable;
    }
    let header = cells.iter().position(|c| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "years" | "yrs" | "min. years" | "min years" | "years of experience" | "experience (years)"
        )
    });
    header.map_or(TableRow::Row(cells), TableRow::Header)
}

/// What a line of a table says for its row: years and importance. `None` for a header line, which
/// sets the years column (a line that is no table row clears it).
fn table_cells(line: &str, years_column: &mut Option<usize>) -> Option<(Option<u8>, Option<Importance>)> {
    // "-------+------+-----": a rule under the header keeps its columns.
    let body = line.trim();
    if body.len() >= 3 && body.chars().all(|c| matches!(c, '-' | '+' | '=' | ':' | '|' | ' ')) {
        return None;
    }
    match table_row(line) {
        TableRow::Header(column) => {
            *years_column = Some(column);
            None
        }
        TableRow::Row(cells) => Some((
            years_column.and_then(|column| cells.get(column).and_then(|c| years_cell(c))),
            cells.iter().find_map(|c| importance_cell(c)),
        )),
        TableRow::NotTable => {
            *years_column = None;
            Some((None, None))
        }
    }
}

/// The importance a table cell gives on its own ("Must", "Nice").
fn importance_cell(cell: &str) -> Option<Importance> {
    match cell.to_ascii_lowercase().as_str() {
        "must" | "required" | "mandatory" | "must have" | "must-have" | "yes" => Some(Importance::Required),
        "preferred" | "desirable" | "desired" | "plus" => Some(Importance::Preferred),
        "nice" | "nice to have" | "nice-to-have" | "optional" | "bonus" => Some(Importance::NiceToHave),
        _ => None,
    }
}

/// The years a table cell gives ("3+", "2 years"), if any.
fn years_cell(cell: &str) -> Option<u8> {
    let digits = cell.trim_end_matches(['+', ' ']).trim_end_matches(" years").trim_end_matches(" yrs");
    digits.trim_end_matches('+').parse::<u8>().ok().filter(|n| (1..=60).contains(n))
}

/// Where `needle` occurs in `haystack` (both lower case), as byte ranges.
fn occurrences(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(at) = find_phrase(haystack, needle, from) {
        out.push((at, at + needle.len()));
        from = at + needle.len();
    }
    out
}

fn rank(importance: Importance) -> u8 {
    match importance {
        Importance::Required => 3,
        Importance::Preferred => 2,
        Importance::NiceToHave => 1,
    }
}

/// One requirement per skill: the strongest importance, the highest years and level, every
/// piece of evidence (up to [`MAX_EVIDENCE`]), the first group it was named in (kept when at
/// least two members remain), one importance per group.
fn merge(reading: &Reading<'_>) -> Vec<DraftRequirement> {
    let mut merged: Vec<(DraftRequirement, Vec<Option<usize>>)> = Vec::new();
    // A skill denied in one place ("our client engineers write it in Unreal; you won't need
    // it") and named as a preference in another ("Unity or Unreal on the client side" under
    // "Nice to have") stays that preference.
    let preferred_elsewhere: Vec<uuid::Uuid> = reading
        .kept
        .iter()
        .filter(|k| matches!(k.importance, Importance::Preferred | Importance::NiceToHave))
        .filter(|k| !reading.negated_at.contains(&k.mention.start))
        .filter_map(|k| reading.skill(k.source, &k.mention).map(|s| s.id))
        .collect();
    let mut stated_for: Vec<(uuid::Uuid, bool)> = Vec::new();
    for kept in &reading.kept {
        let Some(skill) = reading.skill(kept.source, &kept.mention) else { continue };
        if reading.negated.contains(&skill.id) && !preferred_elsewhere.contains(&skill.id) {
            continue;
        }
        let evidence = Passage {
            text: reading.text.get(kept.mention.start..kept.mention.end).unwrap_or_default().to_owned(),
            start: kept.mention.start,
            end: kept.mention.end,
        };
        if let Some((requirement, groups)) = merged.iter_mut().find(|(r, _)| r.skill.id == skill.id) {
            let stated = stated_for.iter_mut().find(|(id, _)| *id == skill.id);
            let was_stated = stated.as_ref().is_some_and(|(_, s)| *s);
            // A stated importance beats the default; between two of a kind, the stronger.
            if (kept.stated && !was_stated)
                || (kept.stated == was_stated && rank(kept.importance) > rank(requirement.importance))
            {
                requirement.importance = kept.importance;
            }
            if let Some((_, s)) = stated {
                *s |= kept.stated;
            }
            requirement.min_years = requirement.min_years.max(kept.years);
            requirement.min_level = requirement.min_level.max(kept.level);
            if requirement.evidence.len() < MAX_EVIDENCE {
                requirement.evidence.push(evidence);
            }
            groups.push(kept.group);
        } else if merged.len() < MAX_REQUIREMENTS {
            stated_for.push((skill.id, kept.stated));
            merged.push((
                DraftRequirement {
                    skill: skill.clone(),
                    importance: kept.importance,
                    alternatives_group: None,
                    min_level: kept.level,
                    min_years: kept.years,
                    evidence: vec![evidence],
                },
                vec![kept.group],
            ));
        }
    }
    // A skill keeps the first group it was named in ("Scala or Python", then "Python" again),
    // unless a later group holds all of that one and more ("Playwright or Cypress", then
    // "Playwright, Cypress or WebdriverIO"): then the larger.
    let members = |group: usize| -> Vec<usize> {
        merged.iter().enumerate().filter(|(_, (_, groups))| groups.contains(&Some(group))).map(|(i, _)| i).collect()
    };
    let steady: Vec<Option<usize>> = merged
        .iter()
        .map(|(_, groups)| {
            let first = groups.iter().flatten().next().copied()?;
            let first_members = members(first);
            let larger = groups.iter().flatten().copied().filter(|g| *g != first).find(|g| {
                let later = members(*g);
                later.len() > first_members.len() && first_members.iter().all(|m| later.contains(m))
            });
            Some(larger.unwrap_or(first))
        })
        .collect();
    let mut names: Vec<(usize, String)> = Vec::new();
    let mut requirements: Vec<DraftRequirement> = Vec::with_capacity(merged.len());
    for (index, (mut requirement, _)) in merged.into_iter().enumerate() {
        if let Some(group) = steady.get(index).copied().flatten() {
            let members: Vec<usize> =
                steady.iter().enumerate().filter(|(_, g)| **g == Some(group)).map(|(i, _)| i).collect();
            if members.len() >= 2 {
                let name = if let Some((_, name)) = names.iter().find(|(g, _)| *g == group) {
                    name.clone()
                } else {
                    let name = format!("alternatives-{}", names.len() + 1);
                    names.push((group, name.clone()));
                    name
                };
                requirement.alternatives_group = Some(name);
            }
        }
        requirements.push(requirement);
    }
    // One importance per group: the strongest of its members.
    for (_, name) in &names {
        let strongest = requirements
            .iter()
            .filter(|r| r.alternatives_group.as_deref() == Some(name))
            .map(|r| r.importance)
            .max_by_key(|i| rank(*i));
        if let Some(strongest) = strongest {
            for requirement in requirements.iter_mut().filter(|r| r.alternatives_group.as_deref() == Some(name)) {
                requirement.importance = strongest;
            }
        }
    }
    requirements
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptions::service::builtin_matcher;

    fn read(text: &str) -> Draft {
        parse("Engineer", text, &[builtin_matcher()])
    }

    fn summary(draft: &Draft) -> Vec<String> {
        draft
            .requirements
            .iter()
            .map(|r| {
                let group = r.alternatives_group.as_deref().unwrap_or("-");
                format!("{} {:?} {group} {:?}", r.skill.name, r.importance, r.min_years)
            })
            .collect()
    }

    #[test]
    fn years_read_every_way_they_are_written() {
        for (text, total) in [
            ("10+ years of experience.", 10),
            ("5–7 years of experience.", 5),
            ("5-7 years of experience.", 5),
            ("5 to 7 years of experience.", 5),
            ("At least three years of experience.", 3),
            ("A decade of experience in the industry.", 10),
            ("Two decades of professional experience.", 20),
        ] {
            assert_eq!(read(text).min_years_experience, Some(total), "{text}");
        }
        assert_eq!(read("We were founded 12 years ago.").min_years_experience, None);
        assert_eq!(read("Experience with Kafka.").min_years_experience, None);
    }

    #[test]
    fn years_of_a_skill_stay_with_it() {
        let draft = read("5+ years of experience, including 3+ years of Go. Python (2+ years).");
        assert_eq!(draft.min_years_experience, Some(5));
        assert_eq!(summary(&draft), ["Go Required - Some(3)", "Python Required - Some(2)"]);
        let draft = read("3+ years of Scala or Python.");
        assert_eq!(
            summary(&draft),
            ["Scala Required alternatives-1 Some(3)", "Python Required alternatives-1 Some(3)"]
        );
    }

    #[test]
    fn alternatives_come_from_or_and_slashes_not_from_and() {
        for text in ["Kafka or Pulsar.", "Kafka and/or Pulsar.", "Kafka / Pulsar.", "Kafka (or Pulsar)."] {
            let groups: Vec<_> = read(text).requirements.iter().map(|r| r.alternatives_group.clone()).collect();
            assert_eq!(groups, [Some("alternatives-1".to_owned()), Some("alternatives-1".to_owned())], "{text}");
        }
        let draft = read("Kafka, Pulsar or RabbitMQ.");
        assert!(draft.requirements.iter().all(|r| r.alternatives_group.as_deref() == Some("alternatives-1")));
        assert_eq!(draft.requirements.len(), 3);
        let draft = read("Kafka and Pulsar.");
        assert!(draft.requirements.iter().all(|r| r.alternatives_group.is_none()));
    }

    #[test]
    fn wording_and_headings_set_importance() {
        let draft = read("Requirements\n- Kafka\n\nNice to have\n- Flink\n\nDocker is a plus. Rust is a must.");
        assert_eq!(
            summary(&draft),
            [
                "Apache Kafka Required - None",
                "Apache Flink NiceToHave - None",
                "Docker Preferred - None",
                "Rust Required - None",
            ]
        );
        assert_eq!(summary(&read("Java is not required but a plus.")), ["Java NiceToHave - None"]);
    }

    #[test]
    fn negative_and_unrelated_contexts_find_nothing() {
        for text in [
            "No Java experience needed.",
            "Knowledge of GraphQL is not required.",
            "Our frontend team uses React.",
            "We're hiring! You will be the go-to person at the helm, starting spring 2026.",
            "About us\nWe are a fintech company using Kafka.\n",
            "We offer private healthcare and a gym.",
            "We are an equal opportunity employer and do not discriminate regardless of disability.",
        ] {
            assert!(read(text).requirements.is_empty(), "{text}: {:?}", summary(&read(text)));
        }
    }

    #[test]
    fn similar_and_parenthesised_alternatives_form_one_group() {
        for text in [
            "Ideally FreeRTOS or a similar RTOS.",
            "Kafka (or Pulsar, Kinesis) hands-on.",
            "Experience with GitHub Actions, Jenkins or similar.",
        ] {
            let draft = read(text);
            assert!(draft.requirements.len() >= 2, "{text}: {:?}", summary(&draft));
            assert!(
                draft.requirements.iter().all(|r| r.alternatives_group.as_deref() == Some("alternatives-1")),
                "{text}: {:?}",
                summary(&draft)
            );
        }
    }

    #[test]
    fn other_peoples_stacks_and_the_employers_story_find_nothing() {
        for text in [
            "Our other studio in Krakow is working on a PC title in Unreal Engine 5.",
            "Our corporate systems run on SAP and Salesforce.",
            "Help 140 engineers ship their Rails and React apps.",
            "We started on Shopify, and the shop still runs there.",
            "Customers use our Flink-based stream processor.",
            "You work with account executives (our sales team lives in Salesforce, you won't need to).",
        ] {
            assert!(read(text).requirements.is_empty(), "{text}: {:?}", summary(&read(text)));
        }
        // A skill said not to be needed is not found elsewhere either.
        let draft = read("Android is handled by a separate team (Kotlin), so no Android work. Swift is a must.");
        assert_eq!(summary(&draft), ["Swift Required - None"]);
    }

    #[test]
    fn parts_of_stated_years_belong_to_their_skill() {
        let draft = read("5+ years in software engineering, of which at least 2 in application security.");
        assert_eq!(draft.min_years_experience, Some(5));
        assert_eq!(summary(&draft), ["Application Security Required - Some(2)"]);
        assert_eq!(read("Eight or more years of experience.").min_years_experience, Some(8));
        let draft = read("Skill | Level | Years\n--- | --- | ---\nPython | Expert | 3+\nSpark | Nice to have | -\n");
        assert_eq!(summary(&draft), ["Python Required - Some(3)", "Apache Spark NiceToHave - None"]);
    }

    #[test]
    fn a_cue_stays_on_its_side_of_a_semicolon_and_lead_in_lines_count() {
        assert_eq!(
            summary(&read("Very good knowledge of C; C++ is an advantage.")),
            ["C Required - None", "C++ Preferred - None"]
        );
        let draft = read("Requirements\n- Kafka\n\nIt would be great if you also have\n- PostgreSQL\n");
        assert_eq!(summary(&draft), ["Apache Kafka Required - None", "PostgreSQL Preferred - None"]);
    }

    #[test]
    fn services_in_parentheses_after_their_platform_are_that_platforms() {
        assert_eq!(
            summary(&read("Cloud security on AWS (IAM, KMS).")),
            [
                "Cloud security Required - None",
                "Amazon Web Services Required - None",
                "AWS IAM Required - None",
                "AWS KMS Required - None",
            ]
        );
        assert_eq!(
            summary(&read("IAM and SSO.")).first().map(String::as_str),
            Some("Identity and access management Required - None")
        );
    }

    #[test]
    fn back_offices_other_peoples_work_and_what_the_role_leaves_out_find_nothing() {
        for text in [
            "Internally we run on SAP and ServiceNow.",
            "Their web team is on Angular and the backend is Java, but you'd be mobile only.",
            "Analysts downstream build their reports in Looker and Tableau; you keep their data fresh.",
            "Our inference servers are written in Rust by the serving team – you won't touch them.",
            "The MySQL databases of the marketing department are not part of this role.",
            "Our engineering teams build the platform in Go and React; none of this is part of your day-to-day.",
            "You help developers integrate our payments API.",
        ] {
            assert!(read(text).requirements.is_empty(), "{text}: {:?}", summary(&read(text)));
        }
    }

    #[test]
    fn table_cells_give_importance_and_time_frames_are_not_experience() {
        let draft = read("Area | Must / Nice | Notes\nPostman | Must |\nZendesk | Nice | our ticketing tool\n");
        assert_eq!(summary(&draft), ["Postman Required - None", "Zendesk NiceToHave - None"]);
        assert_eq!(read("4 yrs+ commercial mobile dev overall.").min_years_experience, Some(4));
        assert_eq!(read("Migrate us to PostgreSQL during the next two years.").min_years_experience, None);
        let draft = read("- 5+ years of data engineering, including at least 2 years running stream processing");
        assert_eq!(draft.min_years_experience, Some(5));
        assert_eq!(summary(&draft), ["Stream Processing Required - Some(2)"]);
    }

    #[test]
    fn levels_come_from_wording() {
        let levels = |text: &str| read(text).requirements.iter().map(|r| r.min_level).collect::<Vec<_>>();
        assert_eq!(levels("Expert knowledge of Kafka."), [Some(5)]);
        assert_eq!(levels("Deep, hands-on Kafka experience."), [Some(5)]);
        assert_eq!(levels("Strong Python."), [Some(4)]);
        assert_eq!(levels("Familiarity with Docker."), [Some(2)]);
        assert_eq!(levels("Experience with Docker."), [None]);
    }

    #[test]
    fn seniority_comes_from_the_title_then_the_text() {
        assert_eq!(parse("Big Data Technical Lead", "Kafka.", &[builtin_matcher()]).seniority, Some(Seniority::Lead));
        assert_eq!(parse("Staff Engineer", "Kafka.", &[builtin_matcher()]).seniority, Some(Seniority::Principal));
        assert_eq!(read("We are hiring a Senior Data Platform Engineer.").seniority, Some(Seniority::Senior));
        assert_eq!(read("Kafka.").seniority, None);
    }

    #[test]
    fn sentences_that_name_nothing_are_reported() {
        let draft = read("Requirements\n- Experience with soldering and wire harnesses\n- Kafka\n");
        assert_eq!(draft.unproductive.len(), 1);
        assert_eq!(
            draft.unproductive.first().map(|p| p.text.as_str()),
            Some("Experience with soldering and wire harnesses")
        );
    }

    /// Each requirement's skill and group, for the group rules.
    fn groups(text: &str) -> Vec<String> {
        read(text)
            .requirements
            .iter()
            .map(|r| format!("{} {}", r.skill.name, r.alternatives_group.as_deref().unwrap_or("-")))
            .collect()
    }

    #[test]
    fn a_parenthesis_holding_mentions_is_a_list_of_its_own() {
        assert_eq!(
            groups("Expert in either Swift (SwiftUI/UIKit) or Kotlin (Jetpack Compose)."),
            [
                "Swift alternatives-1",
                "SwiftUI alternatives-2",
                "UIKit alternatives-2",
                "Kotlin alternatives-1",
                "Jetpack Compose -",
            ]
        );
        assert_eq!(
            groups("Strong Java (Spring) or Kotlin."),
            ["Java alternatives-1", "Spring Framework -", "Kotlin alternatives-1"]
        );
        // A parenthesis naming nothing keeps its neighbours apart, and its years stay with one.
        assert_eq!(
            summary(&read("React Native (3+ yrs), TypeScript.")),
            ["React Native Required - Some(3)", "TypeScript Required - None"]
        );
        // One opening with "or" continues the list around it.
        assert_eq!(
            groups("Kafka (or Pulsar) and Flink."),
            ["Apache Kafka alternatives-1", "Apache Pulsar alternatives-1", "Apache Flink -"]
        );
    }

    #[test]
    fn a_list_said_to_do_as_well_joins_the_one_before() {
        assert_eq!(
            summary(&read("- Infrastructure as code: Terraform preferred, CloudFormation acceptable")),
            [
                "Infrastructure as Code Required - None",
                "Terraform Preferred alternatives-1 None",
                "AWS CloudFormation Preferred alternatives-1 None",
            ]
        );
        assert_eq!(
            groups("You have built dashboards (we use Looker, but Tableau or Power BI experience is just as good)."),
            ["Data visualization -", "Looker alternatives-1", "Tableau alternatives-1", "Power BI alternatives-1"]
        );
        // Without such words the lists stay apart.
        assert_eq!(
            groups("We use Looker, but Tableau or Power BI is a plus."),
            ["Looker -", "Tableau alternatives-1", "Power BI alternatives-1"]
        );
    }

    #[test]
    fn list_forms_group_within_longer_sentences() {
        for (text, expected) in [
            (
                "Experience with a message broker such as Kafka, RabbitMQ or NATS.",
                &["Apache Kafka alternatives-1", "RabbitMQ alternatives-1", "NATS alternatives-1"][..],
            ),
            ("One of Python, Go or Rust.", &["Python alternatives-1", "Go alternatives-1", "Rust alternatives-1"]),
            (
                "Real-time systems: WebSockets or gRPC streaming, Redis, and either Cassandra or ScyllaDB.",
                &[
                    "WebSockets alternatives-1",
                    "gRPC alternatives-1",
                    "Redis -",
                    "Apache Cassandra alternatives-2",
                    "ScyllaDB alternatives-2",
                ],
            ),
            (
                "Kubernetes on GCP, Terraform, Prometheus/Grafana.",
                &[
                    "Kubernetes -",
                    "Google Cloud Platform -",
                    "Terraform -",
                    "Prometheus alternatives-1",
                    "Grafana alternatives-1",
                ],
            ),
            (
                "You will build services in Go or Rust that publish to Kafka.",
                &["Go alternatives-1", "Rust alternatives-1", "Apache Kafka -"],
            ),
            (
                "Go is their main language; strong Java or C# people have switched successfully.",
                &["Go -", "Java alternatives-1", "C# alternatives-1"],
            ),
            ("Docker and Kubernetes.", &["Docker -", "Kubernetes -"]),
        ] {
            assert_eq!(groups(text), expected, "{text}");
        }
    }

    #[test]
    fn what_is_on_its_way_out_and_asides_that_deny_find_nothing() {
        for text in [
            "We tried Flutter in 2022 and decided against it.",
            "The legacy admin panel is Rails and will be retired next year; leave it alone.",
            "Releases take two days of manual regression in Excel sheets. We want that gone.",
            "The game clients are Unity, which the client teams own.",
            "Explain a number to people who don't love spreadsheets.",
            "**Team:** Checkout & Payments\nLocation: Berlin (hybrid)\n",
        ] {
            assert!(read(text).requirements.is_empty(), "{text}: {:?}", summary(&read(text)));
        }
        assert_eq!(
            summary(&read(
                "Marketing runs campaigns in HubSpot (you'll never need to log in there), and data lands in BigQuery."
            )),
            ["Google BigQuery Required - None"]
        );
        assert_eq!(
            summary(&read("Development of the communication services in C and C++.")),
            ["C Required - None", "C++ Required - None"]
        );
    }

    #[test]
    fn years_in_a_line_of_work_are_the_total_and_softer_cues_read() {
        let draft = read("3 to 5 years of experience in embedded Linux development.");
        assert_eq!(draft.min_years_experience, Some(3));
        assert_eq!(summary(&draft), ["Embedded Linux Required - None"]);
        assert_eq!(read("Six or more years in QA/test engineering.").min_years_experience, Some(6));
        assert_eq!(summary(&read("Experience with GA4 helps a lot.")), ["Google Analytics Preferred - None"]);
        assert_eq!(
            summary(&read("They use k6; Gatling or Locust would transfer.")),
            ["k6 Required - None", "Gatling Preferred alternatives-1 None", "Locust Preferred alternatives-1 None"]
        );
        assert_eq!(
            summary(&read("Multi-account AWS environments (Organizations, IAM Identity Center).")),
            ["Amazon Web Services Required - None", "AWS IAM Required - None"]
        );
    }

    #[test]
    fn a_head_named_once_holds_for_every_item_before_it() {
        assert_eq!(
            summary(&read("Unit and UI testing with JUnit.")),
            ["Unit Testing Required - None", "UI testing Required - None", "JUnit Required - None"]
        );
        assert_eq!(
            summary(&read("Good written and verbal communication.")),
            ["Written Communication Required - None", "Communication Required - None"]
        );
        assert_eq!(
            summary(&read("API and contract testing.")),
            ["API testing Required - None", "Contract testing Required - None"]
        );
        assert_eq!(
            summary(&read("A testing culture: unit, snapshot and UI tests.")).first().map(String::as_str),
            Some("Software Testing Required - None")
        );
        assert!(summary(&read("Unit, snapshot and UI tests.")).contains(&"Unit Testing Required - None".to_owned()));
        // An item inside a longer spelling stays that skill.
        assert_eq!(
            summary(&read("React Native and iOS development.")),
            ["React Native Required - None", "iOS Required - None"]
        );
    }

    #[test]
    fn people_and_units_named_by_a_skill_are_no_requirement() {
        for text in [
            "You work together with our iOS developers.",
            "You'd work closely with the threat intelligence folks.",
            "Our 14 data scientists ship models every week.",
            "Work with the ML team on features.",
            "Reporting to the Platform Engineering Lead, you build pipelines.",
        ] {
            assert!(read(text).requirements.is_empty(), "{text}: {:?}", summary(&read(text)));
        }
        assert_eq!(summary(&read("Help data scientists ship models with Docker.")), ["Docker Required - None"]);
        // Unless the role is that.
        let draft = parse("iOS Engineer", "You join our iOS developers.", &[builtin_matcher()]);
        assert_eq!(summary(&draft), ["iOS Required - None"]);
    }

    #[test]
    fn the_customers_lines_of_business_are_no_requirement() {
        let text = "We protect 140 organisations across healthcare, retail and the public sector. You know Splunk.";
        assert_eq!(summary(&read(text)), ["Splunk Required - None"]);
    }

    #[test]
    fn a_not_for_this_role_section_and_what_we_dont_use_are_no_requirement() {
        let text = "## Must have\n- React Native (3+ yrs)\n\n## Not for this role\n\n- Flutter, Ionic or Cordova\n\
                    - Java on Android\n\nWe don't use Unreal Engine or any other engine.";
        assert_eq!(summary(&read(text)), ["React Native Required - Some(3)"]);
    }

    #[test]
    fn the_employers_code_and_what_it_left_are_no_requirement() {
        for text in [
            "Our estate is on AWS and most services are written in C# or TypeScript.",
            "They're on Zephyr RTOS now (moved off FreeRTOS last year).",
            "No previous logistics experience is needed.",
            "Some backend knowledge helps – our API is written in Elixir with Phoenix, but nobody expects you to write it.",
        ] {
            let draft = read(text);
            let names = summary(&draft);
            for absent in ["C#", "TypeScript", "FreeRTOS", "Logistics", "Elixir", "Phoenix"] {
                assert!(!names.iter().any(|n| n.starts_with(&format!("{absent} "))), "{text}: {names:?}");
            }
        }
        assert_eq!(
            summary(&read("They're on Zephyr RTOS now (moved off FreeRTOS last year).")),
            ["Zephyr RTOS Required - None"]
        );
        // A denial names the clause right before it, not the whole sentence.
        assert_eq!(
            summary(&read("You write Python, but our API is in Elixir and nobody expects you to write it.")),
            ["Python Required - None"]
        );
    }

    #[test]
    fn optional_extras_tails_and_lists_with_and_keep_their_own_reading() {
        assert_eq!(
            summary(&read("It helps if you have worked with HL7 FHIR before, but it's not a must.")),
            ["HL7 FHIR Preferred - None"]
        );
        assert_eq!(
            summary(&read("Experience with deep learning frameworks, PyTorch preferred.")),
            ["Deep Learning Required - None", "PyTorch Preferred - None"]
        );
        assert_eq!(
            groups("Experience with Helm and Argo CD or Flux."),
            ["Helm -", "Argo CD alternatives-1", "Flux CD alternatives-1"]
        );
        assert_eq!(
            summary(&read("Dutch is not required; our working language is English.")),
            ["English Required - None"]
        );
        let detection = parse("Detection Engineer", "Incident response.", &[builtin_matcher()]);
        assert_eq!(summary(&detection), ["Security incident response Required - None"]);
        assert_eq!(summary(&read("Incident response.")), ["Incident Management Required - None"]);
        let draft = read("Minimum 3 years of professional experience in Android development.");
        assert_eq!(draft.min_years_experience, Some(3));
        assert_eq!(summary(&draft), ["Android Required - None"]);
    }

    #[test]
    fn evidence_points_at_the_words() {
        let text = "Must know Apache-Spark and k8s.";
        let draft = read(text);
        let evidence: Vec<_> = draft.requirements.iter().flat_map(|r| &r.evidence).collect();
        for passage in evidence {
            assert_eq!(text.get(passage.start..passage.end), Some(passage.text.as_str()));
        }
        assert_eq!(summary(&draft), ["Apache Spark Required - None", "Kubernetes Required - None"]);
    }
}
