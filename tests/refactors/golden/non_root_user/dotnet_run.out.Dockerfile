FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN mkdir -p /src && chown app:app /src
WORKDIR /src
COPY --chown=app:app *.csproj .
USER app
RUN dotnet restore
COPY --chown=app:app . .
CMD ["dotnet", "run"]
