FROM ruby:3.3
RUN groupadd --system app && useradd --system --gid app --create-home app \
    && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app Gemfile Gemfile.lock ./
RUN bundle install
COPY --chown=app:app . .
# tmp/ and log/ are written by the server
RUN bundle exec rails assets:precompile && find /app ! -user app -exec chown app:app {} +
EXPOSE 3000
USER app
CMD ["bin/rails", "server", "-b", "0.0.0.0"]
