//! Finding skill mentions in free text: one Aho-Corasick automaton over every spelling (names,
//! aliases, multi-word names) in the normal form of `migration::skill_names`, run over a folded
//! copy of the text that remembers where each of its bytes came from, so a mention's evidence
//! points into the original text.
//!
//! Words that are also ordinary English ("Go", "Rust", "Swift", "Spark", "Helm", "REST") only
//! count in the casing a skill is written in, short spellings ("R", "C", "TS", "ML") only with
//! a capital, and a few need their neighbours checked ("go-to", "at the helm", "spring 2026",
//! "we're hiring", "R&D", "Series C").

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use entity::SkillCategory;
use uuid::Uuid;

/// A skill the matcher can find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSkill {
    pub id: Uuid,
    pub name: String,
    pub category: SkillCategory,
}

/// One spelling of a skill, as the taxonomy or an organization wrote it.
#[derive(Debug, Clone)]
pub struct Spelling {
    pub text: String,
    pub skill: usize,
}

/// How a spelling's occurrence in the text must be cased to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Casing {
    Any,
    /// At least one capital letter ("R", "TS", "GCP").
    SomeCapital,
    /// Starts with a capital ("Go", "Spark", "Helm").
    Capitalized,
    /// Every letter a capital ("REST").
    AllCapitals,
    /// Exactly as the skill's name is written ("SAFe").
    AsNamed,
}

#[derive(Debug, Clone)]
struct Pattern {
    skill: usize,
    casing: Casing,
    normalized: String,
}

/// Everyday words that are also skill spellings: they count only when capitalised.
const CAPITALIZED_ONLY: &[&str] = &[
    "go",
    "rust",
    "swift",
    "spark",
    "ruby",
    "dart",
    "elm",
    "julia",
    "ray",
    "relay",
    "gin",
    "tornado",
    "phoenix",
    "crystal",
    "apex",
    "ada",
    "pascal",
    "delphi",
    "shell",
    "spring",
    "rails",
    "flask",
    "express",
    "unity",
    "dapper",
    "soda",
    "singularity",
    "gazebo",
    "starks",
    "realm",
    "windows",
    "capacitor",
    "retrofit",
    "electron",
    "ionic",
    "diesel",
    "lit",
    "remix",
    "astro",
    "ember",
    "chef",
    "puppet",
    "packer",
    "bamboo",
    "graphite",
    "sentry",
    "honeycomb",
    "poetry",
    "babel",
    "rollup",
    "yarn",
    "notion",
    "slack",
    "sketch",
    "blender",
    "amplitude",
    "karma",
    "jasmine",
    "mocha",
    "chai",
    "espresso",
    "locust",
    "prefect",
    "luigi",
    "feast",
    "kong",
    "consul",
    "synapse",
    "athena",
    "aurora",
    "presto",
    "stitch",
    "pulsar",
    "druid",
    "pinot",
    "hive",
    "oracle",
    "elastic",
    "excel",
    "helm",
    "node",
    "lean",
    "falco",
    "snort",
    "enzyme",
    "pact",
    "tempo",
    "react",
    "angular",
    "elixir",
    "groovy",
    "celery",
    "tonic",
    "bevy",
    "polars",
    "pip",
    "phaser",
    "cypress",
    "jest",
    "selenium",
    "looker",
    "tableau",
    "compose",
    "combine",
    "ant",
    "beam",
    "arrow",
    "storm",
    "nix",
    "vault",
    "nomad",
    "make",
    "vim",
    "jaeger",
    "loki",
    "asana",
    "linear",
    "maven",
    "postman",
    "snowflake",
    "confluence",
    "polish",
    "triton",
    "flux",
    "lambda",
    "iceberg",
    "superset",
    "camel",
    "backstage",
    "outbox",
];

/// Spellings that only count written entirely in capitals.
const ALL_CAPITALS_ONLY: &[&str] =
    &["rest", "spa", "safe", "soar", "edr", "siem", "cdn", "dns", "okr", "okrs", "soc", "can", "foc", "ble", "spi"];

