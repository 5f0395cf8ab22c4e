package main

import (
	"embed"
	"net/http"
)

//go:embed web/build
var ui embed.FS

func main() { http.ListenAndServe(":8080", http.FileServer(http.FS(ui))) }
