//! The typed error at the API's edge. Every error a client sees carries
//! `extensions.code`; internal failures are logged and answered without details.

use std::fmt;

use async_graphql::ErrorExtensions;

/// The stable error codes clients can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    BadUserInput,
    NotFound,
    Conflict,
    RateLimited,
    Internal,
}

impl ErrorCode {
    /// The code as it appears in `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Internal => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// An error on a request path. Deliberately not `Display`: async-graphql would turn any
/// `Display` error into a message, and an internal error's text must never reach a client.
pub enum AppError {
    /// A failure the client can act on, with a message written for people and, for bad
    /// input, the path of the offending field (`extensions.field`, e.g. `input.price`).
    Client {
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    /// A request the rules refuse for a reason a program can branch on
    /// (`extensions.reason`, e.g. `COUPON_EXPIRED`); answered as BAD_USER_INPUT.
    Refused {
        reason: &'static str,
        message: String,
        field: Option<String>,
    },
    /// Too many attempts; the client may retry after this many seconds.
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// Anything else: logged with the request's span, answered as INTERNAL_SERVER_ERROR.
    Internal(anyhow::Error),
}

impl AppError {
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::client(ErrorCode::Unauthenticated, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::client(ErrorCode::Forbidden, message)
    }
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::client(ErrorCode::BadUserInput, message)
    }
    /// Bad input in one field, named as the API names it (`salePrice`, `imageIds.5`).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Client {
            code: ErrorCode::BadUserInput,
            message: message.into(),
            field: Some(field.into()),
        }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::client(ErrorCode::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::client(ErrorCode::Conflict, message)
    }
    pub fn rate_limited(message: impl Into<String>, retry_after_secs: u64) -> Self {
        Self::RateLimited {
            message: message.into(),
            retry_after_secs,
        }
    }
    /// A refusal for `reason` (upper-case words), about `field` when given.
    pub fn refused(reason: &'static str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self::Refused {
            reason,
            message: message.into(),
            field: field.map(str::to_owned),
        }
    }
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    fn client(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// The error with its field placed under an argument (`price` → `input.price`).
    pub fn under(self, argument: &str) -> Self {
        match self {
            AppError::Client {
                code,
                message,
                field: Some(field),
            } => AppError::Client {
                code,
                message,
                field: Some(format!("{argument}.{field}")),
            },
            AppError::Refused {
                reason,
                message,
                field: Some(field),
            } => AppError::Refused {
                reason,
                message,
                field: Some(format!("{argument}.{field}")),
            },
            other => other,
        }
    }

    /// The error as an answer outside any field (document checks, websocket limits).
    pub fn into_server_error(self) -> async_graphql::ServerError {
        let error = async_graphql::Error::from(self);
        let mut server_error = async_graphql::ServerError::new(error.message, None);
        server_error.extensions = error.extensions;
        server_error
    }

    /// The code this error answers with.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Client { code, .. } => *code,
            AppError::Refused { .. } => ErrorCode::BadUserInput,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Client { code, message, .. } => write!(f, "{}: {message}", code.as_str()),
            AppError::Refused {
                reason, message, ..
            } => write!(f, "BAD_USER_INPUT ({reason}): {message}"),
            AppError::RateLimited {
                message,
                retry_after_secs,
            } => {
                write!(
                    f,
                    "RATE_LIMITED: {message} (retry after {retry_after_secs}s)"
                )
            }
            AppError::Internal(e) => write!(f, "INTERNAL: {e:#}"),
        }
    }
}

/// The message every internal error is answered with.
pub const INTERNAL_MESSAGE: &str =
    "Sunucuda beklenmeyen bir hata oluştu / An unexpected server error occurred.";

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Client {
                code,
                message,
                field,
            } => async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", code.as_str());
                if let Some(field) = &field {
                    e.set("field", field.as_str());
                }
            }),
            AppError::Refused {
                reason,
                message,
                field,
            } => async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", ErrorCode::BadUserInput.as_str());
                e.set("reason", reason);
                if let Some(field) = &field {
                    e.set("field", field.as_str());
                }
            }),
            AppError::RateLimited {
                message,
                retry_after_secs,
            } => async_graphql::Error::new(message).extend_with(|_, e| {
                e.set("code", ErrorCode::RateLimited.as_str());
                e.set("retryAfter", retry_after_secs);
            }),
            AppError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                async_graphql::Error::new(INTERNAL_MESSAGE)
                    .extend_with(|_, e| e.set("code", ErrorCode::Internal.as_str()))
            }
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        AppError::Internal(e.into())
    }
}

/// The result type of domain and resolver code.
pub type AppResult<T> = Result<T, AppError>;
