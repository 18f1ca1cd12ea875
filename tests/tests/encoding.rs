//! Structs encode exactly as serde's derive would encode them, as the serializer sees it:
//! a struct of their wire names whose length counts only the fields written, an optional
//! field left out when it is `None` (and written as `null` when it is `Some(None)`), and a
//! struct with additional properties written as a map of its fields, then those
//! properties. `serde_test` records every call a value makes on the serializer.

use serde_test::{Token, assert_ser_tokens};
use vendor_clients::lagerkoll::models::CostCenter;
use vendor_clients::lucca::models::{ProblemDetails, UserRef};

#[test]
fn a_struct_counts_and_writes_its_required_fields_and_only_the_optional_fields_that_are_set() {
    let user = UserRef {
        id: 7,
        href: None,
        name: Some("Ada Lovelace".into()),
        first_name: None,
        last_name: Some("Lovelace".into()),
        picture_href: None,
    };
    assert_ser_tokens(
        &user,
        &[
            Token::Struct {
                name: "UserRef",
                len: 3,
            },
            Token::Str("id"),
            Token::I32(7),
            Token::Str("name"),
            Token::Some,
            Token::Str("Ada Lovelace"),
            Token::Str("lastName"),
            Token::Some,
            Token::Str("Lovelace"),
            Token::StructEnd,
        ],
    );
}

#[test]
fn a_struct_with_every_optional_field_absent_is_an_empty_struct() {
    assert_ser_tokens(
        &CostCenter::default(),
        &[
            Token::Struct {
                name: "CostCenter",
                len: 0,
            },
            Token::StructEnd,
        ],
    );
}

#[test]
fn an_optional_field_that_tells_absent_from_null_writes_null_when_set_to_none() {
    let center = CostCenter {
        external_id: Some(None),
        name: Some("Workshop".into()),
        ..CostCenter::default()
    };
    assert_ser_tokens(
        &center,
        &[
            Token::Struct {
                name: "CostCenter",
                len: 2,
            },
            Token::Str("externalId"),
            Token::Some,
            Token::None,
            Token::Str("name"),
            Token::Some,
            Token::Str("Workshop"),
            Token::StructEnd,
        ],
    );
}

#[test]
fn a_struct_with_additional_properties_is_a_map_of_its_fields_then_the_properties() {
    let problem = ProblemDetails {
        title: Some("Invalid request".into()),
        status: Some(400),
        additional_properties: [
            ("code".to_owned(), serde_json::json!("E42")),
            ("traceId".to_owned(), serde_json::json!(17)),
        ]
        .into_iter()
        .collect(),
        ..ProblemDetails::default()
    };
    assert_ser_tokens(
        &problem,
        &[
            Token::Map { len: None },
            Token::Str("title"),
            Token::Some,
            Token::Str("Invalid request"),
            Token::Str("status"),
            Token::Some,
            Token::I32(400),
            Token::Str("code"),
            Token::Str("E42"),
            Token::Str("traceId"),
            Token::U64(17),
            Token::MapEnd,
        ],
    );
}
