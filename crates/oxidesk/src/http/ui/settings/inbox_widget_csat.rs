//! The satisfaction survey's part of the widget settings form (Chatwoot's `csat_config`): its
//! look (faces or stars), its text, its button, and which conversations are asked (by label).

use oxidesk_domain::csat_config::{CsatConfig, CsatConfigInput, SurveyRules};

use super::forms::{Field, Pairs};

/// The survey's fields as errors name them, the form's names and labels.
pub(super) const CSAT_FIELDS: &[Field] = &[
    (
        "csat_config.display_type",
        "csat_display_type",
        "Survey look",
    ),
    ("csat_config.message", "csat_message", "Survey message"),
    (
        "csat_config.button_text",
        "csat_button_text",
        "Survey button",
    ),
    (
        "csat_config.survey_rules.operator",
        "csat_rule_operator",
        "Which conversations",
    ),
    (
        "csat_config.survey_rules.values",
        "csat_rule_labels",
        "Labels",
    ),
];

/// What the survey's part of the form shows.
pub(super) struct CsatForm {
    pub display_type: String,
    pub message: String,
    pub button_text: String,
    pub operator: String,
    /// Comma-separated label titles.
    pub labels: String,
}

impl CsatForm {
    /// The saved configuration.
    pub fn from_config(config: &CsatConfig) -> Self {
        Self {
            display_type: config.display_type.clone(),
            message: config.message.clone(),
            button_text: config.button_text.clone(),
            operator: config.survey_rules.operator.clone(),
            labels: config.survey_rules.values.join(", "),
        }
    }

    /// A submitted form.
    pub fn from_pairs(form: &Pairs) -> Self {
        Self {
            display_type: form.first("csat_display_type").to_owned(),
            message: form.first("csat_message").to_owned(),
            button_text: form.first("csat_button_text").to_owned(),
            operator: form.first("csat_rule_operator").to_owned(),
            labels: form.first("csat_rule_labels").to_owned(),
        }
    }

    /// The configuration's input (checked by the domain); a form without the survey's look
    /// keeps it, one without an operator asks for `contains`.
    pub fn input(&self) -> CsatConfigInput {
        let operator = match self.operator.as_str() {
            "" => "contains".to_owned(),
            other => other.to_owned(),
        };
        CsatConfigInput {
            display_type: Some(self.display_type.clone()).filter(|d| !d.is_empty()),
            message: Some(self.message.clone()),
            button_text: Some(self.button_text.clone()),
            language: None,
            survey_rules: Some(SurveyRules {
                operator,
                values: self
                    .labels
                    .split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
        }
    }
}
