Gem::Specification.new do |s|
  s.name = "greeter"
  s.version = "1.0.0"
  s.summary = "Greets by name"
  s.authors = ["dockerfile-refactor-ls"]
  s.files = ["lib/greeter.rb"]
  s.license = "MIT"
end