/// "go to", "let's go", "go for it": the verb, not the language ("Go for tooling").
fn go_is_the_verb(previous: &str, next_word: &str, after: &str) -> bool {
    matches!(
            next_word,
            "to" | "beyond"
                | "ahead"
                | "live"
                | "through"
                | "above"
                | "back"
                | "further"
                | "out"
                | "into"
                | "the"
                | "get"
                | "hand"
                | "far"
                | "where"
                | "from"
                | "on"
                | "after"
                | "big"
                | "deep"
        ) || matches!(previous, "to" | "let's" | "lets" | "we" | "you" | "will" | "can" | "ready" | "must")
            // "go for it", "go for a walk", but not "Go for tooling".
            || next_word == "for"
                && after.split_whitespace().nth(1).is_some_and(|w| {
                    matches!(w.trim_matches(|c: char| !c.is_alphanumeric()), "it" | "a" | "an" | "the" | "broke")
                })
}

/// Whether the words around a mention show it is not the skill.
fn refuted_by_neighbours(normalized: &str, before: &str, after: &str) -> bool {
    let previous = before.split_whitespace().next_back().unwrap_or_default();
    let next = after.split_whitespace().next().unwrap_or_default();
    let next_word = next.trim_matches(|c: char| !c.is_alphanumeric());
    // "I'm Julia, talent partner at ...", "Cheers,\nRuby": a person's name.
    let named = before.trim_end();
    if ["i'm", "i am", "my name is", "name's", "cheers,", "regards,", "thanks,", "best,", "wishes,"].iter().any(|w| {
        named.ends_with(w) && !named.get(..named.len() - w.len()).is_some_and(|b| b.ends_with(char::is_alphanumeric))
    }) {
        return true;
    }
    match normalized {
        // "Xcelium, VCS or Questa": Synopsys' simulator, not version control.
        "vcs" => {
            let near = |text: &str, from_end: bool| {
                let text = text.to_ascii_lowercase();
                let window = if from_end {
                    text.get(text.len().saturating_sub(40)..).unwrap_or_default().to_owned()
                } else {
                    text.chars().take(40).collect()
                };
                ["xcelium", "questa", "modelsim", "simulator", "riviera", "verilator", "incisive"]
                    .iter()
                    .any(|w| window.contains(w))
            };
            near(before, true) || near(after, false)
        }
        "go" => go_is_the_verb(previous, next_word, after),
        "r" => after.starts_with('&') || after.starts_with(" &") || after.starts_with('\''),
        // "PDF rendering", "server-side rendering": producing a document or page.
        "rendering" => matches!(previous, "pdf" | "html" | "document" | "page" | "report" | "template" | "email"),
        // "Perforce for version control": another system's job, not Git.
        "version control" => {
            let recent = before.to_ascii_lowercase();
            ["perforce", "svn", "subversion", "mercurial", "plastic scm", "tfvc"].iter().any(|w| recent.contains(w))
        }
        // "OTP and the BEAM": Erlang's virtual machine, not Apache Beam; "at the helm": leading,
        // not Kubernetes' package manager.
        "beam" | "helm" => matches!(previous, "the"),
        // "RESTful ABAP Programming Model": SAP's RAP, not REST APIs.
        "restful" => next_word == "abap",
        "c" => {
            matches!(next_word, "level" | "suite" | "corp" | "corporation")
                || matches!(previous, "series" | "vitamin" | "type" | "grade")
                || after.starts_with('.')
        }
        // "(Unity, CppUTest or GoogleTest)": ThrowTheSwitch's C unit-test framework.
        "unity" => {
            let window = format!("{before} {}", after.chars().take(40).collect::<String>()).to_ascii_lowercase();
            ["cpputest", "googletest", "gtest", "ceedling", "cmock", "unit test", "unit-test", "test framework"]
                .iter()
                .any(|w| window.contains(w))
        }
        "spring" => {
            matches!(previous, "this" | "next" | "last" | "the" | "in" | "early" | "late" | "by")
                || next_word.len() == 4 && next_word.chars().all(|c| c.is_ascii_digit())
                || matches!(next_word, "semester" | "term" | "break" | "season" | "festival")
        }
        "hiring" | "recruiting" => {
            matches!(
                previous,
                "we're" | "we" | "are" | "is" | "now" | "currently" | "actively" | "were" | "re" | "i'm" | "am"
            ) || matches!(
                next_word,
                "manager" | "managers" | "process" | "team" | "now" | "for" | "across" | "in" | "a" | "an"
            )
        }
        "security" => {
            // "Splunk Enterprise Security": a product's name.
            matches!(previous, "social" | "job" | "national" | "financial" | "enterprise")
                || matches!(next_word, "clearance")
        }
        "node" => matches!(previous, "a" | "each" | "every" | "per"),
        // "Triton kernels" are GPU code, not the inference server.
        "triton" => matches!(next_word, "kernel" | "kernels" | "language" | "compiler"),
        // "communication stacks (CAN, LIN)": protocols, not the soft skill.
        "communication" => matches!(
            next_word,
            "stack"
                | "stacks"
                | "protocol"
                | "protocols"
                | "layer"
                | "layers"
                | "bus"
                | "buses"
                | "interfaces"
                | "channels"
        ),
        _ => false,
    }
}

