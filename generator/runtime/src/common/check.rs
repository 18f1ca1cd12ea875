/// Checks a string against the constraints its field states: its length in
/// characters and, for `luhn`, digits only with a valid Luhn check digit. The message
/// names the field, not the value.
#[doc(hidden)]
pub fn check_text(
    field: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    luhn: bool,
) -> Result<(), String> {
    let length = value.chars().count();
    if min.is_some_and(|min| length < min) || max.is_some_and(|max| length > max) {
        return Err(format!(
            "`{field}` has {length} characters; the spec allows {} to {}",
            min.unwrap_or(0),
            max.map_or_else(|| "any number".to_owned(), |max| max.to_string()),
        ));
    }
    if luhn {
        let digits: Option<Vec<u32>> = value.chars().map(|c| c.to_digit(10)).collect();
        let valid = digits.is_some_and(|digits| {
            let sum: u32 = digits
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &d)| {
                    if i % 2 == 1 {
                        if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
                    } else {
                        d
                    }
                })
                .sum();
            !value.is_empty() && sum % 10 == 0
        });
        if !valid {
            return Err(format!(
                "`{field}` must be digits whose last one is a Luhn check digit"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_text;

    #[test]
    fn a_length_outside_the_bounds_names_the_field_and_the_bounds_not_the_value() {
        let error = check_text("code", "ABCDEFG", Some(1), Some(6), false).unwrap_err();
        assert_eq!(error, "`code` has 7 characters; the spec allows 1 to 6");
        assert!(!error.contains("ABCDEFG"));
        let open = check_text("code", "", Some(1), None, false).unwrap_err();
        assert_eq!(open, "`code` has 0 characters; the spec allows 1 to any number");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check_text("name", "été", None, Some(3), false).is_ok());
    }

    #[test]
    fn a_luhn_number_passes_and_one_changed_digit_fails() {
        // A SIRET (14 digits) with a valid check digit, then with its last digit changed.
        assert!(check_text("siret", "73282932000074", None, None, true).is_ok());
        let error = check_text("siret", "73282932000075", None, None, true).unwrap_err();
        assert_eq!(
            error,
            "`siret` must be digits whose last one is a Luhn check digit"
        );
    }

    #[test]
    fn luhn_refuses_what_is_not_digits_and_the_empty_string() {
        for value in ["7328 2932 0000 74", "ABC", ""] {
            assert!(check_text("siret", value, None, None, true).is_err(), "{value:?}");
        }
    }
}
