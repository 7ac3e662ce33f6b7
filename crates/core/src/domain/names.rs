//! Author names as arXiv writes them: LaTeX accents decoded, author lists split, identity keys.

use unicode_normalization::UnicodeNormalization;

/// Decodes the LaTeX accent and letter commands found in arXiv metadata:
/// `Bal\'azs` and `Bal\'{a}zs` become `Balázs`, `\"{o}` becomes `ö`, `{\ss}` becomes `ß`.
/// Braces are dropped and whitespace collapsed; unknown commands keep their letters.
pub fn decode_latex(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let next = chars[i + 1];
                if let Some(mark) = symbol_accent(next) {
                    let (base, used) = accent_argument(&chars[i + 2..]);
                    push_accented(&mut out, base, mark);
                    i += 2 + used;
                } else if next.is_ascii_alphabetic() {
                    let name: String = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphabetic()).collect();
                    let mut j = i + 1 + name.chars().count();
                    if let Some(mark) = letter_accent(&name) {
                        while j < chars.len() && chars[j] == ' ' {
                            j += 1;
                        }
                        let (base, used) = accent_argument(&chars[j..]);
                        push_accented(&mut out, base, mark);
                        j += used;
                    } else {
                        out.push_str(special_letter(&name).unwrap_or(&name));
                        // A control word swallows one following space (`{\o }` -> `ø`).
                        if j < chars.len() && chars[j] == ' ' && special_letter(&name).is_some() {
                            j += 1;
                        }
                    }
                    i = j;
                } else {
                    // `\&`, `\_`, `\ `: the escaped character itself.
                    out.push(next);
                    i += 2;
                }
            }
            '{' | '}' => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    collapse_whitespace(&out.nfc().collect::<String>())
}

fn symbol_accent(c: char) -> Option<char> {
    Some(match c {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        _ => return None,
    })
}

fn letter_accent(name: &str) -> Option<char> {
    Some(match name {
        "c" => '\u{327}',
        "v" => '\u{30c}',
        "u" => '\u{306}',
        "H" => '\u{30b}',
        "k" => '\u{328}',
        "r" => '\u{30a}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        _ => return None,
    })
}

fn special_letter(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "l" => "ł",
        "L" => "Ł",
        "aa" => "å",
        "AA" => "Å",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "i" => "i",
        "j" => "j",
        _ => return None,
    })
}

/// The letter an accent applies to: `a`, `{a}`, `{\i}` or `\i`. Returns it and the chars used.
fn accent_argument(rest: &[char]) -> (Option<char>, usize) {
    match rest {
        ['{', '\\', 'i' | 'j', '}', ..] => (Some(rest[2]), 4),
        ['{', c, '}', ..] => (Some(*c), 3),
        ['{', '}', ..] => (None, 2),
        ['\\', 'i' | 'j', ..] => (Some(rest[1]), 2),
        [c, ..] if c.is_alphabetic() => (Some(*c), 1),
        _ => (None, 0),
    }
}

