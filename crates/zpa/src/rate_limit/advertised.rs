//! The budget the server advertises: live OneAPI answers carry
//! `x-ratelimit-limit: 5000, 5000;w=60`, `x-ratelimit-remaining` and
//! `x-ratelimit-reset` (seconds), as recorded in zscaler-sdk-python's
//! `tests/integration/zpa/cassettes/`. A request goes only when both this
//! budget and the client's own pacing allow it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use http::HeaderMap;

use crate::runtime::{Instant, sleep};

/// The budget the server advertises in its rate-limit headers: no more
/// requests go before the reset than it says remain. Requests still in flight
/// when an answer says how many remain are taken off that figure, since the
/// server may not have counted them yet. After the reset, the window the
/// `x-ratelimit-limit` policy names (`N;w=S`) starts with N; without one,
/// nothing is assumed until the next answer.
///
/// Missing or malformed headers change nothing (a reset or a window beyond
/// an hour counts as malformed); the first time, a debug line says so. A
/// request is held at most as long as the retry policy may wait in all
/// (`RetryPolicy::max_wait`); past that it goes, and the server's answer
/// decides.
#[derive(Default)]
pub(crate) struct ServerBudget {
    state: Mutex<Option<Budget>>,
    in_flight: AtomicU64,
    told: AtomicBool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Budget {
    remaining: u64,
    reset_at: Instant,
    /// The quota and window of the limit policy, for the windows after this one.
    policy: Option<(u64, Duration)>,
    /// Whether the window was rolled forward here rather than heard from
    /// the server.
    estimated: bool,
}

/// A request the budget let go; its answer is expected.
pub(crate) struct Permit<'a>(&'a ServerBudget);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The reset is in whole seconds; this absorbs its rounding and the trip.
const RESET_MARGIN: Duration = Duration::from_millis(250);

/// A reset or a window longer than this is not believed.
const LONGEST_WINDOW: Duration = Duration::from_secs(3_600);

impl ServerBudget {
    /// Waits until the advertised budget has room, or `longest` has passed,
    /// takes one request of it, and returns how long it waited with the
    /// permit to hand back with the answer.
    pub(crate) async fn acquire(&self, longest: Duration) -> (Permit<'_>, Duration) {
        let started = Instant::now();
        loop {
            let wait = {
                let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                match state.as_mut().map(|budget| budget.take(now)) {
                    None | Some(Taken::Yes) => break,
                    Some(Taken::Expired) => {
                        *state = None;
                        break;
                    }
                    Some(Taken::Wait(wait)) => wait,
                }
            };
            let held = started.elapsed();
            if held >= longest {
                break;
            }
            sleep(wait.min(longest - held)).await;
        }
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        (Permit(self), started.elapsed())
    }

    /// Reads the budget from the headers of the answer to `permit`'s request.
    pub(crate) fn update(&self, _permit: &Permit<'_>, headers: &HeaderMap) {
        let Some(advertised) = advertised(headers) else {
            if !self.told.swap(true, Ordering::Relaxed) {
                event!(
                    debug,
                    "no usable x-ratelimit-remaining and x-ratelimit-reset headers; pacing by ZPA's documented limits only"
                );
            }
            return;
        };
        let now = Instant::now();
        let others = self.in_flight.load(Ordering::Relaxed).saturating_sub(1);
        let heard = Budget {
            remaining: advertised.remaining.saturating_sub(others),
            reset_at: now + advertised.reset + RESET_MARGIN,
            policy: advertised.policy,
            estimated: false,
        };
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        *state = Some(match *state {
            // The same window: the lowest count is the latest the server made.
            Some(known) if same_window(known.reset_at, heard.reset_at) => Budget {
                remaining: known.remaining.min(heard.remaining),
                ..known
            },
            // A late answer from a window the server has since closed.
            Some(known) if !known.estimated && heard.reset_at < known.reset_at => known,
            _ => heard,
        });
    }
}

enum Taken {
    Yes,
    Wait(Duration),
    /// The window is over and no policy says what the next one allows.
    Expired,
}

impl Budget {
    fn take(&mut self, now: Instant) -> Taken {
        if now >= self.reset_at {
            let Some((quota, window)) = self.policy.filter(|(_, w)| !w.is_zero()) else {
                return Taken::Expired;
            };
            while self.reset_at <= now {
                self.reset_at += window;
            }
            self.remaining = quota;
            self.estimated = true;
        }
        if self.remaining == 0 {
            return Taken::Wait(self.reset_at - now);
        }
        self.remaining -= 1;
        Taken::Yes
    }
}

/// Resets a second or so apart are the same window seen at other moments.
fn same_window(a: Instant, b: Instant) -> bool {
    let apart = if a > b { a - b } else { b - a };
    apart <= Duration::from_millis(1_500)
}

/// What the three headers say, when remaining and reset are both readable.
#[derive(Debug, PartialEq)]
struct Advertised {
    remaining: u64,
    reset: Duration,
    policy: Option<(u64, Duration)>,
}

fn advertised(headers: &HeaderMap) -> Option<Advertised> {
    let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    let remaining = text("x-ratelimit-remaining")?.parse().ok()?;
    let reset = text("x-ratelimit-reset")?.parse::<f64>().ok()?;
    let reset = Duration::try_from_secs_f64(reset)
        .ok()
        .filter(|reset| *reset <= LONGEST_WINDOW)?;
    Some(Advertised {
        remaining,
        reset,
        policy: text("x-ratelimit-limit").and_then(limit_policy),
    })
}

