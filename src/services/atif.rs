//! Agent trajectories (ATIF-style): the steps of one agent's run, kept as a `logs` log.
//!
//! A log whose name ends in `.atif` is a trajectory: every record written to it must be
//! one [`Step`], a JSON object with exactly these fields (anything else is refused):
//!
//! | field | type | |
//! |---|---|---|
//! | `source` | `"user"`, `"agent"` or `"system"` | required |
//! | `message` | string | required |
//! | `tool_calls` | array of `{"id": string, "name": string, "arguments": object}` | agent steps only; ids unique in the step |
//! | `observation` | `{"results": [{"source_call_id"?: string, "content": string}]}` | a `source_call_id` names a tool call of the same step |
//! | `metrics` | `{"prompt_tokens"?, "completion_tokens"?, "cached_tokens"?: integer ≥ 0, "cost_usd"?: number ≥ 0}` | |
//!
//! `step_id` (the log's sequence number, 1, 2, 3...) and `timestamp` (RFC 3339 UTC, with
//! milliseconds) belong to the log: it adds them, first in the stored line, and refuses a
//! step that brings its own. A refused step names the field at fault as a path
//! (`tool_calls[0].name: invalid type: integer `3`, expected a string`). This module only
//! checks and shapes one step; it must never store anything (that is [`super::logs`]).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Who a step comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    User,
    Agent,
    System,
}

/// One step of a trajectory, as stored (a writer leaves `step_id` and `timestamp` out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    pub source: Source,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observation: Option<Observation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
}

/// A tool the agent asked for in a step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: Map<String, Value>,
}

/// What the step's tool calls (or the environment) gave back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub results: Vec<ObservationResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationResult {
    /// The [`ToolCall::id`] this result answers, when it answers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_call_id: Option<String>,
    pub content: String,
}

/// What the step cost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
}

/// Why a record is not a step that a trajectory can store. Every message starts
/// `not an ATIF step:` (or `cannot store the step:`) and names the field at fault.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The bytes are not one JSON value shaped like a step, and no single field is to blame
    /// (not JSON, not an object, trailing bytes after the object).
    #[error("not an ATIF step: {0}")]
    Malformed(serde_json::Error),
    /// A field has the wrong type or value, or is not a field of a step.
    #[error("not an ATIF step: {path}: {source}")]
    Field {
        /// The field as a path (`tool_calls[0].name`).
        path: String,
        /// What the JSON decoder said about it.
        source: serde_json::Error,
    },
    /// The step is well typed but breaks a rule the types cannot say.
    #[error("not an ATIF step: {path}: {rule}")]
    Rule {
        /// The field as a path (`observation.results[0].source_call_id`).
        path: String,
        /// The rule it breaks.
        rule: StepRule,
    },
    /// The checked step could not be written back as JSON.
    #[error("cannot store the step: {0}")]
    Store(serde_json::Error),
}

/// A rule of a step beyond its types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepRule {
    /// `step_id` or `timestamp` given: they belong to the log.
    #[error("set by the log, not by the writer")]
    OwnedByLog,
    /// Tool calls in a step that is not the agent's.
    #[error("only an agent step makes tool calls")]
    CallsOnlyFromAgent,
    /// Two tool calls of one step share an id.
    #[error("'{0}' is used twice in this step")]
    DuplicateCallId(String),
    /// A result answers a tool call the step does not make.
    #[error("'{0}' names no tool call of this step")]
    UnknownCallId(String),
    /// A negative cost.
    #[error("must not be negative")]
    Negative,
}

/// The stored line (without its `\n`) for the step written as `json`, numbered `step_id`
/// and stamped `timestamp`; or why it is not a step, naming the field at fault.
pub fn step_record(json: &[u8], step_id: u64, timestamp: &str) -> Result<Vec<u8>, StepError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let mut step: Step =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            match e.path().to_string() {
                path if path == "." => StepError::Malformed(e.into_inner()),
                path => StepError::Field {
                    path,
                    source: e.into_inner(),
                },
            }
        })?;
    // Trailing bytes after the object (a second value) are not one step.
    deserializer.end().map_err(StepError::Malformed)?;
    check(&step).map_err(|(path, rule)| StepError::Rule { path, rule })?;
    step.step_id = Some(step_id);
    step.timestamp = Some(timestamp.to_string());
    serde_json::to_vec(&step).map_err(StepError::Store)
}

