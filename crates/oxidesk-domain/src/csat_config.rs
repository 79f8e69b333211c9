//! Chatwoot's `csat_config` of an inbox: how the satisfaction survey asked after a resolution
//! looks (`display_type` emoji or star, its `message` and `button_text`), its `language`, and
//! `survey_rules` (`{operator: contains | does_not_contain, values: [label]}`: ask only when the
//! conversation carries one of the labels, or none of them; no values, always). Errors name
//! their field under `csat_config.`.

use serde::{Deserialize, Serialize};

use crate::{ValidationErrors, validate};

/// How the survey asks for the rating.
pub const CSAT_DISPLAY_TYPES: [&str; 2] = ["emoji", "star"];
/// How `survey_rules.values` (labels) are matched.
pub const SURVEY_OPERATORS: [&str; 2] = ["contains", "does_not_contain"];
/// The most labels the rules name.
pub const MAX_SURVEY_LABELS: usize = 50;

/// `csat_config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsatConfig {
    /// `emoji` (Chatwoot's default) or `star`.
    #[serde(default = "default_display_type")]
    pub display_type: String,
    /// The survey's text; empty: "Please rate the conversation" (the widget's own words).
    #[serde(default)]
    pub message: String,
    /// The submit button's text; empty: the widget's own ("Submit").
    #[serde(default)]
    pub button_text: String,
    /// The survey's language (stored; the widget speaks the visitor's).
    #[serde(default = "default_language")]
    pub language: String,
    /// When the survey is asked.
    #[serde(default)]
    pub survey_rules: SurveyRules,
}

impl Default for CsatConfig {
    fn default() -> Self {
        Self {
            display_type: default_display_type(),
            message: String::new(),
            button_text: String::new(),
            language: default_language(),
            survey_rules: SurveyRules::default(),
        }
    }
}

/// `csat_config.survey_rules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRules {
    /// `contains` or `does_not_contain`.
    #[serde(default = "default_operator")]
    pub operator: String,
    /// Label titles.
    #[serde(default)]
    pub values: Vec<String>,
}

impl Default for SurveyRules {
    fn default() -> Self {
        Self {
            operator: default_operator(),
            values: Vec::new(),
        }
    }
}

fn default_display_type() -> String {
    CSAT_DISPLAY_TYPES[0].to_owned()
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_operator() -> String {
    SURVEY_OPERATORS[0].to_owned()
}

/// `csat_config` as a request gives it: a key not given keeps its value.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CsatConfigInput {
    /// `emoji` or `star`.
    pub display_type: Option<String>,
    /// The survey's text.
    pub message: Option<String>,
    /// The button's text.
    pub button_text: Option<String>,
    /// The language.
    pub language: Option<String>,
    /// The rules (replaced whole).
    pub survey_rules: Option<SurveyRules>,
}

impl CsatConfig {
    /// Applies `input` over this configuration; every error names its field.
    pub fn apply(&mut self, input: &CsatConfigInput, errors: &mut ValidationErrors) {
        let base = "csat_config";
        if let Some(kind) = &input.display_type {
            if CSAT_DISPLAY_TYPES.contains(&kind.as_str()) {
                self.display_type.clone_from(kind);
            } else {
                errors.push(
                    format!("{base}.display_type"),
                    format!("must be one of {}", CSAT_DISPLAY_TYPES.join(", ")),
                );
            }
        }
        for (key, value, target, max) in [
            (
                "message",
                &input.message,
                &mut self.message,
                validate::MAX_SHORT_TEXT * 4,
            ),
            (
                "button_text",
                &input.button_text,
                &mut self.button_text,
                validate::MAX_SHORT_TEXT,
            ),
        ] {
            if let Some(value) = value {
                if value.chars().count() > max {
                    errors.push(
                        format!("{base}.{key}"),
                        format!("is too long (at most {max} characters)"),
                    );
                } else {
                    *target = value.trim().to_owned();
                }
            }
        }
        if let Some(language) = &input.language {
            let language = language.trim();
            let ok = (2..=10).contains(&language.len())
                && language
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if ok {
                self.language = language.to_owned();
            } else {
                errors.push(
                    format!("{base}.language"),
                    "must be a language code (en, pt_BR)",
                );
            }
        }
        if let Some(rules) = &input.survey_rules {
            let before = errors.0.len();
            if !SURVEY_OPERATORS.contains(&rules.operator.as_str()) {
                errors.push(
                    format!("{base}.survey_rules.operator"),
                    format!("must be one of {}", SURVEY_OPERATORS.join(", ")),
                );
            }
            if rules.values.len() > MAX_SURVEY_LABELS
                || rules
                    .values
                    .iter()
                    .any(|v| v.trim().is_empty() || v.chars().count() > validate::MAX_SHORT_TEXT)
            {
                errors.push(
                    format!("{base}.survey_rules.values"),
                    format!("lists at most {MAX_SURVEY_LABELS} labels of 1 to 255 characters"),
                );
            }
            if errors.0.len() == before {
                let mut values: Vec<String> = Vec::new();
                for value in &rules.values {
                    let value = value.trim().to_lowercase();
                    if !values.contains(&value) {
                        values.push(value);
                    }
                }
                self.survey_rules = SurveyRules {
                    operator: rules.operator.clone(),
                    values,
                };
            }
        }
    }

    /// Whether a conversation with these labels is asked to rate (the survey rules).
    pub fn asks(&self, labels: &[String]) -> bool {
        if self.survey_rules.values.is_empty() {
            return true;
        }
        let carries = labels
            .iter()
            .any(|l| self.survey_rules.values.contains(&l.to_lowercase()));
        match self.survey_rules.operator.as_str() {
            "does_not_contain" => !carries,
            _ => carries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_is_checked_and_named() {
        let mut config = CsatConfig::default();
        let mut errors = ValidationErrors::new();
        config.apply(
            &CsatConfigInput {
                display_type: Some("star".into()),
                message: Some(" How did we do? ".into()),
                button_text: Some("Rate us".into()),
                survey_rules: Some(SurveyRules {
                    operator: "does_not_contain".into(),
                    values: vec!["Spam".into(), "spam".into()],
                }),
                ..Default::default()
            },
            &mut errors,
        );
        assert!(errors.0.is_empty(), "{errors:?}");
        assert_eq!(config.display_type, "star");
        assert_eq!(config.message, "How did we do?");
        assert_eq!(config.survey_rules.values, ["spam"]);
        config.apply(
            &CsatConfigInput {
                display_type: Some("thumbs".into()),
                button_text: Some("x".repeat(300)),
                language: Some("<b>".into()),
                survey_rules: Some(SurveyRules {
                    operator: "is".into(),
                    values: vec![String::new()],
                }),
                ..Default::default()
            },
            &mut errors,
        );
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "csat_config.display_type",
                "csat_config.button_text",
                "csat_config.language",
                "csat_config.survey_rules.operator",
                "csat_config.survey_rules.values",
            ]
        );
        assert_eq!(config.display_type, "star", "nothing invalid was kept");
    }

    #[test]
    fn survey_rules_pick_the_conversations_asked() {
        let mut config = CsatConfig::default();
        assert!(config.asks(&[]), "no rules: always");
        config.survey_rules.values = vec!["support".into()];
        assert!(config.asks(&["Support".into()]));
        assert!(!config.asks(&["sales".into()]));
        config.survey_rules.operator = "does_not_contain".into();
        assert!(!config.asks(&["support".into()]));
        assert!(config.asks(&[]));
        let old: CsatConfig = serde_json::from_str("{}").expect("json");
        assert_eq!(old, CsatConfig::default());
    }
}
