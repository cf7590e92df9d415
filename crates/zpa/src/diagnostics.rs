//! Events for `tracing` subscribers when the `tracing` feature is on, and
//! nothing at all when it is off: the call sites stay the same either way.

/// A `tracing` event at the given level, compiled out without the feature.
macro_rules! event {
    ($level:ident, $($field:tt)*) => {
        #[cfg(feature = "tracing")]
        tracing::$level!($($field)*);
    };
}

/// Records `value` as `field` on the current span, if spans are compiled in.
macro_rules! record {
    ($field:literal, $value:expr) => {
        #[cfg(feature = "tracing")]
        tracing::Span::current().record($field, $value);
        #[cfg(not(feature = "tracing"))]
        let _ = $value;
    };
}
