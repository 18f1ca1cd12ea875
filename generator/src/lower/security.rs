//! `securitySchemes` and `security` to the IR's [`Auth`]: the schemes a client holds and the
//! sets of them a call may present.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme};

use super::Lowerer;
use crate::error::{Error, JsonPointer, Result};
use crate::ir::{Auth, Docs, Scheme, SchemeKind};
use crate::resolve;

/// The extension giving the text written before an API key (`lucca application=`).
const VALUE_PREFIX: &str = "x-value-prefix";

impl Lowerer<'_> {
    /// Every scheme and every requirement of the document and of its operations.
    pub(super) fn lower_auth(&self) -> Result<Auth> {
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
        let mut lists = vec![(
            self.spec.doc.security.as_ref(),
            JsonPointer::root().push("security"),
        )];
        for (path, item) in &self.spec.doc.paths.paths {
            if let ReferenceOr::Item(item) = item {
                for (method, op) in item.iter() {
                    let at = JsonPointer::root()
                        .push("paths")
                        .push(path)
                        .push(method)
                        .push("security");
                    lists.push((op.security.as_ref(), at));
                }
            }
        }
        for (list, at) in lists {
            for (index, requirement) in list.into_iter().flatten().enumerate() {
                let set = self.requirement(&auth, requirement, &at.push(index.to_string()))?;
                if !set.is_empty() && !auth.requirements.contains(&set) {
                    auth.requirements.push(set);
                }
            }
        }
        Ok(auth)
    }

    /// The requirements (indexes into [`Auth::requirements`]) an operation whose own
    /// `security` is `own` accepts; empty if it needs no credentials.
    pub(super) fn accepted(&self, own: Option<&Vec<SecurityRequirement>>) -> Vec<usize> {
        let Some(list) = own.or(self.spec.doc.security.as_ref()) else {
            return Vec::new();
        };
        let mut accepted = Vec::new();
        for requirement in list {
            // An unknown scheme was reported when the requirements were lowered.
            let Ok(set) = scheme_set(&self.auth, requirement) else {
                continue;
            };
            if let Some(index) = self.auth.requirements.iter().position(|r| *r == set) {
                accepted.push(index);
            }
        }
        accepted
    }

    fn requirement(
        &self,
        auth: &Auth,
        requirement: &SecurityRequirement,
        at: &JsonPointer,
    ) -> Result<Vec<usize>> {
        scheme_set(auth, requirement).map_err(|name| Error::DanglingRef {
            at: self.spec.at(&at.push(name)),
            target: format!("#/components/securitySchemes/{name}"),
        })
    }

    fn scheme_kind(&self, scheme: &SecurityScheme, at: &JsonPointer) -> Result<SchemeKind> {
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
                return Err(Error::Unsupported {
                    at: self.spec.at(&at.push("scheme")),
                    what: format!("the HTTP authentication scheme `{scheme}`"),
                    help: "use `bearer` or `basic`, or describe the credential as an `apiKey` header".into(),
                });
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
