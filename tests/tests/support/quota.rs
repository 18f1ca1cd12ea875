//! A mock server's answer that keeps a quota as a strict server does: at most `limit`
//! requests arrive in any interval of `per` (a sliding window), and each one past that is
//! refused with a 429.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use wiremock::{Request, Respond, ResponseTemplate};

/// Answers `ok` within the quota and 429 past it, counting both.
pub struct SlidingWindow {
    limit: usize,
    per: Duration,
    ok: ResponseTemplate,
    arrivals: Mutex<VecDeque<Instant>>,
    refused: AtomicUsize,
}

impl SlidingWindow {
    pub fn new(limit: usize, per: Duration, ok: ResponseTemplate) -> Self {
        Self {
            limit,
            per,
            ok,
            arrivals: Mutex::new(VecDeque::new()),
            refused: AtomicUsize::new(0),
        }
    }

    /// How many requests were refused with a 429.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::Relaxed)
    }
}

impl Respond for &'static SlidingWindow {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut arrivals = self.arrivals.lock().expect("arrivals");
        while arrivals
            .front()
            .is_some_and(|at| now.duration_since(*at) >= self.per)
        {
            arrivals.pop_front();
        }
        if arrivals.len() >= self.limit {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return ResponseTemplate::new(429).insert_header("Retry-After", "1");
        }
        arrivals.push_back(now);
        self.ok.clone()
    }
}
