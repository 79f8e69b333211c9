//! The command line: `oxidesk [serve|demo|generate|migrate|config print|account create|user create|token create]`.
//!
//! Exit codes: 0 success, 1 a runtime failure (database unreachable, port taken), 2 bad input
//! (a bad config value, an invalid email, an unknown account).

use std::process::ExitCode;

use clap::Parser;
use oxidesk_domain::{AccountId, Role};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::http::AppState;
use crate::service::{NewMember, ServiceError};

mod args;

pub use args::{
    AccountCommand, Cli, Command, ConfigCommand, GenerateArgs, RoleArg, ServeArgs,
    SigningKeyCommand, TokenCommand, UserCommand,
};

/// A command that failed: what to print and the exit code.
#[derive(Debug)]
pub struct CliError {
    /// 1 for failures, 2 for bad input.
    pub code: u8,
    /// What went wrong and how to fix it.
    pub message: String,
}

impl CliError {
    fn input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    fn failure(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<ServiceError> for CliError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(errors) => CliError::input(
                errors
                    .0
                    .iter()
                    .map(|e| format!("--{} {}", e.field.replace('_', "-"), e.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ServiceError::NotFound(what) => CliError::input(format!("{what} not found")),
            other => CliError::failure(other.to_string()),
        }
    }
}

impl From<crate::StartError> for CliError {
    fn from(error: crate::StartError) -> Self {
        if let crate::StartError::Files(_) = error {
            return CliError::failure(format!(
                "{error}\nCheck the [attachments] settings (storage, local_dir, s3.*)."
            ));
        }
        CliError::failure(format!(
            "{error}\nCheck database.url (OXIDESK_DATABASE_URL) and that the database server is running."
        ))
    }
}

/// Parses the command line, runs the command and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("oxidesk: {error}");
            return ExitCode::from(2);
        }
    };
    if let Some(
        Command::Serve(ServeArgs { bind: Some(bind) })
        | Command::Demo(ServeArgs { bind: Some(bind) }),
    ) = &cli.command
    {
        config.bind = *bind;
    }
    // The generator's statements carry thousands of rows and take longer than sqlx's
    // slow-statement threshold by design; its warning would print each one whole.
    let bulk = matches!(cli.command, Some(Command::Generate(_)));
    init_tracing(&config.log_level, bulk);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("oxidesk: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(
        cli.command
            .unwrap_or(Command::Serve(ServeArgs { bind: None })),
        config,
    )) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("oxidesk: {}", error.message);
            ExitCode::from(error.code)
        }
    }
}

