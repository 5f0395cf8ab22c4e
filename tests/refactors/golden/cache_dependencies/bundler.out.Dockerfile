FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock* ./
RUN bundle config set --local without 'development test' && bundle install --jobs 4
COPY . .
CMD ["bundle", "exec", "puma"]
