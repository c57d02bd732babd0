//! The evaluation corpus (`corpus/*.txt`): job descriptions written for this test, from data
//! engineering to mobile, security, ML, design and management, in styles from bullet lists to
//! marketing prose, recruiter e-mails and corporate ads with boilerplate, annotated by hand and
//! read with the built-in taxonomy. It prints and bounds skill micro-precision and recall,
//! importance accuracy on correctly found skills (an annotation may allow two), exact
//! alternatives groups and exact minimum years, and that no skill of a negative or unrelated
//! context (`forbidden:`) is found.
//!
//! `corpus-held-out/` holds ten sets written without looking at the rules, each scored on its
//! own: 01-04, 05-21 (written before the rules changed for them, then learnt from), 22-27, 28-33
//! and 34-44 (each after the rules the set before prompted, then learnt from too), 45-54 and
//! 55-64, written after the round-4 rules, whose first runs (untuned) are the estimate for
//! unseen ads; the round-5 rules then learnt from both. 65-74 was written after the round-5
//! rules without reading them or the taxonomy; its first run, untuned: precision 0.873, recall
//! 0.858, importance 0.917, groups 0.686, years 0.975, eleven skills of negative contexts found
//! in six ads. Each set's test asserts floors a little under what it measured.
//!
//! A corpus file: `title:`, `years:` (the role's total, blank for none), `forbidden:` (slugs),
//! `---`, the description, `=== expected`, then `slug | IMPORTANCE[/IMPORTANCE] | group | years`.

use std::collections::{BTreeSet, HashMap};

use entity::Importance;
use uuid::Uuid;

use super::parse::{Draft, parse};
use super::service::builtin_matcher;

const CORPUS: &[(&str, &str)] = &[
    ("01-big-data-technical-lead", include_str!("corpus/01-big-data-technical-lead.txt")),
    ("02-big-data-technical-lead-bullets", include_str!("corpus/02-big-data-technical-lead-bullets.txt")),
    ("03-data-platform-issue-example", include_str!("corpus/03-data-platform-issue-example.txt")),
    ("04-mobile-ios", include_str!("corpus/04-mobile-ios.txt")),
    ("05-ml-engineer", include_str!("corpus/05-ml-engineer.txt")),
    ("06-security-engineer", include_str!("corpus/06-security-engineer.txt")),
    ("07-frontend-prose", include_str!("corpus/07-frontend-prose.txt")),
    ("08-recruiter-email", include_str!("corpus/08-recruiter-email.txt")),
    ("09-devops-sre", include_str!("corpus/09-devops-sre.txt")),
    ("10-data-scientist", include_str!("corpus/10-data-scientist.txt")),
    ("11-engineering-manager", include_str!("corpus/11-engineering-manager.txt")),
    ("12-backend-go", include_str!("corpus/12-backend-go.txt")),
    ("13-embedded", include_str!("corpus/13-embedded.txt")),
    ("14-fullstack-startup", include_str!("corpus/14-fullstack-startup.txt")),
    ("15-data-analyst-corporate", include_str!("corpus/15-data-analyst-corporate.txt")),
    ("16-game-dev", include_str!("corpus/16-game-dev.txt")),
    ("17-cloud-architect-german-style", include_str!("corpus/17-cloud-architect-german-style.txt")),
    ("18-qa-automation", include_str!("corpus/18-qa-automation.txt")),
    ("19-analytics-engineer-marketing-prose", include_str!("corpus/19-analytics-engineer-marketing-prose.txt")),
    ("20-product-designer", include_str!("corpus/20-product-designer.txt")),
    ("21-llm-engineer", include_str!("corpus/21-llm-engineer.txt")),
];

struct Expected {
    importances: Vec<Importance>,
    group: Option<String>,
    years: Option<u8>,
}

struct Case {
    title: String,
    years: Option<u8>,
    forbidden: Vec<String>,
    text: String,
    expected: HashMap<String, Expected>,
}

fn importance(name: &str) -> Importance {
    match name.trim() {
        "PREFERRED" => Importance::Preferred,
        "NICE_TO_HAVE" => Importance::NiceToHave,
        "REQUIRED" => Importance::Required,
        other => panic!("unknown importance {other:?}"),
    }
}

fn case(source: &str) -> Case {
    let (head, rest) = source.split_once("\n---\n").expect("a --- line");
    let (text, expected) = rest.split_once("=== expected\n").expect("an === expected line");
    let header =
        |key: &str| head.lines().find_map(|l| l.strip_prefix(key)).map(str::trim).unwrap_or_default().to_owned();
    let years = header("years:");
    let expected = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            let [slug, importances, group, years] = fields[..] else { panic!("bad line {line:?}") };
            (
                slug.to_owned(),
                Expected {
                    importances: importances.split('/').map(importance).collect(),
                    group: (!group.is_empty()).then(|| group.to_owned()),
                    years: (!years.is_empty()).then(|| years.parse().expect("years")),
                },
            )
        })
        .collect();
    Case {
        title: header("title:"),
        years: (!years.is_empty()).then(|| years.parse().expect("years")),
        forbidden: header("forbidden:")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        text: text.trim().to_owned(),
        expected,
    }
}

#[derive(Debug, Default)]
struct Tally {
    found: usize,
    correct: usize,
    annotated: usize,
    importance_right: usize,
    groups_right: usize,
    groups_total: usize,
    years_right: usize,
    years_total: usize,
    forbidden_found: Vec<String>,
    notes: Vec<String>,
}

