//! Many clients, one budget: clients sharing a real Redis get no 429 where
//! clients pacing alone do; adaptive pacing backs off when others spend the
//! budget; and Redis down, slow, restarted or refusing the password never
//! fails a call. Each `Client` here stands for a process: they share nothing
//! but the simulator and the Redis.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use zpa::{Client, RateLimit, RetryPolicy, Sharing};
use zpa_sim::{Sim, SimConfig};
use zpa_tests::RedisServer;

/// The simulator's ZPA limits (20 GETs per window) on a short window.
async fn limited_sim(connectors: usize, window: Duration) -> Sim {
    Sim::start(SimConfig {
        connectors,
        rate_limit: Some(zpa_sim::RateLimit::zpa(window)),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn client(sim: &Sim, limit: RateLimit) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .customer_id(sim.customer_id())
        .token(sim.static_token())
        .rate_limit(limit)
        // 429s must be waited out, however many: the test counts them.
        .retry(RetryPolicy {
            max_attempts: 50,
            max_wait: Duration::from_secs(120),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

async fn list(zpa: &Client, page_size: u32) -> usize {
    let items: Vec<_> = zpa
        .connectors()
        .list()
        .page_size(page_size)
        .items()
        .try_collect()
        .await
        .expect("the listing succeeds");
    items.len()
}

/// Lists every connector from each client at once; returns how many 429s
/// the simulator answered.
async fn list_together(sim: &Sim, clients: &[Client]) -> usize {
    sim.clear_log();
    let listings = clients.iter().map(|zpa| list(zpa, 20));
    let counts = futures::future::join_all(listings).await;
    let expected = sim.connector_ids().len();
    assert!(counts.iter().all(|&n| n == expected), "{counts:?}");
    sim.requests().iter().filter(|r| r.status == 429).count()
}

#[tokio::test]
async fn clients_sharing_redis_get_no_429_where_clients_alone_do() {
    let redis = RedisServer::start(&[]);
    let window = Duration::from_millis(500);
    let sim = limited_sim(300, window).await;
    let limit = RateLimit::zpa_with_window(window);

    let alone: Vec<_> = (0..4)
        .map(|_| client(&sim, limit.clone().sharing(Sharing::Fixed)))
        .collect();
    let refused_alone = list_together(&sim, &alone).await;
    assert!(
        refused_alone > 0,
        "four clients pacing alone overrun the budget"
    );

    // 60 GETs at 20 per window: 20 at once, then two more windows.
    let shared: Vec<_> = (0..4)
        .map(|_| client(&sim, limit.clone().shared(redis.url(""))))
        .collect();
    std::thread::sleep(window);
    let started = Instant::now();
    assert_eq!(list_together(&sim, &shared).await, 0, "no 429 when shared");
    assert!(started.elapsed() >= window * 2, "{:?}", started.elapsed());
    let key = format!("zpa:rate-limit:{}:get", sim.customer_id());
    assert_ne!(
        redis.command(&["ZCARD", &key]),
        ":0",
        "the window is in Redis"
    );
}

#[tokio::test]
async fn adaptive_pacing_gets_fewer_429s_than_fixed_pacing() {
    let window = Duration::from_millis(200);
    let sim = limited_sim(1_000, window).await;
    let four = |sharing: Sharing| -> Vec<Client> {
        (0..4)
            .map(|_| {
                client(
                    &sim,
                    RateLimit::zpa_with_window(window).sharing(sharing.clone()),
                )
            })
            .collect()
    };
    let fixed = list_together(&sim, &four(Sharing::Fixed)).await;
    std::thread::sleep(window);
    let adaptive = list_together(&sim, &four(Sharing::Adaptive)).await;
    assert!(
        adaptive < fixed,
        "adaptive pacing: {adaptive} 429s, fixed pacing: {fixed}"
    );
}

/// The warnings written while `work` runs.
async fn logged<T>(work: impl std::future::Future<Output = T>) -> (T, String) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "zpa-shared-rate-limit-{}-{}.log",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let file = std::fs::File::create(&path).unwrap();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .finish();
    let value = {
        let _guard = tracing::subscriber::set_default(subscriber);
        work.await
    };
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    (value, text)
}

#[tokio::test]
async fn an_unreachable_redis_warns_once_and_never_fails_a_call() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("redis://:topsecret@127.0.0.1:{port}/0");
    let window = Duration::from_millis(300);
    let sim = limited_sim(400, window).await;
    let limit = RateLimit::zpa_with_window(window).shared(url.as_str());
    let builder = Client::builder().rate_limit(limit);
    assert!(!format!("{builder:?}").contains("topsecret"));
    let zpa = client(
        &sim,
        RateLimit::zpa_with_window(window).shared(url.as_str()),
    );
    let (count, log) = logged(list(&zpa, 20)).await;
    assert_eq!(count, 400);
    assert_eq!(log.matches("WARN").count(), 1, "{log}");
    assert!(log.contains("Redis is unreachable"), "{log}");
    assert!(
        log.contains(&format!("redis://[redacted]@127.0.0.1:{port}/0")),
        "{log}"
    );
    assert!(!log.contains("topsecret"), "{log}");
    // Paced in the process instead: ZPA's limits still hold.
    assert!(sim.requests().iter().all(|r| r.status == 200));
}

#[tokio::test]
async fn a_wrong_redis_password_is_never_shown_and_never_fails_a_call() {
    let redis = RedisServer::start(&["--requirepass", "right-password"]);
    let sim = limited_sim(100, Duration::from_millis(300)).await;
    let limit = RateLimit::zpa_with_window(Duration::from_millis(300));
    let wrong = client(&sim, limit.clone().shared(redis.url(":wrong-password")));
    let (count, log) = logged(list(&wrong, 20)).await;
    assert_eq!(count, 100);
    assert!(log.contains("Redis is unreachable"), "{log}");
    assert!(!log.contains("wrong-password"), "{log}");

    let right = client(&sim, limit.shared(redis.url(":right-password")));
    let (count, log) = logged(list(&right, 20)).await;
    assert_eq!((count, log.as_str()), (100, ""));
    let key = format!("zpa:rate-limit:{}:get", sim.customer_id());
    assert_ne!(redis.command(&["ZCARD", &key]), ":0");
}

#[tokio::test]
async fn a_slow_redis_is_waited_for_only_a_moment() {
    let redis = RedisServer::start(&[]);
    let sim = limited_sim(100, Duration::from_millis(300)).await;
    let zpa = client(
        &sim,
        RateLimit::zpa_with_window(Duration::from_millis(300)).shared(redis.url("")),
    );
    assert_eq!(list(&zpa, 20).await, 100);
    // Redis answers nobody for 5 s.
    assert_eq!(redis.command(&["CLIENT", "PAUSE", "5000", "ALL"]), "+OK");
    let started = Instant::now();
    let (count, log) = logged(list(&zpa, 20)).await;
    assert_eq!(count, 100);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "paced alone rather than waiting for Redis: {:?}",
        started.elapsed()
    );
    assert!(log.contains("no answer within 250 ms"), "{log}");
}

#[tokio::test]
async fn a_restarted_redis_is_rejoined() {
    let mut redis = RedisServer::start(&[]);
    let window = Duration::from_millis(300);
    let sim = limited_sim(200, window).await;
    let zpa = client(
        &sim,
        RateLimit::zpa_with_window(window).shared(redis.url("")),
    );
    let key = format!("zpa:rate-limit:{}:get", sim.customer_id());
    let (_, log) = logged(async {
        assert_eq!(list(&zpa, 20).await, 200);
        assert_ne!(redis.command(&["ZCARD", &key]), ":0");

        redis.stop();
        assert_eq!(list(&zpa, 20).await, 200, "paced alone while Redis is down");

        redis.restart();
        assert_eq!(redis.command(&["ZCARD", &key]), ":0", "a new, empty Redis");
        let deadline = Instant::now() + Duration::from_secs(15);
        while redis.command(&["ZCARD", &key]) == ":0" {
            assert!(Instant::now() < deadline, "the client never rejoined");
            zpa.connectors().list().page(1).await.unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    assert_eq!(log.matches("Redis is unreachable").count(), 1, "{log}");
    assert_eq!(log.matches("Redis answers again").count(), 1, "{log}");
}

#[test]
fn the_setting_reads_as_operators_write_it() {
    use zpa::RateLimitSetting;
    let read = |text: &str| text.parse::<RateLimitSetting>().map(|s| s.0);
    assert_eq!(read("zpa").unwrap(), Some(RateLimit::ZPA));
    assert_eq!(read("off").unwrap(), None);
    assert_eq!(read("fixed").unwrap().unwrap().sharing, Sharing::Fixed);
    let shared = read("redis://:pw@10.0.0.5:6379/0").unwrap().unwrap();
    assert_eq!(
        shared.sharing,
        Sharing::Redis("redis://:pw@10.0.0.5:6379/0".into())
    );
    assert_eq!(
        RateLimitSetting(Some(shared)).to_string(),
        "redis://[redacted]"
    );
    for (bad, why) in [
        ("fast", "not zpa, fixed, off or a redis:// URL"),
        ("rediss://:pw@host:6379", "rediss://"),
        ("http://:pw@host", "not Redis's"),
    ] {
        let error = read(bad).unwrap_err().to_string();
        assert!(error.contains(why) && !error.contains("pw@"), "{error}");
    }
}
