//! End-to-end tests across the workspace's crates live in `tests/tests/`;
//! this library holds the real parts they (and the benchmarks) start.
#![forbid(unsafe_code)]

mod redis_server;

pub use redis_server::RedisServer;
