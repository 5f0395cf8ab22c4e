//! Prints the Collatz sequence of 27's length and peak (started with `cargo run`, as in development).

fn main() {
    let (mut n, mut steps, mut peak) = (27u64, 0u32, 27u64);
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        peak = peak.max(n);
        steps += 1;
    }
    println!("collatz 27: {steps} steps, peak {peak}");
}
