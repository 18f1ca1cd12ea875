//! The one place the generator starts threads: a generation run on a thread with a deep
//! stack, two jobs at once, independent jobs on every core, and a large value freed beside
//! other work. Each
//! thread gets [`STACK_BYTES`]: decoding, lowering, formatting and dropping all recurse once
//! per level of nesting in a spec.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Errors};

/// Stack for a generation run. Decoding and lowering recurse once per nesting level of a
/// spec, and nesting is bounded (by the YAML and JSON parsers' depth limits and by
/// lowering's own), but a deep spec needs more than a test thread's 2 MiB. Only the pages
/// actually used are ever committed.
pub(crate) const STACK_BYTES: usize = 256 * 1024 * 1024;

/// A thread named `name` with [`STACK_BYTES`] of stack: every thread the generator starts.
fn thread(name: &str) -> std::thread::Builder {
    std::thread::Builder::new()
        .name(name.into())
        .stack_size(STACK_BYTES)
}

/// Runs `job` on a thread with [`STACK_BYTES`] of stack.
pub(crate) fn with_stack<T: Send>(job: impl FnOnce() -> Result<T, Errors> + Send) -> Result<T, Errors> {
    std::thread::scope(|scope| {
        let handle = thread("generator")
            .spawn_scoped(scope, job)
            .map_err(|source| Errors(vec![Error::Thread { source }]))?;
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Runs `first` on a second thread while `second` runs on this one, and returns both
/// results. `first` is shared, not moved: if no thread can be started, it runs here after
/// `second`.
pub(crate) fn join<A: Send, B>(first: impl Fn() -> A + Sync, second: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let helper = thread("generator-helper").spawn_scoped(scope, &first);
        let second = second();
        let first = match helper {
            Ok(helper) => helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => first(),
        };
        (first, second)
    })
}

/// Runs `job` while `value` is dropped on a second thread. Freeing a large spec's trees
/// (the raw one and the typed one) takes as long as naming its types, and the second core
/// is otherwise idle then. If no thread can be started, `value` is dropped first.
pub(crate) fn drop_beside<T: Send, R>(value: T, job: impl FnOnce() -> R) -> R {
    std::thread::scope(|scope| {
        // Dropping recurses once per level of nesting, as decoding did.
        let _dropping = thread("generator-drop").spawn_scoped(scope, move || drop(value));
        job()
    })
}

/// Runs `job` on every item, on as many threads as there are cores, and returns the results
/// in the order of `items`. Workers take the items in order, so the largest should come
/// first. A job that builds tokens builds its own: they cannot cross threads.
pub fn in_parallel<T, R, F>(items: &[T], job: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                break;
            };
            let result = job(item);
            results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())[index] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers)
            .map(|_| thread("generator-worker").spawn_scoped(scope, work))
            .collect();
        // This thread works too; a helper that could not start leaves its share to it.
        work();
        for helper in helpers.into_iter().flatten() {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .flatten()
        .collect()
}
