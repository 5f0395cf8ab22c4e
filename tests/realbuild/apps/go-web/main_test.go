package main

import (
	"html/template"
	"strings"
	"testing"
)

// Run by the testStage variant (docker build --target test): the template the server reads at run
// time parses and shows the title.
func TestIndexTemplate(t *testing.T) {
	tmpl := template.Must(template.ParseFiles("templates/index.html"))
	var out strings.Builder
	if err := tmpl.Execute(&out, page{Title: "Our guestbook", Visits: 3}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Our guestbook") {
		t.Fatalf("title missing from %q", out.String())
	}
}
