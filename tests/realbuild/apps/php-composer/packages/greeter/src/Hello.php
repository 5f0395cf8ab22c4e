<?php

namespace Greeter;

final class Hello
{
    public function greet(string $name): string
    {
        return "hello, {$name}, from greeter 1.0.0";
    }
}
