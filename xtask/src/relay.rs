//! A TCP relay between a client and the simulator that counts the bytes it
//! carries each way: what a client costs on the wire, headers, compression
//! and all, whatever language it is written in.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use anyhow::{Context, Result};

/// Bytes carried since the relay started or was last [`Relay::take`]n.
#[derive(Clone, Copy, Debug, Default)]
pub struct Carried {
    /// From the client to the server.
    pub up: u64,
    /// From the server to the client.
    pub down: u64,
}

pub struct Relay {
    /// `http://127.0.0.1:PORT`, to give clients instead of the server's URL.
    pub url: String,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Relay {
    /// Relays every connection made to a free loopback port to `target`
    /// (an `http://host:port` URL).
    pub fn start(target: &str) -> Result<Relay> {
        let target = target
            .strip_prefix("http://")
            .context("the relay carries plain http")?
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let stop = Arc::new(AtomicBool::new(false));
        let (up_total, down_total, stopped) = (up.clone(), down.clone(), stop.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                pipe(&client, &server, up_total.clone());
                pipe(&server, &client, down_total.clone());
            }
        });
        Ok(Relay {
            url: format!("http://127.0.0.1:{port}"),
            up,
            down,
            stop,
            port,
        })
    }

    /// The bytes carried so far, and a fresh count from now.
    pub fn take(&self) -> Carried {
        Carried {
            up: self.up.swap(0, Ordering::Relaxed),
            down: self.down.swap(0, Ordering::Relaxed),
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies `from` to `to` on a thread of its own, counting into `total`.
fn pipe(from: &TcpStream, to: &TcpStream, total: Arc<AtomicU64>) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    thread::spawn(move || {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let read = match from.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            // Counted before it goes on, so that whoever reads it sees it counted.
            total.fetch_add(read as u64, Ordering::Relaxed);
            if to.write_all(&buffer[..read]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
        let _: io::Result<()> = from.shutdown(Shutdown::Read);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_it_carries_each_way() {
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = server.local_addr().unwrap();
        thread::spawn(move || {
            let (mut socket, _) = server.accept().unwrap();
            let mut request = [0; 5];
            socket.read_exact(&mut request).unwrap();
            socket.write_all(&[7; 1000]).unwrap();
        });
        let relay = Relay::start(&format!("http://{address}")).unwrap();
        let mut client = TcpStream::connect(relay.url.trim_start_matches("http://")).unwrap();
        client.write_all(b"hello").unwrap();
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).unwrap();
        assert_eq!(answer.len(), 1000);
        let carried = relay.take();
        assert_eq!((carried.up, carried.down), (5, 1000));
        assert_eq!(relay.take().down, 0);
    }
}
