fn word(i: u32) -> String {
    match (i % 3, i % 5) {
        (0, 0) => "FizzBuzz".to_string(),
        (0, _) => "Fizz".to_string(),
        (_, 0) => "Buzz".to_string(),
        _ => i.to_string(),
    }
}

fn main() {
    let line: Vec<String> = (1..=15).map(word).collect();
    println!("{}", line.join(" "));
}

#[cfg(test)]
mod tests {
    // Run by the testStage variant (docker build --target test).
    #[test]
    fn words() {
        assert_eq!(super::word(9), "Fizz");
        assert_eq!(super::word(10), "Buzz");
        assert_eq!(super::word(15), "FizzBuzz");
        assert_eq!(super::word(7), "7");
    }
}
