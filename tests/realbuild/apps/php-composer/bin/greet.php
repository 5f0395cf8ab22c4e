<?php

require __DIR__ . '/../vendor/autoload.php';

echo (new Greeter\Hello())->greet(Greet\Name::fromEnv()), "\n";
