//! Paths and operations to IR operations: parameters, request bodies, responses.

use openapiv3::{
    Parameter, ParameterData, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr,
    Response as OaResponse, StatusCode,
};

use super::Lowerer;
use super::pages::PAGINATION;
use crate::error::{Error, JsonPointer, Location, Result, Warning};
use crate::ir::{
    ArrayStyle, Docs, Method, Operation, Param, ParamIn, PathPiece, Response, TypeRef, WireName,
};
use crate::resolve;

impl Lowerer<'_> {
    /// Every operation in path order, then method order; one result per operation.
    /// Every operation of the document, each with where it is written (a path item's, when
    /// its path item cannot be read).
    pub(super) fn lower_operations(&mut self) -> Vec<(JsonPointer, Result<Operation>)> {
        let paths = JsonPointer::root().push("paths");
        let mut out = Vec::new();
        for (path, item) in &self.spec.doc.paths.paths {
            // A `$ref`'d path item is lowered where it is written, so every location (and
            // every lookup in the document) names the right place.
            let (item, at) = match resolve::follow::<PathItem>(self.spec, item, &paths.push(path)) {
                Ok((item, at)) => (item.into_owned(), at),
                Err(error) => {
                    out.push((paths.push(path), Err(error)));
                    continue;
                }
            };
            for method in Method::ALL {
                if let Some(op) = operation_of(&item, method) {
                    let at = at.push(method.key());
                    let lowered = self.lower_operation(path, &item, op, method, &at);
                    out.push((at, lowered));
                }
            }
        }
        out
    }

    fn lower_operation(
        &mut self,
        path: &str,
        item: &PathItem,
        op: &openapiv3::Operation,
        method: Method,
        at: &JsonPointer,
    ) -> Result<Operation> {
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {path}", method.as_str().to_lowercase()));
        let unverified = self.unverified(op, &at.push(UNVERIFIED));
        let mut docs = Docs::from_parts([
            unverified.as_deref(),
            op.summary.as_deref(),
            op.description.as_deref(),
        ]);
        docs.deprecated = op.deprecated;

        // Operation parameters override path-level ones with the same name and location.
        let mut params: Vec<Param> = Vec::new();
        // Header parameters HTTP itself sets (`Accept`...), with where each is written.
        let mut managed = Vec::new();
        let levels = [
            (&item.parameters, at.parent().push("parameters")),
            (&op.parameters, at.push("parameters")),
        ];
        for (list, base) in levels {
            for (index, param) in list.iter().enumerate() {
                let at = base.push(index.to_string());
                let param = self.lower_param(param, &at, &id)?;
                if param.location == ParamIn::Header && is_http_managed(&param.wire.0) {
                    managed.push((param.wire.0.clone(), at));
                }
                params.retain(|p| !(p.wire == param.wire && p.location == param.location));
                params.push(param);
            }
        }

        let body = match &op.request_body {
            Some(body) => self.lower_body(body, &at.push("requestBody"), &id)?,
            None => None,
        };
        let default = match &op.responses.default {
            Some(response) => {
                let words = vec![id.clone(), "default".into(), "response".into()];
                Some(self.lower_response(response, 0, &at.push("responses").push("default"), &words)?)
            }
            None => None,
        };
        let mut responses = Vec::new();
        for (status, response) in &op.responses.responses {
            let StatusCode::Code(code) = status else {
                continue;
            };
            let pointer = at.push("responses").push(code.to_string());
            let words = if responses.iter().any(|r: &Response| r.is_success()) || !(200..300).contains(code) {
                vec![id.clone(), code.to_string(), "response".into()]
            } else {
                vec![id.clone(), "response".into()]
            };
            responses.push(self.lower_response(response, *code, &pointer, &words)?);
        }
        responses.sort_by_key(|r| r.status);
        let requirements = self.accepted(op.security.as_ref(), at)?;

        // Before anything refers to parameters by their place in the list.
        let sets = SetHeaders {
            accept: crate::ir::accept(responses.iter().chain(&default)).is_some(),
            content_type: body.is_some(),
            authorization: !requirements.is_empty(),
        };
        self.drop_managed_headers(&mut params, managed, sets);
        let segments = self.match_path(path, &mut params, at);
        let pagination = op.extensions.get(PAGINATION).and_then(|value| {
            let at = at.push(PAGINATION);
            // The pager repeats the call with the parameters struct alone.
            let lowered = if params.iter().any(|p| p.location == ParamIn::Path) {
                Err(self.bad_pagination(&at, "path parameters on the operation"))
            } else if body.is_some() {
                Err(self.bad_pagination(&at, "a request body"))
            } else {
                self.pagination(value, &params, &responses, &at)
            };
            // The call stands without its pager.
            lowered
                .map_err(|error| {
                    let message = format!("the operation gets no pager: {error}; {}", error.help());
                    self.warn(&at, message);
                })
                .ok()
        });

        Ok(Operation {
            id,
            method,
            path: path.to_owned(),
            segments,
            origin: at.clone(),
            docs,
            params,
            body,
            responses,
            default,
            requirements,
            pagination,
            // Known once every operation is lowered (see `idempotency`).
            idempotency_key: None,
        })
    }

    /// OpenAPI says to ignore header parameters named `Accept`, `Content-Type` and
    /// `Authorization`: each is dropped, with a warning, where the call sets that header
    /// itself (`sets`). Where it does not (no response body, no request body, no security
    /// scheme), the parameter is the spec's only word for the header, and stays.
    fn drop_managed_headers(
        &mut self,
        params: &mut Vec<Param>,
        managed: Vec<(String, JsonPointer)>,
        sets: SetHeaders,
    ) {
        for (name, at) in managed {
            let set_by = if name.eq_ignore_ascii_case("accept") {
                sets.accept.then_some("its documented responses")
            } else if name.eq_ignore_ascii_case("content-type") {
                sets.content_type.then_some("its request body")
            } else {
                sets.authorization.then_some("its security requirements")
            };
            if let Some(set_by) = set_by {
                params.retain(|p| !(p.location == ParamIn::Header && p.wire.0 == name));
                self.warn(
                    &at,
                    format!(
                        "a header parameter named `{name}` is ignored, as OpenAPI says: the call sets \
                         the header from {set_by}"
                    ),
                );
            }
        }
    }

    /// Makes the path parameters and the `{variables}` of the path template agree, as the
    /// spec author evidently meant where they do not, with a warning for each repair: a lone
    /// parameter missing from the path fills the lone variable without a parameter; any other
    /// parameter missing from the path is dropped (it has nowhere to go); any other variable
    /// without a parameter gets a required string parameter of its name. Returns the
    /// template's segments with each variable's parameter.
    fn match_path(&mut self, path: &str, params: &mut Vec<Param>, at: &JsonPointer) -> Vec<Vec<PathPiece>> {
        let template = template(path);
        let mut variables: Vec<&str> = Vec::new();
        for piece in template.iter().flatten() {
            if let Template::Variable(name) = piece {
                if !variables.contains(name) {
                    variables.push(name);
                }
            }
        }
        let in_path = |p: &Param| p.location == ParamIn::Path;
        let strays: Vec<usize> = (0..params.len())
            .filter(|&i| in_path(&params[i]) && !variables.contains(&params[i].wire.0.as_str()))
            .collect();
        let missing: Vec<&str> = variables
            .iter()
            .copied()
            .filter(|v| !params.iter().any(|p| in_path(p) && p.wire.0 == *v))
            .collect();
        let at = self.spec.at(&at.push("parameters"));
        if let ([stray], [variable]) = (strays.as_slice(), missing.as_slice()) {
            let param = &mut params[*stray];
            self.warnings.push(Warning {
                at,
                message: format!(
                    "path parameter `{}` is not in the path `{path}`; it fills `{{{variable}}}`, \
                     the one variable of the path without a parameter",
                    param.wire.0
                ),
            });
            param.wire = WireName((*variable).to_owned());
        } else {
            self.drop_and_add(path, params, &strays, &missing, at);
        }
        let index = |name: &str| {
            params
                .iter()
                .position(|p| p.location == ParamIn::Path && p.wire.0 == name)
        };
        template
            .iter()
            .map(|segment| {
                segment
                    .iter()
                    .map(|piece| match piece {
                        Template::Text(text) => PathPiece::Text((*text).to_owned()),
                        // Every variable has its parameter now; the text is a fallback that
                        // keeps this total.
                        Template::Variable(name) => match index(name) {
                            Some(i) => PathPiece::Param(i),
                            None => PathPiece::Text(format!("{{{name}}}")),
                        },
                    })
                    .collect()
            })
            .collect()
    }

    /// Drops the path parameters at `strays` and adds one for each `missing` variable.
    fn drop_and_add(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        strays: &[usize],
        missing: &[&str],
        at: Location,
    ) {
        for &stray in strays.iter().rev() {
            let param = params.remove(stray);
            self.warnings.push(Warning {
                at: at.clone(),
                message: format!(
                    "path parameter `{}` is not in the path `{path}`; the call does not take it",
                    param.wire.0
                ),
            });
        }
        for &variable in missing {
            self.warnings.push(Warning {
                at: at.clone(),
                message: format!(
                    "the path `{path}` has a variable `{{{variable}}}` without a path parameter; \
                     the call takes it as a required string"
                ),
            });
            params.push(Param {
                wire: WireName(variable.to_owned()),
                location: ParamIn::Path,
                ty: TypeRef::String,
                required: true,
                style: ArrayStyle::Delimited(','),
                structured: false,
                docs: Docs::default(),
            });
        }
    }

    fn lower_param(
        &mut self,
        param: &ReferenceOr<Parameter>,
        at: &JsonPointer,
        op_id: &str,
    ) -> Result<Param> {
        let (param, at) = resolve::follow(self.spec, param, at)?;
        let (data, location, style) = match param.as_ref() {
            Parameter::Path { parameter_data, .. } => {
                (parameter_data, ParamIn::Path, ArrayStyle::Delimited(','))
            }
            Parameter::Header { parameter_data, .. } => {
                (parameter_data, ParamIn::Header, ArrayStyle::Delimited(','))
            }
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                let explode = parameter_data
                    .explode
                    .unwrap_or(matches!(style, QueryStyle::Form));
                (parameter_data, ParamIn::Query, array_style(style, explode))
            }
            Parameter::Cookie { parameter_data, .. } => {
                (parameter_data, ParamIn::Cookie, ArrayStyle::Delimited(','))
            }
        };
        let ty = self.param_type(data, &at, op_id)?;
        // Anything else (objects, unions, nested arrays, arrays in a path) is written from
        // its JSON form, as its style says.
        let scalar = match &ty {
            TypeRef::Vec(item) => location != ParamIn::Path && item.is_scalar_in(&self.types),
            other => other.is_scalar_in(&self.types),
        };
        let mut docs = Docs::from_parts([data.description.as_deref()]);
        docs.deprecated = data.deprecated.unwrap_or(false);
        Ok(Param {
            wire: WireName(data.name.clone()),
            location,
            ty,
            required: data.required || location == ParamIn::Path,
            style,
            structured: !scalar,
            docs,
        })
    }

    fn param_type(&mut self, data: &ParameterData, at: &JsonPointer, op_id: &str) -> Result<TypeRef> {
        let words = vec![op_id.to_owned(), data.name.clone()];
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let at = at.push("schema");
                let lowered = self.lower(schema, &at, &words, 0);
                Ok(self.or_any(&at, lowered, TypeRef::Json))
            }
            ParameterSchemaOrContent::Content(_) => Err(self.unsupported(
                &at.push("content"),
                "parameters described by `content`",
                "describe the parameter with `schema`",
            )),
        }
    }

    /// One response (`status` 0 for `default`): its docs and the type of its body, if any.
    fn lower_response(
        &mut self,
        response: &ReferenceOr<OaResponse>,
        status: u16,
        at: &JsonPointer,
        words: &[String],
    ) -> Result<Response> {
        let (response, target) = resolve::follow::<OaResponse>(self.spec, response, at)?;
        let flag = target.push(ERROR_ON_SUCCESS);
        let error_on_success = match response.extensions.get(ERROR_ON_SUCCESS) {
            None => None,
            Some(serde_json::Value::Bool(set)) if status == 0 || status >= 400 => set.then_some(flag),
            Some(_) => {
                self.warn(
                    &flag,
                    format!(
                        "`{ERROR_ON_SUCCESS}` is a boolean on an error response (`default`, 4xx \
                         or 5xx); ignored here"
                    ),
                );
                None
            }
        };
        let (body, media_type, events) = match super::media::pick(&response.content) {
            Some((media, content)) => {
                let at = target.push("content").push(media);
                let body = self.lower_answer(media, content, &at, words)?;
                let events = self.side_events(&response.content, media, &target.push("content"), words);
                (Some(body), self.accepted_media(media, &at), events)
            }
            None => (None, None, None),
        };
        Ok(Response {
            status,
            docs: Docs::from_parts([Some(response.description.as_str())]),
            body,
            media_type,
            events,
            error_on_success,
        })
    }

    /// The first paragraph of an operation's docs when `x-unverified` says what it rests on
    /// that no source states (a string; anything else is left out with a warning).
    fn unverified(&mut self, op: &openapiv3::Operation, at: &JsonPointer) -> Option<String> {
        match op.extensions.get(UNVERIFIED)? {
            serde_json::Value::String(text) if !text.trim().is_empty() => {
                Some(format!("**Unverified:** {}", text.trim()))
            }
            _ => {
                self.warn(
                    at,
                    format!("`{UNVERIFIED}` is a text saying what the operation rests on; ignored"),
                );
                None
            }
        }
    }

    fn unsupported(&self, at: &JsonPointer, what: &str, help: &str) -> Error {
        Error::Unsupported {
            at: self.spec.at(at),
            what: what.into(),
            help: help.into(),
        }
    }
}