/// "Cheers,\nJulia" or a message's last line "Julia": a name signing the text.
fn signed_with(original: &str, start: usize, end: usize) -> bool {
    let before = original.get(..start).unwrap_or_default();
    let after = original.get(end..).unwrap_or_default();
    let line_before = before.rsplit('\n').next().unwrap_or_default();
    let line_after = after.split('\n').next().unwrap_or_default();
    if !line_before.trim().is_empty() || !line_after.trim().is_empty() {
        return false;
    }
    let last_line = after.trim().is_empty();
    last_line || under_sign_off(before)
}

/// Whether the last line of `before` (text up to a line of its own) is a sign-off: "Cheers,",
/// "Best regards,".
fn under_sign_off(before: &str) -> bool {
    before
        .trim_end()
        .rsplit('\n')
        .next()
        .is_some_and(|line| line.trim_end().ends_with(',') && line.split_whitespace().count() <= 3)
}

/// Words that introduce a person by their job: "the hiring manager, Priya Swift".
const PEOPLE_TITLES: &[&str] =
    &["manager", "head of", "director", "recruiter", "founder", "ceo", "cto", "cpo", "vp ", "talent partner"];

/// "Cheers,\nDan Jenkins", "the hiring manager, Priya Swift", "the Head of Data, Ruby Chen": a
/// person's name written beside a skill's (a capitalized word next to a capitalized word).
fn person_named(original: &str, start: usize, end: usize) -> bool {
    let capitalized = |word: &str| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    };
    let written = original.get(start..end).unwrap_or_default();
    if !capitalized(written) {
        return false;
    }
    let before = original.get(..start).unwrap_or_default();
    let after = original.get(end..).unwrap_or_default();
    let line_before = before.rsplit('\n').next().unwrap_or_default();
    let line_after = after.split('\n').next().unwrap_or_default();
    let word = |w: &str| capitalized(w.trim_matches(|c: char| !c.is_alphanumeric()));
    let surname = after.split_whitespace().next().is_some_and(word);
    // A line of only a name, under a sign-off ("Cheers,").
    let line = line_before.split_whitespace().chain([written]).chain(line_after.split_whitespace());
    if (2..=3).contains(&line.clone().count())
        && line.clone().all(word)
        && under_sign_off(before.get(..before.len() - line_before.len()).unwrap_or_default())
    {
        return true;
    }
    // A name after the job that introduces it.
    let head = line_before.trim_end();
    let (head, given_name) = match head.rsplit_once(' ') {
        Some((rest, given)) if capitalized(given) => (rest, true),
        _ => (head, false),
    };
    if !head.ends_with(',') || !(given_name || surname) {
        return false;
    }
    let words: Vec<&str> = head.trim_end_matches(',').split_whitespace().rev().take(4).collect();
    let phrase = words.into_iter().rev().collect::<Vec<_>>().join(" ").to_lowercase() + " ";
    PEOPLE_TITLES.iter().any(|t| phrase.contains(t))
}

