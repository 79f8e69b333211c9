//! The same attachments on an S3-compatible server: `moto` in server mode (Python, from PyPI;
//! `.ci/run` installs it in a virtual environment), started on a free loopback port for each
//! test. Without it the test says so loudly, and fails under `CI=true`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxidesk::config::{Config, StorageKind};

use super::{backend_of, check_three_files, post_three_files};
use crate::api_conversations::desk;
use crate::app_test;
use crate::support::TestApp;

const BUCKET: &str = "oxidesk-attachments";

/// A running `moto_server`, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where `moto_server` is: `OXIDESK_MOTO_SERVER`, the venv `.ci/run` makes, or the `PATH`.
fn moto_binary() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("OXIDESK_MOTO_SERVER") {
        return Some(PathBuf::from(path));
    }
    let venv =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ci-venv/bin/moto_server");
    if venv.exists() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("moto_server"))
            .find(|candidate| candidate.exists())
    })
}

/// Starts moto on a free port and makes the bucket; `None` (said loudly, fatal under CI)
/// when it cannot.
async fn start_moto() -> Option<Moto> {
    let skip = |why: String| {
        let message = format!(
            "WARNING: SKIPPED: the S3 attachment test needs moto's server ({why}); \
             install it with `python3 -m venv target/ci-venv && target/ci-venv/bin/pip install 'moto[server]'` (what .ci/run does) \
             or set OXIDESK_MOTO_SERVER"
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("{message}");
        None
    };
    let Some(binary) = moto_binary() else {
        return skip("moto_server not found".into());
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let child = match Command::new(&binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return skip(format!("{} could not start: {e}", binary.display())),
    };
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let created = client
            .put(format!("{}/{BUCKET}", moto.endpoint))
            .send()
            .await;
        match created {
            Ok(response) if response.status().is_success() => return Some(moto),
            _ if Instant::now() > deadline => {
                return skip(format!(
                    "{} did not answer on port {port} within 30 s",
                    binary.display()
                ));
            }
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

app_test!(attachments_work_the_same_on_s3, |app| async move {
    let Some(moto) = start_moto().await else {
        return;
    };
    let mut config = Config::default();
    config.attachments.storage = StorageKind::S3;
    config.attachments.s3.bucket = Some(BUCKET.into());
    config.attachments.s3.endpoint = Some(moto.endpoint.clone());
    config.attachments.s3.region = Some("us-east-1".into());
    config.attachments.s3.access_key_id = Some("testing".into());
    config.attachments.s3.secret_access_key = Some("testing".into());
    config.attachments.s3.path_style = true;
    config.attachments.s3.allow_http = true;
    let s3 = TestApp::with_config(backend_of(&app), config)
        .await
        .unwrap();
    assert_eq!(s3.services().files.kind(), "s3");
    let d = desk(&s3).await;
    let message = post_three_files(&s3, &d.admin_token, d.account.id).await;
    check_three_files(&s3, &message, d.account.id).await;

    // The objects are in the bucket, none on disk.
    let listing = reqwest::get(format!("{}/{BUCKET}?list-type=2", moto.endpoint))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let keys = listing.matches("<Key>attachments/").count();
    assert_eq!(keys, 4, "three files and a thumbnail: {listing}");
    assert!(
        std::fs::read_dir(s3.files_dir.path())
            .unwrap()
            .next()
            .is_none(),
        "nothing written to the local folder"
    );

    // The rows are the ones local storage writes: same keys, same columns.
    let attachment = s3
        .services()
        .attachment(
            d.account.id,
            oxidesk_domain::AttachmentId(message["attachments"][0]["id"].as_i64().unwrap()),
        )
        .await
        .unwrap();
    assert!(
        attachment
            .storage_key
            .starts_with(&format!("attachments/{}/", d.account.id))
    );
    assert!(listing.contains(&format!("<Key>{}</Key>", attachment.storage_key)));
    drop(moto);
});
