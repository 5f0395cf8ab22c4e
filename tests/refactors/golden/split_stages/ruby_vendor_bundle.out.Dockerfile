FROM ruby:3.2 AS builder
WORKDIR /app
COPY . .
RUN bundle config set --local deployment true && bundle install

FROM ruby:3.2-slim
WORKDIR /app
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY --from=builder /app /app
CMD ["bundle", "exec", "ruby", "app.rb"]
