//! Values decode and encode without loss: exact decimals stay the numbers that were written,
//! and values the specs do not know yet (a new currency, a new payment method, a new
//! commitment type with fields of its own) survive a decode/encode round trip.

use serde_json::{Value, json};
use vendor_clients::common::Decimal;
use vendor_clients::lucca::models::{Commitment, Currency, Money, PaymentMethod};

fn encode(decimal: Decimal) -> String {
    serde_json::to_string(&decimal).expect("encodes")
}

#[test]
fn decimals_decode_exactly_and_encode_as_the_numbers_written() {
    for written in [
        "3239.57", "275.03", "120", "120.0", "-3.5", "0.1", "0.2", "1e-7", "0", "-0.0",
    ] {
        let decimal: Decimal = serde_json::from_str(written).expect("decodes");
        let again: Value = serde_json::from_str(&encode(decimal)).expect("JSON");
        let original: Value = serde_json::from_str(written).expect("JSON");
        assert_eq!(again, original, "{written} came back as {again}");
    }
    let amount: Decimal = serde_json::from_str("3239.57").expect("decodes");
    assert_eq!(amount.to_string(), "3239.57");
}

#[test]
fn decimals_are_never_encoded_as_strings_or_rounded() {
    // Trailing zeros from arithmetic once made the float conversion round wrongly.
    let product: Decimal = "125824479967.430000".parse().expect("a decimal");
    assert_eq!(encode(product), "125824479967.43");
    let tiny: Decimal = "0.00000010000000000".parse().expect("a decimal");
    assert_eq!(
        serde_json::from_str::<Value>(&encode(tiny)).expect("JSON"),
        json!(1e-7)
    );
    assert_eq!(encode(Decimal::from(-42)), "-42");
}

#[test]
fn a_number_no_exact_decimal_holds_is_refused_not_rounded() {
    for written in ["1e-30", "1e40", "\"12.5\""] {
        assert!(
            serde_json::from_str::<Decimal>(written).is_err(),
            "{written} was accepted"
        );
    }
}

#[test]
fn an_unknown_currency_and_payment_method_survive_a_round_trip() {
    let money: Money = serde_json::from_value(json!({"value": 12.5, "currency": "XBT"})).expect("decodes");
    assert_eq!(money.currency, Some(Currency::Other("XBT".into())));
    assert_eq!(
        serde_json::to_value(&money).expect("encodes"),
        json!({"value": 12.5, "currency": "XBT"})
    );
    assert_eq!(PaymentMethod::from("Crypto").as_str(), "Crypto");
    assert_eq!(
        serde_json::to_value(PaymentMethod::from("Crypto")).expect("encodes"),
        json!("Crypto")
    );
    // The documented placeholder member is a value like any other.
    assert_eq!(Currency::from("Invalid"), Currency::Invalid);
}

#[test]
fn an_unknown_commitment_type_keeps_its_whole_object() {
    let sent = json!({
        "type": "FrameworkCommitment",
        "id": 77,
        "ceiling": {"value": 50000, "currency": "EUR"},
        "paymentMethod": "Crypto",
        "validUntil": "2026-12-31"
    });
    let commitment: Commitment = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(commitment.tag(), Some("FrameworkCommitment"));
    assert!(matches!(commitment, Commitment::Other(_)), "{commitment:?}");
    assert_eq!(serde_json::to_value(&commitment).expect("encodes"), sent);
}

#[test]
fn a_known_commitment_type_is_encoded_with_its_tag() {
    let sent = json!({"type": "OneTimeCommitment", "costDate": "2025-04-14", "paymentMethod": null});
    let commitment: Commitment = serde_json::from_value(sent.clone()).expect("decodes");
    let Commitment::OneTimeCommitment(one_time) = &commitment else {
        panic!("decoded as {commitment:?}");
    };
    assert_eq!(one_time.payment_method, Some(None));
    assert_eq!(serde_json::to_value(&commitment).expect("encodes"), sent);
}

#[test]
fn a_known_commitment_type_with_a_wrong_field_is_an_error_that_names_it() {
    let sent = json!({"type": "OneTimeCommitment", "costDate": "not a date"});
    let error = serde_json::from_value::<Commitment>(sent).expect_err("refused");
    assert!(error.to_string().contains("OneTimeCommitment"), "{error}");
}

#[test]
fn an_unknown_lagerkoll_error_code_is_kept_and_a_known_one_is_named() {
    use vendor_clients::lagerkoll::models::{ErrorCode, LagerkollError};
    let known: LagerkollError = serde_json::from_value(json!({"errorCode": 900429})).expect("decodes");
    assert_eq!(known.error_code, ErrorCode::TooManyRequests);
    let sent = json!({"errorCode": 901222, "errorMessage": "error when logging in"});
    let unknown: LagerkollError = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(unknown.error_code, ErrorCode::Other(901222));
    assert_eq!(serde_json::to_value(&unknown).expect("encodes"), sent);
    assert_eq!(ErrorCode::from(900001), ErrorCode::CredentialsMismatch);
    assert_eq!(ErrorCode::CredentialsMismatch.to_string(), "900001");
}
