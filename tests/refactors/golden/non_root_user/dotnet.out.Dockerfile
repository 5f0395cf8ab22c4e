FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:8.0
RUN mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --from=build --chown=app:app /out .
USER app
ENTRYPOINT ["dotnet", "App.dll"]
