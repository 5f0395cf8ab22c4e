FROM ruby:3.3-bookworm AS builder
RUN apt-get update -qq && apt-get install -y nodejs postgresql-client libpq-dev
WORKDIR /myapp
COPY Gemfile /myapp/Gemfile
COPY Gemfile.lock /myapp/Gemfile.lock
RUN bundle install

FROM ruby:3.3-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 nodejs postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /myapp
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY --from=builder /myapp /myapp
COPY . /myapp
EXPOSE 3000
CMD ["rails", "server", "-b", "0.0.0.0"]
