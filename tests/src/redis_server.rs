//! A real Redis for tests and benchmarks: Debian's `redis-server`, started on
//! a free loopback port with nothing persisted, and stopped on drop. Commands
//! go over RESP on a plain socket, so no Redis client is needed to drive it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    extra: Vec<String>,
}

impl RedisServer {
    /// Starts a server; `extra` are more `redis-server` options, such as
    /// `["--requirepass", "hunter2"]`.
    pub fn start(extra: &[&str]) -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let mut server = RedisServer {
            child: None,
            port,
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        server.restart();
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT/0`, with `credentials` (`:password`) if given.
    pub fn url(&self, credentials: &str) -> String {
        let at = if credentials.is_empty() { "" } else { "@" };
        format!("redis://{credentials}{at}127.0.0.1:{}/0", self.port)
    }

    /// Stops the server (its data is gone with it).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty, and waits until it answers.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--protected-mode", "no"])
            .args(&self.extra)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "redis-server could not start ({error}); install Debian's redis-server, \
                     or run `cargo xtask test`, which does"
                )
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.try_command(&["PING"]).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends one command (authenticated first when the server needs a
    /// password) and returns the first line of the reply.
    pub fn command(&self, args: &[&str]) -> String {
        self.try_command(args).expect("redis-server answers")
    }

    fn try_command(&self, args: &[&str]) -> std::io::Result<String> {
        let stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut writer = stream.try_clone()?;
        let mut reader = BufReader::new(stream);
        let mut reply = |args: &[&str]| -> std::io::Result<String> {
            let mut request = format!("*{}\r\n", args.len());
            for arg in args {
                request.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
            }
            writer.write_all(request.as_bytes())?;
            let mut line = String::new();
            reader.read_line(&mut line)?;
            if line.is_empty() {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            Ok(line.trim_end().to_owned())
        };
        if let Some(at) = self.extra.iter().position(|arg| arg == "--requirepass") {
            reply(&["AUTH", &self.extra[at + 1]])?;
        }
        reply(args)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
