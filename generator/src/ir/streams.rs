//! Answers that arrive as they are sent (which statuses a call streams, and the streaming
//! twin of a call that answers JSON or events), and the types a request body may hold
//! whichever media type the caller chooses.

use super::{Body, Encoding, Operation, TypeDef, TypeKind, TypeRef};

impl Operation {
    /// The call's streaming twin, where its one success response also offers events: the
    /// same call, asking for the events alone (and, where the JSON body has a boolean
    /// `stream` property, setting it).
    pub fn streaming_twin(&self, types: &[TypeDef]) -> Option<Operation> {
        let (status, events) = self.events()?;
        let mut twin = self.clone();
        twin.responses.retain(|r| !r.is_success() || r.status == status);
        for response in twin.responses.iter_mut().filter(|r| r.status == status) {
            response.body = Some(Encoding::Events(events.clone()));
            response.media_type = Some("text/event-stream".to_owned());
            response.events = None;
        }
        if let Some(body) = &mut twin.body {
            let flag = body.encoding.json().and_then(|ty| match ty.resolved_in(types) {
                TypeRef::Named(id) => match &types[id.0].kind {
                    TypeKind::Struct(object) => object
                        .fields
                        .iter()
                        .find(|field| {
                            field.wire.0 == "stream" && *field.ty.resolved_in(types) == TypeRef::Bool
                        })
                        .map(|field| field.wire.0.clone()),
                    _ => None,
                },
                _ => None,
            });
            body.set_true = flag;
        }
        twin.pagination = None;
        let set = match twin.body.as_ref().and_then(|body| body.set_true.as_deref()) {
            Some(flag) => format!(", with the body's `{flag}` set to `true`"),
            None => String::new(),
        };
        let about = format!(
            "The events of `{}` as they arrive (`text/event-stream`){set}.",
            self.id
        );
        twin.docs.paragraphs.insert(0, about);
        Some(twin)
    }

    /// The one success response that also offers events, for the call's streaming twin:
    /// its status and the events' type.
    pub fn events(&self) -> Option<(u16, &TypeRef)> {
        match self.success_responses().as_slice() {
            [only] => only.events.as_ref().map(|events| (only.status, events)),
            _ => None,
        }
    }

    /// The success statuses whose answer is handed out as it arrives (a binary body,
    /// events).
    pub fn streamed_statuses(&self) -> Vec<u16> {
        self.success_responses()
            .iter()
            .filter(|r| matches!(r.body, Some(Encoding::Bytes | Encoding::Events(_))))
            .map(|r| r.status)
            .collect()
    }
}

impl Body {
    /// Every type the body may hold, whichever media type the caller chooses.
    pub fn types(&self) -> Vec<&TypeRef> {
        let mut types = self.encoding.types();
        for (_, encoding) in &self.choices {
            types.extend(encoding.types());
        }
        types
    }
}
