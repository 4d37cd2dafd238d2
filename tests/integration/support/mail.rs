//! Reading what the server sent: the file outbox, or a real SMTP server (Python's
//! aiosmtpd) started on loopback for the test.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A delivered message, decoded.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Email {
    /// The first link that carries a token in its fragment.
    pub fn link(&self) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains("#token="))
            .unwrap_or_else(|| panic!("no link in {}", self.text))
            .to_owned()
    }

    /// The token of that link.
    pub fn token(&self) -> String {
        self.link()
            .split_once("#token=")
            .map(|(_, t)| t.to_owned())
            .expect("token in link")
    }
}

/// The message in `bytes`, or `None` while its file is still being written (every mail
/// the server sends is multipart: a whole one ends with its closing boundary, `--`).
fn parse(bytes: &[u8]) -> Option<Email> {
    if !bytes.trim_ascii_end().ends_with(b"--") {
        return None;
    }
    let message = mail_parser::MessageParser::default().parse(bytes)?;
    let to = message
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_owned();
    Some(Email {
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html: message
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    })
}

/// Every message in a folder of files (the outbox, or a Maildir's `new/`).
pub fn read_folder(dir: &Path) -> Vec<Email> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .filter(|p| p.extension().is_none_or(|e| e != "json"))
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|bytes| parse(&bytes))
        .collect()
}

/// Waits (up to 10 s) until a message to `to` matching `subject_part` arrives in `dir`.
pub async fn wait_for(dir: &Path, to: &str, subject_part: &str) -> Email {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(mail) = read_folder(dir)
            .into_iter()
            .find(|m| m.to == to && m.subject.contains(subject_part))
        {
            return mail;
        }
        assert!(
            Instant::now() < deadline,
            "no e-mail to {to} about {subject_part:?} within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A real SMTP server on loopback that stores what it receives in a Maildir.
pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Picks a free port; the server is not started yet.
    pub fn on_free_port() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        SmtpServer {
            port,
            maildir: dir.path().join("maildir"),
            child: None,
            _dir: dir,
        }
    }

    /// Starts aiosmtpd and waits until it accepts connections.
    pub fn start(mut self) -> SmtpServer {
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
            ])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs (the test setup installs aiosmtpd: pip install aiosmtpd)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("aiosmtpd exited ({status}); install it with `pip install aiosmtpd`");
            }
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start within 15 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self
    }

    /// The `VITRIN_SMTP_URL` for this server.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Where delivered messages appear.
    pub fn inbox(&self) -> PathBuf {
        self.maildir.join("new")
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