/// What an operation rests on that no source states: said first in its docs.
const UNVERIFIED: &str = "x-unverified";
/// Marks an error response whose body may also come with a success status.
const ERROR_ON_SUCCESS: &str = "x-error-on-success";

/// Which of the headers OpenAPI reserves a call sets itself.
#[derive(Clone, Copy)]
struct SetHeaders {
    /// Some response has a body: `Accept`.
    accept: bool,
    /// The call has a request body: `Content-Type`.
    content_type: bool,
    /// The call has security requirements: `Authorization`.
    authorization: bool,
}

/// Header parameters OpenAPI says to ignore: HTTP itself sets them from the operation.
fn is_http_managed(name: &str) -> bool {
    ["accept", "content-type", "authorization"]
        .iter()
        .any(|managed| name.eq_ignore_ascii_case(managed))
}

fn operation_of(item: &PathItem, method: Method) -> Option<&openapiv3::Operation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Options => item.options.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Trace => item.trace.as_ref(),
    }
}

/// How a query parameter or form field of `style` is written; `explode` as written, or
/// its default (true for `form` alone).
pub(super) fn array_style(style: &QueryStyle, explode: bool) -> ArrayStyle {
    match style {
        QueryStyle::Form if explode => ArrayStyle::Repeat,
        QueryStyle::Form => ArrayStyle::Delimited(','),
        QueryStyle::SpaceDelimited => ArrayStyle::Delimited(' '),
        QueryStyle::PipeDelimited => ArrayStyle::Delimited('|'),
        QueryStyle::DeepObject => ArrayStyle::DeepObject,
    }
}

/// A piece of a URL template as written.
pub(super) enum Template<'a> {
    Text(&'a str),
    Variable(&'a str),
}

/// The segments of a path template after its leading `/`, each split into [`pieces`].
fn template(path: &str) -> Vec<Vec<Template<'_>>> {
    path.trim_start_matches('/').split('/').map(pieces).collect()
}

/// `text` split into literal text and `{variables}` (an unclosed `{` is text).
pub(super) fn pieces(text: &str) -> Vec<Template<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push(Template::Text(&rest[..open]));
        }
        pieces.push(Template::Variable(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(Template::Text(rest));
    }
    pieces
}