/// Logs go to stderr, so that a command's output (a token, say) is alone on stdout. A plain
/// level keeps sqlx's per-statement chatter at `warn` (`error` for `bulk` commands).
fn init_tracing(level: &str, bulk: bool) {
    let mut directives = if level.contains('=') {
        level.to_owned()
    } else {
        format!("{level},sqlx=warn")
    };
    if bulk {
        directives.push_str(",sqlx::query=error");
    }
    let filter = tracing_subscriber::EnvFilter::try_new(directives)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs one command with a loaded configuration.
pub async fn run(command: Command, config: Config) -> Result<(), CliError> {
    match command {
        Command::Config {
            command: ConfigCommand::Print,
        } => {
            print!("{}", config.to_redacted_toml());
            Ok(())
        }
        Command::Migrate => {
            let state = crate::open(&config).await?;
            println!(
                "Database is up to date ({}).",
                oxidesk_store::redact_url(&config.database_url())
            );
            state.services.store.close().await;
            Ok(())
        }
        Command::Serve(_) => {
            let state = crate::open(&config).await?;
            serve(state).await
        }
        Command::Demo(_) => {
            let state = crate::open(&config).await?;
            let summary = crate::demo::seed(&state.services, &config.public_url()).await?;
            print!("{}", summary.describe(&config.public_url()));
            serve(state).await
        }
        Command::Generate(args) => {
            let mut options =
                crate::generate::GenerateOptions::for_conversations(args.conversations);
            options.messages = args.messages.unwrap_or(options.messages);
            options.contacts = args.contacts.unwrap_or(options.contacts);
            options.agents = args.agents;
            options.seed = args.seed;
            options.validate().map_err(ServiceError::from)?;
            let state = crate::open(&config).await?;
            let account = match &args.account {
                Some(account) => find_account(&state, account).await?,
                None => {
                    let summary = crate::demo::seed(&state.services, &config.public_url()).await?;
                    eprint!("{}", summary.describe(&config.public_url()));
                    AccountId(summary.account_id)
                }
            };
            let summary =
                crate::generate::generate(&state.services, account, &options, true).await?;
            print!("{}", summary.describe());
            Ok(())
        }
        Command::Account {
            command: AccountCommand::Create { name },
        } => {
            let state = crate::open(&config).await?;
            let account = state.services.create_account(&name).await?;
            println!("Created account {} \"{}\".", account.id, account.name);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    account,
                    email,
                    name,
                    password,
                    role,
                },
        } => {
            let state = crate::open(&config).await?;
            let account_id = find_account(&state, &account).await?;
            let role = match role {
                RoleArg::Agent => Role::Agent,
                RoleArg::Administrator => Role::Administrator,
            };
            let user = state
                .services
                .add_member(
                    account_id,
                    &NewMember {
                        name: &name,
                        email: &email,
                        password: &password,
                        role,
                    },
                )
                .await?;
            println!(
                "Created {} {} <{}> in account {}.",
                role, user.id, user.email, account_id
            );
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let state = crate::open(&config).await?;
            let (_, secret) = state
                .services
                .create_access_token(&email, &name)
                .await
                .map_err(|e| match e {
                    ServiceError::NotFound(_) => CliError::input(format!(
                        "no user with email {email}: create one with `oxidesk user create`"
                    )),
                    other => other.into(),
                })?;
            eprintln!(
                "Send it as the api_access_token header. It is shown only now; keep it safe."
            );
            println!("{secret}");
            Ok(())
        }
        Command::SigningKey {
            command: SigningKeyCommand::Rotate,
        } => {
            let state = crate::open(&config).await?;
            let (kid, retired) = state.services.rotate_signing_key().await?;
            match retired {
                Some(old) => {
                    eprintln!("Retired {old} (published for another hour). New signing key:")
                }
                None => eprintln!("No key was active. New signing key:"),
            }
            println!("{kid}");
            Ok(())
        }
    }
}

async fn find_account(state: &AppState, account: &str) -> Result<AccountId, CliError> {
    let store = &state.services.store;
    if let Ok(id) = account.trim().parse::<i64>() {
        return match store.account(AccountId(id)).await {
            Ok(found) => Ok(found.id),
            Err(oxidesk_store::StoreError::NotFound) => Err(CliError::input(format!(
                "no account with id {id}: list none yet? create one with `oxidesk account create --name NAME`"
            ))),
            Err(e) => Err(CliError::failure(e.to_string())),
        };
    }
    match store.account_by_name(account.trim()).await {
        Ok(Some(found)) => Ok(found.id),
        Ok(None) => Err(CliError::input(format!(
            "no account named \"{account}\": create it with `oxidesk account create --name \"{account}\"`"
        ))),
        Err(e) => Err(CliError::failure(e.to_string())),
    }
}

async fn serve(state: AppState) -> Result<(), CliError> {
    let config = state.config.clone();
    let listener = TcpListener::bind(config.bind).await.map_err(|e| {
        CliError::failure(format!(
            "cannot listen on {}: {e}. Choose another address with --bind or OXIDESK_BIND.",
            config.bind
        ))
    })?;
    let onboarding = state
        .services
        .store
        .count_accounts()
        .await
        .map_err(ServiceError::from)?
        == 0;
    eprintln!(
        "{} is listening on {}",
        config.brand.name,
        config.public_url()
    );
    if onboarding {
        eprintln!(
            "No account yet: open {}/installation/onboarding to create the first one (or run `oxidesk demo`).",
            config.public_url()
        );
    }
    crate::serve(state, listener, shutdown_signal())
        .await
        .map_err(|e| CliError::failure(format!("server error: {e}")))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
