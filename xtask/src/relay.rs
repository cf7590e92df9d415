//! A TCP relay between a client and the simulator that counts the bytes it
//! carries each way: what a client costs on the wire, headers, compression
//! and all, whatever language it is written in. Given a [`Link`], it also
//! delays and paces what it carries as a WAN would.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Bytes carried since the relay started or was last [`Relay::take`]n.
#[derive(Clone, Copy, Debug, Default)]
pub struct Carried {
    /// From the client to the server.
    pub up: u64,
    /// From the server to the client.
    pub down: u64,
}

/// What the relay makes of loopback: a round trip and a bandwidth shared by
/// every connection, each way. A new connection waits one round trip, as a
/// TCP handshake does; TCP's slow start and TLS are not modelled.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    pub round_trip: Duration,
    pub bits_per_second: u64,
}

impl Link {
    /// When `bytes` sent into a link that is free at `free` arrive, and
    /// when the link is free again.
    fn carry(&self, bytes: usize, now: Instant, free: Instant) -> (Instant, Instant) {
        let sent = now.max(free)
            + Duration::from_secs_f64(bytes as f64 * 8.0 / self.bits_per_second as f64);
        (sent + self.round_trip / 2, sent)
    }
}

/// One direction of a shaped link: its [`Link`] and when it is free again.
#[derive(Clone)]
struct Shaper {
    link: Link,
    free: Arc<Mutex<Instant>>,
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
        Relay::with_link(target, None)
    }

    /// Like [`Relay::start`], over `link`.
    pub fn shaped(target: &str, link: Link) -> Result<Relay> {
        Relay::with_link(target, Some(link))
    }

    fn with_link(target: &str, link: Option<Link>) -> Result<Relay> {
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
        let shaper = || {
            link.map(|link| Shaper {
                link,
                free: Arc::new(Mutex::new(Instant::now())),
            })
        };
        let (up_link, down_link) = (shaper(), shaper());
        thread::spawn(move || {
            for client in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(client) = client else { continue };
                let (target, up_total, down_total) =
                    (target.clone(), up_total.clone(), down_total.clone());
                let (up_link, down_link) = (up_link.clone(), down_link.clone());
                thread::spawn(move || {
                    if let Some(shaper) = &up_link {
                        thread::sleep(shaper.link.round_trip);
                    }
                    let Ok(server) = TcpStream::connect(&target) else {
                        return;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    pipe(&client, &server, up_total, up_link);
                    pipe(&server, &client, down_total, down_link);
                });
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

/// Copies `from` to `to` on a thread of its own, counting into `total`;
/// through `shaper`'s link when there is one.
fn pipe(from: &TcpStream, to: &TcpStream, total: Arc<AtomicU64>, shaper: Option<Shaper>) {
    let (Ok(mut from), Ok(to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    thread::spawn(move || {
        let mut sink = match shaper {
            Some(shaper) => Sink::paced(to, shaper),
            None => Sink::Now(to),
        };
        // Small reads, so that a page is paced as it crosses, not at once.
        let mut buffer = vec![0; 16 * 1024];
        loop {
            let read = match from.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            // Counted before it goes on, so that whoever reads it sees it counted.
            total.fetch_add(read as u64, Ordering::Relaxed);
            if !sink.send(&buffer[..read]) {
                break;
            }
        }
        sink.close();
        let _: io::Result<()> = from.shutdown(Shutdown::Read);
    });
}

/// Where a [`pipe`] puts what it read.
enum Sink {
    /// Written at once.
    Now(TcpStream),
    /// Handed with its arrival time to a thread that writes it then.
    Paced(Shaper, mpsc::Sender<(Instant, Vec<u8>)>),
}

impl Sink {
    fn paced(mut to: TcpStream, shaper: Shaper) -> Sink {
        let (chunks, arrivals) = mpsc::channel::<(Instant, Vec<u8>)>();
        thread::spawn(move || {
            for (at, chunk) in arrivals {
                thread::sleep(at.saturating_duration_since(Instant::now()));
                if to.write_all(&chunk).is_err() {
                    return;
                }
            }
            let _ = to.shutdown(Shutdown::Write);
        });
        Sink::Paced(shaper, chunks)
    }

    /// Whether the other side still takes bytes.
    fn send(&mut self, chunk: &[u8]) -> bool {
        match self {
            Sink::Now(to) => to.write_all(chunk).is_ok(),
            Sink::Paced(shaper, chunks) => {
                let mut free = shaper.free.lock().unwrap_or_else(|p| p.into_inner());
                let (at, next) = shaper.link.carry(chunk.len(), Instant::now(), *free);
                *free = next;
                chunks.send((at, chunk.to_vec())).is_ok()
            }
        }
    }

    /// Ends the stream once everything sent has arrived.
    fn close(self) {
        match self {
            Sink::Now(to) => {
                let _ = to.shutdown(Shutdown::Write);
            }
            // The writing thread shuts down when the channel closes.
            Sink::Paced(..) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server for one connection: it reads `request` bytes, then answers
    /// `answer` bytes and closes.
    fn one_answer(request: usize, answer: usize) -> String {
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = server.local_addr().unwrap();
        thread::spawn(move || {
            let (mut socket, _) = server.accept().unwrap();
            socket.read_exact(&mut vec![0; request]).unwrap();
            socket.write_all(&vec![7; answer]).unwrap();
        });
        format!("http://{address}")
    }

    #[test]
    fn counts_what_it_carries_each_way() {
        let address = one_answer(5, 1000);
        let relay = Relay::start(&address).unwrap();
        let mut client = TcpStream::connect(relay.url.trim_start_matches("http://")).unwrap();
        client.write_all(b"hello").unwrap();
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).unwrap();
        assert_eq!(answer.len(), 1000);
        let carried = relay.take();
        assert_eq!((carried.up, carried.down), (5, 1000));
        assert_eq!(relay.take().down, 0);
    }

    #[test]
    fn a_shaped_link_delays_by_its_round_trip_and_paces_to_its_bandwidth() {
        let address = one_answer(1, 100_000);
        let link = Link {
            round_trip: Duration::from_millis(100),
            bits_per_second: 4_000_000,
        };
        let relay = Relay::shaped(&address, link).unwrap();
        let started = Instant::now();
        let mut client = TcpStream::connect(relay.url.trim_start_matches("http://")).unwrap();
        client.write_all(b"?").unwrap();
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).unwrap();
        // The handshake's round trip, the request's way up and the answer's
        // way down (100 ms each), and 800,000 bits at 4 Mbit/s (200 ms).
        let took = started.elapsed();
        assert_eq!(answer.len(), 100_000);
        assert!(
            (Duration::from_millis(400)..Duration::from_secs(2)).contains(&took),
            "{took:?}"
        );
    }
}
