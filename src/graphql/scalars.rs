//! Scalars beyond the built-in ones.

use async_graphql::{ID, InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::error::AppError;

/// Parses an `ID` argument as a database id.
pub fn parse_id(id: &ID) -> Result<i64, AppError> {
    id.parse::<i64>()
        .map_err(|_| AppError::bad_input("That is not a valid id."))
}

/// A 64-bit integer, sent as a decimal string so that byte counts beyond 2 GiB stay
/// exact in every client (GraphQL's Int is 32-bit; JSON numbers lose precision past 2^53).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BigInt(pub i64);

#[Scalar(name = "BigInt")]
impl ScalarType for BigInt {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => s
                .parse()
                .map(BigInt)
                .map_err(|_| InputValueError::custom("expected a decimal integer string")),
            Value::Number(n) => n
                .as_i64()
                .map(BigInt)
                .ok_or_else(|| InputValueError::custom("expected an integer")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}
