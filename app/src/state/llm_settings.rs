//! The LLM endpoint the page calls: base URL, model and API key, as the user typed them into
//! the settings panel. Plain Rust (unit-tested natively); `driver::llm_storage` keeps it in
//! this browser's local storage — the only place the key ever lives. It is never given to the
//! engine, so it cannot reach an input, a share link, an export or the trace.

use serde::{Deserialize, Serialize};

/// The local-storage key the settings are kept under.
pub const STORAGE_KEY: &str = "bookmesh.llm";
/// The longest value a field accepts (a URL, a model name, a key).
pub const FIELD_MAX_CHARS: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LlmSettings {
    /// An OpenAI-compatible API root, e.g. "https://api.openai.com/v1" or a local server's.
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer …` when not empty (local servers often need none).
    pub api_key: String,
}

impl Default for LlmSettings {
    fn default() -> Self {
        Self {
            base_url: "https://api.openai.com/v1".into(),
            // The model seeds 000 and 001 used.
            model: "gpt-4o-mini".into(),
            api_key: String::new(),
        }
    }
}

impl LlmSettings {
    /// `{base}/chat/completions`, or what is wrong with the settings (naming the field).
    pub fn endpoint(&self) -> Result<String, String> {
        let base = self.base_url.trim().trim_end_matches('/');
        if base.is_empty() {
            return Err("LLM base URL: required (e.g. https://api.openai.com/v1)".into());
        }
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(format!(
                "LLM base URL: must start with http:// or https://, got {:?}",
                short(base)
            ));
        }
        if base.chars().any(char::is_whitespace) {
            return Err("LLM base URL: must not contain spaces".into());
        }
        if self.model.trim().is_empty() {
            return Err("LLM model: required (e.g. gpt-4o-mini)".into());
        }
        for (name, value) in [
            ("LLM base URL", &self.base_url),
            ("LLM model", &self.model),
            ("LLM API key", &self.api_key),
        ] {
            if value.chars().count() > FIELD_MAX_CHARS {
                return Err(format!("{name}: at most {FIELD_MAX_CHARS} characters"));
            }
        }
        if self.api_key.chars().any(|c| c.is_control()) {
            return Err("LLM API key: must not contain control characters".into());
        }
        Ok(format!("{base}/chat/completions"))
    }

    pub fn model(&self) -> &str {
        self.model.trim()
    }

    /// The `Authorization` header value, if a key is set.
    pub fn authorization(&self) -> Option<String> {
        let key = self.api_key.trim();
        (!key.is_empty()).then(|| format!("Bearer {key}"))
    }

    /// As stored; what cannot be read gives the defaults (a corrupt entry must not break the page).
    pub fn from_stored(text: Option<&str>) -> Self {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(base: &str, model: &str, key: &str) -> LlmSettings {
        LlmSettings {
            base_url: base.into(),
            model: model.into(),
            api_key: key.into(),
        }
    }

    #[test]
    fn the_endpoint_is_the_base_plus_chat_completions_and_bad_fields_are_named() {
        assert_eq!(
            with("http://127.0.0.1:8081/v1/", "m", "").endpoint(),
            Ok("http://127.0.0.1:8081/v1/chat/completions".into())
        );
        let cases = [
            (with("", "m", ""), "LLM base URL: required"),
            (with("ftp://x", "m", ""), "LLM base URL: must start with"),
            (
                with("http://a b", "m", ""),
                "LLM base URL: must not contain spaces",
            ),
            (with("http://x", " ", ""), "LLM model: required"),
            (
                with("http://x", "m", "a\nb"),
                "LLM API key: must not contain",
            ),
        ];
        for (s, want) in cases {
            let e = s.endpoint().expect_err("refused");
            assert!(e.starts_with(want), "{s:?}: {e}");
        }
    }

    #[test]
    fn the_key_is_a_bearer_token_only_when_set() {
        assert_eq!(with("http://x", "m", "").authorization(), None);
        assert_eq!(
            with("http://x", "m", " sk-1 ").authorization(),
            Some("Bearer sk-1".into())
        );
    }

    #[test]
    fn stored_settings_round_trip_and_garbage_gives_the_defaults() {
        let s = with("http://x/v1", "llama3", "sk-secret");
        assert_eq!(LlmSettings::from_stored(Some(&s.to_stored())), s);
        assert_eq!(
            LlmSettings::from_stored(Some("{not json")),
            LlmSettings::default()
        );
        assert_eq!(LlmSettings::from_stored(None), LlmSettings::default());
    }
}
