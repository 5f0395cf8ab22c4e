module Greeter
  def self.greet(name)
    "hello, #{name}, from greeter #{Gem.loaded_specs['greeter'].version}"
  end
end