/// Nouns after which "Swift" is the adjective ("a swift response", "swift turnaround").
const SWIFT_AS_ADJECTIVE: &[&str] = &[
    "response",
    "responses",
    "reply",
    "replies",
    "turnaround",
    "resolution",
    "action",
    "feedback",
    "decision",
    "decisions",
    "process",
    "answer",
    "recovery",
];

/// "publishing and maintaining apps", "publishing the results": an industry's name used as the
/// verb it comes from (a gerund with an object, or joined to another gerund).
fn gerund_with_object(normalized: &str, after: &str) -> bool {
    if normalized.contains(' ') || !normalized.ends_with("ing") {
        return false;
    }
    let mut words = after.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    match words.next() {
        Some("the" | "a" | "an" | "our" | "your" | "their" | "its" | "apps" | "them" | "it") => true,
        Some("and" | "or") => words.next().is_some_and(|w| w.len() > 4 && w.ends_with("ing")),
        _ => false,
    }
}

/// Whether a mention, as written in `original` at `start`, is not the skill (`before` and
/// `after`, folded, around it): "SEPA, SWIFT or card networks" is the payment network, not
/// Apple's language; "CAN" in a line written all in capitals ("YOU CAN APPLY") is a verb.
fn refuted_as_written(
    normalized: &str,
    written: &str,
    original: &str,
    start: usize,
    before: &str,
    after: &str,
) -> bool {
    match normalized {
        "swift" if written == "SWIFT" => {
            let window = format!(
                "{} {}",
                before.get(before.len().saturating_sub(60)..).unwrap_or(before),
                after.chars().take(60).collect::<String>()
            );
            ["sepa", "payment", "iban", "bic", "wire transfer", "transfers", "banking", "bacs", "fedwire", "iso 20022"]
                .iter()
                .any(|w| window.contains(w))
        }
        // "Cisco IOS-XE", "NX-OS": network operating systems, not Apple's or the build tool.
        "ios" | "nx" => {
            let rest = original.get(start + written.len()..).unwrap_or_default().to_ascii_lowercase();
            ["-xe", "-xr", "-os", " xe", " xr"].iter().any(|s| rest.starts_with(s))
                || before.trim_end().ends_with("cisco")
        }
        // "Swift response would be appreciated": the adjective before an everyday noun.
        "swift" => {
            let next = after.split_whitespace().next().unwrap_or_default();
            let next = next.trim_matches(|c: char| !c.is_alphanumeric());
            SWIFT_AS_ADJECTIVE.contains(&next)
        }
        // "Hardware ray tracing", "path tracing": rendering, not request tracing.
        "tracing" => ["ray", "path", "cone", "beam"].iter().any(|w| before.trim_end().ends_with(w)),
        // "Defender ASR rules": attack surface reduction, not speech recognition.
        "asr" => {
            let window = format!(
                "{} {}",
                before.get(before.len().saturating_sub(60)..).unwrap_or(before),
                after.chars().take(60).collect::<String>()
            );
            ["defender", "attack surface", "intune", "endpoint", "exploit guard"].iter().any(|w| window.contains(w))
        }
        // "shipping containers": the freight, not the packaging of software.
        "containers" => ["shipping", "freight", "cargo"].iter().any(|w| before.trim_end().ends_with(w)),
        // "Mask R-CNN": part of a model's name.
        "r" => original.get(start + written.len()..).is_some_and(|a| a.starts_with('-')),
        "can" => {
            let line_start = original.get(..start).and_then(|b| b.rfind('\n')).map_or(0, |at| at + 1);
            let line_end = original.get(start..).and_then(|a| a.find('\n')).map_or(original.len(), |at| start + at);
            let line = original.get(line_start..line_end).unwrap_or_default();
            line.split_whitespace().count() >= 4 && line.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        }
        _ => false,
    }
}

fn casing_of(normalized: &str, written: &str, name: &str) -> Casing {
    if ALL_CAPITALS_ONLY.contains(&normalized) {
        return if written == "SAFe" { Casing::AsNamed } else { Casing::AllCapitals };
    }
    let letters_only = normalized.chars().all(|c| c.is_ascii_alphabetic());
    // Short spellings need a capital, unless the skill writes itself in lower case ("dbt", "npm").
    if letters_only && normalized.len() <= 3 && name.chars().any(char::is_uppercase) {
        return if CAPITALIZED_ONLY.contains(&normalized) { Casing::Capitalized } else { Casing::SomeCapital };
    }
    if CAPITALIZED_ONLY.contains(&normalized) {
        return Casing::Capitalized;
    }
    Casing::Any
}

