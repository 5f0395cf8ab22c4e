# Prints a greeting through the bundled greeter gem: proves Bundler's setup survives the split.
require "bundler/setup"
require "greeter"

puts Greeter.greet(ENV.fetch("GREETING_NAME", "world"))
