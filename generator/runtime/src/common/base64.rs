use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Bytes sent as base64 text (`format: byte` in the spec).
///
/// The text is kept exactly as received, so a value the server sends comes back
/// unchanged; [`Base64::decode`] gives the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Base64(pub String);

impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Base64 {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Base64 {
    /// Encodes `bytes` with the standard alphabet and padding (RFC 4648 section 4).
    pub fn encode(bytes: impl AsRef<[u8]>) -> Self {
        Self(STANDARD.encode(bytes))
    }

    /// The bytes. Accepts the standard and the URL-safe alphabet, with or without
    /// padding, since servers differ.
    pub fn decode(&self) -> Result<Vec<u8>, base64::DecodeError> {
        let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let alphabet = if self.0.contains(['-', '_']) {
            &base64::alphabet::URL_SAFE
        } else {
            &base64::alphabet::STANDARD
        };
        GeneralPurpose::new(alphabet, config).decode(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Base64;

    #[test]
    fn encodes_with_the_standard_alphabet_and_padding() {
        assert_eq!(Base64::encode([0xfb, 0xff]).0, "+/8=");
    }

    #[test]
    fn decodes_either_alphabet_with_or_without_padding() {
        for text in ["+/8=", "+/8", "-_8=", "-_8"] {
            assert_eq!(Base64(text.to_owned()).decode().unwrap(), [0xfb, 0xff], "{text}");
        }
    }

    #[test]
    fn keeps_the_text_as_received() {
        let value: Base64 = serde_json::from_str("\"-_8\"").unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"-_8\"");
    }
}
