// primes prints the primes below a bound given by PRIMES_BELOW (default 50).
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

func primesBelow(n int) []int {
	sieve := make([]bool, n)
	var out []int
	for i := 2; i < n; i++ {
		if sieve[i] {
			continue
		}
		out = append(out, i)
		for j := i * i; j < n; j += i {
			sieve[j] = true
		}
	}
	return out
}

func main() {
	n := 50
	if v, err := strconv.Atoi(os.Getenv("PRIMES_BELOW")); err == nil {
		n = v
	}
	var words []string
	for _, p := range primesBelow(n) {
		words = append(words, strconv.Itoa(p))
	}
	fmt.Printf("primes below %d: %s\n", n, strings.Join(words, " "))
}
