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
