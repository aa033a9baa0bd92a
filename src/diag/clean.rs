//! A diagnostic made safe to render: every piece of text it carries (message, code, labels,
//! help, url, causes, related diagnostics) escaped and cut (see [`super::escape`]), and its
//! source served as a bounded excerpt (see [`super::excerpt`]).
//!
//! Errors are built from names and text that came from anywhere (a file name, a guest's
//! output, a megabyte command line); this is the one place that makes them fit to print, so
//! no error type has to remember to. It copies what it shows and must never hand miette a
//! string it has not cleaned.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};

use super::escape;
use super::excerpt::Excerpt;

/// At most this many related diagnostics are shown, and this many causes.
const MAX_RELATED: usize = 8;
const MAX_CAUSES: usize = 8;
/// Related diagnostics inside related diagnostics stop here.
const MAX_DEPTH: usize = 3;

/// A cleaned copy of a diagnostic, ready for miette's renderer.
#[derive(Debug)]
pub struct Clean {
    message: String,
    code: Option<String>,
    severity: Option<Severity>,
    help: Option<String>,
    url: Option<String>,
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Clean>,
    cause: Option<Box<Cause>>,
}

/// One cause in the chain below a diagnostic: its cleaned message.
#[derive(Debug)]
pub struct Cause {
    message: String,
    next: Option<Box<Cause>>,
}

impl Clean {
    pub fn new(diag: &dyn Diagnostic) -> Clean {
        Clean::with_parent(diag, None, 0)
    }

    /// `parent` is the source of the diagnostic this one is related to, which miette uses
    /// when a related diagnostic has none of its own.
    fn with_parent(diag: &dyn Diagnostic, parent: Option<&dyn SourceCode>, depth: usize) -> Clean {
        let source = diag.source_code().or(parent);
        let labels: Vec<LabeledSpan> = diag.labels().map(|l| l.collect()).unwrap_or_default();
        let (excerpt, labels) = match source {
            Some(source) if !labels.is_empty() => match Excerpt::build(source, &labels) {
                Some((excerpt, moved)) => (Some(excerpt), moved),
                None => (None, Vec::new()),
            },
            _ => (None, Vec::new()),
        };
        let related = if depth < MAX_DEPTH {
            diag.related()
                .map(|r| {
                    r.take(MAX_RELATED)
                        .map(|d| Clean::with_parent(d, source, depth + 1))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        Clean {
            message: escape::message(&diag.to_string()),
            code: diag.code().map(|c| escape::name(&c.to_string())),
            severity: diag.severity(),
            help: diag.help().map(|h| escape::help(&h.to_string())),
            url: diag.url().map(|u| escape::name(&u.to_string())),
            excerpt,
            labels,
            related,
            cause: causes(diag),
        }
    }
}

/// The cause chain miette would show (the diagnostic source's chain, else the error
/// source's), as cleaned messages. A cause that is itself a diagnostic is shown by its
/// message only, without a snippet of its own.
fn causes(diag: &dyn Diagnostic) -> Option<Box<Cause>> {
    let mut messages = Vec::new();
    if let Some(mut d) = diag.diagnostic_source() {
        messages.push(d.to_string());
        while let Some(next) = d.diagnostic_source() {
            if messages.len() >= MAX_CAUSES {
                break;
            }
            messages.push(next.to_string());
            d = next;
        }
    } else {
        let mut e = diag.source();
        while let Some(error) = e {
            if messages.len() >= MAX_CAUSES {
                break;
            }
            messages.push(error.to_string());
            e = error.source();
        }
    }
    messages.into_iter().rev().fold(None, |next, message| {
        Some(Box::new(Cause {
            message: escape::message(&message),
            next,
        }))
    })
}

impl fmt::Display for Clean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Clean {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

impl Diagnostic for Clean {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<Severity> {
        self.severity
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|e| e as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}
