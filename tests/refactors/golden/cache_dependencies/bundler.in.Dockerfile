FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle config set --local without 'development test' && bundle install --jobs 4
CMD ["bundle", "exec", "puma"]
