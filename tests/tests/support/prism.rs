//! Prism, an independent implementation of OpenAPI, serving a spec on loopback: `prism mock
//! --errors` checks every request against the spec (a request it finds invalid gets `422`
//! and the violations) and answers with the spec's examples, or, dynamic, with data it makes
//! from the schemas. It comes from `.ci/package.json` (`npm ci --prefix .ci`).

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::workspace_root;

/// How Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// The spec's examples (else data made from the schema where a response has none).
    Examples,
    /// Data made from the schemas every time (`--dynamic`), from a fixed seed, so a run
    /// answers as the one before.
    Dynamic,
}

impl Answers {
    pub fn name(self) -> &'static str {
        match self {
            Answers::Examples => "examples",
            Answers::Dynamic => "dynamic",
        }
    }
}

/// A `prism mock` process serving one spec, stopped when dropped.
pub struct Prism {
    child: Child,
    pub url: String,
}

impl Prism {
    /// Serves `specs/{spec}` of the workspace, answering with its examples.
    pub fn serve(spec: &str, port: u16) -> Prism {
        Prism::serve_file(
            &workspace_root().join("specs").join(spec),
            port,
            Answers::Examples,
        )
    }

    /// Serves the spec at `spec`, answering as `answers` says, once it listens (within 120 s).
    pub fn serve_file(spec: &Path, port: u16, answers: Answers) -> Prism {
        let binary = workspace_root().join(".ci/node_modules/.bin/prism");
        assert!(
            binary.exists(),
            "{} is missing: run `npm ci --prefix .ci` first",
            binary.display()
        );
        let mut command = Command::new(&binary);
        command.args([
            "mock",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--errors",
        ]);
        if answers == Answers::Dynamic {
            command.args(["--dynamic", "--seed", "conformance"]);
        }
        let child = command
            .arg(spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!("prism stopped before serving {} ({status})", spec.display());
            }
            assert!(
                Instant::now() < deadline,
                "prism did not start serving {} within 120 s",
                spec.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