fn score(name: &str, case: &Case, draft: &Draft, slug_of: &HashMap<Uuid, &'static str>, tally: &mut Tally) {
    let found: HashMap<&str, &super::parse::DraftRequirement> =
        draft.requirements.iter().map(|r| (slug_of.get(&r.skill.id).copied().unwrap_or("?"), r)).collect();
    tally.found += found.len();
    tally.annotated += case.expected.len();
    for (slug, requirement) in &found {
        let Some(expected) = case.expected.get(*slug) else {
            tally.notes.push(format!("{name}: extra {slug} ({:?})", requirement.evidence.first().map(|e| &e.text)));
            continue;
        };
        tally.correct += 1;
        if expected.importances.contains(&requirement.importance) {
            tally.importance_right += 1;
        } else {
            tally
                .notes
                .push(format!("{name}: {slug} is {:?}, expected {:?}", requirement.importance, expected.importances));
        }
        tally.years_total += 1;
        if expected.years == requirement.min_years {
            tally.years_right += 1;
        } else {
            tally
                .notes
                .push(format!("{name}: {slug} years {:?}, expected {:?}", requirement.min_years, expected.years));
        }
    }
    for slug in case.expected.keys() {
        if !found.contains_key(slug.as_str()) {
            tally.notes.push(format!("{name}: missed {slug}"));
        }
    }
    tally.years_total += 1;
    if draft.min_years_experience == case.years {
        tally.years_right += 1;
    } else {
        tally.notes.push(format!("{name}: total years {:?}, expected {:?}", draft.min_years_experience, case.years));
    }
    // Groups as sets of slugs: each annotated group must come out exactly; a group the
    // annotation does not have counts against.
    let annotated: BTreeSet<BTreeSet<&str>> = {
        let mut by_label: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for (slug, expected) in &case.expected {
            if let Some(label) = &expected.group {
                by_label.entry(label).or_default().insert(slug);
            }
        }
        by_label.into_values().collect()
    };
    let produced: BTreeSet<BTreeSet<&str>> = {
        let mut by_name: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for (slug, requirement) in &found {
            if let Some(group) = &requirement.alternatives_group {
                by_name.entry(group).or_default().insert(slug);
            }
        }
        by_name.into_values().collect()
    };
    tally.groups_total += annotated.union(&produced).count();
    tally.groups_right += annotated.intersection(&produced).count();
    for group in annotated.symmetric_difference(&produced) {
        tally
            .notes
            .push(format!("{name}: group {group:?} {}", if annotated.contains(group) { "missed" } else { "extra" }));
    }
    for slug in &case.forbidden {
        if found.contains_key(slug.as_str()) {
            tally.forbidden_found.push(format!("{name}: {slug}"));
        }
    }
}

/// Ads written after the rules were, and not tuned against: their figures are printed (they
/// estimate what unseen ads get), only negative contexts are asserted.
const HELD_OUT: &[(&str, &str)] = &[
    ("held-out/01-android", include_str!("corpus-held-out/01-android.txt")),
    ("held-out/02-data-engineer-prose", include_str!("corpus-held-out/02-data-engineer-prose.txt")),
    ("held-out/03-devops-email", include_str!("corpus-held-out/03-devops-email.txt")),
    ("held-out/04-security-analyst", include_str!("corpus-held-out/04-security-analyst.txt")),
];

/// A second held-out set, written before any rule was changed for it, in styles and fields the
/// corpus has little of: long corporate ads with boilerplate, recruiter e-mails, marketing prose,
/// nested headings, non-native English, tables as text, employers' products and other teams'
/// stacks.
const HELD_OUT_2: &[(&str, &str)] = &[
    ("held-out/05-sre-corporate", include_str!("corpus-held-out/05-sre-corporate.txt")),
    ("held-out/06-embedded-recruiter-email", include_str!("corpus-held-out/06-embedded-recruiter-email.txt")),
    ("held-out/07-frontend-nested-headings", include_str!("corpus-held-out/07-frontend-nested-headings.txt")),
    ("held-out/08-game-dev-non-native", include_str!("corpus-held-out/08-game-dev-non-native.txt")),
    (
        "held-out/09-data-scientist-marketing-prose",
        include_str!("corpus-held-out/09-data-scientist-marketing-prose.txt"),
    ),
    ("held-out/10-ml-engineer-table", include_str!("corpus-held-out/10-ml-engineer-table.txt")),
    ("held-out/11-appsec-products", include_str!("corpus-held-out/11-appsec-products.txt")),
    ("held-out/12-qa-examples", include_str!("corpus-held-out/12-qa-examples.txt")),
    ("held-out/13-eng-manager-decade", include_str!("corpus-held-out/13-eng-manager-decade.txt")),
    ("held-out/14-sales-engineer", include_str!("corpus-held-out/14-sales-engineer.txt")),
    ("held-out/15-ios-email-slashes", include_str!("corpus-held-out/15-ios-email-slashes.txt")),
    ("held-out/16-backend-rust-ranges", include_str!("corpus-held-out/16-backend-rust-ranges.txt")),
    ("held-out/17-data-engineer-dutch-corporate", include_str!("corpus-held-out/17-data-engineer-dutch-corporate.txt")),
    ("held-out/18-platform-engineer-one-of", include_str!("corpus-held-out/18-platform-engineer-one-of.txt")),
    ("held-out/19-automotive-embedded", include_str!("corpus-held-out/19-automotive-embedded.txt")),
    ("held-out/20-flutter-junior-linkedin", include_str!("corpus-held-out/20-flutter-junior-linkedin.txt")),
    ("held-out/21-head-of-data-prose", include_str!("corpus-held-out/21-head-of-data-prose.txt")),
];

