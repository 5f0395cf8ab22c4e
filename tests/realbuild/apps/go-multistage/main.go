// collatz prints how many steps the Collatz sequence of each start value takes to reach 1, and the
// operating system and architecture the binary was built for.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

func steps(n int) int {
	count := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		count++
	}
	return count
}

func main() {
	starts := []int{6, 7, 27}
	for _, arg := range os.Args[1:] {
		if v, err := strconv.Atoi(arg); err == nil && v > 0 {
			starts = append(starts, v)
		}
	}
	for _, s := range starts {
		fmt.Printf("collatz %d: %d steps\n", s, steps(s))
	}
	fmt.Printf("built for %s/%s\n", runtime.GOOS, runtime.GOARCH)
}
