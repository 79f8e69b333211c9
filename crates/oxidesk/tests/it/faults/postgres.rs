//! PostgreSQL restarted under load. The test runs a PostgreSQL server of its own (initdb and
//! pg_ctl in a temporary folder, on a free port: the shared server other tests use is never
//! touched) and the real `oxidesk demo` binary on it, keeps requests coming, stops PostgreSQL
//! (`-m immediate`, as a crash), checks `503` + `Retry-After` and that the process lives on,
//! starts PostgreSQL again, and checks that requests succeed again within 20 s and that a live
//! stream opened before the outage gets an event posted after it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use super::client::{self, Sse, get, sign_in};

const BIN: &str = env!("CARGO_BIN_EXE_oxidesk");
const ADMIN: (&str, &str) = ("admin@acme.example", "oxidesk-admin");

/// The newest PostgreSQL's `bin` folder, if installed.
fn postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let version = path.file_name()?.to_str()?.parse().ok()?;
            let bin = path.join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn output(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().expect(program);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A PostgreSQL server of the test's own. initdb refuses to run as root: then every command
/// runs as the `postgres` user (`runuser`). Stopped when dropped.
struct OwnPostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

impl OwnPostgres {
    fn init(bin: PathBuf) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("pg");
        std::fs::create_dir(&data).unwrap();
        let as_postgres = output("id", &["-u"]) == "0";
        if as_postgres {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            let uid = output("id", &["-u", "postgres"])
                .parse()
                .expect("a postgres user");
            let gid = output("id", &["-g", "postgres"])
                .parse()
                .expect("its group");
            std::os::unix::fs::chown(&data, Some(uid), Some(gid)).unwrap();
        }
        let server = Self {
            bin,
            data,
            port: free_port(),
            as_postgres,
            _dir: dir,
        };
        let data = server.data.display().to_string();
        server.run(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        server
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let out = command
            .args(args)
            .current_dir(&self.data)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(&self) {
        let data = self.data.display().to_string();
        let options = format!(
            "-p {} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port
        );
        let log = self.data.join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-o", &options, "-w", "start"],
        );
    }

    /// Stops at once, as a crash would (no shutdown checkpoint, connections cut).
    fn crash(&self) {
        let data = self.data.display().to_string();
        self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let program = self.bin.join("pg_ctl");
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let _ = command
            .args(["-D", &data, "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// `oxidesk` on the test's PostgreSQL; killed when dropped.
struct Oxidesk {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Oxidesk {
    fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .current_dir(dir)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("OXIDESK_DATA_DIR", dir.join("data"))
            .env(
                "OXIDESK_SECRET_KEY",
                "fault-tests-secret-key-0123456789abcdef",
            )
            .env("OXIDESK_LOG_LEVEL", "warn")
            .env("OXIDESK_DATABASE_URL", url)
            .env("OXIDESK_DATABASE_ACQUIRE_TIMEOUT_SECS", "2")
            .env("OXIDESK_LIMITS_MAX_LIVE_STREAMS", "1");
        command
    }

    async fn demo(dir: &Path, url: &str) -> Self {
        let port = free_port();
        let log = dir.join("oxidesk.log");
        let child = Self::command(dir, url, &["demo", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
            .spawn()
            .expect("start oxidesk");
        let mut server = Self { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let health = client::send(port, &client::raw("GET", "/health", &[], "")).await;
            if health.is_ok_and(|r| r.status == 200) {
                return server;
            }
            assert!(server.alive(), "oxidesk exited: {}", server.log());
            assert!(
                Instant::now() < deadline,
                "oxidesk never answered: {}",
                server.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Oxidesk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests sent over and over from a few tasks, each status kept.
struct Load {
    stop: Arc<AtomicBool>,
    statuses: Arc<Mutex<Vec<u16>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    fn start(port: u16, path: String, token: String) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let statuses = Arc::new(Mutex::new(Vec::new()));
        let tasks = (0..3)
            .map(|_| {
                let (stop, statuses, path, token) =
                    (stop.clone(), statuses.clone(), path.clone(), token.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let request =
                            client::raw("GET", &path, &[("api_access_token", &token)], "");
                        // A refused connection would be the process gone: counted as 0.
                        let status = client::send(port, &request).await.map_or(0, |r| r.status);
                        statuses.lock().unwrap().push(status);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                })
            })
            .collect();
        Self {
            stop,
            statuses,
            tasks,
        }
    }

    async fn finish(self) -> Vec<u16> {
        self.stop.store(true, Ordering::Relaxed);
        for task in self.tasks {
            task.await.unwrap();
        }
        self.statuses.lock().unwrap().clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_503_then_recovery_and_live_updates_resume() {
    let Some(bin) = postgres_bin() else {
        eprintln!(
            "WARNING: SKIPPED postgres_restarted_under_load: no PostgreSQL server binaries \
             (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; install the postgresql package"
        );
        return;
    };
    let postgres = tokio::task::spawn_blocking(move || {
        let server = OwnPostgres::init(bin);
        server.start();
        server
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut oxidesk = Oxidesk::demo(dir.path(), &postgres.url()).await;
    let port = oxidesk.port;
    let out = Oxidesk::command(
        dir.path(),
        &postgres.url(),
        &["token", "create", "--email", ADMIN.0, "--name", "faults"],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let auth = [("api_access_token", token.as_str())];
    let list = "/api/v1/accounts/1/conversations".to_owned();
    let first = get(port, &list, &auth).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let conversation = first.json()["data"]["payload"][0]["id"].as_i64().unwrap();
    let messages = format!("/api/v1/accounts/1/conversations/{conversation}/messages");
    let post = |content: &'static str| {
        let body = json!({"content": content}).to_string();
        let request = client::raw(
            "POST",
            &messages,
            &[
                ("api_access_token", &token),
                ("Content-Type", "application/json"),
            ],
            &body,
        );
        async move { client::send(port, &request).await.unwrap() }
    };

    // A live stream, open across the whole outage; the cap of one stream refuses a second.
    let session = sign_in(port, ADMIN.0, ADMIN.1).await;
    let live = Sse::open(port, "/app/accounts/1/live", &session).await;
    assert_eq!(live.status, 200);
    let second = get(port, "/app/accounts/1/live", &[("Cookie", &session)]).await;
    assert_eq!(second.status, 503, "a second stream is over the cap of one");
    assert!(second.header("retry-after").is_some());
    let before = post("before the outage").await;
    assert_eq!(before.status, 200, "{}", before.body);
    let id = before.json()["id"].as_i64().unwrap();
    assert!(
        live.wait_for(&format!("\"id\":{id}"), Duration::from_secs(10))
            .await,
        "the stream works before the outage: {}",
        live.text()
    );

    let load = Load::start(port, list.clone(), token.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let postgres = tokio::task::spawn_blocking(move || {
        postgres.crash();
        postgres
    })
    .await
    .unwrap();

    // While it is away: 503 with Retry-After and the API's error shape, never a 500.
    let away = get(port, &list, &auth).await;
    assert_eq!(away.status, 503, "{}", away.body);
    assert!(away.header("retry-after").is_some(), "{}", away.head);
    let code = away.json()["code"].as_str().unwrap().to_owned();
    assert!(
        ["unavailable", "overloaded"].contains(&code.as_str()),
        "{}",
        away.body
    );
    let refused = post("while away").await;
    assert_eq!(
        refused.status, 503,
        "a write is refused, not acknowledged: {}",
        refused.body
    );
    let page = get(
        port,
        "/app/accounts/1/conversations",
        &[("Cookie", &session)],
    )
    .await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(
        page.body.contains("http-equiv=\"refresh\""),
        "{}",
        page.body
    );
    let health = get(port, "/health", &[]).await;
    assert_eq!(health.status, 503, "{}", health.body);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(oxidesk.alive(), "oxidesk died: {}", oxidesk.log());

    let postgres = tokio::task::spawn_blocking(move || {
        postgres.start();
        postgres
    })
    .await
    .unwrap();
    let back = Instant::now();
    loop {
        let reply = get(port, &list, &auth).await;
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 503, "{}", reply.body);
        assert!(
            back.elapsed() < Duration::from_secs(20),
            "still {} 20 s after PostgreSQL came back: {}",
            reply.status,
            reply.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "requests succeed again {:?} after PostgreSQL is back",
        back.elapsed()
    );

    let after = post("after the outage").await;
    assert_eq!(after.status, 200, "{}", after.body);
    let id = after.json()["id"].as_i64().unwrap();
    assert!(
        live.wait_for(&format!("\"id\":{id}"), Duration::from_secs(15))
            .await,
        "the stream opened before the outage gets an event posted after it: {}",
        live.text()
    );
    let statuses = load.finish().await;
    let unexpected: Vec<_> = statuses
        .iter()
        .filter(|s| ![200, 503].contains(*s))
        .collect();
    assert!(
        unexpected.is_empty(),
        "only 200 and 503 under load, got {unexpected:?}"
    );
    assert!(
        statuses.contains(&503) && statuses.contains(&200),
        "{statuses:?}"
    );
    assert!(oxidesk.alive(), "oxidesk died: {}", oxidesk.log());
    let log = oxidesk.log();
    assert!(!log.contains("panicked"), "{log}");
    drop(postgres);
}
