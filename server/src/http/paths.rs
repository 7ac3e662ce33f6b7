//! What a request's path names, for the layers that treat some requests apart.

/// Whether `path` names a static file (`/pkg/…`, or a last segment with an extension): no page
/// renders and no database read is needed for it.
pub fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}
