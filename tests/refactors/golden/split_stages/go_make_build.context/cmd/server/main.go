package main

import ("fmt"; "net/http")

var version = "dev"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "hello %s\n", version) })
	http.ListenAndServe("127.0.0.1:8080", nil)
}
