//! The Content-Security-Policy: built in one place, with the page's nonce while a page renders
//! (`set_page_policy`), without one for every other response (the server's header layer).

use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::http::HeaderValue;

/// The policy. Scripts run only from our own origin or inline with this response's `nonce`
/// (Leptos's hydration script carries it), WebAssembly may compile, and nothing may frame,
/// re-base, embed plugins or post forms elsewhere. Without a nonce no inline script runs.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// Sets the policy with this page's nonce on the response being rendered.
pub fn set_page_policy() {
    let nonce = leptos::nonce::use_nonce();
    let policy = content_security_policy(nonce.as_deref());
    if let (Some(options), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&policy))
    {
        options.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_admits_inline_scripts_and_nothing_else_does() {
        let with = content_security_policy(Some("abc"));
        assert!(with.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        let without = content_security_policy(None);
        assert!(without.contains("script-src 'self' 'wasm-unsafe-eval';"));
        for policy in [with, without] {
            let scripts = policy.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap_or_default();
            assert!(!scripts.contains("unsafe-inline") && !scripts.contains("'unsafe-eval'"), "{scripts}");
            for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
                assert!(policy.contains(directive), "{policy} lacks {directive}");
            }
        }
    }
}