fn push_accented(out: &mut String, base: Option<char>, mark: char) {
    if let Some(base) = base {
        out.push(base);
        out.push(mark);
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The identity key of an arXiv author: lower-case ASCII words separated by single spaces, so that
/// `Bal\'azs`, `Balázs` and `BALAZS` are the same person. `Mor Shpigel Nacson` gives
/// `mor shpigel nacson`.
pub fn name_key(display_name: &str) -> String {
    let ascii = deunicode::deunicode(display_name).to_lowercase();
    ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The authors of an arXiv record in byline order, as display names.
/// The `authors` string ("A, B and C", affiliations in parentheses) reads as arXiv shows it, so it
/// is preferred; `parsed` (`authors_parsed`, `[last, first, suffix]` triples) is used instead when
/// the string splits into a different number of people than it lists.
pub fn arxiv_author_names(authors: &str, parsed: Option<&[Vec<String>]>) -> Vec<String> {
    let decoded = decode_latex(&strip_parentheses(authors));
    let from_string: Vec<String> = decoded
        .split(',')
        .flat_map(|part| part.split(" and "))
        .map(|name| collapse_whitespace(name.trim().trim_start_matches("and ")))
        .filter(|name| !name_key(name).is_empty())
        .collect();
    let Some(parsed) = parsed.filter(|p| !p.is_empty() && p.len() != from_string.len()) else {
        return from_string;
    };
    parsed
        .iter()
        .filter_map(|parts| {
            let last = parts.first().map(String::as_str).unwrap_or("");
            let first = parts.get(1).map(String::as_str).unwrap_or("");
            let suffix = parts.get(2).map(String::as_str).unwrap_or("");
            let name = decode_latex(&format!("{first} {last} {suffix}"));
            (!name_key(&name).is_empty()).then_some(name)
        })
        .collect()
}

fn strip_parentheses(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| match c {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_acute_accents_are_decoded() {
        assert_eq!(decode_latex(r"C. Bal\'azs"), "C. Balázs");
        assert_eq!(decode_latex(r"Bal\'{a}zs"), "Balázs");
        assert_eq!(decode_latex(r"{\'E}mile"), "Émile");
    }

    #[test]
    fn other_latex_accents_and_letters_are_decoded() {
        assert_eq!(decode_latex(r#"M\"{u}ller"#), "Müller");
        assert_eq!(decode_latex(r"Fran\c{c}ois"), "François");
        assert_eq!(decode_latex(r"\v{S}koda"), "Škoda");
        assert_eq!(decode_latex(r"Gro{\ss}e"), "Große");
        assert_eq!(decode_latex(r"Ma\l{}gorzata"), "Małgorzata");
        assert_eq!(decode_latex(r"Sj{\o}strand"), "Sjøstrand");
        assert_eq!(decode_latex(r"Mart\'{\i}nez"), "Martínez");
        assert_eq!(decode_latex(r"Nu\~nez"), "Nuñez");
    }

    #[test]
    fn plain_names_pass_through_with_whitespace_collapsed() {
        assert_eq!(decode_latex("  Mor   Shpigel Nacson "), "Mor Shpigel Nacson");
        assert_eq!(decode_latex("C.-P. Yuan"), "C.-P. Yuan");
    }

    #[test]
    fn decoded_and_plain_spellings_share_one_key() {
        assert_eq!(name_key(&decode_latex(r"C. Bal\'azs")), "c balazs");
        assert_eq!(name_key("C. Balázs"), "c balazs");
        assert_eq!(name_key("Mor Shpigel Nacson"), "mor shpigel nacson");
    }

    #[test]
    fn the_authors_string_is_split_on_commas_and_and() {
        let names = arxiv_author_names(r"C. Bal\'azs, E. L. Berger, P. M. Nadolsky and C.-P. Yuan", None);
        assert_eq!(names, ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]);
    }

    #[test]
    fn affiliations_in_parentheses_are_dropped() {
        let names = arxiv_author_names("A. One (MIT, Cambridge), B. Two (CERN)", None);
        assert_eq!(names, ["A. One", "B. Two"]);
    }

    #[test]
    fn authors_parsed_is_used_when_the_string_does_not_split_cleanly() {
        let parsed = vec![
            vec!["Balázs".to_owned(), "C.".to_owned(), String::new()],
            vec!["Yuan".to_owned(), "C. -P.".to_owned(), "Jr".to_owned()],
        ];
        let names = arxiv_author_names("C. Balazs with C.-P. Yuan Jr", Some(&parsed));
        assert_eq!(names, ["C. Balázs", "C. -P. Yuan Jr"]);
        let names = arxiv_author_names(r"C. Bal\'azs and C.-P. Yuan", Some(&parsed));
        assert_eq!(names, ["C. Balázs", "C.-P. Yuan"]);
    }
}
