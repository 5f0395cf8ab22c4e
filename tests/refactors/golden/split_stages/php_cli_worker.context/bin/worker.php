<?php
require __DIR__ . "/../vendor/autoload.php";
echo (new Greeter\Hello())->greet(), "\n";
