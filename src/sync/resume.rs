//! The pure part of JSON Resume import (https://jsonresume.org/schema) and of work histories:
//! partial dates, the total experience of a list of work periods (overlapping periods counted
//! once), and the years a write leaves to be derived from the work history.

use chrono::Datelike;
use uuid::Uuid;

use crate::candidates::model::{NewCandidate, NewEmployment, YearMonth};
use crate::values::Years;

/// A month, counted from year 0 (`year * 12 + month - 1`), so periods compare and subtract.
pub type MonthIndex = i32;

/// A JSON Resume date (`2019`, `2019-05` or `2019-05-01`) as the month it starts (`first`)
/// or, as an end date, the month after it (`past_end`: a period ending `2019` covers December).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
}

impl PartialDate {
    /// Parses the schema's `iso8601` pattern; anything else is `None`.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.trim().split('-');
        let year: i32 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month = match parts.next() {
            None => None,
            Some(m) => Some(m.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?),
        };
        if let Some(day) = parts.next() {
            let day: u32 = day.parse().ok()?;
            chrono::NaiveDate::from_ymd_opt(year, month?, day)?;
        }
        if parts.next().is_some() || !(1000..=2999).contains(&year) {
            return None;
        }
        Some(Self { year, month })
    }

    /// The month the date starts.
    #[must_use]
    pub fn first(self) -> MonthIndex {
        self.year * 12 + self.month.map_or(0, |m| m as i32 - 1)
    }

    /// The month after the date, as the end of a period.
    #[must_use]
    pub fn past_end(self) -> MonthIndex {
        self.year * 12 + self.month.map_or(12, |m| m as i32)
    }
}

/// The month after `today`: the end of a period still running.
#[must_use]
pub fn past_today(today: chrono::NaiveDate) -> MonthIndex {
    today.year() * 12 + today.month() as i32
}

/// Whole years covered by `periods` (`[start, past_end)` months), each month counted once
/// however many periods cover it; empty and reversed periods count nothing.
#[must_use]
pub fn years_covered(periods: &[(MonthIndex, MonthIndex)]) -> i32 {
    let mut sorted: Vec<(MonthIndex, MonthIndex)> = periods.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    let (mut months, mut reach) = (0, MonthIndex::MIN);
    for (start, end) in sorted {
        let start = start.max(reach);
        if end > start {
            months += end - start;
            reach = end;
        }
    }
    months / 12
}

/// A job as years derive from it: its months `[start, past_end)` and the skills used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkPeriod {
    pub start: MonthIndex,
    pub past_end: MonthIndex,
    pub skills: Vec<Uuid>,
}

fn month_index(month: YearMonth) -> MonthIndex {
    month.year() * 12 + month.month() as i32 - 1
}

impl WorkPeriod {
    /// The period of a checked employment; a job that lasts runs to the month of `today`.
    #[must_use]
    pub fn of_employment(employment: &NewEmployment, today: chrono::NaiveDate) -> Self {
        Self {
            start: month_index(employment.start),
            past_end: employment.end.map_or_else(|| past_today(today), |end| month_index(end) + 1),
            skills: employment.skill_ids.clone(),
        }
    }

    /// The period of a stored employment (months `YYYY-MM`, skills as written).
    #[must_use]
    pub fn of_row(row: &entity::candidate_employments::Model, today: chrono::NaiveDate) -> Option<Self> {
        let start = PartialDate::parse(&row.start_month)?.first();
        let past_end = match &row.end_month {
            Some(end) => PartialDate::parse(end)?.past_end(),
            None => past_today(today),
        };
        Some(Self { start, past_end, skills: crate::candidates::service::employment_skill_ids(row) })
    }
}

