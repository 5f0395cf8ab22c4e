FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN dotnet publish -o /out
FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY --from=build /out /app
