//! The real `oxidesk` binary, started as a person would: `oxidesk demo` (seed the demo account,
//! then serve) or `oxidesk serve`, on a free port, with its own data folder, on SQLite or on a
//! PostgreSQL schema of its own. Stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxidesk_store::testing::TestDatabase;

use crate::client;

const BIN: &str = env!("CARGO_BIN_EXE_oxidesk");
/// Several processes on one database must share the key (the login form's CSRF check).
const SECRET_KEY: &str = "browser-tests-secret-key-0123456789abcdef";

/// The demo administrator and an agent (see `oxidesk demo`).
pub const ADMIN: (&str, &str) = ("admin@acme.example", "oxidesk-admin");
/// An agent of the demo account.
pub const AGENT: (&str, &str) = ("sam@acme.example", "oxidesk-agent");

/// Where the data lives: a SQLite file in the data folder, or a PostgreSQL schema.
pub struct Database {
    /// `None`: SQLite in each process's data folder (so only one process per folder).
    url: Option<String>,
    /// Keeps the schema until the test ends.
    _schema: Option<TestDatabase>,
    /// The data folder (SQLite file, secret key, logs).
    dir: tempfile::TempDir,
    /// `OXIDESK_BRAND_NAME` for the processes, when set.
    brand: Option<String>,
}

impl Database {
    /// A fresh SQLite database.
    pub fn sqlite() -> Self {
        Self {
            url: None,
            _schema: None,
            dir: tempfile::tempdir().expect("data folder"),
            brand: None,
        }
    }

    /// A fresh PostgreSQL schema; `None` (said loudly) without `OXIDESK_TEST_DATABASE_URL`.
    pub async fn postgres() -> Option<Self> {
        let db = TestDatabase::postgres().await?;
        let schema = db.schema.clone().expect("a schema");
        let separator = if db.url.contains('?') { '&' } else { '?' };
        let url = format!("{}{separator}options=-csearch_path%3D{schema}", db.url);
        Some(Self {
            url: Some(url),
            _schema: Some(db),
            dir: tempfile::tempdir().expect("data folder"),
            brand: None,
        })
    }

    /// The same, for processes run under another brand name (`OXIDESK_BRAND_NAME`).
    pub fn branded(mut self, brand: &str) -> Self {
        self.brand = Some(brand.to_owned());
        self
    }

    /// The folder the processes run in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .current_dir(self.dir())
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("OXIDESK_DATA_DIR", self.dir().join("data"))
            .env("OXIDESK_SECRET_KEY", SECRET_KEY)
            .env("OXIDESK_LOG_LEVEL", "warn");
        if let Some(url) = &self.url {
            command.env("OXIDESK_DATABASE_URL", url);
        }
        if let Some(brand) = &self.brand {
            command.env("OXIDESK_BRAND_NAME", brand);
        }
        command
    }

    /// Runs a command of the binary to the end; returns its standard output.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("run oxidesk");
        assert!(
            out.status.success(),
            "oxidesk {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A new API access token for the user with `email` (`oxidesk token create`).
    pub fn token(&self, email: &str) -> String {
        self.run(&[
            "token",
            "create",
            "--email",
            email,
            "--name",
            "browser tests",
        ])
        .trim()
        .to_owned()
    }

    /// Starts `oxidesk <command> --bind 127.0.0.1:<free port>` (`demo` or `serve`) and waits
    /// until it answers `/health`.
    pub async fn start(&self, command: &str) -> Server {
        let mut last_log = String::new();
        // A free port can be taken between finding it and binding it: try again then.
        for attempt in 0..3 {
            let port = free_port();
            let log_path = self.dir().join(format!("{command}-{port}-{attempt}.log"));
            let log = std::fs::File::create(&log_path).expect("log file");
            let bind = format!("127.0.0.1:{port}");
            let child = self
                .command(&[command, "--bind", &bind])
                .stdout(Stdio::null())
                .stderr(Stdio::from(log))
                .spawn()
                .expect("start oxidesk");
            let mut server = Server {
                child,
                port,
                log: log_path,
            };
            if server.wait_until_ready().await {
                return server;
            }
            last_log = server.log();
        }
        panic!("oxidesk {command} did not start:\n{last_log}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `oxidesk` process.
pub struct Server {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    log: PathBuf,
}

impl Server {
    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What it wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits (seeding the demo takes a few seconds) until `/health` answers 200; false if the
    /// process exited first.
    async fn wait_until_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok(response) = client::request(self.port, "GET", "/health", &[], None).await {
                if response.status == 200 {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
