// guestbook serves a page rendered from templates/ and the files in static/, both read at run time
// from the working directory.
package main

import (
	"html/template"
	"log"
	"net/http"
	"os"
	"sync"
)

type page struct {
	Title  string
	Visits int
}

func main() {
	tmpl := template.Must(template.ParseFiles("templates/index.html"))
	var mu sync.Mutex
	visits := 0
	http.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		visits++
		n := visits
		mu.Unlock()
		if err := tmpl.Execute(w, page{Title: os.Getenv("GUESTBOOK_TITLE"), Visits: n}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	addr := ":" + os.Getenv("PORT")
	if addr == ":" {
		addr = ":8080"
	}
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
