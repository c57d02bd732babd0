//! The rules of a pipeline: which stage moves are legal, which rejection reasons exist, and
//! the numbers of a role's pipeline (pure, unit-tested without a database).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::ApplicationStage::{self, Hired, Interview, Offer, Rejected, Screening, Sourced, Withdrawn};

/// Stages in pipeline order.
pub const STAGES: [ApplicationStage; 7] = [Sourced, Screening, Interview, Offer, Hired, Rejected, Withdrawn];

/// Whether the application is finished.
#[must_use]
pub fn is_terminal(stage: ApplicationStage) -> bool {
    matches!(stage, Hired | Rejected | Withdrawn)
}

fn rank(stage: ApplicationStage) -> u8 {
    match stage {
        Sourced => 0,
        Screening => 1,
        Interview => 2,
        Offer => 3,
        Hired => 4,
        Rejected | Withdrawn => 5,
    }
}

/// Legal moves: forward through SOURCED → SCREENING → INTERVIEW → OFFER → HIRED (skipping is
/// allowed), one step back among the open stages (an interview sent back to screening), and
/// REJECTED / WITHDRAWN from any open stage. Finished applications do not move.
#[must_use]
pub fn may_move(from: ApplicationStage, to: ApplicationStage) -> bool {
    if is_terminal(from) || from == to {
        return false;
    }
    match to {
        Rejected | Withdrawn => true,
        Hired => from == Offer,
        _ => rank(to) > rank(from) || rank(to) + 1 == rank(from),
    }
}

/// The built-in rejection reasons (code, label), used until an organization sets its own.
pub const REJECTION_REASONS: [(&str, &str); 8] = [
    ("SKILLS_MISMATCH", "Skills do not match the role"),
    ("NOT_ENOUGH_EXPERIENCE", "Not enough experience"),
    ("OVERQUALIFIED", "Overqualified"),
    ("SALARY_EXPECTATIONS", "Salary expectations too far apart"),
    ("LOCATION", "Location or work permit"),
    ("CULTURE_ADD", "Not the right team fit"),
    ("POSITION_FILLED", "Position filled by another candidate"),
    ("OTHER", "Other"),
];

/// A stage move in an application's history.
#[derive(Debug, Clone, Copy)]
pub struct Move {
    pub application_id: uuid::Uuid,
    pub to: ApplicationStage,
    pub at: DateTime<Utc>,
}

/// Median days spent in each stage, over stays that ended (a move out of the stage). `moves`
/// may hold several applications, in any order.
#[must_use]
pub fn median_days_per_stage(moves: &[Move]) -> HashMap<ApplicationStage, f64> {
    let mut by_application: HashMap<uuid::Uuid, Vec<&Move>> = HashMap::new();
    for m in moves {
        by_application.entry(m.application_id).or_default().push(m);
    }
    let mut stays: HashMap<ApplicationStage, Vec<f64>> = HashMap::new();
    for history in by_application.values_mut() {
        history.sort_by_key(|m| m.at);
        for pair in history.windows(2) {
            if let [entered, left] = pair {
                let days = (left.at - entered.at).num_seconds() as f64 / 86_400.0;
                stays.entry(entered.to).or_default().push(days);
            }
        }
    }
    stays
        .into_iter()
        .filter_map(|(stage, mut days)| {
            days.sort_by(f64::total_cmp);
            Some((stage, median(&days)?))
        })
        .collect()
}

/// The median of sorted values; `None` for none.
fn median(sorted: &[f64]) -> Option<f64> {
    let middle = sorted.len() / 2;
    let upper = *sorted.get(middle)?;
    if sorted.len() % 2 == 1 {
        return Some(upper);
    }
    Some(f64::midpoint(*sorted.get(middle.checked_sub(1)?)?, upper))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn moves() {
        assert!(may_move(Sourced, Screening));
        assert!(may_move(Sourced, Offer), "skipping forward is allowed");
        assert!(may_move(Interview, Screening), "one step back");
        assert!(!may_move(Offer, Sourced), "not further back");
        assert!(may_move(Interview, Rejected) && may_move(Sourced, Withdrawn));
        assert!(!may_move(Screening, Hired), "hire only from an offer");
        assert!(!may_move(Hired, Rejected) && !may_move(Rejected, Sourced) && !may_move(Sourced, Sourced));
    }

    #[test]
    fn median_of_an_even_count_is_the_midpoint() {
        assert!(median(&[1.0, 3.0]).is_some_and(|m| (m - 2.0).abs() < 1e-9));
        assert!(median(&[5.0]).is_some_and(|m| (m - 5.0).abs() < 1e-9));
        assert!(median(&[]).is_none());
    }

    #[test]
    fn medians() {
        let start = Utc::now();
        let app = |n: u128| uuid::Uuid::from_u128(n);
        let moves = vec![
            Move { application_id: app(1), to: Sourced, at: start },
            Move { application_id: app(1), to: Screening, at: start + Duration::days(2) },
            Move { application_id: app(2), to: Sourced, at: start },
            Move { application_id: app(2), to: Screening, at: start + Duration::days(4) },
            Move { application_id: app(2), to: Interview, at: start + Duration::days(5) },
            Move { application_id: app(3), to: Sourced, at: start },
            Move { application_id: app(3), to: Rejected, at: start + Duration::days(9) },
        ];
        let medians = median_days_per_stage(&moves);
        assert!((medians[&Sourced] - 4.0).abs() < 1e-9, "{medians:?}");
        assert!((medians[&Screening] - 1.0).abs() < 1e-9);
        assert!(!medians.contains_key(&Interview), "a stay that has not ended has no duration yet");
    }
}
