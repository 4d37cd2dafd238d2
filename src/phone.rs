//! Turkish telephone numbers: what people type (`0532 123 45 67`, `+90 (212) 555 12 34`,
//! `5321234567`) read into one form, `+90` and the ten-digit national number.

/// A number in the form `+90XXXXXXXXXX`, or why the text is not a Turkish number.
pub fn normalize_turkish(raw: &str) -> Result<String, &'static str> {
    let mut digits = String::with_capacity(14);
    for (i, c) in raw.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '(' | ')' | '.' => {}
            _ => return Err("A phone number may hold only digits, spaces, +, -, ( and )."),
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("0090") {
        rest
    } else if digits.len() == 12 && digits.starts_with("90") {
        &digits[2..]
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest
    } else {
        &digits
    };
    if national.len() != 10 {
        return Err("Enter a Turkish phone number with its area code, like 0532 123 45 67.");
    }
    // Mobile numbers start 50–55, landlines with a province's area code 2xx–4xx.
    let valid = match national.as_bytes() {
        [b'5', second, ..] => (b'0'..=b'5').contains(second),
        [b'2' | b'3' | b'4', ..] => true,
        _ => false,
    };
    if !valid {
        return Err("This is not a Turkish mobile (5xx) or landline (2xx–4xx) number.");
    }
    Ok(format!("+90{national}"))
}

#[cfg(test)]
mod tests {
    use super::normalize_turkish;

    #[test]
    fn the_ways_people_write_a_number_read_the_same() {
        for raw in [
            "0532 123 45 67",
            "+90 532 123 45 67",
            "+90 (532) 123-45-67",
            "905321234567",
            "00905321234567",
            "5321234567",
        ] {
            assert_eq!(
                normalize_turkish(raw).as_deref(),
                Ok("+905321234567"),
                "{raw}"
            );
        }
        assert_eq!(
            normalize_turkish("0212 555 12 34").as_deref(),
            Ok("+902125551234")
        );
    }

    #[test]
    fn numbers_that_are_not_turkish_lines_are_refused() {
        for raw in [
            "",
            "123",
            "0532 123 45 6",
            "0532 123 45 678",
            "0612 345 67 89",
            "0582 123 45 67",
            "0532a1234567",
            "++905321234567",
            "+1 212 555 1234",
        ] {
            assert!(normalize_turkish(raw).is_err(), "{raw}");
        }
    }
}
