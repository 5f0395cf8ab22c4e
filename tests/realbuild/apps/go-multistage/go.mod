module example.com/collatz

go 1.19
