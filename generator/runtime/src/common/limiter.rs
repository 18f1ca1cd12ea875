//! Staying under an API's documented quota instead of reacting to its 429s: a client whose
//! spec declares one (`x-rate-limit`) sends the server at most that many attempts in any
//! window of that length, a burst waiting for room instead of drawing a storm of refusals.
//! The limiter is shared by a client and all its clones.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// At most `requests` attempts started in any interval of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Attempts allowed in one interval; at least 1.
    pub requests: u32,
    /// The interval.
    pub per: Duration,
}

/// Holds calls back so that no interval of the quota's length sees more attempts than the
/// quota allows arrive at the server, whether it counts in fixed windows or sliding ones.
///
/// Each attempt takes one of the quota's slots, and gives it back one interval after it
/// ends: the server saw the request between its start and its end, so the next request in
/// that slot reaches it at least one interval later, however long either took on the way. A
/// burst goes through as fast as that allows.
#[derive(Debug)]
pub struct Limiter {
    quota: Quota,
    slots: Mutex<Slots>,
    /// Wakes the waiters when an attempt ends.
    ended: Notify,
}

#[derive(Debug, Default)]
struct Slots {
    /// Attempts started and not yet ended.
    running: usize,
    /// When the attempts of the last interval ended, oldest first.
    ended: VecDeque<Instant>,
}

/// One attempt's slot of the quota, given back when it is dropped.
#[derive(Debug)]
pub struct Permit<'a>(&'a Limiter);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        {
            let mut slots = self.0.slots();
            slots.running -= 1;
            slots.ended.push_back(Instant::now());
        }
        self.0.ended.notify_waiters();
    }
}

impl Limiter {
    /// A limiter for `quota`; a quota of 0 requests is read as 1.
    pub fn new(quota: Quota) -> Self {
        let quota = Quota {
            requests: quota.requests.max(1),
            ..quota
        };
        Self {
            quota,
            slots: Mutex::new(Slots::default()),
            ended: Notify::new(),
        }
    }

    /// The quota it keeps.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// The slots; a panic elsewhere cannot leave them inconsistent, so a poisoned lock is
    /// taken as it is.
    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until an attempt may start, and holds its slot until the permit is dropped,
    /// when the attempt has ended.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            // Asked for before looking, so that an attempt ending in between still wakes us.
            let ended = self.ended.notified();
            let free_at = {
                let mut slots = self.slots();
                let now = Instant::now();
                while slots
                    .ended
                    .front()
                    .is_some_and(|end| now.duration_since(*end) >= self.quota.per)
                {
                    slots.ended.pop_front();
                }
                if slots.running + slots.ended.len() < self.quota.requests as usize {
                    slots.running += 1;
                    return Permit(self);
                }
                slots.ended.front().map(|oldest| *oldest + self.quota.per)
            };
            match free_at {
                // Whichever comes first: the oldest slot coming free, or an attempt ending.
                Some(free_at) => {
                    let _ = tokio::time::timeout_at(free_at, ended).await;
                }
                // Every slot is held by an attempt still running.
                None => ended.await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::time::Instant;

    use super::{Limiter, Quota};

    fn limiter(requests: u32, seconds: u64) -> Arc<Limiter> {
        Arc::new(Limiter::new(Quota {
            requests,
            per: Duration::from_secs(seconds),
        }))
    }

    /// When each of `count` attempts, all asked for at once, may start, in seconds from now.
    async fn burst(limiter: &Arc<Limiter>, count: usize) -> Vec<u64> {
        let start = Instant::now();
        let tasks: Vec<_> = (0..count)
            .map(|_| {
                let limiter = Arc::clone(limiter);
                tokio::spawn(async move {
                    let _permit = limiter.acquire().await;
                    start.elapsed().as_secs()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.expect("the task ends"));
        }
        times.sort_unstable();
        times
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_a_quota_at_a_time_one_window_apart() {
        let limiter = limiter(50, 60);
        let times = burst(&limiter, 200).await;
        for (window, started) in times.chunks(50).enumerate() {
            assert!(
                started.iter().all(|t| *t == 60 * window as u64),
                "window {window}: {started:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn no_window_of_the_quota_length_holds_more_than_the_quota() {
        let limiter = limiter(3, 10);
        let mut starts = Vec::new();
        for pause in [0, 4, 1, 0, 7, 0, 2, 9, 0, 0, 0] {
            tokio::time::advance(Duration::from_secs(pause)).await;
            drop(limiter.acquire().await);
            starts.push(Instant::now());
        }
        for (i, start) in starts.iter().enumerate() {
            let within = starts[i..]
                .iter()
                .filter(|later| later.duration_since(*start) < Duration::from_secs(10))
                .count();
            assert!(within <= 3, "{within} attempts within 10 s of attempt {i}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn room_comes_back_as_the_oldest_attempt_leaves_the_window() {
        let limiter = limiter(2, 10);
        limiter.acquire().await;
        tokio::time::advance(Duration::from_secs(4)).await;
        limiter.acquire().await;
        let asked = Instant::now();
        limiter.acquire().await;
        assert_eq!(
            asked.elapsed(),
            Duration::from_secs(6),
            "the first attempt left at 10 s"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_comes_back_one_interval_after_its_attempt_ends_however_long_it_ran() {
        let limiter = limiter(1, 10);
        let asked = Instant::now();
        let slow = limiter.acquire().await;
        let waiter = {
            let limiter = Arc::clone(&limiter);
            tokio::spawn(async move {
                drop(limiter.acquire().await);
                Instant::now()
            })
        };
        // The attempt runs 25 s: the next may start 10 s after it ends, not after it began.
        tokio::time::advance(Duration::from_secs(25)).await;
        drop(slow);
        let started = waiter.await.expect("the waiter ends");
        assert_eq!(started.duration_since(asked), Duration::from_secs(35));
    }
}
