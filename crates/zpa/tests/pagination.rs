//! Listings over many pages: every item once, totals, and data changing
//! while a listing runs.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use zpa::{Error, RateLimit};
use zpa_sim::{Sim, SimConfig};

#[tokio::test]
async fn every_item_exactly_once_at_several_page_sizes() {
    let sim = common::sim(1_234).await;
    let zpa = common::client(&sim);
    let expected: HashSet<String> = sim.connector_ids().into_iter().collect();
    assert_eq!(expected.len(), 1_234);
    for page_size in [1, 7, 100, 500] {
        sim.clear_log();
        let ids: Vec<String> = zpa
            .connectors()
            .list()
            .page_size(page_size)
            .items()
            .map_ok(|c| c.id.to_string())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids.len(), 1_234, "page size {page_size}");
        assert_eq!(ids.iter().cloned().collect::<HashSet<_>>(), expected);
        let pages = 1_234u32.div_ceil(page_size) as usize;
        assert_eq!(sim.requests().len(), pages, "no request past the last page");
    }
}

#[tokio::test]
async fn a_stream_can_start_at_any_page() {
    let sim = common::sim(1_234).await;
    let zpa = common::client(&sim);
    let all: Vec<String> = sim.connector_ids();
    for first in [1u32, 2, 5, 13] {
        sim.clear_log();
        let ids: Vec<String> = zpa
            .connectors()
            .list()
            .page_size(100)
            .starting_at(first)
            .items()
            .map_ok(|c| c.id.to_string())
            .try_collect()
            .await
            .unwrap();
        let skipped = (first as usize - 1) * 100;
        assert_eq!(ids, all[skipped..], "from page {first}");
        assert_eq!(sim.requests().len(), 13 - first as usize + 1);
    }
    let past = zpa.connectors().list().starting_at(9).items();
    assert_eq!(past.try_collect::<Vec<_>>().await.unwrap().len(), 0);
    let none = zpa.connectors().list().starting_at(0).items();
    let error = none.try_collect::<Vec<_>>().await.unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
}

#[tokio::test]
async fn one_page_with_its_totals() {
    let sim = common::sim(1_234).await;
    let zpa = common::client(&sim);
    let page = zpa
        .connectors()
        .list()
        .page_size(500)
        .page(3)
        .await
        .unwrap();
    assert_eq!((page.page, page.total_pages, page.items.len()), (3, 3, 234));
    let past_the_end = zpa
        .connectors()
        .list()
        .page_size(500)
        .page(4)
        .await
        .unwrap();
    assert_eq!((past_the_end.total_pages, past_the_end.items.len()), (3, 0));
    let searched = zpa
        .connectors()
        .list()
        .search("enabled EQ true")
        .page_size(10)
        .page(1)
        .await
        .unwrap();
    assert!(searched.total_count.unwrap() > 10);
}

