//! An organization's matching weights as a checked value: what `setMatchingWeights` stores and
//! every ranking of the organization uses.

use entity::matching_weights;

use super::score::Weights;
use crate::error::AppError;

/// Weights of an importance or of total experience: greater than 0, at most 100 (as a
/// requirement's own `weight`).
const MAX_WEIGHT: f64 = 100.0;

/// An organization's weights as asked: each `None` leaves the scorer's default.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeightsInput {
    pub required: Option<f64>,
    pub preferred: Option<f64>,
    pub nice_to_have: Option<f64>,
    pub experience: Option<f64>,
    pub narrower_credit: Option<f64>,
    pub implied_credit: Option<f64>,
}

/// Checked matching weights of an organization. Invariants of the weights in force (the chosen
/// ones, the scorer's default for the rest): every weight finite, above 0 and at most 100;
/// every credit above 0 and at most 1 (a satisfaction stays within [0, 1], and a related skill
/// that counts for nothing would read as a match); and REQUIRED ≥ PREFERRED ≥ NICE_TO_HAVE, so
/// a more important requirement never weighs less than a less important one (equal is allowed:
/// an organization may weigh every requirement alike and still rank fully qualified candidates
/// first by `meetsAllRequired`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchingWeights {
    chosen: WeightsInput,
}

impl MatchingWeights {
    /// Checks `input`; `field` prefixes the names of refused fields (`input` → `input.required`).
    pub fn parse(input: WeightsInput, field: &str) -> Result<Self, AppError> {
        let weight = |value: Option<f64>, name: &str, max: f64, rule: &str| match value {
            Some(v) if !(v.is_finite() && v > 0.0 && v <= max) => {
                Err(AppError::bad_input(&format!("{field}.{name}"), rule))
            }
            _ => Ok(()),
        };
        let weights = "must be greater than 0 and at most 100";
        let credits = "must be greater than 0 and at most 1";
        weight(input.required, "required", MAX_WEIGHT, weights)?;
        weight(input.preferred, "preferred", MAX_WEIGHT, weights)?;
        weight(input.nice_to_have, "niceToHave", MAX_WEIGHT, weights)?;
        weight(input.experience, "experience", MAX_WEIGHT, weights)?;
        weight(input.narrower_credit, "narrowerCredit", 1.0, credits)?;
        weight(input.implied_credit, "impliedCredit", 1.0, credits)?;
        let chosen = Self { chosen: input };
        let w = chosen.weights();
        if w.preferred > w.required {
            return Err(AppError::bad_input(
                &format!("{field}.preferred"),
                format!("must be at most the REQUIRED weight ({}): importance orders the weights", w.required),
            ));
        }
        if w.nice_to_have > w.preferred {
            return Err(AppError::bad_input(
                &format!("{field}.niceToHave"),
                format!("must be at most the PREFERRED weight ({}): importance orders the weights", w.preferred),
            ));
        }
        Ok(chosen)
    }

    /// The weights in force: the chosen ones, the scorer's default for the rest.
    #[must_use]
    pub fn weights(&self) -> Weights {
        let default = Weights::default();
        let c = &self.chosen;
        Weights {
            required: c.required.unwrap_or(default.required),
            preferred: c.preferred.unwrap_or(default.preferred),
            nice_to_have: c.nice_to_have.unwrap_or(default.nice_to_have),
            experience: c.experience.unwrap_or(default.experience),
            narrower_credit: c.narrower_credit.unwrap_or(default.narrower_credit),
            implied_credit: c.implied_credit.unwrap_or(default.implied_credit),
        }
    }

    /// What was chosen (`None`: the scorer's default).
    #[must_use]
    pub fn chosen(&self) -> WeightsInput {
        self.chosen
    }

    /// The fields left to the scorer's default, named as in the API.
    #[must_use]
    pub fn defaulted(&self) -> Vec<String> {
        let c = &self.chosen;
        [
            (c.required, "required"),
            (c.preferred, "preferred"),
            (c.nice_to_have, "niceToHave"),
            (c.experience, "experience"),
            (c.narrower_credit, "narrowerCredit"),
            (c.implied_credit, "impliedCredit"),
        ]
        .into_iter()
        .filter(|(value, _)| value.is_none())
        .map(|(_, name)| name.to_owned())
        .collect()
    }

