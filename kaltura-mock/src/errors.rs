//! The API's errors, as its description lists them: a code, a message with `@NAME@`
//! placeholders, and the names of its arguments. `errors.tsv` is a compact copy of the
//! `<errors>` section of the vendored `KalturaClient.xml` (one error a line: code, message,
//! argument names; `\t`, `\n` and `\\` escaped); a test checks that it is current.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("errors.tsv");

/// The codes the mock answers with, named once so that a test can check each is in the
/// API description.
pub mod codes {
    pub const INTERNAL: &str = "INTERNAL_SERVERL_ERROR";
    pub const MISSING_KS: &str = "MISSING_KS";
    pub const INVALID_KS: &str = "INVALID_KS";
    pub const SERVICE_NOT_SPECIFIED: &str = "SERVICE_NOT_SPECIFIED";
    pub const SERVICE_DOES_NOT_EXISTS: &str = "SERVICE_DOES_NOT_EXISTS";
    pub const ACTION_NOT_SPECIFIED: &str = "ACTION_NOT_SPECIFIED";
    pub const ACTION_DOES_NOT_EXISTS: &str = "ACTION_DOES_NOT_EXISTS";
    pub const MISSING_MANDATORY_PARAMETER: &str = "MISSING_MANDATORY_PARAMETER";
    pub const INVALID_PARAMETER_VALUE: &str = "INVALID_PARAMETER_VALUE";
    pub const INVALID_ENUM_VALUE: &str = "INVALID_ENUM_VALUE";
    pub const OBJECT_TYPE_ABSTRACT: &str = "OBJECT_TYPE_ABSTRACT";
    pub const NOT_UPDATABLE: &str = "PROPERTY_VALIDATION_NOT_UPDATABLE";
    pub const CANNOT_BE_NULL: &str = "PROPERTY_VALIDATION_CANNOT_BE_NULL";
    pub const SERVICE_FORBIDDEN: &str = "SERVICE_FORBIDDEN";
    pub const START_SESSION_ERROR: &str = "START_SESSION_ERROR";
    pub const INVALID_PARTNER_ID: &str = "INVALID_PARTNER_ID";
    pub const USER_NOT_FOUND: &str = "USER_NOT_FOUND";
    pub const INVALID_USER_ID: &str = "INVALID_USER_ID";
    pub const DUPLICATE_USER_BY_ID: &str = "DUPLICATE_USER_BY_ID";
    pub const LOGIN_DATA_NOT_FOUND: &str = "LOGIN_DATA_NOT_FOUND";
    pub const USER_WRONG_PASSWORD: &str = "USER_WRONG_PASSWORD";
    pub const ENTRY_ID_NOT_FOUND: &str = "ENTRY_ID_NOT_FOUND";
    pub const CATEGORY_NOT_FOUND: &str = "CATEGORY_NOT_FOUND";
    pub const PARENT_CATEGORY_NOT_FOUND: &str = "PARENT_CATEGORY_NOT_FOUND";
    pub const DUPLICATE_CATEGORY: &str = "DUPLICATE_CATEGORY";
    pub const CATEGORY_ENTRY_ALREADY_EXISTS: &str = "CATEGORY_ENTRY_ALREADY_EXISTS";
    pub const ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY: &str = "ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY";
    pub const UPLOAD_TOKEN_NOT_FOUND: &str = "UPLOAD_TOKEN_NOT_FOUND";
    pub const UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD: &str =
        "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD";
    pub const UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY: &str =
        "UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY";
    pub const UPLOAD_TOKEN_CANNOT_RESUME: &str = "UPLOAD_TOKEN_CANNOT_RESUME";
    pub const UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE: &str =
        "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE";
    pub const UPLOADED_FILE_NOT_FOUND_BY_TOKEN: &str = "UPLOADED_FILE_NOT_FOUND_BY_TOKEN";
    pub const FLAVOR_ASSET_ID_NOT_FOUND: &str = "FLAVOR_ASSET_ID_NOT_FOUND";
    pub const THUMB_ASSET_ID_NOT_FOUND: &str = "THUMB_ASSET_ID_NOT_FOUND";
    pub const APP_TOKEN_ID_NOT_FOUND: &str = "APP_TOKEN_ID_NOT_FOUND";
    pub const INVALID_APP_TOKEN_HASH: &str = "INVALID_APP_TOKEN_HASH";
    pub const APP_TOKEN_EXPIRED: &str = "APP_TOKEN_EXPIRED";
    pub const APP_TOKEN_NOT_ACTIVE: &str = "APP_TOKEN_NOT_ACTIVE";
    pub const INVALID_WIDGET_ID: &str = "INVALID_WIDGET_ID";
    pub const QUERY_EXCEEDED_MAX_MATCHES_ALLOWED: &str = "QUERY_EXCEEDED_MAX_MATCHES_ALLOWED";
    pub const METADATA_PROFILE_NOT_FOUND: &str = "METADATA_PROFILE_NOT_FOUND";
    pub const METADATA_NOT_FOUND: &str = "METADATA_NOT_FOUND";
    pub const METADATA_ALREADY_EXISTS: &str = "METADATA_ALREADY_EXISTS";
    pub const INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE: &str =
        "INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE";
    pub const INVALID_METADATA_DATA: &str = "INVALID_METADATA_DATA";
    pub const INVALID_METADATA_VERSION: &str = "INVALID_METADATA_VERSION";
    pub const INVALID_METADATA_PROFILE_SCHEMA: &str = "INVALID_METADATA_PROFILE_SCHEMA";
    pub const INVALID_OBJECT_ID: &str = "INVALID_OBJECT_ID";
    pub const PARTNER_ACCESS_FORBIDDEN: &str = "PARTNER_ACCESS_FORBIDDEN";
    pub const ASSET_ID_NOT_FOUND: &str = "ASSET_ID_NOT_FOUND";
    pub const FLAVOR_ASSET_IS_NOT_READY: &str = "FLAVOR_ASSET_IS_NOT_READY";
    pub const THUMB_ASSET_IS_NOT_READY: &str = "THUMB_ASSET_IS_NOT_READY";

