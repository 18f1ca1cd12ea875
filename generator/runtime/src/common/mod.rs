//! Types and helpers shared by the API modules.
//!
//! A generated crate's `common/mod.rs` is written by the generator and lists only the parts
//! its specs use; this one lists them all. Each part is re-exported whole, so generated code
//! and the parts themselves name everything as `crate::common::Name`.

pub mod base64;
pub mod check;
pub mod client;
pub mod conformance;
// The generated crates invoke the table macros from their models; this crate only from tests.
#[allow(unused_macros, unused_imports)]
pub mod constant;
pub mod decimal;
pub mod drift;
pub mod error;
pub mod events;
#[allow(unused_macros, unused_imports)]
pub mod int_enum;
pub mod limiter;
#[cfg(feature = "mock")]
pub mod mock;
pub mod multipart;
#[allow(unused_macros, unused_imports)]
pub mod object;
pub mod objects;
pub mod pager;
pub mod pairs;
pub mod query;
pub mod raw;
pub mod redirect;
pub mod secret;
pub mod stream;
#[allow(unused_macros, unused_imports)]
pub mod string_enum;
pub mod tagged;
pub mod telemetry;
pub mod transport;
#[allow(unused_macros, unused_imports)]
pub mod untagged;

pub use self::base64::*;
pub use self::check::*;
pub use self::client::*;
pub use self::decimal::*;
pub use self::drift::*;
pub use self::error::*;
pub use self::events::*;
pub use self::limiter::*;
#[cfg(feature = "mock")]
pub use self::mock::*;
pub use self::multipart::*;
pub use self::objects::*;
pub use self::pager::*;
pub use self::pairs::*;
pub use self::query::*;
pub use self::raw::*;
pub use self::redirect::*;
pub use self::secret::*;
pub use self::stream::*;
pub use self::tagged::*;
pub use self::telemetry::*;
pub use self::transport::*;
#[allow(unused_imports)]
pub(crate) use self::{constant::*, int_enum::*, object::*, string_enum::*, untagged::*};

/// What the parts' unit tests share (a generated crate's `common/mod.rs` has no such module).
#[cfg(test)]
pub(crate) mod testing {
    /// An API without credentials or a typed error body.
    #[derive(Debug)]
    pub(crate) enum Plain {}

    impl super::Service for Plain {
        type Credentials = super::NoCredentials;
        type ErrorBody = super::NoErrorBody;
        const CREDENTIAL_SETS: &'static [usize] = &[];
        const CREDENTIAL_HEADERS: &'static [&'static str] = &[];
        const CREDENTIAL_QUERY: &'static [&'static str] = &[];
        const QUOTA: Option<super::Quota> = None;
        const ERROR_CODE: &'static [&'static str] = &[];
        const IDEMPOTENCY_KEY: Option<&'static str> = None;

        fn authorize(
            credentials: &Self::Credentials,
            _: &mut reqwest::Request,
            _: &[usize],
        ) -> Result<(), super::Error<Self>> {
            match *credentials {}
        }
    }
}