/// Ads written after the rules for the second set. Their first run (precision 0.845, recall
/// 0.869, importance 0.828, groups 0.909, years 0.929, 13 negative-context hits) showed classes
/// of error the rules then learnt in general form, so they are no longer unseen.
const FINAL: &[(&str, &str)] = &[
    ("final/22-pentester-corporate", include_str!("corpus-held-out/22-pentester-corporate.txt")),
    ("final/23-react-native-email", include_str!("corpus-held-out/23-react-native-email.txt")),
    ("final/24-streaming-data-engineer", include_str!("corpus-held-out/24-streaming-data-engineer.txt")),
    ("final/25-llm-research-engineer-prose", include_str!("corpus-held-out/25-llm-research-engineer-prose.txt")),
    ("final/26-dba-non-native", include_str!("corpus-held-out/26-dba-non-native.txt")),
    ("final/27-support-engineer-table", include_str!("corpus-held-out/27-support-engineer-table.txt")),
];

/// Ads written after every rule change above. Their first run (precision 0.881, recall 0.850,
/// importance 0.927, groups 0.684, years 0.971, six negative-context hits) showed the group
/// rules that failed (parenthesised sub-lists, "X preferred, Y acceptable", "X, but Y or Z is just
/// as good") and the contexts missed; the rules then learnt those in general form.
const LAST: &[(&str, &str)] = &[
    ("last/28-cloud-engineer-public-sector", include_str!("corpus-held-out/28-cloud-engineer-public-sector.txt")),
    ("last/29-mobile-lead-bullets", include_str!("corpus-held-out/29-mobile-lead-bullets.txt")),
    ("last/30-marketing-analyst-prose", include_str!("corpus-held-out/30-marketing-analyst-prose.txt")),
    ("last/31-embedded-linux-french", include_str!("corpus-held-out/31-embedded-linux-french.txt")),
    ("last/32-game-backend-email", include_str!("corpus-held-out/32-game-backend-email.txt")),
    ("last/33-qa-lead-nested", include_str!("corpus-held-out/33-qa-lead-nested.txt")),
];

/// Ads written (and annotated, from the taxonomy as it stood) after the round-3 rules. Their
/// first run, untuned (precision 0.871, recall 0.846, importance 0.993, groups 0.750, years
/// 0.981, five negative-context hits), showed the classes of error the round-4 rules learnt in
/// general form (elided heads, people named by a skill, the employer's code, denials of the
/// clause before, "X and Y or Z"), so they are no longer unseen: an SRE ad
/// with EEO and privacy text, MLOps bullets with "Not needed:", a detection-engineer recruiter
/// e-mail, Django prose with "we're hiring" and "go-to person", a German-style Android ad, a data
/// engineer's skills table with a Must / Nice column, Vue in Markdown headings, a UK building
/// society's Azure DevOps ad, a Head of Platform in prose, a firmware recruiter e-mail, and a
/// robotics perception ad.
const NEWEST: &[(&str, &str)] = &[
    ("newest/34-sre-payments-corporate", include_str!("corpus-held-out/34-sre-payments-corporate.txt")),
    ("newest/35-mlops-platform-bullets", include_str!("corpus-held-out/35-mlops-platform-bullets.txt")),
    ("newest/36-detection-engineer-email", include_str!("corpus-held-out/36-detection-engineer-email.txt")),
    ("newest/37-backend-django-prose", include_str!("corpus-held-out/37-backend-django-prose.txt")),
    ("newest/38-android-german-style", include_str!("corpus-held-out/38-android-german-style.txt")),
    ("newest/39-data-engineer-table", include_str!("corpus-held-out/39-data-engineer-table.txt")),
    ("newest/40-frontend-vue-markdown", include_str!("corpus-held-out/40-frontend-vue-markdown.txt")),
    ("newest/41-azure-devops-uk-corporate", include_str!("corpus-held-out/41-azure-devops-uk-corporate.txt")),
    ("newest/42-head-of-platform-prose", include_str!("corpus-held-out/42-head-of-platform-prose.txt")),
    ("newest/43-firmware-recruiter-email", include_str!("corpus-held-out/43-firmware-recruiter-email.txt")),
    ("newest/44-robotics-perception", include_str!("corpus-held-out/44-robotics-perception.txt")),
];

/// The fifth set, written and annotated (from the taxonomy) after the round-4 rules and not
/// tuned against: an R pricing data scientist, .NET payments bullets, a Go platform recruiter
/// e-mail, an embedded medical ad in capital headings, a TypeScript full-stack ad in Markdown, a
/// corporate cloud-security ad, Spark data engineering in prose, a lead iOS ad, NLP search
/// bullets and a Polish QA manager's numbered lists.
const FIFTH: &[(&str, &str)] = &[
    ("fifth/45-data-scientist-r-insurance", include_str!("corpus-held-out/45-data-scientist-r-insurance.txt")),
    ("fifth/46-dotnet-payments-bullets", include_str!("corpus-held-out/46-dotnet-payments-bullets.txt")),
    ("fifth/47-go-platform-recruiter-email", include_str!("corpus-held-out/47-go-platform-recruiter-email.txt")),
    (
        "fifth/48-embedded-medical-capital-headings",
        include_str!("corpus-held-out/48-embedded-medical-capital-headings.txt"),
    ),
    ("fifth/49-fullstack-typescript-markdown", include_str!("corpus-held-out/49-fullstack-typescript-markdown.txt")),
    ("fifth/50-cloud-security-corporate", include_str!("corpus-held-out/50-cloud-security-corporate.txt")),
    ("fifth/51-data-engineer-spark-prose", include_str!("corpus-held-out/51-data-engineer-spark-prose.txt")),
    ("fifth/52-ios-lead-mixed", include_str!("corpus-held-out/52-ios-lead-mixed.txt")),
    ("fifth/53-nlp-search-bullets", include_str!("corpus-held-out/53-nlp-search-bullets.txt")),
    ("fifth/54-qa-manager-polish-numbered", include_str!("corpus-held-out/54-qa-manager-polish-numbered.txt")),
];

