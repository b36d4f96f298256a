//! A reasonable e-mail address check without a regex crate: the dot-atom form of RFC 5322
//! with the length limits of RFC 5321, ASCII only. Quoted local parts and IP-literal domains
//! are legal but never typed into a shop form, so they are refused with a clear reason.

use super::limits::{
    EMAIL_CHARS_MAX, EMAIL_DOMAIN_CHARS_MAX, EMAIL_LABEL_CHARS_MAX, EMAIL_LOCAL_CHARS_MAX,
};

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

/// Why `text` is not a usable e-mail address, if it is not. `text` must be non-empty.
pub fn email_problem(text: &str) -> Option<String> {
    if !text.is_ascii() {
        return Some(
            "an e-mail address must be plain ASCII (no accents, spaces or symbols)".into(),
        );
    }
    // ASCII from here on: byte length is character length.
    if text.len() > EMAIL_CHARS_MAX {
        return Some(format!(
            "an e-mail address has at most {EMAIL_CHARS_MAX} characters, this one has {}",
            text.len() as u64
        ));
    }
    let (local, domain) = match text.split_once('@') {
        None => return Some("an e-mail address needs an @, as in name@example.com".into()),
        Some((_, rest)) if rest.contains('@') => {
            return Some("an e-mail address has exactly one @".into())
        }
        Some(parts) => parts,
    };
    local_part_problem(local).or_else(|| domain_problem(domain))
}

fn local_part_problem(local: &str) -> Option<String> {
    if local.is_empty() {
        return Some("the part before the @ is empty".into());
    }
    if local.len() > EMAIL_LOCAL_CHARS_MAX {
        return Some(format!(
            "the part before the @ has at most {EMAIL_LOCAL_CHARS_MAX} characters"
        ));
    }
    if !local.chars().all(is_local_char) {
        return Some(
            "the part before the @ may contain only letters, digits and !#$%&'*+/=?^_`{|}~.-"
                .into(),
        );
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some(
            "the part before the @ cannot start or end with a dot or have two dots in a row".into(),
        );
    }
    None
}

fn domain_problem(domain: &str) -> Option<String> {
    if domain.is_empty() {
        return Some("the domain after the @ is empty".into());
    }
    if domain.len() > EMAIL_DOMAIN_CHARS_MAX {
        return Some(format!(
            "the domain after the @ has at most {EMAIL_DOMAIN_CHARS_MAX} characters"
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some("the domain after the @ needs a dot, as in example.com".into());
    }
    for label in &labels {
        if label.is_empty() || label.len() > EMAIL_LABEL_CHARS_MAX {
            return Some(format!(
                "each part of the domain has 1 to {EMAIL_LABEL_CHARS_MAX} characters"
            ));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Some(
                "the domain may contain only letters, digits, dots and inner dashes".into(),
            );
        }
    }
    let tld = labels[labels.len() - 1];
    let tld_ok =
        (tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())) || tld.starts_with("xn--");
    (!tld_ok).then(|| "the domain must end in a real top-level domain such as .com or .ee".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        for ok in [
            "john@example.com",
            "a.b+tag@mail.ut.ee",
            "o'brien@example.co.uk",
            "x@y.museum",
            "user@xn--80ak6aa92e.com",
            "first_last-1@sub-domain.example.org",
        ] {
            assert_eq!(email_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn each_malformation_gets_its_own_reason() {
        let cases = [
            ("john.example.com", "needs an @"),
            ("a@b@example.com", "exactly one @"),
            ("@example.com", "before the @ is empty"),
            ("john@", "after the @ is empty"),
            ("john@localhost", "needs a dot"),
            (".john@example.com", "two dots in a row"),
            ("jo..hn@example.com", "two dots in a row"),
            ("jo hn@example.com", "only letters, digits"),
            ("john@exa_mple.com", "inner dashes"),
            ("john@-example.com", "inner dashes"),
            ("john@example..com", "1 to 63 characters"),
            ("john@example.c0m", "top-level domain"),
            ("john@example.c", "top-level domain"),
            ("jöhn@example.com", "plain ASCII"),
            ("<script>@x.com", "only letters, digits"),
        ];
        for (text, reason) in cases {
            let problem = email_problem(text).unwrap_or_else(|| panic!("{text} was accepted"));
            assert!(problem.contains(reason), "{text}: {problem}");
        }
    }

    #[test]
    fn length_limits_apply_to_the_whole_the_local_part_and_each_label() {
        let local = "a".repeat(65);
        assert!(email_problem(&format!("{local}@example.com")).is_some());
        let label = "b".repeat(64);
        assert!(email_problem(&format!("a@{label}.com")).is_some());
        let long = format!("a@{}.com", vec!["c".repeat(60); 5].join("."));
        assert!(email_problem(&long)
            .expect("too long")
            .contains("at most 254"));
    }
}
