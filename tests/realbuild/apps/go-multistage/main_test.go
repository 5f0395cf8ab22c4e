package main

import "testing"

func TestSteps(t *testing.T) {
	for start, want := range map[int]int{1: 0, 6: 8, 7: 16, 27: 111} {
		if got := steps(start); got != want {
			t.Fatalf("steps(%d) = %d, want %d", start, got, want)
		}
	}
}
