//! The table of spec edits and the class each must get: request-only, response-only and
//! shared types, operations, parameters, bodies, statuses, auth, values and docs.

use std::path::Path;

use super::classes::{Class, Kind};
use super::{Change, diff};

const SHOP: &str = include_str!("../../../tests/fixtures/diff/shop.yaml");

/// The changes from the shop spec to the shop spec with `from` replaced by `to`.
fn changes(from: &str, to: &str) -> Vec<Change> {
    assert!(SHOP.contains(from), "the shop spec has no `{from}`");
    let edited = SHOP.replacen(from, to, 1);
    let build = |text: &str| {
        let path = Path::new("specs/shop.yaml");
        let spec = crate::load::parse(path, text).unwrap_or_else(|e| panic!("{e}"));
        crate::build_spec(spec, path).unwrap_or_else(|e| panic!("{e}"))
    };
    diff(&[build(SHOP)], &[build(&edited)])
}

/// Each edit: what it is, the text replaced, its replacement, and the change it must show.
const EDITS: &[(&str, &str, &str, Kind, Class)] = &[
    (
        "an operation added",
        "components:\n",
        "  /health:\n    get:\n      operationId: health\n      responses:\n        \"204\": {description: Up.}\ncomponents:\n",
        Kind::OperationAdded,
        Class::Compatible,
    ),
    (
        "an operation removed",
        "  /orders/{id}:\n    get:\n      operationId: getOrder",
        "  /orders/{id}:\n    delete:\n      operationId: deleteOrder",
        Kind::OperationRemoved,
        Class::Breaking,
    ),
    (
        "an operation's path changed",
        "  /orders/{id}:",
        "  /orders/by-id/{id}:",
        Kind::OperationMoved,
        Class::Behaviour,
    ),
    (
        "a required query parameter added",
        "        - {name: id, in: path, required: true, schema: {type: integer}}",
        "        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: expand, in: query, required: true, schema: {type: string}}",
        Kind::ParameterAdded,
        Class::Breaking,
    ),
    (
        "an optional query parameter added",
        "        - {name: id, in: path, required: true, schema: {type: integer}}",
        "        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: expand, in: query, schema: {type: string}}",
        Kind::ParameterAdded,
        Class::Breaking,
    ),
    (
        "a parameter removed",
        "      parameters:\n        - name: status\n          in: query\n          schema: {$ref: '#/components/schemas/OrderStatus'}\n",
        "",
        Kind::ParameterRemoved,
        Class::Breaking,
    ),
    (
        "a parameter's type changed",
        "schema: {type: integer}}",
        "schema: {type: string}}",
        Kind::ParameterTypeChanged,
        Class::Breaking,
    ),
    (
        "a request body's type changed",
        "            schema: {$ref: '#/components/schemas/NewOrder'}",
        "            schema: {$ref: '#/components/schemas/Address'}",
        Kind::BodyTypeChanged,
        Class::Breaking,
    ),
    (
        "a request body made optional",
        "      requestBody:\n        required: true",
        "      requestBody:\n        required: false",
        Kind::BodyTypeChanged,
        Class::Breaking,
    ),
    (
        "a success type changed",
        "          description: The order.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Order'}",
        "          description: The order.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Address'}",
        Kind::ReturnChanged,
        Class::Breaking,
    ),
    (
        "a second success status, so the method returns an enum",
        "        \"201\":\n          description: The order, created.",
        "        \"200\":\n          description: The order, already created.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Order'}\n        \"201\":\n          description: The order, created.",
        Kind::ReturnChanged,
        Class::Breaking,
    ),
    (
        "an error status documented",
        "              schema: {$ref: '#/components/schemas/Order'}\ncomponents:",
        "              schema: {$ref: '#/components/schemas/Order'}\n        \"404\":\n          description: No such order.\ncomponents:",
        Kind::StatusAdded,
        Class::Compatible,
    ),
    (
        "an operation no longer secured",
        "      operationId: getOrder\n",
        "      operationId: getOrder\n      security: []\n",
        Kind::AuthChanged,
        Class::Behaviour,
    ),
    (
        "a type added",
        "    Address:\n",
        "    Coupon:\n      type: object\n      properties:\n        code: {type: string}\n    Address:\n",
        Kind::TypeAdded,
        Class::Compatible,
    ),
    (
        "a field added to a type callers only read",
        "        payment: {$ref: '#/components/schemas/Payment'}",
        "        payment: {$ref: '#/components/schemas/Payment'}\n        note: {type: string}",
        Kind::FieldAdded,
        Class::Compatible,
    ),
    (
        "an optional field added to a type callers build",
        "        quantity: {type: integer, default: 1}",
        "        quantity: {type: integer, default: 1}\n        note: {type: string}",
        Kind::FieldAdded,
        Class::Breaking,
    ),
    (
        "a required field added to a type callers build",
        "      required: [item, ship_to]\n      properties:\n",
        "      required: [item, ship_to, gift]\n      properties:\n        gift: {type: boolean}\n",
        Kind::FieldAdded,
        Class::Breaking,
    ),
    (
        "a field added to a type both built and read",
        "        city: {type: string}",
        "        city: {type: string}\n        zip: {type: string}",
        Kind::FieldAdded,
        Class::Breaking,
    ),
    (
        "a field removed from a type callers read",
        "        total: {type: number}\n",
        "",
        Kind::FieldRemoved,
        Class::Breaking,
    ),
    (
        "a field's type changed",
        "        total: {type: number}",
        "        total: {type: string}",
        Kind::FieldTypeChanged,
        Class::Breaking,
    ),
    (
        "a required field made optional in a response",
        "      required: [id, status, total, ship_to]",
        "      required: [id, status, ship_to]",
        Kind::FieldTypeChanged,
        Class::Breaking,
    ),
    (
        "a field made nullable",
        "        total: {type: number}",
        "        total: {type: number, nullable: true}",
        Kind::FieldTypeChanged,
        Class::Breaking,
    ),
    (
        "an enum value added",
        "      enum: [open, paid, shipped]",
        "      enum: [open, paid, shipped, refunded]",
        Kind::VariantAdded,
        Class::Breaking,
    ),
    (
        "an enum value removed",
        "      enum: [open, paid, shipped]",
        "      enum: [open, paid]",
        Kind::VariantRemoved,
        Class::Breaking,
    ),
    (
        "a union variant added",
        "        - $ref: '#/components/schemas/Transfer'\n      discriminator:",
        "        - $ref: '#/components/schemas/Transfer'\n        - $ref: '#/components/schemas/Voucher'\n      discriminator:",
        Kind::VariantAdded,
        Class::Breaking,
    ),
    (
        "a default changed",
        "quantity: {type: integer, default: 1}",
        "quantity: {type: integer, default: 2}",
        Kind::DefaultChanged,
        Class::Behaviour,
    ),
    (
        "a field deprecated",
        "        total: {type: number}",
        "        total: {type: number, deprecated: true}",
        Kind::Deprecated,
        Class::Compatible,
    ),
    (
        "a description changed",
        "      description: An order as the shop stores it.",
        "      description: An order as the shop keeps it.",
        Kind::DocsChanged,
        Class::Docs,
    ),
    (
        "a quota declared",
        "security:\n  - apiKey: []\n",
        "security:\n  - apiKey: []\nx-rate-limit: {requests: 100, seconds: 60}\n",
        Kind::QuotaChanged,
        Class::Behaviour,
    ),
    (
        "an enum turned into free text",
        "    OrderStatus:\n      type: string\n      enum: [open, paid, shipped]",
        "    OrderStatus:\n      type: string",
        Kind::TypeKindChanged,
        Class::Breaking,
    ),
];

