package main

import (
	"log"
	"net/http"

	"github.com/joho/godotenv"
	"github.com/spf13/viper"
)

func main() {
	_ = godotenv.Load()
	viper.SetConfigName("config")
	viper.AddConfigPath(".")
	if err := viper.ReadInConfig(); err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":"+viper.GetString("port"), nil))
}