/// Fills in what a write left to the work history `periods`: each skill without years gets the
/// years of the periods that used it (overlaps counted once; none used it: stays without), and
/// the total experience, unless `years_given`, the years of all periods (0 without any). Values
/// past 60 years are capped at 60, the most a candidate may hold.
pub fn derive_years(candidate: &mut NewCandidate, years_given: bool, periods: &[WorkPeriod]) {
    let years = |covered: i32| Years::parse(covered.min(60), "").ok();
    for skill in &mut candidate.skills {
        if skill.years.is_some() {
            continue;
        }
        let used: Vec<_> =
            periods.iter().filter(|p| p.skills.contains(&skill.skill_id)).map(|p| (p.start, p.past_end)).collect();
        if !used.is_empty() {
            skill.years = years(years_covered(&used));
            skill.years_derived = skill.years.is_some();
        }
    }
    if !years_given {
        let all: Vec<_> = periods.iter().map(|p| (p.start, p.past_end)).collect();
        if let Some(total) = years(years_covered(&all)) {
            candidate.years_experience = total;
            candidate.years_experience_derived = true;
        }
    }
}

/// What re-deriving a stored candidate's years at `today` changes: only values that were
/// derived (`years_experience_derived`, `years_derived`), from the stored work history, so a
/// current job counts up to `today`'s month. `None` when nothing changes. A derived skill no
/// stored job uses any more keeps its years.
#[must_use]
pub fn rederive(
    candidate: &entity::candidates::Model,
    skills: &[entity::candidate_skills::Model],
    employments: &[entity::candidate_employments::Model],
    today: chrono::NaiveDate,
) -> Option<crate::candidates::service::RederivedYears> {
    let periods: Vec<WorkPeriod> = employments.iter().filter_map(|row| WorkPeriod::of_row(row, today)).collect();
    let capped = |covered: i32| covered.min(60);
    let all: Vec<_> = periods.iter().map(|p| (p.start, p.past_end)).collect();
    let years_experience = candidate
        .years_experience_derived
        .then(|| capped(years_covered(&all)))
        .filter(|total| *total != candidate.years_experience);
    let skills: Vec<(Uuid, i32)> = skills
        .iter()
        .filter(|skill| skill.years_derived)
        .filter_map(|skill| {
            let used: Vec<_> =
                periods.iter().filter(|p| p.skills.contains(&skill.skill_id)).map(|p| (p.start, p.past_end)).collect();
            if used.is_empty() {
                return None;
            }
            let years = capped(years_covered(&used));
            (Some(years) != skill.years).then_some((skill.skill_id, years))
        })
        .collect();
    (years_experience.is_some() || !skills.is_empty()).then_some(crate::candidates::service::RederivedYears {
        candidate: candidate.id,
        version: candidate.version,
        years_experience,
        skills,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn dates_follow_the_schema_pattern() {
        assert_eq!(PartialDate::parse("2019").map(PartialDate::first), Some(2019 * 12));
        assert_eq!(PartialDate::parse("2019").map(PartialDate::past_end), Some(2020 * 12));
        assert_eq!(PartialDate::parse("2019-05").map(PartialDate::first), Some(2019 * 12 + 4));
        assert_eq!(PartialDate::parse("2019-05-31").map(PartialDate::past_end), Some(2019 * 12 + 5));
        for bad in ["", "19", "2019-13", "2019-02-30", "2019-05-01-02", "May 2019", "Present"] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn overlapping_periods_count_once() {
        let at = |y: i32, m: i32| y * 12 + m - 1;
        // 2010-01..2014-12 and 2013-01..2016-12 overlap by two years: 7 years, not 9.
        assert_eq!(years_covered(&[(at(2010, 1), at(2015, 1)), (at(2013, 1), at(2017, 1))]), 7);
        // A period inside another adds nothing; a gap adds nothing.
        assert_eq!(years_covered(&[(at(2010, 1), at(2020, 1)), (at(2012, 1), at(2013, 1))]), 10);
        assert_eq!(years_covered(&[(at(2000, 1), at(2002, 1)), (at(2010, 1), at(2011, 7))]), 3);
        assert_eq!(years_covered(&[(at(2010, 1), at(2009, 1))]), 0);
    }

    proptest! {
        /// The covered months equal those of a month-by-month count.
        #[test]
        fn matches_counting_month_by_month(periods in proptest::collection::vec((0i32..240, 0i32..240), 0..8)) {
            let mut covered = std::collections::HashSet::new();
            for (start, end) in &periods {
                covered.extend(*start..*end);
            }
            prop_assert_eq!(years_covered(&periods), covered.len() as i32 / 12);
        }
    }
}
