//! A small HTTP/1.1 client over one kept-alive loopback connection: what a load tool or a test
//! driving real server processes needs (status, headers, the whole body, `Content-Length` or
//! chunked), no TLS, no compression, no redirects followed. See the manifest for why not hyper's.

use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One connection, reopened after an error or a `Connection: close`.
pub struct Client {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
    /// Extra headers on every request (the client address, a session cookie).
    pub headers: Vec<(String, String)>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        Self { addr, stream: None, headers: Vec::new() }
    }

    pub async fn get(&mut self, path: &str, extra: &[(&str, &str)], timeout: Duration) -> anyhow::Result<Response> {
        self.send("GET", path, extra, None, timeout).await
    }

    /// A browser's plain form post (no JavaScript): url-encoded fields, HTML accepted, sent from
    /// our own origin.
    pub async fn post_form(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
        timeout: Duration,
    ) -> anyhow::Result<Response> {
        let body = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let origin = format!("http://{}", self.addr);
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded"), ("Origin", origin.as_str())];
        headers.extend_from_slice(extra);
        self.send("POST", path, &headers, Some(body.as_bytes()), timeout).await
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        timeout: Duration,
    ) -> anyhow::Result<Response> {
        match tokio::time::timeout(timeout, self.exchange(method, path, headers, body)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => {
                self.stream = None;
                Err(e)
            }
            Err(_) => {
                self.stream = None;
                anyhow::bail!("timed out after {} s", timeout.as_secs_f64())
            }
        }
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> anyhow::Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: text/html\r\n", self.addr);
        for (name, value) in self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).chain(headers.iter().copied()) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let stream = match &mut self.stream {
            Some(stream) => stream,
            None => {
                let tcp = TcpStream::connect(self.addr).await?;
                tcp.set_nodelay(true)?;
                self.stream.insert(BufReader::new(tcp))
            }
        };
        let mut request = head.into_bytes();
        request.extend_from_slice(body.unwrap_or_default());
        stream.get_mut().write_all(&request).await?;
        let response = read_response(stream, method == "HEAD").await?;
        if response.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
            self.stream = None;
        }
        Ok(response)
    }
}

async fn read_response(stream: &mut BufReader<TcpStream>, head_only: bool) -> anyhow::Result<Response> {
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        anyhow::bail!("the server closed the connection");
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("not an HTTP status line: {line:?}"))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let mut response = Response { status, headers, body: Vec::new() };
    if head_only || status == 204 || status == 304 || (100..200).contains(&status) {
        return Ok(response);
    }
    if response.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            line.clear();
            stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or_default(), 16)?;
            if size == 0 {
                // Trailers, then the blank line.
                loop {
                    line.clear();
                    if stream.read_line(&mut line).await? == 0 || line.trim_end().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = response.body.len();
            response.body.resize(start + size, 0);
            stream.read_exact(&mut response.body[start..]).await?;
            line.clear();
            stream.read_line(&mut line).await?;
        }
    } else if let Some(length) = response.header("content-length") {
        let length: usize = length.parse()?;
        response.body.resize(length, 0);
        stream.read_exact(&mut response.body).await?;
    } else {
        stream.read_to_end(&mut response.body).await?;
        response.headers.push(("connection".to_owned(), "close".to_owned()));
    }
    Ok(response)
}

/// Percent-encodes a query or form value (unreserved characters kept, space as `%20`).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b':' | b',') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
