// Command board serves today's specials: the page is the front end's build, embedded at compile time,
// and the data comes from /api/specials.
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
)

//go:embed web/dist
var dist embed.FS

const specials = `[{"dish":"lentil soup","price":4.5},{"dish":"pear tart","price":3.0}]`

func main() {
	site, err := fs.Sub(dist, "web/dist")
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/", http.FileServer(http.FS(site)))
	http.HandleFunc("/api/specials", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(specials))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