    /// Every code above.
    pub const ALL: &[&str] = &[
        INTERNAL,
        MISSING_KS,
        INVALID_KS,
        SERVICE_NOT_SPECIFIED,
        SERVICE_DOES_NOT_EXISTS,
        ACTION_NOT_SPECIFIED,
        ACTION_DOES_NOT_EXISTS,
        MISSING_MANDATORY_PARAMETER,
        INVALID_PARAMETER_VALUE,
        INVALID_ENUM_VALUE,
        OBJECT_TYPE_ABSTRACT,
        NOT_UPDATABLE,
        CANNOT_BE_NULL,
        SERVICE_FORBIDDEN,
        START_SESSION_ERROR,
        INVALID_PARTNER_ID,
        USER_NOT_FOUND,
        INVALID_USER_ID,
        DUPLICATE_USER_BY_ID,
        LOGIN_DATA_NOT_FOUND,
        USER_WRONG_PASSWORD,
        ENTRY_ID_NOT_FOUND,
        CATEGORY_NOT_FOUND,
        PARENT_CATEGORY_NOT_FOUND,
        DUPLICATE_CATEGORY,
        CATEGORY_ENTRY_ALREADY_EXISTS,
        ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY,
        UPLOAD_TOKEN_NOT_FOUND,
        UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD,
        UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY,
        UPLOAD_TOKEN_CANNOT_RESUME,
        UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE,
        UPLOADED_FILE_NOT_FOUND_BY_TOKEN,
        FLAVOR_ASSET_ID_NOT_FOUND,
        THUMB_ASSET_ID_NOT_FOUND,
        APP_TOKEN_ID_NOT_FOUND,
        INVALID_APP_TOKEN_HASH,
        APP_TOKEN_EXPIRED,
        APP_TOKEN_NOT_ACTIVE,
        INVALID_WIDGET_ID,
        QUERY_EXCEEDED_MAX_MATCHES_ALLOWED,
        METADATA_PROFILE_NOT_FOUND,
        METADATA_NOT_FOUND,
        METADATA_ALREADY_EXISTS,
        INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE,
        INVALID_METADATA_DATA,
        INVALID_METADATA_VERSION,
        INVALID_METADATA_PROFILE_SCHEMA,
        INVALID_OBJECT_ID,
        PARTNER_ACCESS_FORBIDDEN,
        ASSET_ID_NOT_FOUND,
        FLAVOR_ASSET_IS_NOT_READY,
        THUMB_ASSET_IS_NOT_READY,
    ];
}

/// One error of the description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDef {
    pub code: String,
    /// With its `@NAME@` placeholders.
    pub message: String,
    pub args: Vec<String>,
}

/// An error as the mock answers it: the code, the message with its arguments filled
/// in, and the arguments by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub args: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The table, read on first use.
pub fn table() -> &'static HashMap<String, ErrorDef> {
    static TABLE_MAP: OnceLock<HashMap<String, ErrorDef>> = OnceLock::new();
    TABLE_MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.is_empty())
            .filter_map(|line| {
                let mut cols = line.splitn(3, '\t');
                let code = cols.next()?.to_string();
                let message = unescape(cols.next()?);
                let args = cols
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect();
                Some((
                    code.clone(),
                    ErrorDef {
                        code,
                        message,
                        args,
                    },
                ))
            })
            .collect()
    })
}

impl ApiError {
    /// The error `code` with its arguments in the order the description lists them.
    /// A code the description does not have (a bug in the mock) becomes the server's
    /// internal error, naming it.
    pub fn new(code: &str, values: &[&str]) -> ApiError {
        let Some(def) = table().get(code) else {
            return ApiError::new(codes::INTERNAL, &[]).with_note(code);
        };
        let mut message = def.message.clone();
        let mut args = Vec::with_capacity(def.args.len());
        for (i, name) in def.args.iter().enumerate() {
            let value = values.get(i).copied().unwrap_or("");
            message = message.replace(&format!("@{name}@"), value);
            args.push((name.clone(), value.to_string()));
        }
        ApiError {
            code: def.code.clone(),
            message,
            args,
        }
    }

    fn with_note(mut self, note: &str) -> ApiError {
        self.message = format!("{} ({note})", self.message);
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_the_mock_uses_is_in_the_description() {
        for code in codes::ALL {
            assert!(table().contains_key(*code), "{code} is not in errors.tsv");
        }
    }

    #[test]
    fn arguments_fill_the_placeholders_in_order() {
        let e = ApiError::new(
            codes::INVALID_ENUM_VALUE,
            &["7", "status", "KalturaEntryStatus"],
        );
        assert_eq!(
            e.message,
            "Invalid enumeration value \"7\" for parameter \"status\", expecting enumeration type \"KalturaEntryStatus\""
        );
        assert_eq!(e.args[1], ("PARAM_NAME".to_string(), "status".to_string()));
    }

    #[test]
    fn an_unknown_code_is_an_internal_error() {
        let e = ApiError::new("NO_SUCH_CODE", &[]);
        assert_eq!(e.code, codes::INTERNAL);
        assert!(e.message.contains("NO_SUCH_CODE"));
    }
}
