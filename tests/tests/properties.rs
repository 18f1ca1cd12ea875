//! Property tests: for generated types that stand for each family of shapes (exact decimals,
//! open string and integer enums, a discriminated union, an untagged union of closed structs,
//! timestamps with offsets, absent versus null), any value encodes to JSON and decodes back
//! equal, and unknown values survive; enums agree across `FromStr`, `Display`, `as_str`
//! (or `value`) and serde.

use chrono::{DateTime, FixedOffset, TimeZone};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use vendor_clients::cegid::models::{
    ImportPersoFromUri, ImportPersoFromUrl, ImportPersoFromUrlUri, ImportPersoRequest,
};
use vendor_clients::common::Decimal;
use vendor_clients::lagerkoll::models::ErrorCode;
use vendor_clients::lucca::models::{
    Commitment, CommitmentState, Currency, Money, OneTimeCommitment, PaymentMethod, TaxedAmount,
};

fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let text = serde_json::to_string(value).expect("encodes");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text} does not decode: {e}"))
}

/// Decimals of up to 15 significant digits, the precision JSON numbers carry exactly.
fn decimal() -> impl Strategy<Value = Decimal> {
    (-999_999_999_999_999i64..=999_999_999_999_999, 0u32..=10).prop_map(|(mantissa, scale)| {
        Decimal(vendor_clients::common::rust_decimal::Decimal::new(
            mantissa, scale,
        ))
    })
}

/// Documented values and values no spec lists.
fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just("EUR".to_owned()),
        Just("Invalid".to_owned()),
        Just("CHF".to_owned()),
        "[A-Z]{3}",
        ".*",
    ]
    .prop_map(|code| Currency::from(code.as_str()))
}

fn payment_method() -> impl Strategy<Value = Option<Option<PaymentMethod>>> {
    prop_oneof![
        Just(None),
        Just(Some(None)),
        "[A-Za-z]{1,12}".prop_map(|m| Some(Some(PaymentMethod::from(m.as_str())))),
    ]
}

fn timestamp() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (0i64..4_102_444_800, 0u32..1_000_000_000, -50_400i32..=50_400).prop_map(|(secs, nanos, offset)| {
        let offset = FixedOffset::east_opt(offset - offset % 60).expect("a valid offset");
        offset
            .timestamp_opt(secs, nanos)
            .single()
            .expect("a valid instant")
    })
}

fn money() -> impl Strategy<Value = Money> {
    (proptest::option::of(decimal()), proptest::option::of(currency()))
        .prop_map(|(value, currency)| Money { value, currency })
}

fn one_time_commitment() -> impl Strategy<Value = OneTimeCommitment> {
    (
        proptest::option::of(any::<i32>()),
        proptest::option::of(money()),
        payment_method(),
        proptest::option::of(proptest::option::of(".*")),
        proptest::option::of(timestamp()),
        proptest::option::of("[A-Za-z]{1,12}".prop_map(|s| CommitmentState::from(s.as_str()))),
    )
        .prop_map(|(id, excluding, payment_method, comment, created_at, state)| {
            let mut commitment: OneTimeCommitment =
                serde_json::from_str("{}").expect("every field of a one-time commitment is optional");
            commitment.id = id;
            commitment.amount_including_taxes = Some(TaxedAmount {
                excluding_taxes: excluding,
                taxes: Some(Vec::new()),
                including_taxes: None,
            });
            commitment.payment_method = payment_method;
            commitment.comment = comment;
            commitment.created_at = created_at;
            commitment.state = state;
            commitment
        })
}

proptest! {
    #[test]
    fn decimals_come_back_equal_and_as_numbers(value in decimal()) {
        let text = serde_json::to_string(&value).expect("encodes");
        prop_assert!(!text.starts_with('"'), "{} encoded as a string", text);
        prop_assert_eq!(round_trip(&value), value);
    }

    #[test]
    fn money_with_any_currency_comes_back_equal(value in money()) {
        prop_assert_eq!(round_trip(&value), value);
    }

    #[test]
    fn one_time_commitments_come_back_as_the_same_variant(commitment in one_time_commitment()) {
        let union = Commitment::OneTimeCommitment(Box::new(commitment));
        prop_assert_eq!(round_trip(&union), union);
    }

    #[test]
    fn any_error_code_comes_back_equal(code in any::<i64>()) {
        let code = ErrorCode::from(code);
        prop_assert_eq!(round_trip(&code), code);
    }

    #[test]
    fn cegid_imports_keep_their_form(code in "[A-Z0-9]{1,10}", path in "[a-z0-9/]{1,30}", by_url in any::<bool>(), empty_other in any::<bool>()) {
        let request = if by_url {
            ImportPersoRequest::ImportPersoFromUrl(Box::new(ImportPersoFromUrl {
                code_ibs: code,
                uri: empty_other.then_some(ImportPersoFromUrlUri),
                url: format!("https://files.example/{path}"),
                modele: "IMPORTPERSO".into(),
                siret: None,
            }))
        } else {
            ImportPersoRequest::ImportPersoFromUri(Box::new(ImportPersoFromUri {
                code_ibs: code,
                uri: path,
                url: None,
                modele: "IMPORTPERSO".into(),
                siret: Some("07955542100027".into()),
            }))
        };
        prop_assert_eq!(round_trip(&request), request);
    }
}

proptest! {
    #[test]
    fn a_string_enum_agrees_across_from_str_display_as_str_and_serde(text in ".*") {
        let currency: Currency = text.parse().expect("parsing never fails");
        prop_assert_eq!(currency.as_str(), text.as_str());
        prop_assert_eq!(currency.to_string(), text.clone());
        prop_assert_eq!(serde_json::to_value(&currency).expect("encodes"), serde_json::Value::String(text.clone()));
        prop_assert_eq!(serde_json::from_value::<Currency>(serde_json::Value::String(text)).expect("decodes"), currency);
    }

    #[test]
    fn an_integer_enum_agrees_across_from_str_display_value_and_serde(number in any::<i64>()) {
        let code: ErrorCode = number.to_string().parse().expect("an integer");
        prop_assert_eq!(code.value(), number);
        prop_assert_eq!(code.to_string(), number.to_string());
        prop_assert_eq!(serde_json::to_value(code).expect("encodes"), serde_json::json!(number));
        prop_assert_eq!(serde_json::from_value::<ErrorCode>(serde_json::json!(number)).expect("decodes"), code);
    }
}
