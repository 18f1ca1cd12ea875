//! Pagination as streams: every pager the generator writes (one per operation the spec
//! pages with `x-pagination`) implements [`Pager`], and gets its pages and its items as
//! `futures` streams from here, with the pager's own rules for the last page (a short or
//! empty page, a cursor that stops moving or comes round again). An error is the stream's
//! last item.

use std::future::Future;

use futures_util::stream::{self, Stream, TryStreamExt as _};

/// The pages of one paged operation, fetched one call at a time.
pub trait Pager: Send + Sized {
    /// What a page holds.
    type Item: Send;
    /// What a call can fail with.
    type Error: Send;

    /// The next page's items; `None` once the last page has been returned. An error ends
    /// the pages.
    fn next_page(&mut self) -> impl Future<Output = Option<Result<Vec<Self::Item>, Self::Error>>> + Send;
}

/// The pages of `pager`, as a stream. The first error is its last item, whatever the
/// pager would do next.
pub fn pages<P: Pager>(pager: P) -> impl Stream<Item = Result<Vec<P::Item>, P::Error>> + Send {
    stream::unfold(Some(pager), |pager| async move {
        let mut pager = pager?;
        match pager.next_page().await? {
            Ok(page) => Some((Ok(page), Some(pager))),
            Err(error) => Some((Err(error), None)),
        }
    })
}

/// The items of `pager`, page after page, as a stream; a page is fetched when the items
/// before it have been taken.
pub fn items<P: Pager>(pager: P) -> impl Stream<Item = Result<P::Item, P::Error>> + Send {
    pages(pager)
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::{StreamExt as _, TryStreamExt as _};

    use super::{Pager, items, pages};

    /// Pages of numbers, then, if `fails`, an error on every call (the stream stops at the
    /// first), else the end.
    struct Numbers {
        left: Vec<Vec<u32>>,
        fails: bool,
        fetched: Arc<AtomicUsize>,
    }

    impl Pager for Numbers {
        type Item = u32;
        type Error = String;

        async fn next_page(&mut self) -> Option<Result<Vec<u32>, String>> {
            self.fetched.fetch_add(1, Ordering::Relaxed);
            if self.left.is_empty() {
                return self.fails.then(|| Err("refused".to_owned()));
            }
            Some(Ok(self.left.remove(0)))
        }
    }

    fn numbers(fails: bool) -> (Numbers, Arc<AtomicUsize>) {
        let fetched = Arc::new(AtomicUsize::new(0));
        let pager = Numbers {
            left: vec![vec![1, 2], vec![3]],
            fails,
            fetched: Arc::clone(&fetched),
        };
        (pager, fetched)
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    #[test]
    fn pages_and_items_stream_in_order_and_end_with_the_pager() {
        let (pager, _) = numbers(false);
        let all: Vec<Vec<u32>> = block_on(pages(pager).try_collect()).expect("pages");
        assert_eq!(all, [vec![1, 2], vec![3]]);
        let (pager, _) = numbers(false);
        let all: Vec<u32> = block_on(items(pager).try_collect()).expect("items");
        assert_eq!(all, [1, 2, 3]);
    }

    #[test]
    fn an_error_is_the_last_item() {
        let (pager, _) = numbers(true);
        let seen: Vec<Result<u32, String>> = block_on(items(pager).collect());
        assert_eq!(seen, [Ok(1), Ok(2), Ok(3), Err("refused".to_owned())]);
    }

    #[test]
    fn a_page_is_fetched_only_when_its_items_are_wanted() {
        let (pager, fetched) = numbers(false);
        let first: Vec<u32> = block_on(items(pager).take(2).try_collect()).expect("items");
        assert_eq!(first, [1, 2]);
        assert_eq!(
            fetched.load(Ordering::Relaxed),
            1,
            "the second page was not fetched"
        );
    }
}
