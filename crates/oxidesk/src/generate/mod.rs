//! `oxidesk generate`: fills an account with realistic data at any size (issue 8).
//!
//! Agents, contacts, conversations, their labels and messages over the last year, shaped like
//! real use (statuses, skewed assignment, teams, priorities, attributes, threads of varying
//! length) and written in bulk through `oxidesk-store`'s `bulk` module: large transactions of
//! multi-row `INSERT`s into the real tables, so that the schema's triggers fire as for rows
//! the services write. Conversations are made on a blocking thread while the previous batch is
//! being written. Everything comes from one seeded random generator, mixed with where the
//! database stands (largest ids, the account's display id counter): the same seed on the same
//! database makes the same data, and a second run adds new rows instead of colliding.
//!
//! Progress goes to stderr (`indicatif`: it draws only on a terminal), the summary to stdout.

mod people;
mod setup;
mod threads;
mod words;

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use oxidesk_domain::{AccountId, Timestamp, ValidationError};
use oxidesk_store::{BulkConversation, GenerationMarks};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::service::{ServiceError, Services};
use people::Contacts;
pub use setup::AGENT_PASSWORD;
use threads::{ContactRef, Threads, World};

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Conversations per transaction (with their messages and labels, some 10,000 rows).
const CONVERSATION_BATCH: usize = 2_000;
/// Contacts per transaction (with their identities, 10,000 rows).
const CONTACT_BATCH: usize = 5_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Conversations to add (at least 1).
    pub conversations: u64,
    /// Messages to add in all, activity lines included: between 1 and 200 per conversation.
    pub messages: u64,
    /// Contacts to add (at least 1).
    pub contacts: u64,
    /// Agents to add.
    pub agents: u64,
    /// The random seed.
    pub seed: u64,
}

impl GenerateOptions {
    /// The defaults for `conversations`: five messages each, half as many contacts, 50 agents.
    pub fn for_conversations(conversations: u64) -> Self {
        Self {
            conversations,
            messages: conversations.saturating_mul(5),
            contacts: (conversations / 2).max(1),
            agents: 50,
            seed: 1,
        }
    }

    /// Checks the numbers against each other; the error names the option to fix.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.conversations == 0 {
            return Err(ValidationError::new("conversations", "must be at least 1"));
        }
        if self.contacts == 0 {
            return Err(ValidationError::new("contacts", "must be at least 1"));
        }
        if self.messages < self.conversations {
            return Err(ValidationError::new(
                "messages",
                format!(
                    "must be at least --conversations ({}): every conversation has a message",
                    self.conversations
                ),
            ));
        }
        if self.messages > self.conversations.saturating_mul(200) {
            return Err(ValidationError::new(
                "messages",
                format!(
                    "must be at most 200 per conversation ({})",
                    self.conversations.saturating_mul(200)
                ),
            ));
        }
        Ok(())
    }
}

/// What a run added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSummary {
    /// The account.
    pub account_id: AccountId,
    /// Agents added.
    pub agents: usize,
    /// One of them, to sign in with (password [`AGENT_PASSWORD`]).
    pub sample_agent: Option<String>,
    /// Inboxes, labels and teams the account was missing and got.
    pub created: (usize, usize, usize),
    /// Contacts added (each with its identity in an inbox).
    pub contacts: usize,
    /// Conversations added.
    pub conversations: usize,
    /// Messages added.
    pub messages: usize,
    /// Conversation labels added.
    pub labels: usize,
    /// The display ids given.
    pub display_ids: Option<(i64, i64)>,
    /// How long it took.
    pub elapsed: Duration,
}

impl GenerateSummary {
    /// Rows written (agents twice: user and membership; contacts twice: with identity).
    pub fn rows(&self) -> usize {
        2 * self.agents + 2 * self.contacts + self.conversations + self.messages + self.labels
    }

    /// The lines printed at the end.
    pub fn describe(&self) -> String {
        let secs = self.elapsed.as_secs_f64();
        let rate = |n: usize| n as f64 / secs.max(1e-9);
        let mut out = format!(
            "Generated {} conversations ({} messages, {} labels), {} contacts and {} agents in account {} \
             in {:.1} s: {:.0} rows/s ({:.0} conversations/s, {:.0} messages/s).\n",
            self.conversations,
            self.messages,
            self.labels,
            self.contacts,
            self.agents,
            self.account_id,
            secs,
            rate(self.rows()),
            rate(self.conversations),
            rate(self.messages),
        );
        if let Some((first, last)) = self.display_ids {
            out += &format!("Conversation ids {first} to {last}.\n");
        }
        let (inboxes, labels, teams) = self.created;
        if inboxes + labels + teams > 0 {
            out += &format!(
                "Added what the account lacked: {inboxes} inboxes, {labels} labels, {teams} teams.\n"
            );
        }
        if let Some(email) = &self.sample_agent {
            out += &format!(
                "The generated agents sign in with the password {AGENT_PASSWORD} (e.g. {email}).\n"
            );
        }
        out
    }
}