/// The sixth set, written and annotated (from the taxonomy) after the round-4 rules and not
/// tuned against: a German-English data-platform ad, a fintech SRE in on-call prose, a robotics
/// C++/ROS ad in capital headings, a Salesforce/ERP consultant, a Rust blockchain ad in
/// Markdown, a bioinformatics ad with lettered lists, a staff engineer in marketing prose, a
/// terse LinkedIn message, a game backend ad and an ASIC verification ad.
const SIXTH: &[(&str, &str)] = &[
    ("sixth/55-data-platform-german-english", include_str!("corpus-held-out/55-data-platform-german-english.txt")),
    ("sixth/56-sre-fintech-on-call-prose", include_str!("corpus-held-out/56-sre-fintech-on-call-prose.txt")),
    ("sixth/57-robotics-cpp-ros-capitals", include_str!("corpus-held-out/57-robotics-cpp-ros-capitals.txt")),
    ("sixth/58-salesforce-erp-consultant", include_str!("corpus-held-out/58-salesforce-erp-consultant.txt")),
    ("sixth/59-blockchain-rust-markdown", include_str!("corpus-held-out/59-blockchain-rust-markdown.txt")),
    ("sixth/60-bioinformatics-lettered", include_str!("corpus-held-out/60-bioinformatics-lettered.txt")),
    ("sixth/61-staff-engineer-marketing-prose", include_str!("corpus-held-out/61-staff-engineer-marketing-prose.txt")),
    ("sixth/62-frontend-linkedin-terse", include_str!("corpus-held-out/62-frontend-linkedin-terse.txt")),
    ("sixth/63-game-backend-live-services", include_str!("corpus-held-out/63-game-backend-live-services.txt")),
    (
        "sixth/64-hardware-verification-systemverilog",
        include_str!("corpus-held-out/64-hardware-verification-systemverilog.txt"),
    ),
];

/// The seventh set, written after the round-5 rules without reading them or the taxonomy, then
/// annotated with the taxonomy's slugs, and not tuned against: an analytics engineer in bullets,
/// a platform-engineer recruiter e-mail, a Nordic bank's Android ad with EEO and GDPR text,
/// product security in prose, ML recommendations in Markdown, embedded motor control in numbered
/// lists, a fintech ledger backend in prose, a Polish QA automation ad in non-native English, an
/// engineering manager's "about ten years" and a Solutions Architect recruiter e-mail.
const SEVENTH: &[(&str, &str)] = &[
    (
        "seventh/65-analytics-engineer-dbt-bullets",
        include_str!("corpus-held-out/65-analytics-engineer-dbt-bullets.txt"),
    ),
    (
        "seventh/66-platform-engineer-recruiter-email",
        include_str!("corpus-held-out/66-platform-engineer-recruiter-email.txt"),
    ),
    ("seventh/67-android-banking-corporate-eeo", include_str!("corpus-held-out/67-android-banking-corporate-eeo.txt")),
    ("seventh/68-product-security-prose", include_str!("corpus-held-out/68-product-security-prose.txt")),
    ("seventh/69-ml-recommendations-markdown", include_str!("corpus-held-out/69-ml-recommendations-markdown.txt")),
    (
        "seventh/70-embedded-motor-control-numbered",
        include_str!("corpus-held-out/70-embedded-motor-control-numbered.txt"),
    ),
    ("seventh/71-fintech-backend-kotlin-prose", include_str!("corpus-held-out/71-fintech-backend-kotlin-prose.txt")),
    ("seventh/72-qa-automation-non-native", include_str!("corpus-held-out/72-qa-automation-non-native.txt")),
    (
        "seventh/73-engineering-manager-decade-prose",
        include_str!("corpus-held-out/73-engineering-manager-decade-prose.txt"),
    ),
    (
        "seventh/74-solutions-architect-presales-email",
        include_str!("corpus-held-out/74-solutions-architect-presales-email.txt"),
    ),
];

/// The eighth set, written after the round-6 rules without reading them or the taxonomy, then
/// annotated with the taxonomy's slugs, and not tuned against: a BI developer in a long
/// corporate ad, a telco SRE recruiter e-mail, Elixir/Phoenix in Markdown, computer vision in
/// marketing prose, an Unreal tools programmer's LinkedIn message, Shopify full-stack in
/// numbered lists, Java/Spring in a Swiss insurer's ad, a SOC lead's table, a Polish Azure data
/// engineer ad, Kotlin Multiplatform with a "Not required" section, a GitOps platform e-mail and
/// a US health system's data analyst ad with EEO text.
const EIGHTH: &[(&str, &str)] = &[
    (
        "eighth/75-bi-developer-corporate-boilerplate",
        include_str!("corpus-held-out/75-bi-developer-corporate-boilerplate.txt"),
    ),
    ("eighth/76-sre-telco-recruiter-email", include_str!("corpus-held-out/76-sre-telco-recruiter-email.txt")),
    ("eighth/77-elixir-phoenix-markdown", include_str!("corpus-held-out/77-elixir-phoenix-markdown.txt")),
    (
        "eighth/78-computer-vision-marketing-prose",
        include_str!("corpus-held-out/78-computer-vision-marketing-prose.txt"),
    ),
    (
        "eighth/79-unreal-tools-programmer-linkedin-dm",
        include_str!("corpus-held-out/79-unreal-tools-programmer-linkedin-dm.txt"),
    ),
    (
        "eighth/80-shopify-fullstack-numbered-lists",
        include_str!("corpus-held-out/80-shopify-fullstack-numbered-lists.txt"),
    ),
    (
        "eighth/81-java-spring-insurance-corporate",
        include_str!("corpus-held-out/81-java-spring-insurance-corporate.txt"),
    ),
    ("eighth/82-soc-lead-table", include_str!("corpus-held-out/82-soc-lead-table.txt")),
    ("eighth/83-azure-data-engineer-non-native", include_str!("corpus-held-out/83-azure-data-engineer-non-native.txt")),
    (
        "eighth/84-kotlin-multiplatform-markdown-negatives",
        include_str!("corpus-held-out/84-kotlin-multiplatform-markdown-negatives.txt"),
    ),
    (
        "eighth/85-platform-engineer-gitops-recruiter-email",
        include_str!("corpus-held-out/85-platform-engineer-gitops-recruiter-email.txt"),
    ),
    (
        "eighth/86-healthcare-data-analyst-corporate-eeo",
        include_str!("corpus-held-out/86-healthcare-data-analyst-corporate-eeo.txt"),
    ),
];