fn cased_right(casing: Casing, found: &str, name: &str) -> bool {
    match casing {
        Casing::Any => true,
        Casing::SomeCapital => found.chars().any(char::is_uppercase),
        Casing::Capitalized => found.chars().next().is_some_and(char::is_uppercase),
        // A plural "s" may be lower case ("OKRs").
        Casing::AllCapitals => {
            let core = found.strip_suffix('s').filter(|core| core.len() >= 2).unwrap_or(found);
            core.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        }
        Casing::AsNamed => found == name,
    }
}

/// A skill mention: which skill, and where in the original text (UTF-8 byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub skill: usize,
    pub start: usize,
    pub end: usize,
}

/// The text folded the way spellings are (lower case; runs of white space, `-` and `_` as one
/// space), and for each folded byte the byte of the original it came from.
#[derive(Debug)]
pub struct Folded {
    pub text: String,
    origin: Vec<usize>,
    original_len: usize,
}

impl Folded {
    /// Folds `original`.
    #[must_use]
    pub fn of(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        let mut pending_space: Option<usize> = None;
        for (at, ch) in original.char_indices() {
            if ch.is_whitespace() || ch == '-' || ch == '_' {
                if pending_space.is_none() {
                    pending_space = Some(at);
                }
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                text.push(' ');
                origin.push(space_at);
            }
            for lower in ch.to_lowercase() {
                let before = text.len();
                text.push(lower);
                origin.extend(std::iter::repeat_n(at, text.len() - before));
            }
        }
        Self { text, origin, original_len: original.len() }
    }

    /// The original byte offset of folded byte `at` (the end of the text past the last byte).
    #[must_use]
    pub fn original(&self, at: usize) -> usize {
        self.origin.get(at).copied().unwrap_or(self.original_len)
    }

    /// The original byte offset just past folded bytes `..end`.
    fn original_end(&self, end: usize, original: &str) -> usize {
        match end.checked_sub(1).and_then(|last| self.origin.get(last)) {
            Some(&start_of_last) => {
                start_of_last + original.get(start_of_last..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8)
            }
            None => 0,
        }
    }
}

/// Every spelling of a set of skills, compiled once.
#[derive(Debug)]
pub struct SkillMatcher {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    skills: Vec<KnownSkill>,
    /// Normalized spelling → skill, for qualified look-ups ("AWS (IAM)" as "AWS IAM").
    by_spelling: HashMap<String, usize>,
}

/// A mention before overlaps are resolved, with the matcher it came from (later matchers win
/// ties: an organization's own spelling over a built-in one).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    source: usize,
    skill: usize,
    start: usize,
    end: usize,
}

