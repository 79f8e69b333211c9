//! Generated contacts: names, emails, phones, company and place, the demo's custom
//! attributes, and an identity (source id) in one of the account's inboxes.

use oxidesk_domain::{InboxId, Timestamp};
use oxidesk_store::BulkContact;
use rand::Rng;
use rand::rngs::StdRng;
use serde_json::json;

use super::words::{COMPANIES, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, PLACES, PLANS, ROLES};
use super::{DAY, pick, uuid_from};

/// Makes contacts numbered `from..to` of `total` this run, created evenly from `start` over
/// `span` seconds (contact `j` at `start + j * span / total`), so that the conversations can
/// pick, at any time, a contact who already existed.
pub(super) struct Contacts<'a> {
    /// The account's inboxes (the first one gets half of the contacts).
    pub inboxes: &'a [InboxId],
    /// The largest contact id before this run; numbers emails and identifiers.
    pub base: i64,
    /// How many contacts this run makes.
    pub total: u64,
    /// When the first one was created.
    pub start: Timestamp,
    /// Seconds over which they were created.
    pub span: i64,
}

impl Contacts<'_> {
    /// When contact `j` was created.
    pub fn created_at(&self, j: u64) -> Timestamp {
        let offset = i128::from(self.span) * i128::from(j) / i128::from(self.total.max(1));
        self.start.plus_secs(i64::try_from(offset).unwrap_or(0))
    }

    /// Contact `j` (0-based in this run).
    pub fn make(&self, rng: &mut StdRng, j: u64) -> BulkContact {
        let n = self.base + j as i64 + 1;
        let first = pick(rng, FIRST_NAMES);
        let last = pick(rng, LAST_NAMES);
        let company = pick(rng, COMPANIES);
        let (city, country, country_code, prefix) = *pick(rng, PLACES);
        let created_at = self.created_at(j);
        let email = if rng.gen_bool(0.9) {
            let domain = if rng.gen_bool(0.5) {
                format!("{}.example", slug(company))
            } else {
                (*pick(rng, MAIL_DOMAINS)).to_owned()
            };
            Some(format!(
                "{}.{}{n}@{domain}",
                first.to_lowercase(),
                last.to_lowercase()
            ))
        } else {
            None
        };
        let phone_number = if email.is_none() || rng.gen_bool(0.6) {
            // Twelve digits in all, as most mobile numbers have.
            let width = 13 - prefix.len();
            let digits = rng.gen_range(0..10_u64.pow(width as u32));
            Some(format!("{prefix}{digits:0width$}"))
        } else {
            None
        };
        let handle = format!("{}{}", first.to_lowercase(), &last.to_lowercase()[..1]);
        let social = |p: f64, rng: &mut StdRng| {
            if rng.gen_bool(p) {
                handle.clone()
            } else {
                String::new()
            }
        };
        let additional = json!({
            "description": format!("{} at {company}", pick(rng, ROLES)),
            "company_name": company,
            "city": city,
            "country": country,
            "country_code": country_code,
            "social_profiles": {
                "github": social(0.1, rng),
                "twitter": social(0.3, rng),
                "facebook": social(0.2, rng),
                "linkedin": social(0.5, rng),
            },
        });
        let plan_roll: f64 = rng.r#gen();
        let plan = if plan_roll < 0.55 {
            PLANS[0]
        } else if plan_roll < 0.9 {
            PLANS[1]
        } else {
            PLANS[2]
        };
        let signed_up = created_at.plus_secs(-rng.gen_range(0..3 * 365) * DAY);
        let custom = json!({
            "plan": plan,
            "signup_date": ymd(signed_up),
            "lifetime_value": (rng.gen_range(0.0..25_000.0_f64) * 100.0).round() / 100.0,
        });
        // Half of the contacts write through the first (busiest) inbox, the rest spread out.
        let inbox = if rng.gen_bool(0.5) || self.inboxes.len() < 2 {
            self.inboxes.first().copied()
        } else {
            self.inboxes
                .get(rng.gen_range(1..self.inboxes.len()))
                .copied()
        };
        BulkContact {
            name: format!("{first} {last}"),
            email,
            phone_number,
            identifier: format!("crm-{n:07}"),
            additional_attributes: additional.to_string(),
            custom_attributes: custom.to_string(),
            inbox_id: inbox.unwrap_or(InboxId(0)),
            source_id: uuid_from(rng),
            created_at,
        }
    }
}

/// `brightlane-cafe` for "Brightlane Café" (ASCII letters and digits, dashes between words).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        let c = match c {
            'é' | 'è' | 'ê' => 'e',
            'á' | 'à' | 'ã' => 'a',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// `2024-06-04`: the date of a time, in UTC.
fn ymd(at: Timestamp) -> String {
    let (year, month, day) = at.date();
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_slugs() {
        assert_eq!(ymd(Timestamp(0)), "1970-01-01");
        assert_eq!(ymd(Timestamp(951_782_400)), "2000-02-29");
        assert_eq!(slug("Brightlane Café"), "brightlane-cafe");
        assert_eq!(slug("Harbor & Pine"), "harbor-pine");
    }
}
