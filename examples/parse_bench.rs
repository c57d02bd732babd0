//! Times `descriptions::parse` on one thread: every ad of the evaluation corpus, a few-kB ad
//! made of three of them, and a 20,000-character one (the input limit). Run by bench/parse.sh.

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "a benchmark fails loudly")]

use std::time::{Duration, Instant};

use talentgraph::descriptions::parse::parse;
use talentgraph::descriptions::service::builtin_matcher;

fn ad(source: &str) -> (String, String) {
    let (head, rest) = source.split_once("\n---\n").expect("corpus header");
    let title = head.lines().find_map(|l| l.strip_prefix("title:")).unwrap_or("").trim().to_owned();
    let text = rest.split_once("=== expected").map_or(rest, |(t, _)| t).trim().to_owned();
    (title, text)
}

fn time(title: &str, text: &str, rounds: usize) -> (Duration, Duration, usize) {
    let mut samples = Vec::with_capacity(rounds);
    let mut found = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let draft = parse(title, text, &[builtin_matcher()]);
        samples.push(started.elapsed());
        found = draft.requirements.len();
    }
    samples.sort_unstable();
    (samples[rounds / 2], samples[(rounds * 99 / 100).min(rounds - 1)], found)
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "src/descriptions/corpus".to_owned());
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(300);
    let started = Instant::now();
    let matcher = builtin_matcher();
    println!(
        "matcher: {} spellings of {} skills built in {:.1} ms (once per process)",
        matcher.spellings(),
        matcher.skills().len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("corpus dir").map(|e| e.unwrap().path()).collect();
    paths.sort();
    let ads: Vec<(String, String)> = paths.iter().map(|p| ad(&std::fs::read_to_string(p).unwrap())).collect();
    println!("{:<44} {:>7} {:>6} {:>9} {:>9}", "description", "bytes", "skills", "p50 ms", "p99 ms");
    let mut worst = Duration::ZERO;
    for (path, (title, text)) in paths.iter().zip(&ads) {
        let (p50, p99, found) = time(title, text, rounds);
        worst = worst.max(p99);
        let name = path.file_stem().unwrap().to_string_lossy();
        println!(
            "{name:<44} {:>7} {found:>6} {:>9.3} {:>9.3}",
            text.len(),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    let few_kb: String = ads.iter().take(3).map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n\n");
    let mut limit = String::new();
    for (_, text) in ads.iter().cycle() {
        if limit.len() + text.len() + 2 > 20_000 {
            break;
        }
        limit.push_str(text);
        limit.push_str("\n\n");
    }
    for (name, text) in [("three ads in one (a few kB)", &few_kb), ("ads up to the 20,000-character limit", &limit)] {
        let (p50, p99, found) = time("Engineer", text, rounds);
        println!(
            "{name:<44} {:>7} {found:>6} {:>9.3} {:>9.3}",
            text.len(),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    println!(
        "worst p99 over the corpus: {:.3} ms (target: 5 ms per few-kB description on one core)",
        worst.as_secs_f64() * 1e3
    );
}
