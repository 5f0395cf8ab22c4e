fn is_prime(n: u32) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}

fn main() {
    let count = (1..=1000).filter(|&n| is_prime(n)).count();
    println!("primes up to 1000: {count}");
}

#[cfg(test)]
mod tests {
    // Run by the testStage variant (docker build --target test).
    #[test]
    fn small_primes() {
        let found: Vec<u32> = (1..20).filter(|&n| super::is_prime(n)).collect();
        assert_eq!(found, [2, 3, 5, 7, 11, 13, 17, 19]);
    }
}