#[test]
fn every_edit_of_the_table_gets_its_class_and_nothing_graver() {
    assert!(EDITS.len() >= 25);
    for (edit, from, to, kind, class) in EDITS {
        let changes = changes(from, to);
        assert!(
            changes.iter().any(|c| c.kind == *kind && c.class == *class),
            "{edit}: no {kind:?} change classed {class}: {changes:#?}"
        );
        let gravest = changes.iter().map(|c| c.class).min();
        assert_eq!(gravest, Some(*class), "{edit}: {changes:#?}");
    }
}

#[test]
fn the_same_spec_has_no_change_and_needs_no_bump() {
    let changes = changes("", "");
    assert_eq!(changes, []);
    assert_eq!(super::classes::bump([]), "none: the public API is unchanged");
}

#[test]
fn a_change_names_its_spec_location_and_rust_item() {
    let changes = changes(
        "      enum: [open, paid, shipped]",
        "      enum: [open, paid, shipped, refunded]",
    );
    let [change] = changes.as_slice() else {
        panic!("{changes:#?}")
    };
    assert_eq!(change.item, "shop::models::OrderStatus");
    assert_eq!(change.at.to_string(), "#/components/schemas/OrderStatus/enum");
    assert_eq!(change.what, "value `refunded` added");
    let report = super::report(&changes, false);
    assert!(report.contains("version bump: major"), "{report}");
}