    /// The weights a stored row says (none: the defaults). A row that no longer passes the
    /// checks (written by hand, or by a version with other rules) counts as the defaults rather
    /// than ranking with weights the API would refuse.
    #[must_use]
    pub fn of_row(row: Option<&matching_weights::Model>) -> Self {
        let Some(row) = row else { return Self { chosen: WeightsInput::default() } };
        let input = WeightsInput {
            required: row.required,
            preferred: row.preferred,
            nice_to_have: row.nice_to_have,
            experience: row.experience,
            narrower_credit: row.narrower_credit,
            implied_credit: row.implied_credit,
        };
        Self::parse(input, "stored").unwrap_or_else(|_| {
            tracing::warn!(organization = %row.organization_id, "stored matching weights are invalid: using the defaults");
            Self { chosen: WeightsInput::default() }
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn field_of(error: AppError) -> String {
        match error {
            AppError::BadUserInput { field, .. } => field.join("."),
            other => panic!("not a bad input: {other:?}"),
        }
    }

    #[test]
    fn nothing_chosen_is_the_scorers_defaults() {
        let weights = MatchingWeights::parse(WeightsInput::default(), "input").unwrap();
        assert_eq!(weights.weights(), Weights::default());
        assert_eq!(weights.defaulted().len(), 6);
        assert_eq!(MatchingWeights::of_row(None).weights(), Weights::default());
    }

    #[test]
    fn chosen_weights_replace_the_defaults_one_by_one() {
        let input = WeightsInput { nice_to_have: Some(0.5), implied_credit: Some(0.8), ..WeightsInput::default() };
        let weights = MatchingWeights::parse(input, "input").unwrap();
        let expected = Weights { nice_to_have: 0.5, implied_credit: 0.8, ..Weights::default() };
        assert_eq!(weights.weights(), expected);
        assert_eq!(weights.defaulted(), ["required", "preferred", "experience", "narrowerCredit"]);
        // Equal weights keep the order.
        let equal = WeightsInput { required: Some(2.0), preferred: Some(2.0), nice_to_have: Some(2.0), ..input };
        assert!(MatchingWeights::parse(equal, "input").is_ok());
    }

    #[test]
    fn refuses_weights_out_of_range_or_out_of_order_naming_the_field() {
        let cases = [
            (WeightsInput { required: Some(0.0), ..WeightsInput::default() }, "input.required"),
            (WeightsInput { required: Some(-1.0), ..WeightsInput::default() }, "input.required"),
            (WeightsInput { required: Some(f64::NAN), ..WeightsInput::default() }, "input.required"),
            (WeightsInput { required: Some(f64::INFINITY), ..WeightsInput::default() }, "input.required"),
            (WeightsInput { experience: Some(100.5), ..WeightsInput::default() }, "input.experience"),
            (WeightsInput { narrower_credit: Some(1.5), ..WeightsInput::default() }, "input.narrowerCredit"),
            (WeightsInput { implied_credit: Some(0.0), ..WeightsInput::default() }, "input.impliedCredit"),
            // PREFERRED 4 above the default REQUIRED 3.
            (WeightsInput { preferred: Some(4.0), ..WeightsInput::default() }, "input.preferred"),
            // NICE_TO_HAVE above PREFERRED.
            (
                WeightsInput { preferred: Some(1.0), nice_to_have: Some(1.5), ..WeightsInput::default() },
                "input.niceToHave",
            ),
            // REQUIRED lowered below the default PREFERRED.
            (WeightsInput { required: Some(1.0), ..WeightsInput::default() }, "input.preferred"),
        ];
        for (input, field) in cases {
            let error = MatchingWeights::parse(input, "input").expect_err(field);
            assert_eq!(field_of(error), field, "{input:?}");
        }
    }

    #[test]
    fn a_stored_row_that_breaks_the_rules_counts_as_the_defaults() {
        let row = matching_weights::Model {
            organization_id: uuid::Uuid::nil(),
            required: Some(1.0),
            preferred: Some(5.0),
            nice_to_have: None,
            experience: None,
            narrower_credit: None,
            implied_credit: None,
            updated_at: chrono::Utc::now(),
        };
        assert_eq!(MatchingWeights::of_row(Some(&row)).weights(), Weights::default());
        let row = matching_weights::Model { preferred: Some(0.5), nice_to_have: Some(0.25), ..row };
        let weights = MatchingWeights::of_row(Some(&row)).weights();
        assert_eq!((weights.required, weights.preferred, weights.nice_to_have), (1.0, 0.5, 0.25));
    }

    proptest! {
        /// Whatever is accepted keeps the invariants of the weights in force; whatever breaks
        /// one is refused.
        #[test]
        fn accepted_weights_keep_the_invariants(
            values in proptest::collection::vec(proptest::option::of(-1.0f64..120.0), 6),
        ) {
            let input = WeightsInput {
                required: values[0],
                preferred: values[1],
                nice_to_have: values[2],
                experience: values[3],
                narrower_credit: values[4].map(|v| v / 100.0),
                implied_credit: values[5].map(|v| v / 100.0),
            };
            let w = MatchingWeights::parse(input, "input").map(|m| m.weights());
            let holds = |w: &Weights| {
                [w.required, w.preferred, w.nice_to_have, w.experience].iter().all(|v| *v > 0.0 && *v <= 100.0)
                    && [w.narrower_credit, w.implied_credit].iter().all(|v| *v > 0.0 && *v <= 1.0)
                    && w.required >= w.preferred
                    && w.preferred >= w.nice_to_have
            };
            let default = Weights::default();
            let in_force = Weights {
                required: input.required.unwrap_or(default.required),
                preferred: input.preferred.unwrap_or(default.preferred),
                nice_to_have: input.nice_to_have.unwrap_or(default.nice_to_have),
                experience: input.experience.unwrap_or(default.experience),
                narrower_credit: input.narrower_credit.unwrap_or(default.narrower_credit),
                implied_credit: input.implied_credit.unwrap_or(default.implied_credit),
            };
            match w {
                Ok(w) => prop_assert!(holds(&w) && w == in_force),
                Err(_) => prop_assert!(!holds(&in_force)),
            }
        }
    }
}