/// The rules the types alone cannot say: (field path, the rule broken).
fn check(step: &Step) -> Result<(), (String, StepRule)> {
    for (field, given) in [
        ("step_id", step.step_id.is_some()),
        ("timestamp", step.timestamp.is_some()),
    ] {
        if given {
            return Err((field.into(), StepRule::OwnedByLog));
        }
    }
    let calls = step.tool_calls.as_deref().unwrap_or_default();
    if !calls.is_empty() && step.source != Source::Agent {
        return Err(("tool_calls".into(), StepRule::CallsOnlyFromAgent));
    }
    let mut ids = HashSet::new();
    for (i, call) in calls.iter().enumerate() {
        if !ids.insert(call.id.as_str()) {
            return Err((
                format!("tool_calls[{i}].id"),
                StepRule::DuplicateCallId(call.id.clone()),
            ));
        }
    }
    let results = step.observation.as_ref().map(|o| &o.results[..]);
    for (i, result) in results.unwrap_or_default().iter().enumerate() {
        if let Some(id) = &result.source_call_id
            && !ids.contains(id.as_str())
        {
            return Err((
                format!("observation.results[{i}].source_call_id"),
                StepRule::UnknownCallId(id.clone()),
            ));
        }
    }
    if let Some(cost) = step.metrics.as_ref().and_then(|m| m.cost_usd)
        && cost < 0.0
    {
        return Err(("metrics.cost_usd".into(), StepRule::Negative));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(json: &str) -> Result<String, String> {
        step_record(json.as_bytes(), 7, "2026-01-02T03:04:05.678Z")
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_full_step_is_stored_with_id_and_timestamp_first() {
        let json = r#"{"source":"agent","message":"looking",
            "tool_calls":[{"id":"c1","name":"ls","arguments":{"path":"/tmp"}}],
            "observation":{"results":[{"source_call_id":"c1","content":"a b"}]},
            "metrics":{"prompt_tokens":12,"completion_tokens":3,"cost_usd":0.5}}"#;
        assert_eq!(
            stored(json).unwrap(),
            r#"{"step_id":7,"timestamp":"2026-01-02T03:04:05.678Z","source":"agent","message":"looking","tool_calls":[{"id":"c1","name":"ls","arguments":{"path":"/tmp"}}],"observation":{"results":[{"source_call_id":"c1","content":"a b"}]},"metrics":{"prompt_tokens":12,"completion_tokens":3,"cost_usd":0.5}}"#
        );
        let line = stored(r#"{"source":"user","message":"hi"}"#).unwrap();
        let back: Step = serde_json::from_str(&line).unwrap();
        assert_eq!((back.step_id, back.source), (Some(7), Source::User));
    }

    #[test]
    fn ill_formed_steps_name_the_field() {
        let cases = [
            (
                r#"{"message":"x"}"#,
                "not an ATIF step: missing field `source` at line 1 column 15",
            ),
            (
                r#"{"source":"robot","message":"x"}"#,
                "not an ATIF step: source: unknown variant `robot`, expected one of `user`, `agent`, `system` at line 1 column 17",
            ),
            (
                r#"{"source":"agent","message":"x","tool_calls":[{"id":"c","name":3,"arguments":{}}]}"#,
                "not an ATIF step: tool_calls[0].name: invalid type: integer `3`, expected a string at line 1 column 64",
            ),
            (
                r#"{"source":"agent","message":"x","mood":"good"}"#,
                "not an ATIF step: mood: unknown field `mood`, expected one of `step_id`, `timestamp`, `source`, `message`, `tool_calls`, `observation`, `metrics` at line 1 column 38",
            ),
            (
                r#"{"source":"user","message":"x","metrics":{"prompt_tokens":-1}}"#,
                "not an ATIF step: metrics.prompt_tokens: invalid value: integer `-1`, expected u64 at line 1 column 60",
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(stored(json).unwrap_err(), expected, "{json}");
        }
    }

    #[test]
    fn rules_beyond_the_types() {
        let cases = [
            (
                r#"{"step_id":3,"source":"user","message":"x"}"#,
                "not an ATIF step: step_id: set by the log, not by the writer",
            ),
            (
                r#"{"timestamp":"now","source":"user","message":"x"}"#,
                "not an ATIF step: timestamp: set by the log, not by the writer",
            ),
            (
                r#"{"source":"user","message":"x","tool_calls":[{"id":"c","name":"n","arguments":{}}]}"#,
                "not an ATIF step: tool_calls: only an agent step makes tool calls",
            ),
            (
                r#"{"source":"agent","message":"x","tool_calls":[{"id":"c","name":"n","arguments":{}},{"id":"c","name":"m","arguments":{}}]}"#,
                "not an ATIF step: tool_calls[1].id: 'c' is used twice in this step",
            ),
            (
                r#"{"source":"agent","message":"x","observation":{"results":[{"source_call_id":"c9","content":""}]}}"#,
                "not an ATIF step: observation.results[0].source_call_id: 'c9' names no tool call of this step",
            ),
            (
                r#"{"source":"agent","message":"x","metrics":{"cost_usd":-0.1}}"#,
                "not an ATIF step: metrics.cost_usd: must not be negative",
            ),
            (
                r#"{"source":"agent","message":"x"} {}"#,
                "not an ATIF step: trailing characters at line 1 column 34",
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(stored(json).unwrap_err(), expected, "{json}");
        }
    }
}