/// `N, N;w=S` (the quota in force, then its policies): the quota and the
/// window of the policy that has it, or of the first policy.
fn limit_policy(value: &str) -> Option<(u64, Duration)> {
    let mut items = value.split(',').map(str::trim);
    let quota: u64 = items.next()?.parse().ok()?;
    let mut policies = items.filter_map(|item| {
        let (count, params) = item.split_once(';')?;
        let window = params
            .split(';')
            .find_map(|p| p.trim().strip_prefix("w="))?;
        Some((
            count.trim().parse::<u64>().ok()?,
            window.parse::<u64>().ok()?,
        ))
    });
    let first = policies.next()?;
    let (_, window) = std::iter::once(first)
        .chain(policies)
        .find(|(count, _)| *count == quota)
        .unwrap_or(first);
    Some((quota, Duration::from_secs(window))).filter(|(_, window)| *window <= LONGEST_WINDOW)
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_headers_live_answers_carry() {
        let live = headers(&[
            ("x-ratelimit-limit", "5000, 5000;w=60"),
            ("x-ratelimit-remaining", "4983"),
            ("x-ratelimit-reset", "17"),
        ]);
        assert_eq!(
            advertised(&live),
            Some(Advertised {
                remaining: 4983,
                reset: Duration::from_secs(17),
                policy: Some((5000, Duration::from_secs(60))),
            })
        );
        // The token endpoint's form: the policy of the quota in force wins.
        assert_eq!(
            limit_policy("500, 500;w=1, 100000;w=60"),
            Some((500, Duration::from_secs(1)))
        );
        assert_eq!(
            limit_policy("240, 500;w=1, 240;w=1"),
            Some((240, Duration::from_secs(1)))
        );
        for bad in [
            "",
            "5000",
            "x, 5000;w=60",
            "5000, 5000;w=",
            "5000, ;w=60",
            "9, 9;w=99999999999999999999",
            "9, 9;w=3601",
        ] {
            assert_eq!(limit_policy(bad), None, "{bad}");
        }
        for bad in [
            headers(&[("x-ratelimit-remaining", "10")]),
            headers(&[("x-ratelimit-remaining", "ten"), ("x-ratelimit-reset", "3")]),
            headers(&[("x-ratelimit-remaining", "-1"), ("x-ratelimit-reset", "3")]),
            headers(&[
                ("x-ratelimit-remaining", "1"),
                ("x-ratelimit-reset", "soon"),
            ]),
            headers(&[("x-ratelimit-remaining", "1"), ("x-ratelimit-reset", "-3")]),
            headers(&[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1e19"),
            ]),
            headers(&[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "3601"),
            ]),
            HeaderMap::new(),
        ] {
            assert_eq!(advertised(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_budget_runs_out_until_the_reset_then_starts_a_new_window() {
        let start = Instant::now();
        let mut budget = Budget {
            remaining: 2,
            reset_at: start + Duration::from_secs(5),
            policy: Some((3, Duration::from_secs(10))),
            estimated: false,
        };
        assert!(matches!(budget.take(start), Taken::Yes));
        assert!(matches!(budget.take(start), Taken::Yes));
        assert!(
            matches!(budget.take(start + Duration::from_secs(1)), Taken::Wait(w) if w == Duration::from_secs(4))
        );
        let later = start + Duration::from_secs(6);
        for _ in 0..3 {
            assert!(matches!(budget.take(later), Taken::Yes));
        }
        assert!(matches!(budget.take(later), Taken::Wait(w) if w == Duration::from_secs(9)));
        budget.policy = None;
        assert!(matches!(
            budget.take(start + Duration::from_secs(16)),
            Taken::Expired
        ));
    }

    #[test]
    fn answers_in_flight_and_late_answers_are_weighed() {
        let budget = ServerBudget::default();
        let answer = |remaining: &str, reset: &str| {
            headers(&[
                ("x-ratelimit-limit", "100, 100;w=60"),
                ("x-ratelimit-remaining", remaining),
                ("x-ratelimit-reset", reset),
            ])
        };
        let state = || budget.state.lock().unwrap().unwrap();
        // Three requests out; the first answer's count leaves out the two others.
        budget.in_flight.store(3, Ordering::Relaxed);
        let permit = Permit(&budget);
        budget.update(&permit, &answer("10", "30"));
        assert_eq!(state().remaining, 8);
        // A later answer with a higher count in the same window changes nothing.
        budget.update(&permit, &answer("40", "30"));
        assert_eq!(state().remaining, 8);
        // An answer from a window the server closed before this one is ignored...
        budget.update(&permit, &answer("50", "5"));
        assert_eq!(state().remaining, 8);
        // ...unless this one was only rolled forward here.
        budget.state.lock().unwrap().as_mut().unwrap().estimated = true;
        budget.update(&permit, &answer("50", "5"));
        assert_eq!((state().remaining, state().estimated), (48, false));
        drop(permit);
        assert_eq!(budget.in_flight.load(Ordering::Relaxed), 2);
    }
}