/// Adds generated data to `account`. With `progress`, draws progress bars on stderr (when it
/// is a terminal).
pub async fn generate(
    services: &Services,
    account: AccountId,
    options: &GenerateOptions,
    progress: bool,
) -> Result<GenerateSummary, ServiceError> {
    options.validate()?;
    let began = Instant::now();
    let store = &services.store;
    let marks = store.generation_marks(account).await?;
    let mut rng = StdRng::seed_from_u64(mix(options.seed, marks, 0));
    let agents = usize::try_from(options.agents)
        .map_err(|_| ValidationError::new("agents", "is too large"))?;
    let setup = setup::prepare(services, account, agents, marks, &mut rng).await?;

    let now = Timestamp::now();
    let start = now.plus_secs(-365 * DAY);
    // Conversations start until an hour ago; contacts were all created by then too.
    let span = 365 * DAY - HOUR;

    let contacts = Contacts {
        inboxes: &setup.inboxes,
        base: marks.max_contact_id,
        total: options.contacts,
        start,
        span,
    };
    let contact_bar = new_bar(progress, options.contacts, "contacts");
    let mut rng = StdRng::seed_from_u64(mix(options.seed, marks, 1));
    let mut refs = Vec::with_capacity(usize::try_from(options.contacts).unwrap_or(0));
    let mut j = 0;
    while j < options.contacts {
        let end = (j + CONTACT_BATCH as u64).min(options.contacts);
        let batch: Vec<_> = (j..end).map(|j| contacts.make(&mut rng, j)).collect();
        let ids = store.bulk_insert_contacts(account, &batch).await?;
        for (contact, (id, contact_inbox_id)) in batch.into_iter().zip(ids) {
            refs.push(ContactRef {
                id,
                contact_inbox_id,
                inbox_id: contact.inbox_id,
                first_name: contact
                    .name
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        contact_bar.inc(end - j);
        j = end;
    }
    contact_bar.finish();
    let contact_count = refs.len();

    let world = World {
        now,
        start,
        span,
        contacts: refs,
        agents: setup.agents.clone(),
        teams: setup.teams.clone(),
        labels: setup.labels.clone(),
    };
    let rng = StdRng::seed_from_u64(mix(options.seed, marks, 2));
    let mut threads = Threads::new(world, rng, options.conversations, options.messages);
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<BulkConversation>>(3);
    let maker = tokio::task::spawn_blocking(move || {
        loop {
            let batch = threads.batch(CONVERSATION_BATCH);
            if batch.is_empty() || sender.blocking_send(batch).is_err() {
                break;
            }
        }
        threads.contact_activity()
    });
    let bar = new_bar(progress, options.conversations, "conversations");
    let (mut conversations, mut messages, mut labels) = (0, 0, 0);
    let mut display_ids: Option<(i64, i64)> = None;
    while let Some(batch) = batches.recv().await {
        let outcome = store.bulk_insert_conversations(account, &batch).await?;
        conversations += batch.len();
        messages += outcome.messages;
        labels += outcome.labels;
        let first = display_ids.map_or(outcome.first_display_id.get(), |(f, _)| f);
        display_ids = Some((first, outcome.last_display_id.get()));
        bar.set_message(format!("{messages} messages"));
        bar.inc(batch.len() as u64);
    }
    bar.finish();
    let touches = maker
        .await
        .map_err(|e| ServiceError::Internal(format!("the generator stopped: {e}")))?;

    let bar = new_bar(progress, touches.len() as u64, "contact activity");
    for chunk in touches.chunks(CONTACT_BATCH * 2) {
        store.bulk_touch_contacts(chunk).await?;
        bar.inc(chunk.len() as u64);
    }
    bar.finish();
    // The planner's statistics, for the new shape of the data (see `Store::analyze`).
    store.analyze().await?;

    Ok(GenerateSummary {
        account_id: account,
        agents,
        sample_agent: setup.new_agent_emails.first().cloned(),
        created: setup.created,
        contacts: contact_count,
        conversations,
        messages,
        labels,
        display_ids,
        elapsed: began.elapsed(),
    })
}

/// A progress bar with rate and ETA on stderr; hidden without `progress`.
fn new_bar(progress: bool, len: u64, what: &'static str) -> ProgressBar {
    if !progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len).with_prefix(what);
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix:>17} [{bar:30}] {human_pos}/{human_len} {per_sec} ETA {eta} {msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// One of `items`, evenly.
fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    // `items` are the non-empty constant lists of `words`.
    &items[rng.gen_range(0..items.len())]
}

/// A version-4 UUID from the generator (so that a seed gives the same ones).
fn uuid_from(rng: &mut StdRng) -> String {
    let bytes: [u8; 16] = rng.r#gen();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The seed of one stream: the user's seed, where the database stands, and the stream's number.
fn mix(seed: u64, marks: GenerationMarks, stream: u64) -> u64 {
    let mut h = splitmix(seed ^ splitmix(stream));
    for mark in [
        marks.max_user_id,
        marks.max_contact_id,
        marks.conversation_seq,
    ] {
        h = splitmix(h ^ mark as u64);
    }
    h
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
