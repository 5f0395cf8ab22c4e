// greeter answers with the version the Makefile stamped into it and whether it can look up the user
// it runs as (os/user, which a default cgo build resolves through glibc and a static one by reading
// /etc/passwd).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/user"
)

var version = "unset"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		lookup := "ok"
		if u, err := user.Current(); err != nil || u.Username == "" {
			lookup = fmt.Sprintf("failed: %v", err)
		}
		fmt.Fprintf(w, "%s %s, user lookup %s\n", os.Getenv("GREETING"), version, lookup)
	})
	addr := "127.0.0.1:" + os.Getenv("PORT")
	if os.Getenv("PORT") == "" {
		addr = "127.0.0.1:8080"
	}
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