/// The ninth set, written after the round-7 rules without reading them or the taxonomy, then
/// annotated with the taxonomy's slugs, and not tuned against: a product manager in a long
/// corporate ad, network automation under German headings, NLP in Markdown, DevSecOps in
/// numbered sections, a Salesforce recruiter e-mail, embedded Rust in marketing prose, SAP ABAP
/// in non-native English, a performance-testing skills table, a Go payments LinkedIn message,
/// iOS in digital health with a "Not required" section, a staff data engineer's corporate ad and
/// MLOps in numbered lists.
const NINTH: &[(&str, &str)] = &[
    (
        "ninth/87-technical-product-manager-corporate-boilerplate",
        include_str!("corpus-held-out/87-technical-product-manager-corporate-boilerplate.txt"),
    ),
    (
        "ninth/88-network-automation-german-headings",
        include_str!("corpus-held-out/88-network-automation-german-headings.txt"),
    ),
    ("ninth/89-nlp-data-scientist-markdown", include_str!("corpus-held-out/89-nlp-data-scientist-markdown.txt")),
    ("ninth/90-devsecops-numbered-sections", include_str!("corpus-held-out/90-devsecops-numbered-sections.txt")),
    (
        "ninth/91-salesforce-developer-recruiter-email",
        include_str!("corpus-held-out/91-salesforce-developer-recruiter-email.txt"),
    ),
    ("ninth/92-embedded-rust-marketing-prose", include_str!("corpus-held-out/92-embedded-rust-marketing-prose.txt")),
    ("ninth/93-sap-abap-non-native-english", include_str!("corpus-held-out/93-sap-abap-non-native-english.txt")),
    ("ninth/94-performance-test-skills-table", include_str!("corpus-held-out/94-performance-test-skills-table.txt")),
    ("ninth/95-go-backend-payments-linkedin", include_str!("corpus-held-out/95-go-backend-payments-linkedin.txt")),
    (
        "ninth/96-ios-swiftui-digital-health-not-required",
        include_str!("corpus-held-out/96-ios-swiftui-digital-health-not-required.txt"),
    ),
    (
        "ninth/97-staff-data-engineer-lakehouse-corporate",
        include_str!("corpus-held-out/97-staff-data-engineer-lakehouse-corporate.txt"),
    ),
    ("ninth/98-mlops-numbered-lists", include_str!("corpus-held-out/98-mlops-numbered-lists.txt")),
];

/// Written after the round-8 rules, without reading them or the taxonomy, then annotated.
const TENTH: &[(&str, &str)] = &[
    (
        "tenth/99-big-data-tech-lead-recruiter-inmail",
        include_str!("corpus-held-out/99-big-data-tech-lead-recruiter-inmail.txt"),
    ),
    ("tenth/100-frontend-react-web-page-paste", include_str!("corpus-held-out/100-frontend-react-web-page-paste.txt")),
    ("tenth/101-flutter-mobile-slack-message", include_str!("corpus-held-out/101-flutter-mobile-slack-message.txt")),
    ("tenth/102-sre-inline-markers", include_str!("corpus-held-out/102-sre-inline-markers.txt")),
    (
        "tenth/103-penetration-tester-public-sector-criteria",
        include_str!("corpus-held-out/103-penetration-tester-public-sector-criteria.txt"),
    ),
    (
        "tenth/104-bioinformatician-bilingual-french-english",
        include_str!("corpus-held-out/104-bioinformatician-bilingual-french-english.txt"),
    ),
    ("tenth/105-quant-cpp-developer-qa-format", include_str!("corpus-held-out/105-quant-cpp-developer-qa-format.txt")),
    (
        "tenth/106-dotnet-erp-consultancy-profile-table",
        include_str!("corpus-held-out/106-dotnet-erp-consultancy-profile-table.txt"),
    ),
    (
        "tenth/107-data-governance-lead-long-about-us",
        include_str!("corpus-held-out/107-data-governance-lead-long-about-us.txt"),
    ),
    (
        "tenth/108-game-engine-programmer-emoji-startup",
        include_str!("corpus-held-out/108-game-engine-programmer-emoji-startup.txt"),
    ),
];

/// Written after the round-9 rules, without reading them, the parser or the matcher, then
/// annotated against the taxonomy.
const ELEVENTH: &[(&str, &str)] = &[
    (
        "eleventh/109-data-engineer-greenhouse-terse",
        include_str!("corpus-held-out/109-data-engineer-greenhouse-terse.txt"),
    ),
    (
        "eleventh/110-kotlin-backend-german-ihr-profil",
        include_str!("corpus-held-out/110-kotlin-backend-german-ihr-profil.txt"),
    ),
    (
        "eleventh/111-staff-ml-platform-corporate-eeo",
        include_str!("corpus-held-out/111-staff-ml-platform-corporate-eeo.txt"),
    ),
    (
        "eleventh/112-windows-intune-endpoint-engineer-uk",
        include_str!("corpus-held-out/112-windows-intune-endpoint-engineer-uk.txt"),
    ),
    (
        "eleventh/113-scala-akka-streaming-recruiter-email-typos",
        include_str!("corpus-held-out/113-scala-akka-streaming-recruiter-email-typos.txt"),
    ),
    (
        "eleventh/114-react-native-native-modules-markdown-nested",
        include_str!("corpus-held-out/114-react-native-native-modules-markdown-nested.txt"),
    ),
    (
        "eleventh/115-soc-analyst-threat-hunter-certifications",
        include_str!("corpus-held-out/115-soc-analyst-threat-hunter-certifications.txt"),
    ),
    (
        "eleventh/116-graphics-programmer-vulkan-visualisation",
        include_str!("corpus-held-out/116-graphics-programmer-vulkan-visualisation.txt"),
    ),
    (
        "eleventh/117-marketing-data-analyst-plain-prose",
        include_str!("corpus-held-out/117-marketing-data-analyst-plain-prose.txt"),
    ),
    (
        "eleventh/118-engineering-manager-stack-as-context",
        include_str!("corpus-held-out/118-engineering-manager-stack-as-context.txt"),
    ),
];

