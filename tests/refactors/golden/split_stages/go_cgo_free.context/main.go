package main

import (
	"fmt"
	"net/http"
)

func main() {
	fmt.Println("up")
	http.ListenAndServe(":8080", nil)
}
