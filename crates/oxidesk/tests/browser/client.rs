//! A few HTTP requests from outside the browser, as another program would send them: the
//! application API with an access token (to look things up and check what the browser did) and
//! the public client API (a customer writing in). Plain HTTP/1.1 over a TCP connection.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response, body read.
#[derive(Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

impl HttpResponse {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }
}

/// Sends one request to `127.0.0.1:port` and reads the whole response.
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head += "Content-Type: application/json\r\n";
    }
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    head += "\r\n";
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    parse(&raw).ok_or_else(|| std::io::Error::other("malformed HTTP response"))
}

fn parse(raw: &[u8]) -> Option<HttpResponse> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut body = raw[split + 4..].to_vec();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if chunked {
        body = dechunk(&body)?;
    }
    Some(HttpResponse {
        status,
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

/// The application and client APIs of one server, as the administrator (token) and as one
/// customer writing into the demo's API inbox.
pub struct Api {
    port: u16,
    token: String,
    /// The demo inbox's public identifier.
    pub inbox_identifier: String,
}

/// A customer's conversation started through the client API.
#[derive(Debug, Clone)]
pub struct CustomerConversation {
    /// The contact's id in the inbox (`contact_identifier` in the client API's paths).
    pub source_id: String,
    /// The conversation's display id (what URLs use).
    pub id: i64,
}

impl Api {
    /// The API of the server on `port`, with an access token of the administrator; looks up the
    /// demo account's API inbox.
    pub async fn new(port: u16, token: String) -> Self {
        let mut api = Self {
            port,
            token,
            inbox_identifier: String::new(),
        };
        let inboxes = api.get("/api/v1/accounts/1/inboxes").await;
        api.inbox_identifier = inboxes["payload"][0]["inbox_identifier"]
            .as_str()
            .unwrap_or_else(|| panic!("no API inbox: {inboxes}"))
            .to_owned();
        api
    }

    async fn send(&self, method: &str, path: &str, body: Option<Value>, auth: bool) -> Value {
        let headers: &[(&str, &str)] = if auth {
            &[("api_access_token", self.token.as_str())]
        } else {
            &[]
        };
        let response = request(self.port, method, path, headers, body.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(
            (200..300).contains(&response.status),
            "{method} {path}: {} {}",
            response.status,
            response.body
        );
        response.json()
    }

    /// `GET` on the application API.
    pub async fn get(&self, path: &str) -> Value {
        self.send("GET", path, None, true).await
    }

    /// `POST` on the application API.
    pub async fn post(&self, path: &str, body: Value) -> Value {
        self.send("POST", path, Some(body), true).await
    }

    /// `PUT` on the application API.
    pub async fn put(&self, path: &str, body: Value) -> Value {
        self.send("PUT", path, Some(body), true).await
    }

    /// A conversation of the demo account, by display id, as the API shows it.
    pub async fn conversation(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/accounts/1/conversations/{id}"))
            .await
    }

    /// The messages of a conversation of the demo account, oldest first.
    pub async fn messages(&self, id: i64) -> Vec<Value> {
        let list = self
            .get(&format!("/api/v1/accounts/1/conversations/{id}/messages"))
            .await;
        list["payload"].as_array().cloned().unwrap_or_default()
    }

    /// A new customer (named `name`) writes `first` into a new conversation of the API inbox.
    pub async fn customer_writes(&self, name: &str, first: &str) -> CustomerConversation {
        let inbox = &self.inbox_identifier;
        let contact = self
            .send(
                "POST",
                &format!("/public/api/v1/inboxes/{inbox}/contacts"),
                Some(json!({"name": name})),
                false,
            )
            .await;
        let source_id = contact["source_id"]
            .as_str()
            .unwrap_or_else(|| panic!("no source_id: {contact}"))
            .to_owned();
        let conversation = self
            .send(
                "POST",
                &format!("/public/api/v1/inboxes/{inbox}/contacts/{source_id}/conversations"),
                Some(json!({})),
                false,
            )
            .await;
        let id = conversation["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no conversation id: {conversation}"));
        let conversation = CustomerConversation { source_id, id };
        self.customer_says(&conversation, first).await;
        conversation
    }

    /// The customer posts `content` into the conversation (the client API).
    pub async fn customer_says(&self, conversation: &CustomerConversation, content: &str) -> Value {
        let path = format!(
            "/public/api/v1/inboxes/{}/contacts/{}/conversations/{}/messages",
            self.inbox_identifier, conversation.source_id, conversation.id
        );
        self.send("POST", &path, Some(json!({"content": content})), false)
            .await
    }
}
