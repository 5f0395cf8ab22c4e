package main

import (
	"html/template"
	"net/http"
	"os"
)

func main() {
	cfg, _ := os.ReadFile("config.json")
	_ = cfg
	tmpl := template.Must(template.ParseFiles("templates/index.html"))
	http.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { tmpl.Execute(w, nil) })
	http.ListenAndServe(":8080", nil)
}