impl SkillMatcher {
    /// Compiles `spellings` of `skills`. Spellings that normalize to nothing are left out.
    #[must_use]
    pub fn new(skills: Vec<KnownSkill>, spellings: &[Spelling]) -> Self {
        let mut patterns = Vec::with_capacity(spellings.len());
        for spelling in spellings {
            let normalized = migration::skill_names::normalize(&spelling.text);
            let Some(skill) = skills.get(spelling.skill) else { continue };
            if normalized.is_empty() {
                continue;
            }
            let written = if normalized == migration::skill_names::normalize(&skill.name) {
                skill.name.as_str()
            } else {
                spelling.text.as_str()
            };
            patterns.push(Pattern {
                skill: spelling.skill,
                casing: casing_of(&normalized, written, &skill.name),
                normalized,
            });
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(patterns.iter().map(|p| p.normalized.as_str()))
            .ok();
        let by_spelling = patterns.iter().map(|p| (p.normalized.clone(), p.skill)).collect();
        Self { automaton, patterns, skills, by_spelling }
    }

    /// The skill a spelling names, if this matcher knows the spelling.
    #[must_use]
    pub fn skill_spelled(&self, spelling: &str) -> Option<usize> {
        self.by_spelling.get(&migration::skill_names::normalize(spelling)).copied()
    }

    /// The skills this matcher knows, by the index mentions carry.
    #[must_use]
    pub fn skills(&self) -> &[KnownSkill] {
        &self.skills
    }

    /// How many spellings it holds.
    #[must_use]
    pub fn spellings(&self) -> usize {
        self.patterns.len()
    }

    fn candidates(&self, source: usize, original: &str, folded: &Folded, out: &mut Vec<Candidate>) {
        let Some(automaton) = &self.automaton else { return };
        let text = folded.text.as_str();
        for found in automaton.find_overlapping_iter(text) {
            let Some(pattern) = self.patterns.get(found.pattern().as_usize()) else { continue };
            let (start, end) = (found.start(), found.end());
            let before = text.get(..start).unwrap_or_default();
            let after = text.get(end..).unwrap_or_default();
            if before.chars().next_back().is_some_and(char::is_alphanumeric) {
                continue;
            }
            // A plural of a longer spelling counts ("cloud architectures", "microcontrollers").
            let plural = pattern.normalized.len() >= 5
                && pattern.normalized.ends_with(|c: char| c.is_ascii_lowercase() && c != 's')
                && after.starts_with('s')
                && !after.get(1..).and_then(|a| a.chars().next()).is_some_and(char::is_alphanumeric);
            let end = if plural { end + 1 } else { end };
            let after = if plural { after.get(1..).unwrap_or_default() } else { after };
            if after.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '+' || c == '#') {
                continue;
            }
            // "node.js" must not leave "js" to be found again inside it, nor ".net" in "asp.net".
            if before.ends_with('.') && pattern.normalized.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let original_start = folded.original(start);
            let original_end = folded.original_end(end, original);
            let written = original.get(original_start..original_end).unwrap_or_default();
            let Some(skill) = self.skills.get(pattern.skill) else { continue };
            if !cased_right(pattern.casing, written, &skill.name) {
                continue;
            }
            if skill.category == SkillCategory::Domain && gerund_with_object(&pattern.normalized, after) {
                continue;
            }
            if CAPITALIZED_ONLY.contains(&pattern.normalized.as_str())
                && signed_with(original, original_start, original_end)
                || person_named(original, original_start, original_end)
            {
                continue;
            }
            let window_before = before.get(before.len().saturating_sub(24)..).unwrap_or(before);
            if refuted_by_neighbours(&pattern.normalized, window_before, after)
                || refuted_as_written(&pattern.normalized, written, original, original_start, before, after)
            {
                continue;
            }
            out.push(Candidate { source, skill: pattern.skill, start: original_start, end: original_end });
        }
    }
}

