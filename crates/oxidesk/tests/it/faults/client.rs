//! Plain HTTP/1.1 over TCP, as another program would speak to a running server: whole
//! requests, requests left hanging (to hold a request slot), and a Server-Sent Events reader.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response, body read.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }
}

/// The request's text: a request line, headers and `body`.
pub fn raw(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text += &format!("{name}: {value}\r\n");
    }
    text + "\r\n" + body
}

/// Sends one request and reads the whole response (at most 60 s).
pub async fn send(port: u16, request: &str) -> std::io::Result<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await?;
        parse(&bytes).ok_or_else(|| std::io::Error::other("malformed HTTP response"))
    };
    tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .map_err(|_| std::io::Error::other("no response within 60 s"))?
}

/// `GET path` with `headers`.
pub async fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Reply {
    send(port, &raw("GET", path, headers, ""))
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// A request whose body is announced but never sent: the server reads it in vain and holds
/// the request's slot until the connection is dropped.
pub async fn hang(port: u16, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail="
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    stream
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body)?;
    }
    Some(Reply {
        status,
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// The `name=value` of a `Set-Cookie` header naming `name`.
pub fn cookie(reply: &Reply, name: &str) -> Option<String> {
    reply.head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        if !key.trim().eq_ignore_ascii_case("set-cookie") {
            return None;
        }
        let pair = value.trim().split(';').next()?;
        pair.starts_with(&format!("{name}="))
            .then(|| pair.to_owned())
    })
}

/// Signs in through the login form; returns the session cookie (`oxidesk_session=...`).
pub async fn sign_in(port: u16, email: &str, password: &str) -> String {
    let form = get(port, "/app/login", &[]).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let anchor = cookie(&form, "oxidesk_csrf").expect("a CSRF cookie");
    let csrf = form
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF field");
    let body = format!(
        "email={}&password={}&csrf={csrf}",
        email.replace('@', "%40"),
        password
    );
    let reply = send(
        port,
        &raw(
            "POST",
            "/app/login",
            &[
                ("Cookie", &anchor),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &body,
        ),
    )
    .await
    .expect("sign in");
    cookie(&reply, "oxidesk_session")
        .unwrap_or_else(|| panic!("no session cookie: {} {}", reply.head, reply.body))
}

/// A Server-Sent Events stream being read in the background; what arrived so far is kept.
pub struct Sse {
    pub status: u16,
    received: Arc<Mutex<String>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sse {
    /// Opens `path` with `cookie` and starts reading.
    pub async fn open(port: u16, path: &str, cookie: &str) -> Self {
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            let n = stream.read(&mut byte).await.expect("read the head");
            assert!(n > 0, "closed before the head");
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let received = Arc::new(Mutex::new(String::new()));
        let sink = received.clone();
        let task = tokio::spawn(async move {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buffer).await {
                if n == 0 {
                    sink.lock().expect("lock").push_str("\n<closed>");
                    return;
                }
                sink.lock()
                    .expect("lock")
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Self {
            status,
            received,
            task,
        }
    }

    /// What arrived so far.
    pub fn text(&self) -> String {
        self.received.lock().expect("lock").clone()
    }

    /// Waits up to `limit` for `needle` to arrive; true if it did.
    pub async fn wait_for(&self, needle: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }
}

impl Drop for Sse {
    fn drop(&mut self) {
        self.task.abort();
    }
}