#[tokio::test]
async fn an_empty_listing_ends_at_once() {
    let sim = common::sim(0).await;
    let zpa = common::client(&sim);
    let items: Vec<_> = zpa.connectors().list().items().try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn a_listing_under_zpa_limits_gets_no_429() {
    let window = Duration::from_millis(400);
    let sim = Sim::start(SimConfig {
        connectors: 60 * 20,
        rate_limit: Some(zpa_sim::RateLimit::zpa(window)),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let zpa = common::builder(&sim)
        .token(sim.static_token())
        .rate_limit(RateLimit::zpa_with_window(window))
        .build()
        .unwrap();
    let mut pages = zpa.connectors().list().page_size(20).pages();
    let (mut count, mut ahead) = (0, Vec::new());
    while let Some(page) = pages.try_next().await.unwrap() {
        count += page.items.len();
        ahead.push(sim.requests().len() - page.page as usize);
    }
    assert_eq!(count, 1_200);
    // Once the limit holds the stream, it reaches one page ahead: more would
    // only queue behind the limit.
    assert!(ahead[30..].iter().all(|&n| n <= 1), "{ahead:?}");
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses.len(), 60);
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
}

/// How far ahead of its caller a stream has requested, at each page the
/// caller takes, against a server that takes `latency` to answer.
async fn requested_ahead(latency: Duration, caller_pause: Duration) -> Vec<usize> {
    let sim = Sim::start(SimConfig {
        connectors: 30 * 10,
        latency,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut pages = common::client(&sim)
        .connectors()
        .list()
        .page_size(10)
        .pages();
    let mut ahead = Vec::new();
    while let Some(page) = pages.try_next().await.unwrap() {
        ahead.push(sim.requests().len() - page.page as usize);
        tokio::time::sleep(caller_pause).await;
    }
    ahead
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_reaches_further_ahead_when_pages_take_longer_to_arrive_than_to_use() {
    let quick_caller = requested_ahead(Duration::from_millis(60), Duration::ZERO).await;
    let most = *quick_caller.iter().max().unwrap();
    assert!(
        (3..=zpa::MAX_PAGES_IN_FLIGHT as usize).contains(&most),
        "{quick_caller:?}"
    );
    // A caller slower than the server needs no more than the two decoded ahead.
    let slow_caller = requested_ahead(Duration::from_millis(20), Duration::from_millis(80)).await;
    assert!(slow_caller.iter().all(|&n| n <= 2), "{slow_caller:?}");
}

#[tokio::test]
async fn items_inserted_mid_listing_are_not_seen_twice() {
    let sim = common::sim(100).await;
    let zpa = common::client(&sim);
    let before: HashSet<String> = sim.connector_ids().into_iter().collect();
    let mut stream = zpa.connectors().list().page_size(10).items();
    let mut seen = Vec::new();
    while let Some(connector) = stream.next().await {
        seen.push(connector.unwrap().id.to_string());
        if seen.len() % 10 == 5 {
            // Every connector not yet listed moves a place later, so the
            // next page starts with one already seen.
            sim.insert_connector_first();
        }
    }
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an item was yielded twice");
    assert!(
        before.is_subset(&unique),
        "an item that existed throughout was missed"
    );
}

#[tokio::test]
async fn items_deleted_mid_listing_cause_no_duplicate() {
    let sim = common::sim(100).await;
    let zpa = common::client(&sim);
    let mut stream = zpa.connectors().list().page_size(10).items();
    let mut seen = Vec::new();
    while let Some(connector) = stream.next().await {
        let id = connector.unwrap().id.to_string();
        if seen.len() % 10 == 5 {
            sim.remove_connector(&id);
        }
        seen.push(id);
    }
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an item was yielded twice");
}

#[tokio::test]
async fn bad_page_arguments_fail_before_any_request() {
    let sim = common::sim(10).await;
    let zpa = common::client(&sim);
    for (result, message) in [
        (
            zpa.connectors().list().page_size(0).page(1).await.map(drop),
            "invalid page size: 0 is not between 1 and 500",
        ),
        (
            zpa.connectors()
                .list()
                .page_size(501)
                .page(1)
                .await
                .map(drop),
            "invalid page size: 501 is not between 1 and 500",
        ),
        (
            zpa.connectors().list().page(0).await.map(drop),
            "invalid page: pages are numbered from 1",
        ),
        (
            zpa.connectors()
                .list()
                .search("nmae EQ x")
                .page(1)
                .await
                .map(drop),
            "invalid search: at character 0: unknown field \"nmae\"",
        ),
    ] {
        let error: Error = result.unwrap_err();
        assert_eq!(error.to_string(), message);
    }
    let streamed: Vec<_> = zpa
        .connectors()
        .list()
        .page_size(900)
        .items()
        .collect()
        .await;
    assert_eq!(streamed.len(), 1);
    assert!(matches!(streamed[0], Err(Error::InvalidInput { .. })));
    assert!(sim.requests().is_empty());
}