/// Finds the mentions of `matchers`' skills in `text`, longest first and never overlapping.
/// Mentions are returned in text order with `(matcher index, mention)`.
#[must_use]
pub fn mentions(matchers: &[&SkillMatcher], text: &str) -> Vec<(usize, Mention)> {
    let folded = Folded::of(text);
    let mut candidates = Vec::new();
    for (source, matcher) in matchers.iter().enumerate() {
        matcher.candidates(source, text, &folded, &mut candidates);
    }
    // Longest first (an organization's spelling first among equals), then leftmost.
    candidates.sort_by(|a, b| {
        (b.end - b.start).cmp(&(a.end - a.start)).then(b.source.cmp(&a.source)).then(a.start.cmp(&b.start))
    });
    // Which bytes a longer mention already holds: one pass, whatever the number of mentions.
    let mut held = vec![false; text.len()];
    let mut taken: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        let span = held.get(candidate.start..candidate.end).unwrap_or_default();
        if !span.iter().any(|b| *b) {
            if let Some(span) = held.get_mut(candidate.start..candidate.end) {
                span.fill(true);
            }
            taken.push(candidate);
        }
    }
    taken.sort_by_key(|c| c.start);
    taken.into_iter().map(|c| (c.source, Mention { skill: c.skill, start: c.start, end: c.end })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(entries: &[(&str, &[&str])]) -> SkillMatcher {
        let mut skills = Vec::new();
        let mut spellings = Vec::new();
        for (index, (name, aliases)) in entries.iter().enumerate() {
            skills.push(KnownSkill { id: Uuid::nil(), name: (*name).to_owned(), category: SkillCategory::Language });
            spellings.push(Spelling { text: (*name).to_owned(), skill: index });
            for alias in *aliases {
                spellings.push(Spelling { text: (*alias).to_owned(), skill: index });
            }
        }
        SkillMatcher::new(skills, &spellings)
    }

    fn found(matcher: &SkillMatcher, text: &str) -> Vec<String> {
        mentions(&[matcher], text)
            .into_iter()
            .map(|(_, m)| format!("{}={}", matcher.skills()[m.skill].name, &text[m.start..m.end]))
            .collect()
    }

    #[test]
    fn a_person_named_like_a_skill_is_no_mention() {
        let m = matcher(&[("Swift", &[]), ("Ruby", &[]), ("Jenkins", &[]), ("Kafka", &[])]);
        let text = "Notes from the call with the hiring manager, Priya Swift: Kafka.\n\
                    Then a round with the Head of Data, Ruby Chen.\n\nCheers,\nDan Jenkins\nSenior Recruiter";
        assert_eq!(found(&m, text), ["Kafka=Kafka"]);
        // A list after a comma names skills, capitalized or not.
        assert_eq!(
            found(&m, "You know Kafka, Swift and Ruby. Jenkins, Kafka Streams"),
            ["Kafka=Kafka", "Swift=Swift", "Ruby=Ruby", "Jenkins=Jenkins", "Kafka=Kafka"]
        );
    }

    #[test]
    fn everyday_uses_of_skill_words_are_no_mention() {
        let m = matcher(&[
            ("Swift", &[]),
            ("Distributed tracing", &["tracing"]),
            ("Speech recognition", &["asr"]),
            ("Containerization", &["containers"]),
        ]);
        let text = "Swift response would be appreciated. Hardware ray tracing, path tracing. Defender ASR rules. \
                    Shipping containers through the port.";
        assert!(found(&m, text).is_empty(), "{:?}", found(&m, text));
        assert_eq!(
            found(&m, "Swift and SwiftUI apps, request tracing, ASR models, containers on Kubernetes"),
            ["Swift=Swift", "Distributed tracing=tracing", "Speech recognition=ASR", "Containerization=containers"]
        );
    }

    #[test]
    fn longest_spelling_wins_and_offsets_point_into_the_original() {
        let m = matcher(&[("Apache Spark", &["spark"]), ("Spark Streaming", &[]), ("Go", &["golang"])]);
        assert_eq!(
            found(&m, "Apache  Spark-Streaming and Spark"),
            ["Spark Streaming=Spark-Streaming", "Apache Spark=Spark"]
        );
        assert_eq!(found(&m, "Ünïcode Go, golang"), ["Go=Go", "Go=golang"]);
    }

    #[test]
    fn ambiguous_words_need_their_casing_and_context() {
        let m = matcher(&[
            ("Go", &[]),
            ("R", &[]),
            ("C", &[]),
            ("C++", &["cpp"]),
            ("Helm", &[]),
            ("Spring", &[]),
            ("REST API", &["rest"]),
        ]);
        assert!(
            found(&m, "the go-to person, ready to go, at the helm, spring 2026, R&D, Series C, the rest").is_empty()
        );
        assert_eq!(
            found(&m, "Go, R, C and C++ with Helm charts and Spring; REST"),
            ["Go=Go", "R=R", "C=C", "C++=C++", "Helm=Helm", "Spring=Spring", "REST API=REST"]
        );
    }

    #[test]
    fn dotted_names_are_not_found_again_inside_longer_ones() {
        let m = matcher(&[("Node.js", &["node"]), ("JavaScript", &["js"]), (".NET", &[]), ("ASP.NET", &[])]);
        assert_eq!(found(&m, "Node.js, ASP.NET and .NET"), ["Node.js=Node.js", "ASP.NET=ASP.NET", ".NET=.NET"]);
    }
}
