//! The command line's arguments and commands, as clap parses them.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Oxidesk: a self-hosted customer-support inbox with Dashboard Apps.
#[derive(Debug, Parser)]
#[command(name = "oxidesk", version, about, long_about = None)]
pub struct Cli {
    /// Config file to read (default: ./oxidesk.toml when it exists).
    #[arg(
        long,
        short = 'c',
        global = true,
        env = "OXIDESK_CONFIG",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default). A fresh install offers a page to create the first account.
    Serve(ServeArgs),
    /// Seed the "Acme Support" demo account if it is missing, print the logins, then serve.
    Demo(ServeArgs),
    /// Add generated data (agents, contacts, conversations, messages over the last year) to an
    /// account, by default the demo account (seeded first when missing). Adds to what is there.
    Generate(GenerateArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Inspect the configuration.
    Config {
        /// What to do with it.
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Manage accounts.
    Account {
        /// What to do.
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Manage users.
    User {
        /// What to do.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API access tokens.
    Token {
        /// What to do.
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage the key that signs Dashboard App context tokens.
    SigningKey {
        /// What to do.
        #[command(subcommand)]
        command: SigningKeyCommand,
    },
}

/// `oxidesk signing-key ...`
#[derive(Debug, Subcommand)]
pub enum SigningKeyCommand {
    /// Retire the active signing key and start a new one. The retired public key stays in
    /// /.well-known/jwks.json for an hour, so tokens it signed keep verifying until they
    /// expire; running servers switch to the new key within a minute. No restart needed.
    Rotate,
}

/// Options of `serve` and `demo`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, overriding the config (e.g. 0.0.0.0:3000).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
}

/// Options of `generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The account to fill: its id or exact name (default: the demo account "Acme Support",
    /// seeded first when missing).
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Conversations to add.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub conversations: u64,
    /// Messages to add in all, 1 to 200 per conversation [default: 5 x conversations].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub messages: Option<u64>,
    /// Contacts to add [default: conversations / 2, at least 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub contacts: Option<u64>,
    /// Agents to add (all with the password "oxidesk-agent").
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub agents: u64,
    /// Random seed: the same seed on the same database gives the same data.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

/// `oxidesk config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the configuration in effect (defaults, file and environment merged), secrets redacted.
    Print,
}

/// `oxidesk account ...`
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account and print its id.
    Create {
        /// The account's name, e.g. "Acme Support".
        #[arg(long)]
        name: String,
    },
}

/// A member's role, for the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Answers conversations.
    Agent,
    /// Also manages the account.
    Administrator,
}

/// `oxidesk user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and add them to an account.
    Create {
        /// The account: its id or its exact name.
        #[arg(long)]
        account: String,
        /// Email address (used to sign in).
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Password, at least 8 characters.
        #[arg(long)]
        password: String,
        /// Role in the account.
        #[arg(long, value_enum, default_value = "agent")]
        role: RoleArg,
    },
}

/// `oxidesk token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API access token for a user and print it (it is shown only this once).
    Create {
        /// The user's email.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "CLI token")]
        name: String,
    },
}
