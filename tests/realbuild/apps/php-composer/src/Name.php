<?php

namespace Greet;

final class Name
{
    public static function fromEnv(): string
    {
        return getenv('GREETING_NAME') ?: 'world';
    }
}