/// Precision, recall, importance, groups, years of a corpus, printed with every miss.
fn evaluate(label: &str, corpus: &[(&str, &str)]) -> (Tally, [f64; 5]) {
    let slug_of: HashMap<Uuid, &'static str> =
        migration::taxonomy::builtin_skills().expect("taxonomy").into_iter().map(|s| (s.id(), s.slug)).collect();
    let mut tally = Tally::default();
    for (name, source) in corpus {
        let case = case(source);
        for slug in case.expected.keys().chain(&case.forbidden) {
            assert!(slug_of.values().any(|s| s == slug), "{name}: {slug} is not a built-in skill");
        }
        let draft = parse(&case.title, &case.text, &[builtin_matcher()]);
        score(name, &case, &draft, &slug_of, &mut tally);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(tally.correct, tally.found);
    let recall = ratio(tally.correct, tally.annotated);
    let importance = ratio(tally.importance_right, tally.correct);
    let groups = ratio(tally.groups_right, tally.groups_total);
    let years = ratio(tally.years_right, tally.years_total);
    eprintln!(
        "{label} of {}: precision {precision:.3} ({}/{}), recall {recall:.3} ({}/{}), importance {importance:.3}, \
         groups {groups:.3} ({}/{}), years {years:.3} ({}/{})",
        corpus.len(),
        tally.correct,
        tally.found,
        tally.correct,
        tally.annotated,
        tally.groups_right,
        tally.groups_total,
        tally.years_right,
        tally.years_total,
    );
    for note in &tally.notes {
        eprintln!("  {note}");
    }
    (tally, [precision, recall, importance, groups, years])
}

#[test]
fn corpus_meets_its_targets() {
    let (tally, [precision, recall, importance, groups, years]) = evaluate("corpus", CORPUS);
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    assert!(precision >= 0.92, "precision {precision:.3}");
    assert!(recall >= 0.88, "recall {recall:.3}");
    assert!(importance >= 0.90, "importance {importance:.3}");
    assert!(groups >= 0.85, "groups {groups:.3}");
    assert!(years >= 0.95, "years {years:.3}");
}

/// Asserts precision, recall, importance, groups and years at least `floors` (a little under
/// what the set measured, so a change that loses ground on it fails).
fn assert_floors(label: &str, figures: [f64; 5], floors: [f64; 5]) {
    for ((name, figure), floor) in
        ["precision", "recall", "importance", "groups", "years"].iter().zip(figures).zip(floors)
    {
        assert!(figure >= floor, "{label}: {name} {figure:.3} under its floor {floor}");
    }
}

#[test]
fn held_out_ads_find_nothing_in_negative_contexts() {
    let (tally, figures) = evaluate("held-out ads", HELD_OUT);
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    // Measured 0.981, 0.963, 1.000, 1.000, 0.964; 1.000, 0.981, 1.000, 1.000, 0.965 after round 4.
    assert_floors("held-out ads", figures, [0.97, 0.95, 0.97, 0.95, 0.93]);
}

#[test]
fn second_held_out_ads_find_nothing_in_negative_contexts() {
    let (tally, figures) = evaluate("second held-out ads", HELD_OUT_2);
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    // Measured 0.955, 0.934, 0.996, 1.000, 0.996, and 0.955, 0.938, 0.996, 1.000, 0.996 after
    // round 4 (first run 0.865, 0.849, 0.913, 0.815, 0.944). Groups 1.000 -> 0.931 (27/29) when
    // round 9's taxonomy gained Riverpod and BLoC and ad 20's "State management with Riverpod,
    // Bloc or Provider" was annotated with them as alternatives: the rules put State management
    // into the group too ("any of them is fine" joined the run before); 1.000 (28/28) again once
    // a list after "with" was kept apart from what it gives examples of.
    assert_floors("second held-out ads", figures, [0.93, 0.91, 0.97, 0.95, 0.97]);
}

#[test]
fn final_held_out_ads_find_nothing_in_negative_contexts() {
    let (tally, figures) = evaluate("final held-out ads", FINAL);
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    // Measured 0.980, 0.925, 0.990, 1.000, 0.990.
    assert_floors("final held-out ads", figures, [0.95, 0.90, 0.96, 0.95, 0.96]);
}

#[test]
fn last_held_out_ads_find_nothing_in_negative_contexts() {
    let (tally, figures) = evaluate("last held-out ads", LAST);
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    // Measured 0.963, 0.904, 1.000, 1.000, 1.000 after the rules they prompted, 0.964, 0.939,
    // 1.000, 1.000, 1.000 after round 4 (first run, untuned: 0.881, 0.850, 0.927, 0.684, 0.971
    // and six skills of negative contexts found).
    assert_floors("last held-out ads", figures, [0.94, 0.91, 0.97, 0.95, 0.97]);
}

#[test]
fn newest_held_out_ads_find_nothing_in_negative_contexts() {
    let (tally, figures) = evaluate("newest held-out ads", NEWEST);
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    // Measured 0.936 (160/171), 0.914 (160/175), 0.994, 0.929 (13/14), 0.994 (170/171) after the
    // round-4 rules; first run, untuned: 0.871 (148/170), 0.846 (148/175), 0.993, 0.750 (12/16),
    // 0.981 (156/159), and five skills of negative contexts found (in four ads: "no previous
    // logistics experience is needed", "our API is written in Elixir with Phoenix, but nobody
    // expects you to write it", "moved off FreeRTOS last year", "work together with our iOS
    // developers").
    // After the round-6 rules and taxonomy: 0.945, 0.925, 1.000, 0.933, 0.995.
    assert_floors("newest held-out ads", figures, [0.93, 0.91, 0.98, 0.92, 0.98]);
}

#[test]
fn fifth_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("fifth held-out ads", FIFTH);
    eprintln!("fifth held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned: precision 0.944 (187/198), recall 0.846 (187/221), importance 0.920,
    // groups 0.714 (20/28), years 0.949 (187/197), and five skills of negative contexts found in
    // four ads ("Unity" the C unit-test framework, "our traders use Excel", the languages of the
    // data in "Dutch, German and English legal text", "the regression suite for checkout and
    // payments"). After the round-5 rules it prompted (and seven annotations of skills the
    // taxonomy gained): 0.958 (207/216), 0.908 (207/228), 0.957, 0.806 (25/31), 0.986 (214/217),
    // two of those hits left (Excel, payments).
    // After the round-6 rules and taxonomy (13 annotations of skills it gained): 0.970
    // (224/231), 0.929 (224/241), 0.987, 0.967 (29/30), 0.996, one hit left (payments).
    assert!(tally.forbidden_found.len() <= 1, "found in negative contexts: {:?}", tally.forbidden_found);
    assert_floors("fifth held-out ads", figures, [0.95, 0.91, 0.97, 0.95, 0.98]);
}

#[test]
fn sixth_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("sixth held-out ads", SIXTH);
    eprintln!("sixth held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned, against the annotation written before it: precision 0.913 (168/184),
    // recall 0.848 (168/198), importance 0.964, groups 0.750 (12/16), years 0.933 (166/178), and
    // six skills of negative contexts found in four ads (the employer's "we use Jira and
    // Confluence ... like everybody", "we don't do DeFi speculation", "old Angular app ->
    // Next.js", "VCS" the simulator). After the round-5 rules it prompted, with the skills the
    // taxonomy gained for it annotated (47 more expected skills) and one missed annotation
    // added ("Terraform ... with modules and code review"): 0.975 (236/242), 0.959 (236/246),
    // 0.992, 0.917 (22/24), 0.963 (237/246), one hit left ("a zero-knowledge rollup for
    // payments", the employer's product).
    // After the round-6 rules and taxonomy: 0.980 (241/246), 0.976 (241/247), 0.992, 0.920
    // (23/25), 0.972, the same hit left.
    assert!(tally.forbidden_found.len() <= 1, "found in negative contexts: {:?}", tally.forbidden_found);
    assert_floors("sixth held-out ads", figures, [0.96, 0.96, 0.98, 0.90, 0.96]);
}

#[test]
fn seventh_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("seventh held-out ads", SEVENTH);
    eprintln!("seventh held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned, against the annotation written before it: precision 0.873 (193/221),
    // recall 0.858 (193/225), importance 0.917, groups 0.686 (24/35), years 0.975 (198/203), and
    // eleven skills of negative contexts found in six ads ("You don't need Python for this role
    // - our data engineers own the Python ingestion code", "Our finance team still lives in
    // Tableau", "The product is a Ruby on Rails monolith with a React front end", "you won't be
    // doing pentesting yourself", a "Not required" section's "Java or Scala", the payment scheme
    // "SWIFT", "Our old Magento/PHP shop was retired", "they live in Salesforce and HubSpot, but
    // that's the sales team's world"). With four annotation mistakes corrected (three skills
    // the ads name that the first annotation left out or mapped to nothing: "query tuning",
    // "strict security requirements", "security design reviews"; the years of "three of them
    // managing engineers" put on People Management, whose spelling that is): 0.887 (196/221),
    // 0.860 (196/228), 0.918, 0.686 (24/35), 0.981 (202/206).
    // "Will be plus" then annotated PREFERRED/NICE_TO_HAVE as the issue reads "a plus". After the
    // round-6 rules it prompted: 0.961, 0.860, 0.990, 0.909, 0.995, no hits; with the round-6
    // taxonomy and the 35 skills it gained annotated (228 -> 263 expected, so recall rises
    // partly by that) and the group rules after: 0.976 (246/252), 0.935 (246/263), 0.980, 0.923
    // (36/39), 0.992 (254/256), no hits.
    assert!(tally.forbidden_found.is_empty(), "found in negative contexts: {:?}", tally.forbidden_found);
    assert_floors("seventh held-out ads", figures, [0.96, 0.92, 0.96, 0.90, 0.98]);
}

#[test]
fn eighth_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("eighth held-out ads", EIGHTH);
    eprintln!("eighth held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned, against the annotation written before it (with the years of "6+ years
    // in data warehousing / BI" put on the role, not its fields, and a skill's own "3+ years
    // writing Elixir" not taken for the role's, as the sets before annotate them): precision
    // 0.875 (258/295), recall 0.905 (258/285), importance 0.919, groups 0.714 (25/35), years
    // 0.948 (256/270), and 23 skills of negative or unrelated contexts found in ten ads (other
    // teams' stacks: "The web dashboard is React + TypeScript ... owned by the Client team",
    // "Penetration testing and red teaming are handled by an external partner"; denials: "we
    // won't be asking you to write TensorFlow", "We not require Scala"; words in another sense:
    // "the BEAM", "Julia" signing a message, "Unity" a company value, "B2B" a contract). The
    // same rules against the annotation as corrected below (without the skills the taxonomy
    // gained since): importance 0.942, years 0.952, the rest the same.
    // After the round-7 rules it prompted (and three more annotations put a field's years on the
    // role, and the "Bonus points" section allowed NICE_TO_HAVE, as the issue reads "bonus"):
    // 0.945 (258/273), 0.905, 0.981, 0.867 (26/30), 0.993, one hit left ("Rust creeps into
    // welds"). With the round-7 taxonomy and the 30 skills it gained annotated (285 -> 315
    // expected): 0.954 (291/305), 0.924 (291/315), 0.983, 0.865 (32/37), 0.993 (301/303).
    assert!(tally.forbidden_found.len() <= 1, "found in negative contexts: {:?}", tally.forbidden_found);
    assert_floors("eighth held-out ads", figures, [0.94, 0.91, 0.97, 0.85, 0.98]);
}

#[test]
fn ninth_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("ninth held-out ads", NINTH);
    eprintln!("ninth held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned (the round-7 rules and taxonomy), against the annotation written before
    // it: precision 0.861 (254/295), recall 0.898 (254/283), importance 0.937, groups 0.618
    // (21/34), years 0.959 (255/266), and 26 skills of negative or unrelated contexts found in
    // eleven ads (the same figures with "4+ years hands-on Salesforce development" and "5 years
    // of experience in ABAP development" read either as those skills' years, as the annotator
    // did and as sets 01-04 and 55-64 annotate "5+ years of Android development", or as the
    // role's, as 45-54 annotates "7+ years of iOS development"). After the round-8 rules it
    // prompted: 0.917 (254/277), 0.898, 0.937, 0.647 (22/34), 0.974 (259/266), nine hits left.
    assert!(tally.forbidden_found.len() <= 9, "found in negative contexts: {:?}", tally.forbidden_found);
    // With round 9's taxonomy, OSCP annotated in 90 ("CISSP, OSCP or AWS Certified Security",
    // alternatives the rules read with AWS): 0.917 (255/278), 0.898, 0.933, 0.629 (22/35), 0.974.
    assert_floors("ninth held-out ads", figures, [0.90, 0.88, 0.92, 0.62, 0.96]);
}

#[test]
fn tenth_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("tenth held-out ads", TENTH);
    eprintln!("tenth held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned (the round-8 rules and taxonomy), against the annotation written before
    // it: precision 0.849 (220/259), recall 0.797 (220/276), importance 0.914, groups 0.531
    // (17/32), years 0.978 (225/230), and 23 skills of negative or unrelated contexts found in
    // eight ads (people's names: "Priya Swift", "Dan Jenkins", "Ruby Chen"; other teams' stacks
    // in a company story; "being phased out" and "don't need" lists). The annotator found 37
    // skills the ads ask for missing from the taxonomy (`99-108-missing-skills.md`), left out of
    // the expected lines. After round 9 (a person named beside their job or under a sign-off:
    // "the hiring manager, Priya Swift", "Cheers,\nDan Jenkins"): precision 0.859 (220/256), 20
    // hits; every other set unchanged. After part 2 (a Q&A's questions head their answers, "Q:
    // What don't I need?" a section of what the role does without; "works mostly in" a team's
    // tools; "You won't need to know either" denies the sentence before; "not in scope", "by our
    // mobile squad"): 0.902 (220/244), 0.797, 0.918, 0.531, 0.978, nine hits left. With round 9's
    // taxonomy (the 37 skills, `m20261203_000038_resync_skill_taxonomy`) annotated, and the three
    // lines that stood in for them until then dropped (276 -> 309 expected; recall rises partly
    // by that): 0.909 (251/276), 0.812 (251/309), 0.924, 0.488 (20/41: five of the nine new
    // groups are missed), 0.981 (256/261), eight hits. "This role does not involve red team ...
    // engagements" a denial: precision 0.913 (251/275), seven hits.
    assert!(tally.forbidden_found.len() <= 7, "found in negative contexts: {:?}", tally.forbidden_found);
    assert_floors("tenth held-out ads", figures, [0.91, 0.80, 0.91, 0.48, 0.97]);
}

#[test]
fn eleventh_held_out_ads_report_their_first_run() {
    let (tally, figures) = evaluate("eleventh held-out ads", ELEVENTH);
    eprintln!("eleventh held-out ads, found in negative contexts: {:?}", tally.forbidden_found);
    // First run, untuned (the round-9 rules and taxonomy), against the annotation written before
    // it: precision 0.883 (257/291), recall 0.899 (257/286), importance 0.973, groups 0.758
    // (25/33), years 0.951 (254/267), and 27 skills of negative or unrelated contexts found in
    // all ten ads ("Not for this role" and "for context only" sections, "we moved off", "Swift
    // response", customers' sectors, "ray tracing"). The annotator found 47 skills the ads ask
    // for missing from the taxonomy (`109-118-missing-skills.md`), left out of the expected lines.
    // After round 10 ("Not for this role" a section of what the role does without, "we don't
    // use"; "Swift response", "ray tracing", "Defender ASR rules", "shipping containers" the
    // everyday words): precision 0.915 (257/281), groups 0.781 (25/32), 18 hits; every other set
    // unchanged. "organisations across healthcare, retail and the public sector" the customers'
    // lines of business: precision 0.924 (257/278), 15 hits.
    assert!(tally.forbidden_found.len() <= 15, "found in negative contexts: {:?}", tally.forbidden_found);
    assert_floors("eleventh held-out ads", figures, [0.92, 0.89, 0.97, 0.78, 0.95]);
}
