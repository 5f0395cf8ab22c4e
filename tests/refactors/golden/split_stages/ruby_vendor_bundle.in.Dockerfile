FROM ruby:3.2
WORKDIR /app
COPY . .
RUN bundle config set --local deployment true && bundle install
CMD ["bundle", "exec", "ruby", "app.rb"]
