//! A text a regular expression matches, for a schema's `pattern`: made from the expression
//! as the `regex` crate's parser reads it.

/// `pattern` without its look-around assertions (`(?=..)`, `(?!..)`, `(?<=..)`, `(?<!..)`),
/// which the `regex` crate's parser does not read: each is taken as holding. A text made
/// without them may break a negative one; the server then says so.
pub(super) fn without_look_around(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.char_indices().peekable();
    let mut in_class = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '(' if !in_class
                && ["(?=", "(?!", "(?<=", "(?<!"]
                    .iter()
                    .any(|open| pattern[at..].starts_with(open)) =>
            {
                // Skip to the parenthesis that closes this one.
                let mut depth = 1;
                let mut class = false;
                while let Some((_, inner)) = chars.next() {
                    match inner {
                        '\\' => {
                            chars.next();
                        }
                        '[' if !class => class = true,
                        ']' if class => class = false,
                        '(' if !class => depth += 1,
                        ')' if !class => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A text the regular expression `pattern` matches, each repetition taken `stretch` more
/// times than its least (within its most); `None` if the pattern does not parse.
pub(super) fn matching(pattern: &str, stretch: usize) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn write(hir: &Hir, stretch: usize, out: &mut String) -> Option<()> {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
            HirKind::Class(Class::Unicode(class)) => {
                let ranges = class.ranges();
                let plain = ranges
                    .iter()
                    .find_map(|range| (range.start()..=range.end()).find(|c| c.is_ascii_alphanumeric()));
                out.push(plain.or_else(|| ranges.first().map(|range| range.start()))?);
            }
            HirKind::Class(Class::Bytes(class)) => {
                let byte = class.ranges().first()?.start();
                out.push(char::from(byte));
            }
            HirKind::Repetition(repetition) => {
                let most = repetition.max.map_or(usize::MAX, |most| most as usize);
                let times = (repetition.min as usize).max(1).saturating_add(stretch).min(most);
                for _ in 0..times {
                    write(&repetition.sub, stretch, out)?;
                }
            }
            HirKind::Capture(capture) => write(&capture.sub, stretch, out)?,
            HirKind::Concat(parts) => {
                for part in parts {
                    write(part, stretch, out)?;
                }
            }
            HirKind::Alternation(branches) => write(branches.first()?, stretch, out)?,
        }
        Some(())
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&without_look_around(pattern))
        .ok()?;
    let mut out = String::new();
    write(&hir, stretch, &mut out)?;
    Some(out)
}
#[cfg(test)]
mod tests {
    use super::{matching, without_look_around};

    #[test]
    fn a_pattern_gives_a_text_it_matches() {
        for pattern in [
            "^\\d{3}$",
            "[a-z]+@[a-z]+\\.com",
            "^(?:EUR|USD)$",
            "^\\p{Lu}{2}\\d*$",
            "^.{2,4}$",
            "^[^/]+/[^/]+$",
        ] {
            for stretch in 0..3 {
                let text = matching(pattern, stretch).expect("parses");
                let regex = regex::Regex::new(pattern).expect("a regex");
                assert!(regex.is_match(&text), "{pattern} (stretch {stretch}): {text:?}");
            }
        }
        assert_eq!(matching("^\\d{3}$", 0).as_deref(), Some("000"));
        assert_eq!(matching("[a-z]+@[a-z]+\\.com", 0).as_deref(), Some("a@a.com"));
        assert_eq!(matching("^(?:EUR|USD)$", 0).as_deref(), Some("EUR"));
    }

    #[test]
    fn look_around_is_taken_as_holding() {
        let name = "^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)^[a-z][a-z0-9-]*[a-zA-Z0-9]$";
        assert_eq!(matching(name, 0).as_deref(), Some("a00"));
        assert_eq!(without_look_around("a(?<=[)(])b\\(?=c)"), "ab\\(?=c)");
    }
}
