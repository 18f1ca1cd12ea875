//! `securitySchemes` and `security` to the IR's [`Auth`]: the schemes a client holds and the
//! sets of them a call may present.

use openapiv3::{APIKeyLocation, SecurityRequirement, SecurityScheme};

use super::Lowerer;
use crate::error::{Error, JsonPointer, Result};
use crate::ir::{Auth, Docs, Scheme, SchemeKind};
use crate::resolve;

/// The extension giving the text written before an API key (`lucca application=`).
const VALUE_PREFIX: &str = "x-value-prefix";

impl Lowerer<'_> {
    /// Every scheme and every requirement of the document and of its operations.
    pub(super) fn lower_auth(&mut self) -> Result<Auth> {
        let mut auth = Auth::default();
        let base = JsonPointer::root().push("components").push("securitySchemes");
        let schemes = self.spec.doc.components.iter().flat_map(|c| &c.security_schemes);
        for (name, scheme) in schemes {
            let at = base.push(name);
            let (scheme, at) = resolve::follow::<SecurityScheme>(self.spec, scheme, &at)?;
            auth.schemes.push(Scheme {
                name: name.clone(),
                kind: self.scheme_kind(&scheme, &at)?,
                docs: Docs::from_parts([scheme_description(&scheme)]),
            });
        }
        let at = JsonPointer::root().push("security");
        for (index, requirement) in self.spec.doc.security.iter().flatten().enumerate() {
            match scheme_set(&auth, requirement) {
                Ok(set) => {
                    add(&mut auth, set);
                }
                Err(name) => self.unknown_scheme(&at.push(index.to_string()).push(name), name),
            }
        }
        Ok(auth)
    }

    /// The requirements (indexes into [`Auth::requirements`]) an operation at `at` whose
    /// own `security` is `own` accepts, adding its own sets to them; empty if it needs no
    /// credentials.
    pub(super) fn accepted(
        &mut self,
        own: Option<&Vec<SecurityRequirement>>,
        at: &JsonPointer,
    ) -> Result<Vec<usize>> {
        let Some(own) = own else {
            // The document's sets, lowered (and any unknown scheme reported) with the schemes.
            let document = self.spec.doc.security.iter().flatten();
            let sets = document.filter_map(|requirement| scheme_set(&self.auth, requirement).ok());
            return Ok(sets
                .filter_map(|set| self.auth.requirements.iter().position(|r| *r == set))
                .collect());
        };
        let at = at.push("security");
        let mut accepted = Vec::new();
        for (index, requirement) in own.iter().enumerate() {
            match scheme_set(&self.auth, requirement) {
                Ok(set) => accepted.extend(add(&mut self.auth, set)),
                Err(name) => self.unknown_scheme(&at.push(index.to_string()).push(name), name),
            }
        }
        Ok(accepted)
    }

    /// Warns that the requirement at `at` names `name`, which the document does not define:
    /// no call can present it, so the requirement is left out.
    fn unknown_scheme(&mut self, at: &JsonPointer, name: &str) {
        self.warn(
            at,
            format!(
                "the security requirement names `{name}`, which `components/securitySchemes` does not \
                 define; the requirement is left out, and calls do not present it"
            ),
        );
    }

    fn scheme_kind(&mut self, scheme: &SecurityScheme, at: &JsonPointer) -> Result<SchemeKind> {
        Ok(match scheme {
            SecurityScheme::APIKey {
                location,
                name,
                extensions,
                ..
            } => {
                let prefix = match extensions.get(VALUE_PREFIX) {
                    None => String::new(),
                    Some(serde_json::Value::String(prefix)) => prefix.clone(),
                    Some(_) => {
                        return Err(Error::Unsupported {
                            at: self.spec.at(&at.push(VALUE_PREFIX)),
                            what: format!("`{VALUE_PREFIX}` that is not a string"),
                            help: "give the text written before the key, such as `lucca application=`".into(),
                        });
                    }
                };
                match location {
                    APIKeyLocation::Header => SchemeKind::Header {
                        name: name.clone(),
                        prefix,
                    },
                    APIKeyLocation::Query => SchemeKind::Query {
                        name: name.clone(),
                        prefix,
                    },
                    APIKeyLocation::Cookie => SchemeKind::Cookie { name: name.clone() },
                }
            }
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                SchemeKind::Bearer
            }
            SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => SchemeKind::Basic,
            SecurityScheme::HTTP { scheme, .. } => {
                self.warn(
                    &at.push("scheme"),
                    format!(
                        "the HTTP authentication scheme `{scheme}` is not one the generator knows; its \
                         credential is sent as `Authorization: {scheme} <credential>`"
                    ),
                );
                SchemeKind::Header {
                    name: "Authorization".into(),
                    prefix: format!("{scheme} "),
                }
            }
            // The client is handed an access token obtained elsewhere.
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => SchemeKind::Bearer,
        })
    }
}

fn scheme_description(scheme: &SecurityScheme) -> Option<&str> {
    match scheme {
        SecurityScheme::APIKey { description, .. }
        | SecurityScheme::HTTP { description, .. }
        | SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIDConnect { description, .. } => description.as_deref(),
    }
}

/// Adds `set` to the requirements of `auth` unless it is there already or empty (an empty
/// set means no credentials); its index, if it is not empty.
fn add(auth: &mut Auth, set: Vec<usize>) -> Option<usize> {
    if set.is_empty() {
        return None;
    }
    Some(match auth.requirements.iter().position(|r| *r == set) {
        Some(index) => index,
        None => {
            auth.requirements.push(set);
            auth.requirements.len() - 1
        }
    })
}

/// The schemes a requirement names, by their index in `auth`; the first unknown name if one
/// is not defined.
fn scheme_set<'a>(
    auth: &Auth,
    requirement: &'a SecurityRequirement,
) -> std::result::Result<Vec<usize>, &'a String> {
    requirement
        .keys()
        .map(|name| auth.schemes.iter().position(|s| s.name == *name).ok_or(name))
        .collect()
}
