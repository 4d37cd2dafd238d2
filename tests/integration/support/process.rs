//! The `vitrin` binary as its users run it: commands on a data folder, and `serve` as a
//! separate process that can be stopped with SIGTERM or killed.

use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// `vitrin` on the embedded defaults with its data in `dir/data`, logging warnings only.
pub fn vitrin(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vitrin"));
    command
        .current_dir(dir)
        .env_remove("VITRIN_DATABASE_URL")
        .env("VITRIN_DATA_DIR", dir.join("data"))
        .env("VITRIN_LOG", "warn");
    command
}

/// Runs `command` with `input` on its stdin and answers what it printed.
pub fn run_with_stdin(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vitrin starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("vitrin ends")
}

/// `vitrin create-admin` in `dir`, the password on stdin.
pub fn create_admin(dir: &Path, email: &str, password: &str) -> Output {
    run_with_stdin(
        vitrin(dir).args(["create-admin", "--email", email]),
        &format!("{password}\n"),
    )
}

/// A port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A `vitrin serve` process; killed when dropped.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:port`.
    pub base: String,
}

impl Served {
    /// Starts `command` (a [`vitrin`] command, configured) serving on `port`, and waits
    /// until it is ready.
    pub async fn start(mut command: Command, port: u16) -> Served {
        let child = command
            .arg("serve")
            .env("VITRIN_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("vitrin serve starts");
        let mut served = Served {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        served.wait_until_ready().await;
        served
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn wait_until_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("vitrin serve exited at start: {status}");
            }
            let ready = client.get(self.url("/readyz")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(Instant::now() < deadline, "the server did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends SIGTERM, as service managers and orchestrators stop a process.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "SIGTERM was sent");
    }

    /// Kills the process at once (SIGKILL: nothing in memory survives).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the process to exit (at most `within`).
    pub async fn exit_status(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("the process can be waited on") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}
